"""Tests for the source registry and the Arabic folding it matches names with."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.sources import (
    COLUMNS,
    Source,
    SourceKind,
    SourceRegistry,
    fold,
    fold_indexed,
    word_readings,
)


def source(source_id: str, kind: SourceKind = SourceKind.UNKNOWN, claimant: str = "") -> Source:
    return Source(
        source_id=source_id,
        name=source_id.title(),
        aliases=(f"{source_id} news",),
        kind=kind,
        claimant=claimant,
        note="written for a test",
        set_by="tester",
        set_at=date(2024, 5, 1),
    )


# Folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("المَرْصَدُ", "مرصد"),  # diacritics and the article
        ("السـوري", "سوري"),  # tatweel
        ("أعماق", "اعماق"),
        ("إدلب", "ادلب"),
        ("آلاف", "الاف"),
        ("وكالة", "كاله"),  # ta marbuta, and a leading و
        ("ادّعى", "ادعي"),  # alef maqsura
        ("والمرصد", "مرصد"),
        ("للتنظيم", "تنظيم"),
        ("بالمرصد", "مرصد"),
        ("The OBSERVATORY", "the observatory"),
        ("٣٩ ۴۰", "39 40"),
        ("“أعماق”، داعش.", "اعماق داعش"),
        ("الف", "الف"),  # too short to lose its first letters
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_indexed_maps_back_to_the_original() -> None:
    text = "قُتِلَ ٣٩ جنديـاً"
    folded, offsets = fold_indexed(text)
    assert folded == "قتل 39 جنديا"
    assert len(offsets) == len(folded)
    assert all(fold_indexed(text[o])[0] == c for c, o in zip(folded, offsets, strict=True))


def test_word_readings() -> None:
    readings = {rest for rest, _, _ in word_readings("وبالمرصد")}
    assert {"وبالمرصد", "بالمرصد", "مرصد"} <= readings
    assert ("ست", False, False) not in word_readings("لست")  # "I am not" is not "six"
    assert ("اربعين", True, False) in word_readings("واربعين")
    assert list(word_readings("over")) == [("over", False, False)]


# The seeded registry


def test_seed_registry_holds_the_documented_sources(registry: SourceRegistry) -> None:
    kinds = {s.source_id: s.kind for s in registry.sources}
    assert kinds["isis"] == SourceKind.ARMED_GROUP
    assert kinds["amaq"] == kinds["naba"] == SourceKind.PROPAGANDA
    assert kinds["sohr"] == SourceKind.MONITOR
    assert kinds["sana"] == SourceKind.STATE_MEDIA
    assert kinds["russia-mod"] == kinds["coalition"] == kinds["syrian-army"] == "government"
    assert kinds["reuters"] == kinds["afp"] == kinds["ap"] == SourceKind.WIRE


def test_every_seed_entry_has_a_reason_an_author_and_a_date(registry: SourceRegistry) -> None:
    for entry in registry.sources:
        assert entry.note and entry.set_by and entry.set_at >= date(2024, 1, 1)
        assert entry.aliases


@pytest.mark.parametrize(
    ("mention", "source_id"),
    [
        ("a statement published by the Amaq agency", "amaq"),
        ("A'maq News Agency", "amaq"),
        ("ISIS's Amaq agency", "amaq"),  # the longest name found wins
        ("وكالة “أعماق” التابعة لداعش", "amaq"),
        ("وكالة اعماق", "amaq"),
        ("المرصد السوري لحقوق الإنسان", "sohr"),
        ("المَرصد السـوري", "sohr"),
        ("والمرصد", "sohr"),
        ("the Syrian Observatory for Human Rights", "sohr"),
        ("SOHR", "sohr"),
        ("l'OSDH", "sohr"),
        ("Islamic State", "isis"),
        ("IS fighters", "isis"),
        ("تنظيم الدولة الإسلامية", "isis"),
        ("عناصر داعش", "isis"),
        ("صحيفة النبأ", "naba"),
        ("سانا", "sana"),
        ("Syrian Arab News Agency", "sana"),
        ("الجيش العربي السوري", "syrian-army"),
        ("A Syrian military source", "syrian-army"),
        ("the Russian Defence Ministry", "russia-mod"),
        ("وزارة الدفاع الروسية", "russia-mod"),
        ("قوات التحالف الدولي", "coalition"),
        ("CJTF-OIR", "coalition"),
        ("Reuters", "reuters"),
        ("وكالة فرانس برس", "afp"),
        ("the AP", "ap"),
        ("الجيش الأردني", "jordan-army"),
    ],
)
def test_resolve(registry: SourceRegistry, mention: str, source_id: str) -> None:
    found = registry.resolve(mention)
    assert found is not None and found.source_id == source_id


@pytest.mark.parametrize(
    "mention",
    ["this is a bus", "a map of the area", "local residents", "مصادر محلية", "sana'a", ""],
)
def test_resolve_finds_nothing_in_ordinary_words(registry: SourceRegistry, mention: str) -> None:
    assert registry.resolve(mention) is None


@pytest.mark.parametrize(
    ("source_id", "root_id"),
    [("amaq", "isis"), ("naba", "isis"), ("isis", "isis"), ("sana", "syrian-government"),
     ("syrian-army", "syrian-government"), ("sohr", "sohr")],
)  # fmt: skip
def test_root_follows_claimant_links(
    registry: SourceRegistry, source_id: str, root_id: str
) -> None:
    entry = registry.get(source_id)
    assert entry is not None
    assert registry.root(entry).source_id == root_id


def test_root_stops_on_a_cycle() -> None:
    registry = SourceRegistry((source("a", claimant="b"), source("b", claimant="a")))
    start = registry.get("a")
    assert start is not None
    assert registry.root(start).source_id == "b"


# Changes and files


def test_with_change_adds_and_replaces_without_touching_the_original(
    registry: SourceRegistry,
) -> None:
    added = registry.with_change(source("halab-today", SourceKind.INDEPENDENT))
    assert len(added) == len(registry) + 1
    assert registry.get("halab-today") is None
    resolved = added.resolve("according to Halab-today news")
    assert resolved is not None and resolved.source_id == "halab-today"
    amaq = registry.get("amaq")
    assert amaq is not None
    relabelled = added.with_change(replace(amaq, note="reviewed again"))
    assert len(relabelled) == len(added)
    assert relabelled.get("amaq") == replace(amaq, note="reviewed again")
    assert registry.get("amaq") == amaq


def test_with_change_refuses_an_unknown_claimant(registry: SourceRegistry) -> None:
    with pytest.raises(InputError, match="claimant"):
        registry.with_change(source("x", claimant="nobody"))


def test_save_and_load_round_trip(registry: SourceRegistry, tmp_path: Path) -> None:
    path = tmp_path / "sources.csv"
    path.write_text("stale", encoding="utf-8")
    registry.save(path)
    assert SourceRegistry.load(path).sources == registry.sources
    assert [p.name for p in tmp_path.iterdir()] == ["sources.csv"]  # no temporary file left
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "sources.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "line", "field"),
    [
        (["a,A,,rebel,,why,me,2024-01-01"], 2, "kind"),
        (["a,A,,monitor,,why,me,2024-13-01"], 2, "set_at"),
        (["a,A,,monitor,,why,me,2024-01-01", "a,B,,wire,,why,me,2024-01-01"], 3, "source_id"),
        (["a,A,,monitor,,why,me,2024-01-01", "b,B,,wire,zz,why,me,2024-01-01"], 3, "claimant"),
        (["a,,,monitor,,why,me,2024-01-01"], 2, "name"),
    ],
)
def test_load_names_the_bad_line_and_field(
    tmp_path: Path, rows: list[str], line: int, field: str
) -> None:
    with pytest.raises(InputError) as raised:
        SourceRegistry.load(write(tmp_path, *rows))
    assert (raised.value.line, raised.value.field) == (line, field)


def test_load_refuses_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "sources.csv"
    path.write_text("source_id,name\na,A\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns: aliases"):
        SourceRegistry.load(path)


def test_aliases_are_split_and_trimmed(tmp_path: Path) -> None:
    registry = SourceRegistry.load(write(tmp_path, "a,Alpha, Al | ألفا ||,wire,,why,me,2024-01-01"))
    (entry,) = registry.sources
    assert entry.aliases == ("Al", "ألفا")
    assert entry.kind is SourceKind.WIRE
