"""Language identification with Lingua, loaded once and only for the languages it meets."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

UNKNOWN = "und"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    # Models load lazily per language, so start-up stays fast for a two-language desk.
    return LanguageDetectorBuilder.from_all_languages().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or 'und' when it cannot tell."""
    sample = text[:2000]
    if not any(ch.isalpha() for ch in sample):
        return UNKNOWN
    with _lock:
        language = _detector().detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else UNKNOWN
