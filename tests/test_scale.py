import pytest

from workbench import index
from workbench.scale import bench_scale, synthetic_records
from workbench.settings import Settings


def test_synthetic_corpus_is_multilingual_and_distinct() -> None:
    records = list(synthetic_records(30))
    assert {r.fields["language"] for r in records} == {"en", "ar", "fr"}
    assert len({r.fields["text"] for r in records}) == 30


def test_scale_bench_builds_and_measures(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "EXACT_LIMIT", 100)  # so that 300 claims need the approximate index
    result = bench_scale(settings, claims=300, embed_limit=120, queries=10)
    assert result["claims"] == result["claims_embedded"] + result["claims_copied"]
    assert result["claims_copied"] > 0 and result["note"]
    assert result["claims"] >= 240
    for key in (
        "ingest_claims_per_s",
        "ingest_into_full_claims_per_s",
        "encoder_claims_per_s",
        "match_p50_ms",
        "match_p99_ms",
        "retrieval_p50_ms",
        "peak_rss_mb",
        "claim_view_p50_ms",
        "queue_page_p50_ms",
        "index_build_s",
    ):
        assert result[key] > 0, key
    assert result["match_p99_ms"] >= result["match_p50_ms"]
    assert result["retrieval_p99_ms"] >= result["retrieval_p50_ms"]
    assert result["index_kind"] == "ivf-sq8"
    assert result["index_params"]["trained_for"] == result["claims"]
    assert 0.8 <= result["recall@10"] <= 1.0
    shares = result["ingest_stage_share"]
    assert set(shares) == {
        "reading and splitting",
        "writing the ledger",
        "embedding",
        "waiting for the encoder",
        "adding to the indexes",
        "linking near-duplicates",
    }
    on_the_main_thread = sum(share for stage, share in shares.items() if stage != "embedding")
    assert all(share > 0 for share in shares.values()) and 0.5 < on_the_main_thread <= 1.0
