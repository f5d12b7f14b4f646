"""Imported by the extraction forkserver (only): lowers its CPU priority, then runs one
extraction at import time.

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

from newsarc.ingest_work import lower_priority, warm_up

signal.signal(signal.SIGINT, signal.SIG_IGN)
lower_priority()
warm_up()
gc.freeze()
atexit.register(os._exit, 0)
