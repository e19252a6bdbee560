"""Does one account contradict another? Conflicting figures, a denial or negation on one side
only, and a few opposite verbs; measured on the Arabic News Stance (ANS) corpus.

Tuned on ANS train and dev only. The signals are cheap and precise rather than complete: most ANS
contradictions swap an entity or a word for its opposite, which needs a model to catch.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.figures import Figure, conflicting_figures, extract_figures
from workbench.sources import fold, word_readings

# Negation, denial and failure words, folded when the module loads.
NEGATIONS = (
    "لم لن ليس ليست لا غير عدم نفى نفت ينفي تنفي يرفض ترفض رفض رفضت بدون دون بلا ينكر تنكر "
    "فشل يفشل تفشل أخفق يخفق تخفق not no never neither nor denies denied deny without "
    # French: "ne ... pas" and its kin (the "n'" of "n'a pas" is read with its verb), denials.
    "pas jamais aucun aucune sans nie nient nié dément démentent démenti"
)
# "لا يزال" is "still", not a negation.
_STILL = re.compile(r"(?<!\w)[وف]?(?:لا|ما) (?:يزال|تزال|زال|زالت|يزالون)(?!\w)")
# Opposite pairs; one account contradicts another when each uses one side only. Arabic and
# English words share a side, so an Arabic claim and its English match are compared too. Words
# that also name a party ("المعارضة", the opposition), a truce ("وقف إطلاق النار") or are often
# adjectives or directions ("close", "open", "higher", "left") are left out.
OPPOSITES = (
    (
        "ارتفاع ارتفع ارتفعت يرتفع ترتفع صعود يصعد تصعد قفزة زيادة يزيد تزيد أعلى انتعاش ينتعش "
        "تنتعش مكاسب يكسب تكسب أرباح يربح تربح يرفع ترفع رفع "
        "rise rises rose risen rising increase increases increased soar soars soared "
        "surge surges surged jump jumps jumped",
        "انخفاض انخفض انخفضت ينخفض تنخفض هبوط هبط هبطت يهبط تهبط تراجع يتراجع تتراجع خفض يخفض "
        "تخفض أدنى تدهور يتدهور تتدهور خسائر "
        "fall falls fell fallen falling decrease decreases decreased drop drops dropped "
        "decline declines declined plunge plunges plunged",
    ),
    ("فوز يفوز تفوز فاز فازت win wins won", "خسارة يخسر تخسر خسر خسرت هزيمة lose loses lost"),
    (
        "فتح يفتح تفتح افتتاح opens opened reopen reopens reopened",
        "إغلاق يغلق تغلق أغلق أغلقت closes closed shut shuts",
    ),
    (
        "قبول يقبل تقبل وافق يوافق توافق موافقة accept accepts accepted approve approves approved",
        "رفض يرفض ترفض reject rejects rejected",
    ),
    (
        "يسمح تسمح السماح منح يمنح تمنح منحت allow allows allowed permit permits permitted",
        "يمنع تمنع منع منعت حظر يحظر تحظر ban bans banned prohibit prohibits prohibited",
    ),
    (
        "إعدام السجن سجن حبس اعتقال يعتقل تعتقل اعتقلت القبض اتهام يتهم تتهم إدانة "
        "arrest arrests arrested jailed convicted",
        "براءة إطلاق الإفراج يفرج تفرج أفرجت إخلاء تبرئة يبرئ تبرئ released freed acquitted",
    ),
    ("نجاة نجا نجت survived survive survives", "مصرع مقتل غرق killed died drowned"),
    ("اتفاق يتفق تتفق", "خلاف يختلف تختلف"),
    ("أكثر أكبر larger largest", "أقل أصغر smaller smallest"),
    (
        "يشيد تشيد أشاد أشادت إشادة يمتدح تمتدح praise praises praised",
        "ينتقد تنتقد انتقد انتقدت انتقاد criticise criticises criticised criticize criticizes "
        "criticized condemn condemns condemned",
    ),
    (
        "يدعم تدعم دعم دعمت يؤيد تؤيد أيد أيدت تأييد support supports supported",
        "يعارض تعارض عارض عارضت oppose opposes opposed",
    ),
    (
        "استمرار يستمر تستمر يواصل تواصل continue continues continued",
        "توقف يتوقف تتوقف halt halts halted",
    ),
    ("بقاء يبقى تبقى stays stayed remains remained", "خروج رحيل مغادرة يغادر تغادر غادر غادرت"),
    ("هدوء تهدئة calm", "تصعيد عنف اشتباكات violence clashes"),
)


def contradicts(a: str, b: str, language: str = "ar") -> bool:
    """True when the two texts cannot both be right, by the cheap signals of this module."""
    return bool(contradiction_signal(a, b, language))


def contradiction_signal(a: str, b: str, language: str = "ar") -> str:
    """Which signal says a and b contradict: "figures", "negation", "opposites", or ""."""
    if conflicting_figures(_figures(a, language), _figures(b, language)):
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


# A match list compares one claim with many, and the same claims come back query after query.
@lru_cache(maxsize=4096)
def _figures(text: str, language: str) -> tuple[Figure, ...]:
    return tuple(extract_figures(text, language))


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """Each folded word and what it is without attached prefixes."""
    words = _STILL.sub(" ", fold(text)).split()
    return frozenset(rest for word in words for rest, _, _ in word_readings(word))


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


_NEGATIONS = _folded(NEGATIONS)
_OPPOSITES = [(_folded(up), _folded(down)) for up, down in OPPOSITES]
