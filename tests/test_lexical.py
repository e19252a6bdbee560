import json
from itertools import pairwise
from pathlib import Path

import bm25s
import numpy as np
import pytest

from workbench import lexical
from workbench.errors import IndexMismatchError, IndexOutdatedError
from workbench.lexical import LexicalIndex, bm25_matrix

CLAIMS = {
    "vaccine": "The COVID-19 vaccine changes human DNA, a viral post claims.",
    "fries": "McDonald's restaurants are offering $1 any size fries between May 18 and 31.",
    "anaconda": "A viral video shows a 10-meter-long anaconda in a river in Brazil.",
    "wall": "The Great Wall of China is visible from the Moon with the naked eye.",
    "bill": "Bill Gates wants to put microchips in people through vaccines.",
}
WORDS = ["river", "bridge", "mayor", "school", "storm", "flood", "ticket", "market", "budget"]


def build(folder: Path, claims: dict[str, str], **options: float) -> LexicalIndex:
    index = LexicalIndex(folder, **options)
    index.add(list(claims), list(claims.values()), ["en"] * len(claims))
    return index


def filler(count: int, start: int = 0) -> dict[str, str]:
    """Claims made of a few common words, so that merges have something to rebuild."""
    return {
        f"f{i}": " ".join(WORDS[(i * step) % len(WORDS)] for step in (1, 3, 7))
        for i in range(start, start + count)
    }


def test_search_finds_the_claim_best_first(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", CLAIMS)
    hits = index.search("Does the vaccine alter your DNA? https://t.co/xyz @someone", 3, "en")
    assert hits[0][0] == "vaccine"
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)
    assert [claim for claim, _ in index.search("great wall seen from the moon", 1)] == ["wall"]


def test_search_returns_only_claims_that_share_a_word(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", CLAIMS)
    assert [claim for claim, _ in index.search("anacondas", 5, "en")] == ["anaconda"]
    assert index.search("zebra", 5, "en") == []
    assert index.search("vaccine", 0, "en") == []
    assert LexicalIndex(tmp_path / "empty").search("vaccine", 5) == []


def test_a_query_word_counts_once_however_often_it_is_repeated(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", CLAIMS)
    once = index.search("vaccine river", 5, "en")
    # Counted each time, a chanted word would outweigh the rest of the query.
    assert index.search("vaccine vaccine #vaccine VACCINE river", 5, "en") == once


def test_arabic_matches_despite_hamza_ta_marbuta_and_diacritics(tmp_path: Path) -> None:
    claims = {
        "schools": "أعلنت وزارةُ الصحة إغلاقَ المدارسِ في القاهرة",
        "king": "العاهل المغربي يتلقى الجرعة الأولى من لقاح كورونا",
        "prices": "ارتفاع أسعار الخبز في الأسواق",
    }
    index = LexicalIndex(tmp_path / "lex")
    index.add(list(claims), list(claims.values()), ["ar"] * 3)
    assert index.search("اعلنت وزاره الصحه اغلاق مدارس القاهره", 1, "ar")[0][0] == "schools"
    assert index.search("الملك المغربى يتلقّى الجرعه الاولى", 1, "und")[0][0] == "king"


def test_add_ignores_known_ids_and_duplicates_within_a_batch(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", CLAIMS)
    index.add(["vaccine", "new", "new"], ["pizza recipe", "flat earth", "round earth"], ["en"] * 3)
    assert len(index) == 6 and index.claim_ids == {*CLAIMS, "new"}
    assert "new" in index and "pizza" not in index
    assert index.search("pizza", 5, "en") == []
    assert [claim for claim, _ in index.search("earth", 5, "en")] == ["new"]
    assert index.search("vaccine DNA", 1, "en")[0][0] == "vaccine"


def test_add_refuses_lists_of_different_lengths(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LexicalIndex(tmp_path / "lex").add(["a", "b"], ["one text"], ["en", "en"])


def test_small_adds_stay_in_the_recent_tier_and_score_on_the_main_scale(tmp_path: Path) -> None:
    main = {**filler(40), "twin": "river flood warning issued for the old bridge"}
    index = build(tmp_path / "lex", main)
    index.add(["late twin"], [main["twin"]], ["en"])
    index.save()
    manifest = json.loads((tmp_path / "lex" / "manifest.json").read_text())
    assert (manifest["main_count"], manifest["count"]) == (41, 42)
    hits = dict(index.search("flood warning for the bridge", 2, "en"))
    assert set(hits) == {"twin", "late twin"}
    assert hits["late twin"] == pytest.approx(hits["twin"], rel=1e-5)


def test_merged_index_gives_the_results_of_a_full_rebuild(tmp_path: Path) -> None:
    everything = {**filler(30), **CLAIMS, **filler(10, start=30)}
    incremental = build(tmp_path / "inc", filler(30), merge_fraction=0.2)
    recent = [*CLAIMS.items(), *filler(10, start=30).items()]
    sizes = []
    for claim_id, text in recent:
        incremental.add([claim_id], [text], ["en"])
        incremental.save()
        sizes.append(json.loads((tmp_path / "inc" / "manifest.json").read_text())["main_count"])
    # Six adds wait in the recent tier (6 <= 0.2 * 30), the seventh merges; then the fifteenth.
    assert sizes == [30] * 6 + [37] * 8 + [45] and len(everything) == 45
    full = build(tmp_path / "full", everything)
    for query in ["viral video anaconda", "river flood bridge", "vaccine microchips", "moon"]:
        assert incremental.search(query, 8, "en") == full.search(query, 8, "en")


def test_save_and_open_round_trip_with_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "lex"
    index = build(folder, {**filler(20), **CLAIMS})
    index.save()
    index.add(["late"], ["Anaconda swallows a drone over the river"], ["en"])
    index.save()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["count"] == 26 and manifest["normaliser"] and "created" in manifest
    # The main tier is not written again for a small add; the old recent file is gone.
    assert sorted(p.name for p in folder.iterdir() if p.name != "manifest.json") == [
        "main-1",
        "recent-2.jsonl",
    ]
    reopened = LexicalIndex.open(folder)
    assert len(reopened) == 26 and reopened.claim_ids == index.claim_ids
    for query in ["anaconda river", "vaccine", "fries"]:
        assert reopened.search(query, 5, "en") == index.search(query, 5, "en")
    reopened.add(["later"], ["A drone films an anaconda"], ["en"])
    assert {claim for claim, _ in reopened.search("drone", 5, "en")} == {"late", "later"}


def test_refuses_an_index_made_by_other_text_rules(tmp_path: Path) -> None:
    build(tmp_path / "lex", CLAIMS).save()
    manifest_path = tmp_path / "lex" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "normaliser": -1}))
    # Outdated, so that a desk rebuilds it from the ledger by itself.
    with pytest.raises(IndexOutdatedError, match="workbench reindex"):
        LexicalIndex.open(tmp_path / "lex")


def test_removed_claims_leave_the_results_and_stay_removed_after_a_save(tmp_path: Path) -> None:
    folder = tmp_path / "lex"
    index = build(folder, {**filler(20), **CLAIMS})
    index.add(["late"], ["A viral video shows an anaconda eating a drone"], ["en"])
    assert index.remove(["anaconda", "late", "never indexed"]) == 2
    assert index.remove(["anaconda"]) == 0
    assert len(index) == 24 and "anaconda" not in index and "late" not in index
    assert index.search("anaconda", 5, "en") == []
    assert index.search("viral video", 5, "en")[0][0] == "vaccine"
    index.save()
    reopened = LexicalIndex.open(folder)
    assert len(reopened) == 24 and reopened.claim_ids == index.claim_ids
    assert reopened.search("anaconda", 5, "en") == []
    # A removed claim can come back under its id, as a new row.
    reopened.add(["anaconda"], ["Anaconda swims across the river"], ["en"])
    reopened.save()
    assert [c for c, _ in LexicalIndex.open(folder).search("anaconda", 5, "en")] == ["anaconda"]


def test_refuses_a_removed_list_that_names_rows_it_lacks(tmp_path: Path) -> None:
    index = build(tmp_path / "lex", CLAIMS)
    index.remove(["fries"])
    index.save()
    (tmp_path / "lex" / "removed-1.txt").write_text("2\n99", encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="damaged"):
        LexicalIndex.open(tmp_path / "lex")


def test_a_large_index_leaves_out_words_most_claims_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexical, "PRUNE_FROM", 10)
    claims = {f"c{i}": f"army statement number{i}" for i in range(30)}
    claims["flood"] = "army statement on the flood in Marsa"
    index = build(tmp_path / "lex", claims)
    index._merge()
    # "army" and "statement" are in every claim: only "flood" decides, and nothing else scores.
    assert [claim for claim, _ in index.search("army statement flood", 5, "en")] == ["flood"]
    # A query of common words only keeps them rather than finding nothing.
    assert len(index.search("army statement", 5, "en")) == 5
    monkeypatch.setattr(lexical, "PRUNE_FROM", 1_000_000)
    assert len(index.search("army statement flood", 5, "en")) == 5


def test_the_merge_scores_exactly_as_bm25s_builds_them() -> None:
    chance = np.random.default_rng(0)
    lengths = chance.integers(0, 12, 300)  # empty documents too
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    tokens = (chance.zipf(1.5, offsets[-1]) % 80).astype(np.int32)
    documents = [tokens[start:end].tolist() for start, end in pairwise(offsets)]
    expected = bm25s.BM25(k1=1.2, b=0.75).build_index_from_ids(
        list(range(90)), documents, show_progress=False
    )
    data, indices, indptr = bm25_matrix(tokens, offsets, 90, 1.2, 0.75)
    assert np.array_equal(indptr, expected["indptr"])
    assert np.array_equal(indices, expected["indices"])
    assert np.allclose(data, expected["data"], rtol=1e-6)
