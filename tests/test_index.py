import json
from pathlib import Path

import numpy as np
import pytest

from workbench.errors import IndexMismatchError
from workbench.index import ClaimIndex


def unit_vectors(count: int, dimension: int = 8, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_search_returns_claim_ids_best_first(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 8)
    vectors = unit_vectors(5)
    index.add([f"c{i}" for i in range(5)], vectors)
    (hits,) = index.search(vectors[3:4], 2)
    assert hits[0][0] == "c3" and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert hits[1][1] < hits[0][1]


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
    assert "created" in manifest
    assert sorted(p.name for p in folder.glob("*-*.*")) == ["ids-2.txt", "vectors-2.faiss"]
    reopened = ClaimIndex.open(folder, "model-a", 8)
    assert len(reopened) == 5
    vector = reopened.vector("c")
    assert vector is not None and np.allclose(vector, vectors[2], atol=1e-6)


def test_refuses_an_index_built_with_another_model(tmp_path: Path) -> None:
    index = ClaimIndex(tmp_path / "idx", "model-a", 8)
    index.add(["a"], unit_vectors(1))
    index.save()
    with pytest.raises(IndexMismatchError, match="workbench reindex"):
        ClaimIndex.open(tmp_path / "idx", "model-b", 8)
