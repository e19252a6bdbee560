"""The FAISS index of claim vectors: a folder with a manifest, derived from the ledger."""

from __future__ import annotations

import fcntl
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from workbench.errors import IndexMismatchError
from workbench.files import write_atomically

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 1


class ClaimIndex:
    """Exact inner-product search over normalised vectors; speaks only in claim ids."""

    def __init__(self, folder: Path, model: str, dimension: int):
        self.folder = Path(folder)
        self.model = model
        self.dimension = dimension
        self.created = datetime.now(UTC).isoformat(timespec="seconds")
        self._faiss: Any = faiss.IndexFlatIP(dimension)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._generation = 0

    @classmethod
    def open(cls, folder: Path, model: str, dimension: int) -> ClaimIndex:
        """Load the index in `folder` (or start one); refuse one built with another model."""
        index = cls(folder, model, dimension)
        manifest_path = index.folder / MANIFEST
        if not manifest_path.exists():
            return index
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("model") != model or manifest.get("dimension") != dimension:
            raise IndexMismatchError(
                f"The index in {index.folder} was built with the model {manifest.get('model')!r} "
                f"({manifest.get('dimension')} dimensions), not {model!r}. Rebuild it with "
                "`python -m workbench reindex`, or set WORKBENCH_MODEL back."
            )
        generation = int(manifest["generation"])
        vectors = faiss.read_index(str(index.folder / f"vectors-{generation}.faiss"))
        ids = (index.folder / f"ids-{generation}.txt").read_text(encoding="utf-8").split()
        if vectors.ntotal != len(ids) or len(ids) != manifest["count"]:
            raise IndexMismatchError(
                f"The index in {index.folder} is damaged (counts differ); "
                "run `python -m workbench reindex`."
            )
        index._faiss, index._ids, index._generation = vectors, ids, generation
        index._rows = {claim_id: row for row, claim_id in enumerate(ids)}
        index.created = manifest["created"]
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._rows

    @property
    def claim_ids(self) -> set[str]:
        return set(self._rows)

    def add(self, claim_ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add vectors for claims not yet in the index (others are ignored)."""
        fresh = [i for i, claim_id in enumerate(claim_ids) if claim_id not in self._rows]
        if not fresh:
            return
        if vectors.shape[1] != self.dimension:
            raise IndexMismatchError(
                f"Vectors have {vectors.shape[1]} dimensions; the index has {self.dimension}."
            )
        for i in fresh:
            self._rows[claim_ids[i]] = len(self._ids)
            self._ids.append(claim_ids[i])
        self._faiss.add(np.ascontiguousarray(vectors[fresh], dtype=np.float32))

    def vector(self, claim_id: str) -> np.ndarray | None:
        row = self._rows.get(claim_id)
        return None if row is None else self._faiss.reconstruct(row)

    def all_vectors(self) -> np.ndarray:
        """Every stored vector, in insertion order."""
        return np.asarray(self._faiss.reconstruct_n(0, len(self._ids)), dtype=np.float32)

    def search(self, vectors: np.ndarray, k: int) -> list[list[tuple[str, float]]]:
        """The k nearest claims to each query vector, best first, as (claim_id, cosine)."""
        if not self._ids or k <= 0:
            return [[] for _ in range(len(vectors))]
        scores, rows = self._faiss.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
        return [
            [
                (self._ids[row], float(score))
                for row, score in zip(row_list, score_list, strict=True)
                if row >= 0
            ]
            for row_list, score_list in zip(rows, scores, strict=True)
        ]

    def save(self) -> None:
        """Write a new generation of files, then switch the manifest to it in one rename."""
        self.folder.mkdir(parents=True, exist_ok=True)
        generation = self._generation + 1
        faiss.write_index(self._faiss, str(self.folder / f"vectors-{generation}.faiss"))
        (self.folder / f"ids-{generation}.txt").write_text("\n".join(self._ids), encoding="utf-8")
        manifest = {
            "format": FORMAT,
            "kind": "flat-inner-product",
            "model": self.model,
            "dimension": self.dimension,
            "count": len(self._ids),
            "generation": generation,
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_atomically(self.folder / MANIFEST, json.dumps(manifest, indent=2))
        self._generation = generation
        for old in self.folder.glob("*-*.*"):
            if old.stem.rsplit("-", 1)[-1] != str(generation):
                old.unlink(missing_ok=True)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the index folder's lock so that one process at a time updates it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
