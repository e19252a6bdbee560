"""Killing an ingest at any moment leaves a consistent ledger; running it again completes it."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.desk import Desk
from workbench.embed import Encoder
from workbench.ingest import Record, build_article
from workbench.ledger import Ledger
from workbench.settings import REPO, load_settings

pytestmark = pytest.mark.slow
PLACES = ["Marsa", "Tell Abyad", "Qamishli", "Hama", "Maan", "Zarqa", "Tripoli", "Sidon"]
EVENTS = ["a flood", "a fire", "a strike", "a market reopening", "a power cut", "a protest"]


def write_corpus(path: Path, articles: int) -> dict[str, int]:
    """A corpus of distinct articles; returns the claim count expected for each external id."""
    expected = {}
    with open(path, "w", encoding="utf-8") as out:
        for number in range(articles):
            place, event = PLACES[number % len(PLACES)], EVENTS[number % len(EVENTS)]
            text = (
                f"Officials in {place} reported {event} on day {number} of the month. "
                f"Residents said {number % 50 + 2} families were affected by {event}. "
                f"The council of {place} promised an inquiry into report number {number}."
            )
            record = {
                "id": f"r{number}",
                "outlet": f"Outlet {number % 7}",
                "text": text,
                "title": f"Report {number}: {event} in {place}",
                "language": "en",
            }
            out.write(json.dumps(record) + "\n")
            _, claims = build_article(Record(str(path), number + 1, record, 0))
            expected[f"r{number}"] = len(claims)
    return expected


def check_consistent(ledger: Ledger, expected: dict[str, int]) -> int:
    """No claim without its article, no article without all its claims, no link stored twice;
    returns the articles."""
    with ledger.connect() as db:
        orphans = db.execute(
            "SELECT count(*) FROM claims c ANTI JOIN articles a USING (article_id)"
        ).fetchone()
        counts = dict(
            db.execute(
                "SELECT a.external_id, count(c.claim_id) FROM articles a "
                "LEFT JOIN claims c USING (article_id) GROUP BY ALL"
            ).fetchall()
        )
        twice = db.execute(
            "SELECT count(*) FROM (SELECT claim_id, other_id FROM links GROUP BY ALL "
            "HAVING count(*) > 1)"
        ).fetchone()
    assert orphans == (0,)
    assert twice == (0,), "a link stored twice"
    assert all(counts[external] == expected[external] for external in counts), "half an article"
    return len(counts)


def ingest_process(home: Path, corpus: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "--home", str(home), "ingest", str(corpus)],
        cwd=REPO,
        env={**os.environ, "WORKBENCH_BATCH_SIZE": "64"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for_articles(process: subprocess.Popen[bytes], articles: int) -> None:
    """Read the progress bar until this run reports at least `articles` new articles."""
    assert process.stderr is not None
    shown = b""
    while process.poll() is None:
        shown += os.read(process.stderr.fileno(), 4096)
        counts = re.findall(rb"articles=(\d+)", shown)
        if counts and int(counts[-1]) >= articles:
            return
    raise AssertionError(f"the ingest ended before {articles} articles: {shown[-300:]!r}")


def test_kill_ingest_at_random_moments_then_complete(tmp_path: Path, encoder: Encoder) -> None:
    corpus = tmp_path / "corpus.jsonl"
    expected = write_corpus(corpus, 1500)
    home = tmp_path / "home"
    random_moments = random.Random(7)
    seen = []
    for _ in range(5):
        process = ingest_process(home, corpus)
        # Some progress, then a random moment within the next batches: never past the end.
        wait_for_articles(process, random_moments.randint(20, 80))
        time.sleep(random_moments.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait()
        seen.append(check_consistent(Ledger(home / "ledger.duckdb"), expected))
    assert seen[-1] < len(expected), "the kills should land before the ingest finishes"
    last = ingest_process(home, corpus)
    last.communicate(timeout=600)  # reads the progress bar, so a full pipe never blocks it
    assert last.returncode == 0
    ledger = Ledger(home / "ledger.duckdb")
    assert check_consistent(ledger, expected) == len(expected)  # complete, no duplicates
    desk = Desk(load_settings(environ={}, home=home), encoder=encoder)
    assert len(desk.index()) == ledger.count_claims() == sum(expected.values())
