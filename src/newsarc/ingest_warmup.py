"""Imported by the extraction forkserver (only): lowers its CPU priority, then runs one
extraction at import time.

The extractor builds some state on first use (the language model, parsers); doing it once in
the forkserver means every worker forked from it starts warm. The workers inherit the
forkserver's lower priority (see ``lower_priority``).

Then everything the forkserver holds is frozen out of the garbage collector, as the ``gc``
documentation advises before forking: the workers' collections no longer walk (and so no
longer copy-on-write) the tens of thousands of objects of the imported modules, and the
forkserver itself exits at once instead of collecting them all at the end of a run.
"""

import gc

from newsarc.ingest_work import lower_priority, warm_up

lower_priority()
warm_up()
gc.freeze()
