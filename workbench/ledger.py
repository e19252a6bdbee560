"""The DuckDB claim ledger: articles, claims, audited events and the connection they share
(verdicts are appended through workbench.verdicts)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from workbench.cards import Card, Cards
from workbench.connection import HeldConnection
from workbench.errors import NotFoundError, WorkbenchError
from workbench.files import file_id
from workbench.links import delete_links
from workbench.models import Article, Claim
from workbench.schema import MIGRATIONS, ClaimRow, article_row, claim_row

log = logging.getLogger(__name__)


# Ids looked up at a time by key (see claim_details).
KEY_LOOKUP = 32
# About how many claims (and as many articles) a serving process looks up on opening (see warm).
WARM_KEYS = 1000
CLAIM_DETAILS = (
    "SELECT claim_id, text, clean_text, language, article_id, position, start_offset, "
    "end_offset, is_headline FROM claims WHERE claim_id = ANY(?)"
)
ARTICLE_DETAILS = (
    "SELECT article_id, outlet, url, published, title FROM articles WHERE article_id = ANY(?)"
)


class Ledger:
    """One DuckDB file shared by every session and process; a process holds it between calls
    until another process asks for it."""

    def __init__(self, path: Path, lock_timeout: float = 30.0):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = HeldConnection(self.path, lock_timeout)
        self._cards = Cards()
        with self.connect() as db:
            self._migrate(db)

    def stamp(self) -> tuple[int, ...]:
        """Changes whenever any process writes to the ledger: cached reads compare it for free."""
        stamp: list[int] = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                status = path.stat()
                stamp += [status.st_mtime_ns, status.st_size]
            except FileNotFoundError:
                stamp += [0, 0]
        return tuple(stamp)

    def connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A connection for one unit of work (see `HeldConnection.connect`)."""
        return self._file.connect()

    def close(self) -> None:
        """Let go of the file now (before a restore replaces it, say)."""
        self._file.close()

    def keep_warm(self) -> None:
        """Warm the file's caches and read the claims' cards, now and whenever this process
        opens the file again (for a process that serves matches)."""
        self._file.keep_warm(self.warm)

    def warm(self) -> int:
        """Look up a spread of claims and articles by key; returns how many were looked up.

        DuckDB reads a table's key index and column blocks from the file as lookups first touch
        them: at a million claims the first hundred lookups of 20 claims after opening took up
        to 30 ms each, later ones 3-4 ms. Looking up about WARM_KEYS of each, spread over the
        tables (0.3 s at a million claims), reads them in. Then the cards of the claims written
        since the last warming are read (2.6 s at a million claims). It stops when another
        process asks for the file or this one closes it; one warming runs at a time.
        """
        looked_up = 0
        with self._file.warming, self.connect() as db:
            for table, key, sql in (
                ("claims", "claim_id", CLAIM_DETAILS),
                ("articles", "article_id", ARTICLE_DETAILS),
            ):
                keys = [
                    row[0]
                    for row in db.execute(
                        f"SELECT {key} FROM {table} WHERE rowid % "
                        f"greatest(1, (SELECT count(*) FROM {table}) // ?) = 0",
                        [WARM_KEYS],
                    ).fetchall()
                ]
                for start in range(0, len(keys), KEY_LOOKUP):
                    if self._file.should_stop_warming():
                        return looked_up
                    chunk = keys[start : start + KEY_LOOKUP]
                    db.execute(sql, [chunk]).fetchall()
                    looked_up += len(chunk)
            # Tagged with the file this connection reads, even if a restore has replaced it.
            self._cards.read(db, self._file.held_file, self._file.should_stop_warming)
        return looked_up

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: all of it is committed, or none of it."""
        with self.connect() as db:
            db.begin()
            try:
                yield db
            except BaseException:
                db.rollback()
                raise
            db.commit()

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read."""
        with self.connect() as db:
            return db.execute(sql, list(parameters)).fetchall()

    def checkpoint(self) -> None:
        """Write the log into the file (after an ingest): reads get faster, reopening too."""
        with self.connect() as db:
            db.execute("CHECKPOINT")

    def _migrate(self, db: duckdb.DuckDBPyConnection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")
        done = {row[0] for row in db.execute("SELECT version FROM schema_migrations").fetchall()}
        for version, sql in enumerate(MIGRATIONS, start=1):
            if version in done:
                continue
            db.begin()
            db.execute(sql)
            db.execute("INSERT INTO schema_migrations VALUES (?)", [version])
            db.commit()
            log.info("ledger %s migrated to version %d", self.path, version)

    # -- articles and claims -------------------------------------------------------------

    def add_articles(
        self, batch: Sequence[tuple[Article, Sequence[Claim]]], actor: str = "ingest"
    ) -> list[bool]:
        """Write articles with their claims in one transaction; False where already present."""
        now = datetime.now(UTC)
        added: list[bool] = []
        with self.transaction() as db:
            ids = [article.article_id for article, _ in batch]
            urls = [article.url for article, _ in batch if article.url]
            known = {
                row[0]
                for row in db.execute(
                    "SELECT article_id FROM articles WHERE list_contains(?, article_id) "
                    "UNION ALL SELECT url FROM articles WHERE list_contains(?, url)",
                    [ids, urls],
                ).fetchall()
            }
            articles: list[dict[str, Any]] = []
            claims: list[dict[str, Any]] = []
            for article, article_claims in batch:
                if article.article_id in known or (article.url and article.url in known):
                    added.append(False)
                    continue
                known.update({article.article_id, article.url} - {""})
                added.append(True)
                articles.append(article_row(article, now))
                claims.extend(claim_row(claim) for claim in article_claims)
            if articles:
                self._insert_rows(db, "articles", articles)
                db.execute(
                    "INSERT INTO outlets SELECT DISTINCT outlet, ? FROM unnest(?) t(outlet) "
                    "WHERE outlet NOT IN (SELECT name FROM outlets)",
                    [now, [row["outlet"] for row in articles]],
                )
            if claims:
                self._insert_rows(db, "claims", claims)
            if articles:
                self._log_event(
                    db, "ingest", actor, {"articles": len(articles), "claims": len(claims)}
                )
        return added

    @staticmethod
    def _insert_rows(db: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
        # An Arrow table, not a DataFrame: a batch of 256 claims went in in 3.4 ms against 6-7.8.
        incoming = pa.Table.from_pylist(rows)
        db.register("incoming", incoming)
        try:
            columns = ", ".join(incoming.column_names)
            db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
        finally:
            db.unregister("incoming")

    @staticmethod
    def _log_event(
        db: duckdb.DuckDBPyConnection, kind: str, actor: str, detail: dict[str, Any]
    ) -> None:
        db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
            [uuid.uuid4().hex, kind, actor, datetime.now(UTC), json.dumps(detail)],
        )

    def count_claims(self) -> int:
        with self.connect() as db:
            row = db.execute("SELECT count(*) FROM live_claims").fetchone()
        return int(row[0]) if row else 0

    def withdraw_article(self, article_id: str, actor: str, reason: str) -> list[str]:
        """Take an article off the desk (its history stays); the ids of its claims."""
        if not actor.strip() or not reason.strip():
            raise WorkbenchError("Withdrawing an article needs who does it and why.")
        self.get_article(article_id)  # says so when the article is unknown
        with self.transaction() as db:
            if db.execute(
                "SELECT 1 FROM withdrawals WHERE article_id = ?", [article_id]
            ).fetchone():
                raise WorkbenchError(f"The article {article_id!r} is already withdrawn.")
            db.execute(
                "INSERT INTO withdrawals VALUES (?, ?, ?, ?)",
                [article_id, actor.strip(), reason.strip(), datetime.now(UTC)],
            )
            claim_ids = [
                row[0]
                for row in db.execute(
                    "SELECT claim_id FROM claims WHERE article_id = ?", [article_id]
                ).fetchall()
            ]
            delete_links(db, claim_ids)
        return claim_ids

    def withdrawn_claim_ids(self) -> set[str]:
        rows = self.rows(
            "SELECT claim_id FROM claims WHERE article_id IN (SELECT article_id FROM withdrawals)"
        )
        return {row[0] for row in rows}

    def claim_ids(self) -> list[str]:
        return [row[0] for row in self.rows("SELECT claim_id FROM claims")]

    def claim_texts(self, claim_ids: Sequence[str]) -> dict[str, str]:
        """The indexed form of each claim."""
        return dict(
            self.rows(
                "SELECT claim_id, clean_text FROM claims WHERE list_contains(?, claim_id)",
                [list(claim_ids)],
            )
        )

    def iter_claim_texts(
        self, exclude: set[str], chunk: int = 10_000
    ) -> Iterator[list[tuple[str, str, str]]]:
        """Yield (claim_id, clean_text, language) in chunks, skipping ids already indexed."""
        with self.connect() as db:
            cursor = db.execute(
                "SELECT claim_id, clean_text, language FROM live_claims ORDER BY claim_id"
            )
            while rows := cursor.fetchmany(chunk):
                todo = [row for row in rows if row[0] not in exclude]
                if todo:
                    yield todo

    def claim_details(self, claim_ids: Iterable[str]) -> dict[str, ClaimRow]:
        """Claims joined with their article, by claim id (ids not in the ledger are left out)."""
        with self.connect() as db:
            claims = _by_key(db, CLAIM_DETAILS, list(claim_ids))
            owners = list({row[4] for row in claims})
            articles = {row[0]: row[1:] for row in _by_key(db, ARTICLE_DETAILS, owners)}
        return {row[0]: ClaimRow(*row, *articles[row[4]]) for row in claims}

    def cards(self, claim_ids: Iterable[str]) -> dict[str, Card]:
        """Claims as matches show them, by claim id (ids not in the ledger are left out): from
        memory where read (see `warm`), else from the file."""
        found, missing = self._cards.get(claim_ids, file_id(self.path))
        for claim_id, row in (self.claim_details(missing) if missing else {}).items():
            found[claim_id] = Card(
                claim_id, row.text, row.language, row.article_id, row.outlet, row.url, row.published
            )
        return found

    def list_claims(self, article_id: str | None = None) -> pd.DataFrame:
        """All claims (or one article's) with their outlet, in article order."""
        with self.connect() as db:
            frame = db.execute(
                "SELECT c.claim_id, c.text, a.outlet, c.language, c.article_id, c.position, "
                "c.is_headline, a.url, a.published, a.event "
                "FROM claims c JOIN articles a USING (article_id) "
                "WHERE ? IS NULL OR c.article_id = ? "
                "ORDER BY a.published, c.article_id, c.position",
                [article_id, article_id],
            ).df()
        if article_id is not None and frame.empty:
            self.get_article(article_id)  # says so when the article itself is unknown
        return frame

    def get_article(self, article_id: str) -> dict[str, Any]:
        with self.connect() as db:
            frame = db.execute("SELECT * FROM articles WHERE article_id = ?", [article_id]).df()
        if frame.empty:
            raise NotFoundError(f"No article with id {article_id!r} in the ledger.")
        return dict(frame.iloc[0])

    # -- events ------------------------------------------------------------------------

    def record_event(self, kind: str, actor: str, detail: str) -> None:
        """Append an audited event (a source-registry change, say) with its JSON detail."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, kind, actor, datetime.now(UTC), detail],
            )

    def events(self, kind: str) -> list[str]:
        """The JSON details of one kind of event, oldest first."""
        rows = self.rows(
            "SELECT CAST(detail AS VARCHAR) FROM events WHERE kind = ? "
            "ORDER BY created_at, event_id",
            [kind],
        )
        return [row[0] for row in rows]


def _by_key(db: duckdb.DuckDBPyConnection, sql: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (filtering on `= ANY(?)` over a primary key) for the keys given.

    DuckDB answers a short list from the key's index (3-5 ms at a million claims) but scans the
    table past about fifty keys (80 ms), so a few dozen go at a time; hundreds (linking an
    ingest batch) are cheaper in one scan.
    """
    step = KEY_LOOKUP if len(keys) <= 8 * KEY_LOOKUP else max(len(keys), 1)
    return [
        row
        for start in range(0, len(keys), step)
        for row in db.execute(sql, [keys[start : start + step]]).fetchall()
    ]
