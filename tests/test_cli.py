import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA
from workbench.cli import main
from workbench.settings import REPO


def run(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_claims_similar_verdict_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, tmp_path, "ingest", str(DATA / "articles.jsonl"))
    assert code == 0 and out.startswith("4 articles added")

    code, out, _ = run(capsys, tmp_path, "claims", "--json")
    claims = json.loads(out)
    assert {"claim_id", "text", "outlet", "language", "article_id"} <= set(claims[0])
    english = next(c for c in claims if "evacuated" in c["text"])

    code, out, _ = run(capsys, tmp_path, "similar", english["claim_id"], "--k", "2", "--json")
    matches = json.loads(out)
    assert len(matches) == 2 and matches[0]["outlet"] == "صحيفة الميناء"
    keys = {"claim_id", "text", "outlet", "language", "article_id", "url", "published", "score"}
    assert keys <= set(matches[0])

    code, out, _ = run(
        capsys, tmp_path, "match", "civil defence flood toll", "--language", "ar", "--json"
    )
    assert code == 0 and all(m["language"] == "ar" for m in json.loads(out))

    code, out, _ = run(
        capsys,
        tmp_path,
        "verdict",
        english["claim_id"],
        "corroborated",
        "--reviewer",
        "amal",
        "--note",
        '=HYPERLINK("x")',
        "--evidence",
        matches[0]["claim_id"],
    )
    assert code == 0
    code, out, _ = run(capsys, tmp_path, "export", str(tmp_path / "out.csv"))
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(raw.decode("utf-8-sig").splitlines())
    assert row["claim_id"] == english["claim_id"] and row["verdict"] == "corroborated"
    assert row["rationale"].startswith("'=")  # a spreadsheet will not run it
    assert row["evidence_outlets"] == "صحيفة الميناء"


def test_errors_are_one_sentence_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "--home", str(tmp_path), "similar", "cmissing"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "error: No claim with id 'cmissing' in the ledger."


def test_rejected_records_are_listed_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"outlet": "A"}\n', encoding="utf-8")
    code, _, err = run(capsys, tmp_path, "ingest", str(path))
    assert code == 1
    assert f"rejected: {path}, line 1: missing 'text'" in err
