"""Language-aware normalisation of claims and queries for lexical (BM25) matching.

Character rules apply to every text, whatever its language tag, because tweets mix scripts and
language detection on short texts is unreliable: NFKC, invisible characters removed, Arabic letters
folded, digits made 0-9, lower case, links, @handles and the '#' of hashtags removed.
Word rules (stopwords, Arabic prefixes) follow the language; an unknown language ('' or 'und')
is taken from the script: Arabic for right-to-left text, English otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_EN

from workbench.text import is_rtl, strip_invisible, western_digits

VERSION = 1
"""Bump when a rule changes: indexes record it and refuse to load against another version."""

LINKS = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
HANDLES = re.compile(r"(?<!\w)@[A-Za-z0-9_]+")
HASHTAG = re.compile(r"#(\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Harakat, tanwin, shadda, sukun, maddah and hamza marks, superscript alef, Quranic marks; tatweel.
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
ARABIC_LETTERS = str.maketrans("أإآٱؤئةى", "ااااويهي")
# Letters and digits only: punctuation, Arabic punctuation (، ؛ ؟ ٪) and '_' separate words.
WORD = re.compile(r"[^\W_]+")
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
ARABIC_STOPWORDS = frozenset(
    "في من على الي عن ان او ما لا لم لن هذا هذه ذلك تلك التي الذي الذين هو هي هم مع كان كانت "
    "قد ثم بعد قبل عند كل بين حتي اذا انه انها و ف ب ل".split()
)


@dataclass(frozen=True)
class Rules:
    """Which word rules apply; the defaults are those that scored best on CheckThat! 2A dev."""

    english_stopwords: bool = True
    arabic_stopwords: bool = False
    arabic_prefixes: bool = False
    split_hashtags: bool = False
    min_length: int = 2


DEFAULT_RULES = Rules()


def fold_arabic(text: str) -> str:
    """Remove Arabic diacritics and tatweel; unify alef, hamza, ta marbuta and alef maqsura."""
    return ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)


def normalise(text: str, language: str = "", rules: Rules = DEFAULT_RULES) -> str:
    """The text as it is matched: character rules only, words kept in order, single spaces."""
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    text = HANDLES.sub(" ", LINKS.sub(" ", text))
    if rules.split_hashtags:
        text = HASHTAG.sub(lambda tag: CAMEL.sub(" ", tag.group(1)).replace("_", " "), text)
    text = fold_arabic(western_digits(text)).lower()
    return " ".join(WORD.findall(text))


def tokenise(text: str, language: str = "", rules: Rules = DEFAULT_RULES) -> list[str]:
    """Words of the normalised text, less stopwords and short words, with word rules applied."""
    code = language.lower().split("-")[0]
    if code in ("", "und"):
        code = "ar" if is_rtl(text) else "en"
    tokens = normalise(text, code, rules).split()
    if code == "en" and rules.english_stopwords:
        tokens = [token for token in tokens if token not in STOPWORDS_EN]
    if code == "ar":
        if rules.arabic_stopwords:
            tokens = [token for token in tokens if token not in ARABIC_STOPWORDS]
        if rules.arabic_prefixes:
            tokens = [strip_prefix(token) for token in tokens]
    return [token for token in tokens if len(token) >= rules.min_length]


def strip_prefix(word: str) -> str:
    """Drop the article and its attached particles (ال، وال، بال، كال، فال، لل) from a long word."""
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word
