"""Who says so, end to end: attribution, origins, conflicting figures, suggestions."""

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DATA
from workbench.cli import main
from workbench.desk import Desk
from workbench.errors import InputError
from workbench.sources import Source, SourceKind


@pytest.fixture
def conflict_desk(desk: Desk) -> Desk:
    assert desk.ingest([DATA / "conflict.jsonl"]).added == 3
    return desk


def claim_with(desk: Desk, outlet: str, fragment: str) -> str:
    claims = desk.claims()
    rows = claims[(claims.outlet == outlet) & claims.text.str.contains(fragment)]
    return str(rows.iloc[0].claim_id)


def test_similar_names_origins_and_conflicting_figures(conflict_desk: Desk) -> None:
    amaq = claim_with(conflict_desk, "Northern Wire", "killed 40")
    matches = conflict_desk.similar(amaq, k=10)
    courier = next(m for m in matches if m.outlet == "Valley Courier" and "said 39" in m.text)
    assert courier.origin == "sohr"
    assert [(c.claim, c.match) for c in courier.conflicting_figures] == [("40 killed", "39 killed")]
    assert courier.agreeing_figures == ()


def test_similar_names_the_figures_a_match_agrees_on(conflict_desk: Desk) -> None:
    monitor = claim_with(conflict_desk, "Valley Courier", "said 39")
    matches = conflict_desk.similar(monitor, k=10)
    arabic = next(m for m in matches if "٣٩" in m.text)  # Arabic-Indic digits, the same toll
    assert arabic.agreeing_figures == ("39 killed",) and arabic.conflicting_figures == ()


def test_figures_that_agree_without_being_alike_show_both_sides(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "floods.jsonl"
    path.write_text(
        json.dumps({"outlet": "Coast Post", "text": "Floods killed 15 people in the camps."})
        + "\n"
        + json.dumps({"outlet": "Hill Times", "text": "At least 12 people were killed by floods."})
        + "\n",
        encoding="utf-8",
    )
    assert desk.ingest([path]).added == 2
    (match,) = desk.similar(claim_with(desk, "Coast Post", "Floods"), k=1)
    assert match.agreeing_figures == ("15 killed here, at least 12 killed there",)
    assert match.conflicting_figures == ()


def test_claims_json_has_attribution_figures_and_suggestion(
    conflict_desk: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(conflict_desk.settings.home)
    assert main(["--home", home, "claims", "--json"]) == 0
    claims = {c["text"]: c for c in json.loads(capsys.readouterr().out)}
    relayed = next(c for text, c in claims.items() if "killed 40" in text)
    assert "amaq" in relayed["attribution"]["source"].lower()
    assert {"cue", "source", "claimant", "hedged"} <= set(relayed["attribution"])
    assert [(f["value"], f["counts"]) for f in relayed["figures"]] == [(40.0, "killed")]
    assert relayed["suggestion"]["verdict"] == "propaganda-sourced"
    assert relayed["suggestion"]["reasons"]
    continued = next(c for text, c in claims.items() if text.startswith("The statement added"))
    assert continued["attribution"]["inherited"] is True
    arabic = next(c for text, c in claims.items() if "٣٩" in text)
    assert [(f["value"], f["counts"]) for f in arabic["figures"]] == [(39.0, "killed")]


def test_monitor_claim_is_disputed_by_the_propaganda_figure(conflict_desk: Desk) -> None:
    monitor = claim_with(conflict_desk, "Valley Courier", "said 39")
    assessment = conflict_desk.assess(monitor)
    assert assessment.origin == "sohr"
    assert assessment.suggestion.verdict is not None
    assert assessment.suggestion.model == "rules-v1"


def test_registry_changes_are_audited_events_that_take_effect(conflict_desk: Desk) -> None:
    change = Source(
        "valley-monitor",
        "Valley Monitor",
        ("the valley monitor",),
        SourceKind.MONITOR,
        "",
        "test entry",
        "amal",
        date(2026, 11, 25),
    )
    conflict_desk.record_source(change, "amal")
    assert conflict_desk.registry().get("valley-monitor") == change
    assert len(conflict_desk.ledger.events("source")) == 1
    bad = Source("x", "X", (), SourceKind.UNKNOWN, "nobody", "", "amal", date(2026, 11, 25))
    with pytest.raises(InputError, match="claimant"):
        conflict_desk.record_source(bad, "amal")
    assert len(conflict_desk.ledger.events("source")) == 1


def test_seed_registry_file_is_valid(tmp_path: Path, conflict_desk: Desk) -> None:
    registry = conflict_desk.registry()
    amaq = registry.resolve("a statement published by the Amaq agency")
    assert amaq is not None and registry.root(amaq).source_id == "isis"
    sohr = registry.resolve("المرصد السوري لحقوق الإنسان")
    assert sohr is not None and sohr.kind == SourceKind.MONITOR
