"""One settings object: defaults < settings file < WORKBENCH_* environment < explicit arguments."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = "use-multilingual-v3"


@dataclass(frozen=True)
class Settings:
    """Every setting, with its default; the README's settings table lists the same fields."""

    home: Path = REPO / "data"
    """Folder for the ledger, the settings file and the indexes (repo's data/ and indexes/)."""
    model: str = DEFAULT_MODEL
    """Embedding model: a built-in name, a local sentence-transformers folder or a hub id."""
    k: int = 5
    """How many near-duplicates to show for a claim."""
    batch_size: int = 256
    """Claims embedded (and articles written to the ledger) per batch during ingest."""
    lock_timeout: float = 30.0
    """Seconds to wait for another process to release the ledger before giving up."""
    sources: Path = REPO / "data" / "sources.csv"
    """The seed source registry; changes made since are events in the ledger."""

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.duckdb"

    @property
    def index_dir(self) -> Path:
        # The repository keeps its indexes beside data/, as the design card lays it out.
        return REPO / "indexes" if self.home == REPO / "data" else self.home / "indexes"


SETTINGS_FILE = "workbench.toml"


def load_settings(environ: Mapping[str, str] | None = None, **explicit: Any) -> Settings:
    """Settings from defaults, `<home>/workbench.toml`, WORKBENCH_* variables and arguments."""
    environ = os.environ if environ is None else environ
    explicit = {key: value for key, value in explicit.items() if value is not None}
    from_env = {
        f.name: environ[f"WORKBENCH_{f.name.upper()}"]
        for f in fields(Settings)
        if f"WORKBENCH_{f.name.upper()}" in environ
    }
    home = Path(explicit.get("home") or from_env.get("home") or Settings.home)
    from_file: dict[str, Any] = {}
    if (home / SETTINGS_FILE).is_file():
        with open(home / SETTINGS_FILE, "rb") as handle:
            from_file = tomllib.load(handle)
    values: dict[str, Any] = {**from_file, **from_env, **explicit, "home": home}
    return _coerce(values)


def _coerce(values: dict[str, Any]) -> Settings:
    settings = Settings()
    known = {f.name: f for f in fields(Settings)}
    for name, raw in values.items():
        if name not in known:
            raise WorkbenchError(f"Unknown setting {name!r}; known settings: {', '.join(known)}.")
        kind = type(getattr(settings, name))
        try:
            value = raw if isinstance(raw, kind) else kind(raw)
        except (TypeError, ValueError):
            raise WorkbenchError(
                f"Setting {name!r} must be a {kind.__name__}, not {raw!r}."
            ) from None
        settings = replace(settings, **{name: value})
    return settings
