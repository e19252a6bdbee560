"""Where a claim comes from, how many independent origins carry it, and what the rules suggest.

Five outlets relaying Amaq are one origin, ISIS; an outlet's own unattributed assertion is an
origin of its own. A suggestion is what the rules propose, with their reasons and version; what a
fact-checker decides is a Verdict, recorded elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.attribution import Attribution
from workbench.figures import Figure, conflicting_figures, describe
from workbench.models import VerdictLabel
from workbench.sources import Source, SourceKind, SourceRegistry, fold

RULES_MODEL = "rules-v1"


@dataclass(frozen=True)
class ClaimEvidence:
    """A claim with what the text says about its source and its figures."""

    claim_id: str
    text: str
    outlet: str
    language: str
    attribution: Attribution
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Suggestion:
    verdict: VerdictLabel | None
    reasons: tuple[str, ...]
    rule: str  # the rule that fired
    model: str = RULES_MODEL


def origin_of(attribution: Attribution, outlet: str, registry: SourceRegistry) -> str:
    """The independent origin of a claim: the root registry id (amaq -> "isis"), else the source
    as named (folded), else, for the outlet's own assertion, the outlet."""
    source = _resolve(attribution, registry)
    if source is not None:
        return registry.root(source).source_id
    named = attribution.claimant or attribution.source
    return fold(named) if named and not attribution.own else outlet


def summarise_origins(
    claim: ClaimEvidence, matches: list[ClaimEvidence], registry: SourceRegistry
) -> tuple[int, int, int]:
    """(outlets, languages, independent origins) of a claim and its matches together."""
    group = [claim, *matches]
    outlets = {item.outlet for item in group}
    languages = {item.language for item in group if item.language}
    origins = {origin_of(item.attribution, item.outlet, registry) for item in group}
    return len(outlets), len(languages), len(origins)


def suggest(
    claim: ClaimEvidence, matches: list[ClaimEvidence], registry: SourceRegistry
) -> Suggestion:
    """Propose a verdict; the first rule that applies wins.

    1. propaganda-source: the claim's source is a propaganda outlet, or the armed group one
       speaks for.
    2. independent-conflict: another origin gives a conflicting figure, or one origin denies what
       another asserts.
    3. independent-agreement: at least two independent origins, with no conflict.
    """
    outlets, languages, count = summarise_origins(claim, matches, registry)
    spread = (
        f"{_plural(outlets, 'outlet')}, {_plural(languages, 'language')}, "
        f"{_plural(count, 'independent origin')}"
    )
    origin = origin_of(claim.attribution, claim.outlet, registry)
    conflicts = [
        reason
        for match in matches
        if origin_of(match.attribution, match.outlet, registry) != origin
        for reason in conflict_reasons(claim, match, registry)
    ]
    propaganda = _propaganda(claim.attribution, registry)
    if propaganda:
        reasons = (propaganda, spread, *conflicts)
        return Suggestion(VerdictLabel.PROPAGANDA_SOURCED, reasons, "propaganda-source")
    if conflicts:
        return Suggestion(VerdictLabel.DISPUTED, (*conflicts, spread), "independent-conflict")
    if count >= 2:
        labels = sorted({_label(item, registry) for item in [claim, *matches]})
        reason = f"{spread}: {', '.join(labels)}"
        return Suggestion(VerdictLabel.CORROBORATED, (reason,), "independent-agreement")
    if not matches:
        return Suggestion(None, ("no other outlet carries this claim",), "single-origin")
    relayed = _source_name(claim.attribution, registry) or f"{claim.outlet}'s own reporting"
    return Suggestion(None, (f"{spread}: all relay {relayed}",), "single-origin")


def _resolve(attribution: Attribution, registry: SourceRegistry) -> Source | None:
    for name in (attribution.source, attribution.claimant):
        if name and (source := registry.resolve(name)) is not None:
            return source
    return None


def _propaganda(attribution: Attribution, registry: SourceRegistry) -> str:
    """Why the claim is propaganda-sourced, or ""."""
    source = _resolve(attribution, registry)
    if source is None:
        return ""
    root = registry.root(source)
    if SourceKind.PROPAGANDA in (source.kind, root.kind):
        outlet = source if source.kind == SourceKind.PROPAGANDA else root
        return f"source {outlet.name} is a propaganda outlet of {root.name}: {outlet.note}"
    mouthpieces = [
        s.name
        for s in registry.sources
        if s.kind == SourceKind.PROPAGANDA and registry.root(s).source_id == root.source_id
    ]
    if root.kind == SourceKind.ARMED_GROUP and mouthpieces:
        return f"source {root.name} is an armed group speaking through {', '.join(mouthpieces)}"
    return ""


def conflict_reasons(a: ClaimEvidence, b: ClaimEvidence, registry: SourceRegistry) -> list[str]:
    """Why two claims from different origins cannot both be right."""
    reasons = [
        f"same event, conflicting figures: {describe(x)} ({_label(a, registry)}) vs "
        f"{describe(y)} ({_label(b, registry)})"
        for x, y in conflicting_figures(a.figures, b.figures)
    ]
    if a.attribution.denies != b.attribution.denies:
        denier, asserter = (a, b) if a.attribution.denies else (b, a)
        reasons.append(
            f"{_label(denier, registry)} denies what {_label(asserter, registry)} asserts"
        )
    return reasons


def _source_name(attribution: Attribution, registry: SourceRegistry) -> str:
    source = _resolve(attribution, registry)
    if source is not None:
        return source.name
    return "" if attribution.own else attribution.source or attribution.claimant


def _label(item: ClaimEvidence, registry: SourceRegistry) -> str:
    """ "Amaq News Agency via Levant Daily Wire", or the outlet alone for its own assertion."""
    name = _source_name(item.attribution, registry)
    return f"{name} via {item.outlet}" if name else item.outlet


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
