"""Tests for independent origins and the rules that suggest a verdict."""

from __future__ import annotations

import pytest

from workbench.attribution import Attribution, attribute
from workbench.figures import extract_figures
from workbench.models import VerdictLabel
from workbench.origins import (
    RULES_MODEL,
    ClaimEvidence,
    origin_of,
    suggest,
    summarise_origins,
)
from workbench.sources import SourceRegistry


def evidence(claim_id: str, text: str, outlet: str, language: str = "en") -> ClaimEvidence:
    return ClaimEvidence(
        claim_id=claim_id,
        text=text,
        outlet=outlet,
        language=language,
        attribution=attribute(text, language),
        figures=tuple(extract_figures(text, language)),
    )


# Five outlets, two languages, all relaying the same propaganda outlet.
AMAQ_RELAYS = [
    evidence(
        "r1", "According to a statement published by Amaq, 40 soldiers were killed.", "Wire A"
    ),
    evidence("r2", "Amaq, the agency affiliated with ISIS, said 40 troops died.", "Wire B"),
    evidence("r3", "ISIS claimed through its Amaq agency that 40 soldiers were killed.", "Post C"),
    evidence("r4", "ذكرت وكالة أعماق أن أربعين جندياً قُتلوا.", "صحيفة د", "ar"),
    evidence("r5", "زعم تنظيم داعش أن ٤٠ جندياً قُتلوا في الكمين.", "موقع هـ", "ar"),
]
SOHR_EN = evidence(
    "s1", "At least 39 soldiers were killed, the Syrian Observatory said.", "Gulf Courier"
)
SOHR_AR = evidence("s2", "قال المرصد السوري لحقوق الإنسان إن ٣٩ عنصراً قُتلوا.", "منبر", "ar")
SOHR_EXACT = evidence(
    "s3", "The Syrian Observatory for Human Rights said 39 soldiers were killed.", "Desert Daily"
)


# Origins


def test_origin_of_a_relayed_propaganda_claim_is_the_group(registry: SourceRegistry) -> None:
    assert {origin_of(c.attribution, c.outlet, registry) for c in AMAQ_RELAYS} == {"isis"}


def test_origin_of_an_unattributed_claim_is_its_outlet(registry: SourceRegistry) -> None:
    assert origin_of(Attribution(), "Gulf Courier", registry) == "Gulf Courier"


def test_origin_of_an_unknown_source_is_its_name(registry: SourceRegistry) -> None:
    attribution = attribute("Local sources said three shepherds died.")
    assert origin_of(attribution, "Gulf Courier", registry) == "local sources"
    same = attribute("Three shepherds died, LOCAL SOURCES said.")
    assert origin_of(same, "Desert Daily", registry) == "local sources"


def test_origin_of_a_claimant_when_the_source_is_unknown(registry: SourceRegistry) -> None:
    attribution = Attribution("said", "its media office", "Islamic State", own=False)
    assert origin_of(attribution, "Wire A", registry) == "isis"


def test_five_outlets_relaying_amaq_are_one_independent_origin(registry: SourceRegistry) -> None:
    claim, *matches = AMAQ_RELAYS
    assert summarise_origins(claim, matches, registry) == (5, 2, 1)


def test_two_monitors_outlets_and_amaq_are_two_origins(registry: SourceRegistry) -> None:
    assert summarise_origins(SOHR_EN, [SOHR_AR, AMAQ_RELAYS[0]], registry) == (3, 2, 2)


# Rules


@pytest.mark.parametrize("claim", AMAQ_RELAYS, ids=lambda c: c.claim_id)
def test_propaganda_sourced_when_the_source_is_amaq_or_isis(
    registry: SourceRegistry, claim: ClaimEvidence
) -> None:
    others = [c for c in AMAQ_RELAYS if c is not claim]
    suggestion = suggest(claim, others, registry)
    assert suggestion.verdict == VerdictLabel.PROPAGANDA_SOURCED
    assert suggestion.rule == "propaganda-source"
    assert suggestion.model == RULES_MODEL
    assert "5 outlets, 2 languages, 1 independent origin" in suggestion.reasons


def test_propaganda_rule_comes_before_conflicts_and_keeps_them_as_reasons(
    registry: SourceRegistry,
) -> None:
    suggestion = suggest(AMAQ_RELAYS[0], [SOHR_EXACT], registry)
    assert suggestion.verdict == VerdictLabel.PROPAGANDA_SOURCED
    assert any("40 killed" in r and "39 killed" in r for r in suggestion.reasons)


def test_propaganda_sourced_when_the_source_is_the_groups_newsletter(
    registry: SourceRegistry,
) -> None:
    naba = evidence("n1", "قالت صحيفة النبأ إن الهجوم أوقع ١٠ قتلى.", "موقع و", "ar")
    suggestion = suggest(naba, [], registry)
    assert suggestion.verdict == VerdictLabel.PROPAGANDA_SOURCED
    assert "Al-Naba" in suggestion.reasons[0]


def test_disputed_when_an_independent_origin_gives_another_figure(
    registry: SourceRegistry,
) -> None:
    suggestion = suggest(SOHR_EXACT, [AMAQ_RELAYS[0]], registry)
    assert suggestion.verdict == VerdictLabel.DISPUTED
    assert suggestion.rule == "independent-conflict"
    assert suggestion.reasons[0] == (
        "same event, conflicting figures: 39 killed (Syrian Observatory for Human Rights via "
        "Desert Daily) vs 40 killed (Amaq News Agency via Wire A)"
    )


def test_disputed_across_languages_with_words_and_digits(registry: SourceRegistry) -> None:
    army = evidence("j1", "أعلن الجيش الأردني مقتل أربعة مهربين على الحدود.", "صدى", "ar")
    locals_ = evidence("j2", "Local sources said three smugglers were killed.", "Crescent Wire")
    suggestion = suggest(army, [locals_], registry)
    assert suggestion.verdict == VerdictLabel.DISPUTED
    assert "4 killed (Jordan Armed Forces via صدى) vs 3 killed" in suggestion.reasons[0]


def test_disputed_when_one_origin_denies_what_another_asserts(registry: SourceRegistry) -> None:
    denial = evidence("c1", "The US-led coalition denied that civilians were killed.", "Gulf")
    claim = evidence("c2", "قالت مصادر محلية إن مدنيين قتلوا في الإنزال.", "منبر", "ar")
    suggestion = suggest(claim, [denial], registry)
    assert suggestion.verdict == VerdictLabel.DISPUTED
    assert suggestion.reasons[0] == (
        "US-led coalition (CJTF-OIR) via Gulf denies what مصادر محلية via منبر asserts"
    )


def test_corroborated_when_two_independent_origins_agree(registry: SourceRegistry) -> None:
    army = evidence("j1", "Guards killed four smugglers, the Jordanian army said.", "Crescent Wire")
    locals_ = evidence("j3", "قالت مصادر محلية إن أربعة مهربين قتلوا.", "الخبر", "ar")
    suggestion = suggest(army, [locals_], registry)
    assert suggestion.verdict == VerdictLabel.CORROBORATED
    assert suggestion.rule == "independent-agreement"
    assert suggestion.reasons == (
        "2 outlets, 2 languages, 2 independent origins: Jordan Armed Forces via Crescent Wire, "
        "مصادر محلية via الخبر",
    )


def test_compatible_qualified_figures_still_corroborate(registry: SourceRegistry) -> None:
    own = evidence("o1", "More than 30 soldiers were killed in the ambush.", "Levant Daily")
    suggestion = suggest(SOHR_EXACT, [own], registry)
    assert suggestion.verdict == VerdictLabel.CORROBORATED


def test_no_verdict_when_every_outlet_relays_one_origin(registry: SourceRegistry) -> None:
    suggestion = suggest(SOHR_EN, [SOHR_AR, SOHR_EXACT], registry)
    assert suggestion.verdict is None
    assert suggestion.rule == "single-origin"
    assert suggestion.reasons == (
        "3 outlets, 2 languages, 1 independent origin: all relay Syrian Observatory for Human "
        "Rights",
    )


def test_same_origin_with_different_figures_is_not_a_dispute(registry: SourceRegistry) -> None:
    update = evidence("s4", "The Syrian Observatory said 41 soldiers were killed.", "Wire B")
    assert suggest(SOHR_EXACT, [update], registry).verdict is None


def test_no_verdict_without_matches(registry: SourceRegistry) -> None:
    suggestion = suggest(SOHR_EXACT, [], registry)
    assert (suggestion.verdict, suggestion.reasons) == (
        None,
        ("no other outlet carries this claim",),
    )


def test_unattributed_claims_of_two_outlets_are_two_origins(registry: SourceRegistry) -> None:
    first = evidence("u1", "Floods killed 12 people in the camps.", "Crescent Wire")
    second = evidence("u2", "قتلت السيول ١٢ شخصاً في المخيمات.", "الخبر", "ar")
    suggestion = suggest(first, [second], registry)
    assert suggestion.verdict == VerdictLabel.CORROBORATED
    assert summarise_origins(first, [second], registry) == (2, 2, 2)
