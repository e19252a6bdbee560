import csv
import json
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from workbench import export
from workbench.desk import Desk
from workbench.export import (
    CLAIMREVIEW_RATINGS,
    export_claimreview,
    export_csv,
    export_history_csv,
    neutralise,
)
from workbench.models import VerdictLabel
from workbench.verdicts import record_verdict

HISTORY_COLUMNS = [
    "verdict_id",
    "claim_id",
    "claim",
    "language",
    "outlet",
    "article_title",
    "url",
    "published",
    "verdict",
    "reviewer",
    "decided_at",
    "rationale",
    "evidence_claim_ids",
    "seen_version",
]


def claim_where(desk: Desk, outlet: str, words: str) -> dict[str, str]:
    claims = desk.claims()
    found = claims[(claims.outlet == outlet) & claims.text.str.contains(words)]
    assert len(found) == 1, f"expected one {outlet} claim with {words!r}"
    return dict(found.iloc[0])


def flood_claims(desk: Desk) -> tuple[dict[str, str], dict[str, str]]:
    english = claim_where(desk, "Harbour Gazette", "evacuated")
    arabic = claim_where(desk, "صحيفة الميناء", "فرق الإنقاذ")
    return english, arabic


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_history_has_a_row_per_verdict_and_current_a_row_per_claim(
    loaded_desk: Desk, tmp_path: Path
) -> None:
    english, arabic = flood_claims(loaded_desk)
    ledger = loaded_desk.ledger
    first = record_verdict(ledger, english["claim_id"], VerdictLabel.DISPUTED, "amal", "unclear")
    second = record_verdict(
        ledger,
        english["claim_id"],
        VerdictLabel.CORROBORATED,
        "omar",
        "both agree",
        [arabic["claim_id"]],
    )
    third = record_verdict(ledger, arabic["claim_id"], VerdictLabel.CORROBORATED, "amal")

    assert export_history_csv(ledger, tmp_path / "history.csv") == 3
    assert export_csv(ledger, tmp_path / "current.csv") == 2

    history = read_csv(tmp_path / "history.csv")
    assert list(history[0]) == HISTORY_COLUMNS
    assert [row["verdict_id"] for row in history] == [
        first.verdict_id,
        second.verdict_id,
        third.verdict_id,
    ]
    assert [row["verdict"] for row in history] == ["disputed", "corroborated", "corroborated"]
    assert [row["seen_version"] for row in history] == ["0", "1", "0"]
    assert history[1]["evidence_claim_ids"] == arabic["claim_id"]
    assert history[1]["outlet"] == "Harbour Gazette" and history[1]["published"] == "2021-01-05"
    current = read_csv(tmp_path / "current.csv")
    assert {row["claim_id"]: row["verdict"] for row in current} == {
        english["claim_id"]: "corroborated",
        arabic["claim_id"]: "corroborated",
    }


def test_both_csv_exports_start_with_a_bom(loaded_desk: Desk, tmp_path: Path) -> None:
    english, _ = flood_claims(loaded_desk)
    record_verdict(loaded_desk.ledger, english["claim_id"], VerdictLabel.DISPUTED, "amal")
    export_csv(loaded_desk.ledger, tmp_path / "current.csv")
    export_history_csv(loaded_desk.ledger, tmp_path / "history.csv")
    for name in ("current.csv", "history.csv"):
        raw = (tmp_path / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfclaim_id,") or raw.startswith(
            b"\xef\xbb\xbfverdict_id,"
        )


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_history_neutralises_formula_cells(loaded_desk: Desk, tmp_path: Path, start: str) -> None:
    english, _ = flood_claims(loaded_desk)
    note = f'{start}HYPERLINK("https://evil.example","x")'
    reviewer = f"{start}cmd|' /C calc'!A0"
    record_verdict(loaded_desk.ledger, english["claim_id"], VerdictLabel.DISPUTED, reviewer, note)

    export_history_csv(loaded_desk.ledger, tmp_path / "history.csv")

    (row,) = read_csv(tmp_path / "history.csv")
    assert row["rationale"] == "'" + note
    assert row["reviewer"] == "'" + reviewer
    assert neutralise(note) == "'" + note


def test_neutralise_leaves_ordinary_values_alone() -> None:
    assert neutralise("Flash floods killed twelve") == "Flash floods killed twelve"
    assert neutralise("قتلت السيول") == "قتلت السيول"
    assert neutralise(3) == 3
    assert neutralise(None) == ""


def test_arabic_round_trips_through_csv_and_claimreview(loaded_desk: Desk, tmp_path: Path) -> None:
    _, arabic = flood_claims(loaded_desk)
    note = "تؤكد الصحيفتان الخبر نفسه"
    record_verdict(loaded_desk.ledger, arabic["claim_id"], VerdictLabel.CORROBORATED, "أمل", note)

    export_history_csv(loaded_desk.ledger, tmp_path / "history.csv")
    export_claimreview(loaded_desk.ledger, tmp_path / "reviews.json")

    (row,) = read_csv(tmp_path / "history.csv")
    assert row["claim"] == arabic["text"]
    assert row["rationale"] == note and row["reviewer"] == "أمل"
    assert row["outlet"] == "صحيفة الميناء" and row["language"] == "ar"
    raw = (tmp_path / "reviews.json").read_text(encoding="utf-8")
    assert arabic["text"] in raw  # characters, not \u escapes
    (review,) = json.loads(raw)
    assert review["claimReviewed"] == arabic["text"] and review["reviewBody"] == note
    assert review["itemReviewed"]["inLanguage"] == "ar"


def test_claimreview_is_json_ld_with_the_mapping_and_every_appearance(
    loaded_desk: Desk, tmp_path: Path
) -> None:
    english, arabic = flood_claims(loaded_desk)
    cup = claim_where(loaded_desk, "Capital Sports", "extra time")
    library = claim_where(loaded_desk, "الرياضة اليوم", "العاشرة")
    ledger = loaded_desk.ledger
    record_verdict(ledger, english["claim_id"], VerdictLabel.DISPUTED, "amal", "first look")
    record_verdict(
        ledger,
        english["claim_id"],
        VerdictLabel.CORROBORATED,
        "omar",
        "same figures",
        [arabic["claim_id"]],
    )
    record_verdict(ledger, cup["claim_id"], VerdictLabel.DISPUTED, "amal", "scores differ")
    # Evidence from an article published two days earlier makes that article the first appearance.
    record_verdict(
        ledger, library["claim_id"], VerdictLabel.PROPAGANDA_SOURCED, "omar", "", [cup["claim_id"]]
    )

    count = export_claimreview(ledger, tmp_path / "reviews.json", organisation="Marsa Desk")

    reviews = json.loads((tmp_path / "reviews.json").read_text(encoding="utf-8"))
    assert count == len(reviews) == 3
    by_claim = {review["claimReviewed"]: review for review in reviews}
    flood = by_claim[english["text"]]
    assert flood["@context"] == "https://schema.org" and flood["@type"] == "ClaimReview"
    assert flood["author"] == {"@type": "Organization", "name": "Marsa Desk"}
    assert flood["datePublished"] == datetime.now(UTC).date().isoformat()
    assert flood["reviewBody"] == "same figures"
    assert flood["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Corroborated by independent sources",
        "ratingExplanation": CLAIMREVIEW_RATINGS[VerdictLabel.CORROBORATED].explanation,
    }
    item = flood["itemReviewed"]
    assert item["@type"] == "Claim" and item["inLanguage"] == "en"
    assert [(work["url"], work["publisher"]["name"]) for work in item["appearance"]] == [
        ("https://harbour-gazette.example/floods-marsa", "Harbour Gazette"),
        ("https://almina.example/marsa-floods", "صحيفة الميناء"),
    ]
    # Both appeared the same day: the claim's own article counts as the first.
    assert item["firstAppearance"]["url"] == "https://harbour-gazette.example/floods-marsa"

    labels = {review["reviewRating"]["alternateName"] for review in reviews}
    assert labels == {
        "Corroborated by independent sources",
        "Disputed: sources conflict",
        "Propaganda-sourced: originates from a propaganda outlet",
    }
    assert not any("ratingValue" in review["reviewRating"] for review in reviews)
    library_item = by_claim[library["text"]]["itemReviewed"]
    assert library_item["firstAppearance"]["url"] == "https://capital-sports.example/cup-final"
    assert library_item["firstAppearance"]["datePublished"] == "2021-01-03"


def test_the_mapping_covers_every_verdict() -> None:
    assert set(CLAIMREVIEW_RATINGS) == set(VerdictLabel)
    assert all(rating.explanation for rating in CLAIMREVIEW_RATINGS.values())


def test_claimreview_of_an_empty_ledger_is_an_empty_array(desk: Desk, tmp_path: Path) -> None:
    assert export_claimreview(desk.ledger, tmp_path / "reviews.json") == 0
    assert json.loads((tmp_path / "reviews.json").read_text(encoding="utf-8")) == []


def test_a_failed_export_leaves_the_old_file_and_no_temporary(
    loaded_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english, _ = flood_claims(loaded_desk)
    record_verdict(loaded_desk.ledger, english["claim_id"], VerdictLabel.DISPUTED, "amal", "boom")
    path = tmp_path / "out" / "history.csv"
    path.parent.mkdir()
    path.write_text("the previous export\n", encoding="utf-8")

    def explode(value: object) -> object:
        if value == "boom":
            raise RuntimeError("disk full")
        return value

    monkeypatch.setattr(export, "neutralise", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        export_history_csv(loaded_desk.ledger, path)

    assert path.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in path.parent.iterdir()] == ["history.csv"]


@pytest.mark.slow
def test_history_export_streams_50000_verdicts(
    loaded_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim_ids = list(loaded_desk.claims().claim_id)
    total = 50_000
    verdicts = pd.DataFrame(
        {
            "verdict_id": [f"v{i:06d}" for i in range(total)],
            "claim_id": [claim_ids[i % len(claim_ids)] for i in range(total)],
            "verdict": [list(VerdictLabel)[i % 3].value for i in range(total)],
            "reviewer": "bulk",
            "note": [f"rationale {i} " + "x" * 300 for i in range(total)],
            "evidence": [[claim_ids[(i + 1) % len(claim_ids)]] for i in range(total)],
            "created_at": pd.Timestamp("2024-01-01", tz="UTC"),
            "seen_version": 0,
        }
    )
    with loaded_desk.ledger.transaction() as db:
        db.register("incoming", verdicts)
        db.execute("INSERT INTO verdicts BY NAME SELECT * FROM incoming")
        db.unregister("incoming")
    del verdicts
    monkeypatch.setattr(export, "CHUNK", 1_000)
    path = tmp_path / "history.csv"

    tracemalloc.start()
    try:
        rows = export_history_csv(loaded_desk.ledger, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert rows == total
    size = path.stat().st_size
    assert size > 15_000_000
    # Holding every row at once would take more than the file itself; a chunk takes a few percent.
    assert peak < size / 5, f"peak {peak:,} bytes for a {size:,}-byte file"
    with open(path, encoding="utf-8-sig", newline="") as file:
        assert sum(1 for _ in csv.reader(file)) == total + 1
