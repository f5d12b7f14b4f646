"""The language model's cached copy: the same identifier as py3langid's own loader, whether
the copy is written, read, damaged, turned off or cannot be written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from newsarc import langmodel

SAMPLES = [
    "The council approved the budget after a long debate on Tuesday evening.",
    "Der Bundestag hat am Donnerstag über den Haushalt für das kommende Jahr beraten.",
    "Москва заявила о готовности продолжить переговоры на следующей неделе.",
    "東京都は火曜日、新しい防災計画を発表した。",
    "La mairie a annoncé la fermeture de la piscine pour travaux jusqu'en septembre.",
]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A cache folder of this test, and no identifier loaded yet in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSARC_CACHE_DIR", str(folder))
    langmodel._load.cache_clear()
    yield folder
    langmodel._load.cache_clear()


def _same(ours: LanguageIdentifier, theirs: LanguageIdentifier) -> None:
    assert ours.nb_ptc.dtype == theirs.nb_ptc.dtype and (ours.nb_ptc == theirs.nb_ptc).all()
    assert (ours.nb_pc == theirs.nb_pc).all()
    assert ours.nb_classes == theirs.nb_classes
    assert ours.tk_nextmove.typecode == theirs.tk_nextmove.typecode
    assert ours.tk_nextmove == theirs.tk_nextmove
    assert ours.tk_row == theirs.tk_row
    assert ours.tk_output == theirs.tk_output
    for text in SAMPLES:
        assert ours.classify(text) == theirs.classify(text)


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("py3langid-*.npz.zst"))


def test_the_first_load_writes_the_copy_and_the_next_reads_it(fresh, reference) -> None:
    _same(langmodel.identifier(), reference)
    [copy] = _copies(fresh)
    written = copy.stat().st_mtime_ns
    langmodel._load.cache_clear()
    _same(langmodel.identifier(), reference)
    assert _copies(fresh) == [copy] and copy.stat().st_mtime_ns == written  # read, not rewritten


def test_a_damaged_copy_is_replaced(fresh, reference) -> None:
    langmodel.identifier()
    [copy] = _copies(fresh)
    copy.write_bytes(copy.read_bytes()[:1000])  # cut short, as by a full disk
    langmodel._load.cache_clear()
    _same(langmodel.identifier(), reference)
    langmodel._load.cache_clear()
    assert langmodel._read_copy(copy) is not None  # whole again


def test_an_older_copy_is_removed(fresh, reference) -> None:
    fresh.mkdir()
    old = fresh / "py3langid-0.0.1-1-1.npz.zst"
    old.write_bytes(b"from an older py3langid")
    _same(langmodel.identifier(), reference)
    assert len(_copies(fresh)) == 1 and not old.exists()


def test_an_empty_cache_dir_setting_turns_the_copy_off(fresh, monkeypatch, reference) -> None:
    monkeypatch.setenv("NEWSARC_CACHE_DIR", "")
    assert langmodel.cache_dir() is None
    _same(langmodel.identifier(), reference)
    assert not fresh.exists()


def test_a_cache_that_cannot_be_written_is_no_error(fresh, reference) -> None:
    fresh.write_text("a file where the folder should be")
    _same(langmodel.identifier(), reference)
    assert not list(fresh.parent.glob("*.part"))


def test_the_default_cache_is_under_xdg_cache_home(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("NEWSARC_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert langmodel.cache_dir() == tmp_path / "newsarc"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored (XDG spec)
    assert langmodel.cache_dir() == Path.home() / ".cache" / "newsarc"


def test_every_install_of_one_release_shares_the_copy(fresh, tmp_path) -> None:
    """Each virtualenv's model file has its own time: the copy is named by release and size
    only, so two installs do not replace each other's copy in turn."""
    import os
    import shutil

    from py3langid.langid import MODEL_DIR

    shipped = Path(MODEL_DIR) / MODEL_FILE
    other = tmp_path / "other-venv" / shipped.name
    other.parent.mkdir()
    shutil.copyfile(shipped, other)
    os.utime(other, ns=(1_000_000_000, 1_000_000_000))
    assert langmodel._copy_path(other) == langmodel._copy_path(shipped) is not None
