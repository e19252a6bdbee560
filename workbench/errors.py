"""The one error family that the CLI and the app show to people as a message."""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base class: a problem a person can fix, with a message that says how."""


class InputError(WorkbenchError):
    """A bad input record: names the file and line (or row) and, where known, the field."""

    def __init__(self, path: str | Path, line: int | None, reason: str, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.reason = reason
        self.field = field
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


class ModelError(WorkbenchError):
    """The embedding model could not be loaded."""


class IndexMismatchError(WorkbenchError):
    """The index on disk was built with another model or is damaged."""


class IndexOutdatedError(IndexMismatchError):
    """The index on disk was written by another version of the workbench: rebuild it."""


class NotFoundError(WorkbenchError):
    """A claim or article id that the ledger does not hold."""


class LedgerBusyError(WorkbenchError):
    """Another process held the ledger for longer than we were willing to wait."""


class VerdictConflictError(WorkbenchError):
    """Someone recorded a verdict on the claim after the version the reviewer saw."""
