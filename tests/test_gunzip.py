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
