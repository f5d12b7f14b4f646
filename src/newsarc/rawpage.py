"""Raw pages as the archive keeps them: compressed bytes, with the compression's name beside
them in ``pages.compression``. Pure, no I/O.

Its own module so that extraction workers can compress the page they have just extracted
(the batch writer then only stores the bytes) without importing the store.

New pages are written with Zstandard ("zstd"); archives from before hold "zlib" pages, which
stay readable and are never rewritten.
"""

from __future__ import annotations

import zlib

import zstandard

from newsarc.errors import StoreError

COMPRESSION = "zstd"  # the name written to pages.compression for new pages
# Measured on 93 real news pages (mean ~160 KB): zstd level 3 takes 0.38 ms a page for 5.2:1
# (decompression 0.14 ms); zlib level 4 took 1.5 ms for 4.9:1. Compressing was the largest
# cost of an extraction worker after the extraction itself.
LEVEL = 3
KNOWN = ("zstd", "zlib")


def compress(content: bytes) -> bytes:
    """``content`` as stored in the archive (a Zstandard frame that records its size)."""
    # A compressor object per call: they are cheap, and one must not be shared by threads.
    return zstandard.ZstdCompressor(level=LEVEL).compress(content)


def decompress(compression: str, blob: bytes, *, label: str = "page") -> bytes:
    """The page bytes of ``blob``, stored with ``compression``; StoreError if unreadable."""
    try:
        if compression == "zstd":
            return zstandard.ZstdDecompressor().decompress(blob)
        if compression == "zlib":
            return zlib.decompress(blob)
    except (zstandard.ZstdError, zlib.error) as exc:
        raise StoreError(f"{label}: damaged raw page ({compression}: {exc})") from None
    raise StoreError(f"{label}: unknown compression {compression!r}")
