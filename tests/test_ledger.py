"""The ledger's derived tables: near-duplicate links; migrations keep what a ledger holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import ledger as ledger_module
from workbench.ingest import Record, build_article
from workbench.ledger import Ledger
from workbench.links import add_links, find_links


def three_claims(ledger: Ledger) -> tuple[str, str, str]:
    """Two claims of one outlet and one of another, written to the ledger."""
    batch = [
        build_article(
            Record("corpus.jsonl", line, {"outlet": outlet, "text": text, "language": "en"}, 0)
        )
        for line, (outlet, text) in enumerate(
            [
                ("Outlet A", "The council approved a new bridge over the river on Monday."),
                ("Outlet A", "A new bridge over the river was approved by the council."),
                ("Outlet B", "The council has approved a bridge across the river."),
            ],
            start=1,
        )
    ]
    ledger.add_articles(batch)
    a1, a2, b = (claims[0].claim_id for _, claims in batch)
    return a1, a2, b


def test_links_join_claims_of_different_outlets_only(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.duckdb")
    a1, a2, b = three_claims(ledger)
    add_links(ledger, [a1, a1, a2, b, b], [a2, b, b, b, a1], [0.9, 0.8, 0.7, 1.0, 0.6], "model")
    assert find_links(ledger, [a1, a2, b], 0.0) == {a1: [b], a2: [b], b: [a1, a2]}
    assert find_links(ledger, [a1, a2, b], 0.75) == {a1: [b], b: [a1]}


def test_pairs_in_one_language_need_the_within_threshold(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.duckdb")
    a1, _, b = three_claims(ledger)
    arabic = build_article(
        Record("corpus.jsonl", 4, {"outlet": "Outlet C", "text": "وافق المجلس على جسر جديد."}, 0)
    )
    ledger.add_articles([arabic])
    c = arabic[1][0].claim_id
    add_links(ledger, [a1, a1], [b, c], [0.5, 0.5], "model", within=0.53)
    assert find_links(ledger, [a1, b, c], 0.0) == {a1: [c], c: [a1]}


def test_a_ledger_of_an_older_version_keeps_its_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrations = ledger_module.MIGRATIONS
    monkeypatch.setattr(ledger_module, "MIGRATIONS", migrations[:3])
    old = Ledger(tmp_path / "ledger.duckdb")
    a1, a2, b = three_claims(old)
    add_links(old, [a1, a2], [b, b], [0.9, 0.7], "model")
    monkeypatch.setattr(ledger_module, "MIGRATIONS", migrations)
    ledger = Ledger(tmp_path / "ledger.duckdb")
    assert find_links(ledger, [a1, a2, b], 0.0) == {a1: [b], a2: [b], b: [a1, a2]}
    with ledger.connect() as db:
        versions = db.execute("SELECT max(version) FROM schema_migrations").fetchone()
    assert versions == (len(migrations),)
