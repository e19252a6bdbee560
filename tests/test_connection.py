"""A process keeps the ledger open between calls, lets go when another process asks, and a
serving process keeps the file's caches warm."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench import cards, connection
from workbench import ledger as ledger_module
from workbench.files import file_id
from workbench.ingest import Record, build_article
from workbench.ledger import Ledger
from workbench.settings import REPO

WRITE_FROM_ANOTHER_PROCESS = """
import sys, time
from pathlib import Path
from workbench.ledger import Ledger
started = time.monotonic()
Ledger(Path(sys.argv[1]), lock_timeout=20).record_event("note", "other", '{"n": 1}')
print(round(time.monotonic() - started, 2))
"""


def test_the_file_stays_open_between_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = Ledger(tmp_path / "ledger.duckdb")
    opened = []
    real_open = ledger._file._open
    monkeypatch.setattr(ledger._file, "_open", lambda: opened.append(1) or real_open())
    ledger.record_event("note", "me", '{"n": 0}')
    time.sleep(3 * connection.POLL_SECONDS)  # idle, and nobody asked for it
    assert ledger.events("note") == ['{"n": 0}']
    assert opened == []


def test_another_process_gets_the_file_when_it_asks(tmp_path: Path) -> None:
    path = tmp_path / "ledger.duckdb"
    ledger = Ledger(path)
    ledger.record_event("note", "me", '{"n": 0}')  # held from now on
    done = subprocess.run(
        [sys.executable, "-c", WRITE_FROM_ANOTHER_PROCESS, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 5  # handed over at the holder's next look, not after 30 s
    assert ledger.events("note") == ['{"n": 0}', '{"n": 1}']  # opened again, sees the write


def test_an_idle_file_is_let_go_after_a_while(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "IDLE_SECONDS", 0.2)
    ledger = Ledger(tmp_path / "ledger.duckdb")
    ledger.record_event("note", "me", '{"n": 0}')
    deadline = time.monotonic() + 5
    while ledger._file._held is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ledger._file._held is None


def _ledger_of(path: Path, articles: int) -> Ledger:
    """A ledger of `articles` articles of three claims each."""
    ledger = Ledger(path)
    _add_articles(ledger, range(1, articles + 1))
    return ledger


def _add_articles(ledger: Ledger, numbers: range) -> None:
    ledger.add_articles(
        [
            build_article(
                Record(
                    "corpus.jsonl",
                    number,
                    {
                        "outlet": f"Outlet {number % 3}",
                        "language": "en",
                        "text": f"Report {number} came in. The bridge {number} was shut. "
                        f"The mayor said {number} people were hurt.",
                        "url": f"https://example.org/{number}",
                        "published": "2024-05-0" + str(1 + number % 9),
                    },
                    0,
                )
            )
            for number in numbers
        ]
    )


def test_warming_looks_up_a_spread_of_claims_and_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_module, "WARM_KEYS", 10)
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 40)
    assert ledger.count_claims() == 120
    assert ledger.warm() == 10 + 10  # every 12th of 120 claims, every 4th of 40 articles


def test_warming_stops_when_another_process_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_module, "WARM_KEYS", 10)
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 40)
    ledger._file._want.touch()  # as a process that finds the file taken does
    assert ledger.warm() == 0
    assert ledger._file._held is None  # and the file is handed over


def _closed_ledger_that_signals_warming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Ledger, threading.Event]:
    """A small ledger, let go, whose warming sets the event returned (what the thread calls)."""
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 4)
    warmed = threading.Event()
    monkeypatch.setattr(ledger, "warm", warmed.set)
    ledger.close()
    return ledger, warmed


def test_a_serving_process_warms_the_file_whenever_it_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, warmed = _closed_ledger_that_signals_warming(tmp_path, monkeypatch)
    ledger.count_claims()
    assert not warmed.wait(0.5)  # not a serving process
    ledger.keep_warm()
    assert warmed.wait(5)
    warmed.clear()
    ledger.keep_warm()  # already kept warm, and the file is still open: nothing to do
    assert not warmed.wait(0.5)
    ledger.close()
    ledger.count_claims()  # opened again
    assert warmed.wait(5)


def test_warming_never_opens_a_file_that_was_let_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, warmed = _closed_ledger_that_signals_warming(tmp_path, monkeypatch)
    ledger.keep_warm()  # the file is not open: another process may be writing to it
    assert not warmed.wait(0.5)
    assert ledger._file._held is None
    ledger.count_claims()  # this process opens it for its own work: now it warms
    assert warmed.wait(5)


def test_warming_reads_the_claims_cards_as_the_file_has_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 40)
    ids = ledger.claim_ids()
    from_file = ledger.cards(ids)
    assert len(from_file) == 120 and len(ledger._cards) == 0
    card = next(card for card in from_file.values() if "bridge 7 " in card.text)
    assert (card.outlet, card.url, str(card.published)) == (
        "Outlet 1",
        "https://example.org/7",
        "2024-05-08",
    )
    ledger.warm()
    assert ledger.cards(["c-unknown"]) == {}  # not held, so looked up: not in the file either
    monkeypatch.setattr(ledger, "claim_details", lambda ids: pytest.fail(f"read {ids}"))
    assert ledger.cards(ids) == from_file  # all from memory now


def test_claims_written_since_a_warming_are_read_from_the_file_until_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards, "READ_ROWS", 7)  # several chunks, ending mid-chunk
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 10)
    ledger.warm()
    assert len(ledger._cards) == 30
    read_before = set(ledger.claim_ids())
    _add_articles(ledger, range(11, 15))
    new = sorted(set(ledger.claim_ids()) - read_before)
    assert len(new) == 12
    assert ledger._cards.get(new, file_id(ledger.path)) == ({}, new)
    assert len(ledger.cards(new)) == 12  # from the file
    with ledger.connect() as db:
        file = file_id(ledger.path)
        assert ledger._cards.read(db, file, lambda: False) == 12  # only the new ones
    assert len(ledger._cards) == 42


def test_a_stopped_read_goes_on_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards, "READ_ROWS", 5)
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 10)
    held, file = cards.Cards(), file_id(ledger.path)
    asked = iter([False, False, False, True])  # the articles, one chunk of claims, then stop
    with ledger.connect() as db:
        assert held.read(db, file, lambda: next(asked)) == 5
        assert held.read(db, file, lambda: False) == 25
    found, missing = held.get(ledger.claim_ids(), file)
    assert len(found) == 30 and not missing


def test_cards_read_from_a_file_since_replaced_are_not_used(tmp_path: Path) -> None:
    ledger = _ledger_of(tmp_path / "ledger.duckdb", 4)
    held = cards.Cards()
    with ledger.connect() as db:
        held.read(db, ("old", 1), lambda: False)
        assert held.get(ledger.claim_ids(), ("new", 2)) == ({}, ledger.claim_ids())
        assert held.read(db, ("new", 2), lambda: False) == 12  # all of them again
