"""Verdicts: what reviewers decided, appended to the ledger and never edited; a claim's status is
its latest verdict (the view `current_verdicts`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from workbench.errors import NotFoundError, VerdictConflictError, WorkbenchError
from workbench.ledger import Ledger
from workbench.models import Verdict, VerdictLabel


def record_verdict(
    ledger: Ledger,
    claim_id: str,
    label: VerdictLabel,
    reviewer: str,
    note: str = "",
    evidence: Sequence[str] = (),
    seen_version: int | None = None,
) -> Verdict:
    """Append a verdict; earlier verdicts stay in the history.

    `seen_version` is the claim's version (its number of verdicts) that the reviewer looked at;
    if another verdict arrived since, nothing is written and VerdictConflictError names it.
    """
    if not reviewer.strip():
        raise WorkbenchError("A verdict needs the reviewer's name.")
    verdict = Verdict(
        verdict_id=uuid.uuid4().hex,
        claim_id=claim_id,
        label=VerdictLabel(label),
        reviewer=reviewer,
        note=note,
        created_at=datetime.now(UTC),
        evidence=tuple(evidence),
    )
    with ledger.transaction() as db:
        if not db.execute("SELECT 1 FROM claims WHERE claim_id = ?", [claim_id]).fetchone():
            raise NotFoundError(f"No claim with id {claim_id!r} in the ledger.")
        version, latest = _version(db, claim_id)
        if seen_version is not None and version != seen_version and latest:
            raise VerdictConflictError(
                f"Meanwhile {latest[0]} recorded {latest[1]!r} on this claim; "
                "look at it and submit again to add your verdict."
            )
        db.execute(
            "INSERT INTO verdicts (verdict_id, claim_id, verdict, reviewer, note, evidence, "
            "created_at, seen_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                verdict.verdict_id,
                claim_id,
                verdict.label.value,
                reviewer,
                note,
                list(verdict.evidence),
                verdict.created_at,
                version,
            ],
        )
    return verdict


def claim_version(ledger: Ledger, claim_id: str) -> int:
    """How many verdicts the claim has: the version a reviewer saw."""
    with ledger.connect() as db:
        return _version(db, claim_id)[0]


def verdict_history(ledger: Ledger, claim_id: str) -> list[Verdict]:
    """A claim's verdicts, oldest first."""
    rows = ledger.rows(
        "SELECT verdict_id, claim_id, verdict, reviewer, note, created_at, evidence "
        "FROM verdicts WHERE claim_id = ? ORDER BY created_at, verdict_id",
        [claim_id],
    )
    return [
        Verdict(v_id, c_id, VerdictLabel(label), reviewer, note, at, tuple(evidence))
        for v_id, c_id, label, reviewer, note, at, evidence in rows
    ]


def reviewers(ledger: Ledger) -> list[str]:
    """Everyone who has recorded a verdict, by name."""
    return [row[0] for row in ledger.rows("SELECT DISTINCT reviewer FROM verdicts ORDER BY 1")]


def _version(db: duckdb.DuckDBPyConnection, claim_id: str) -> tuple[int, tuple[str, str] | None]:
    count, reviewer, label = db.execute(
        "SELECT count(*), arg_max(reviewer, created_at), arg_max(verdict, created_at) "
        "FROM verdicts WHERE claim_id = ?",
        [claim_id],
    ).fetchone() or (0, None, None)
    return int(count), (reviewer, label) if reviewer else None
