"""Numbers as written: digits (Western or Arabic-Indic, with either separator) and number
words in English, Arabic and French ("two hundred", "خمسة وعشرين", "huit"), read into values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.sources import fold_indexed, word_readings

# "form form=value:kind"; kinds: unit (0-9), ten, teen, tens, hundred (a multiplier: "two
# hundred", "ثلاث مئة"), scale, plural (vague alone: "آلاف"), whole, half, pre ("أحد" of "أحد عشر").
# French: only words that mean nothing else ("un", "sept", "neuf" and "cent" are left out: they
# also mean "a", September, "new" and the "cent" of "pour cent").
_NUMBER_WORDS = (
    "zero=0 one=1 two=2 three=3 four=4 five=5 six=6 seven=7 eight=8 nine=9 ten=10:ten "
    "eleven=11:teen twelve=12:teen thirteen=13:teen fourteen=14:teen fifteen=15:teen "
    "sixteen=16:teen seventeen=17:teen eighteen=18:teen nineteen=19:teen twenty=20:tens "
    "thirty=30:tens forty=40:tens fifty=50:tens sixty=60:tens seventy=70:tens eighty=80:tens "
    "ninety=90:tens hundred=100:hundred dozen=12:hundred thousand=1e3:scale million=1e6:scale "
    "billion=1e9:scale deux=2 trois=3 quatre=4 cinq=5 huit=8 dix=10:ten onze=11:teen "
    "douze=12:teen treize=13:teen quatorze=14:teen quinze=15:teen seize=16:teen vingt=20:tens "
    "trente=30:tens quarante=40:tens cinquante=50:tens soixante=60:tens "
    "واحد واحدة=1 اثنان اثنين اثنتان اثنتين=2 ثلاث ثلاثة=3 أربع أربعة=4 "
    "خمس خمسة=5 ست ستة=6 سبع سبعة=7 ثمان ثماني ثمانية=8 تسع تسعة=9 عشر عشرة=10:ten "
    "أحد إحدى=1:pre اثنا اثني اثنتا اثنتي=2:pre مئة مائة=100:hundred "
    "مئتان مئتين مئتي مائتان مائتين مائتي=200:whole ألف=1e3:scale ألفان ألفين ألفي=2e3:whole "
    "آلاف=1e3:plural ألفا=1e3:scale مليونا=1e6:scale مليارا=1e9:scale "
    "مليون=1e6:scale مليونان مليونين مليوني=2e6:whole ملايين=1e6:plural "
    "مليار=1e9:scale مليارين ملياري=2e9:whole مليارات=1e9:plural نصف=0.5:half"
)
_TENS = ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع")  # + ون/ين; 3-9 also + مئة
_ORDINALS = "حادي ثاني ثالث رابع خامس سادس سابع ثامن تاسع"  # "الحادي عشر" is not ten
_NOT_ONE = "no any every each the this that which someone"
CURRENCY = frozenset("$€£")
_SUFFIX_SCALES = {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}  # "$1.5bn", after a currency sign


def fold(text: str) -> str:
    """Text as the vocabularies are matched: lower case, Arabic letter forms and digits folded."""
    return fold_indexed(text)[0]


def wordset(words: str, separator: str | None = None) -> frozenset[str]:
    """A vocabulary as written, folded."""
    return frozenset(fold(word) for word in words.split(separator))


@dataclass
class Number:
    """A number found among a text's tokens."""

    first: int  # token indices, inclusive
    last: int
    value: float
    upper: float | None = None
    unit: str = ""  # "percent" or "money" when written beside the number
    waw: bool = False  # written with a leading "و", as the second half of a range can be
    digits: bool = False


Token = tuple[str, int, int, bool]  # folded text, start, end, is a word
Reading = tuple[float, str, bool, bool]  # value, kind, written with و, written with ال


def _number_table() -> dict[str, tuple[float, str]]:
    """Number words, folded: their value and kind."""
    numbers: dict[str, tuple[float, str]] = {}
    forms: list[str] = []
    for item in _NUMBER_WORDS.split():
        word, _, spec = item.partition("=")
        forms.append(fold(word))
        if spec:
            value, _, kind = spec.partition(":")
            numbers.update((form, (float(value), kind or "unit")) for form in forms)
            forms = []
    for n, stem in enumerate(map(fold, _TENS), start=2):
        numbers.update({stem + "ون": (n * 10.0, "tens"), stem + "ين": (n * 10.0, "tens")})
        if n > 2:
            numbers.update(
                {stem + "ميه": (n * 100.0, "whole"), stem + "مايه": (n * 100.0, "whole")}
            )
    return numbers


_WORDS = _number_table()
_NOT_ONE_WORDS = wordset(_NOT_ONE)
_ORDINAL_STEMS = tuple(wordset(_ORDINALS))


def read_digits(tokens: list[Token], i: int, folded: str) -> Number | None:
    digits, start, end, is_word = tokens[i]
    if is_word or not digits[0].isdigit():
        return None
    before, after = folded[max(0, start - 2) : start], folded[end : end + 3]
    suffix = re.match(r"(bn|mn|m|k)\b", after) if before[-1:] in CURRENCY else None
    if not suffix and (
        re.search(r"[a-z]$|[a-z][-_]$|\d[/:]$", before) or re.match(r"[a-z]|[/:]\d", after)
    ):
        return None  # an id ("F-16", "A320"), an ordinal ("4th"), a date or a time
    value = digit_value(digits)
    if value is None:
        return None
    scale = _SUFFIX_SCALES[suffix[1]] if suffix else 1.0
    return Number(i, i + (suffix is not None), value * scale, digits=True)


def digit_value(digits: str) -> float | None:
    """1,200 and ١٬٢٠٠ are thousands; 1.5, ١٫٥ and the French 1,5 are decimals."""
    digits = re.sub("[\u00a0\u202f \u066c]", "", digits).replace("\u066b", ".")
    for separator in (",", "."):
        head, *groups = digits.split(separator)
        if groups and all(len(g) == 3 for g in groups) and (separator == "," or len(groups) > 1):
            digits = head + "".join(groups)
        elif separator == "," and len(groups) == 1:
            digits = f"{head}.{groups[0]}"
        elif len(groups) > 1:
            return None
    return float(digits)


def word_at(tokens: list[Token], j: int) -> str:
    return tokens[j][0] if 0 <= j < len(tokens) and tokens[j][3] else ""


def reading(word: str) -> Reading | None:
    """A number word's value and kind, and whether it was written with و and with ال."""
    for rest, waw, article in word_readings(word):
        if rest in _WORDS:
            return (*_WORDS[rest], waw, article)
    return None


def read_number_words(tokens: list[Token], i: int) -> Number | None:
    word, following = word_at(tokens, i), word_at(tokens, i + 1)
    found = reading(word)
    if word in ("a", "an"):  # "a dozen", "a hundred", "a million"
        scale = reading(following)
        found = (1.0, "unit", False, False) if scale and scale[1] in ("hundred", "scale") else None
    if found is None or found[1] == "half":
        return None
    if word == "one" and (
        following in ("of", "another") or word_at(tokens, i - 1) in _NOT_ONE_WORDS
    ):
        return None
    parts, j = [found], i
    while True:
        k, connector = j + 1, ""
        if k < len(tokens) and tokens[k][0] in ("and", "-"):
            k, connector = k + 1, tokens[k][0]
        part = reading(word_at(tokens, k))
        if part is None or not _joins(parts[-1], part, connector, word_at(tokens, k)):
            break
        parts.append(part)
        j = k
    kinds = [part[1] for part in parts]
    previous = [rest for rest, _, _ in word_readings(word_at(tokens, i - 1))]
    if (
        (kinds[0] == "pre" and kinds[1:2] != ["ten"])
        or kinds == ["plural"]
        or (kinds == ["ten"] and any(rest.startswith(_ORDINAL_STEMS) for rest in previous))
        # "الاثنين" alone is Monday; "الاثنين الآخرين" is "the other two".
        or (kinds == ["unit"] and found[0] == 2 and found[3] and not following.startswith("ال"))
    ):
        return None
    total = current = 0.0
    last_scale = 1.0
    for value, kind, _, _ in parts:
        if kind == "hundred":
            current = (current or 1) * value
        elif kind in ("scale", "plural"):
            total, current, last_scale = total + (current or 1) * value, 0.0, value
        elif kind == "half":
            total += last_scale / 2
        else:
            current += value
    return Number(i, j, total + current, waw=found[2])


def _joins(previous: Reading, following: Reading, connector: str, word: str) -> bool:
    """Whether a number word continues the one before ("خمسة وعشرين", "two hundred")."""
    before, kind, waw, arabic = previous[1], following[1], following[2], not word.isascii()
    small = kind in ("unit", "ten", "teen", "tens", "whole")
    if connector:
        return (connector == "-" and before == "tens" and kind == "unit") or (
            connector == "and" and before in ("hundred", "scale") and small
        )
    if kind in ("scale", "plural"):
        return not waw and before not in ("scale", "plural", "half")
    if kind in ("hundred", "half"):
        return (kind == "hundred" and not waw and before == "unit") or (waw and before == "scale")
    if kind == "ten" and arabic:
        return not waw and before in ("unit", "pre")  # "ثلاثة عشر", "أحد عشر"
    if small and before in ("hundred", "scale", "whole"):
        return waw or not arabic
    return (kind == "tens" and waw and before == "unit") or (
        kind == "unit" and before == "tens" and not arabic
    )
