import json
from pathlib import Path

import faiss
import numpy as np
import pytest

from workbench.errors import IndexMismatchError
from workbench.index import CODE_BUDGET, ClaimIndex


def unit_vectors(count: int, dimension: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def clustered(count: int, seed: int = 0, dimension: int = 16) -> np.ndarray:
    """Unit vectors around 40 shared centres, the way claims gather around stories."""
    centres = np.random.default_rng(99).normal(size=(40, dimension))
    chance = np.random.default_rng(seed)
    vectors = centres[chance.integers(0, 40, count)] + 0.7 * chance.normal(size=(count, dimension))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(count)]


def approximate(folder: Path, count: int = 2000) -> tuple[ClaimIndex, np.ndarray]:
    """An index past its (small) exact limit, with its vectors."""
    index = ClaimIndex(folder, "model-a", 16, exact_limit=1000)
    vectors = clustered(count)
    index.add(ids("c", count), vectors)
    return index, vectors


def test_search_returns_claim_ids_best_first(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 8)
    vectors = unit_vectors(5)
    index.add([f"c{i}" for i in range(5)], vectors)
    (hits,) = index.search(vectors[3:4], 2)
    assert hits[0][0] == "c3" and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert hits[1][1] < hits[0][1]


def test_neighbours_are_the_hits_at_or_above_a_score_in_columns(tmp_path: Path) -> None:
    index, vectors = approximate(tmp_path / "idx")
    queries = vectors[:30]
    query, found, scores = index.neighbours(queries, 10, 0.6)
    expected = [
        (position, claim_id, score)
        for position, hits in enumerate(index.search(queries, 10))
        for claim_id, score in hits
        if score >= 0.6
    ]
    assert 0 < len(expected) < 300  # some hits fall below the score
    assert list(zip(query.tolist(), found, scores.tolist(), strict=True)) == expected
    assert index.neighbours(queries, 0, 0.6)[1] == []


def test_adding_a_known_claim_again_is_ignored(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 8)
    index.add(["c1", "c2"], unit_vectors(2))
    index.add(["c2", "c3"], unit_vectors(2, seed=1))
    assert len(index) == 3 and index.claim_ids == {"c1", "c2", "c3"}


def test_save_and_open_round_trip_with_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex(folder, "model-a", 8)
    vectors = unit_vectors(4)
    index.add(["a", "b", "c", "d"], vectors)
    index.save()
    index.add(["e"], unit_vectors(1, seed=2))
    index.save()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "model-a" and manifest["dimension"] == 8 and manifest["count"] == 5
    assert manifest["kind"] == "flat" and "created" in manifest
    files = sorted(p.name for p in folder.glob("*-*.*"))
    assert files == ["ids-2.txt", manifest["vectors"]] and manifest["vectors"].endswith(".f32")
    reopened = ClaimIndex.open(folder, "model-a", 8)
    assert len(reopened) == 5 and reopened.kind == "flat"
    vector = reopened.vector("c")
    assert vector is not None and np.allclose(vector, vectors[2], atol=1e-6)
    assert np.allclose(reopened.all_vectors()[:4], vectors, atol=1e-6)


def test_refuses_an_index_built_with_another_model(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 8)
    index.add(["a"], unit_vectors(1))
    index.save()
    with pytest.raises(IndexMismatchError, match="workbench reindex"):
        ClaimIndex.open(tmp_path / "idx", "model-b", 8)


def test_refuses_an_index_of_the_older_format(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    folder.mkdir()
    old = {"format": 1, "model": "model-a", "dimension": 8, "generation": 1, "count": 0}
    (folder / "manifest.json").write_text(json.dumps(old))
    with pytest.raises(IndexMismatchError, match="another version"):
        ClaimIndex.open(folder, "model-a", 8)


def test_below_the_limit_search_is_exact(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 16, exact_limit=1000)
    index.add(ids("c", 999), clustered(999))
    queries = clustered(20, seed=1)
    assert index.kind == "flat"
    assert [[c for c, _ in row] for row in index.search(queries, 10)] == [
        [c for c, _ in row] for row in index.exact_search(queries, 10)
    ]


def test_past_the_limit_the_index_is_approximate_and_tuned(tmp_path: Path) -> None:
    index, _ = approximate(tmp_path / "idx")
    assert index.kind == "ivf-sq8"
    queries = clustered(200, seed=1)  # not in the index
    found, exact = index.search(queries, 10), index.exact_search(queries, 10)
    recall = np.mean(
        [len({c for c, _ in f} & {c for c, _ in e}) / 10 for f, e in zip(found, exact, strict=True)]
    )
    assert recall >= 0.9
    assert index.recall(queries, [""] * 200) == pytest.approx(recall, abs=0.05)
    cosines = dict(exact[0])
    assert all(
        score == pytest.approx(cosines[c], abs=0.02) for c, score in found[0] if c in cosines
    )
    index.save()
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    params = manifest["params"]
    assert manifest["kind"] == "ivf-sq8" and params["trained_for"] == 2000
    assert 1 <= params["nprobe"] <= params["nlist"] and params["recall@10"] >= 0.97
    assert (tmp_path / "idx" / "ivf-1.faiss").exists()


def test_a_query_into_a_crowded_list_scans_a_bounded_number_of_codes(tmp_path: Path) -> None:
    index, vectors = approximate(tmp_path / "idx")
    story = vectors[0] + 0.01 * unit_vectors(1000, 16)  # one story, repeated after training
    index.add(ids("d", 1000), story / np.linalg.norm(story, axis=1, keepdims=True))
    index._faiss.nprobe = 1  # so that the crowded list is far above the average
    budget = CODE_BUDGET * len(index) // index.params["nlist"]
    assert budget < 1000
    faiss.cvar.indexIVF_stats.reset()
    found = index.search(vectors[:1], 10)[0]
    assert len(found) == 10 and found[0][1] > 0.99
    assert faiss.cvar.indexIVF_stats.ndis <= budget


def test_a_reopened_approximate_index_gives_the_same_results(tmp_path: Path) -> None:
    index, _ = approximate(tmp_path / "idx")
    index.save()
    reopened = ClaimIndex.open(tmp_path / "idx", "model-a", 16)
    queries = clustered(30, seed=2)
    assert reopened.kind == "ivf-sq8" and reopened.params == index.params
    assert reopened.search(queries, 10) == index.search(queries, 10)


def test_retrains_when_the_collection_doubles(tmp_path: Path) -> None:
    index, _ = approximate(tmp_path / "idx")
    nlist = index.params["nlist"]
    index.add(ids("d", 1000), clustered(1000, seed=3))
    assert index.params["trained_for"] == 2000  # grown by half: not yet
    index.add(ids("e", 1500), clustered(1500, seed=4))
    assert index.params["trained_for"] == 4500 and index.params["nlist"] > nlist
    vector = index.vector("d7")
    assert vector is not None and index.search(vector[None], 1)[0][0][0] == "d7"


@pytest.mark.parametrize("exact_limit", [10_000, 1000], ids=["flat", "approximate"])
def test_removed_claims_leave_search_and_stay_removed(tmp_path: Path, exact_limit: int) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex(folder, "model-a", 16, exact_limit=exact_limit)
    vectors = clustered(1500)
    index.add(ids("c", 1500), vectors)
    assert index.remove(["c3", "c4", "unknown"]) == 2
    assert "c3" not in index and len(index) == 1498 and index.vector("c3") is None
    assert all(c not in {"c3", "c4"} for c, _ in index.search(vectors[3:5], 20)[0])
    index.save()
    reopened = ClaimIndex.open(folder, "model-a", 16)
    assert len(reopened) == 1498 and "c4" not in reopened.claim_ids
    assert all(c != "c4" for c, _ in reopened.search(vectors[4:5], 20)[0])
    vector = reopened.vector("c5")
    assert vector is not None and np.allclose(vector, vectors[5], atol=1e-6)
    reopened.add(["c4"], vectors[4:5])  # a claim can come back
    assert reopened.search(vectors[4:5], 1)[0][0][0] == "c4"


@pytest.mark.parametrize("exact_limit", [10_000, 1000], ids=["flat", "approximate"])
def test_stored_vectors_come_back_in_a_batch_without_removed_ones(
    tmp_path: Path, exact_limit: int
) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex(folder, "model-a", 16, exact_limit=exact_limit)
    vectors = clustered(1500)
    index.add(ids("c", 1500), vectors)
    index.remove(["c3"])
    index.save()
    for source in (index, ClaimIndex.open(folder, "model-a", 16)):
        got = source.vectors(["c9", "c3", "unknown", "c1400"])
        assert not got[1:3].any()  # removed and unknown claims: zeros
        # An approximate index decodes its 8-bit codes: the same direction, within a hair.
        assert (np.einsum("ij,ij->i", got[[0, 3]], vectors[[9, 1400]]) > 0.999).all()
        assert source.kind == "ivf-sq8" or np.array_equal(got[[0, 3]], vectors[[9, 1400]])


def test_removing_a_quarter_compacts_the_stored_rows(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex(folder, "model-a", 16)
    vectors = clustered(100)
    index.add(ids("c", 100), vectors)
    index.remove(ids("c", 30))
    index.save()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rows"] == manifest["count"] == 70
    assert (folder / manifest["vectors"]).stat().st_size == 70 * 16 * 4
    reopened = ClaimIndex.open(folder, "model-a", 16)
    vector = reopened.vector("c42")
    assert vector is not None and np.allclose(vector, vectors[42], atol=1e-6)


def test_meta_is_kept_in_the_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex.open(folder, "model-a", 8, meta={"bands": {"same": 0.9}})
    index.add(["a"], unit_vectors(1))
    index.save()
    reopened = ClaimIndex.open(folder, "model-a", 8, meta={"bands": {"same": 0.5}})
    assert reopened.meta == {"bands": {"same": 0.9}}


def test_refuses_to_write_after_another_process_saved(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    first = ClaimIndex(folder, "model-a", 8)
    first.add(["a"], unit_vectors(1))
    first.save()
    stale, current = ClaimIndex.open(folder, "model-a", 8), ClaimIndex.open(folder, "model-a", 8)
    current.add(["b"], unit_vectors(1, seed=1))
    current.save()
    with pytest.raises(IndexMismatchError, match="open it again"):
        stale.add(["c"], unit_vectors(1, seed=2))
    assert ClaimIndex.open(folder, "model-a", 8).claim_ids == {"a", "b"}


def test_an_index_knows_when_another_was_saved_in_its_place(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    held = ClaimIndex(folder, "model-a", 8)
    assert held.is_as_saved()  # nothing saved, nothing on disk
    held.add(ids("c", 3), unit_vectors(3))
    held.save()
    assert held.is_as_saved() and ClaimIndex.open(folder, "model-a", 8).is_as_saved()
    other = ClaimIndex(folder, "model-a", 8)  # started afresh elsewhere, the same second
    other.add(ids("d", 3), unit_vectors(3, seed=3))
    other.save()  # its generation is 1 too
    assert other.is_as_saved() and not held.is_as_saved()


def test_a_rebuild_deletes_the_vectors_file_no_saved_generation_reads(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    index = ClaimIndex(folder, "model-a", 8)
    index.add(ids("c", 10), unit_vectors(10))
    index.save()
    saved = json.loads((folder / "manifest.json").read_text())["vectors"]
    index.rebuild()
    index.rebuild()  # as an ingest that grows the index past two sizes before it saves
    vectors = sorted(p.name for p in folder.glob("vectors-*"))
    assert len(vectors) == 2 and saved in vectors  # the saved one, and the one in use
    index.save()
    assert [p.name for p in folder.glob("vectors-*")] == [index._vectors.path.name]
    assert ClaimIndex.open(folder, "model-a", 8).claim_ids == set(ids("c", 10))


def test_an_open_index_reads_its_vectors_after_a_newer_save_deletes_them(tmp_path: Path) -> None:
    folder = tmp_path / "idx"
    first = ClaimIndex(folder, "model-a", 8)
    vectors = unit_vectors(10)
    first.add(ids("c", 10), vectors)
    first.save()
    reader, writer = ClaimIndex.open(folder, "model-a", 8), ClaimIndex.open(folder, "model-a", 8)
    old = json.loads((folder / "manifest.json").read_text())["vectors"]
    writer.rebuild()  # a fresh vectors file; the save deletes the old one
    writer.save()
    assert not (folder / old).exists()
    vector = reader.vector("c7")
    assert vector is not None and np.allclose(vector, vectors[7], atol=1e-6)
