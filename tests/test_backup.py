import json
import re
import threading
from pathlib import Path

import pytest

from workbench.backup import (
    MANIFEST,
    BackupError,
    backup_ledger,
    list_backups,
    read_manifest,
    restore_ledger,
)
from workbench.desk import Desk
from workbench.ledger import Ledger
from workbench.models import VerdictLabel
from workbench.schema import MIGRATIONS
from workbench.verdicts import record_verdict, reviewers, verdict_history

TABLES = ("articles", "claims", "verdicts", "events", "links", "outlets", "schema_migrations")


def snapshot(ledger: Ledger) -> dict[str, tuple[int, str]]:
    """Rows and a checksum of every table, and of the current_verdicts view."""
    with ledger.connect() as db:
        return {
            name: db.execute(
                "SELECT count(*), md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR)) "
                "FROM query_table(?) t",
                [name],
            ).fetchone()
            or (0, "")
            for name in (*TABLES, "current_verdicts")
        }


def record_some_verdicts(desk: Desk) -> list[str]:
    claim_ids = list(desk.claims().claim_id)
    ledger = desk.ledger
    record_verdict(ledger, claim_ids[0], VerdictLabel.DISPUTED, "amal", "=SUM(A1)", claim_ids[1:3])
    record_verdict(ledger, claim_ids[0], VerdictLabel.CORROBORATED, "omar", "قرأت المصدرين")
    record_verdict(ledger, claim_ids[5], VerdictLabel.PROPAGANDA_SOURCED, "amal")
    return claim_ids


def test_backup_then_restore_gives_identical_tables(loaded_desk: Desk, tmp_path: Path) -> None:
    record_some_verdicts(loaded_desk)
    before = snapshot(loaded_desk.ledger)

    backup = backup_ledger(loaded_desk.ledger, tmp_path / "backups")
    target = tmp_path / "restored" / "ledger.duckdb"
    restore_ledger(backup, target)

    restored = Ledger(target)
    assert snapshot(restored) == before
    assert before["verdicts"][0] == 3 and before["current_verdicts"][0] == 2
    assert verdict_history(restored, loaded_desk.claims().claim_id[0])[1].note == "قرأت المصدرين"
    with restored.connect() as db:
        indexes = {
            row[0] for row in db.execute("SELECT index_name FROM duckdb_indexes()").fetchall()
        }
    assert indexes == {"articles_url", "claims_article", "verdicts_claim"}


def test_backup_is_a_timestamped_folder_with_a_manifest(loaded_desk: Desk, tmp_path: Path) -> None:
    record_some_verdicts(loaded_desk)
    backup = backup_ledger(loaded_desk.ledger, tmp_path / "backups")

    assert re.fullmatch(r"ledger-\d{8}T\d{6}Z", backup.name)
    assert sorted(p.name for p in backup.iterdir()) == ["ledger.duckdb", MANIFEST]
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [backup.name]  # nothing partial
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == len(MIGRATIONS)
    counts = manifest["counts"]
    assert (counts["articles"], counts["verdicts"]) == (4, 3)
    assert counts["claims"] == loaded_desk.ledger.count_claims()
    assert manifest["created"].startswith(backup.name[7:11])
    assert manifest["bytes"] == (backup / "ledger.duckdb").stat().st_size


def test_two_backups_in_one_second_get_their_own_folders(desk: Desk, tmp_path: Path) -> None:
    first = backup_ledger(desk.ledger, tmp_path)
    second = backup_ledger(desk.ledger, tmp_path)
    assert first != second and first.is_dir() and second.is_dir()
    assert list_backups(tmp_path)[-1] == second


def test_keep_removes_the_oldest_backups(desk: Desk, tmp_path: Path) -> None:
    made = [backup_ledger(desk.ledger, tmp_path, keep=2) for _ in range(4)]
    assert list_backups(tmp_path) == made[2:]
    assert not made[0].exists() and not made[1].exists()
    with pytest.raises(BackupError):
        backup_ledger(desk.ledger, tmp_path, keep=0)


def test_restore_refuses_to_overwrite_without_force(loaded_desk: Desk, tmp_path: Path) -> None:
    claim_ids = record_some_verdicts(loaded_desk)
    ledger = loaded_desk.ledger
    backup = backup_ledger(ledger, tmp_path / "backups")
    record_verdict(ledger, claim_ids[6], VerdictLabel.DISPUTED, "late")
    after_backup = snapshot(ledger)

    with pytest.raises(BackupError, match="already exists"):
        restore_ledger(backup, ledger.path)
    assert snapshot(ledger) == after_backup

    restore_ledger(backup, ledger.path, force=True)
    assert snapshot(ledger)["verdicts"][0] == 3
    assert "late" not in reviewers(ledger)


def test_a_corrupted_backup_leaves_the_target_untouched(loaded_desk: Desk, tmp_path: Path) -> None:
    record_some_verdicts(loaded_desk)
    ledger = loaded_desk.ledger
    backup = backup_ledger(ledger, tmp_path / "backups")
    copy = backup / "ledger.duckdb"
    data = bytearray(copy.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
    copy.write_bytes(bytes(data))
    original = ledger.path.read_bytes()

    with pytest.raises(BackupError, match="damaged"):
        restore_ledger(backup, ledger.path, force=True)

    assert ledger.path.read_bytes() == original
    assert sorted(p.name for p in ledger.path.parent.iterdir() if p.name.startswith(".")) == []


def test_a_manifest_that_disagrees_with_the_copy_is_refused(desk: Desk, tmp_path: Path) -> None:
    backup = backup_ledger(desk.ledger, tmp_path / "backups")
    manifest = read_manifest(backup)
    manifest["counts"]["verdicts"] = 7
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "restored.duckdb"

    with pytest.raises(BackupError, match="manifest says"):
        restore_ledger(backup, target)
    assert not target.exists()
    assert list(tmp_path.glob(".restored.duckdb*")) == []


def test_a_backup_from_a_newer_schema_is_refused(desk: Desk, tmp_path: Path) -> None:
    backup = backup_ledger(desk.ledger, tmp_path / "backups")
    manifest = read_manifest(backup)
    manifest["schema_version"] = len(MIGRATIONS) + 1
    (backup / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="newer"):
        restore_ledger(backup, tmp_path / "restored.duckdb")


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="is it a backup"):
        restore_ledger(tmp_path, tmp_path / "restored.duckdb")


def test_backup_during_writes_is_one_snapshot(loaded_desk: Desk, tmp_path: Path) -> None:
    ledger = loaded_desk.ledger
    claim_ids = list(loaded_desk.claims().claim_id)
    recorded: list[str] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set() and len(recorded) < 500:
            claim_id = claim_ids[len(recorded) % len(claim_ids)]
            recorded.append(record_verdict(ledger, claim_id, VerdictLabel.DISPUTED, "w").verdict_id)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while len(recorded) < 5:
            stop.wait(0.005)
        backup = backup_ledger(ledger, tmp_path / "backups")
    finally:
        stop.set()
        writer.join()
    target = tmp_path / "restored.duckdb"
    restore_ledger(backup, target)

    with Ledger(target).connect() as db:
        copied = [row[0] for row in db.execute("SELECT verdict_id FROM verdicts").fetchall()]
    # Verdicts are written one after another, so a snapshot holds exactly the first N of them.
    assert len(copied) == read_manifest(backup)["counts"]["verdicts"] >= 5
    assert set(copied) == set(recorded[: len(copied)])
