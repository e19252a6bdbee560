"""The source registry: who a named source is, what kind of voice it is, and whom it speaks for."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from workbench.errors import InputError
from workbench.files import replacing
from workbench.text import ARABIC_INDIC_DIGITS, INVISIBLE

COLUMNS = ("source_id", "name", "aliases", "kind", "claimant", "note", "set_by", "set_at")
# Harakat, Quranic marks, superscript alef and tatweel: optional in writing, so never significant.
_MARKS = re.compile("[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
_LETTERS = str.maketrans("أإآٱؤئىةیک٪", "ااااوييهيك%")
_ARABIC_PREFIX = re.compile(r"^(?:و(?=\w{3}))?(?:(?:ال|بال|كال|فال|لل)(?=\w{3}))?")
# Acronyms ("IS", "AP", "SANA") are matched with their case, so "is" and "sana" stay words.
_ACRONYM = re.compile(r"[A-Z][A-Z'-]{0,7}")


class SourceKind(StrEnum):
    """What kind of voice a source is."""

    PROPAGANDA = "propaganda"  # propaganda outlet of an armed group
    STATE_MEDIA = "state-media"
    MONITOR = "monitor"  # monitoring group
    WIRE = "wire"  # wire agency
    GOVERNMENT = "government"  # government or military body
    ARMED_GROUP = "armed-group"
    INDEPENDENT = "independent"  # independent outlet
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str
    aliases: tuple[str, ...]
    kind: SourceKind
    claimant: str  # source_id of the party it speaks for, or ""
    note: str  # why it is classified this way
    set_by: str
    set_at: date


def fold_indexed(text: str) -> tuple[str, list[int]]:
    """Text with Arabic marks dropped, letter forms, digits and case unified, and for each
    character kept, its offset in the original."""
    chars: list[str] = []
    offsets: list[int] = []
    for offset, char in enumerate(text):
        if _MARKS.fullmatch(char) or INVISIBLE.fullmatch(char):
            continue
        char = char.translate(_LETTERS).translate(ARABIC_INDIC_DIGITS)
        lower = char.lower()
        chars.append(lower if len(lower) == 1 else char)
        offsets.append(offset)
    return "".join(chars), offsets


def fold(text: str) -> str:
    """The matching form of a name or phrase: folded letters, punctuation as spaces, and each
    word without a leading "و" or "ال" (also "بال", "لل")."""
    words = re.sub(r"[^\w%]+|_", " ", fold_indexed(text)[0]).split()
    return " ".join(_ARABIC_PREFIX.sub("", word) for word in words)


def word_readings(word: str) -> Iterator[tuple[str, bool, bool]]:
    """A folded word, then what it may be under attached و, ف, ب, ل and ال, shortest prefix
    first: (rest, written with و, written with ال). "وبالمرصد" may be "مرصد"; "لست" is not "ست"."""
    yield word, False, False
    if word.isascii():
        return
    for conjunction in ("", "و", "ف"):
        for preposition in ("", "ب", "ل"):
            for article in ("", "ال"):
                prefix = conjunction + (
                    "لل" if preposition == "ل" and article else preposition + article
                )
                rest = word[len(prefix) :]
                # A bare preposition needs a longer rest: "بست" and "لست" are rarely "six".
                shortest = 4 if preposition else 3 if article else 2
                if prefix and word.startswith(prefix) and len(rest) >= shortest:
                    yield rest, conjunction == "و", bool(article)


class SourceRegistry:
    """An immutable set of sources, matched by any of their names."""

    def __init__(self, sources: tuple[Source, ...] = ()) -> None:
        self.sources = sources
        self._by_id = {source.source_id: source for source in sources}
        names = [
            (s, name, f" {fold(name)} ")
            for s in sources
            for name in (s.name, *s.aliases)
            if name.strip()
        ]
        # Longest first, so the most specific name in a mention wins; folded once, here.
        self._names = sorted(names, key=lambda entry: -len(entry[2]))

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> Source | None:
        return self._by_id.get(source_id)

    @classmethod
    def load(cls, path: str | Path) -> SourceRegistry:
        """Read a registry CSV; a bad row raises InputError with its line and field."""
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(path, 1, f"missing columns: {', '.join(missing)}")
            sources = [_parse_row(path, reader.line_num, row) for row in reader]
        seen: dict[str, Source] = {}
        for line, source in enumerate(sources, start=2):
            if source.source_id in seen:
                raise InputError(path, line, f"duplicate id {source.source_id!r}", "source_id")
            seen[source.source_id] = source
        for line, source in enumerate(sources, start=2):
            if source.claimant and source.claimant not in seen:
                raise InputError(path, line, f"unknown claimant {source.claimant!r}", "claimant")
        return cls(tuple(sources))

    def save(self, path: str | Path) -> None:
        """Write the registry as CSV, replacing the file in one step."""
        with (
            replacing(Path(path)) as temporary,
            open(temporary, "w", encoding="utf-8", newline="") as handle,
        ):
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for s in self.sources:
                values = (s.source_id, s.name, "|".join(s.aliases), s.kind, s.claimant, s.note)
                writer.writerow([*values, s.set_by, s.set_at.isoformat()])

    def with_change(self, source: Source) -> SourceRegistry:
        """A new registry with this source added, or replacing the one with its id."""
        if source.claimant and source.claimant not in self._by_id | {source.source_id: source}:
            raise InputError("registry", None, f"unknown claimant {source.claimant!r}", "claimant")
        kept = [s if s.source_id != source.source_id else source for s in self.sources]
        if source.source_id not in self._by_id:
            kept.append(source)
        return SourceRegistry(tuple(kept))

    def resolve(self, name: str) -> Source | None:
        """The entry whose longest name appears, as whole words, in a free-text mention."""
        mention = f" {fold(name)} "
        for source, alias, folded in self._names:
            if _ACRONYM.fullmatch(alias):
                if re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", name):
                    return source
            elif folded in mention:
                return source
        return None

    def root(self, source: Source) -> Source:
        """Follow claimant links to the party a source ultimately speaks for (amaq -> isis)."""
        seen = {source.source_id}
        while source.claimant and source.claimant not in seen:
            parent = self._by_id.get(source.claimant)
            if parent is None:
                break
            seen.add(parent.source_id)
            source = parent
        return source


def _parse_row(path: str | Path, line: int, row: dict[str, str]) -> Source:
    values = {key: (row.get(key) or "").strip() for key in COLUMNS}
    for key in ("source_id", "name", "kind", "set_at"):
        if not values[key]:
            raise InputError(path, line, f"{key} is empty", key)
    try:
        kind = SourceKind(values["kind"])
    except ValueError:
        allowed = ", ".join(SourceKind)
        raise InputError(path, line, f"kind must be one of {allowed}", "kind") from None
    try:
        set_at = date.fromisoformat(values["set_at"])
    except ValueError:
        raise InputError(path, line, "set_at is not an ISO date", "set_at") from None
    aliases = tuple(a.strip() for a in values["aliases"].split("|") if a.strip())
    return Source(
        source_id=values["source_id"],
        name=values["name"],
        aliases=aliases,
        kind=kind,
        claimant=values["claimant"],
        note=values["note"],
        set_by=values["set_by"],
        set_at=set_at,
    )
