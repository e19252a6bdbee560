"""Does one account contradict another? Conflicting figures, a denial or negation on one side
only, and a few opposite verbs; measured on the Arabic News Stance (ANS) corpus.

Tuned on ANS train and dev only. The signals are cheap and precise rather than complete: most ANS
contradictions swap an entity or a word for its opposite, which needs a model to catch.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.figures import conflicting_figures, extract_figures
from workbench.sources import fold, word_readings

log = logging.getLogger(__name__)

# Negation, denial and failure words, folded when the module loads.
NEGATIONS = (
    "لم لن ليس ليست لا غير عدم نفى نفت ينفي تنفي يرفض ترفض رفض رفضت بدون دون بلا ينكر تنكر "
    "فشل يفشل تفشل أخفق يخفق تخفق not no never denies denied deny without"
)
# "لا يزال" is "still", not a negation.
_STILL = re.compile(r"(?<!\w)[وف]?(?:لا|ما) (?:يزال|تزال|زال|زالت|يزالون)(?!\w)")
# Opposite pairs; one account contradicts another when each uses one side only.
OPPOSITES = (
    (
        "ارتفاع ارتفع ارتفعت يرتفع ترتفع صعود يصعد تصعد قفزة زيادة يزيد تزيد أعلى انتعاش ينتعش "
        "تنتعش مكاسب يكسب تكسب أرباح يربح تربح يرفع ترفع رفع",
        "انخفاض انخفض انخفضت ينخفض تنخفض هبوط هبط هبطت يهبط تهبط تراجع يتراجع تتراجع خفض يخفض "
        "تخفض أدنى تدهور يتدهور تتدهور خسائر",
    ),
    ("فوز يفوز تفوز فاز فازت", "خسارة يخسر تخسر خسر خسرت هزيمة"),
    ("فتح يفتح تفتح افتتاح", "إغلاق يغلق تغلق أغلق أغلقت"),
    ("قبول يقبل تقبل وافق يوافق توافق موافقة", "رفض يرفض ترفض"),
    ("يسمح تسمح السماح منح يمنح تمنح منحت", "يمنع تمنع منع منعت حظر يحظر تحظر"),
    ("إعدام السجن سجن حبس اعتقال يعتقل تعتقل اعتقلت", "براءة إطلاق الإفراج يفرج تفرج أفرجت"),
    ("نجاة نجا نجت", "مصرع مقتل"),
    ("اتفاق يتفق تتفق", "خلاف يختلف تختلف"),
    ("أكثر", "أقل"),
)


def contradicts(a: str, b: str, language: str = "ar") -> bool:
    """True when the two texts cannot both be right, by the cheap signals of this module."""
    return bool(contradiction_signal(a, b, language))


def contradiction_signal(a: str, b: str, language: str = "ar") -> str:
    """Which signal says a and b contradict: "figures", "negation", "opposites", or ""."""
    if conflicting_figures(extract_figures(a, language), extract_figures(b, language)):
        return "figures"
    words_a, words_b = _words(a), _words(b)
    if bool(words_a & _NEGATIONS) != bool(words_b & _NEGATIONS):
        return "negation"
    for up, down in _OPPOSITES:
        a_up, a_down, b_up, b_down = (
            bool(w & side) for w in (words_a, words_b) for side in (up, down)
        )
        if (a_up and not a_down and b_down and not b_up) or (
            a_down and not a_up and b_up and not b_down
        ):
            return "opposites"
    return ""


def evaluate_ans(folder: Path, split: str = "dev") -> dict[str, Any]:
    """Precision and recall of "disagree" against "agree" pairs of an ANS stance split.

    folder is the ANS data folder (holding stance/<split>.csv) or its stance folder; "other"
    pairs are left out, as they are neither paraphrase nor contradiction.
    """
    path = (folder / "stance" if (folder / "stance").is_dir() else folder) / f"{split}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if rows and not {"s1", "s2", "stance"} <= rows[0].keys():
        raise InputError(path, 1, "expected the columns s1, s2, stance")
    pairs = [row for row in rows if row["stance"] in ("agree", "disagree")]
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for row in pairs:
        signal = contradiction_signal(row["s1"], row["s2"], "ar")
        if signal:
            predicted[signal] += 1
            correct[signal] += row["stance"] == "disagree"
    disagree = sum(row["stance"] == "disagree" for row in pairs)
    hits, flagged = sum(correct.values()), sum(predicted.values())
    precision = hits / flagged if flagged else 0.0
    recall = hits / disagree if disagree else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "split": split,
        "pairs": len(pairs),
        "disagree": disagree,
        "predicted_disagree": flagged,
        "true_positives": hits,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "by_signal": {s: {"predicted": predicted[s], "correct": correct[s]} for s in predicted},
    }
    log.info("ANS %s: %s", split, result)
    return result


def _words(text: str) -> frozenset[str]:
    """Each folded word and what it is without attached prefixes."""
    words = _STILL.sub(" ", fold(text)).split()
    return frozenset(rest for word in words for rest, _, _ in word_readings(word))


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


_NEGATIONS = _folded(NEGATIONS)
_OPPOSITES = [(_folded(up), _folded(down)) for up, down in OPPOSITES]
