"""What a match shows of each claim, held in memory by a process that serves matches."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

import duckdb

# Rows read from the ledger at a time (a hand-over to another process waits for one read).
READ_ROWS = 50_000

COLUMNS = {
    "articles": "article_id, outlet, url, published",
    "claims": "claim_id, text, language, article_id",
}
ArticleCard = tuple[str, str, str, date | None]  # article id, outlet, url, published


class Card(NamedTuple):
    """A claim as a match shows it, with the facts of its article that matching filters on."""

    claim_id: str
    text: str
    language: str
    article_id: str
    outlet: str
    url: str
    published: date | None


class Cards:
    """Every claim's card by claim id, read from the ledger a chunk at a time.

    Matching read them from the ledger by key: about 5 ms of every match at a million claims
    (two DuckDB lookups), against 0.1 ms from memory, for about 550 MB more (what DuckDB read
    to serve them included). Claims and articles are never changed once written (a withdrawal
    is kept apart), so a card never goes stale while the file is the same; claims written since
    the last read are looked up in the ledger until the next read.
    """

    def __init__(self) -> None:
        self._file: object = None
        self._claims: dict[str, tuple[str, str, ArticleCard]] = {}
        self._articles: dict[str, ArticleCard] = {}
        self._last = {"articles": -1, "claims": -1}  # the last row id read of each table

    def __len__(self) -> int:
        return len(self._claims)

    def get(self, claim_ids: Iterable[str], file: object) -> tuple[dict[str, Card], list[str]]:
        """The cards held for these ids, and the ids without one. `file` names the ledger
        file now: cards read from another (one since replaced by a restore) are not used."""
        if file != self._file:
            return {}, list(claim_ids)
        found, missing = {}, []
        for claim_id in claim_ids:
            held = self._claims.get(claim_id)
            if held is None:
                missing.append(claim_id)
            else:
                found[claim_id] = Card(claim_id, held[0], held[1], *held[2])
        return found, missing

    def read(
        self, db: duckdb.DuckDBPyConnection, file: object, should_stop: Callable[[], bool]
    ) -> int:
        """Read the claims and articles written since the last read (all of them from a file
        other than the last one's) until `should_stop`; returns how many claims were read."""
        if file != self._file:
            self._claims, self._articles, self._file = {}, {}, file  # the file last: see get
            self._last = {"articles": -1, "claims": -1}
        before = len(self._claims)
        # An article is written before its claims: reading the articles after finding the
        # last claim's row reads the article of every claim up to it.
        last_claim = _last_row(db, "claims")
        for rows in self._chunks(db, "articles", _last_row(db, "articles"), should_stop):
            self._articles.update((row[0], row) for row in rows)
        for rows in self._chunks(db, "claims", last_claim, should_stop):
            for claim_id, text, language, article_id in rows:
                if article := self._articles.get(article_id):
                    self._claims[claim_id] = (text, sys.intern(language), article)
        gc.freeze()  # a million cards live as long as the process: full collections skip them
        return len(self._claims) - before

    def _chunks(
        self,
        db: duckdb.DuckDBPyConnection,
        table: str,
        last: int,
        should_stop: Callable[[], bool],
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows written since the last read, up to row `last`, a chunk at a time."""
        while self._last[table] < last and not should_stop():
            first = self._last[table] + 1
            yield db.execute(
                f"SELECT {COLUMNS[table]} FROM {table} WHERE rowid BETWEEN ? AND ?",
                [first, first + READ_ROWS - 1],
            ).fetchall()
            self._last[table] = min(first + READ_ROWS - 1, last)


def _last_row(db: duckdb.DuckDBPyConnection, table: str) -> int:
    found = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()
    return -1 if found is None or found[0] is None else int(found[0])
