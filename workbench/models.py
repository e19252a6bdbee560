"""The values passed between stages: articles, claims, matches, verdicts and ingest reports."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from workbench.errors import InputError


class VerdictLabel(StrEnum):
    """What a fact-checker decided about a claim."""

    CORROBORATED = "corroborated"
    DISPUTED = "disputed"
    PROPAGANDA_SOURCED = "propaganda-sourced"


class MatchBand(StrEnum):
    """How close a match is, by the model's calibrated thresholds."""

    SAME = "same claim"
    RELATED = "related"
    UNRELATED = "unrelated"


@dataclass(frozen=True)
class Article:
    article_id: str
    outlet: str
    title: str
    text: str
    language: str
    url: str = ""
    published: date | None = None
    external_id: str = ""
    source: str = ""  # the file (and line) it came from
    event: str = ""  # an optional label that groups articles about one story


@dataclass(frozen=True)
class Claim:
    claim_id: str
    article_id: str
    position: int  # 0 for the headline, then body claims in order
    text: str  # the original characters of the article
    clean_text: str  # what is embedded and indexed
    start: int
    end: int
    is_headline: bool
    language: str


@dataclass(frozen=True)
class FigureConflict:
    """Two figures for the same thing that cannot both be right."""

    claim: str  # as the claim states it, e.g. "40 killed"
    match: str  # as the match states it, e.g. "39 killed"


@dataclass(frozen=True)
class Match:
    claim_id: str
    text: str
    outlet: str
    language: str
    article_id: str
    url: str
    published: date | None
    score: float
    band: MatchBand = MatchBand.UNRELATED
    band_reason: str = ""  # why a guard moved the match out of the cosine's band, or flagged it
    origin: str = ""  # the root source the match relays (a registry id, a name, or its outlet)
    conflicting_figures: tuple[FigureConflict, ...] = ()
    # "40 killed"; "15 killed here, at least 12 killed there"
    agreeing_figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    verdict_id: str
    claim_id: str
    label: VerdictLabel
    reviewer: str
    note: str
    created_at: datetime
    evidence: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Progress:
    """How far a long job has got: units done of total (total 0 when unknown)."""

    done: int
    total: int
    articles: int = 0
    claims: int = 0


ProgressCallback = Callable[[Progress], None]


@dataclass
class IngestReport:
    added: int = 0
    duplicates: int = 0
    claims: int = 0
    errors: list[InputError] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds by stage; embedding runs on its own thread, beside the others."""

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started
