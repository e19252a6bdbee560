"""Verdicts out of the ledger as CSV a spreadsheet opens safely, written as a stream."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from workbench.ledger import Ledger

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
     ORDER BY v.created_at, v.claim_id
"""


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet from running a cell as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def export_csv(ledger: Ledger, path: Path) -> int:
    """Write the current verdict per claim; returns the number of rows."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    rows = 0
    with ledger.connect() as db, open(temporary, "w", encoding="utf-8-sig", newline="") as out:
        cursor = db.execute(CURRENT_VERDICTS)
        writer = csv.writer(out)
        writer.writerow([column[0] for column in cursor.description])
        while chunk := cursor.fetchmany(CHUNK):
            writer.writerows([neutralise(value) for value in row] for row in chunk)
            rows += len(chunk)
    os.replace(temporary, path)
    return rows
