"""The index's exact vectors on disk: a file of float32 rows that only grows."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class VectorFile:
    """Float32 vectors, a row each, read without mapping them (they never count as memory).

    Held open once used, so that its rows stay readable after a newer generation deletes it.
    """

    def __init__(self, path: Path, dimension: int):
        self.path, self.dimension, self.width = path, dimension, 4 * dimension
        self._fd: int | None = None

    @classmethod
    def fresh(cls, folder: Path, dimension: int) -> VectorFile:
        return cls(folder / f"vectors-{uuid.uuid4().hex[:12]}.f32", dimension)

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)

    def _open(self) -> int:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        return self._fd

    def rows(self) -> int:
        return os.fstat(self._open()).st_size // self.width

    def write(self, first: int, vectors: np.ndarray) -> None:
        os.pwrite(self._open(), np.asarray(vectors, np.float32).tobytes(), first * self.width)

    def read(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        fd = self._open()
        out = np.empty((len(rows), self.dimension), dtype=np.float32)
        for i, row in enumerate(rows):
            out[i] = np.frombuffer(os.pread(fd, self.width, int(row) * self.width), np.float32)
        return out

    def read_range(self, start: int, count: int) -> np.ndarray:
        data = os.pread(self._open(), count * self.width, start * self.width)
        return np.frombuffer(data, np.float32).reshape(count, self.dimension)
