import json
from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.ingest import Record, build_article, read_records


def records(path: Path, outlet: str | None = None) -> list[Record | InputError]:
    return list(read_records(path, outlet))


def article_line(**fields: object) -> str:
    base = {
        "outlet": "Gulf Courier",
        "text": "The port reopened on Monday after two weeks of repairs.",
    }
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_jsonl_bad_lines_are_named_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [article_line(id="1"), "{not json", article_line(id="3"), "[1, 2]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    found = records(path)
    errors = [r for r in found if isinstance(r, InputError)]
    good = [r for r in found if isinstance(r, Record)]
    assert [r.fields["id"] for r in good] == ["1", "3"]
    assert [(e.path, e.line) for e in errors] == [(str(path), 2), (str(path), 4)]
    assert "invalid JSON" in str(errors[0]) and f"{path}, line 2" in str(errors[0])


def test_undecodable_bytes_reject_only_their_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        article_line(id="1").encode()
        + b"\n"
        + b'{"outlet": "X", "text": "caf\xe9"}\n'
        + article_line(id="3").encode()
        + b"\n"
    )
    found = records(path)
    assert isinstance(found[1], InputError) and found[1].line == 2
    assert "undecodable" in found[1].reason
    assert [r.fields["id"] for r in found if isinstance(r, Record)] == ["1", "3"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_bom_files_are_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes(article_line(title="سيول في مرسى").encode(codec))
    (record,) = records(path)
    assert isinstance(record, Record) and record.fields["title"] == "سيول في مرسى"


def test_binary_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.jsonl"
    path.write_bytes(bytes(range(256)) * 4)
    (error,) = records(path)
    assert isinstance(error, InputError) and "binary" in str(error) and str(path) in str(error)


def test_missing_and_mistyped_fields_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "fields.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"text": "No outlet here, but a long enough sentence."}),
                article_line(title=42),
                article_line(published="last Tuesday"),
            ]
        ),
        encoding="utf-8",
    )
    messages = []
    for record in records(path):
        assert isinstance(record, Record)
        with pytest.raises(InputError) as caught:
            build_article(record)
        messages.append((caught.value.line, caught.value.field))
    assert messages == [(1, "outlet"), (2, "title"), (3, "published")]


def test_csv_with_multiline_quoted_text(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_text(
        "outlet,title,text,published\n"
        '"Gulf Courier","Port reopens","The port reopened on Monday.\n\n'
        'Ships queued for hours.",2021-01-02\n'
        "Levant Wire,,,2021-01-03\n",
        encoding="utf-8",
    )
    first, second = records(path)
    assert isinstance(first, Record) and first.line == 2
    article, _ = build_article(first)
    assert article.published is not None and article.published.isoformat() == "2021-01-02"
    assert "Ships queued" in article.text
    assert isinstance(second, Record) and second.line == 5
    with pytest.raises(InputError, match="line 5: missing 'text'"):
        build_article(second)


def test_csv_without_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("source,body\nA,B\n", encoding="utf-8")
    (error,) = records(path)
    assert isinstance(error, InputError) and "outlet, text" in str(error)


def test_txt_needs_an_outlet_and_takes_its_first_line_as_title(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Port reopens after repairs\n\nThe port reopened on Monday after repairs.\n")
    (error,) = records(path)
    assert isinstance(error, InputError) and "--outlet" in str(error)
    (record,) = records(path, outlet="Gulf Courier")
    assert isinstance(record, Record)
    article, _ = build_article(record)
    assert article.title == "Port reopens after repairs"
    assert article.text == "The port reopened on Monday after repairs."


def test_html_main_text_is_extracted_without_scripts(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Port reopens</title>"
        '<meta property="og:site_name" content="Gulf Courier"></head><body>'
        "<nav>Home | World | Sport</nav><article><h1>Port reopens after repairs</h1>"
        "<p>The port of Marsa reopened on Monday after two weeks of repairs to its main quay.</p>"
        "<p>Officials said forty ships had waited offshore during the closure.</p>"
        "<script>alert('x')</script></article></body></html>",
        encoding="utf-8",
    )
    (record,) = records(path)
    assert isinstance(record, Record)
    article, _ = build_article(record)
    assert article.outlet == "Gulf Courier"
    assert "forty ships" in article.text and "alert" not in article.text
    assert "Home | World" not in article.text


def test_language_is_detected_when_absent(tmp_path: Path) -> None:
    path = tmp_path / "langs.jsonl"
    path.write_text(
        article_line(text="أعادت السلطات فتح الميناء يوم الاثنين بعد أسبوعين من الإصلاحات.")
        + "\n"
        + article_line(text="Le port a rouvert lundi après deux semaines de travaux."),
        encoding="utf-8",
    )
    languages = [build_article(r)[0].language for r in records(path) if isinstance(r, Record)]
    assert languages == ["ar", "fr"]


def test_invisible_characters_are_kept_in_text_but_not_indexed(tmp_path: Path) -> None:
    path = tmp_path / "bidi.jsonl"
    hidden = "The port\u200b reopened\u202e on Monday after two weeks of repairs."
    path.write_text(article_line(text=hidden), encoding="utf-8")
    (record,) = records(path)
    assert isinstance(record, Record)
    article, claims = build_article(record)
    assert article.text == hidden
    assert claims[0].text == hidden
    assert claims[0].clean_text == "The port reopened on Monday after two weeks of repairs."
    assert article.text[claims[0].start : claims[0].end] == claims[0].text


def test_ids_are_stable_and_depend_on_outlet_and_text(tmp_path: Path) -> None:
    record = Record(
        "f", 1, {"outlet": "A", "text": "The port reopened on Monday after repairs."}, 0
    )
    first, first_claims = build_article(record)
    again, again_claims = build_article(record)
    other, _ = build_article(Record("f", 1, {**record.fields, "outlet": "B"}, 0))
    assert first.article_id == again.article_id != other.article_id
    assert [c.claim_id for c in first_claims] == [c.claim_id for c in again_claims]
