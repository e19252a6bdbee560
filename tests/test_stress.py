"""Several processes and threads write verdicts to one ledger at once: none is lost."""

import threading
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.desk import Desk
from workbench.models import VerdictLabel
from workbench.settings import load_settings
from workbench.stress import run_writers
from workbench.verdicts import record_verdict, verdict_history


@pytest.mark.slow
def test_processes_and_threads_writing_at_once_lose_nothing(loaded_desk: Desk) -> None:
    result = run_writers(loaded_desk.ledger, processes=3, threads=2, writes=15)
    assert result["writes_sent"] == 3 * 2 * 15
    assert result["writes_stored"] == result["writes_sent"] and result["lost"] == 0


def test_threads_of_one_process_share_the_ledger(loaded_desk: Desk) -> None:
    claim_id = str(loaded_desk.claims().claim_id.iloc[0])
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            for _ in range(5):
                record_verdict(loaded_desk.ledger, claim_id, VerdictLabel.DISPUTED, f"t{number}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(verdict_history(loaded_desk.ledger, claim_id)) == 20


def test_cli_backup_and_restore(
    loaded_desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = loaded_desk.settings.home
    claim_id = str(loaded_desk.claims().claim_id.iloc[0])
    record_verdict(loaded_desk.ledger, claim_id, VerdictLabel.CORROBORATED, "amal")
    assert main(["--home", str(home), "backup", str(tmp_path / "backups")]) == 0
    (backup,) = (tmp_path / "backups").iterdir()
    fresh = tmp_path / "fresh"
    assert main(["--home", str(fresh), "restore", str(backup)]) == 0
    restored = Desk(load_settings(environ={}, home=fresh), encoder=loaded_desk.encoder)
    assert [v.reviewer for v in verdict_history(restored.ledger, claim_id)] == ["amal"]
    assert main(["--home", str(fresh), "restore", str(backup)]) == 2
    assert "force" in capsys.readouterr().err
