"""Unicode clean-up shared by ingest, claim splitting and matching."""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings/overrides/isolates, marks, zero-width characters, BOM and soft hyphen:
# invisible in a browser, but they split words for tokenisers and can hide text.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
ARABIC_INDIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
RTL_SCRIPTS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u024f]")


def normalize(text: str) -> str:
    """Return NFC text with Windows and old-Mac line ends made plain newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_invisible(text: str) -> str:
    """Remove bidi-control and zero-width characters."""
    return INVISIBLE.sub("", text)


def clean_for_index(text: str) -> str:
    """The form of a claim that is embedded and indexed: visible characters, single spaces."""
    return " ".join(strip_invisible(text).split())


def western_digits(text: str) -> str:
    """Replace Arabic-Indic and Persian digits with 0-9."""
    return text.translate(ARABIC_INDIC_DIGITS)


def is_rtl(text: str) -> bool:
    """True when most letters of the text are in a right-to-left script."""
    rtl = len(RTL_SCRIPTS.findall(text))
    return rtl > 0 and rtl >= len(LATIN_LETTERS.findall(text))
