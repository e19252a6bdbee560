"""Many writers on one ledger at once: processes and threads recording verdicts, all counted."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.ledger import Ledger
from workbench.models import VerdictLabel
from workbench.verdicts import record_verdict


def _write(path: Path, claim_ids: Sequence[str], writer: str, writes: int, timeout: float) -> int:
    ledger = Ledger(path, lock_timeout=timeout)
    labels = list(VerdictLabel)
    for number in range(writes):
        record_verdict(
            ledger,
            claim_ids[number % len(claim_ids)],
            labels[number % 3],
            writer,
            f"write {number}",
        )
    return writes


def _process(
    path: Path, claim_ids: Sequence[str], name: str, threads: int, writes: int, timeout: float
) -> int:
    done: list[int] = []
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            done.append(_write(path, claim_ids, f"{name}-t{thread}", writes, timeout))
        except BaseException as error:  # reported to the parent, which fails the run
            errors.append(error)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return sum(done)


def run_writers(
    ledger: Ledger, processes: int, threads: int, writes: int, timeout: float = 60.0
) -> dict[str, Any]:
    """Record `writes` verdicts from each thread of each process; count what the ledger holds."""
    claim_ids = [row[0] for row in _sample_claims(ledger)]
    if not claim_ids:
        raise WorkbenchError("The ledger has no claims to record verdicts on; ingest some first.")
    before = _count(ledger)
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        results = [
            pool.apply_async(_process, (ledger.path, claim_ids, f"p{p}", threads, writes, timeout))
            for p in range(processes)
        ]
        sent = sum(result.get() for result in results)
    seconds = time.perf_counter() - started
    stored = _count(ledger) - before
    return {
        "processes": processes,
        "threads_per_process": threads,
        "writes_sent": sent,
        "writes_stored": stored,
        "lost": sent - stored,
        "seconds": round(seconds, 2),
        "writes_per_s": round(stored / seconds, 1),
    }


def _sample_claims(ledger: Ledger) -> list[tuple[str]]:
    with ledger.connect() as db:
        return db.execute("SELECT claim_id FROM claims ORDER BY claim_id LIMIT 50").fetchall()


def _count(ledger: Ledger) -> int:
    with ledger.connect() as db:
        row = db.execute("SELECT count(*) FROM verdicts").fetchone()
    return int(row[0]) if row else 0
