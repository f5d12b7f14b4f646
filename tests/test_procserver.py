"""newsarc's own extraction forkserver (newsarc.procserver) as a Python caller meets it: a
script read from stdin can ingest, the caller's own forkserver pools never get newsarc's
preload, priority or Ctrl-C handling (before or after a run), and importing every submodule
(as documentation tools do) changes nothing in the importing process."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsarc.ingest_pool import Extractors
from newsarc.ingest_work import WORKER_NICENESS
from tests.test_ingest import article_page

BOUND = 120  # seconds any one subprocess of these tests may take


def serve_stories(server: HTTPServer, count: int, tmp_path: Path) -> Path:
    """``count`` article pages on ``server``; the URL list naming them."""
    urls = []
    for n in range(count):
        server.expect_request(f"/news/{n}.html").respond_with_data(
            article_page(n), content_type="text/html; charset=utf-8"
        )
        urls.append(server.url_for(f"/news/{n}.html"))
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls) + "\n")
    return listing


def run_python(script: str, *, stdin: bool = False, timeout: float = BOUND):
    """Run ``script`` with this interpreter: as ``python - < script`` when ``stdin``."""
    source = textwrap.dedent(script)
    args = [sys.executable, "-"] if stdin else [sys.executable, "-c", source]
    return subprocess.run(
        args,
        input=source if stdin else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


INGEST = """
    from newsarc import open_db
    from newsarc.ingest import Ingester, IngestOptions, Source
    from newsarc.store import close
    if __name__ == "__main__":
        db = open_db({db!r})
        s = Ingester(db, IngestOptions(delay=0, workers=2)).run([Source("urls", {urls!r})])
        close(db)
        print(s.new, s.failed)
"""


def test_a_script_read_from_stdin_ingests_in_worker_processes(server, tmp_path) -> None:
    urls = serve_stories(server, 3, tmp_path)
    run = run_python(INGEST.format(db=str(tmp_path / "a.db"), urls=str(urls)), stdin=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["3", "0"], run.stderr
    assert "Traceback" not in run.stderr


def test_workers_do_not_import_the_callers_main_module(tmp_path) -> None:
    # An unguarded script would run again in every worker (the shared forkserver imports
    # __main__ by path): newsarc's workers never import it.
    marker = tmp_path / "imported"
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(f"""
        import os, pathlib
        pathlib.Path({str(marker)!r}, str(os.getpid())).touch()
        from newsarc.ingest_runners import process_context
        from newsarc.procpool import ProcessPool
        if __name__ == "__main__":
            pool = ProcessPool(2, process_context())
            print(pool.submit(os.getpid).result(timeout=60))
            pool.shutdown(wait=True)
        """)
    )
    marker.mkdir()
    run = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=BOUND
    )
    assert run.returncode == 0, run.stderr
    assert [p.name for p in marker.iterdir()] != [] and run.stdout.strip() not in {
        p.name for p in marker.iterdir()
    }


PROBE = """
import os, signal, sys
def probe(_):
    return (os.nice(0), signal.getsignal(signal.SIGINT) is signal.default_int_handler,
            "newsarc.ingest_warmup" in sys.modules)
"""


def run_script(tmp_path: Path, script: str):
    """Run ``script`` as a file beside the module ``probes`` (PROBE), which every process
    of either forkserver can import."""
    (tmp_path / "probes.py").write_text(PROBE)
    path = tmp_path / "script.py"
    path.write_text(textwrap.dedent(script))
    return subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=BOUND
    )


def test_the_callers_forkserver_pools_are_not_newsarcs(server, tmp_path) -> None:
    urls = serve_stories(server, 2, tmp_path)
    script = textwrap.dedent(INGEST.format(db=str(tmp_path / "b.db"), urls=str(urls))) + (
        "    import multiprocessing, probes\n"
        "    with multiprocessing.get_context('forkserver').Pool(2) as pool:\n"
        "        print(sorted(set(pool.map(probes.probe, range(4)))))\n"
    )
    run = run_script(tmp_path, script)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["2", "0"]
    # Not niced, Ctrl-C its default, and not newsarc's preload.
    assert lines[1] == f"[({os.nice(0)}, True, False)]", run.stderr


def test_newsarc_workers_are_its_own_when_the_caller_started_a_forkserver_first(
    tmp_path,
) -> None:
    script = """
        import multiprocessing, probes
        if __name__ == "__main__":
            with multiprocessing.get_context("forkserver").Pool(1) as pool:
                print(pool.map(probes.probe, [0]))
            from newsarc.ingest_runners import process_context
            from newsarc.procpool import ProcessPool
            workers = ProcessPool(1, process_context())
            print([workers.submit(probes.probe, 0).result(timeout=60)])
            workers.shutdown(wait=True)
    """
    run = run_script(tmp_path, script)
    assert run.returncode == 0, run.stderr
    mine, newsarcs = run.stdout.splitlines()
    assert mine == f"[({os.nice(0)}, True, False)]"
    # newsarc's worker: from the warmed-up server, niced, Ctrl-C ignored.
    assert newsarcs == f"[({min(os.nice(0) + WORKER_NICENESS, 19)}, False, True)]"


def test_importing_every_submodule_changes_nothing_in_the_importer() -> None:
    # pdoc, Sphinx and pytest --doctest-modules import every submodule.
    script = """
        import os, pkgutil, signal, sys
        import newsarc
        for m in pkgutil.walk_packages(newsarc.__path__, "newsarc."):
            if not m.name.endswith("__main__"):
                __import__(m.name)
        assert "newsarc.ingest_warmup" in sys.modules
        print(os.nice(0), signal.getsignal(signal.SIGINT) is signal.default_int_handler)
        sys.exit(5)
    """
    run = run_python(script)
    assert run.returncode == 5, run.stderr  # no atexit os._exit(0)
    assert run.stdout.split() == [str(os.nice(0)), "True"]


def test_without_the_stdlib_pieces_the_shared_forkserver_is_used(monkeypatch) -> None:
    # The fallback: newsarc's server needs undocumented multiprocessing internals.
    from multiprocessing import spawn

    from newsarc import procserver

    monkeypatch.delattr(spawn, "get_preparation_data")
    assert procserver.context(["os"], lambda ensure: None) is None
    monkeypatch.undo()
    assert procserver.context(["os"], lambda ensure: None) is not None


def test_without_them_a_main_that_cannot_be_imported_again_extracts_in_a_thread(
    monkeypatch, caplog
) -> None:
    from newsarc import procserver

    monkeypatch.setattr(procserver, "_parts_present", lambda: False)
    monkeypatch.setattr(sys.modules["__main__"], "__file__", "<stdin>", raising=False)
    monkeypatch.setattr(sys.modules["__main__"], "__spec__", None, raising=False)
    with caplog.at_level(logging.INFO, logger="newsarc"):
        pool = Extractors(2)
    pool.shutdown()
    assert pool.workers == 1
    assert "extracting in one thread" in caplog.text


@pytest.mark.parametrize(("file", "expected"), [(None, True), ("<stdin>", False), (__file__, True)])
def test_main_reimportable(monkeypatch, file, expected) -> None:
    from newsarc import procserver

    main = sys.modules["__main__"]
    monkeypatch.setattr(main, "__spec__", None, raising=False)
    if file is None:
        monkeypatch.delattr(main, "__file__", raising=False)
    else:
        monkeypatch.setattr(main, "__file__", file, raising=False)
    assert procserver.main_reimportable() is expected


def test_the_fallback_runs_workers_from_the_shared_forkserver_as_before(tmp_path) -> None:
    script = """
        import probes
        from newsarc import procserver
        procserver._parts_present = lambda: False  # as on a Python without the pieces
        if __name__ == "__main__":
            from multiprocessing import forkserver
            from newsarc.ingest_runners import process_context
            from newsarc.procpool import ProcessPool
            workers = ProcessPool(1, process_context())
            print([workers.submit(probes.probe, 0).result(timeout=60)])
            workers.shutdown(wait=True)
            print(forkserver._forkserver._forkserver_pid is not None)
    """
    run = run_script(tmp_path, script)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"[({min(os.nice(0) + WORKER_NICENESS, 19)}, False, True)]",
        "True",  # the shared server it started
    ]
