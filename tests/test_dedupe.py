"""Near-duplicate detection on a real news story and edited copies of it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarc import dedupe
from newsarc.dedupe import (
    MIN_WORDS,
    THRESHOLD,
    band_keys,
    deserialize,
    headlines_agree,
    is_near_duplicate,
    overlap,
    serialize,
    shingles,
    signature,
    similarity,
    words,
)
from newsarc.errors import StoreError
from tests.conftest import fixture_path

SEED = fixture_path("seed.txt").read_text(encoding="utf-8")

# Another outlet's story on the same event, written independently.
OTHER_STORY = """Long lines of cars stretched for miles at the Upper Lars crossing on Georgia's
northern border on Tuesday, as Russian men of fighting age tried to leave the country after
President Vladimir Putin ordered a partial mobilisation of reservists for the war in Ukraine.
Georgian officials said the number of people entering from Russia had roughly doubled within a
week, with some travellers waiting more than two days in the mountains before reaching passport
control. Volunteers handed out water and food to families sleeping in their vehicles.
In Tbilisi, rents rose sharply as new arrivals looked for flats, and several cafes began offering
discounts to people who had just crossed. Some Georgians, remembering the 2008 war with Russia,
staged a small protest calling for the border to be closed.
The Kremlin has denied that men are being stopped at the frontier, but regional authorities in
North Ossetia said a draft office had been opened near the checkpoint to hand out call-up papers
to those trying to leave."""

TRAILER = (
    "This story first appeared on example.net. Follow us on Twitter and Facebook for more "
    "world news. Copyright 2022 Example Media. All rights reserved."
)


def body_lines() -> list[str]:
    """The seed story without its title line and its "Source link" trailer."""
    lines = SEED.splitlines()[1:]
    return [line for line in lines if line.strip() != "Source link"]


def scraped_copy() -> str:
    """What a scraper site makes of it: its own trailer, no READ MORE box, 3 words edited."""
    text = "\n".join(line for line in body_lines() if not line.startswith("READ MORE"))
    text = text.replace("tens of thousands", "thousands", 1)
    text = text.replace("devastating", "deadly").replace("On Monday", "On Tuesday")
    return f"{text}\n{TRAILER}"


def test_fixture_is_the_seed_story() -> None:
    assert SEED.startswith("Russia news: Men fleeing to Georgia")
    assert len(words(SEED)) > 300


def test_identical_text_has_similarity_one() -> None:
    assert similarity(signature(SEED), signature(SEED)) == 1.0
    assert is_near_duplicate(signature(SEED), signature(SEED))


def test_copy_without_title_and_source_link_is_a_near_duplicate() -> None:
    a, b = signature(SEED), signature("\n".join(body_lines()))
    assert similarity(a, b) > 0.9
    assert is_near_duplicate(a, b)


def test_scraped_copy_with_other_boilerplate_and_edits_is_a_near_duplicate() -> None:
    copy = scraped_copy()
    assert copy != SEED and TRAILER in copy and "deadly" in copy
    a, b = signature(SEED), signature(copy)
    assert is_near_duplicate(a, b)
    assert THRESHOLD <= similarity(a, b) < 1.0


def test_different_story_on_the_same_topic_is_not_a_near_duplicate() -> None:
    a, b = signature(SEED), signature(OTHER_STORY)
    assert len(words(OTHER_STORY)) >= MIN_WORDS
    assert similarity(a, b) < 0.1
    assert not is_near_duplicate(a, b)
    assert not set(band_keys(a)) & set(band_keys(b))


def test_same_story_plus_a_long_other_article_is_not_a_near_duplicate() -> None:
    # A page that carries the story and then twice as much other text is not "the same".
    combined = SEED + "\n" + OTHER_STORY + "\n" + OTHER_STORY.replace("Tuesday", "Wednesday")
    padded = combined + "\n" + " ".join(f"filler{i} word{i}" for i in range(300))
    assert not is_near_duplicate(signature(SEED), signature(padded))


def test_band_keys_collide_for_near_duplicates() -> None:
    for copy in ("\n".join(body_lines()), scraped_copy()):
        shared = set(band_keys(signature(SEED))) & set(band_keys(signature(copy)))
        assert shared, copy[:60]


def test_formatting_changes_do_not_matter() -> None:
    shouted = SEED.upper().replace("’", "'").replace("\n\n", "\n").replace(",", " ,")
    assert signature(shouted) == signature(SEED)


def test_short_bodies_are_never_near_duplicates() -> None:
    stub = "Subscribe to continue reading. " * 4 + "Already a subscriber? Sign in here."
    assert len(words(stub)) < MIN_WORDS
    assert signature(stub) == []
    assert band_keys(signature(stub)) == []
    assert similarity(signature(stub), signature(stub)) == 0.0
    assert not is_near_duplicate(signature(stub), signature(stub))
    assert not is_near_duplicate(signature(stub), signature(SEED))


def test_the_short_rule_starts_at_min_words() -> None:
    text = " ".join(f"w{i}" for i in range(MIN_WORDS))
    assert signature(" ".join(text.split()[:-1])) == []
    assert len(signature(text)) == 128


def test_text_without_spaces_counts_each_character() -> None:
    chinese = "俄罗斯宣布部分动员后大批男子前往格鲁吉亚边境排起长队等待入境" * 3
    assert len(words(chinese)) == len(chinese)
    assert len(signature(chinese)) == 128


def test_signature_shape_and_range() -> None:
    sig = signature(SEED, num_perm=64)
    assert len(sig) == 64
    assert all(isinstance(v, int) and 0 <= v < 2**32 for v in sig)
    # Row i does not depend on how many rows there are.
    assert signature(SEED)[:64] == sig


def test_signature_is_stable_across_releases() -> None:
    # Stored signatures are compared for years: a change here must bump the format version
    # and come with a migration that recomputes the stored band keys (as m006 did for 2).
    sig = signature(SEED)
    assert sig[:4] == [6915495, 9585923, 9492557, 16081634]
    assert band_keys(sig)[:2] == ["0:27b5a5729aadc8a2", "1:d85fc45dee5f817b"]
    assert serialize(sig)[0] == 2


def test_signature_is_the_same_in_other_processes() -> None:
    code = (
        "import json, sys; from newsarc.dedupe import signature, band_keys; "
        "s = signature(sys.stdin.read()); print(json.dumps([s, band_keys(s)]))"
    )
    results = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=SEED,
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        ).stdout
        results.append(json.loads(out))
    sig = signature(SEED)
    assert results[0] == results[1] == [sig, band_keys(sig)]


def test_band_keys_shape() -> None:
    sig = signature(SEED)
    keys = band_keys(sig)
    assert len(keys) == 16 == len(set(keys))
    assert [k.split(":")[0] for k in keys] == [str(i) for i in range(16)]
    assert len(band_keys(sig, bands=32)) == 32
    with pytest.raises(ValueError):
        band_keys(sig, bands=12)


def test_similarity_rejects_signatures_of_different_sizes() -> None:
    with pytest.raises(ValueError):
        similarity(signature(SEED), signature(SEED, num_perm=64))


def test_serialize_round_trip_is_compact() -> None:
    sig = signature(SEED)
    data = serialize(sig)
    assert len(data) == 1 + 4 * 128
    assert deserialize(data) == sig
    assert deserialize(serialize([])) == []


# version 1 (BLAKE2b per shingle) is foreign now: its values mean other shingles
@pytest.mark.parametrize("data", [b"", b"\x01" + b"\0" * 8, b"\x03" + b"\0" * 8, b"\x02abc"])
def test_deserialize_rejects_foreign_bytes(data: bytes) -> None:
    with pytest.raises(StoreError):
        deserialize(data)


def test_serialize_rejects_values_that_are_not_32_bit() -> None:
    with pytest.raises(ValueError):
        serialize([2**32])
    with pytest.raises(ValueError):
        serialize([-1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=256))
def test_serialize_round_trips_any_signature(sig: list[int]) -> None:
    assert deserialize(serialize(sig)) == sig


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=0, max_size=2000))
def test_any_text_gives_an_empty_or_full_signature(text: str) -> None:
    sig = signature(text, num_perm=32)
    assert sig == [] or (len(sig) == 32 and similarity(sig, signature(text, num_perm=32)) == 1.0)


def test_long_text_is_processed_in_blocks() -> None:
    # More shingles than one block: the result must equal a block-free reference.
    text = " ".join(f"token{i}" for i in range(5000))
    sig = signature(text, num_perm=16)
    assert len(sig) == 16
    hashes = dedupe._shingle_hashes(words(text))
    a, b = dedupe._coefficients(16)
    expected = [
        min(((int(a[r]) * int(h) + int(b[r])) % 2**64) >> 32 for h in hashes) for r in range(16)
    ]
    assert sig == expected


def reference_word_hash(word: str) -> int:
    """A word's hash computed the plain way: Horner's rule over its bytes, in Python ints."""
    constants = dedupe._constants()
    value = 0
    for byte in word.encode("utf-8"):
        value = (value * constants.base + int(constants.table[byte])) % 2**64
    return value


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1), min_size=5))
def test_vectorised_word_hashes_are_the_plain_polynomial(tokens: list[str]) -> None:
    assert dedupe._word_hashes(tokens).tolist() == [reference_word_hash(t) for t in tokens]


def test_word_hashes_of_long_and_non_latin_words() -> None:
    tokens = ["a", "x" * 300, "привет", "日", "y" * 70, "b"] + words(SEED)
    assert dedupe._word_hashes(tokens).tolist() == [reference_word_hash(t) for t in tokens]


def test_shingle_hashes_depend_on_word_order_and_every_word() -> None:
    tokens = words(SEED)[:60]
    hashes = dedupe._shingle_hashes(tokens).tolist()
    assert len(hashes) == len(tokens) - 4 == len(set(hashes))
    swapped = [tokens[1], tokens[0], *tokens[2:]]
    assert dedupe._shingle_hashes(swapped).tolist()[2:] == hashes[2:]
    assert not set(dedupe._shingle_hashes(swapped).tolist()[:2]) & set(hashes)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab_ -.\u00e9\u00df\u0130\ufb01\u4e2d\u0e01\uff3f\u2460\u00b2", max_size=80)
)
def test_words_are_the_runs_of_word_characters_but_the_underscore(text: str) -> None:
    folded = (
        text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    )
    spaced = dedupe._UNSPACED.sub(r" \1 ", folded.casefold())
    assert dedupe.words(text) == re.findall(r"[^\W_]+", spaced)


def test_exact_overlap_agrees_with_the_minhash_estimate() -> None:
    """The store confirms candidates with the exact Jaccard; the signature estimates it."""
    seed = shingles(SEED)
    for text in (SEED, "\n".join(body_lines()), scraped_copy(), OTHER_STORY, SEED + OTHER_STORY):
        exact = overlap(seed, shingles(text)).jaccard
        assert abs(exact - similarity(signature(SEED), signature(text))) < 0.12
    assert overlap(seed, seed) == (len(seed), 1.0)
    assert overlap(seed, shingles("too short")) == (0, 0.0)
    assert len(seed) == len(set(dedupe._shingle_hashes(words(SEED)).tolist()))


_U64S = st.sets(st.integers(min_value=0, max_value=2**64 - 1), max_size=60)


@given(_U64S, _U64S)
def test_overlap_counts_the_shared_values_exactly(a: set[int], b: set[int]) -> None:
    left, right = (np.array(sorted(v), dtype=np.uint64) for v in (a, b))
    shared = len(a & b)
    jaccard = shared / len(a | b) if a and b else 0.0
    assert overlap(left, right) == (shared if a and b else 0, jaccard)
    assert overlap(right, left) == overlap(left, right)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("Riverside library to close", "RIVERSIDE LIBRARY TO CLOSE!", True),
        ("MPs back plan", "MPs back plan, say reports", True),
        ("The zoo celebrated news", "The bus company will news", False),
        ("Mayor resigns after expenses inquiry", "Flood defences fail as river bursts", False),
        ("Brexit", "Brexit", True),
        ("Brexit", "Brexit talks", False),
        ("", "Anything", False),
    ],
)
def test_headlines_agree(a: str, b: str, agree: bool) -> None:
    assert headlines_agree(a, b) is agree
    assert headlines_agree(b, a) is agree
