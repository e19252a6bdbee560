"""The FAISS index of claim vectors: a folder with a manifest, derived from the ledger.

Small collections are searched exactly. Past `exact_limit` claims the index is an inverted file of
8-bit scalar-quantised codes (a quarter of the memory of float32), trained on the claims and
built to probe the fewest lists that find `TARGET_RECALL` of the exact ten nearest neighbours.
The exact vectors stay on disk in a file of float32 rows that only grows (a saved generation reads
its first rows), read for `vector()`, exact search and rebuilding.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from workbench.errors import IndexMismatchError, IndexOutdatedError
from workbench.files import file_stamp, write_atomically
from workbench.vectorfile import VectorFile

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 2
FLAT, APPROXIMATE = "flat", "ivf-sq8"
# Exact search reads every vector for each query: about 3 ms at 25,000 claims and 8 ms at 50,000
# (512 dimensions, one thread). At 1,000,000 the inverted file took 0.4 ms (clustered vectors) to
# 4.5 ms (an unclustered cloud that needed 128 probes) per query.
EXACT_LIMIT = 25_000
# 2 x sqrt(count) lists: at 1,000,000 claims, 4 x sqrt took three times as long to build (204 s
# against 69 s on two cores) and needed twice the probes for the same recall, no faster.
LISTS_PER_ROOT = 2
GROWTH = 2  # retrain once the stored rows pass this many times the count trained for
TARGET_RECALL = 0.97  # recall@10 against exact search, measured on stored claims when built
# Never fewer than 8 lists (about 0.5 ms at 1,000,000): the recall is measured on 200 claims,
# and claims added before the next retraining land in lists drawn without them.
PROBES = (8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256)
# A query scans at most this many times the codes of an average query's lists: claims repeated
# across outlets crowd a few lists (in the 1,000,000-claim benchmark the largest held 47,649
# codes against 511 on average), and a query probing them took 10-17 ms instead of 0.5 ms. At
# 10x the p99 there fell from 9.4 to 2.5 ms, and the build still chose 8 probes (recall@10 0.974).
CODE_BUDGET = 10
RECALL_QUERIES = 200
TRAINING_PER_LIST = 40  # FAISS warns below 39 training vectors per list
CHUNK = 50_000  # rows read from disk at a time
# FAISS 1.15 keeps batches off BLAS unless told (the default threshold is 128,000): at 50,000 x 512,
# batches of 8 to 64 ran 3-7x faster through BLAS, single queries 3x slower. The ingest links each
# batch of new claims with one search; the app asks one query at a time.
BLAS_SINGLE, BLAS_BATCH, BATCH = 128_000, 16, 8

# Claim rows looked up in an inverted file (`vectors`) through a hash table: removals allowed.
BY_ROW = faiss.DirectMap.Hashtable  # type: ignore[attr-defined]

Hits = list[list[tuple[str, float]]]


class ClaimIndex:
    """Nearest-neighbour search over normalised vectors; speaks only in claim ids."""

    def __init__(
        self,
        folder: Path,
        model: str,
        dimension: int,
        meta: dict[str, Any] | None = None,
        exact_limit: int | None = None,
    ):
        self.folder = Path(folder)
        self.model = model
        self.dimension = dimension
        self.meta: dict[str, Any] = dict(meta or {})  # kept in the manifest (match bands...)
        self.exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
        self.created = datetime.now(UTC).isoformat(timespec="seconds")
        self.kind = FLAT
        self.params: dict[str, Any] = {}  # how the index was built: nlist, nprobe, recall...
        self._faiss: Any = _flat(dimension)  # FAISS ids are rows of the vectors file
        self._ids: list[str] = []  # claim id by row; "" once removed
        self._rows: dict[str, int] = {}
        self._vectors = VectorFile.fresh(self.folder, dimension)
        self._file_saved = False  # whether a saved generation reads the vectors file
        self._generation = 0
        self._saved: tuple[int, int] | None = None  # the manifest this index was read or saved as

    @classmethod
    def open(
        cls,
        folder: Path,
        model: str,
        dimension: int,
        meta: dict[str, Any] | None = None,
        exact_limit: int | None = None,
    ) -> ClaimIndex:
        """Load the index in `folder` with the meta it was saved with (or start one with `meta`).

        Refuses an index built with another model or by another version of the workbench.
        """
        index = cls(folder, model, dimension, meta, exact_limit)
        path = index.folder / MANIFEST
        if not path.exists():
            return index
        saved = file_stamp(path)  # read first: a later save changes it
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("model") != model or manifest.get("dimension") != dimension:
            raise IndexMismatchError(
                f"The index in {index.folder} was built with the model {manifest.get('model')!r} "
                f"({manifest.get('dimension')} dimensions), not {model!r}. Rebuild it with "
                "`python -m workbench reindex`, or set WORKBENCH_MODEL back."
            )
        if manifest.get("format") != FORMAT:
            raise IndexOutdatedError(
                f"The index in {index.folder} was written by another version of the workbench; "
                "rebuild it with `python -m workbench reindex`."
            )
        generation, rows = int(manifest["generation"]), int(manifest["rows"])
        text = (index.folder / f"ids-{generation}.txt").read_text(encoding="utf-8")
        index._ids = text.split("\n") if rows else []
        index._rows = {claim_id: row for row, claim_id in enumerate(index._ids) if claim_id}
        index._vectors = VectorFile(index.folder / manifest["vectors"], dimension)
        index._file_saved = True
        index._generation, index._saved = generation, saved
        index.kind, index.params = manifest["kind"], manifest["params"]
        index.meta, index.created = manifest["meta"], manifest["created"]
        stored = index._vectors.rows()  # opened now: readable even once a newer save deletes it
        if len(index._ids) != rows or len(index._rows) != manifest["count"] or stored < rows:
            raise index._damaged()
        if index.kind == APPROXIMATE:
            index._faiss = faiss.read_index(str(index.folder / f"ivf-{generation}.faiss"))
            index._faiss.nprobe = index.params["nprobe"]
            index._faiss.set_direct_map_type(BY_ROW)  # saved without one by earlier versions
        else:
            index._faiss = index._build_flat()
        if index._faiss.ntotal != len(index._rows):
            raise index._damaged()
        return index

    def __len__(self) -> int:
        return len(self._rows)

    def is_as_saved(self) -> bool:
        """Whether the files on disk still hold this index as it was opened or last saved (no
        other process has saved another since)."""
        return file_stamp(self.folder / MANIFEST) == self._saved

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
        new = np.ascontiguousarray(vectors[fresh], dtype=np.float32)
        first = len(self._ids)
        self._append(first, new)
        for row, i in enumerate(fresh, start=first):
            self._rows[claim_ids[i]] = row
            self._ids.append(claim_ids[i])
        self._faiss.add_with_ids(new, np.arange(first, len(self._ids), dtype=np.int64))
        if self._is_stale():
            self.rebuild()

    def remove(self, claim_ids: Iterable[str]) -> int:
        """Take claims out of the index (a withdrawn article); returns how many it held."""
        rows = [self._rows.pop(claim_id) for claim_id in set(claim_ids) if claim_id in self._rows]
        for row in rows:
            self._ids[row] = ""
        if rows:
            self._faiss.remove_ids(np.array(rows, dtype=np.int64))
        return len(rows)

    def vector(self, claim_id: str) -> np.ndarray | None:
        row = self._rows.get(claim_id)
        return None if row is None else self._vectors.read([row])[0]

    def vectors(self, claim_ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of claims, zeros for those it lacks, without reading the disk when
        the index is approximate: its in-memory codes, decoded (cosines within about 0.01)."""
        rows = np.array([self._rows.get(claim_id, -1) for claim_id in claim_ids], dtype=np.int64)
        out = np.zeros((len(rows), self.dimension), dtype=np.float32)
        known = rows >= 0
        if known.any():
            read = self._faiss.reconstruct_batch if self.kind == APPROXIMATE else self._vectors.read
            out[known] = read(rows[known])
        return out

    def all_vectors(self) -> np.ndarray:
        """Every stored vector (removed claims left out), in insertion order."""
        chunks = [chunk for _, chunk in self._live_chunks()]
        return np.concatenate(chunks) if chunks else np.empty((0, self.dimension), np.float32)

    def search(self, vectors: np.ndarray, k: int) -> Hits:
        """The k nearest claims to each query vector, best first, as (claim_id, cosine)."""
        scores, rows = self._search_rows(vectors, k)
        return self._named(rows, scores)

    def neighbours(
        self, vectors: np.ndarray, k: int, min_score: float
    ) -> tuple[np.ndarray, list[str], np.ndarray]:
        """Of each query's k nearest claims, those at or above a cosine, as three columns: the
        query's position, the claim's id and the cosine (a batch's links, without a tuple each)."""
        scores, rows = self._search_rows(vectors, k)
        query, column = np.nonzero((rows >= 0) & (scores >= min_score))
        return query, [self._ids[row] for row in rows[query, column]], scores[query, column]

    def _search_rows(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if not self._rows or k <= 0:
            return np.empty((len(vectors), 0), np.float32), np.empty((len(vectors), 0), np.int64)
        queries = np.ascontiguousarray(vectors, dtype=np.float32)
        # One setting for the process: a race between threads costs speed, never results.
        faiss.cvar.distance_compute_blas_threshold = (
            BLAS_BATCH if len(queries) >= BATCH else BLAS_SINGLE
        )
        if self.kind == APPROXIMATE:
            scores, rows = self._faiss.search(queries, k, params=self._budget())
        else:
            scores, rows = self._faiss.search(queries, k)
        return scores, rows

    def exact_search(self, vectors: np.ndarray, k: int) -> Hits:
        """The reference for `search`: brute force over the exact vectors, read from disk."""
        queries = np.ascontiguousarray(vectors, dtype=np.float32)
        faiss.cvar.distance_compute_blas_threshold = BLAS_BATCH
        heap = faiss.ResultHeap(len(queries), k, keep_max=True)
        for rows, chunk in self._live_chunks():
            if len(rows):
                scores, found = faiss.knn(queries, chunk, k, metric=faiss.METRIC_INNER_PRODUCT)
                heap.add_result(scores, np.where(found >= 0, rows[found], -1))
        heap.finalize()
        return self._named(heap.I, heap.D)

    def recall(self, vectors: np.ndarray, own: Sequence[str], k: int = 10) -> float:
        """Share of the exact k nearest that `search` finds, each query's own claim left out."""
        return _overlap(self.search(vectors, k + 1), self.exact_search(vectors, k + 1), own, k)

    def rebuild(self) -> None:
        """Compact the stored rows and build the index that their number calls for."""
        started = time.perf_counter()
        source, self._faiss = self._vectors, None  # free the old index before building
        source_saved = self._file_saved
        self._vectors, self._file_saved = VectorFile.fresh(self.folder, self.dimension), False
        written = 0
        for _, chunk in self._live_chunks(source):
            self._vectors.write(written, chunk)
            written += len(chunk)
        if not source_saved:  # no manifest reads it: an ingest that grows the index far would
            source.path.unlink(missing_ok=True)  # otherwise leave one file per rebuild until saved
        self._ids = [claim_id for claim_id in self._ids if claim_id]
        self._rows = {claim_id: row for row, claim_id in enumerate(self._ids)}
        if len(self._ids) < self.exact_limit:
            self.kind, self.params, self._faiss = FLAT, {}, self._build_flat()
        else:
            self.kind = APPROXIMATE
            self._train()
        self.params["build_s"] = round(time.perf_counter() - started, 2)
        log.info("Built the %s index of %d claims: %s", self.kind, len(self), self.params)

    def save(self) -> None:
        """Write a new generation of files, then switch the manifest to it in one rename."""
        if self._is_stale():
            self.rebuild()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._vectors.rows()  # creates the file of an empty index
        generation = self._generation + 1
        keep = {MANIFEST, self._vectors.path.name, f"ids-{generation}.txt"}
        (self.folder / f"ids-{generation}.txt").write_text("\n".join(self._ids), encoding="utf-8")
        if self.kind == APPROXIMATE:
            keep.add(f"ivf-{generation}.faiss")
            faiss.write_index(self._faiss, str(self.folder / f"ivf-{generation}.faiss"))
        manifest = {
            "format": FORMAT,
            "kind": self.kind,
            "params": self.params,
            "model": self.model,
            "dimension": self.dimension,
            "count": len(self._rows),
            "rows": len(self._ids),
            "vectors": self._vectors.path.name,
            "generation": generation,
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "meta": self.meta,
        }
        write_atomically(self.folder / MANIFEST, json.dumps(manifest, indent=2))
        self._saved = file_stamp(self.folder / MANIFEST)  # saves are one at a time (`locked`)
        self._generation, self._file_saved = generation, True
        for old in self.folder.glob("*-*.*"):
            if old.name not in keep:
                old.unlink(missing_ok=True)

    def _is_stale(self) -> bool:
        """Whether the index no longer suits its claims: too many of them, or many removed."""
        if 4 * (len(self._ids) - len(self._rows)) > len(self._ids):
            return True
        if self.kind == FLAT:
            return len(self._rows) >= self.exact_limit
        return len(self._ids) > GROWTH * int(self.params["trained_for"])

    def _build_flat(self) -> Any:
        index = _flat(self.dimension)
        for rows, chunk in self._live_chunks():
            index.add_with_ids(chunk, rows)
        return index

    def _train(self) -> None:
        """An inverted file trained on a sample of the claims, probing what reaches the target."""
        count = len(self._ids)
        nlist = int(LISTS_PER_ROOT * math.sqrt(count))
        nlist = max(1, min(nlist, (count - RECALL_QUERIES) // TRAINING_PER_LIST))
        sample = np.random.default_rng(0).permutation(count)
        held_out = np.sort(sample[:RECALL_QUERIES])  # not trained on, unless the set is tiny
        training = np.sort(sample[-TRAINING_PER_LIST * nlist :])
        self._faiss = faiss.index_factory(
            self.dimension, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT
        )
        self._faiss.train(self._vectors.read(training))
        self._faiss.set_direct_map_type(BY_ROW)
        for rows, chunk in self._live_chunks():
            self._faiss.add_with_ids(chunk, rows)
        queries, own = self._vectors.read(held_out), [self._ids[row] for row in held_out]
        truth = self.exact_search(queries, 11)
        for nprobe in PROBES:
            self._faiss.nprobe = min(nprobe, nlist)
            recall = _overlap(self.search(queries, 11), truth, own, 10)
            if recall >= TARGET_RECALL or nprobe >= nlist:
                break
        self.params = {"nlist": nlist, "nprobe": int(self._faiss.nprobe), "trained_for": count}
        self.params.update({"recall@10": round(recall, 4), "trained_on": len(training)})

    def _budget(self) -> Any:
        """How many lists to probe, and how many codes to scan at most."""
        params = faiss.SearchParametersIVF()
        params.nprobe = self._faiss.nprobe
        average = self._faiss.ntotal * params.nprobe // self._faiss.nlist
        params.max_codes = max(CODE_BUDGET * average, 1)
        return params

    def _append(self, first: int, vectors: np.ndarray) -> None:
        """Write rows past the last that a saved generation reads."""
        manifest = self.folder / MANIFEST
        saved = json.loads(manifest.read_text())["generation"] if manifest.exists() else None
        if self._file_saved and saved != self._generation:
            # Another process saved (or deleted the folder) since this one opened: the rows it
            # wrote share the file.
            raise IndexMismatchError(f"The index in {self.folder} changed; open it again.")
        self._vectors.write(first, vectors)

    def _live_chunks(
        self, source: VectorFile | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(rows, vectors) of the claims not removed, CHUNK rows at a time."""
        for start in range(0, len(self._ids), CHUNK):
            count = min(CHUNK, len(self._ids) - start)
            live = np.array([bool(claim_id) for claim_id in self._ids[start : start + count]])
            rows = np.arange(start, start + count, dtype=np.int64)[live]
            yield rows, (source or self._vectors).read_range(start, count)[live]

    def _named(self, rows: np.ndarray, scores: np.ndarray) -> Hits:
        return [
            [(self._ids[r], float(s)) for r, s in zip(row_list, score_list, strict=True) if r >= 0]
            for row_list, score_list in zip(rows, scores, strict=True)
        ]

    def _damaged(self) -> IndexMismatchError:
        return IndexMismatchError(
            f"The index in {self.folder} is damaged (counts differ); "
            "run `python -m workbench reindex`."
        )


def _flat(dimension: int) -> Any:
    return faiss.IndexIDMap(faiss.IndexFlatIP(dimension))


def _overlap(found: Hits, truth: Hits, own: Sequence[str], k: int) -> float:
    """Mean share of the true k nearest found, each query's own claim left out of both."""
    shares = []
    for got, expected, claim_id in zip(found, truth, own, strict=True):
        want = [other for other, _ in expected if other != claim_id][:k]
        have = [other for other, _ in got if other != claim_id][:k]
        shares.append(len(set(have).intersection(want)) / max(len(want), 1))
    return float(np.mean(shares)) if shares else 1.0
