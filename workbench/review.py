"""What the review desk looks at: the queue of claims, their spread and clusters, desk totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from workbench.ledger import Ledger

UNREVIEWED = "unreviewed"
PAGE_SIZE = 20  # claims on a page of the queue


@dataclass(frozen=True)
class QueueFilter:
    """Which claims the queue shows, and in what order ("spread" or "date")."""

    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    statuses: tuple[str, ...] = (UNREVIEWED,)
    since: date | None = None
    until: date | None = None
    search: str = ""
    cluster: str = ""
    sort: str = "spread"


SPREAD = """
    WITH reach AS (
        SELECT l.claim_id, a.outlet, c.language
          FROM links l JOIN live_claims c ON c.claim_id = l.other_id
          JOIN articles a USING (article_id)
         WHERE l.score >= $related
    ), spread AS (
        SELECT claim_id, count(DISTINCT outlet) AS other_outlets,
               list(DISTINCT language) AS other_languages
          FROM reach GROUP BY claim_id
    )
"""
# The queue's order is found over keys alone, then only the claims shown are read whole: a
# page at a million claims took 1.0 s when the sort carried every claim's text, 0.56 s without.
RANKED = """
    , ranked AS (
        SELECT c.claim_id, a.published, c.article_id, c.position,
               1 + coalesce(s.other_outlets, 0) AS outlets,
               CASE WHEN s.claim_id IS NULL THEN 1
                    ELSE len(list_distinct(list_append(s.other_languages, c.language))) END
                   AS languages
          FROM live_claims c JOIN articles a USING (article_id)
          LEFT JOIN current_verdicts v USING (claim_id)
          LEFT JOIN spread s USING (claim_id)
"""
QUEUE = """
    SELECT r.claim_id, c.text, a.outlet, c.language, a.event, a.published, c.article_id,
           c.is_headline, coalesce(v.verdict, 'unreviewed') AS status, v.reviewer,
           r.outlets, r.languages
      FROM ranked r JOIN claims c ON c.claim_id = r.claim_id
      JOIN articles a ON a.article_id = c.article_id
      LEFT JOIN current_verdicts v ON v.claim_id = r.claim_id
"""
ORDER = {
    "spread": ("outlets DESC", "languages DESC", "published DESC NULLS LAST", "claim_id"),
    "date": ("published DESC NULLS LAST", "article_id", "position", "claim_id"),
}
# Each filter's condition, added only when the filter is set: at a million claims, conditions
# that a set filter would need but an empty one passes took 0.4 s of every page.
CONDITIONS = {
    "outlets": "list_contains($outlets, a.outlet)",
    "languages": "list_contains($languages, c.language)",
    "events": "list_contains($events, a.event)",
    "statuses": "list_contains($statuses, coalesce(v.verdict, 'unreviewed'))",
    "since": "a.published >= $since",
    "until": "a.published <= $until",
    "search": "c.clean_text ILIKE '%' || $search || '%'",
    "members": "list_contains($members, c.claim_id)",
}


def review_queue(
    ledger: Ledger, chosen: QueueFilter, related: float, limit: int | None = None, offset: int = 0
) -> pd.DataFrame:
    """Claims matching the filter, with status and spread (outlets, languages carrying it):
    all of them, or `limit` from `offset` in the queue's order (a page)."""
    where, parameters = _where(ledger, chosen, related)
    parameters["related"] = related
    page = "" if limit is None else " LIMIT $limit OFFSET $offset"
    if limit is not None:
        parameters.update(limit=limit, offset=offset)
    order = ORDER[chosen.sort]
    sql = (
        f"{SPREAD}{RANKED}{where} ORDER BY {', '.join(order)}{page})"
        f"{QUEUE} ORDER BY {', '.join(f'r.{term}' for term in order)}"
    )
    with ledger.connect() as db:
        return db.execute(sql, parameters).df()


def queue_size(ledger: Ledger, chosen: QueueFilter, related: float) -> int:
    """How many claims the queue holds under the filter (its spread need not be counted)."""
    where, parameters = _where(ledger, chosen, related)
    sql = (
        "SELECT count(*) FROM live_claims c JOIN articles a USING (article_id) "
        "LEFT JOIN current_verdicts v USING (claim_id)"
    )
    with ledger.connect() as db:
        row = db.execute(sql + where, parameters).fetchone()
    return int(row[0]) if row else 0


def _where(ledger: Ledger, chosen: QueueFilter, related: float) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the set filters, and their parameters."""
    values: dict[str, Any] = {
        "outlets": list(chosen.outlets),
        "languages": list(chosen.languages),
        "events": list(chosen.events),
        "statuses": list(chosen.statuses),
        "since": chosen.since,
        "until": chosen.until,
        "search": chosen.search.strip(),
        "members": list(_cluster(ledger, ledger.stamp(), chosen.cluster, related))
        if chosen.cluster
        else [],
    }
    parameters = {name: value for name, value in values.items() if value}
    where = " AND ".join(CONDITIONS[name] for name in parameters)
    return (f" WHERE {where}" if where else ""), parameters


@lru_cache(maxsize=4)
def _cluster(
    ledger: Ledger, stamp: tuple[int, ...], claim_id: str, threshold: float
) -> tuple[str, ...]:
    """A cluster's members, read once while the ledger is unchanged: the queue's size, its page
    and the reviewer's working set each filter on them (0.1 s a read at a million claims)."""
    return tuple(sorted(cluster_members(ledger, claim_id, threshold)))


def cluster_members(ledger: Ledger, claim_id: str, threshold: float) -> set[str]:
    """The claim and every claim linked to it, directly or through others, at the threshold."""
    with ledger.connect() as db:
        rows = db.execute(
            "WITH RECURSIVE reach(claim_id) AS (SELECT ? UNION "
            "SELECT l.other_id FROM links l JOIN reach r ON l.claim_id = r.claim_id "
            "WHERE l.score >= ?) SELECT claim_id FROM reach",
            [claim_id, threshold],
        ).fetchall()
    return {row[0] for row in rows}


@dataclass(frozen=True)
class DeskTotals:
    articles: int
    claims: int
    reviewed: int
    outlets: int
    languages: int


def desk_totals(ledger: Ledger) -> DeskTotals:
    with ledger.connect() as db:
        row = db.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM live_claims), "
            "(SELECT count(DISTINCT claim_id) FROM verdicts), "
            "(SELECT count(DISTINCT outlet) FROM articles), "
            "(SELECT count(DISTINCT language) FROM live_claims)"
        ).fetchone()
    assert row is not None
    return DeskTotals(*(int(value) for value in row))


def verdicts_by(ledger: Ledger, column: str) -> pd.DataFrame:
    """Current verdicts counted by outlet or by language: one row per value and verdict."""
    expression = {"outlet": "a.outlet", "language": "c.language"}[column]
    with ledger.connect() as db:
        return db.execute(
            f"SELECT {expression} AS {column}, v.verdict, count(*) AS claims "
            "FROM current_verdicts v JOIN claims c USING (claim_id) JOIN articles a "
            "USING (article_id) GROUP BY ALL ORDER BY ALL"
        ).df()


def reviews_per_day(ledger: Ledger) -> pd.DataFrame:
    with ledger.connect() as db:
        return db.execute(
            "SELECT CAST(created_at AS DATE) AS day, count(*) AS verdicts, "
            "count(DISTINCT reviewer) AS reviewers FROM verdicts GROUP BY ALL ORDER BY day"
        ).df()


def articles_by_outlet(ledger: Ledger, outlet: str) -> pd.DataFrame:
    with ledger.connect() as db:
        return db.execute(
            "SELECT a.article_id, a.title, a.language, a.published, a.url, a.event, "
            "count(c.claim_id) AS claims, any_value(w.reason) AS withdrawn "
            "FROM articles a LEFT JOIN claims c USING (article_id) "
            "LEFT JOIN withdrawals w USING (article_id) "
            "WHERE a.outlet = ? GROUP BY ALL ORDER BY a.published DESC NULLS LAST, a.title",
            [outlet],
        ).df()


def facets(ledger: Ledger) -> dict[str, list[str]]:
    """The values each queue filter can take."""
    with ledger.connect() as db:
        return {
            name: [row[0] for row in db.execute(sql).fetchall()]
            for name, sql in {
                "outlets": "SELECT DISTINCT outlet FROM articles ORDER BY 1",
                "languages": "SELECT DISTINCT language FROM claims ORDER BY 1",
                "events": "SELECT DISTINCT event FROM articles WHERE event <> '' ORDER BY 1",
            }.items()
        }
