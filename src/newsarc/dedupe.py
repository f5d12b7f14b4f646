"""Near-duplicate detection: MinHash signatures over word 5-shingles, and LSH band keys.

The same story is often republished or scraped elsewhere with a different header, footer or a
few edited words. Exact hashes miss that; the estimated Jaccard similarity of the two bodies'
sets of 5-word shingles catches it. ``band_keys`` gives each signature a few strings to index:
two bodies that share any band key are candidates, compared with ``is_near_duplicate``.

Short bodies are never near-duplicates. A body of fewer than ``MIN_WORDS`` words (a teaser,
a paywall stub, a failed extraction) is mostly boilerplate, and two stubs of one site would
match on their shared boilerplate alone. ``signature`` returns an empty list for them, which
has no band keys and a similarity of 0 with everything; exact copies are still caught by
the content hash.

Why our own MinHash rather than datasketch's: signatures are stored and compared for years,
so they must never change under us. datasketch 2.0 changed its default permutation scheme and
1.x has no way to choose it, so the same text would get a different signature after an
upgrade. Here the shingle hash and the permutations (both derived from fixed keys) are fixed
by this file alone, with no Python ``hash()`` and no numpy random generator involved. Changing
either means a new ``_VERSION`` and a store migration that recomputes the stored band keys
(``m006_minhash_v2`` did it for version 2).

Version 2 hashes shingles in numpy rather than with one BLAKE2b call per shingle (which was
most of the time of a signature): each word is hashed once, as a polynomial over a keyed
random table of its UTF-8 bytes (64-bit, wrapping), and each shingle is a keyed linear
combination of its five word hashes, mixed by the MurmurHash3 finalizer. Keyed BLAKE2b only
derives the constants. numpy's uint64 arithmetic wraps modulo 2**64 on every platform, so the
values are the same everywhere.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from newsarc.errors import StoreError

MIN_WORDS = 50
SHINGLE = 5
# Measured on a 340-word story: a copy with another title line, a 25-word trailer and 3 edited
# words has a true Jaccard of 0.79, so 0.8 would miss it; unrelated stories on the same topic
# score about 0.0. 0.7 also matches where 16 bands of 8 start to find candidates (0.707).
THRESHOLD = 0.7
_VERSION = 2
_KEY = b"newsarc-minhash-v1"  # permutations and band keys: unchanged since version 1
_SHINGLE_KEY = b"newsarc-minhash-v2/shingles"
_CHUNK = 2048  # shingles per block: bounds memory to num_perm * _CHUNK * 8 bytes
# Han, kana and other scripts written without spaces: each character counts as a word.
_UNSPACED = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f])")
# Words are runs of word characters but "_": the runs of \w once every "_" is a space, which
# the regular expression engine finds faster than runs of [^\W_].
_WORD = re.compile(r"\w+")

U64 = npt.NDArray[np.uint64]
_U64_MAX = np.iinfo(np.uint64).max


def words(text: str) -> list[str]:
    """The words a signature is built from: NFKC, case-folded, punctuation dropped."""
    if not unicodedata.is_normalized("NFKC", text):  # the check is ten times faster
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    return _WORD.findall(_UNSPACED.sub(r" \1 ", text).replace("_", " "))


def signature(text: str, *, num_perm: int = 128) -> list[int]:
    """MinHash of ``text``'s word 5-shingles: ``num_perm`` 32-bit ints, [] if it is too short."""
    if num_perm < 1:
        raise ValueError(f"num_perm must be at least 1, not {num_perm}")
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return []
    return _minhash(_shingle_hashes(tokens), num_perm)


def fingerprint(text: str) -> tuple[list[int], U64]:
    """``(signature(text), shingles(text))`` from one reading of the text: a batch worker
    computes both, and the writer confirms near-duplicates with the shingles."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return [], np.empty(0, dtype=np.uint64)
    hashes = _shingle_hashes(tokens)
    return _minhash(hashes, 128), np.unique(hashes)


def _minhash(hashes: U64, num_perm: int) -> list[int]:
    a, b = _coefficients(num_perm)
    mins = np.full(num_perm, _U64_MAX, dtype=np.uint64)
    block = np.empty((num_perm, min(len(hashes), _CHUNK)), dtype=np.uint64)
    for start in range(0, len(hashes), _CHUNK):
        part = hashes[start : start + _CHUNK]
        permuted = block[:, : len(part)]
        # Multiply-add hashing mod 2**64 (numpy wraps uint64): the top 32 bits of a*h+b are a
        # universal hash of h for odd a, one per permutation row. In place, as temporaries of
        # num_perm x _CHUNK values cost more than the arithmetic; the shift comes after the
        # minimum, which it does not change.
        np.multiply(a[:, None], part[None, :], out=permuted)
        np.add(permuted, b[:, None], out=permuted)
        np.minimum(mins, permuted.min(axis=1), out=mins)
    mins >>= np.uint64(32)
    return mins.tolist()  # Python ints, as int() of each would give


def band_keys(sig: Sequence[int], *, bands: int = 16) -> list[str]:
    """LSH keys: one per band of ``len(sig) // bands`` rows, e.g. ``'3:9f1c0a2b7d4e6f80'``.

    Near-duplicates share at least one key with high probability: with 128 values in 16 bands
    of 8, a pair shares a key with probability 61 % at similarity 0.7, 95 % at 0.8, 99.99 % at
    0.9, and 6 % at 0.5. A shared key only makes a candidate: confirm it with
    ``is_near_duplicate`` on the stored signatures.
    """
    if not sig:
        return []
    if bands < 1 or len(sig) % bands:
        raise ValueError(f"{len(sig)} signature values do not split into {bands} bands")
    rows = len(sig) // bands
    packed = _pack(sig)
    keys = []
    for band in range(bands):
        chunk = packed[band * rows * 4 : (band + 1) * rows * 4]
        digest = hashlib.blake2b(chunk, digest_size=8, key=_KEY).hexdigest()
        keys.append(f"{band}:{digest}")
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two bodies (0.0 if either is empty)."""
    if not a or not b:
        return 0.0
    if len(a) != len(b):
        raise ValueError(f"signatures of different sizes: {len(a)} and {len(b)}")
    same = np.count_nonzero(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64))
    return same / len(a)


class Overlap(NamedTuple):
    """How much two bodies share: distinct shingles in common, and their exact Jaccard."""

    shared: int
    jaccard: float


def shingles(text: str) -> U64:
    """The distinct hashes of ``text``'s word 5-shingles, sorted; empty if it is too short.

    The same shingles a signature summarises, for an exact comparison of two bodies: the
    store confirms a candidate found by band keys with ``overlap`` (a few hundred values per
    body, so a set intersection costs less than a second signature would).
    """
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return np.empty(0, dtype=np.uint64)
    return np.unique(_shingle_hashes(tokens))


def overlap(a: U64, b: U64) -> Overlap:
    """The exact overlap of two ``shingles`` sets (Jaccard 0.0 if either is empty)."""
    if not a.size or not b.size:
        return Overlap(0, 0.0)
    # Both are sorted and distinct: each value of the shorter is looked up in the longer by
    # bisection, a third of the time of intersect1d (which sorts the two together).
    short, long = (a, b) if a.size <= b.size else (b, a)
    at = np.searchsorted(long, short)
    at[at == long.size] = 0
    shared = int(np.count_nonzero(long[at] == short))
    return Overlap(shared, shared / (a.size + b.size - shared))


def headlines_agree(a: str | None, b: str | None) -> bool:
    """Whether two headlines name the same story: at least half of the shorter one's word
    pairs (adjacent words) are in the other (case and punctuation aside).

    A copy often re-titles a story a little ("MPs back plan" -> "MPs back plan, say
    reports"), so equality would be too strict. Single words would be too loose: two
    headlines of one site share "the", "news" or "live" by chance, but rarely half their
    word pairs. A one-word headline must equal the other; a missing one never agrees.
    """
    first, pairs = _headline_pairs(a or "")
    second, others = _headline_pairs(b or "")
    if not first or not second:
        return False
    if len(first) < 2 or len(second) < 2:
        return first == second
    return len(pairs & others) >= 0.5 * min(len(pairs), len(others))


@functools.lru_cache(maxsize=8192)
def _headline_pairs(headline: str) -> tuple[tuple[str, ...], frozenset[tuple[str, str]]]:
    """A headline's words and its set of adjacent word pairs: the story linker compares each
    new article's headline with those of every candidate and story member, so each headline
    is split once, not once per comparison (it was a third of the linker's time)."""
    found = tuple(words(headline))
    return found, frozenset(zip(found, found[1:], strict=False))


def is_near_duplicate(a: Sequence[int], b: Sequence[int], threshold: float = THRESHOLD) -> bool:
    """Whether two signatures are of the same story (estimated Jaccard >= ``threshold``)."""
    return bool(a) and bool(b) and similarity(a, b) >= threshold


def serialize(sig: Sequence[int]) -> bytes:
    """Compact bytes for storage: a version byte, then 4 little-endian bytes per value."""
    return bytes([_VERSION]) + _pack(sig)


def deserialize(data: bytes) -> list[int]:
    """The signature ``serialize`` wrote; StoreError if the bytes are not one."""
    if not data or data[0] != _VERSION or (len(data) - 1) % 4:
        raise StoreError(f"not a newsarc signature (version {_VERSION}): {len(data)} bytes")
    return np.frombuffer(data, dtype="<u4", offset=1).tolist()


def _pack(sig: Sequence[int]) -> bytes:
    values = np.asarray(sig, dtype=np.int64)
    if values.size and (values.min() < 0 or values.max() > 0xFFFFFFFF):
        raise ValueError("signature values must be 32-bit unsigned")
    return values.astype("<u4").tobytes()


def _shingle_hashes(tokens: list[str]) -> U64:
    """One 64-bit hash per 5-word shingle of ``tokens`` (at least ``SHINGLE`` of them)."""
    word = _word_hashes(tokens)
    weights = _constants().weights
    count = len(word) - SHINGLE + 1
    mixed = word[:count] * weights[0]
    for k in range(1, SHINGLE):
        mixed += word[k : k + count] * weights[k]
    return _fmix64(mixed)


def _word_hashes(tokens: list[str]) -> U64:
    """Each word's polynomial hash: sum of table[byte] * base**(bytes after it in the word).

    The words are joined by spaces (a word has none) and encoded once; every byte gets its
    distance to the end of its word, and one segmented sum (``np.add.reduceat``) per word
    adds up its terms. A space's term is zero.
    """
    constants = _constants()
    data = np.frombuffer(" ".join(tokens).encode("utf-8", "surrogatepass"), dtype=np.uint8)
    values = constants.table[data]
    spaces = np.flatnonzero(data == 0x20)
    values[spaces] = 0
    starts = np.concatenate(([0], spaces + 1))
    ends = np.append(spaces, len(data))  # each word's end, which is also its segment's end - 1
    segments = np.diff(np.append(starts, len(data)))
    to_end = np.repeat(ends - 1, segments) - np.arange(len(data))  # -1 on the spaces
    values *= _powers(int(segments.max()))[to_end]
    return np.add.reduceat(values, starts)


def _fmix64(h: U64) -> U64:
    """MurmurHash3's 64-bit finalizer: every input bit reaches every output bit."""
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(33)
    return h


@functools.cache
def _coefficients(num_perm: int) -> tuple[U64, U64]:
    """Per-row (a, b): a odd. Row i is the same whatever ``num_perm`` is."""
    raw = b"".join(
        hashlib.blake2b(i.to_bytes(4, "little"), digest_size=16, key=_KEY + b"/perm").digest()
        for i in range(num_perm)
    )
    pairs = np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(num_perm, 2)
    return pairs[:, 0] | np.uint64(1), pairs[:, 1].copy()


class _Constants(NamedTuple):
    table: U64  # 256 values, one per byte
    weights: U64  # SHINGLE odd multipliers, one per word position in a shingle
    base: int  # odd


@functools.cache
def _constants() -> _Constants:
    values = _keyed_u64(_SHINGLE_KEY, 256 + SHINGLE + 1)
    return _Constants(
        table=values[:256],
        weights=values[256 : 256 + SHINGLE] | np.uint64(1),
        base=int(values[-1]) | 1,
    )


def _keyed_u64(key: bytes, count: int) -> U64:
    raw = b"".join(
        hashlib.blake2b(i.to_bytes(4, "little"), digest_size=8, key=key).digest()
        for i in range(count)
    )
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64)


_POWERS: U64 = np.ones(1, dtype=np.uint64)


def _powers(count: int) -> U64:
    """base**0 .. base**(count - 1) mod 2**64, or more: kept, and grown for longer words."""
    global _POWERS
    powers = _POWERS
    if len(powers) < count:
        steps = np.full(max(count, 2 * len(powers), 64), _constants().base, dtype=np.uint64)
        steps[0] = 1
        powers = _POWERS = np.cumprod(steps, dtype=np.uint64)
    return powers
