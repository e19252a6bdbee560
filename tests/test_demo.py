"""The demo corpus loads cleanly and its claims find their counterparts across languages."""

import pytest

from workbench.cli import DEMO
from workbench.desk import Desk
from workbench.models import MatchBand
from workbench.settings import load_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, encoder: object) -> Desk:
    home = tmp_path_factory.mktemp("demo")
    desk = Desk(load_settings(environ={}, home=home), encoder=encoder)  # type: ignore[arg-type]
    report = desk.ingest([DEMO])
    assert report.errors == [] and report.added >= 40
    return desk


def test_demo_has_enough_outlets_languages_and_events(demo: Desk) -> None:
    claims = demo.claims()
    assert claims.outlet.nunique() >= 8
    assert {"ar", "en"} <= set(claims.language)
    assert 6 <= claims.event.nunique() <= 14


@pytest.mark.parametrize(("source", "target"), [("ar", "en"), ("en", "ar")])
def test_claims_find_counterparts_in_the_other_language(
    demo: Desk, source: str, target: str
) -> None:
    claims = demo.claims()
    event_of = dict(zip(claims.claim_id, claims.event, strict=True))
    both = set(claims[claims.language == source].event) & set(
        claims[claims.language == target].event
    )
    headlines = claims[(claims.language == source) & claims.is_headline & claims.event.isin(both)]
    found = 0
    for claim_id, event in zip(headlines.claim_id, headlines.event, strict=True):
        matches = demo.similar(claim_id, k=10)
        found += any(m.language == target and event_of[m.claim_id] == event for m in matches)
    # Most headlines have a same-event counterpart in the other language among their top ten.
    assert found / len(headlines) >= 0.75, (found, len(headlines))


def test_a_propaganda_toll_conflicts_with_the_monitors_in_another_language(demo: Desk) -> None:
    claims = demo.claims()
    amaq = claims[
        (claims.language == "ar")
        & claims.text.str.contains("أعماق")
        & claims.text.str.contains("40")
    ]
    matches = demo.similar(str(amaq.iloc[0].claim_id), k=10)
    french = [m for m in matches if m.language == "fr"]
    # The French monitor's 39 is related across languages, and its figure shown in conflict.
    assert french and french[0].band == MatchBand.RELATED
    assert french[0].band_reason == "conflicting figures: 40 killed vs 39 killed"
    english = [m.band for m in matches if m.language == "en"]
    assert english and MatchBand.UNRELATED not in english[:2]
