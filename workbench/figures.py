"""Numbers in a claim and what they count, so that two accounts of one event can be compared.

What a figure counts is read from up to six words after it and four before. In a casualty
sentence the casualty verb wins over the noun ("40 soldiers were killed" and "killed 40 members
of the army" both count "killed"), so that tolls compare across phrasings; a figure given as part
of another ("including 8 officers", "بينهم ٨ ضباط", "eight of them officers") counts its noun.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from workbench.numbers import (
    CURRENCY,
    Number,
    Token,
    fold,
    read_digits,
    read_number_words,
    reading,
    word_at,
    wordset,
)
from workbench.sources import fold_indexed, word_readings


class Qualifier(StrEnum):
    """How a figure bounds the true number."""

    EXACT = "exact"
    AT_LEAST = "at least"
    MORE_THAN = "more than"
    LESS_THAN = "less than"
    ABOUT = "about"
    UP_TO = "up to"


ABOUT_WIDTH = 0.1  # "about 40" allows 36..44, and always at least one either side
# Vocabularies are written as people spell them and folded when the module loads.
_PRE = {  # checked in this order: "لا يتجاوز" is "up to" before "يتجاوز" is "more than"
    "at least": "at least|no fewer than|no less than|a minimum of|au moins|ما لا يقل عن|لا يقل عن",
    "up to": "up to|as many as|jusqu'à|ما يصل إلى|يصل إلى|لا يتجاوز|لا تتجاوز|لا يزيد عن",
    "less than": "less than|fewer than|under|below|moins de|أقل من|ما يقل عن|يقل عن|تقل عن|دون",
    "more than": "more than|over|upwards of|in excess of|above|plus de|أكثر من|ما يزيد عن|"
    "ما يزيد على|يزيد عن|يربو على|يتجاوز|تجاوز|يفوق|يتخطى|تخطى|تتخطى",
    "about": "about|around|roughly|nearly|almost|approximately|some|an estimated|close to|"
    "environ|près de|quelque|نحو|حوالي|حوالى|قرابة|زهاء|ما يقارب|يقارب",
}
_BARRIER = "(?:حاجز|عتبه|مستوي|سقف)"  # "يتخطى حاجز الـ80 دولاراً"
_POST = "at least|or more|على الأقل|أو أكثر"  # after the number (and its noun); "تقريباً" is about
_MONTHS = (
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec يناير فبراير مارس أبريل إبريل مايو يونيو يونيه "
    "يوليو يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب "
    "أيلول تشرين"
)
_TIMES = "am pm gmt utc o'clock صباحاً مساءً ظهراً فجراً"
# A number after these is a name or an id: "Line 3", "Resolution 2254", "اللواء 93".
_NAMES = (
    "division brigade regiment battalion corps line route road highway resolution article no "
    "number phase flight فرقة لواء كتيبة فوج فيلق طريق قرار مادة بند رقم خط مرحلة"
)
_SUBSET = "including among dont parmi بينهم بينهن منهم منهن ضمنهم بين ضمن"
_STOPS = "and but while whereas when after as بينما فيما حين لكن إضافة"
# Normalised noun: English and French words, then Arabic stems ("*" for a stem that takes
# endings).
_COUNTS = {
    "killed": "killed kill kills killing dead died die dies death deaths toll fatalities "
    "perished drowned lives tués tué tuées morts mortes décès قتل* قتيل* مقتل* حتف* مصرع* وفاة "
    "وفيات توفي* أودت",
    "wounded": "wounded wounding injured injuring injuries injury hurt blessés blessé blessées "
    "جرح* جريح* أصيب* إصابة إصابات مصاب*",
    "soldiers": "soldiers soldier troops servicemen soldats militaires جندي* جنود* عسكريين "
    "عسكريا عسكريون",
    "members": "members member personnel عنصر عنصرا عنصرين عناصر",
    "officers": "officers officer officiers ضابط* ضباط*",
    "people": "people persons person individuals residents personnes شخص شخصا شخصين أشخاص نسمة "
    "مواطن مواطنا مواطنين مواطنون",
    "civilians": "civilians civilian civils مدنيين مدنيا مدنيون",
    "fighters": "fighters fighter militants militant jihadists gunmen attackers combattants "
    "مقاتل مقاتلا مقاتلين مقاتلون مسلحا مسلحين مسلحون",
    "children": "children child kids enfants طفل* أطفال*",
    "women": "women woman femmes نساء امرأة سيدات",
    "shepherds": "shepherds shepherd راعي رعاة",
    "smugglers": "smugglers smuggler مهرب*",
    "detainees": "detainees detainee prisoners prisoner محتجز* معتقل* أسير* أسرى",
    "tents": "tents tent خيمة خيام",
    "families": "families family familles famille عائلة عائلات أسرة",
    "strikes": "strikes strike airstrikes raids غارة غارات ضربة ضربات",
    "pills": "pills tablets حبة حبات",
    "money": "dollars dollar usd euros euro pounds lira dinars دولار* يورو ليرة ليرات جنيه* "
    "ريال* دينار* درهم*",
}
_CASUALTIES = ("killed", "wounded")
_PERCENT = "%|percent|per cent|pour cent|بالمئة|بالمائة|في المئة|في المائة"


@dataclass(frozen=True)
class Figure:
    value: float
    upper: float | None  # the top of a range ("between 30 and 40")
    qualifier: Qualifier
    counts: str  # normalised noun ("killed", "officers", "percent"...) or "" when unknown
    text: str  # the span as written
    start: int
    end: int


def extract_figures(text: str, language: str = "") -> list[Figure]:
    """The figures of a text in order, without dates, times, years, ordinals and ids."""
    folded, offsets = fold_indexed(text)
    spaces = "[\u00a0\u202f ]" if language.startswith("fr") else "[\u00a0\u202f]"
    pattern = rf"(\d+(?:(?:[.,\u066b\u066c]|{spaces})\d+)*)|([^\W\d_]+(?:'[^\W\d_]+)?)|(\S)"
    tokens = [(m[0], m.start(), m.end(), m[2] is not None) for m in re.finditer(pattern, folded)]
    numbers = _merge_ranges(tokens, list(_numbers(tokens, folded, text, offsets)))
    figures = []
    for k, number in enumerate(numbers):
        low = numbers[k - 1].last + 1 if k else 0
        high = numbers[k + 1].first if k + 1 < len(numbers) else len(tokens)
        start, end = tokens[number.first][1], tokens[number.last][2]
        qualifier = Qualifier.EXACT
        for name, pre in _PRE_PATTERNS:
            if found := pre.search(folded, max(0, start - 40), start):
                qualifier, start = Qualifier(name), found.start(1)
                break
        else:
            if post := _POST_PATTERN.match(folded, end):
                qualifier = Qualifier.AT_LEAST if post[1] else Qualifier.ABOUT
        start, end = offsets[start], offsets[end - 1] + 1
        while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "ـ"):
            end += 1
        counts = number.unit or _counts(tokens, number, low, high)
        figures.append(
            Figure(number.value, number.upper, qualifier, counts, text[start:end], start, end)
        )
    return figures


def conflicting_figures(a: Sequence[Figure], b: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """Pairs that count the same thing with values that cannot both be true.

    A figure that agrees with some figure on the other side is in no conflict: an account that
    gives both tolls ("ISIS says 40, the monitor 39") conflicts with neither.
    """
    lone_a = [f for f in a if f.counts and not any(_compatible(f, g) for g in b)]
    lone_b = [g for g in b if g.counts and not any(_compatible(f, g) for f in a)]
    return [(f, g) for f in lone_a for g in lone_b if f.counts == g.counts]


def agreeing_figures(a: Sequence[Figure], b: Sequence[Figure]) -> list[tuple[Figure, Figure]]:
    """Each figure of `a` with the first figure of `b` that counts the same thing compatibly
    ("15 killed" and "at least 12 killed" can both be true)."""
    found = ((f, next((g for g in b if _compatible(f, g)), None)) for f in a if f.counts)
    return [(f, g) for f, g in found if g is not None]


def describe(figure: Figure) -> str:
    """A figure in words: "at least 39 killed", "30-40 killed", "12 percent"."""
    value = f"{figure.value:,g}" + (f"-{figure.upper:,g}" if figure.upper is not None else "")
    qualifier = "" if figure.qualifier == Qualifier.EXACT else f"{figure.qualifier} "
    return f"{qualifier}{value} {figure.counts}".strip()


def _compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures of one thing can both be true. Bounds are closed: "more than 200"
    agrees with "200", because reporters round."""
    (low_a, high_a), (low_b, high_b) = _bounds(a), _bounds(b)
    return a.counts == b.counts and max(low_a, low_b) <= min(high_a, high_b)


def _bounds(figure: Figure) -> tuple[float, float]:
    low, high = figure.value, figure.upper if figure.upper is not None else figure.value
    if figure.qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return low, math.inf
    if figure.qualifier in (Qualifier.LESS_THAN, Qualifier.UP_TO):
        return 0.0, high
    if figure.qualifier == Qualifier.ABOUT:
        return low - max(low * ABOUT_WIDTH, 1), high + max(high * ABOUT_WIDTH, 1)
    return low, high


def _numbers(tokens: list[Token], folded: str, text: str, offsets: list[int]) -> Iterator[Number]:
    """Numbers in digits or words, with their scale and unit, less years, dates and names."""
    i = 0
    while i < len(tokens):
        number = read_digits(tokens, i, folded) or read_number_words(tokens, i)
        if number is None:
            i += 1
            continue
        scale = reading(word_at(tokens, number.last + 1))
        if number.digits and scale and scale[1] in ("scale", "plural") and not scale[2]:
            number.value, number.last = number.value * scale[0], number.last + 1
            half = reading(word_at(tokens, number.last + 1))
            if half and half[1] == "half" and half[2]:
                number.value, number.last = number.value + scale[0] / 2, number.last + 1
        following = " ".join(t[0] for t in tokens[number.last + 1 : number.last + 3])
        unit = next((u for u in _PERCENT_WORDS if f"{following} ".startswith(f"{u} ")), "")
        if unit:
            number.unit, number.last = "percent", number.last + len(unit.split())
        elif number.first and tokens[number.first - 1][0] in CURRENCY:
            number.unit, number.first = "money", number.first - 1
        elif _lookup(word_at(tokens, number.last + 1)) == "money":
            number.unit = "money"
        i = number.last + 1
        if not _is_excluded(tokens, number, text, offsets):
            yield number


def _tables() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Count words and count stems, folded."""
    exact = {fold(w): noun for noun, ws in _COUNTS.items() for w in ws.split() if w[-1] != "*"}
    stems = [
        (fold(w[:-1]), noun) for noun, ws in _COUNTS.items() for w in ws.split() if w[-1] == "*"
    ]
    return exact, stems


_EXACT, _STEMS = _tables()
_PRE_PATTERNS = [
    (q, re.compile(rf"(?:^|\W)[وف]?([بل]?(?:{fold(p)}))(?:\s+{_BARRIER})?\W*(?:ال)?$"))
    for q, p in _PRE.items()
]
_POST_PATTERN = re.compile(rf"\W*(?:\w+\s+)?(?:({fold(_POST)})|(تقريبا))\b")
_PERCENT_WORDS = sorted(wordset(_PERCENT, "|"), key=len, reverse=True)
_MONTH_WORDS, _TIME_WORDS, _NAME_WORDS = wordset(_MONTHS), wordset(_TIMES), wordset(_NAMES)
_SUBSET_WORDS, _STOP_WORDS = wordset(_SUBSET), wordset(_STOPS)


def _lookup(word: str) -> str:
    """The normalised noun a word counts, or ""."""
    for rest, _, _ in word_readings(word):
        if rest in _EXACT:
            return _EXACT[rest]
        if noun := next((noun for stem, noun in _STEMS if rest.startswith(stem)), ""):
            return noun
    return ""


def _is_excluded(tokens: list[Token], number: Number, text: str, offsets: list[int]) -> bool:
    """Years, dates, times and names ("Line 3", "اللواء 93") are not figures."""
    if number.unit:
        return False
    before = number.first - (2 if number.first and tokens[number.first - 1][0] in ",/" else 1)
    previous, following = word_at(tokens, before), word_at(tokens, number.last + 1)
    year = re.fullmatch(r"\d{4}", tokens[number.first][0]) and 1900 <= number.value <= 2100
    if year and number.first == number.last:
        return not _lookup(following)  # "2000 tents" is a figure
    for j, word in ((before, previous), (number.last + 1, following)):
        if word in _MONTH_WORDS and (word != "may" or text[offsets[tokens[j][1]]] == "M"):
            return True
    rests = {rest for rest, _, _ in word_readings(previous)}
    return following in _TIME_WORDS or "ساعه" in rests or bool(rests & _NAME_WORDS)


def _merge_ranges(tokens: list[Token], numbers: list[Number]) -> list[Number]:
    """Join "between 30 and 40", "30-40", "ما بين ٣٠ و٤٠" into one figure; drop scores ("2-1")."""
    merged: list[Number] = []
    for number in numbers:
        previous = merged[-1] if merged else None
        link = _range_link(tokens, previous, number) if previous else ""
        if previous and link == "score":
            merged.pop()
        elif previous and link:
            unit = previous.unit or number.unit
            merged[-1] = Number(previous.first, number.last, previous.value, number.value, unit)
        else:
            merged.append(number)
    return merged


def _range_link(tokens: list[Token], a: Number, b: Number) -> str:
    between = " ".join(tokens[j][0] for j in range(a.last + 1, b.first))
    before = word_at(tokens, a.first - 1)
    opened = any(rest in ("between", "بين") for rest, _, _ in word_readings(before))
    if between in ("-", "–", "—") and a.digits and b.digits:
        return "range" if b.value > a.value else "score"
    if b.value <= a.value:
        return ""
    if between in ("to", "or", "الي", "او") and before not in ("from", "من"):
        return "range"
    return "range" if opened and (between in ("and", "و") or (not between and b.waw)) else ""


def _counts(tokens: list[Token], number: Number, low: int, high: int) -> str:
    """What a figure counts (see the module docstring)."""
    after: list[str] = []
    for j in range(number.last + 1, min(high, number.last + 7)):
        word = word_at(tokens, j)
        if not word or word in _STOP_WORDS or (word[0] == "و" and _lookup(word[1:]) in _CASUALTIES):
            break
        after.append(word)
    before: list[str] = []
    for j in range(number.first - 1, max(low, number.first - 5) - 1, -1):
        word = word_at(tokens, j)
        if not word or word in _STOP_WORDS:
            break
        before.append(word)
        if word[0] == "و":  # an Arabic clause starts at its "و"
            break
    near = {rest for word in before[:2] for rest, _, _ in word_readings(word)}
    subset = (
        (number.upper is None and bool(near & _SUBSET_WORDS))
        or bool({"including", "among"} & set(before))
        or after[:2] in (["of", "them"], ["of", "whom"], ["of", "the"], ["of", "those"])
        or bool({"among", "منهم", "بينهم"} & set(after))
    )
    after_counts, before_counts = [_lookup(w) for w in after], [_lookup(w) for w in before]
    if subset:
        return next((c for c in after_counts if c and c not in _CASUALTIES), "")
    casualty = next((c for c in after_counts + before_counts if c in _CASUALTIES), "")
    return casualty or next((c for c in after_counts + before_counts[:3] if c), "")
