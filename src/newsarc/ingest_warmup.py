"""Preloaded by the extraction forkserver: lowers its CPU priority, then runs one extraction
at import time. Imported anywhere else (pdoc, Sphinx and ``pytest --doctest-modules`` import
every submodule), it does nothing: every effect below is for that server only, and it checks
that it is being imported by ``multiprocessing.forkserver.main``'s preload
(:func:`in_forkserver_preload`).

The extractor builds some state on first use (the language model, parsers); doing it once in
the forkserver means every worker forked from it starts warm. The workers inherit the
forkserver's lower priority (see ``lower_priority``).

Then everything the forkserver holds is frozen out of the garbage collector, as the ``gc``
documentation advises before forking: the workers' collections no longer walk (and so no
longer copy-on-write) the tens of thousands of objects of the imported modules.

Ctrl-C is ignored from here on, by the forkserver and by every worker forked from it (the
forkserver hands its children the SIGINT disposition it had once its preloads were imported):
a terminal sends SIGINT to the whole process group, and only the ingest process decides what
it means (a clean stop, see ``newsarc.interrupt``). Without this a worker printed a
KeyboardInterrupt traceback from wherever it was.

Last, the forkserver is made to end at once when the run ends (it exits when the ingest
process closes its end of their pipe): it has nothing to flush or release, and tearing down
the extractor's modules took it 17-35 ms, during which it still held the ingest command's
stderr open (so a caller reading that to its end waited for it). The workers it forks end with
``os._exit`` in any case, so this handler never runs in them.
"""

import atexit
import gc
import os
import signal
import sys

_FRAMES = 64  # the preload's import is a few frames up: importlib's, then forkserver.main


def in_forkserver_preload() -> bool:
    """True when this module is being imported by the preload of a multiprocessing
    forkserver (``forkserver.main`` is on the stack), which is the only place it acts."""
    server = sys.modules.get("multiprocessing.forkserver")
    main = getattr(getattr(server, "main", None), "__code__", None)
    getframe = getattr(sys, "_getframe", None)  # CPython's and PyPy's; else no warm-up
    if main is None or getframe is None:
        return False  # multiprocessing.forkserver not even imported: no forkserver here
    frame = getframe(1)
    for _ in range(_FRAMES):
        if frame.f_code is main:
            return True
        if frame.f_back is None:
            return False
        frame = frame.f_back
    return False


def prepare_forkserver() -> None:
    """The forkserver's preparation, described above (once, at its preload)."""
    from newsarc.ingest_work import lower_priority, warm_up

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lower_priority()
    warm_up()
    gc.freeze()
    atexit.register(os._exit, 0)


if in_forkserver_preload():
    prepare_forkserver()
