"""Match bands: thresholds from the bands file, the F1 threshold rule, and the guards."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.bands import (
    BANDS_FILE,
    Bands,
    choose_threshold,
    content_words,
    guard_band,
    is_conflict,
    load_bands,
    save_bands,
)
from workbench.cli import print_matches
from workbench.embed import GUESSED_BANDS, USE_MULTILINGUAL
from workbench.errors import WorkbenchError
from workbench.models import Match, MatchBand

SAME, RELATED, UNRELATED = MatchBand.SAME, MatchBand.RELATED, MatchBand.UNRELATED
GUESSED = Bands(0.65, 0.5)


def entry(same: float, related: float) -> dict[str, object]:
    return {
        "same": {"threshold": same, "f1": 0.7, "precision": 0.8, "recall": 0.6},
        "related": {"threshold": related, "f1": 0.8, "precision": 0.8, "recall": 0.8},
        "calibrated_on": "our own pairs",
        "date": "2025-01-31",
    }


def test_a_listed_model_gets_its_calibrated_bands(tmp_path: Path) -> None:
    path = tmp_path / "bands.json"
    path.write_text(json.dumps({"model-a": entry(0.6, 0.45)}))
    bands = load_bands("model-a", GUESSED, path)
    assert (bands.same, bands.related) == (0.6, 0.45)
    assert bands.is_calibrated and bands.calibrated_on == "our own pairs (2025-01-31)"
    assert bands.band(0.61) == SAME and bands.band(0.5) == RELATED and bands.band(0.4) == UNRELATED


def test_an_unlisted_model_keeps_its_guessed_bands_marked_uncalibrated(tmp_path: Path) -> None:
    path = tmp_path / "bands.json"
    path.write_text(json.dumps({"model-a": entry(0.6, 0.45)}))
    for missing in (path, tmp_path / "absent.json"):
        bands = load_bands("model-b", GUESSED, missing)
        assert (bands.same, bands.related) == (0.65, 0.5) and not bands.is_calibrated


def test_saving_one_model_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "bands.json"
    save_bands("model-a", entry(0.6, 0.45), path)
    save_bands("model-b", {**entry(0.9, 0.8), "date": ""}, path)
    saved = json.loads(path.read_text())
    assert set(saved) == {"model-a", "model-b"}
    assert saved["model-a"]["date"] == "2025-01-31" and saved["model-b"]["date"]  # today's
    assert load_bands("model-b", GUESSED, path).same == 0.9


def test_a_broken_bands_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bands.json"
    path.write_text("{not json")
    with pytest.raises(WorkbenchError, match="not valid JSON"):
        load_bands("model-a", GUESSED, path)
    path.write_text(json.dumps({"model-a": {"same": 0.6}}))
    with pytest.raises(WorkbenchError, match="lacks a same and a related threshold"):
        load_bands("model-a", GUESSED, path)


def test_the_shipped_bands_file_calibrates_the_default_model() -> None:
    bands = load_bands(USE_MULTILINGUAL, GUESSED_BANDS[USE_MULTILINGUAL], BANDS_FILE)
    assert bands.is_calibrated and 0 < bands.related <= bands.same < 1
    shipped = json.loads(BANDS_FILE.read_text())[USE_MULTILINGUAL]
    assert {"f1", "precision", "recall", "positives", "negatives"} <= shipped["same"].keys()


def test_two_languages_are_related_from_their_own_threshold() -> None:
    bands = Bands(same=0.6, related=0.53, calibrated_on="pairs", related_across=0.49)
    assert bands.band(0.51) == MatchBand.UNRELATED
    assert bands.band(0.51, across_languages=True) == MatchBand.RELATED
    assert bands.band(0.47, across_languages=True) == MatchBand.UNRELATED
    assert bands.band(0.62, across_languages=True) == MatchBand.SAME
    assert Bands(0.6, 0.53).band(0.51, across_languages=True) == MatchBand.UNRELATED


def test_the_threshold_maximises_f1() -> None:
    # At 0.7 all three positives and one negative are called: F1 6/7, the best of the cut-offs.
    chosen = choose_threshold([0.9, 0.8, 0.7], [0.75, 0.3])
    assert chosen.threshold == 0.7 and chosen.f1 == round(6 / 7, 4)
    assert (chosen.precision, chosen.recall) == (0.75, 1.0)
    assert (chosen.positives, chosen.negatives) == (3, 2)


def test_tied_scores_are_called_together() -> None:
    # A cut at 0.5 calls both pairs scored 0.5, never the positive one alone.
    for negatives in ([0.5, 0.1], [0.1, 0.5]):
        chosen = choose_threshold([0.5, 0.9], negatives)
        assert chosen.threshold == 0.5
        assert (chosen.precision, chosen.recall) == (round(2 / 3, 4), 1.0)


def test_a_threshold_needs_both_kinds_of_pair() -> None:
    with pytest.raises(WorkbenchError):
        choose_threshold([0.9], [])


CONFLICTS = [
    (
        "40 soldiers were killed in the attack on the bus",
        "39 soldiers were killed in the attack on the bus",
        "At least 40 soldiers were killed in the bus attack",
        "en",
        "conflicting figures: 40 killed vs 39 killed",
    ),
    (
        "قتل 40 جنديا في الهجوم على الحافلة",
        "قتل 39 جنديا في الهجوم على الحافلة",
        "مقتل 40 جنديا في هجوم على حافلة",
        "ar",
        "conflicting figures: 40 killed vs 39 killed",
    ),
    (
        "The army took control of the city centre",
        "The army denied taking control of the city centre",
        "The army says it took control of the city centre",
        "en",
        "denies or negates",
    ),
    (
        "الجيش يعلن السيطرة على المدينة",
        "الجيش ينفي السيطرة على المدينة",
        "أعلن الجيش السيطرة على المدينة",
        "ar",
        "denies or negates",
    ),
    (
        "Oil prices rose on world markets",
        "Oil prices fell on world markets",
        "Oil prices rose sharply on world markets",
        "en",
        "opposite words",
    ),
    (
        "ارتفاع أسعار النفط في الأسواق العالمية",
        "انخفاض أسعار النفط في الأسواق العالمية",
        "أسعار النفط ترتفع في الأسواق العالمية",
        "ar",
        "opposite words",
    ),
]


@pytest.mark.parametrize(("claim", "conflicting", "agreeing", "language", "reason"), CONFLICTS)
def test_a_conflict_moves_a_same_claim_match_to_related(
    claim: str, conflicting: str, agreeing: str, language: str, reason: str
) -> None:
    band, why = guard_band(claim, conflicting, SAME, language)
    assert band == RELATED and reason in why and is_conflict(why)
    assert guard_band(claim, agreeing, SAME, language) == (SAME, "")


def test_a_related_match_that_conflicts_keeps_its_band_with_the_reason() -> None:
    claim, conflicting, *_ = CONFLICTS[0]
    band, why = guard_band(claim, conflicting, RELATED, "en")
    assert band == RELATED and "40 killed vs 39 killed" in why
    assert guard_band(claim, conflicting, UNRELATED, "en") == (UNRELATED, "")


def test_an_arabic_claim_and_its_english_match_are_compared_across_languages() -> None:
    arabic = "ارتفاع أسعار النفط في الأسواق العالمية"
    band, why = guard_band(arabic, "Oil prices fell on world markets", SAME, "ar")
    assert band == RELATED and "opposite" in why
    assert guard_band(arabic, "Oil prices rose on world markets", SAME, "ar") == (SAME, "")


@pytest.mark.parametrize(
    ("short", "longer", "language"),
    [
        ("Prices rose", "Bread prices rose in Beirut today", "en"),
        ("عاجل من بيروت", "ارتفاع أسعار الخبز في بيروت اليوم", "ar"),
    ],
)
def test_a_very_short_text_is_not_called_the_same_claim(
    short: str, longer: str, language: str
) -> None:
    band, why = guard_band(short, longer, SAME, language)
    assert band == RELATED and why.startswith("too short") and not is_conflict(why)
    assert guard_band(longer, short, SAME, language)[0] == RELATED
    assert guard_band(short, longer, RELATED, language) == (RELATED, "")


@pytest.mark.parametrize(
    ("claim", "match", "language"),
    [
        ("Bread prices in Beirut rose by a fifth", "Bread prices rose by a fifth in Beirut", "en"),
        ("ارتفاع أسعار الخبز في بيروت", "أسعار الخبز ترتفع في بيروت", "ar"),
    ],
)
def test_long_enough_agreeing_texts_stay_the_same_claim(
    claim: str, match: str, language: str
) -> None:
    assert guard_band(claim, match, SAME, language) == (SAME, "")


def test_content_words_leave_out_function_words() -> None:
    assert content_words("The price of the bread") == 2
    assert content_words("عاجل من بيروت إلى العالم") == 3
    assert content_words("40 killed") == 2


def test_the_command_line_shows_a_match_band_with_its_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    claim, conflicting, *_ = CONFLICTS[0]
    band, why = guard_band(claim, conflicting, SAME, "en")
    match = Match("c1", conflicting, "Outlet", "en", "a1", "", None, 0.91, band, band_reason=why)
    print_matches([match], as_json=False)
    assert "related (conflicting figures: 40 killed vs 39 killed)" in capsys.readouterr().out
    agreeing = replace(match, origin="sohr", agreeing_figures=("8 officers",))
    print_matches([agreeing], as_json=False)
    shown = capsys.readouterr().out
    assert "[Outlet, en, None, origin: sohr]" in shown and "(agreeing figures: 8 officers)" in shown
    print_matches([match], as_json=True)
    assert json.loads(capsys.readouterr().out)[0]["band_reason"] == why


def test_the_least_related_threshold_is_the_lower_of_the_two() -> None:
    assert Bands(0.6, 0.5, "x", related_across=0.45).least_related == 0.45
    assert Bands(0.6, 0.5, "x", related_across=0.55).least_related == 0.5
    assert Bands(0.6, 0.5).least_related == 0.5
