"""A process keeps the ledger open between calls, and lets go when another process asks."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench import ledger as ledger_module
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
    real_open = ledger._open
    monkeypatch.setattr(ledger, "_open", lambda: opened.append(1) or real_open())
    ledger.record_event("note", "me", '{"n": 0}')
    time.sleep(3 * ledger_module.POLL_SECONDS)  # idle, and nobody asked for it
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
    monkeypatch.setattr(ledger_module, "IDLE_SECONDS", 0.2)
    ledger = Ledger(tmp_path / "ledger.duckdb")
    ledger.record_event("note", "me", '{"n": 0}')
    deadline = time.monotonic() + 5
    while ledger._held is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ledger._held is None
