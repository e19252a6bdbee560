"""Claim Workbench: find the same claim across outlets and languages, and record verdicts."""

import os

# OpenBLAS's threads spin for a while after each matrix product. The default encoder runs many
# single-threaded steps between its products, and the spinning thread held the second core that
# the ingest's other stages (splitting, the ledger, linking) could use meanwhile: letting it sleep
# sooner raised ingest on two cores from 716-741 to 876-923 claims/s, with the encoder's own rate
# unchanged (it used 1.5 cores instead of 2). OpenBLAS reads this when numpy loads it, so it is
# set before anything here imports numpy; a process that loaded numpy first keeps the default.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

__version__ = "0.1.0"
