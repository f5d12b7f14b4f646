"""Imported by the extraction forkserver (only): runs one extraction at import time.

The extractor builds some state on first use (the language model, parsers); doing it once in
the forkserver means every worker forked from it starts warm.
"""

from newsarc.ingest_work import warm_up

warm_up()
