"""Fixtures: a temporary home (ledger and index) in tmp_path, and one encoder per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.desk import Desk
from workbench.embed import USE_MULTILINGUAL, Encoder, load_encoder
from workbench.settings import Settings, load_settings
from workbench.sources import SourceRegistry

DATA = Path(__file__).parent / "data"
REGISTRY = Path(__file__).parents[1] / "data" / "sources.csv"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder(USE_MULTILINGUAL)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(environ={}, home=tmp_path)


@pytest.fixture
def desk(settings: Settings, encoder: Encoder) -> Desk:
    return Desk(settings, encoder=encoder)


@pytest.fixture
def loaded_desk(desk: Desk) -> Desk:
    report = desk.ingest([DATA / "articles.jsonl"])
    assert report.added == 4 and not report.errors
    return desk


@pytest.fixture(scope="module")
def registry() -> SourceRegistry:
    """The seed source registry shipped in data/sources.csv."""
    return SourceRegistry.load(REGISTRY)
