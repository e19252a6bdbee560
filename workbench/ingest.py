"""Read articles from JSONL, CSV, plain text and saved HTML files, record by record."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from workbench.claims import split_claims
from workbench.errors import InputError
from workbench.language import detect_language
from workbench.models import Article, Claim, IngestReport
from workbench.text import clean_for_index, normalize

log = logging.getLogger(__name__)

SUFFIXES = {".jsonl", ".ndjson", ".csv", ".txt", ".html", ".htm"}
SNIFF_BYTES = 8192
MAX_NAME_CHARS = 120
csv.field_size_limit(64 * 1024 * 1024)

# Undecodable bytes are read as U+DC00 + byte (surrogateescape does this only for bytes >= 0x80,
# and a broken UTF-16 unit may hold lower ones), so one bad line is reported and skipped instead of
# failing the whole file. JSON's \ud800-\udfff escapes make the same lone surrogates.
UNDECODABLE = "workbench-undecodable"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Control characters move a terminal's cursor, recolour it or retitle its window when a claim is
# printed; tab and the line breaks that claims split on are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error(UNDECODABLE, _mark_undecodable)


@dataclass(frozen=True)
class Record:
    """One article as read from a file, before checking: where it came from and its fields."""

    path: str
    line: int | None
    fields: dict[str, Any]
    end_byte: int  # how far into the file reading has got, for progress


def find_files(paths: list[Path]) -> list[Path]:
    """The files to read: the paths given, and the readable files inside folders, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(path, None, "no such file or folder")
    return found


def read_records(path: Path, outlet: str | None = None) -> Iterator[Record | InputError]:
    """Yield each record of a file, or an InputError for each record that cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield InputError(
            path,
            None,
            f"unsupported file type {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(SUFFIXES))}",
        )
        return
    try:
        encoding = sniff_encoding(path)
    except InputError as error:
        yield error
        return
    if suffix in (".jsonl", ".ndjson"):
        reader = _read_jsonl(path, encoding)
    elif suffix == ".csv":
        reader = _read_csv(path, encoding)
    else:
        reader = _read_document(path, encoding, outlet)
    found = False
    for item in reader:
        found = True
        yield item
    if not found:
        # Otherwise an empty upload reads as "0 added, 0 rejected", as if nothing was sent.
        empty = path.stat().st_size == 0
        yield InputError(path, None, "the file is empty" if empty else "the file holds no articles")


def sniff_encoding(path: Path) -> str:
    """UTF-8 unless a byte-order mark or NUL pattern says UTF-16; refuse binary files."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        # UTF-16 without a BOM puts a NUL beside each ASCII character (JSON punctuation, spaces,
        # digits), always on the same side of the pair, even in Arabic text; binary data has NULs
        # on both sides, or decodes to control characters.
        odd, even = head[1::2].count(0), head[0::2].count(0)
        encoding = "utf-16-le" if odd >= even else "utf-16-be"
        one_sided = min(odd, even) <= max(odd, even) // 20
        if one_sided and max(odd, even) >= len(head) // 20 and _reads_as_text(head, encoding):
            return encoding
        raise InputError(path, None, "this is a binary file, not text (it contains NUL bytes)")
    return "utf-8"


def _reads_as_text(head: bytes, encoding: str) -> bool:
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    strange = sum(1 for ch in text if ch == "\ufffd" or unicodedata.category(ch) == "Cc")
    return strange - text.count("\n") - text.count("\r") - text.count("\t") <= len(text) // 100


def _open_text(path: Path, encoding: str) -> Any:
    return open(path, encoding=encoding, errors=UNDECODABLE, newline="")


def _has_undecodable(value: str) -> bool:
    return _SURROGATE.search(value) is not None


def _read_jsonl(path: Path, encoding: str) -> Iterator[Record | InputError]:
    with _open_text(path, encoding) as handle:
        for number, text in enumerate(handle, start=1):
            # Files joined with `cat` keep each one's byte-order mark, at the start of a line.
            line = text.removeprefix("\ufeff")
            if not line.strip():
                continue
            position = _tell(handle)
            if _has_undecodable(line):
                yield InputError(path, number, f"undecodable bytes (the file is not {encoding})")
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                # Some messages end in "at" already ("Invalid control character at").
                reason = f"{error.msg.removesuffix(' at')} at column {error.colno}"
                yield InputError(path, number, f"invalid JSON ({reason})")
                continue
            except RecursionError:
                yield InputError(path, number, "invalid JSON (nested too deeply)")
                continue
            except ValueError:  # an integer longer than Python converts (4300 digits)
                yield InputError(path, number, "invalid JSON (a number too long to read)")
                continue
            if not isinstance(value, dict):
                yield InputError(path, number, "expected a JSON object with outlet and text")
                continue
            yield Record(str(path), number, value, position)


def _tell(handle: Any) -> int:
    # Text files cannot tell() while iterating; the buffer's position is close enough for progress.
    try:
        return int(handle.buffer.tell())
    except (AttributeError, OSError):
        return 0


def _read_csv(path: Path, encoding: str) -> Iterator[Record | InputError]:
    with _open_text(path, encoding) as handle:
        reader = csv.DictReader(handle)
        line = 1
        try:
            if reader.fieldnames is None:
                return
            missing = {"outlet", "text"} - {name.strip() for name in reader.fieldnames}
            if missing:
                yield InputError(
                    path, 1, f"the header lacks the column(s) {', '.join(sorted(missing))}"
                )
                return
            line = reader.line_num + 1
            for row in reader:
                values = {(key or "").strip(): value for key, value in row.items() if key}
                if any(_has_undecodable(value or "") for value in values.values()):
                    yield InputError(path, line, f"undecodable bytes (the file is not {encoding})")
                else:
                    fields = {k: v for k, v in values.items() if v not in ("", None)}
                    yield Record(str(path), line, fields, _tell(handle))
                line = reader.line_num + 1
        except csv.Error as error:  # e.g. a field over the size limit; the reader cannot go on
            yield InputError(path, line, f"unreadable CSV ({error}); the rest was not read")


def _read_document(path: Path, encoding: str, outlet: str | None) -> Iterator[Record | InputError]:
    with _open_text(path, encoding) as handle:
        content = handle.read()
    if _has_undecodable(content):
        yield InputError(path, None, f"undecodable bytes (the file is not {encoding})")
        return
    fields: dict[str, Any] = {"outlet": outlet} if outlet else {}
    if path.suffix.lower() in (".html", ".htm"):
        fields = {**_extract_html(content), **fields}
        if not fields.get("text"):
            yield InputError(path, None, "no article text found in the page", field="text")
            return
    else:
        title, _, body = content.strip().partition("\n")
        fields.update(title=title.strip(), text=body.strip() or title.strip())
    if not fields.get("outlet"):
        yield InputError(path, None, "no outlet: name it with --outlet", field="outlet")
        return
    yield Record(str(path), None, fields, os.path.getsize(path))


def _extract_html(content: str) -> dict[str, Any]:
    import trafilatura

    document: Any = trafilatura.bare_extraction(content, with_metadata=True)
    text: str = getattr(document, "text", None) or ""
    if not text:
        return {}
    title: str = getattr(document, "title", None) or ""
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    found = {
        "title": title,
        "text": text,
        "outlet": getattr(document, "sitename", None),
        "url": getattr(document, "url", None),
        "published": getattr(document, "date", None),
    }
    return {key: value for key, value in found.items() if value}


def _is_web_address(url: str) -> bool:
    """True unless the url names a scheme other than http or https (browsers ignore controls)."""
    scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", url).lower())
    return scheme is None or scheme.group() in ("http:", "https:")


def batch_articles(
    records: Iterable[Record | InputError], report: IngestReport, batch_size: int
) -> Iterator[tuple[list[tuple[Article, list[Claim]]], int]]:
    """Articles with their claims, in batches of about `batch_size` claims, each with how far
    into its file reading has got; bad records go to the report's errors."""
    batch: list[tuple[Article, list[Claim]]] = []
    pending, end_byte = 0, 0
    for record in records:
        if isinstance(record, InputError):
            report.errors.append(record)
            continue
        try:
            article, claims = build_article(record)
        except InputError as error:
            report.errors.append(error)
            continue
        batch.append((article, claims))
        pending, end_byte = pending + len(claims), record.end_byte
        if pending >= batch_size or len(batch) >= batch_size:
            yield batch, end_byte
            batch, pending = [], 0
    if batch:
        yield batch, end_byte


def build_article(record: Record) -> tuple[Article, list[Claim]]:
    """Check a record's fields and turn it into an article and its claims."""
    fields = record.fields

    def text_field(name: str, required: bool = False) -> str:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise InputError(record.path, record.line, f"missing {name!r}", field=name)
            return ""
        if isinstance(value, int) and not isinstance(value, bool) and name == "id":
            value = str(value)
        if not isinstance(value, str):
            raise InputError(
                record.path,
                record.line,
                f"{name!r} must be a string, not {type(value).__name__}",
                field=name,
            )
        if _SURROGATE.search(value):
            raise InputError(
                record.path,
                record.line,
                f"{name!r} holds a lone surrogate (a \\ud800-\\udfff escape), which is not text",
                field=name,
            )
        return _CONTROL.sub("", normalize(value)).strip()

    outlet = " ".join(clean_for_index(text_field("outlet", required=True)).split())
    if not outlet:
        raise InputError(
            record.path, record.line, "'outlet' has no visible characters", field="outlet"
        )
    text = text_field("text", required=True)
    title = text_field("title")
    if not clean_for_index(text):
        raise InputError(record.path, record.line, "'text' has no visible characters", field="text")
    published = _parse_date(text_field("published"), record)
    language = text_field("language").lower() or detect_language(f"{title}\n{text}")
    url = text_field("url")
    if not _is_web_address(url):
        raise InputError(
            record.path,
            record.line,
            f"'url' must be a web address (http or https), not {url[:40]!r}",
            field="url",
        )
    digest = hashlib.sha256(f"{outlet}\n{clean_for_index(text)}".encode()).hexdigest()
    article = Article(
        article_id=f"a{digest[:15]}",
        outlet=outlet,
        title=title,
        text=text,
        language=language,
        url=url,
        published=published,
        external_id=text_field("id"),
        source=f"{record.path}:{record.line}" if record.line else record.path,
        event=text_field("event"),
    )
    return article, make_claims(article)


def make_claims(article: Article) -> list[Claim]:
    """Split an article into claims with stable ids."""
    claims = []
    for position, span in enumerate(split_claims(article.text, article.title, article.language)):
        part = "title" if span.is_headline else "text"
        key = f"{article.article_id}:{part}:{span.start}:{span.end}"
        claims.append(
            Claim(
                claim_id=f"c{hashlib.sha256(key.encode()).hexdigest()[:15]}",
                article_id=article.article_id,
                position=position,
                text=span.text,
                clean_text=clean_for_index(span.text),
                start=span.start,
                end=span.end,
                is_headline=span.is_headline,
                language=article.language,
            )
        )
    return claims


def safe_name(name: str) -> str:
    """A file name with no folders in it, whatever the browser sent, keeping its suffix."""
    base = re.split(r"[\\/]", name)[-1].strip(" .")
    base = re.sub(r"[^\w.\- ]", "_", base)
    suffix = Path(base).suffix
    suffix = suffix if len(suffix) <= 16 else ""
    stem = base[: len(base) - len(suffix)][: MAX_NAME_CHARS - len(suffix)]
    return f"{stem}{suffix}" if stem else "upload"


def save_uploads(files: list[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write uploaded (name, content) pairs into `folder` under numbered safe names."""
    paths = []
    for number, (name, content) in enumerate(files):
        path = Path(folder) / f"{number:03d}-{safe_name(name)}"
        # "xb" never follows a link or overwrites a file that is already there.
        with open(path, "xb") as handle:
            handle.write(content)
        paths.append(path)
    return paths


def _parse_date(value: str, record: Record) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(
            record.path,
            record.line,
            f"'published' must be an ISO date like 2021-01-02, not {value[:40]!r}",
            field="published",
        ) from None
