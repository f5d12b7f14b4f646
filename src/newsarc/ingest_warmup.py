"""Imported by the extraction forkserver (only): lowers its CPU priority, then runs one
extraction at import time.

The extractor builds some state on first use (the language model, parsers); doing it once in
the forkserver means every worker forked from it starts warm. The workers inherit the
forkserver's lower priority (see ``lower_priority``).
"""

from newsarc.ingest_work import lower_priority, warm_up

lower_priority()
warm_up()
