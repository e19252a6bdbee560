"""Near-duplicate links between claims of different outlets, found as claims are indexed and
kept in the ledger: what "same claim in N outlets" and the widest-spread claims are counted from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa

if TYPE_CHECKING:  # the ledger deletes links with `delete_links` when an article is withdrawn
    from workbench.ledger import Ledger


def add_links(
    ledger: Ledger,
    claim_ids: Sequence[str] | np.ndarray,
    other_ids: Sequence[str],
    scores: Sequence[float] | np.ndarray,
    model: str,
    within: float = 0.0,
) -> None:
    """Store near-duplicate pairs (both directions, the higher score if a pair comes twice) of
    claims from different outlets; pairs of one outlet are left out, and so are pairs in one
    language that score under `within` (the threshold in one language, where pairs across two
    are related from a lower one: see `Bands.related_across`).

    A claim is linked once, as it is indexed, to the claims indexed before it, so no pair is
    stored twice; a claim indexed again (its index lost in a crash) has its links forgotten first.
    """
    if not len(claim_ids):
        return
    frame = pa.table({"claim_id": claim_ids, "other_id": other_ids, "score": scores})
    with ledger.transaction() as db:
        db.register("incoming", frame)
        db.execute(
            "INSERT INTO links "
            "WITH pairs AS (SELECT claim_id, other_id, max(score) AS score FROM ("
            "  SELECT claim_id, other_id, score FROM incoming "
            "  UNION ALL SELECT other_id, claim_id, score FROM incoming) "
            "  WHERE claim_id <> other_id GROUP BY ALL), "
            "outlets AS (SELECT c.claim_id, a.outlet, c.language FROM claims c "
            "  JOIN articles a USING (article_id) "
            "  WHERE c.claim_id IN (SELECT claim_id FROM pairs)) "
            "SELECT p.claim_id, p.other_id, p.score, ? FROM pairs p "
            "JOIN outlets o ON o.claim_id = p.claim_id "
            "JOIN outlets other ON other.claim_id = p.other_id "
            "WHERE o.outlet <> other.outlet "
            "AND (o.language <> other.language OR p.score >= ?)",
            [model, within],
        )
        db.unregister("incoming")


def clear_links(ledger: Ledger) -> None:
    """Forget every link (the index they were found with is rebuilt)."""
    with ledger.transaction() as db:
        db.execute("DELETE FROM links")


def forget_links(ledger: Ledger, claim_ids: Sequence[str]) -> None:
    """Forget the links to and from these claims (they are about to be linked again)."""
    with ledger.transaction() as db:
        delete_links(db, claim_ids)


def delete_links(db: duckdb.DuckDBPyConnection, claim_ids: Sequence[str]) -> None:
    """Within a transaction: delete the links to and from these claims."""
    db.execute(
        "DELETE FROM links WHERE list_contains($ids, claim_id) OR list_contains($ids, other_id)",
        {"ids": list(claim_ids)},
    )


def find_links(ledger: Ledger, claim_ids: Sequence[str], threshold: float) -> dict[str, list[str]]:
    """For each claim, the claims of other outlets linked to it at or above a score."""
    with ledger.connect() as db:
        rows = db.execute(
            "SELECT claim_id, other_id FROM links "
            "WHERE list_contains(?, claim_id) AND score >= ? ORDER BY claim_id, score DESC",
            [list(claim_ids), threshold],
        ).fetchall()
    linked: dict[str, list[str]] = {}
    for claim_id, other in rows:
        linked.setdefault(claim_id, []).append(other)
    return linked
