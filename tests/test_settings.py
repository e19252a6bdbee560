import re
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.settings import REPO, Settings, load_settings


def test_defaults_put_the_ledger_in_data_and_indexes_beside_it() -> None:
    settings = load_settings(environ={})
    assert settings.ledger_path == REPO / "data" / "ledger.duckdb"
    assert settings.index_dir == REPO / "indexes"


def test_home_moves_ledger_and_indexes(tmp_path: Path) -> None:
    settings = load_settings(environ={"WORKBENCH_HOME": str(tmp_path)})
    assert settings.ledger_path == tmp_path / "ledger.duckdb"
    assert settings.index_dir == tmp_path / "indexes"


def test_precedence_defaults_file_environment_arguments(tmp_path: Path) -> None:
    (tmp_path / "workbench.toml").write_text('k = 7\nmodel = "from-file"\nbatch_size = 8\n')
    environ = {"WORKBENCH_HOME": str(tmp_path), "WORKBENCH_K": "9", "WORKBENCH_MODEL": "from-env"}
    settings = load_settings(environ=environ, model="explicit")
    assert settings.batch_size == 8  # file over default
    assert settings.k == 9  # environment over file
    assert settings.model == "explicit"  # argument over environment


def test_bad_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="'k' must be a int"):
        load_settings(environ={"WORKBENCH_K": "many"}, home=tmp_path)
    (tmp_path / "workbench.toml").write_text("colour = 'red'\n")
    with pytest.raises(WorkbenchError, match="Unknown setting 'colour'"):
        load_settings(environ={}, home=tmp_path)


def test_readme_settings_table_lists_every_setting_with_its_default() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `WORKBENCH_(\w+)` \| `([^`]*)` \|", readme, flags=re.MULTILINE))
    defaults = Settings()
    assert set(rows) == {name.upper() for name in defaults.__dataclass_fields__}
    for name, default in rows.items():
        value = getattr(defaults, name.lower())
        expected = {"HOME": "data/", "SOURCES": "data/sources.csv"}.get(name, str(value))
        assert default == expected, name
