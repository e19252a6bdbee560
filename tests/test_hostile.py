"""Hostile and broken input, through Desk.ingest, the command line and the app's upload.

Each file of tests/data/hostile/ either goes in with the right text or is rejected with a message
that names the file and line; the rest of the batch still goes in, and what the ledger held before
is unchanged. The large inputs are generated into tmp_path and marked slow.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import DATA
from workbench import ingest
from workbench.cli import main
from workbench.desk import Desk
from workbench.embed import Bands
from workbench.errors import InputError
from workbench.export import export_csv
from workbench.ingest import MAX_NAME_CHARS, safe_name, save_uploads
from workbench.language import detect_language
from workbench.ledger import Ledger
from workbench.models import VerdictLabel
from workbench.settings import REPO, load_settings
from workbench.text import INVISIBLE, is_rtl
from workbench.verdicts import record_verdict

HOSTILE = DATA / "hostile"
MAX_CLAIM_CHARS = 600
Article = dict[str, Any]  # a row of the articles table, with its claims' rows under "claims"


def quick_language(text: str) -> str:
    return "ar" if is_rtl(text) else "en"


@pytest.fixture(autouse=True)
def script_decides_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection has tests of its own (and a slow one below); here the script decides."""
    monkeypatch.setattr(ingest, "detect_language", quick_language)


class FakeEncoder:
    """Deterministic random unit vectors, so that these tests measure ingest and not a model."""

    name = "fake-random-128"
    # Random directions in 128 dimensions have cosines near 0 (sd 0.09), so no two claims come
    # within the related band by chance and linking stays as cheap as it is for unrelated news.
    dimension = 128
    bands = Bands(same=0.65, related=0.5)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            vectors[row] = np.random.default_rng(seed).standard_normal(self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


# -- the ledger before and after ---------------------------------------------------------------


def snapshot(ledger: Ledger) -> dict[str, str]:
    """A checksum per stored article over its row, its claims and their verdicts."""
    with ledger.connect() as db:
        articles = db.execute("SELECT * FROM articles ORDER BY article_id").fetchall()
        claims = db.execute("SELECT article_id, * FROM claims ORDER BY claim_id").fetchall()
        verdicts = db.execute(
            "SELECT c.article_id, v.* FROM verdicts v JOIN claims c USING (claim_id) "
            "ORDER BY v.verdict_id"
        ).fetchall()
    parts: dict[str, list[str]] = {str(row[0]): [repr(row)] for row in articles}
    for row in (*claims, *verdicts):
        parts[str(row[0])].append(repr(row))
    return {
        key: hashlib.sha256("\n".join(rows).encode()).hexdigest() for key, rows in parts.items()
    }


def assert_kept(before: dict[str, str], after: dict[str, str], added: int) -> None:
    assert {key: after.get(key) for key in before} == before
    assert len(after) == len(before) + added


def add_verdict(desk: Desk) -> None:
    claim_id = str(desk.claims().claim_id.iloc[0])
    record_verdict(desk.ledger, claim_id, VerdictLabel.DISPUTED, "amal", "<b>checked</b>")


@pytest.fixture(scope="session")
def reviewed_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the four test articles and a verdict, built once and copied for each test."""
    home = tmp_path_factory.mktemp("reviewed-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest, "detect_language", quick_language)
        desk = Desk(load_settings(environ={}, home=home), encoder=FakeEncoder())
        assert desk.ingest([DATA / "articles.jsonl"]).added == 4
        add_verdict(desk)
        desk.ledger.close()
    return home


@pytest.fixture
def home(reviewed_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(reviewed_home, copy)
    return copy


@pytest.fixture
def reviewed_desk(home: Path) -> Iterator[Desk]:
    """The reviewed home, behind a desk with the fake encoder.

    The real model takes about 0.2 s a call, which these tests would pay at every batch; the
    whole corpus goes through it in the slow test_the_real_model_takes_every_claim_of_the_corpus.
    """
    yield from closing(Desk(load_settings(environ={}, home=home), encoder=FakeEncoder()))


@pytest.fixture
def fresh_desk(tmp_path: Path) -> Iterator[Desk]:
    """An empty home behind a desk with the fake encoder."""
    yield from closing(Desk(load_settings(environ={}, home=tmp_path / "fresh"), FakeEncoder()))


def closing(desk: Desk) -> Iterator[Desk]:
    # The ledger lets go of its file from a timer thread once idle; a connection still open when
    # the tests end can be closed from that thread during interpreter shutdown, which aborts.
    yield desk
    desk.ledger.close()


@contextmanager
def ledger_of(home: Path) -> Iterator[Ledger]:
    ledger = Ledger(load_settings(environ={}, home=home).ledger_path)
    try:
        yield ledger
    finally:
        ledger.close()


def home_snapshot(home: Path) -> dict[str, str]:
    with ledger_of(home) as ledger:
        return snapshot(ledger)


def ledger_rows(home: Path) -> list[dict[str, Any]]:
    with ledger_of(home) as ledger, ledger.connect() as db:
        return rows_of(db.execute("SELECT * FROM articles"))


def companions(folder: Path) -> tuple[Path, Path]:
    """Two good files, sent before and after the corpus in the same batch."""
    first, last = folder / "before.jsonl", folder / "after.csv"
    first.write_text(
        json.dumps(
            {
                "outlet": "Levant Wire",
                "language": "en",
                "text": "The new container terminal handled its first ship on Saturday morning.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    last.write_text(
        "outlet,text,language\n"
        "Levant Wire,The dock workers' union signed a two-year pay agreement on Sunday.,en\n",
        encoding="utf-8",
    )
    return first, last


# -- the command line --------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def rejected(self) -> list[str]:
        # The progress bar shares standard error, separated by carriage returns.
        return re.findall(r"rejected: ([^\r\n]*)", self.err)

    def summary(self) -> tuple[int, int, int, int]:
        """Articles added, claims, duplicates and rejections, as the last line reports them."""
        found = re.search(
            r"(\d+) articles added \((\d+) claims\), (\d+) already in the ledger, (\d+) rejected",
            self.out,
        )
        assert found, self.out
        added, claims, duplicates, rejected = map(int, found.groups())
        return added, claims, duplicates, rejected


CommandLine = Callable[..., Run]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> CommandLine:
    """Run `workbench` in this process, with the fake encoder instead of loading a model."""
    monkeypatch.setattr("workbench.desk.load_encoder", lambda name: FakeEncoder())
    return run_quietly


def run_quietly(home: Path, *args: str | Path) -> Run:
    """Run `workbench` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--home", str(home), *map(str, args)])
    assert "Traceback" not in err.getvalue()
    return Run(code, out.getvalue(), err.getvalue())


# -- what is stored ---------------------------------------------------------------------------


def stored_articles(desk: Desk, source: str = "") -> list[Article]:
    """Every stored article (or those from files whose path holds `source`), with its claims."""
    with desk.ledger.connect() as db:
        articles = rows_of(db.execute("SELECT * FROM articles ORDER BY source"))
        claims = rows_of(db.execute("SELECT * FROM claims ORDER BY position"))
    for article in articles:
        article["claims"] = [c for c in claims if c["article_id"] == article["article_id"]]
    return [article for article in articles if source in article["source"]]


def rows_of(cursor: Any) -> list[dict[str, Any]]:
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def stored_by_id(desk: Desk) -> dict[str, Article]:
    """The stored articles that have an id of their own, by that id."""
    return {a["external_id"]: a for a in stored_articles(desk) if a["external_id"]}


def records_of(name: str) -> dict[str, dict[str, str]]:
    """The corpus file's own records, by id."""
    lines = (HOSTILE / name).read_text(encoding="utf-8-sig").replace("\ufeff", "").splitlines()
    return {record["id"]: record for record in map(json.loads, lines) if "id" in record}


def assert_claims_are_slices(article: Article) -> None:
    """Each claim is exactly its span of the title or text, and is indexed without invisibles."""
    for claim in article["claims"]:
        source = str(article["title"] if claim["is_headline"] else article["text"])
        assert source[claim["start_offset"] : claim["end_offset"]] == claim["text"]
        assert claim["clean_text"] == " ".join(INVISIBLE.sub("", claim["text"]).split())


def check_invisible(desk: Desk, tmp_path: Path) -> None:
    original = records_of("invisible.jsonl")["i1"]
    article = stored_by_id(desk)["i1"]
    assert article["text"] == original["text"] and article["title"] == original["title"]
    assert "\u202e" in article["text"] and "\u200b" in article["text"]
    assert article["outlet"] == "Harbour Gazette"  # an outlet name cannot be spoofed
    assert_claims_are_slices(article)
    claims = article["claims"]
    assert any(INVISIBLE.search(claim["text"]) for claim in claims)
    assert not any(INVISIBLE.search(claim["clean_text"]) for claim in claims)
    assert "fake engine parts at the port" in claims[1]["clean_text"]


def check_emoji(desk: Desk, tmp_path: Path) -> None:
    originals, articles = records_of("emoji.jsonl"), stored_by_id(desk)
    for key in ("e1", "e2"):
        assert articles[key]["text"] == originals[key]["text"]
        assert articles[key]["outlet"] == "Reef Radio 📻"
    assert_claims_are_slices(articles["e1"])
    texts = [claim["text"] for claim in articles["e1"]["claims"]]
    assert texts[0] == "🌊 Coral survey finds reef recovering 🐠"
    assert "👨\u200d👩\u200d👧\u200d👦" in texts[-1] and texts[-1].endswith("🇳🇿🇫🇯.")
    assert articles["e2"]["claims"] == []  # emoji alone assert nothing


def check_mixed_direction(desk: Desk, tmp_path: Path) -> None:
    originals, articles = records_of("mixed-direction.jsonl"), stored_by_id(desk)
    for key in ("d1", "d2"):
        assert articles[key]["text"] == originals[key]["text"]
        assert_claims_are_slices(articles[key])
    texts = [claim["text"] for claim in articles["d1"]["claims"]]
    assert texts[0] == "شركة Maersk تعلن خطا جديدا إلى ميناء مرسى"
    assert any("John Smith" in text and "4,500" in text for text in texts)
    assert articles["d1"]["language"] == "ar" and articles["d2"]["language"] == "en"


def check_both_records_of(name: str) -> Callable[[Desk, Path], None]:
    def check(desk: Desk, tmp_path: Path) -> None:
        stored = stored_by_id(desk)
        for key, record in records_of(name).items():
            assert stored[key]["text"] == record["text"]

    return check


def check_utf16(tag: str) -> Callable[[Desk, Path], None]:
    def check(desk: Desk, tmp_path: Path) -> None:
        articles = stored_by_id(desk)
        arabic = articles[f"{tag}-ar"]
        assert arabic["outlet"] == "صحيفة الميناء"
        assert arabic["title"] == "هيئة الميناء تنشر جدولا جديدا للأرصفة"
        assert arabic["text"] == (
            f"نشرت هيئة الميناء جدولا جديدا لرسو سفن الحاويات في الرصيف الشمالي ({tag})."
        )
        assert articles[f"{tag}-en"]["title"] == "Port authority publishes new berth schedule"

    return check


def check_html(desk: Desk, tmp_path: Path) -> None:
    (article,) = stored_articles(desk, "markup.html")
    assert article["outlet"] == "Harbour Gazette" and article["url"] == ""
    text = article["text"]
    assert "highest water level in a decade" in text and "new sea wall" in text
    assert "full tide table" in text  # a javascript: link keeps its words, not its target
    for trace in ("<", ">", "script", "alert", "javascript", "onerror", "onclick", "tracker"):
        assert trace not in text.lower() and trace not in article["title"].lower()


def check_markup_shown_escaped(desk: Desk, tmp_path: Path) -> None:
    from workbench.app.claim import in_context
    from workbench.app.shared import text_html

    article = stored_by_id(desk)["h1"]
    assert article["outlet"] == "<b>Harbour</b> Gazette"  # text, never markup
    assert "<img src=x onerror=alert('text')>" in article["text"]
    for claim in article["claims"]:
        shown = text_html(claim["text"])
        assert re.findall(r"<(/?\w+)", shown) == ["div", "/div"]
        assert html.escape(claim["text"]) in shown
        row = desk.ledger.claim_details([claim["claim_id"]])[claim["claim_id"]]
        context = in_context(article, row)
        assert sorted(re.findall(r"<(/?\w+)", context)) == ["/div", "/mark", "div", "mark"]


def check_formulas_exported_neutralised(desk: Desk, tmp_path: Path) -> None:
    articles = stored_articles(desk, "formula.csv")
    assert {article["outlet"] for article in articles} == {
        '=HYPERLINK("https://evil.example/steal","click here")',
        "+cmd|' /C calc'!A0",
        "Harbour Gazette",
    }
    assert {article["title"] for article in articles} == {
        "Spreadsheet formula as outlet",
        "=1+1",
        "-2+3",
    }
    claims = [claim for article in articles for claim in article["claims"]]
    for claim in claims:
        record_verdict(desk.ledger, claim["claim_id"], VerdictLabel.DISPUTED, "amal", "=1+2")

    export_csv(desk.ledger, tmp_path / "out.csv")

    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(claims) + 1  # and the reviewed home's verdict
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), row


def check_controls_removed(desk: Desk, tmp_path: Path) -> None:
    article = stored_by_id(desk)["c1"]
    assert article["title"] == "Night ]0;ownedshift at the port ends"
    assert "\x1b" not in article["text"] and "\x00" not in article["text"]
    assert "the vote was close." in article["text"]  # backspaces cannot rub out text
    assert_claims_are_slices(article)


# -- each file of the corpus -------------------------------------------------------------------


Check = Callable[[Desk, Path], None]


@dataclass(frozen=True)
class Case:
    """A corpus file: how many of its articles go in, and each rejection's line and reason."""

    file: str
    added: int
    rejected: tuple[tuple[int | None, str], ...] = ()
    duplicates: int = 0
    check: Check | None = None  # what must be true of the stored articles

    @property
    def path(self) -> Path:
        return HOSTILE / self.file

    def messages(self) -> list[str]:
        """The start of each rejection message: the file, the line and the reason."""
        return [
            f"{self.path}, line {line}: {reason}" if line else f"{self.path}: {reason}"
            for line, reason in self.rejected
        ]


INVALID_JSON = "invalid JSON (Expecting property name enclosed in double quotes at column"
NOT_AN_OBJECT = "expected a JSON object with outlet and text"
NOT_A_WEB_ADDRESS = "'url' must be a web address (http or https), not"

CASES = [
    Case("invalid-utf8.jsonl", 2, ((2, "undecodable bytes (the file is not utf-8)"),)),
    Case("concatenated-bom.jsonl", 2, check=check_both_records_of("concatenated-bom.jsonl")),
    Case("utf16-le-bom.jsonl", 2, check=check_utf16("le-bom")),
    Case("utf16-le-nobom.jsonl", 2, check=check_utf16("le-nobom")),
    Case("utf16-be-bom.jsonl", 2, check=check_utf16("be-bom")),
    Case("utf16-truncated.jsonl", 1, ((2, "undecodable bytes (the file is not utf-16)"),)),
    Case("binary.jsonl", 0, ((None, "this is a binary file, not text (it contains NUL bytes)"),)),
    Case("empty.jsonl", 0, ((None, "the file is empty"),)),
    Case(
        "malformed.jsonl",
        2,
        (
            (2, "invalid JSON (Invalid control character at column 62)"),
            (3, INVALID_JSON),
            (4, NOT_AN_OBJECT),
            (5, NOT_AN_OBJECT),
            (7, "invalid JSON (nested too deeply)"),
            (8, "invalid JSON (a number too long to read)"),
            (9, INVALID_JSON),
        ),
    ),
    Case(
        "wrong-types.jsonl",
        1,
        (
            (1, "'text' must be a string, not int"),
            (2, "'outlet' must be a string, not list"),
            (3, "'published' must be an ISO date like 2021-01-02, not 'last Tuesday'"),
            (4, "'published' must be a string, not int"),
            (5, "'title' must be a string, not dict"),
            (6, "'id' must be a string, not bool"),
            (7, "'text' must be a string, not dict"),
        ),
    ),
    Case(
        "missing-outlet.jsonl",
        1,
        (
            (1, "missing 'outlet'"),
            (2, "missing 'outlet'"),
            (3, "'outlet' has no visible characters"),
            (4, "missing 'outlet'"),
        ),
    ),
    Case("markup.html", 1, check=check_html),
    Case("script-only.html", 0, ((None, "no article text found in the page"),)),
    Case(
        "markup.jsonl",
        2,
        ((2, NOT_A_WEB_ADDRESS), (3, NOT_A_WEB_ADDRESS), (4, NOT_A_WEB_ADDRESS)),
        check=check_markup_shown_escaped,
    ),
    Case(
        "invisible.jsonl",
        1,
        ((3, "'text' has no visible characters"),),
        duplicates=1,  # the same article without its invisible characters
        check=check_invisible,
    ),
    Case("emoji.jsonl", 2, check=check_emoji),
    Case("mixed-direction.jsonl", 2, check=check_mixed_direction),
    Case("formula.csv", 3, check=check_formulas_exported_neutralised),
    Case(
        "controls.jsonl", 1, ((2, "'text' holds a lone surrogate"),), check=check_controls_removed
    ),
]


def test_every_corpus_file_has_a_case_and_stays_small() -> None:
    files = {path.name for path in HOSTILE.iterdir() if path.name != "README.md"}
    assert files == {case.file for case in CASES}
    assert all(path.stat().st_size < 100_000 for path in HOSTILE.iterdir())


@dataclass(frozen=True)
class Batch:
    """The whole corpus, between a good file before and one after, sent in one go."""

    desk: Desk
    home: Path
    added: int
    duplicates: int
    rejected: list[tuple[str, int | None, str]]  # path, line and the whole message
    before: dict[str, str]
    after: dict[str, str]

    def from_file(self, case: Case) -> list[Article]:
        return [
            article
            for article in stored_articles(self.desk)
            if article["source"] == str(case.path) or article["source"].startswith(f"{case.path}:")
        ]

    def rejected_in(self, case: Case) -> list[tuple[int | None, str]]:
        return [(line, message) for path, line, message in self.rejected if path == str(case.path)]


def send_corpus(tmp_path_factory: pytest.TempPathFactory, home: Path, command_line: bool) -> Batch:
    folder = tmp_path_factory.mktemp("batch")
    copy = folder / "home"
    shutil.copytree(home, copy)
    first, last = companions(folder)
    paths = [first, *(case.path for case in CASES), last]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest, "detect_language", quick_language)
        patch.setattr("workbench.desk.load_encoder", lambda name: FakeEncoder())
        desk = Desk(load_settings(environ={}, home=copy), encoder=FakeEncoder())
        before = snapshot(desk.ledger)
        if command_line:
            run = run_quietly(copy, "ingest", *paths)
            assert run.code == 0
            added, _, duplicates, count = run.summary()
            rejected = [
                (found.group(1), int(found.group(2)) if found.group(2) else None, line)
                for line in run.rejected
                if (found := re.match(r"(.+?)(?:, line (\d+))?: ", line))
            ]
            assert count == len(run.rejected) == len(rejected)
        else:
            report = desk.ingest(paths)
            added, duplicates = report.added, report.duplicates
            rejected = [(error.path, error.line, str(error)) for error in report.errors]
            assert len(desk.index()) == desk.ledger.count_claims()
    return Batch(desk, copy, added, duplicates, rejected, before, snapshot(desk.ledger))


@pytest.fixture(scope="module")
def desk_batch(tmp_path_factory: pytest.TempPathFactory, reviewed_home: Path) -> Iterator[Batch]:
    """The corpus through Desk.ingest, once for all the cases below."""
    batch = send_corpus(tmp_path_factory, reviewed_home, command_line=False)
    yield batch
    batch.desk.ledger.close()


@pytest.fixture(scope="module")
def cli_batch(tmp_path_factory: pytest.TempPathFactory, reviewed_home: Path) -> Iterator[Batch]:
    """The corpus through `workbench ingest`, once for all the cases below."""
    batch = send_corpus(tmp_path_factory, reviewed_home, command_line=True)
    yield batch
    batch.desk.ledger.close()


@pytest.mark.parametrize("batch", ["desk_batch", "cli_batch"])
def test_the_rest_of_the_batch_goes_in_and_the_ledger_keeps_its_contents(
    batch: str, request: pytest.FixtureRequest
) -> None:
    sent: Batch = request.getfixturevalue(batch)
    added = sum(case.added for case in CASES) + 2
    assert (sent.added, sent.duplicates) == (added, sum(case.duplicates for case in CASES))
    assert [(path, line) for path, line, _ in sent.rejected] == [
        (str(case.path), line) for case in CASES for line, _ in case.rejected
    ]
    assert_kept(sent.before, sent.after, added)
    new = [a for a in stored_articles(sent.desk) if a["article_id"] not in sent.before]
    assert len([a for a in new if not a["source"].startswith(str(HOSTILE))]) == 2  # companions


@pytest.mark.parametrize("batch", ["desk_batch", "cli_batch"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_each_file_goes_in_or_is_rejected_by_file_and_line(
    batch: str, case: Case, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    sent: Batch = request.getfixturevalue(batch)
    assert len(sent.from_file(case)) == case.added
    rejected = sent.rejected_in(case)
    assert [line for line, _ in rejected] == [line for line, _ in case.rejected]
    for (_, message), start in zip(rejected, case.messages(), strict=True):
        assert message.startswith(start)
    if case.check:
        case.check(sent.desk, tmp_path)


def test_claims_are_printed_without_terminal_controls(cli_batch: Batch, cli: CommandLine) -> None:
    run = cli(cli_batch.home, "claims")
    assert "night shift at the container port" in run.out and "Maersk Line" in run.out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", run.out)


def test_files_with_nothing_to_add_fail_the_command(cli: CommandLine, home: Path) -> None:
    cases = [case for case in CASES if not case.added]
    before = home_snapshot(home)

    run = cli(home, "ingest", *(case.path for case in cases))

    assert run.code == 1
    assert run.rejected == [message for case in cases for message in case.messages()]
    assert home_snapshot(home) == before


def test_command_line_names_files_whose_names_hold_separators_and_dots(
    cli: CommandLine, home: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    odd = folder / "a\\b ..c.jsonl"  # a backslash is an ordinary character in a POSIX name
    odd.write_text('{"outlet": "Levant Wire", "text": 1}\n', encoding="utf-8")
    dotted = folder / "sub" / ".." / odd.name

    run = cli(home, "ingest", dotted)

    assert run.code == 1
    assert run.rejected == [f"{dotted}, line 1: 'text' must be a string, not int"]


def test_a_csv_the_csv_module_cannot_read_is_rejected_at_its_line(
    fresh_desk: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "huge-field.csv"
    path.write_text(
        "outlet,text\nLevant Wire,The ferry sailed on time on Monday morning.\n"
        f'Harbour Gazette,"{"x" * 2000}"\nLevant Wire,Never read after the broken row.\n',
        encoding="utf-8",
    )
    limit = csv.field_size_limit(1000)
    try:
        report = fresh_desk.ingest([path])
    finally:
        csv.field_size_limit(limit)

    assert report.added == 1
    assert [str(error) for error in report.errors] == [
        f"{path}, line 3: unreadable CSV (field larger than field limit (1000)); "
        "the rest was not read"
    ]


def test_an_article_without_claims_lists_no_claims(cli: CommandLine, home: Path) -> None:
    cli(home, "ingest", HOSTILE / "emoji.jsonl")
    article_id = {row["external_id"]: row["article_id"] for row in ledger_rows(home)}["e2"]

    run = cli(home, "claims", "--article", article_id)

    assert (run.code, run.out, run.err) == (0, "", "")


def test_the_batch_size_bounds_articles_without_claims_too(
    fresh_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings: batch_size is the claims embedded "and articles written" per batch."""
    path = tmp_path / "captions.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for number in range(600):
            out.write(json.dumps({"outlet": "Reef Radio", "text": f"Photo {number}"}) + "\n")
    sizes: list[int] = []
    add_articles = fresh_desk.ledger.add_articles

    def spy(batch: Sequence[Any], actor: str = "ingest") -> list[bool]:
        sizes.append(len(batch))
        return add_articles(batch, actor)

    monkeypatch.setattr(fresh_desk.ledger, "add_articles", spy)

    report = fresh_desk.ingest([path])

    assert report.added == 600 and report.claims == 0
    assert max(sizes) <= fresh_desk.settings.batch_size


# -- the app's upload --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("../../etc/passwd.jsonl", "passwd.jsonl"),
        ("/etc/cron.d/job.csv", "job.csv"),
        ("a/b\\c.csv", "c.csv"),
        ("C:\\Users\\amal\\Desktop\\page.html", "page.html"),
        (".hidden.txt", "hidden.txt"),
        ("..", "upload"),
        ("", "upload"),
        ("report.jsonl ", "report.jsonl"),
        ("تقرير الميناء.jsonl", "تقرير الميناء.jsonl"),
        ("photo\u202egnp.jsonl", "photo_gnp.jsonl"),
        ("nul\x00byte.csv", "nul_byte.csv"),
        ("line\nbreak.txt", "line_break.txt"),
        ("x" * 300 + ".jsonl", "x" * (MAX_NAME_CHARS - 6) + ".jsonl"),
    ],
)
def test_safe_name_keeps_only_a_plain_file_name(sent: str, saved: str) -> None:
    assert safe_name(sent) == saved


def test_uploads_are_written_only_inside_their_folder(tmp_path: Path) -> None:
    folder = tmp_path / "upload"
    folder.mkdir()
    names = ["../../escape.jsonl", "/tmp/abs.csv", "a/b\\c.csv", ".hidden.txt", "", "../x.jsonl"]
    files = [(name, f"content {number}".encode()) for number, name in enumerate(names)]

    paths = save_uploads(files, folder)

    assert [path.name for path in paths] == [
        "000-escape.jsonl",
        "001-abs.csv",
        "002-c.csv",
        "003-hidden.txt",
        "004-upload",
        "005-x.jsonl",
    ]
    assert all(path.resolve().parent == folder.resolve() for path in paths)
    assert [path.read_bytes() for path in paths] == [content for _, content in files]
    assert sorted(tmp_path.rglob("*")) == sorted([folder, *paths])


def test_uploads_never_follow_a_link(tmp_path: Path) -> None:
    folder, victim = tmp_path / "upload", tmp_path / "victim.txt"
    folder.mkdir()
    victim.write_text("keep me", encoding="utf-8")
    (folder / "000-news.jsonl").symlink_to(victim)

    with pytest.raises(FileExistsError):
        save_uploads([("news.jsonl", b"overwritten")], folder)
    assert victim.read_text(encoding="utf-8") == "keep me"


def upload_corpus(desk: Desk, tmp_path: Path) -> None:
    """The app's path: uploads saved under safe names in a temporary folder, then one ingest."""
    before = snapshot(desk.ledger)
    folder = tmp_path / "uploads" / "upload"
    folder.mkdir(parents=True)
    files = [(f"../../{case.file}", case.path.read_bytes()) for case in CASES]

    paths = save_uploads(files, folder)
    report = desk.ingest(paths, actor="app")

    added = sum(case.added for case in CASES)
    assert (report.added, report.duplicates) == (added, sum(case.duplicates for case in CASES))
    shown = {str(path): path.name[4:] for path in paths}  # what the app lists as the file
    expected = [(case.file, line) for case in CASES for line, _ in case.rejected]
    assert [(shown[error.path], error.line) for error in report.errors] == expected
    assert_kept(before, snapshot(desk.ledger), added)
    assert sorted(folder.parent.rglob("*")) == sorted([folder, *paths])
    for case in CASES:
        if case.check:
            case.check(desk, tmp_path)


def test_uploading_the_whole_corpus_under_hostile_names(
    reviewed_desk: Desk, tmp_path: Path
) -> None:
    upload_corpus(reviewed_desk, tmp_path)


@pytest.mark.slow
def test_the_real_model_takes_every_claim_of_the_corpus(loaded_desk: Desk, tmp_path: Path) -> None:
    add_verdict(loaded_desk)
    upload_corpus(loaded_desk, tmp_path)
    assert len(loaded_desk.index()) == loaded_desk.ledger.count_claims()


# -- large inputs ------------------------------------------------------------------------------

OUTLETS = ("Harbour Gazette", "Levant Wire", "Reef Radio", "Capital Sports", "صحيفة الميناء")
CLAUSES = (
    "the harbour board said on {day} that berth {n} would close for {k} weeks",
    "engineers will replace two cranes and strengthen the quay wall behind them",
    "ships due in that time will be sent to the northern terminal instead",
    "the operators of {k} container lines have been told to change their schedules",
    "customs officers will keep working from the old warehouse until the work ends",
    "the council expects the cost to stay under the budget agreed in March",
    "a spokeswoman for the dock workers' union said members had not been consulted",
    "fishermen from the village of Marsa asked for the slipway to stay open at night",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def long_sentence(n: int, i: int) -> str:
    """A distinct sentence of about 490 characters, like an official statement's."""
    parts = [
        CLAUSES[(i + j) % len(CLAUSES)].format(n=n, k=i + 3, day=DAYS[(n + i) % len(DAYS)])
        for j in range(6)
    ]
    return f"In report {n}-{i}, {', and '.join(parts[:3])}; {', while '.join(parts[3:])}."


def big_article(n: int) -> dict[str, str]:
    """A scraped article as a crawler exports it: the text, and the raw page kept beside it."""
    title = f"Harbour works to close berth {n} for several weeks"
    paragraphs = [long_sentence(n, i) for i in range(3)]
    page = (
        f'<!DOCTYPE html><html lang="en"><head><title>{html.escape(title)}</title>'
        '<script async src="https://analytics.example/tag.js"></script></head><body><nav><ul>'
        + "".join(
            f'<li><a href="/section/{section}">{section.title()}</a></li>'
            for section in ("world", "region", "ports", "business", "sport", "opinion")
        )
        + f"</ul></nav><main><article><h1>{html.escape(title)}</h1>"
        + "".join(f'<p class="story-body">{html.escape(p)}</p>' for p in paragraphs)
        + "</article></main><footer>&copy; 2021 Harbour Gazette</footer></body></html>"
    )
    return {
        "outlet": OUTLETS[n % len(OUTLETS)],
        "language": "en",
        "id": f"big-{n}",
        "url": f"https://harbour-gazette.example/ports/{n}",
        "title": title,
        "text": "\n\n".join(paragraphs),
        "published": "2021-03-01",
        "html": page,
    }


def write_big_jsonl(path: Path, size: int) -> int:
    """Write distinct articles until the file holds `size` bytes; return how many."""
    written = count = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size:
            line = json.dumps(big_article(count), ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            count += 1
    return count


# The peak resident size of this process alone: ru_maxrss would start from the parent's peak,
# which Linux carries into a child that was forked (or vforked) and then exec'd.
MEASURE = """
import json, sys, time
import workbench.desk
from tests.test_hostile import FakeEncoder
from workbench.cli import main

def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

workbench.desk.load_encoder = lambda name: FakeEncoder()
home, warm, big = sys.argv[1:4]
main(["--home", home, "ingest", warm])  # DuckDB, FAISS and the claim rules are loaded now
before = peak_kb()
start = time.perf_counter()
code = main(["--home", home, "ingest", big])
seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "before_kb": before, "peak_kb": peak_kb()}))
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A 50 MB JSONL file of distinct articles, and how many it holds."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    return path, write_big_jsonl(path, 50 * 1024 * 1024)


@pytest.mark.slow
def test_reading_a_50_mb_file_holds_one_line_at_a_time(big_file: tuple[Path, int]) -> None:
    """A line is 4 KB; the file's records held in a list take 68 MB of Python objects."""
    path, count = big_file
    tracemalloc.start()
    try:
        read = sum(1 for record in ingest.read_records(path) if isinstance(record, ingest.Record))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == count
    assert peak < 4 * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_a_50_mb_file_goes_in_with_bounded_memory(
    big_file: tuple[Path, int], tmp_path: Path
) -> None:
    """Through the command line in a fresh process, so that its peak resident size is its own.

    Each line is an article of four claims and its raw page (which ingest ignores), 4 KB in all:
    13,400 articles and 53,700 claims. Every claim is linked against all earlier ones, so ingest
    time grows with the square of the claims; pure text would hold about 110,000 claims and take
    several minutes here. Measured on two busy cores: about 110 s, and the resident peak grew
    about 200 MB (220 to 424 MB; 65 MB for a 12 MB file). Nearly all of it is the indexes, which
    grow with the claims (about 3.8 KB a claim: FAISS vectors, ids, BM25 tiers); holding the
    file's records as well would add 70 MB (measured: 277 MB). So 400 MB catches gross
    regressions, such as a whole-file DataFrame; the reader is held to one line by the test above.
    """
    big, count = big_file
    warm = tmp_path / "warm.jsonl"
    warm.write_text(json.dumps(big_article(-1)) + "\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path / "home"), str(warm), str(big)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )

    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    out = result.stdout.strip().splitlines()
    measured = json.loads(out[-1])
    growth_mb = (measured["peak_kb"] - measured["before_kb"]) / 1024
    print(
        f"50 MB, {count} articles: {measured['seconds']:.0f} s; resident peak "
        f"{measured['before_kb'] / 1024:.0f} MB before, {measured['peak_kb'] / 1024:.0f} MB after"
    )
    assert f"{count} articles added ({count * 4} claims), 0 already in the ledger" in out[-2]
    assert growth_mb < 400
    assert measured["seconds"] < 600


def one_line(path: Path, text: str, **fields: str) -> Path:
    record = {"outlet": "Harbour Gazette", "language": "en", "id": "long", **fields, "text": text}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def five_mb_of_prose() -> str:
    paragraphs: list[str] = []
    size = number = 0
    while size < 5 * 1024 * 1024:
        paragraphs.append(long_sentence(number // 8, number % 8))
        size += len(paragraphs[-1]) + 2
        number += 1
    return "\n\n".join(paragraphs)


def assert_claims_cut_to_size(desk: Desk, text: str) -> list[str]:
    """The stored claims: each at most 600 characters and exactly a slice of the text."""
    (article,) = stored_articles(desk)
    assert article["text"] == text
    assert_claims_are_slices(article)
    claims = [claim["text"] for claim in article["claims"]]  # type: ignore[attr-defined]
    assert all(len(claim) <= MAX_CLAIM_CHARS for claim in claims)
    return claims


@pytest.mark.slow
def test_one_5_mb_line_goes_in_without_hanging(
    fresh_desk: Desk, cli: CommandLine, tmp_path: Path
) -> None:
    text = five_mb_of_prose()
    path = one_line(tmp_path / "long.jsonl", text)

    start = time.perf_counter()
    report = fresh_desk.ingest([path])
    seconds = time.perf_counter() - start

    assert (report.added, report.errors) == (1, [])
    claims = assert_claims_cut_to_size(fresh_desk, text)
    assert len(claims) == text.count("\n\n") + 1 and report.claims == len(claims)
    assert seconds < 120, f"{seconds:.0f} s for one 5 MB line"

    run = cli(tmp_path / "home", "ingest", path)
    assert run.code == 0 and run.summary() == (1, len(claims), 0, 0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ا" * 5 * 1024 * 1024, id="no-spaces"),
        pytest.param("word " * 1024 * 1024, id="no-full-stops"),
        pytest.param("Yes! " * 1024 * 1024, id="only-full-stops"),
    ],
)
def test_one_5_mb_line_of_odd_text_goes_in_without_hanging(
    fresh_desk: Desk, tmp_path: Path, text: str
) -> None:
    path = one_line(tmp_path / "odd.jsonl", text)

    start = time.perf_counter()
    report = fresh_desk.ingest([path])
    seconds = time.perf_counter() - start

    assert (report.added, report.errors) == (1, [])
    assert_claims_cut_to_size(fresh_desk, text.strip())
    assert seconds < 120, f"{seconds:.0f} s for one 5 MB line"


@pytest.mark.slow
def test_a_broken_5_mb_line_is_rejected_and_the_next_goes_in(
    fresh_desk: Desk, cli: CommandLine, tmp_path: Path
) -> None:
    path = tmp_path / "broken.jsonl"
    good = {"outlet": "Levant Wire", "language": "en", "text": "The ferry sailed on time today."}
    path.write_text(
        '{"outlet": "Harbour Gazette", "text": "'
        + "word " * 1024 * 1024
        + "\n"
        + json.dumps(good)
        + "\n",
        encoding="utf-8",
    )

    report = fresh_desk.ingest([path])

    assert report.added == 1 and len(report.errors) == 1
    assert str(report.errors[0]).startswith(f"{path}, line 1: invalid JSON (")
    run = cli(tmp_path / "home", "ingest", path)
    assert run.code == 0 and run.rejected[0].startswith(f"{path}, line 1: invalid JSON")


def sentence_of(length: int) -> str:
    """One sentence of `length` characters: clauses joined by commas, one full stop at the end."""
    clauses: list[str] = []
    number = 0
    while sum(map(len, clauses)) + 2 * len(clauses) < length:
        clauses.append(CLAUSES[number % len(CLAUSES)].format(n=number, k=number, day="Monday"))
        number += 1
    return (", ".join(clauses))[: length - 1].rstrip(" ,") + "."


@pytest.mark.slow
def test_a_20000_character_sentence_is_cut_into_claims_of_600_characters(
    desk: Desk, cli: CommandLine, tmp_path: Path
) -> None:
    text = sentence_of(20_000)
    assert len(text) > 19_900 and text.count(".") == 1
    path = one_line(tmp_path / "sentence.jsonl", text)

    report = desk.ingest([path])

    assert (report.added, report.errors) == (1, [])
    claims = assert_claims_cut_to_size(desk, text)
    assert len(claims) >= len(text) // MAX_CLAIM_CHARS
    assert " ".join(claims).split() == text.split()  # cut between words, none lost

    run = cli(tmp_path / "home", "ingest", path)
    assert run.code == 0 and run.summary() == (1, len(claims), 0, 0)


@pytest.mark.slow
def test_language_detection_copes_with_every_text_in_the_corpus() -> None:
    """Lingua on what ingest would give it: the title and text of every article that builds."""
    for path in sorted(HOSTILE.iterdir()):
        for record in ingest.read_records(path, outlet="Harbour Gazette"):
            if isinstance(record, InputError):
                continue
            try:
                article, _ = ingest.build_article(record)
            except InputError:
                continue
            assert isinstance(detect_language(f"{article.title}\n{article.text}"), str)
