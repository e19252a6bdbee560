"""Labelled text pairs from public benchmarks (Arabic News Stance, SemEval-2022 Task 8), scored
through the encoder, bands and guards the desk uses; and the calibration of the bands on them."""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.bands import (
    BANDS_FILE,
    Bands,
    Threshold,
    choose_threshold,
    guard_band,
    is_conflict,
    save_bands,
)
from workbench.bench import read_fact_checks, read_qrels, read_queries
from workbench.claims import split_claims
from workbench.embed import Encoder
from workbench.errors import InputError, WorkbenchError
from workbench.models import MatchBand
from workbench.stance import contradiction_signal
from workbench.text import clean_for_index

log = logging.getLogger(__name__)

ANS_LABELS = ("agree", "disagree", "other")
CONFLICT = "related, conflict"  # what the desk shows for a pair a guard found in conflict
SHOWN = (MatchBand.SAME.value, CONFLICT, MatchBand.RELATED.value, MatchBand.UNRELATED.value)
# How what the desk shows reads as a stance: "related" means the same story but not the same
# claim, which is what a contradiction is, with or without a guard's reason.
STANCE_OF_SHOWN = {
    MatchBand.SAME.value: "agree",
    CONFLICT: "disagree",
    MatchBand.RELATED.value: "disagree",
    MatchBand.UNRELATED.value: "other",
}
# The default first: with USE on the SemEval training file, the whole text as one input gave
# Pearson 0.711, the mean of its claims' vectors 0.668, the first three claims 0.683.
ARTICLE_METHODS = ("whole", "claims", "lead")
LEAD_CLAIMS = 3
# Hard negatives are what the desk would show: the top k (its default) that are not relevant.
HARD_NEGATIVES_PER_QUERY = 5
SAME_STORY, OTHER_STORY = 2.0, 3.0  # SemEval Overall: 1 same story ... 4 unrelated
ANS_REFERENCE = "zero-shot, no training; the ANS paper's best model (a trained BERT): 76.7 F1, test"
SEMEVAL_REFERENCE = "zero-shot, no training; the best trained system: 0.818 on the full eval set"


@dataclass(frozen=True)
class ArticlePair:
    """Two news articles and how similar annotators found them (1 same story .. 4 unrelated)."""

    pair_id: str
    text1: str
    text2: str
    lang1: str
    lang2: str
    overall: float


def read_ans(folder: Path, split: str) -> list[tuple[str, str, str]]:
    """(s1, s2, stance) rows of an ANS split; folder holds stance/<split>.csv or is that folder."""
    path = (folder / "stance" if (folder / "stance").is_dir() else folder) / f"{split}.csv"
    if not path.exists():
        raise WorkbenchError(f"No ANS split {split!r} at {path}.")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"s1", "s2", "stance"} <= rows[0].keys():
        raise InputError(path, 1, "expected the columns s1, s2, stance")
    return [(row["s1"], row["s2"], row["stance"]) for row in rows]


def read_semeval(path: Path) -> list[ArticlePair]:
    """The pairs of a SemEval-2022 Task 8 CSV, each pair id once."""
    csv.field_size_limit(64 * 1024 * 1024)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"pair_id", "text1", "text2", "lang1", "lang2", "Overall"}
        if not needed <= set(reader.fieldnames or ()):
            raise InputError(path, 1, f"expected the columns {', '.join(sorted(needed))}")
        pairs = {
            row["pair_id"]: ArticlePair(
                row["pair_id"],
                row["text1"],
                row["text2"],
                row["lang1"],
                row["lang2"],
                float(row["Overall"]),
            )
            for row in reader
            if row["text1"].strip() and row["text2"].strip()
        }
    return list(pairs.values())


def cosines(encoder: Encoder, firsts: Sequence[str], seconds: Sequence[str]) -> np.ndarray:
    """The cosine of each pair, each text embedded once in the form the desk indexes."""
    texts = list(dict.fromkeys(clean_for_index(t) for t in (*firsts, *seconds)))
    vectors = dict(zip(texts, encoder.encode(texts), strict=True))
    return np.array(
        [
            float(vectors[clean_for_index(a)] @ vectors[clean_for_index(b)])
            for a, b in zip(firsts, seconds, strict=True)
        ]
    )


def article_vectors(
    encoder: Encoder, texts: Sequence[str], languages: Sequence[str], method: str = "whole"
) -> np.ndarray:
    """One unit vector per article: the mean of its claims', of its first claims', or the whole."""
    if method not in ARTICLE_METHODS:
        raise WorkbenchError(f"Unknown article method {method!r}: one of {ARTICLE_METHODS}.")
    pieces: list[list[str]] = []
    for text, language in zip(texts, languages, strict=True):
        claims = [clean_for_index(span.text) for span in split_claims(text, "", language)]
        if method == "whole" or not claims:
            pieces.append([clean_for_index(text)])
        else:
            pieces.append(claims if method == "claims" else [" ".join(claims[:LEAD_CLAIMS])])
    flat = [piece for article in pieces for piece in article]
    vectors = encoder.encode(flat)
    ends = np.cumsum([len(article) for article in pieces])
    means = np.stack(
        [vectors[end - len(p) : end].mean(axis=0) for p, end in zip(pieces, ends, strict=True)]
    )
    unit: np.ndarray = means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return unit


def shown(claim: str, match: str, score: float, bands: Bands, language: str) -> str:
    """What the desk shows for a pair: a band, with "related, conflict" when a guard found one."""
    band, reason = guard_band(claim, match, bands.band(score), language)
    return CONFLICT if band == MatchBand.RELATED and is_conflict(reason) else band.value


def bench_ans(encoder: Encoder, folder: Path, split: str = "dev") -> dict[str, Any]:
    """How well the desk's bands and guards tell agree, disagree and other ANS pairs apart."""
    rows = read_ans(folder, split)
    scores = cosines(encoder, [r[0] for r in rows], [r[1] for r in rows])
    golds = np.array([gold for *_, gold in rows])
    confusion = {label: dict.fromkeys(SHOWN, 0) for label in ANS_LABELS}
    for (s1, s2, gold), score in zip(rows, scores, strict=True):
        confusion[gold][shown(s1, s2, score, encoder.bands, "ar")] += 1
    per_class = {}
    for label in ANS_LABELS:
        ours = [s for s in SHOWN if STANCE_OF_SHOWN[s] == label]
        called = sum(row[s] for row in confusion.values() for s in ours)
        right = sum(confusion[label][s] for s in ours)
        per_class[label] = _scores(right, called, sum(confusion[label].values()))
    return {
        "split": split,
        "pairs": len(rows),
        "model": encoder.name,
        "bands": asdict(encoder.bands),
        "confusion": confusion,
        "read_as": STANCE_OF_SHOWN,
        "per_class": per_class,
        "macro_f1": round(sum(c["f1"] for c in per_class.values()) / len(per_class), 3),
        "mean_cosine": {
            label: round(float(scores[golds == label].mean()), 3)
            for label in ANS_LABELS
            if (golds == label).any()
        },
        "contradictions": evaluate_contradictions(rows),
        "reference": ANS_REFERENCE,
    }


def evaluate_contradictions(rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Precision and recall of the contradiction signals, "disagree" against "agree" pairs.

    "other" pairs are left out, as they are neither paraphrase nor contradiction.
    """
    pairs = [row for row in rows if row[2] in ("agree", "disagree")]
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for s1, s2, gold in pairs:
        if signal := contradiction_signal(s1, s2, "ar"):
            predicted[signal] += 1
            correct[signal] += gold == "disagree"
    disagree = sum(gold == "disagree" for *_, gold in pairs)
    result: dict[str, Any] = {"pairs": len(pairs)}
    result.update(_scores(sum(correct.values()), sum(predicted.values()), disagree))
    result["by_signal"] = {s: {"predicted": predicted[s], "correct": correct[s]} for s in predicted}
    return result


def bench_semeval(encoder: Encoder, path: Path, method: str = "claims") -> dict[str, Any]:
    """Pearson between the article cosine and SemEval's Overall (negated: higher is closer)."""
    pairs = read_semeval(path)
    scores = _article_cosines(encoder, pairs, method)
    closeness = -np.array([pair.overall for pair in pairs])
    by_languages: dict[str, list[int]] = {}
    for i, pair in enumerate(pairs):
        by_languages.setdefault(f"{pair.lang1}-{pair.lang2}", []).append(i)
    per_pair = {
        languages: {"pairs": len(rows), "pearson": _pearson(scores[rows], closeness[rows])}
        for languages, rows in sorted(by_languages.items(), key=lambda item: -len(item[1]))
    }
    return {
        "pairs": len(pairs),
        "model": encoder.name,
        "article_vector": method,
        "pearson": _pearson(scores, closeness),
        "pearson_mean_over_language_pairs": round(
            float(np.mean([p["pearson"] for p in per_pair.values()])), 3
        ),
        "by_language_pair": per_pair,
        "reference": SEMEVAL_REFERENCE,
    }


def calibrate(
    encoder: Encoder,
    ans: Path,
    semeval: Path,
    checkthat: Sequence[tuple[Path, Path, Path]],
    split: str = "train",
    path: Path | None = None,
) -> dict[str, Any]:
    """Choose the model's "same claim" and "related" thresholds and write them to the bands file.

    Same claim: ANS agree pairs and CheckThat relevant (query, fact-check) pairs against ANS
    other pairs and each query's top non-relevant fact-checks. Related: SemEval same-story
    articles (Overall <= 2) against different stories (>= 3), and related across languages on
    the pairs of articles in two languages alone. Each threshold maximises F1.
    """
    path = path or BANDS_FILE
    rows = read_ans(ans, split)
    ans_scores = cosines(encoder, [r[0] for r in rows], [r[1] for r in rows])
    golds = np.array([gold for *_, gold in rows])
    positives = ans_scores[golds == "agree"].tolist()
    negatives = ans_scores[golds == "other"].tolist()
    counts = {"ans_agree": len(positives), "ans_other": len(negatives)}
    for claims, queries, qrels in checkthat:
        relevant, hard = _checkthat_scores(encoder, claims, queries, qrels)
        positives += relevant
        negatives += hard
        counts[f"{claims.name}_relevant"] = len(relevant)
        counts[f"{claims.name}_hard_negatives"] = len(hard)
    same = choose_threshold(positives, negatives)
    pairs = read_semeval(semeval)
    story = _article_cosines(encoder, pairs, ARTICLE_METHODS[0])
    overall = np.array([pair.overall for pair in pairs])
    related = choose_threshold(
        story[overall <= SAME_STORY].tolist(), story[overall >= OTHER_STORY].tolist()
    )
    across = np.array([pair.lang1 != pair.lang2 for pair in pairs], dtype=bool)
    across_positives = story[across & (overall <= SAME_STORY)].tolist()
    across_negatives = story[across & (overall >= OTHER_STORY)].tolist()
    entry: dict[str, Any] = {
        "same": asdict(same),
        "related": _below(related, same),
        "calibrated_on": (
            f"ANS {split} agree/other, "
            + ", ".join(f"CheckThat {c.parent.name} {q.name}" for c, _, q in checkthat)
            + f", SemEval-2022 T8 {semeval.name}"
        ),
        "rule": "each threshold maximises F1; hard negatives are each query's top "
        f"{HARD_NEGATIVES_PER_QUERY} non-relevant fact-checks; SemEval articles embedded "
        f"{ARTICLE_METHODS[0]}; related is at most same; related_across from the pairs of "
        "articles in two languages alone",
        "pairs": counts,
    }
    if across_positives and across_negatives:
        # Between two languages: SemEval's pairs of articles in different languages alone.
        entry["related_across"] = _below(choose_threshold(across_positives, across_negatives), same)
    save_bands(encoder.name, entry, path)
    log.info("calibrated bands for %s: %s", encoder.name, entry)
    return {"model": encoder.name, "file": str(path), **entry}


def _below(related: Threshold, same: Threshold) -> dict[str, Any]:
    """A related threshold as saved: at most "same claim", which a higher one would hide."""
    entry: dict[str, Any] = asdict(related)
    if related.threshold > same.threshold:
        entry.update(threshold=same.threshold, optimum=related.threshold)
    return entry


def _checkthat_scores(
    encoder: Encoder, claims: Path, queries: Path, qrels: Path
) -> tuple[list[float], list[float]]:
    """Cosines of relevant (query, fact-check) pairs and of each query's top non-relevant ones."""
    relevant = read_qrels(qrels)
    asked = [(qid, text) for qid, text in read_queries(queries) if qid in relevant]
    checks = [(cid, text) for cid, text, _ in read_fact_checks(claims) if text.strip()]
    ids = [cid for cid, _ in checks]
    matrix = (
        encoder.encode([clean_for_index(t) for _, t in asked])
        @ encoder.encode([clean_for_index(t) for _, t in checks]).T
    )
    positives, negatives = [], []
    for row, (qid, _) in zip(matrix, asked, strict=True):
        gold = relevant[qid]
        positives += [float(row[i]) for i, cid in enumerate(ids) if cid in gold]
        top = np.argsort(-row)[: HARD_NEGATIVES_PER_QUERY + len(gold)]
        negatives += [float(row[i]) for i in top if ids[i] not in gold][:HARD_NEGATIVES_PER_QUERY]
    return positives, negatives


def _article_cosines(encoder: Encoder, pairs: list[ArticlePair], method: str) -> np.ndarray:
    texts = [p.text1 for p in pairs] + [p.text2 for p in pairs]
    languages = [p.lang1 for p in pairs] + [p.lang2 for p in pairs]
    vectors = article_vectors(encoder, texts, languages, method)
    products: np.ndarray = np.einsum("ij,ij->i", vectors[: len(pairs)], vectors[len(pairs) :])
    return products


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return 0.0
    return round(float(np.corrcoef(x, y)[0, 1]), 3)


def _scores(right: int, called: int, support: int) -> dict[str, Any]:
    precision = right / called if called else 0.0
    recall = right / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "support": support,
        "predicted": called,
        "correct": right,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }
