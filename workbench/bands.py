"""Match bands: each model's cosine thresholds (calibrated in data/bands.json, else guessed) and
the guards that keep a short or conflicting match out of "same claim"."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from workbench.errors import WorkbenchError
from workbench.figures import conflicting_figures, describe, extract_figures
from workbench.files import write_atomically
from workbench.models import MatchBand
from workbench.settings import REPO
from workbench.stance import contradiction_signal

log = logging.getLogger(__name__)

BANDS_FILE = REPO / "data" / "bands.json"

# Either side with fewer content words than this is too thin for a cosine to call it "the same
# claim": "Breaking news" or "الجيش ينفي" sit near many unrelated sentences.
MIN_CONTENT_WORDS = 3
_STOPWORDS = frozenset(
    (
        "the a an of to in on at by for from with and or but as is are was were be been has have "
        "had it its this that these those he she they we you i his her their our not no "
        "في من على إلى الى عن مع أن ان إن لن لم ما لا هذا هذه ذلك تلك التي الذي الذين هو هي هم "
        "قد كان كانت بعد قبل عند حول بين أو او ثم كل بعض"
    ).split()
)
_WORD = re.compile(r"\w+")
_SHORT_REASON = "too short to call the same claim"
_NEGATION_REASON = "one side denies or negates what the other asserts"
_OPPOSITES_REASON = "the two sides use opposite words (rise / fall, win / lose...)"


@dataclass(frozen=True)
class Bands:
    """Cosine thresholds of a model: at or above `same` the same claim, above `related` related.

    A model's cosines run lower between two languages than within one (the default model's
    same-story articles: median 0.65 across languages, 0.69 within), so two claims in different
    languages are related from `related_across` where that was calibrated.
    """

    same: float
    related: float
    calibrated_on: str = ""  # what the thresholds were chosen on; empty when they are guessed
    related_across: float | None = None

    @property
    def is_calibrated(self) -> bool:
        return bool(self.calibrated_on)

    @property
    def least_related(self) -> float:
        """The lowest cosine at which two claims are related, in one language or across two."""
        return min(self.related, self.related_across or self.related)

    def band(self, score: float, across_languages: bool = False) -> MatchBand:
        if score >= self.same:
            return MatchBand.SAME
        related = self.related_across if across_languages and self.related_across else self.related
        return MatchBand.RELATED if score >= related else MatchBand.UNRELATED


@dataclass(frozen=True)
class Threshold:
    """A cosine threshold chosen to tell positive pairs from negative ones, and how well it does."""

    threshold: float
    f1: float
    precision: float
    recall: float
    positives: int
    negatives: int


def load_bands(model: str, default: Bands, path: Path = BANDS_FILE) -> Bands:
    """The model's calibrated bands from the bands file, else `default` (uncalibrated)."""
    entry = _read(path).get(model)
    if entry is None:
        log.info("no calibrated bands for %s in %s; using guessed ones", model, path)
        return Bands(default.same, default.related)
    try:
        same, related = float(entry["same"]["threshold"]), float(entry["related"]["threshold"])
    except (KeyError, TypeError, ValueError) as error:
        raise WorkbenchError(
            f"The bands file {path} lacks a same and a related threshold for {model!r}."
        ) from error
    across = entry.get("related_across")
    return Bands(
        same,
        related,
        f"{entry.get('calibrated_on') or 'calibrated'} ({entry.get('date')})",
        float(across["threshold"]) if isinstance(across, dict) else None,
    )


def save_bands(model: str, entry: dict[str, Any], path: Path = BANDS_FILE) -> None:
    """Write one model's calibration into the bands file, keeping the other models'."""
    bands = _read(path)
    bands[model] = {**entry, "date": entry.get("date") or date.today().isoformat()}
    write_atomically(path, json.dumps(bands, ensure_ascii=False, indent=2) + "\n")


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        bands = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise WorkbenchError(f"The bands file {path} is not valid JSON ({error}).") from error
    if not isinstance(bands, dict):
        raise WorkbenchError(f"The bands file {path} must hold one object keyed by model name.")
    return bands


def choose_threshold(positives: Sequence[float], negatives: Sequence[float]) -> Threshold:
    """The cosine at or above which a pair is called positive that maximises F1."""
    scores = np.concatenate([np.asarray(positives, float), np.asarray(negatives, float)])
    if not len(positives) or not len(negatives):
        raise WorkbenchError("A threshold needs both positive and negative pairs.")
    truth = np.concatenate([np.ones(len(positives)), np.zeros(len(negatives))])
    order = np.argsort(-scores, kind="stable")
    scores, truth = scores[order], truth[order]
    hits = np.cumsum(truth)
    called = np.arange(1, len(scores) + 1)
    # Only the last of tied scores is a threshold one can set.
    last = np.append(scores[1:] != scores[:-1], True)
    precision, recall = hits / called, hits / len(positives)
    f1 = np.where(hits > 0, 2 * precision * recall / np.maximum(precision + recall, 1e-12), 0.0)
    best = int(np.argmax(np.where(last, f1, -1.0)))
    return Threshold(
        threshold=round(float(scores[best]), 4),
        f1=round(float(f1[best]), 4),
        precision=round(float(precision[best]), 4),
        recall=round(float(recall[best]), 4),
        positives=len(positives),
        negatives=len(negatives),
    )


def content_words(text: str) -> int:
    """How many distinct words of a text carry content (not articles, prepositions...)."""
    words = {word.casefold() for word in _WORD.findall(text)}
    return sum(1 for word in words if word not in _STOPWORDS and (len(word) > 1 or word.isdigit()))


def guard_band(
    claim_text: str, match_text: str, band: MatchBand, language: str = ""
) -> tuple[MatchBand, str]:
    """The band to show for a match, and why it is not the cosine's band ("" when it is).

    Conflicting figures, a denial on one side only, or opposite words move a "same claim" match
    to "related" (a related match keeps its band but gets the reason); a very short text on
    either side also keeps a match out of "same claim".
    """
    if band == MatchBand.UNRELATED:
        return band, ""
    signal = contradiction_signal(claim_text, match_text, language)
    if signal == "figures":
        conflicts = conflicting_figures(
            extract_figures(claim_text, language), extract_figures(match_text, language)
        )
        here, there = conflicts[0]
        return MatchBand.RELATED, f"conflicting figures: {describe(here)} vs {describe(there)}"
    if signal:
        return MatchBand.RELATED, _NEGATION_REASON if signal == "negation" else _OPPOSITES_REASON
    shortest = min(content_words(claim_text), content_words(match_text))
    if band == MatchBand.SAME and shortest < MIN_CONTENT_WORDS:
        return MatchBand.RELATED, f"{_SHORT_REASON} ({shortest} content words)"
    return band, ""


def is_conflict(reason: str) -> bool:
    """Whether a guard's reason says the two texts conflict (not only that one is short)."""
    return bool(reason) and not reason.startswith(_SHORT_REASON)
