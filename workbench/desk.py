"""The workbench as one object: ledger, encoder and index, shared by the CLI and the app."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.bands import Bands
from workbench.cards import Card
from workbench.embed import Encoder, load_encoder
from workbench.errors import IndexOutdatedError, InputError, NotFoundError, WorkbenchError
from workbench.files import locked
from workbench.ingest import Record, batch_articles, find_files, read_records
from workbench.ledger import Ledger
from workbench.links import add_links, clear_links, forget_links
from workbench.matching import interleave_languages, to_match
from workbench.models import Article, Claim, IngestReport, Match, Progress, ProgressCallback
from workbench.provenance import (
    Assessment,
    annotate_matches,
    assess,
    describe_claims,
    load_registry,
    source_to_json,
)
from workbench.retrieval import Retriever
from workbench.settings import Settings
from workbench.sources import Source, SourceRegistry
from workbench.text import clean_for_index

log = logging.getLogger(__name__)

# How many nearest claims are looked at when linking a new claim to its near-duplicates.
LINK_CANDIDATES = 20


class Desk:
    """Open once per process; safe to share between threads."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None):
        self.settings = settings
        self.ledger = Ledger(settings.ledger_path, settings.lock_timeout)
        self._encoder = encoder
        self._index: Retriever | None = None
        self._index_stamp: tuple[int, ...] = ()
        self._registry: tuple[tuple[int, ...], SourceRegistry] | None = None
        self._lock = threading.RLock()
        self._encoder_lock = threading.Lock()
        # Lock order: _writing (one writer of the index per process), the index folder's lock
        # (one per machine), then _lock (held briefly, for reads and swaps).
        self._writing = threading.Lock()

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = load_encoder(self.settings.model)
            return self._encoder

    @property
    def index_folder(self) -> Path:
        return self.settings.index_dir

    def _open_index(self) -> Retriever:
        """The indexes as saved: the ones in memory while no other process has saved others
        since (reading them again took 4 s at a million claims, and memory for two copies),
        else those on disk; ones written by an older workbench are started afresh."""
        with self._lock:
            current = self._index
        if current is not None and current.is_as_saved():
            return current
        name, dimension = self.encoder.name, self.encoder.dimension
        try:
            index = Retriever.open(self.index_folder, name, dimension)
        except IndexOutdatedError as error:
            log.warning("%s Rebuilding it from the ledger.", error)
            index = Retriever.empty(self.index_folder, name, dimension)
        return self._with_bands(index)

    def _with_bands(self, index: Retriever) -> Retriever:
        # The bands go into the manifest with the index whose claims they linked.
        index.dense.meta.setdefault("bands", asdict(self.encoder.bands))
        return index

    @property
    def bands(self) -> Bands:
        """The match bands the index was built with (the model's calibrated ones when new)."""
        return _bands_of(self.index())

    def index(self) -> Retriever:
        """The indexes, caught up with the ledger (claims written by other processes included).

        While another thread of this process writes to the index (an upload), readers get the
        index as it stands rather than waiting for the writer to finish.
        """
        with self._lock:
            stamp, current = self.ledger.stamp(), self._index
            if current is not None and (
                stamp == self._index_stamp or len(current) == self.ledger.count_claims()
            ):
                self._index_stamp = stamp
                return current
        if not self._writing.acquire(blocking=current is None):
            assert current is not None
            return current
        try:
            self._sync_index(None)
        finally:
            self._writing.release()
        with self._lock:
            self._index_stamp = stamp
            assert self._index is not None
            return self._index

    def sync_index(self, progress: ProgressCallback | None = None) -> int:
        """Embed and add every ledger claim the index lacks (after a crash, or a deleted folder),
        and drop the claims of withdrawn articles."""
        with self._writing:
            return self._sync_index(progress)

    def _sync_index(self, progress: ProgressCallback | None) -> int:
        with locked(self.index_folder):
            index = self._open_index()
            withdrawn = self.ledger.withdrawn_claim_ids()
            with self._lock:  # the index may be the one this process's readers search
                removed = index.remove(withdrawn)
            added = self._embed_missing(index, progress)
            if added or removed:
                with self._lock:
                    index.save()
            self._serve(index)
        return added

    def withdraw_article(self, article_id: str, actor: str, reason: str) -> int:
        """Take an article off the desk: its claims leave the queue and the search results."""
        claim_ids = self.ledger.withdraw_article(article_id, actor, reason)
        self.sync_index()
        return len(claim_ids)

    def reindex(self, progress: ProgressCallback | None = None) -> int:
        """Rebuild the index from the ledger alone."""
        with self._writing, locked(self.index_folder):
            index = self._with_bands(
                Retriever.empty(self.index_folder, self.encoder.name, self.encoder.dimension)
            )
            self._embed_missing(index, progress)
            index.save()
            self._serve(index)
        return len(index)

    def _serve(self, index: Retriever) -> None:
        """Answer from this index from now on.

        What it holds (lists of a million claim ids, among others) is frozen out of Python's
        cyclic garbage collector, whose full passes took 50-90 ms at a million claims while they
        still walked it: the slowest 1% of matches.
        """
        with self._lock:
            self._index = index
        gc.freeze()

    def keep_warm(self) -> None:
        """For a process that serves matches (the app): keep the ledger's caches warm and its
        claims' cards in memory (see `Ledger.warm`), from now on."""
        self.ledger.keep_warm()

    def _embed_missing(self, index: Retriever, progress: ProgressCallback | None) -> int:
        total = self.ledger.count_claims() - len(index)
        if not total:  # in step: skip reading every claim id (each ingest starts here)
            return 0
        relinking = not len(index)  # every claim is linked again
        if relinking:
            clear_links(self.ledger)
        done = 0
        for chunk in self.ledger.iter_claim_texts(exclude=index.complete_ids):
            for start in range(0, len(chunk), self.settings.batch_size):
                claim_ids, texts, languages = map(
                    list, zip(*chunk[start : start + self.settings.batch_size], strict=True)
                )
                if not relinking:  # claims linked before a crash lost the index's copy
                    forget_links(self.ledger, claim_ids)
                vectors = self._encode(texts)
                self._add(index, claim_ids, texts, languages, vectors, IngestReport())
                done += len(claim_ids)
                if progress:
                    progress(Progress(done, max(total, done), claims=done))
        return done

    # -- ingest ------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path],
        outlet: str | None = None,
        progress: ProgressCallback | None = None,
        actor: str = "ingest",
    ) -> IngestReport:
        """Read, split, write and index articles; bad records are reported, the rest go in."""
        report = IngestReport()
        try:
            files = find_files([Path(p) for p in paths])
        except InputError as error:
            report.errors.append(error)
            return report
        total = sum(path.stat().st_size for path in files)
        done = 0
        with self._ingesting() as index:
            for path in files:

                def on_batch(end_byte: int, start: int = done) -> None:
                    if progress:
                        progress(Progress(start + end_byte, total, report.added, report.claims))

                self._ingest_stream(read_records(path, outlet), index, report, actor, on_batch)
                done += path.stat().st_size
                on_batch(0, done)
        return report

    def ingest_records(
        self, records: Iterable[Record | InputError], actor: str = "ingest"
    ) -> IngestReport:
        """Ingest records that did not come from a file (benchmarks, the app's forms)."""
        report = IngestReport()
        with self._ingesting() as index:
            self._ingest_stream(records, index, report, actor, None)
        return report

    @contextmanager
    def _ingesting(self) -> Iterator[Retriever]:
        """The index to add to, held against other writers for the whole ingest.

        This process's readers (the app's other sessions) keep searching meanwhile: the desk's
        lock is taken for each batch's additions only, and the index is saved once at the end.
        """
        with self._writing, locked(self.index_folder):
            index = self._open_index()
            self._embed_missing(index, None)
            with self._lock:
                self._index = index
            try:
                yield index
            finally:
                with self._lock:
                    index.save()
            self.ledger.checkpoint()
            self._serve(index)

    def _ingest_stream(
        self,
        records: Iterable[Record | InputError],
        index: Retriever,
        report: IngestReport,
        actor: str,
        on_batch: Callable[[int], None] | None,
    ) -> None:
        """Write each batch to the ledger, then embed it while the next batch is read and split.

        Linking a batch waits for its vectors, and the next batch is embedded only then: doing
        both at once was slower on two cores, as each slowed the other.
        """

        def embed(texts: list[str]) -> np.ndarray:
            with report.timing("embedding"):
                return self._encode(texts)

        batches = batch_articles(records, report, self.settings.batch_size)
        with ThreadPoolExecutor(1, thread_name_prefix="encode") as pool:
            pending: tuple[list[Claim], Future[np.ndarray]] | None = None
            while True:
                with report.timing("reading and splitting"):
                    item = next(batches, None)
                if item is None:
                    break
                batch, end_byte = item
                with report.timing("writing the ledger"):
                    claims = self._store(batch, report, actor)
                if pending:
                    self._add_to_index(index, *pending, report)
                pending = (claims, pool.submit(embed, [c.clean_text for c in claims]))
                if on_batch:
                    on_batch(end_byte)
            if pending:
                self._add_to_index(index, *pending, report)

    def _store(
        self, batch: list[tuple[Article, list[Claim]]], report: IngestReport, actor: str
    ) -> list[Claim]:
        """Write a batch to the ledger; the claims of the articles that were new."""
        added = self.ledger.add_articles(batch, actor=actor)
        claims = [
            claim for (_, claims), new in zip(batch, added, strict=True) for claim in claims if new
        ]
        report.added += sum(added)
        report.duplicates += len(added) - sum(added)
        report.claims += len(claims)
        return claims

    def _encode(self, texts: list[str]) -> np.ndarray:
        # One encode at a time: not every backend is safe to call from two threads.
        with self._encoder_lock:
            return self.encoder.encode(texts)

    def _add_to_index(
        self,
        index: Retriever,
        claims: list[Claim],
        vectors: Future[np.ndarray],
        report: IngestReport,
    ) -> None:
        if not claims:
            return
        claim_ids = [claim.claim_id for claim in claims]
        texts = [claim.clean_text for claim in claims]
        languages = [claim.language for claim in claims]
        with report.timing("waiting for the encoder"):
            result = vectors.result()
        self._add(index, claim_ids, texts, languages, result, report)

    def _add(
        self,
        index: Retriever,
        claim_ids: list[str],
        texts: list[str],
        languages: list[str],
        vectors: np.ndarray,
        report: IngestReport,
    ) -> None:
        with self._lock:  # this process's readers may be searching this index
            with report.timing("adding to the indexes"):
                index.add(claim_ids, texts, languages, vectors)
            with report.timing("linking near-duplicates"):
                self._link(index, claim_ids, vectors)

    def _link(self, index: Retriever, claim_ids: list[str], vectors: np.ndarray) -> None:
        """Record each new claim's related claims from other outlets."""
        bands = _bands_of(index)
        query, others, scores = index.dense.neighbours(
            vectors, LINK_CANDIDATES, bands.least_related
        )
        sources = np.asarray(claim_ids, dtype=object)[query]
        add_links(self.ledger, sources, others, scores, self.encoder.name, bands.related)

    # -- matching ----------------------------------------------------------------------

    def match_text(
        self, text: str, k: int | None = None, language: str | None = None
    ) -> list[Match]:
        """The claims nearest to a free text, optionally only those in one language."""
        clean = clean_for_index(text)
        vector = self._encode([clean])[0]
        return self._nearest(
            vector,
            clean,
            "",
            k or self.settings.k,
            lambda row: not language or row.language == language,
        )

    def similar(self, claim_id: str, k: int | None = None) -> list[Match]:
        """Near-duplicates of a claim from other outlets (never its own article or outlet)."""
        claim = self.ledger.claim_details([claim_id]).get(claim_id)
        if claim is None:
            raise NotFoundError(f"No claim with id {claim_id!r} in the ledger.")
        index = self.index()
        with self._lock:
            vector = index.dense.vector(claim_id)
        if vector is None:
            vector = self._encode([claim.clean_text])[0]
        matches = self._nearest(
            vector,
            str(claim.clean_text),
            str(claim.language),
            k or self.settings.k,
            lambda row: row.article_id != claim.article_id and row.outlet != claim.outlet,
            balance=True,
        )
        return annotate_matches(self.ledger, self.registry(), claim_id, matches)

    def _nearest(
        self,
        vector: np.ndarray,
        text: str,
        language: str,
        k: int,
        keep: Callable[[Card], bool],
        balance: bool = False,
    ) -> list[Match]:
        index = self.index()
        # Balancing languages needs every candidate of both lists, not only the fused top.
        fetch = 2 * index.fusion.depth if balance else k * 4 + 16
        while True:
            with self._lock:  # an ingest in another thread adds to this index between searches
                hits = index.search(vector, text, language, min(fetch, len(index)))
            kept: list[tuple[Card, float]] = []
            # Details are read a chunk at a time, until k candidates pass (all, to balance).
            for start in range(0, len(hits), 2 * k):
                chunk = hits[start : start + 2 * k]
                details = self.ledger.cards(hit.claim_id for hit in chunk)
                kept += [
                    (details[hit.claim_id], hit.cosine)
                    for hit in chunk
                    if hit.claim_id in details and keep(details[hit.claim_id])
                ]
                if len(kept) >= k and not balance:
                    break
            if len(kept) >= k or fetch >= len(index):
                break
            fetch *= 4
        bands = self.bands
        if balance:
            kept = interleave_languages(kept, bands, language)
        return [to_match(row, cosine, bands, text, language) for row, cosine in kept[:k]]

    def claims(self, article_id: str | None = None) -> pd.DataFrame:
        return self.ledger.list_claims(article_id)

    # -- who says so -------------------------------------------------------------------

    def registry(self) -> SourceRegistry:
        """The source registry: the seed file plus every change recorded in the ledger."""
        stamp = (*self.ledger.stamp(), self.settings.sources.stat().st_mtime_ns)
        with self._lock:
            if self._registry is None or self._registry[0] != stamp:
                self._registry = (stamp, load_registry(self.settings.sources, self.ledger))
            return self._registry[1]

    def record_source(self, source: Source, actor: str) -> None:
        """Add or change a registry entry; the change is an audited ledger event."""
        if not source.source_id.strip() or not source.name.strip():
            raise WorkbenchError("A source needs an id and a name.")
        self.registry().with_change(source)  # refuses an unknown claimant before anything is kept
        self.ledger.record_event("source", actor, source_to_json(source))

    def assess(self, claim_id: str) -> Assessment:
        """The rules' suggestion for a claim, with its reasons; never a verdict."""
        return assess(self.ledger, self.registry(), claim_id, self.bands.same)

    def describe_claims(self, claim_ids: list[str]) -> dict[str, dict[str, Any]]:
        return describe_claims(self.ledger, self.registry(), claim_ids, self.bands.same)


def _bands_of(index: Retriever) -> Bands:
    return Bands(**index.dense.meta["bands"])
