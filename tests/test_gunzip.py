"""The streaming gunzip under WARC and sitemap reading: same bytes as gzip, damage reported."""

from __future__ import annotations

import functools
import gzip
import io
import random
import zlib

import pytest

from newsarc.sources.gunzip import CHUNK, Gunzip, GzipDamaged, gunzip_head


@functools.cache
def _members() -> tuple[bytes, bytes]:
    """(gzip data of several members, what they decompress to)."""
    rng = random.Random(5)
    parts = [
        b"".join(
            rng.choice([b"news ", b"page ", b"\n", bytes([rng.randrange(256)])]) for _ in range(n)
        )
        for n in (0, 1, 10, 40_000, 3 * CHUNK)
    ]
    return b"".join(gzip.compress(part) for part in parts), b"".join(parts)


def _read_all(reader: Gunzip, size: int) -> bytes:
    out = []
    while chunk := reader.read(size):
        out.append(chunk)
    return b"".join(out)


@pytest.mark.parametrize("size", [-1, 1, 7, 4096, 256 * 1024])
def test_multi_member_data_comes_out_whole(size: int) -> None:
    data, plain = _members()
    assert _read_all(Gunzip(io.BytesIO(data)), size) == plain


def test_reads_never_exceed_the_size_asked() -> None:
    data, _ = _members()
    reader = Gunzip(io.BytesIO(data))
    while chunk := reader.read(1000):
        assert len(chunk) <= 1000


def _recoverable(data: bytes) -> bytes:
    """What the stdlib inflater gets out of (possibly cut) gzip members."""
    out = []
    while data:
        inflater = zlib.decompressobj(wbits=31)
        out.append(inflater.decompress(data))
        data = inflater.unused_data
    return b"".join(out)


@pytest.mark.parametrize("cut", [1, 100, 5000])
def test_truncated_data_hands_over_what_it_holds_then_raises(cut: int) -> None:
    data, _ = _members()
    reader = Gunzip(io.BytesIO(data[:-cut]))
    got = []
    with pytest.raises(GzipDamaged, match="truncated"):
        while chunk := reader.read(4096):
            got.append(chunk)
    assert b"".join(got) == _recoverable(data[:-cut])


def test_corrupt_data_raises() -> None:
    data = bytearray(gzip.compress(b"x" * 10_000 + bytes(range(256)) * 50))
    data[20:40] = b"\xff" * 20
    with pytest.raises(GzipDamaged, match="bad gzip data"):
        _read_all(Gunzip(io.BytesIO(bytes(data))), 4096)


def test_empty_input_is_a_clean_end() -> None:
    assert Gunzip(io.BytesIO(b"")).read() == b""


def test_gunzip_head_stops_at_its_size() -> None:
    data, plain = _members()
    assert gunzip_head(data, 1000) == (plain[:1000], None)
    assert gunzip_head(data, len(plain) + 10) == (plain, None)
    bomb = gzip.compress(b"\0" * 50_000_000)
    head, damage = gunzip_head(bomb, CHUNK + 5)
    assert (len(head), damage) == (CHUNK + 5, None)


def test_gunzip_head_keeps_what_came_before_damage() -> None:
    data, plain = _members()
    head, damage = gunzip_head(data[: len(data) // 2], len(plain))
    assert damage and plain.startswith(head) and len(head) > 0


def _stored_member(size: int, seed: int) -> bytes:
    """A gzip member of exactly ``size`` compressed bytes (stored, level 0), starting with
    "WARC/" like a record of a .warc.gz."""
    rng = random.Random(seed)
    for length in range(size, 0, -1):
        member = gzip.compress(b"WARC/" + rng.randbytes(length), compresslevel=0, mtime=0)
        if len(member) == size:
            return member
    raise AssertionError(size)


def _damaged(member: bytes) -> bytes:
    """``member`` with bytes in its middle overwritten: its check fails when read."""
    middle = len(member) // 2
    return member[:middle] + b"\xaa" * 16 + member[middle + 16 :]


@pytest.mark.parametrize(
    "damaged_size",
    [
        300,  # the next member's header is found in the first chunk read
        CHUNK,  # ... straddles the first two chunks read after the damaged member's start
        3 * CHUNK + 11,  # ... lies chunks further on
    ],
)
def test_reading_goes_on_at_the_member_after_the_damaged_one(damaged_size: int) -> None:
    first, bad, last = (_stored_member(n, seed) for seed, n in enumerate((500, damaged_size, 400)))
    data = first + _damaged(bad) + last
    reader = Gunzip(io.BytesIO(data))
    got = b""
    with pytest.raises(GzipDamaged, match="bad gzip data"):
        while chunk := reader.read(4096):
            got += chunk
    assert got.startswith(gzip.decompress(first))
    assert reader.member_start == len(first)
    assert reader.skip_to_member(b"WARC/") == len(first) + len(bad)
    assert _read_all(reader, 4096) == gzip.decompress(last)


def test_no_member_after_the_damage_is_the_end() -> None:
    """Damage in the last member, a member that does not start as asked, and a look-alike
    of a gzip header inside the data are no place to go on from."""
    other = gzip.compress(b"not a record", mtime=0)
    lookalike = _stored_member(600, 9).replace(b"WARC/", b"WARC/\x1f\x8b\x08", 1)
    for data in (
        _stored_member(500, 1) + _damaged(_stored_member(700, 2)),
        _stored_member(500, 1) + _damaged(_stored_member(700, 2)) + other,
        _damaged(lookalike),
    ):
        reader = Gunzip(io.BytesIO(data))
        with pytest.raises(GzipDamaged):
            _read_all(reader, 4096)
        assert reader.skip_to_member(b"WARC/") is None
        assert reader.read() == b""
