"""The ledger's schema: numbered migrations, and how values become rows and rows values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from workbench.models import Article, Claim

# Numbered migrations: append, never edit one that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE outlets (name VARCHAR PRIMARY KEY, first_seen TIMESTAMPTZ NOT NULL);
    CREATE TABLE articles (
        article_id VARCHAR PRIMARY KEY, outlet VARCHAR NOT NULL, title VARCHAR NOT NULL,
        text VARCHAR NOT NULL, language VARCHAR NOT NULL, url VARCHAR NOT NULL,
        published DATE, external_id VARCHAR NOT NULL, source VARCHAR NOT NULL,
        event VARCHAR NOT NULL, ingested_at TIMESTAMPTZ NOT NULL);
    CREATE INDEX articles_url ON articles (url);
    CREATE TABLE claims (
        claim_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, position INTEGER NOT NULL,
        text VARCHAR NOT NULL, clean_text VARCHAR NOT NULL, start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL, is_headline BOOLEAN NOT NULL, language VARCHAR NOT NULL);
    CREATE INDEX claims_article ON claims (article_id);
    CREATE TABLE verdicts (
        verdict_id VARCHAR PRIMARY KEY, claim_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL,
        reviewer VARCHAR NOT NULL, note VARCHAR NOT NULL, evidence VARCHAR[] NOT NULL,
        created_at TIMESTAMPTZ NOT NULL);
    CREATE INDEX verdicts_claim ON verdicts (claim_id);
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, actor VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL, detail JSON NOT NULL);
    CREATE VIEW current_verdicts AS
        SELECT * FROM verdicts
        QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY created_at DESC, verdict_id) = 1;
    """,
    # Near-duplicate links between claims of different outlets: derived data, rebuilt with the
    # index, that lets the queue sort by spread and group claims into clusters without a search.
    """
    CREATE TABLE links (
        claim_id VARCHAR NOT NULL, other_id VARCHAR NOT NULL, score REAL NOT NULL,
        model VARCHAR NOT NULL, PRIMARY KEY (claim_id, other_id));
    ALTER TABLE verdicts ADD COLUMN seen_version INTEGER;
    """,
    # Articles withdrawn from the desk (a retracted story, a wrong ingest): appended, never
    # deleted; their claims leave the queue and the indexes, their verdicts stay in the history.
    """
    CREATE TABLE withdrawals (
        article_id VARCHAR NOT NULL, actor VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL);
    CREATE VIEW live_claims AS
        SELECT * FROM claims WHERE article_id NOT IN (SELECT article_id FROM withdrawals);
    """,
    # Links without a key: keeping it cost 30 ms of every 256-claim batch's ingest, and a pair is
    # stored once by construction (see links.add_links).
    """
    CREATE TABLE unkeyed_links AS SELECT * FROM links;
    DROP TABLE links;
    CREATE TABLE links (
        claim_id VARCHAR NOT NULL, other_id VARCHAR NOT NULL, score REAL NOT NULL,
        model VARCHAR NOT NULL);
    INSERT INTO links SELECT * FROM unkeyed_links;
    DROP TABLE unkeyed_links;
    """,
]


class ClaimRow(NamedTuple):
    """A claim with the facts of its article that every view shows."""

    claim_id: str
    text: str
    clean_text: str
    language: str
    article_id: str
    position: int
    start_offset: int
    end_offset: int
    is_headline: bool
    outlet: str
    url: str
    published: date | None
    title: str


def article_row(article: Article, now: datetime) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "outlet": article.outlet,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "url": article.url,
        "published": article.published,
        "external_id": article.external_id,
        "source": article.source,
        "event": article.event,
        "ingested_at": now,
    }


def claim_row(claim: Claim) -> dict[str, Any]:
    return {
        "claim_id": claim.claim_id,
        "article_id": claim.article_id,
        "position": claim.position,
        "text": claim.text,
        "clean_text": claim.clean_text,
        "start_offset": claim.start,
        "end_offset": claim.end,
        "is_headline": claim.is_headline,
        "language": claim.language,
    }
