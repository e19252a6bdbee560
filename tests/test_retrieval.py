from pathlib import Path

import numpy as np
import pytest

from workbench.embed import E5_SMALL, USE_E5, USE_MULTILINGUAL
from workbench.retrieval import Fusion, Retriever


def toward(cosine: float, axis: int) -> np.ndarray:
    """A unit vector whose cosine with QUERY is `cosine`, the rest along another axis."""
    vector = np.zeros(4, dtype=np.float32)
    vector[0], vector[axis] = cosine, (1 - cosine**2) ** 0.5
    return vector


# Hand-made vectors: the query points along the first axis, and each claim's cosine with it is
# chosen by the test, whatever its words.
QUERY = np.asarray([1, 0, 0, 0], dtype=np.float32)
CLAIMS = {
    # The same wording as the query, a middling cosine.
    "wording": ("Mayor closes every school in Springfield for the storm", toward(0.6, 1)),
    # A slightly better cosine and one word in common.
    "meaning": ("Springfield braces for a hurricane this weekend", toward(0.65, 2)),
    # The best cosine and no word in common (another language, say).
    "translation": ("رئيس البلدية يغلق المدارس بسبب العاصفة", toward(0.9, 3)),
    "unrelated": ("Ticket prices rise at the river market", toward(0.0, 3)),
}
TEXT = "The mayor closes every school in Springfield because of the storm"


@pytest.fixture
def retriever(tmp_path: Path) -> Retriever:
    index = Retriever.empty(tmp_path, "test-model", 4)
    ids = list(CLAIMS)
    index.add(
        ids,
        [text for text, _ in CLAIMS.values()],
        ["ar" if claim_id == "translation" else "en" for claim_id in ids],
        np.stack([vector for _, vector in CLAIMS.values()]),
    )
    return index


def test_a_clear_lexical_winner_is_not_overtaken_by_a_slightly_better_cosine(
    retriever: Retriever,
) -> None:
    hits = retriever.search(QUERY, TEXT, "", 4)
    assert hits[0].claim_id == "wording"
    assert [hit.fused for hit in hits] == sorted((hit.fused for hit in hits), reverse=True)


def test_fused_score_is_the_bm25_share_of_the_best_plus_the_weighted_cosine(
    retriever: Retriever,
) -> None:
    hits = {hit.claim_id: hit for hit in retriever.search(QUERY, TEXT, "", 4)}
    weight = Fusion().dense_weight
    best = retriever.lexical.search(TEXT, 1)[0][1]
    meaning = dict(retriever.lexical.search(TEXT, 4))["meaning"]
    assert hits["wording"].fused == pytest.approx(1 + weight * 0.6, abs=1e-5)
    assert hits["meaning"].fused == pytest.approx(meaning / best + weight * 0.65, abs=1e-4)
    # Found by the dense list alone: its cosine only.
    assert hits["translation"].fused == pytest.approx(weight * 0.9, abs=1e-5)


def test_each_hit_carries_its_true_cosine_whichever_list_found_it(retriever: Retriever) -> None:
    # With a depth of one, only "translation" comes from the dense list; "wording" comes from
    # the lexical list and its cosine is read from the stored vector.
    shallow = Retriever(retriever.dense, retriever.lexical, Fusion(depth=1))
    hits = {hit.claim_id: hit.cosine for hit in shallow.search(QUERY, TEXT, "", 1)}
    assert len(hits) == 1
    hits = {hit.claim_id: hit.cosine for hit in shallow.search(QUERY, TEXT, "", 2)}
    assert hits["wording"] == pytest.approx(0.6, abs=1e-5)
    assert hits["translation"] == pytest.approx(0.9, abs=1e-5)


def test_without_a_shared_word_the_dense_order_decides(retriever: Retriever) -> None:
    hits = retriever.search(QUERY, "zzz qqq", "", 4)
    assert [hit.claim_id for hit in hits] == ["translation", "meaning", "wording", "unrelated"]


def test_a_heavier_dense_weight_lets_the_best_cosine_win(retriever: Retriever) -> None:
    dense_first = Retriever(retriever.dense, retriever.lexical, Fusion(dense_weight=10.0))
    assert dense_first.search(QUERY, TEXT, "", 1)[0].claim_id == "translation"
    lexical_only = Retriever(retriever.dense, retriever.lexical, Fusion(dense_weight=0.0))
    assert lexical_only.search(QUERY, TEXT, "", 1)[0].claim_id == "wording"


def test_the_dense_weight_follows_the_query_language(retriever: Retriever) -> None:
    fusion = Fusion(dense_weight=10.0, language_weights=(("fr", 0.0),))
    by_language = Retriever(retriever.dense, retriever.lexical, fusion)
    assert by_language.search(QUERY, TEXT, "fr", 1)[0].claim_id == "wording"
    # An untagged query takes its script's language (English here), so the default weight.
    assert by_language.search(QUERY, TEXT, "", 1)[0].claim_id == "translation"
    assert fusion.weight("fr") == 0.0 and fusion.weight("en") == 10.0


def test_arabic_queries_give_the_default_model_less_dense_weight() -> None:
    fusion = Fusion.for_model(USE_MULTILINGUAL)
    assert fusion.weight("ar") < fusion.weight("en") == fusion.dense_weight


def test_removed_claims_leave_both_lists(retriever: Retriever) -> None:
    assert retriever.remove(["wording", "translation", "never indexed"]) == 2
    hits = retriever.search(QUERY, TEXT, "", 4)
    assert {hit.claim_id for hit in hits} == {"meaning", "unrelated"}
    assert len(retriever) == 2 and retriever.complete_ids == {"meaning", "unrelated"}


def test_each_model_gets_the_weight_that_suits_its_cosines(tmp_path: Path) -> None:
    assert Fusion.for_model(E5_SMALL).dense_weight > Fusion.for_model(USE_MULTILINGUAL).dense_weight
    assert Fusion.for_model("some/other-model") == Fusion()
    assert Retriever.empty(tmp_path, E5_SMALL, 4).fusion == Fusion.for_model(E5_SMALL)
    chosen = Fusion(dense_weight=5.0)
    assert Retriever.empty(tmp_path, E5_SMALL, 4, chosen).fusion is chosen


def test_the_pair_model_reads_arabic_as_character_grams_and_others_as_stems(
    tmp_path: Path,
) -> None:
    pair = Retriever.empty(tmp_path / "pair", USE_E5, 4)
    default = Retriever.empty(tmp_path / "default", USE_MULTILINGUAL, 4)
    assert pair.lexical.rules.arabic_character_grams
    assert not default.lexical.rules.arabic_character_grams
    vectors = np.eye(4, dtype=np.float32)[:2]
    for retriever in (pair, default):
        retriever.add(["clitic", "other"], ["وصل بقطار", "حريق في المصنع"], ["ar", "ar"], vectors)
    # "قطار" and "بقطار" share no light stem, but most of their character grams.
    assert [c for c, _ in pair.lexical.search("قطار", 2, "ar")] == ["clitic"]
    assert default.lexical.search("قطار", 2, "ar") == []
    pair.save()
    assert Retriever.open(tmp_path / "pair", USE_E5, 4).lexical.rules == pair.lexical.rules
