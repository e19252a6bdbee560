"""The Streamlit app via AppTest: every page renders; a reviewer's flow reaches the ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import DATA
from workbench.app.shared import shared_desk
from workbench.desk import Desk
from workbench.embed import Encoder
from workbench.models import VerdictLabel
from workbench.review import QueueFilter, queue_size, review_queue
from workbench.settings import REPO, load_settings
from workbench.verdicts import record_verdict, verdict_history

PAGES = ["queue", "claim", "articles", "sources", "download", "overview"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    shared_desk.clear()
    yield tmp_path
    shared_desk.clear()


@pytest.fixture
def ledger_desk(home: Path, encoder: Encoder) -> Desk:
    desk = Desk(load_settings(environ={}, home=home), encoder=encoder)
    extra = home / "hostile.jsonl"
    extra.write_text(
        json.dumps(
            {
                "outlet": "<b>Bold</b> Outlet",
                "title": "Injected <script>alert('x')</script> headline about the port",
                "text": "The port reopened <img src=x onerror=alert(1)> on Monday after repairs.",
            }
        ),
        encoding="utf-8",
    )
    desk.ingest([DATA / "articles.jsonl", extra])
    return desk


def app() -> AppTest:
    return AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120).run()


def open_page(test: AppTest, page: str) -> AppTest:
    return test.switch_page(f"workbench/app/{page}.py").run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_ledger(home: Path, page: str) -> None:
    test = open_page(app(), page)
    assert not test.exception
    assert test.info or test.caption or test.button  # an empty state that says what to do


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_claims(ledger_desk: Desk, page: str) -> None:
    test = open_page(app(), page)
    assert not test.exception


def start_review(ledger_desk: Desk) -> tuple[AppTest, str]:
    test = app()
    test.sidebar.text_input(key="reviewer_input").input("Amal").run()
    next(b for b in test.button if b.label == "Open").click().run()
    claim_id = str(test.session_state["claim_id"])
    return open_page(test, "claim"), claim_id


def test_review_flow_records_verdict_with_evidence_and_advances(ledger_desk: Desk) -> None:
    test, claim_id = start_review(ledger_desk)
    evidence = [box for box in test.checkbox if box.key.startswith(f"evidence-{claim_id}")]
    assert evidence, "the claim view lists near-duplicates with evidence boxes"
    evidence[0].check()
    test.text_area(key=f"note-{claim_id}").input("Two outlets agree.")
    test.button(key="verdict-corroborated").click().run()
    assert not test.exception
    (verdict,) = verdict_history(ledger_desk.ledger, claim_id)
    assert (verdict.label, verdict.reviewer, verdict.note) == (
        VerdictLabel.CORROBORATED,
        "Amal",
        "Two outlets agree.",
    )
    assert verdict.evidence == (evidence[0].key.rsplit("-", 1)[1],)
    assert test.session_state["claim_id"] != claim_id  # the next claim of the queue opened

    test.session_state["claim_id"] = claim_id
    test.run()
    history = " ".join(str(element.body) for element in test.get("html"))
    assert "Amal" in history and "corroborated" in history


def test_the_queue_reads_one_page_and_the_claim_view_counts_from_it(ledger_desk: Desk) -> None:
    ledger_desk.ingest([DATA / "conflict.jsonl"])
    total = queue_size(ledger_desk.ledger, QueueFilter(), ledger_desk.bands.least_related)
    assert total > 20  # two pages
    test = app()
    assert f"{total:,} claims" in [caption.value for caption in test.caption]
    assert len([b for b in test.button if b.label == "Open"]) == 20
    test.number_input[0].set_value(2).run()
    opens = [b for b in test.button if b.label == "Open"]
    assert len(opens) == total - 20
    opens[1].click().run()
    assert len(test.session_state["queue_ids"]) == total - 20
    test = open_page(test, "claim")
    assert f"Claim 22 of {total:,} in your queue" in [caption.value for caption in test.caption]


def test_verdict_needs_a_reviewer_name(ledger_desk: Desk) -> None:
    test = app()
    next(b for b in test.button if b.label == "Open").click().run()
    test = open_page(test, "claim")
    assert test.button(key="verdict-disputed").disabled
    assert any("name" in warning.value for warning in test.warning)


def test_a_verdict_recorded_meanwhile_is_shown_not_overwritten(ledger_desk: Desk) -> None:
    test, claim_id = start_review(ledger_desk)
    record_verdict(ledger_desk.ledger, claim_id, VerdictLabel.DISPUTED, "Ben", "figures differ")
    test.button(key="verdict-corroborated").click().run()
    assert [v.reviewer for v in verdict_history(ledger_desk.ledger, claim_id)] == ["Ben"]
    assert any("Ben" in w.value and "disputed" in w.value for w in test.warning)
    test.button(key="override").click().run()
    history = verdict_history(ledger_desk.ledger, claim_id)
    assert [(v.reviewer, v.label) for v in history] == [
        ("Ben", VerdictLabel.DISPUTED),
        ("Amal", VerdictLabel.CORROBORATED),
    ]


def test_untrusted_text_is_escaped(ledger_desk: Desk) -> None:
    claims = ledger_desk.claims()
    hostile = claims[claims.outlet == "<b>Bold</b> Outlet"].claim_id.tolist()
    test = app()
    test.session_state["claim_id"] = hostile[0]
    test = open_page(test, "claim")
    assert not test.exception
    rendered = " ".join(str(element.body) for element in test.get("html"))
    assert "&lt;script&gt;" in rendered or "&lt;img" in rendered
    assert "<script>" not in rendered and "<img" not in rendered and "<b>Bold" not in rendered


def test_a_registry_change_in_the_app_is_recorded_with_its_author(ledger_desk: Desk) -> None:
    test = app()
    test.sidebar.text_input(key="reviewer_input").input("Amal").run()
    test = open_page(test, "sources")
    test.text_input(key="source-id").input("valley-monitor")
    test.text_input(key="source-name").input("Valley Monitor")
    test.selectbox(key="source-kind").select("monitor")
    test.text_area(key="source-note").input("A local monitoring group.")
    test.button(key="source-save").click().run()
    assert not test.exception
    (change,) = ledger_desk.ledger.events("source")
    assert json.loads(change)["set_by"] == "Amal"
    source = ledger_desk.registry().get("valley-monitor")
    assert source is not None and source.kind.value == "monitor"


def test_withdrawing_an_article_in_the_app_takes_it_off_the_queue(ledger_desk: Desk) -> None:
    test = app()
    test.sidebar.text_input(key="reviewer_input").input("Amal").run()
    test = open_page(test, "articles")
    test.selectbox(key="browse_outlet").select("Capital Sports").run()
    test.text_input(key="withdraw_reason").input("The story was retracted").run()
    article_id = str(test.selectbox(key="withdraw_article").value)
    test.button(key="withdraw").click().run()
    assert not test.exception and "no longer appear" in test.success[0].value
    queue = review_queue(ledger_desk.ledger, QueueFilter(statuses=()), 0.0)
    assert article_id not in set(queue.article_id) and len(queue) > 0
    with ledger_desk.ledger.connect() as db:
        row = db.execute("SELECT actor, reason FROM withdrawals").fetchall()
    assert row == [("Amal", "The story was retracted")]
