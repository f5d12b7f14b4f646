"""newsarc's own forkserver: the extraction workers fork from a server no other code shares.

multiprocessing keeps one forkserver per process, and its preload setting is global. When
newsarc used it, its preload (the warmed-up extractor, nice 10, Ctrl-C ignored) stayed with
the server after a run, and every forkserver pool the caller's own code made later inherited
it; a server the caller had started first would have served newsarc's workers cold and at
full priority. Here newsarc makes a second ``multiprocessing.forkserver.ForkServer`` and a
context whose processes are launched through it. The server side is the stdlib's own
(``forkserver.main``); only the launch, ``popen_forkserver.Popen._launch`` (unchanged from
Python 3.8 to 3.13), is repeated, with one difference: the workers are not told to import the
parent's ``__main__``. They run only newsarc's functions, and a script read from stdin
(``python - < script.py``, ``ssh host python -``) has a ``__main__`` no process can import
again (its file is "<stdin>"): every page failed with "the extraction worker died".

None of these pieces is documented API. :func:`context` checks that they are all there and
returns None when one is missing; the caller then uses the shared forkserver as before
(``ingest_runners.process_context``), and extracts in a thread when ``__main__`` cannot be
imported again (:func:`main_reimportable`).

The server stays up once started, for the next run's workers, until this process exits (it
ends when the last holder of its "alive" pipe does, as the stdlib's own server does).
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

# What spawn's preparation data says about the parent's __main__ (see spawn.prepare).
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")

try:  # not on Windows: there is no forkserver there
    from multiprocessing import forkserver as _forkserver
    from multiprocessing import popen_forkserver as _popen_forkserver
    from multiprocessing import reduction as _reduction
    from multiprocessing import spawn as _spawn
    from multiprocessing import util as _util
    from multiprocessing.context import ForkServerContext as _BaseContext
    from multiprocessing.context import ForkServerProcess as _BaseProcess
    from multiprocessing.context import set_spawning_popen as _set_spawning_popen

    _POSIX = True
except ImportError:  # pragma: no cover - Windows
    _POSIX = False

_lock = threading.Lock()
_server: Any = None  # the ForkServer, made by the first context() call


def _parts_present() -> bool:
    """True when every stdlib piece the launch below uses is where it was in 3.8-3.13."""
    if not _POSIX:
        return False
    names = {
        _forkserver: ("ForkServer", "read_signed"),
        _spawn: ("get_preparation_data",),
        _util: ("Finalize", "close_fds"),
        _reduction: ("dump",),
        _popen_forkserver.Popen: ("_launch", "duplicate_for_child"),
    }
    if not all(hasattr(owner, name) for owner, items in names.items() for name in items):
        return False
    server_api = ("ensure_running", "connect_to_new_process", "set_forkserver_preload")
    return all(hasattr(_forkserver.ForkServer, name) for name in server_api)


if _POSIX:

    class _Popen(_popen_forkserver.Popen):  # type: ignore[misc,name-defined]
        """The stdlib's forkserver launch, through newsarc's server, without ``__main__``."""

        def _launch(self, process_obj: Any) -> None:
            prep_data = _spawn.get_preparation_data(process_obj._name)
            for key in _MAIN_KEYS:
                prep_data.pop(key, None)
            buf = io.BytesIO()
            _set_spawning_popen(self)
            try:
                _reduction.dump(prep_data, buf)
                _reduction.dump(process_obj, buf)
            finally:
                _set_spawning_popen(None)
            self.sentinel, w = _server.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
            # As the stdlib: a duplicate of the data pipe's write end is the parent's
            # sentinel, which the child watches.
            parent_w = os.dup(w)
            close_fds = getattr(_util, "close_fds")  # noqa: B009 (not in the type stubs)
            self.finalizer = _util.Finalize(self, close_fds, (parent_w, self.sentinel))
            with open(w, "wb", closefd=True) as f:
                f.write(buf.getbuffer())
            self.pid = _forkserver.read_signed(self.sentinel)

    class _Process(_BaseProcess):  # type: ignore[misc,valid-type]
        """A process started by newsarc's forkserver (module level: it is pickled)."""

        @staticmethod
        def _Popen(process_obj: Any) -> Any:
            return _Popen(process_obj)

    class _Context(_BaseContext):  # type: ignore[misc,valid-type]
        """The forkserver context, with its processes from newsarc's server."""

        Process = _Process


def context(preload: Sequence[str], start: Callable[[Callable[[], None]], None]) -> Any:
    """The multiprocessing context of newsarc's forkserver (None where it cannot be had).

    The first call makes the server with ``preload``; ``start(ensure_running)`` is then
    called to start it (the caller lowers the starting thread's priority first).
    """
    global _server
    if not _parts_present():
        return None
    with _lock:
        if _server is None:
            server = _forkserver.ForkServer()
            server.set_forkserver_preload(list(preload))
            _server = server
    start(_server.ensure_running)
    return _Context()


def processes_usable() -> bool:
    """Whether extraction can run in worker processes: through newsarc's server, or through
    the shared one (or spawn) when those processes can import ``__main__`` again."""
    return _parts_present() or main_reimportable()


def main_reimportable() -> bool:
    """Whether a process of the shared forkserver could import this program's ``__main__``
    again, as it does before running anything (a script read from stdin cannot be)."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True  # python -m: imported by name
    path = getattr(main, "__file__", None)
    if path is None:  # python -c, the interactive interpreter: nothing to import
        return True
    from multiprocessing import process

    return os.path.isfile(os.path.join(getattr(process, "ORIGINAL_DIR", None) or "", path))


__all__ = ["context", "main_reimportable", "processes_usable"]
