"""How retrieved candidates become the matches shown: languages take turns, and each match
gets its band from its cosine, lowered where the guards say why."""

from __future__ import annotations

from collections import Counter

from workbench.bands import Bands, guard_band
from workbench.cards import Card
from workbench.models import Match, MatchBand


def interleave_languages(
    candidates: list[tuple[Card, float]], bands: Bands, language: str = ""
) -> list[tuple[Card, float]]:
    """Each language's best related candidates first, then its second best, and so on;
    unrelated candidates last, by cosine.

    Lexical search only finds claims in the query's language, so fused ranking favours them;
    near-duplicates are wanted across languages, so each language gets its turn.
    """
    turns: Counter[str] = Counter()
    keyed = []
    for order, (row, cosine) in enumerate(candidates):
        if bands.band(cosine, is_across(language, row)) == MatchBand.UNRELATED:
            # Fillers after every related match, closest in meaning first.
            keyed.append((True, 0, -cosine, order, (row, cosine)))
        else:
            keyed.append((False, turns[row.language], 0.0, order, (row, cosine)))
            turns[row.language] += 1
    return [candidate for *_, candidate in sorted(keyed, key=lambda item: item[:4])]


def to_match(row: Card, score: float, bands: Bands, text: str, language: str) -> Match:
    """A match as shown: its band from the cosine, lowered where the guards say why."""
    band = bands.band(score, is_across(language, row))
    band, reason = guard_band(text, str(row.text), band, language or row.language)
    return Match(
        claim_id=str(row.claim_id),
        text=str(row.text),
        outlet=str(row.outlet),
        language=str(row.language),
        article_id=str(row.article_id),
        url=str(row.url),
        published=row.published,
        score=round(score, 4),
        band=band,
        band_reason=reason,
    )


def is_across(language: str, row: Card) -> bool:
    """Whether a match is in another language than its claim (unknown for free text)."""
    return bool(language) and row.language != language
