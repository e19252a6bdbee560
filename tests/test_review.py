"""The review queue: filters, spread, clusters, and pages read from the ledger."""

from __future__ import annotations

import pytest

from tests.conftest import DATA
from workbench.desk import Desk
from workbench.models import VerdictLabel
from workbench.review import QueueFilter, cluster_members, queue_size, review_queue
from workbench.verdicts import record_verdict


@pytest.fixture
def queue_desk(desk: Desk) -> Desk:
    report = desk.ingest([DATA / "articles.jsonl", DATA / "conflict.jsonl"])
    assert report.added == 7 and not report.errors
    return desk


def claim_of(desk: Desk, outlet: str, words: str) -> str:
    claims = desk.claims()
    chosen = claims[(claims.outlet == outlet) & claims.text.str.contains(words)]
    return str(chosen.claim_id.iloc[0])


@pytest.mark.parametrize("sort", ["spread", "date"])
def test_a_page_is_the_same_rows_as_that_slice_of_the_whole_queue(
    queue_desk: Desk, sort: str
) -> None:
    chosen, related = QueueFilter(statuses=(), sort=sort), queue_desk.bands.least_related
    whole = review_queue(queue_desk.ledger, chosen, related)
    assert queue_size(queue_desk.ledger, chosen, related) == len(whole) > 6
    pages = [review_queue(queue_desk.ledger, chosen, related, 4, start) for start in (0, 4, 8)]
    assert [len(page) for page in pages] == [4, 4, min(4, len(whole) - 8)]
    read = [claim for page in pages for claim in page.claim_id]
    assert read == whole.claim_id.tolist()[:12]


def test_widest_spread_comes_first(queue_desk: Desk) -> None:
    queue = review_queue(queue_desk.ledger, QueueFilter(), queue_desk.bands.least_related)
    spread = list(zip(queue.outlets, queue.languages, strict=True))
    assert spread == sorted(spread, reverse=True) and spread[0] > (1, 1)


def test_each_filter_narrows_the_queue_and_its_size(queue_desk: Desk) -> None:
    ledger, related = queue_desk.ledger, queue_desk.bands.least_related
    reviewed = claim_of(queue_desk, "Harbour Gazette", "evacuated")
    record_verdict(ledger, reviewed, VerdictLabel.CORROBORATED, "Amal", "checked")
    every = QueueFilter(statuses=())
    filters = {
        "outlet": (
            QueueFilter(outlets=("Harbour Gazette",)),
            lambda f: f.outlet == "Harbour Gazette",
        ),
        "language": (QueueFilter(statuses=(), languages=("ar",)), lambda f: f.language == "ar"),
        "status": (QueueFilter(statuses=("corroborated",)), lambda f: f.claim_id == reviewed),
        "search": (
            QueueFilter(statuses=(), search="families"),
            lambda f: f.text.str.contains("families"),
        ),
    }
    whole = review_queue(ledger, every, related)
    for name, (chosen, expected) in filters.items():
        queue = review_queue(ledger, chosen, related)
        assert 0 < len(queue) < len(whole), name
        assert set(queue.claim_id) == set(whole[expected(whole)].claim_id) - (
            {reviewed} if chosen.statuses == ("unreviewed",) else set()
        ), name
        assert queue_size(ledger, chosen, related) == len(queue), name


def test_a_cluster_is_the_claim_and_its_near_duplicates(queue_desk: Desk) -> None:
    ledger, related = queue_desk.ledger, queue_desk.bands.least_related
    claim = claim_of(queue_desk, "Harbour Gazette", "evacuated")
    chosen = QueueFilter(statuses=(), cluster=claim)
    queue = review_queue(ledger, chosen, related)
    assert set(queue.claim_id) == cluster_members(ledger, claim, related)
    assert claim in set(queue.claim_id) and len(queue) > 1
    assert "صحيفة الميناء" in set(queue.outlet)  # its Arabic counterpart
    assert queue_size(ledger, chosen, related) == len(queue)
