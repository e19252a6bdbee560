"""Verdicts out of the ledger: CSV a spreadsheet opens safely, and schema.org ClaimReview JSON-LD.

Every export reads from one connection in chunks of CHUNK rows, so memory stays bounded however long
the history, and writes a temporary file beside the destination that replaces it only once complete.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbench.files import replacing
from workbench.ledger import Ledger
from workbench.models import VerdictLabel

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 10_000

CURRENT_VERDICTS = """
    SELECT v.claim_id, c.text AS claim, c.language, a.outlet, a.title AS article_title, a.url,
           a.published, v.verdict, v.reviewer, v.created_at AS decided_at, v.note AS rationale,
           array_to_string(v.evidence, ' ') AS evidence_claim_ids,
           (SELECT string_agg(DISTINCT ea.outlet, '; ' ORDER BY ea.outlet)
              FROM claims ec JOIN articles ea USING (article_id)
             WHERE list_contains(v.evidence, ec.claim_id)) AS evidence_outlets
      FROM current_verdicts v JOIN claims c USING (claim_id) JOIN articles a USING (article_id)
     WHERE (len($verdicts) = 0 OR list_contains($verdicts, v.verdict))
       AND (len($outlets) = 0 OR list_contains($outlets, a.outlet))
       AND (len($reviewers) = 0 OR list_contains($reviewers, v.reviewer))
     ORDER BY v.created_at, v.claim_id
"""

# Left joins: the history has a row for every verdict, whatever became of its claim.
VERDICT_HISTORY = """
    SELECT v.verdict_id, v.claim_id, c.text AS claim, c.language, a.outlet,
           a.title AS article_title, a.url, a.published, v.verdict, v.reviewer,
           v.created_at AS decided_at, v.note AS rationale,
           array_to_string(v.evidence, ' ') AS evidence_claim_ids, v.seen_version
      FROM verdicts v LEFT JOIN claims c USING (claim_id) LEFT JOIN articles a USING (article_id)
     ORDER BY v.created_at, v.verdict_id
"""

# One row per current verdict, with the articles it appears in: its own first, then the articles of
# its evidence claims, oldest first.
CLAIM_REVIEWS = """
    SELECT c.text AS claim, c.language, v.verdict, v.note AS rationale,
           strftime(timezone('UTC', v.created_at), '%Y-%m-%d') AS decided_on,
           (SELECT list({'url': a.url, 'outlet': a.outlet, 'title': a.title,
                         'published': a.published}
                        ORDER BY a.article_id <> c.article_id, a.published NULLS LAST, a.url)
              FROM articles a
             WHERE a.article_id = c.article_id
                OR a.article_id IN (SELECT ec.article_id FROM claims ec
                                     WHERE list_contains(v.evidence, ec.claim_id))
           ) AS appearances
      FROM current_verdicts v JOIN claims c USING (claim_id)
     ORDER BY v.created_at, v.claim_id
"""


@dataclass(frozen=True)
class ClaimReviewRating:
    """A verdict as a schema.org Rating: a label and what it means, never a number."""

    alternate_name: str
    explanation: str


CLAIMREVIEW_RATINGS: Mapping[VerdictLabel, ClaimReviewRating] = MappingProxyType(
    {
        VerdictLabel.CORROBORATED: ClaimReviewRating(
            "Corroborated by independent sources",
            "Outlets independent of each other report this claim, and the reviewer found that "
            "they agree.",
        ),
        VerdictLabel.DISPUTED: ClaimReviewRating(
            "Disputed: sources conflict",
            "The outlets that report this claim contradict each other on it.",
        ),
        VerdictLabel.PROPAGANDA_SOURCED: ClaimReviewRating(
            "Propaganda-sourced: originates from a propaganda outlet",
            "The claim traces back to an outlet the desk treats as a source of propaganda.",
        ),
    }
)
"""How each verdict appears in ClaimReview's reviewRating.

The three verdicts say where a claim stands among sources, not how true it is, so they are not
points on a truth scale: a Rating carries the label as `alternateName` and its meaning as
`ratingExplanation`, with no `ratingValue`, `bestRating` or `worstRating`.

- corroborated: "Corroborated by independent sources"
- disputed: "Disputed: sources conflict"
- propaganda-sourced: "Propaganda-sourced: originates from a propaganda outlet"
"""


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def _write_csv(
    ledger: Ledger, path: Path, query: str, parameters: dict[str, Any] | None = None
) -> int:
    """Stream a query's rows into a spreadsheet-safe UTF-8 CSV at `path`; returns rows written."""
    rows = 0
    with (
        ledger.connect() as db,
        replacing(path) as temporary,
        # The BOM makes Excel read UTF-8, so Arabic survives a double-click.
        open(temporary, "w", encoding="utf-8-sig", newline="") as out,
    ):
        cursor = db.execute(query, parameters)
        writer = csv.writer(out)
        writer.writerow([column[0] for column in cursor.description])
        while chunk := cursor.fetchmany(CHUNK):
            writer.writerows([neutralise(value) for value in row] for row in chunk)
            rows += len(chunk)
    return rows


def export_csv(
    ledger: Ledger,
    path: Path,
    verdicts: Sequence[str] = (),
    outlets: Sequence[str] = (),
    reviewers: Sequence[str] = (),
) -> int:
    """Write the current verdict per claim (all, or those matching the filters); returns rows."""
    parameters = {
        "verdicts": list(verdicts),
        "outlets": list(outlets),
        "reviewers": list(reviewers),
    }
    return _write_csv(ledger, path, CURRENT_VERDICTS, parameters)


def export_history_csv(ledger: Ledger, path: Path) -> int:
    """Write every verdict ever recorded, oldest first, one row each; returns rows."""
    return _write_csv(ledger, path, VERDICT_HISTORY)


def export_claimreview(
    ledger: Ledger, path: Path, organisation: str = "Claim Workbench desk"
) -> int:
    """Write the current verdicts as a JSON array of schema.org ClaimReview; returns reviews."""
    reviews = 0
    with (
        ledger.connect() as db,
        replacing(path) as temporary,
        open(temporary, "w", encoding="utf-8") as out,
    ):
        cursor = db.execute(CLAIM_REVIEWS)
        columns = [column[0] for column in cursor.description]
        out.write("[")
        while chunk := cursor.fetchmany(CHUNK):
            for row in chunk:
                review = _claim_review(dict(zip(columns, row, strict=True)), organisation)
                out.write(",\n" if reviews else "\n")
                out.write(json.dumps(review, ensure_ascii=False))
                reviews += 1
        out.write("\n]\n")
    return reviews


def _claim_review(row: dict[str, Any], organisation: str) -> dict[str, Any]:
    """One ClaimReview object from a row of CLAIM_REVIEWS."""
    rating = CLAIMREVIEW_RATINGS[VerdictLabel(row["verdict"])]
    articles = row["appearances"]
    appearances = [_creative_work(article) for article in articles]
    # The claim's own article comes first, so min() keeps it when dates tie or are unknown.
    first = min(range(len(articles)), key=lambda i: articles[i]["published"] or date.max)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row["claim"],
        "datePublished": row["decided_on"],
        "author": {"@type": "Organization", "name": organisation},
        "reviewBody": row["rationale"],
        "reviewRating": {
            "@type": "Rating",
            "alternateName": rating.alternate_name,
            "ratingExplanation": rating.explanation,
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": appearances,
            "firstAppearance": appearances[first],
            "inLanguage": row["language"],
        },
    }


def _creative_work(article: dict[str, Any]) -> dict[str, Any]:
    """An article as the CreativeWork a claim appears in; unknown fields are left out."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if article["url"]:
        work["url"] = article["url"]
    work["headline"] = article["title"]
    if article["published"] is not None:
        work["datePublished"] = article["published"].isoformat()
    work["publisher"] = {"@type": "Organization", "name": article["outlet"]}
    return work
