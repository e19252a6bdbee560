"""Language-aware normalisation of claims and queries for lexical (BM25) matching.

Character rules apply to every text, whatever its language tag, because tweets mix scripts and
language detection on short texts is unreliable: NFKC, invisible characters removed, Arabic
letters folded, digits made 0-9, lower case; links dropped; the '@' of handles and the '#' of
hashtags dropped and camelCase names split into words ("@BernieSanders" is "bernie sanders"),
except a handle in brackets, which follows its owner's name in a tweet's byline ("— Jane Doe
(@JaneDoe) May 1, 2020") and is dropped; punctuation, Arabic punctuation and '_' separate words.
Word rules follow the language, an unknown one ('' or 'und') being taken from the script (Arabic
for right-to-left text, English otherwise), and drop words of one character.

Word rules were chosen by MAP@5 with BM25 on CheckThat! 2022 2A dev and train. Kept: English
stopwords (bm25s's 33), the Snowball English stemmer (PyStemmer; +4 dev, +1 train over a plural
stemmer, which remains as `EnglishStemmer.PLURAL`), camelCase hashtag splitting, and light Arabic
stemming (the article and its particles off the front, light10's suffixes off the end: +8 on dev).
Dropped as no better: bm25s's 179 English stopwords, Arabic stopwords, stripping a leading و,
Snowball Arabic.

Handles (version 2), MAP@5 with BM25 alone on CheckThat! 2A English train / dev: every handle
dropped 0.807 / 0.907; a handle in the text as words and a bracketed one dropped 0.830 / 0.912;
every handle as words 0.816 / 0.890 (a byline's handle names the tweet's author, a handle in the
text whom the claim is about). Arabic tweets: no change. Measured again and left out (train):
Arabic suffixes stripped until none is left, hamza dropped, light10's leading و (each within
0.003 of MAP@5, BM25 alone or fused), word bigrams (-0.03 English BM25), and leaving out query
words found in over a tenth of the claims (-0.01 English BM25).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bm25s.stopwords import STOPWORDS_EN

from workbench.errors import WorkbenchError
from workbench.text import ARABIC_INDIC_DIGITS, is_rtl, strip_invisible

VERSION = 2
"""Bump when a rule changes: an index records it and refuses to load under another version."""

LINKS = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
HANDLES = re.compile(r"(?<!\w)@([A-Za-z0-9_]+)")
BYLINE_HANDLES = re.compile(r"\(\s*@[A-Za-z0-9_]+\s*\)")
HASHTAGS = re.compile(r"#(\w+)")
CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Harakat, tanwin, shadda, sukun, maddah and hamza marks, superscript alef, Quranic marks; tatweel.
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06ed\u0640]")
# Alef forms to bare alef, hamza on waw and ya to the letter, ta marbuta to ha, alef maqsura to ya;
# Arabic-Indic and Persian digits to 0-9, in the same pass.
FOLDED = str.maketrans("أإآٱؤئةى", "ااااويهي") | ARABIC_INDIC_DIGITS
WORD = re.compile(r"[^\W_]+")
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# light10's suffixes, as they read once ta marbuta is folded to ha.
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


class EnglishStemmer(StrEnum):
    NONE = "none"
    PLURAL = "plural"
    """Harman's S-stemmer: plurals to singulars, no dependency."""
    SNOWBALL = "snowball"
    """Snowball English via PyStemmer."""


@dataclass(frozen=True)
class Rules:
    """The word rules that apply; the defaults scored best on CheckThat! 2A train and dev."""

    english_stopwords: bool = True
    english_stemmer: EnglishStemmer = EnglishStemmer.SNOWBALL
    arabic_stemming: bool = True
    """Arabic words cut to light stems (unless `arabic_character_grams` is on)."""
    arabic_character_grams: bool = False
    """Arabic words as their character 3- and 4-grams (see `character_grams`)."""

    def __post_init__(self) -> None:
        # Rules read back from a manifest carry the stemmer as a plain string.
        object.__setattr__(self, "english_stemmer", EnglishStemmer(self.english_stemmer))


DEFAULT_RULES = Rules()
CHARACTER_GRAMS = (3, 4)


def normalise(text: str, language: str = "") -> str:
    """The text as it is matched, before word rules: words in order, single spaces.

    The character rules are the same for every language; `language` is accepted so that callers
    need not know that.
    """
    text = strip_invisible(unicodedata.normalize("NFKC", text))
    text = BYLINE_HANDLES.sub(" ", LINKS.sub(" ", text))
    text = HANDLES.sub(_split_name, HASHTAGS.sub(_split_name, text))
    text = ARABIC_MARKS.sub("", text).translate(FOLDED).lower()
    return " ".join(WORD.findall(text))


def _split_name(match: re.Match[str]) -> str:
    """A hashtag's or handle's name, its camelCase words apart."""
    return f" {CAMEL_CASE.sub(' ', match.group(1))} "


def word_language(text: str, language: str = "") -> str:
    """The language whose word rules apply: the tag's, or the script's when it is unknown."""
    code = language.lower().split("-")[0]
    if code in ("", "und"):
        return "ar" if is_rtl(text) else "en"
    return code


def tokenise(text: str, language: str = "", rules: Rules = DEFAULT_RULES) -> list[str]:
    """The words that BM25 indexes: normalised, then the word rules of the text's language."""
    code = word_language(text, language)
    tokens = [token for token in normalise(text, code).split() if len(token) > 1]
    if code == "en":
        if rules.english_stopwords:
            tokens = [token for token in tokens if token not in STOPWORDS_EN]
        if rules.english_stemmer == EnglishStemmer.PLURAL:
            tokens = [singular(token) for token in tokens]
        elif rules.english_stemmer == EnglishStemmer.SNOWBALL:
            tokens = _snowball().stemWords(tokens)
    elif code == "ar" and rules.arabic_character_grams:
        tokens = character_grams(tokens)
    elif code == "ar" and rules.arabic_stemming:
        tokens = [light_stem(token) for token in tokens]
    return tokens


def character_grams(words: list[str], sizes: tuple[int, ...] = CHARACTER_GRAMS) -> list[str]:
    """Each word's character n-grams, the word padded with # so that its ends count.

    Arabic joins prefixes, suffixes and clitics to a word in many ways that a light stemmer
    misses (بانهاء against انهاء, رموزك against رموز); n-grams match the shared part. MAP@5 on
    CheckThat! 2A Arabic train / dev, BM25 alone: light stems 0.866 / 0.866, 3-grams
    0.912 / 0.873, 3- and 4-grams 0.911 / 0.879, 3- to 5-grams 0.908 / 0.858, 3- to 5-grams
    of light stems 0.897 / 0.837, unpadded 3-grams 0.898 / 0.848. Fused with the dense side
    (see `retrieval.Fusion`), the best train scores were 0.931 with 3-grams, 0.934 with 3- and
    4-grams and 0.932 with 3- to 5-grams, so 3- and 4-grams it is.

    They are not the default: an Arabic word gives about eight times the tokens, and at a
    million claims (a third of them Arabic) BM25 took 15.8 ms at the median and 63 ms at p99
    for an Arabic query instead of 3.1 and 5.6, and held 1.25 GB more. The slower, more exact
    `use-e5-multilingual` model, meant for smaller collections, turns them on.
    """
    grams = []
    for word in words:
        padded = f"#{word}#"
        for size in sizes:
            grams += [padded[i : i + size] for i in range(len(padded) - size + 1)]
    return grams


@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """Harman's S-stemmer: -ies to -y, otherwise a plural's final s dropped (not -us, -ss...)."""
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


@lru_cache(maxsize=1 << 16)
def light_stem(word: str) -> str:
    """Drop a leading ال، وال، بال، كال، فال or لل and light10's suffixes, keeping two letters."""
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


@lru_cache(maxsize=1)
def _snowball() -> Any:
    try:
        import Stemmer
    except ImportError:
        raise WorkbenchError(
            "The Snowball stemmer needs PyStemmer: `pip install PyStemmer`, "
            "or use the plural stemmer."
        ) from None
    return Stemmer.Stemmer("english")
