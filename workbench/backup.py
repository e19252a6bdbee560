"""Backups of the ledger: a consistent copy in a timestamped folder with a manifest, and restores.

A backup is a folder `ledger-YYYYMMDDTHHMMSSZ/` holding `ledger.duckdb`, written by DuckDB's
`COPY FROM DATABASE` into a freshly attached file, and `manifest.json` (created, schema version,
rows per table, size and SHA-256 of the copy). The copy is a complete DuckDB database with the same
tables, constraints, indexes, view and schema_migrations rows, so restoring is checking it and
putting the file in place: there is nothing to re-import.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from workbench.errors import WorkbenchError
from workbench.files import replacing
from workbench.ledger import Ledger
from workbench.schema import MIGRATIONS

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
LEDGER_FILE = "ledger.duckdb"
PREFIX = "ledger-"
BACKUP_NAME = re.compile(rf"{PREFIX}\d{{8}}T\d{{6}}Z(-\d+)?")
MANIFEST_FIELDS = ("created", "schema_version", "counts", "file", "sha256")
FORMAT = 1


class BackupError(WorkbenchError):
    """A backup that cannot be made or restored: damaged, too new, or a target in use."""


def backup_ledger(ledger: Ledger, folder: Path, keep: int | None = None) -> Path:
    """Copy the ledger into a new timestamped folder under `folder`; returns that folder.

    With `keep`, only the newest `keep` backups in `folder` are kept afterwards.
    """
    if keep is not None and keep < 1:
        raise BackupError(f"keep must be at least 1, not {keep}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    # Built under a hidden name and renamed when complete: a crash never leaves a folder that
    # looks like a backup.
    staging = Path(tempfile.mkdtemp(prefix=f".{PREFIX}", suffix=".partial", dir=folder))
    try:
        copy = staging / LEDGER_FILE
        with ledger.connect() as db:
            counts, version = _copy_database(db, copy)
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "source": str(ledger.path),
            "schema_version": version,
            "counts": counts,
            "file": LEDGER_FILE,
            "bytes": copy.stat().st_size,
            "sha256": _sha256(copy),
            "duckdb_version": duckdb.__version__,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        backup = _publish(staging, folder, created.strftime(f"{PREFIX}%Y%m%dT%H%M%SZ"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("backed up %s to %s (%s)", ledger.path, backup, counts)
    if keep is not None:
        for old in list_backups(folder)[:-keep]:
            shutil.rmtree(old)
            log.info("removed old backup %s", old)
    return backup


def _copy_database(db: duckdb.DuckDBPyConnection, copy: Path) -> tuple[dict[str, int], int]:
    """Copy the open ledger into a new file; returns its rows per table and schema version."""
    (source,) = db.execute("SELECT current_database()").fetchone() or ("",)
    db.execute("ATTACH ? AS backup", [str(copy)])
    try:
        # Other processes wait on the file lock while this connection holds it; the transaction
        # also makes the copy one snapshot against threads of this process.
        db.begin()
        try:
            # COPY FROM DATABASE takes names, not parameters: quote the catalog name.
            db.execute(f"COPY FROM DATABASE {_quote(source)} TO backup")
            described = _describe(db, "backup")
        except BaseException:
            db.rollback()
            raise
        db.commit()
    finally:
        db.execute("DETACH backup")
    return described


def _describe(db: duckdb.DuckDBPyConnection, catalog: str) -> tuple[dict[str, int], int]:
    """Rows in each table of an attached database, and its schema version."""
    tables = db.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name",
        [catalog],
    ).fetchall()
    counts: dict[str, int] = {}
    for (table,) in tables:
        row = db.execute(
            "SELECT count(*) FROM query_table(?)", [f"{_quote(catalog)}.main.{_quote(table)}"]
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    if "schema_migrations" not in counts:
        raise BackupError("The database has no schema_migrations table: it is not a ledger.")
    row = db.execute(
        "SELECT max(version) FROM query_table(?)",
        [f"{_quote(catalog)}.main.schema_migrations"],
    ).fetchone()
    return counts, int(row[0]) if row and row[0] is not None else 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _publish(staging: Path, folder: Path, name: str) -> Path:
    """Rename the finished backup to `name`, or `name-N` after any backup taken this second."""
    taken = [path.name for path in folder.glob(f"{name}*") if BACKUP_NAME.fullmatch(path.name)]
    # Suffixes only grow, so a name is never reused, even after older backups were pruned.
    attempts = [int(taken_name[len(name) + 1 :] or 0) for taken_name in taken]
    backup = folder / (f"{name}-{max(attempts) + 1}" if taken else name)
    staging.rename(backup)
    return backup


def list_backups(folder: Path) -> list[Path]:
    """The complete backups in `folder`, oldest first."""
    found = []
    for path in Path(folder).iterdir():
        if not (BACKUP_NAME.fullmatch(path.name) and (path / MANIFEST).is_file()):
            continue
        try:
            found.append((str(read_manifest(path)["created"]), path.name, path))
        except BackupError as error:
            log.warning("skipping %s: %s", path, error)
    return [path for _, _, path in sorted(found)]


def read_manifest(backup: Path) -> dict[str, Any]:
    """The manifest of a backup folder."""
    path = Path(backup) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} is missing or damaged ({error}); is it a backup?") from error
    if not isinstance(manifest, dict):
        manifest = {}
    missing = [field for field in MANIFEST_FIELDS if field not in manifest]
    if missing:
        raise BackupError(f"{path} is not a backup manifest: it lacks {', '.join(missing)}.")
    return manifest


def restore_ledger(backup: Path, target: Path, *, force: bool = False) -> None:
    """Put a backup in place as the ledger at `target`, checking it first.

    An existing ledger is replaced only with `force`, and only once the copy has checked out: on
    any failure the old ledger stays as it was.
    """
    backup, target = Path(backup), Path(target)
    manifest = read_manifest(backup)
    if manifest["schema_version"] > len(MIGRATIONS):
        raise BackupError(
            f"{backup} has schema version {manifest['schema_version']}, newer than this "
            f"workbench's {len(MIGRATIONS)}: restore it with a newer version."
        )
    if target.exists():
        if not force:
            raise BackupError(f"{target} already exists; restore with force to replace it.")
        _check_not_in_use(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as temporary:
        shutil.copyfile(backup / manifest["file"], temporary)
        if _sha256(temporary) != manifest["sha256"]:
            raise BackupError(f"{backup / manifest['file']} does not match its manifest: damaged.")
        _check_copy(temporary, manifest)
        # A write-ahead log left by the old file would be replayed against the new one.
        Path(f"{target}.wal").unlink(missing_ok=True)
    log.info("restored %s from %s", target, backup)


def _check_copy(path: Path, manifest: dict[str, Any]) -> None:
    """Open the copy and compare its rows and schema version with the manifest."""
    try:
        with duckdb.connect() as db:
            db.execute("ATTACH ? AS restored (READ_ONLY)", [str(path)])
            counts, version = _describe(db, "restored")
    except duckdb.Error as error:
        raise BackupError(f"The backup does not open as a DuckDB database: {error}") from error
    if counts != manifest["counts"] or version != manifest["schema_version"]:
        raise BackupError(
            f"The backup holds {counts} at schema version {version}, but its manifest says "
            f"{manifest['counts']} at version {manifest['schema_version']}."
        )


def _check_not_in_use(target: Path) -> None:
    """Refuse to replace a ledger another process has open; fold in a healthy ledger's log."""
    try:
        duckdb.connect(str(target)).close()
    except duckdb.Error as error:
        if "lock" in str(error).lower():
            raise BackupError(
                f"{target} is in use by another process; stop it before restoring."
            ) from error
        # A damaged ledger is a reason to restore, not a reason to refuse.
        log.warning("the ledger %s being replaced does not open: %s", target, error)
