"""Near-duplicate links between claims of different outlets, found as claims are indexed and
kept in the ledger: what "same claim in N outlets" and the widest-spread claims are counted from."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from workbench.ledger import Ledger


def add_links(ledger: Ledger, links: Sequence[tuple[str, str, float]], model: str) -> None:
    """Store near-duplicate pairs (both directions) of claims from different outlets; pairs
    of one outlet are left out.

    A claim is linked once, as it is indexed, to the claims indexed before it, so no pair comes
    twice; a claim indexed again (its index lost in a crash) has its links forgotten first.
    """
    pairs = {(a, b): s for a, b, s in links if a != b}
    pairs |= {(b, a): s for (a, b), s in pairs.items()}
    if not pairs:
        return
    frame = pd.DataFrame(
        [(a, b, s, model) for (a, b), s in pairs.items()],
        columns=["claim_id", "other_id", "score", "model"],
    )
    with ledger.transaction() as db:
        db.register("incoming", frame)
        db.execute(
            "INSERT INTO links "
            "WITH outlets AS (SELECT c.claim_id, a.outlet FROM claims c "
            "  JOIN articles a USING (article_id) "
            "  WHERE c.claim_id IN (SELECT claim_id FROM incoming)) "
            "SELECT i.* FROM incoming i "
            "JOIN outlets o ON o.claim_id = i.claim_id "
            "JOIN outlets other ON other.claim_id = i.other_id "
            "WHERE o.outlet <> other.outlet"
        )
        db.unregister("incoming")


def clear_links(ledger: Ledger) -> None:
    """Forget every link (the index they were found with is rebuilt)."""
    with ledger.transaction() as db:
        db.execute("DELETE FROM links")


def forget_links(ledger: Ledger, claim_ids: Sequence[str]) -> None:
    """Forget the links to and from these claims (they are about to be linked again)."""
    with ledger.transaction() as db:
        db.execute(
            "DELETE FROM links WHERE list_contains($ids, claim_id) "
            "OR list_contains($ids, other_id)",
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
