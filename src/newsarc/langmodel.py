"""py3langid's language model, loaded once per process from a fast copy in the user's cache.

The model ships as an xz-compressed npz (4.5 MB, 68 MB unpacked). Unpacking xz takes 0.3 s of
the 0.4 s py3langid needs to load it, in every process that detects a language: half of a
`newsarc fetch` of a saved page, and most of the extraction forkserver's warm-up, during which
an ingest's workers cannot start. zstd unpacks the same npz in 0.06 s, so the first load writes
it so (6.8 MB) to ``$XDG_CACHE_HOME/newsarc/`` (by default ``~/.cache/newsarc/``), named after
py3langid's version and the model file's size, and later loads read that copy (from any
virtualenv with that release).

The copy is only ever a cache: it is written atomically (a rename), and any failure (no cache
folder, a read-only home, a damaged copy, a py3langid release whose model has another layout)
falls back to unpacking the shipped file, or to py3langid's own loader. The result is
py3langid's ``LanguageIdentifier`` built from the same arrays its loader makes.
``NEWSARC_CACHE_DIR`` names another cache folder; set to an empty string, it turns the copy off.
"""

from __future__ import annotations

import io
import logging
import lzma
import os
import threading
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_SUFFIX = ".npz.zst"


def identifier() -> Any:
    """py3langid's ``LanguageIdentifier`` (probabilities normalised), loaded on first use."""
    with _LOCK:
        return _load()


def cache_dir() -> Path | None:
    """The folder the model's copy is kept in, or None when it is turned off."""
    chosen = os.environ.get("NEWSARC_CACHE_DIR")
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "newsarc"


@lru_cache(maxsize=1)
def _load() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    shipped = Path(MODEL_DIR) / MODEL_FILE
    if shipped.name.endswith(".npz.xz"):
        copy = _copy_path(shipped)
        try:
            parts = _parts(_read_copy(copy) or _unpack(shipped, copy))
            ptc, pc, classes, nextmove, row, output = parts
            return LanguageIdentifier(ptc, pc, classes, nextmove, output, True, tk_row=row)
        except (KeyError, TypeError, ValueError, OSError, lzma.LZMAError) as exc:
            log.debug("language model %s: loaded by py3langid (%s)", shipped, exc)
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _copy_path(shipped: Path) -> Path | None:
    """Where the copy of ``shipped`` for this py3langid is kept (None: no copy)."""
    import importlib.metadata

    folder = cache_dir()
    if folder is None:
        return None
    try:
        version = importlib.metadata.version("py3langid")
        size = shipped.stat().st_size
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    # Not the file's time: each install of one release (every virtualenv) has its own, and
    # they would replace each other's copy in turn.
    return folder / f"py3langid-{version}-{size}{_SUFFIX}"


def _read_copy(copy: Path | None) -> bytes | None:
    """The unpacked npz from the cached copy, or None when there is none or it is damaged."""
    import zstandard

    if copy is None:
        return None
    try:
        return zstandard.ZstdDecompressor().decompress(copy.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, zstandard.ZstdError) as exc:
        log.debug("language model copy %s unreadable (%s): unpacking the original", copy, exc)
        return None


def _unpack(shipped: Path, copy: Path | None) -> bytes:
    """The shipped model unpacked, and written to ``copy`` for the next process."""
    raw = lzma.decompress(shipped.read_bytes())
    if copy is not None:
        _write_copy(copy, raw)
    return raw


def _write_copy(copy: Path, raw: bytes) -> None:
    """Write the copy atomically and drop older ones; a failure only costs the next start."""
    import tempfile

    import zstandard

    part: str | None = None
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=copy.parent, suffix=".part", delete=False) as out:
            part = out.name
            out.write(zstandard.ZstdCompressor(level=3).compress(raw))
        os.replace(part, copy)
        part = None
        for old in copy.parent.glob(f"py3langid-*{_SUFFIX}"):
            if old != copy:
                old.unlink(missing_ok=True)
    except (OSError, zstandard.ZstdError) as exc:
        log.debug("language model copy %s not written (%s)", copy, exc)
    finally:
        if part is not None:
            Path(part).unlink(missing_ok=True)


def _parts(raw: bytes) -> tuple[Any, Any, list[str], array[int], array[int], list[int]]:
    """The model's parts from the unpacked npz, as py3langid's own loader makes them."""
    import numpy as np

    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return (
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _unsigned(data["nextmove"]),
            _unsigned(data["nextmove_row"]),
            data["out_feat"].tolist(),
        )


def _unsigned(values: Any) -> array[int]:
    """A NumPy array of unsigned integers as a stdlib array of the same item size."""
    codes = {2: "H", 4: "I", 8: "L"}
    if values.dtype.kind != "u" or values.dtype.itemsize not in codes:
        raise TypeError(f"unexpected model array type {values.dtype}")
    out = array(codes[values.dtype.itemsize])
    out.frombytes(values.tobytes())
    return out
