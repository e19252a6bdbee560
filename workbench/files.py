"""Writing files so that a reader never sees half of one: a temporary beside it, then a rename."""

from __future__ import annotations

import json
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


def is_as_saved(manifest: Path, generation: int, created: str) -> bool:
    """Whether an index's manifest still names the generation and creation time that an index
    in memory was opened or last saved as (generation 0: never saved, and no manifest)."""
    try:
        saved = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return generation == 0
    return (saved["generation"], saved["created"]) == (generation, created)
