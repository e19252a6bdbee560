"""Who says so, read off the ledger: each claim's attribution, figures and suggested verdict."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.attribution import attribute_article
from workbench.figures import (
    Figure,
    agreeing_figures,
    conflicting_figures,
    describe,
    extract_figures,
)
from workbench.ledger import Ledger
from workbench.links import find_links
from workbench.models import FigureConflict, Match
from workbench.origins import ClaimEvidence, Suggestion, origin_of, suggest, summarise_origins
from workbench.sources import Source, SourceKind, SourceRegistry

ARTICLE_CLAIMS = """
    SELECT c.claim_id, c.text, c.article_id, c.language, a.outlet
      FROM claims c JOIN articles a USING (article_id)
     WHERE c.article_id IN (SELECT article_id FROM claims WHERE list_contains(?, claim_id))
     ORDER BY c.article_id, c.position
"""


def gather_evidence(ledger: Ledger, claim_ids: Iterable[str]) -> dict[str, ClaimEvidence]:
    """Attribution and figures of each claim, read in its article (for inherited attribution)."""
    wanted = set(claim_ids)
    with ledger.connect() as db:
        rows = db.execute(ARTICLE_CLAIMS, [list(wanted)]).fetchall()
    by_article: dict[str, list[tuple[str, str, str, str]]] = {}
    for claim_id, text, article_id, language, outlet in rows:
        by_article.setdefault(article_id, []).append((claim_id, text, language, outlet))
    return {
        item.claim_id: item
        for claims in by_article.values()
        for item in _article_evidence(tuple(claims))
        if item.claim_id in wanted
    }


@lru_cache(maxsize=4096)
def _article_evidence(claims: tuple[tuple[str, str, str, str], ...]) -> list[ClaimEvidence]:
    """An article's claims read in order; cached, since an article never changes once stored."""
    language = claims[0][2]
    attributions = attribute_article([text for _, text, _, _ in claims], language)
    return [
        ClaimEvidence(
            claim_id, text, outlet, language, attribution, tuple(extract_figures(text, language))
        )
        for (claim_id, text, language, outlet), attribution in zip(
            claims, attributions, strict=True
        )
    ]


def figure_conflicts(claim: ClaimEvidence, match: ClaimEvidence) -> tuple[FigureConflict, ...]:
    return tuple(
        FigureConflict(describe(mine), describe(theirs))
        for mine, theirs in conflicting_figures(claim.figures, match.figures)
    )


def _agreement(mine: Figure, theirs: Figure) -> str:
    """What two agreeing figures say: "40 killed" when alike, else both sides
    ("15 killed here, at least 12 killed there")."""
    here, there = describe(mine), describe(theirs)
    return here if here == there else f"{here} here, {there} there"


def load_registry(path: Path, ledger: Ledger) -> SourceRegistry:
    """The seed registry file with every change made since, in order, from the ledger."""
    registry = SourceRegistry.load(path)
    for detail in ledger.events("source"):
        registry = registry.with_change(source_from_json(detail))
    return registry


def source_to_json(source: Source) -> str:
    return json.dumps(
        {
            "source_id": source.source_id,
            "name": source.name,
            "aliases": list(source.aliases),
            "kind": source.kind.value,
            "claimant": source.claimant,
            "note": source.note,
            "set_by": source.set_by,
            "set_at": source.set_at.isoformat(),
        },
        ensure_ascii=False,
    )


def source_from_json(text: str) -> Source:
    value = json.loads(text)
    return Source(
        source_id=value["source_id"],
        name=value["name"],
        aliases=tuple(value["aliases"]),
        kind=SourceKind(value["kind"]),
        claimant=value["claimant"],
        note=value["note"],
        set_by=value["set_by"],
        set_at=date.fromisoformat(value["set_at"]),
    )


@dataclass(frozen=True)
class Assessment:
    """What the rules make of a claim and its near-duplicates; never a human verdict."""

    claim: ClaimEvidence
    origin: str
    suggestion: Suggestion
    outlets: int
    languages: int
    origins: int


def assess(ledger: Ledger, registry: SourceRegistry, claim_id: str, same: float) -> Assessment:
    """Suggest a verdict from the claim and the claims linked to it as the same claim."""
    links = find_links(ledger, [claim_id], same)
    evidence = gather_evidence(ledger, [claim_id, *links.get(claim_id, [])])
    return _assessment(claim_id, links.get(claim_id, []), evidence, registry)


def _assessment(
    claim_id: str, linked: list[str], evidence: dict[str, ClaimEvidence], registry: SourceRegistry
) -> Assessment:
    claim = evidence[claim_id]
    matches = [evidence[other] for other in linked if other in evidence]
    outlets, languages, origins = summarise_origins(claim, matches, registry)
    return Assessment(
        claim=claim,
        origin=origin_of(claim.attribution, claim.outlet, registry),
        suggestion=suggest(claim, matches, registry),
        outlets=outlets,
        languages=languages,
        origins=origins,
    )


def annotate_matches(
    ledger: Ledger, registry: SourceRegistry, claim_id: str, matches: list[Match]
) -> list[Match]:
    """Each match with its origin, and the figures it gives that conflict or agree with the
    claim's."""
    evidence = gather_evidence(ledger, [claim_id, *(m.claim_id for m in matches)])
    claim = evidence[claim_id]
    return [
        replace(
            match,
            origin=origin_of(evidence[match.claim_id].attribution, match.outlet, registry),
            conflicting_figures=figure_conflicts(claim, evidence[match.claim_id]),
            agreeing_figures=tuple(
                _agreement(mine, theirs)
                for mine, theirs in agreeing_figures(
                    claim.figures, evidence[match.claim_id].figures
                )
            ),
        )
        for match in matches
    ]


def describe_claims(
    ledger: Ledger, registry: SourceRegistry, claim_ids: list[str], same: float
) -> dict[str, dict[str, Any]]:
    """Attribution, figures and suggestion of each claim, as plain data for JSON."""
    links = find_links(ledger, claim_ids, same)
    everything = set(claim_ids).union(*links.values())
    evidence = gather_evidence(ledger, everything)
    described = {}
    for claim_id in claim_ids:
        item = evidence[claim_id]
        suggestion = _assessment(claim_id, links.get(claim_id, []), evidence, registry).suggestion
        described[claim_id] = {
            "attribution": asdict(item.attribution),
            "figures": [
                {**asdict(figure), "qualifier": figure.qualifier.value} for figure in item.figures
            ],
            "suggestion": {
                "verdict": suggestion.verdict.value if suggestion.verdict else None,
                "reasons": list(suggestion.reasons),
                "rule": suggestion.rule,
                "model": suggestion.model,
            },
        }
    return described
