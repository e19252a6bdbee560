"""Files that other readers and processes can trust: written whole (a temporary beside it, then
a rename), stamped, and a folder updated by one process at a time."""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it only if the block completes."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomically(path: Path, text: str) -> None:
    """Replace a small text file (a manifest) in one step, flushed to disk first."""
    with replacing(path) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def file_id(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` now, however often it is written (a restore puts another there),
    or None when there is none."""
    status = _status(path)
    return (status.st_dev, status.st_ino) if status else None


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Which version of a file is at `path`: its inode and modification time (a replaced
    manifest has a new inode), or None when there is none."""
    status = _status(path)
    return (status.st_ino, status.st_mtime_ns) if status else None


def _status(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold a folder's lock so that one process at a time updates it (the indexes)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
