"""Benchmark pairs: ANS stance and SemEval similarity through the desk's bands and guards, and
the calibration of the bands; on pairs written for these tests."""

import csv
import json
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from workbench import pairs
from workbench.bands import Bands, load_bands
from workbench.cli import main
from workbench.errors import InputError, WorkbenchError


class WordEncoder:
    """A stand-in model: bag-of-words vectors, so shared words make a high cosine."""

    name = "bag-of-words"
    dimension = 1024
    bands = Bands(same=0.7, related=0.3)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                vectors[row, zlib.crc32(word.encode()) % self.dimension] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


ANS = [
    ("افتتاح المكتبة العامة في وسط المدينة", "افتتاح المكتبة العامة وسط المدينة", "agree"),
    ("ارتفاع أسعار الخبز في بيروت", "ارتفاع أسعار الخبز في بيروت اليوم", "agree"),
    ("قتل 40 جنديا في الهجوم على الحافلة", "قتل 39 جنديا في الهجوم على الحافلة", "disagree"),
    ("الجيش يعلن السيطرة على المدينة", "الجيش ينفي السيطرة على المدينة", "disagree"),
    # A swapped place: no cheap signal catches it, so the desk calls it the same claim.
    ("وصل الرئيس التونسي إلى باريس اليوم", "وصل الرئيس التونسي إلى روما اليوم", "disagree"),
    ("مباراة الكأس تنتهي بالتعادل", "الطقس حار اليوم في الجنوب", "other"),
]

SEMEVAL = [
    (
        "1_2",
        "en",
        "en",
        "Floods hit the northern valley town",
        "Floods hit the northern valley town",
        1,
    ),
    ("3_4", "en", "en", "Floods hit the northern valley town", "Floods hit the valley again", 2),
    ("5_6", "ar", "ar", "فيضانات تضرب بلدة في الشمال", "فيضانات تضرب بلدة في الجنوب", 2),
    ("7_8", "ar", "ar", "فيضانات تضرب بلدة في الشمال", "الطقس حار اليوم", 4),
    ("9_10", "de", "en", "Hochwasser im Norden des Landes", "Election results in the capital", 4),
    ("9_10", "de", "en", "Hochwasser im Norden des Landes", "Election results in the capital", 4),
]


def write_ans(folder: Path, split: str = "dev", rows: list[tuple[str, ...]] = ANS) -> Path:
    (folder / "stance").mkdir(parents=True, exist_ok=True)
    with open(folder / "stance" / f"{split}.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["s1", "s2", "stance"])
        writer.writerows(rows)
    return folder


def write_semeval(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["pair_id", "lang1", "lang2", "text1", "text2", "Overall", "Tone"])
        writer.writerows([(*row, 2) for row in SEMEVAL])
    return path


def write_checkthat(folder: Path) -> tuple[Path, Path, Path]:
    claims, queries, qrels = folder / "vclaims.jsonl", folder / "queries.tsv", folder / "qrels.tsv"
    checks = {
        "v1": "The mayor banned cars from the old town",
        "v2": "The mayor opened a new bridge over the river",
        "v3": "A photo shows sharks swimming on a flooded highway",
    }
    claims.write_text(
        "".join(
            json.dumps({"vclaim_id": k, "vclaim": v, "title": ""}) + "\n" for k, v in checks.items()
        )
    )
    queries.write_text(
        "q1\tThe mayor banned cars from the old town centre\nq2\tsharks on a flooded highway\n"
    )
    qrels.write_text("q1\t0\tv1\t1\nq2\t0\tv3\t1\n")
    return claims, queries, qrels


def test_ans_pairs_are_read_as_what_the_desk_shows(tmp_path: Path) -> None:
    result = pairs.bench_ans(WordEncoder(), write_ans(tmp_path), "dev")
    confusion = result["confusion"]
    assert confusion["agree"]["same claim"] == 2
    assert confusion["disagree"] == {
        "same claim": 1,
        "related, conflict": 2,
        "related": 0,
        "unrelated": 0,
    }
    assert confusion["other"]["unrelated"] == 1
    agree, disagree = result["per_class"]["agree"], result["per_class"]["disagree"]
    assert (agree["precision"], agree["recall"]) == (round(2 / 3, 3), 1.0)
    assert (disagree["precision"], disagree["recall"]) == (1.0, round(2 / 3, 3))
    assert result["macro_f1"] == round((0.8 + 0.8 + 1.0) / 3, 3)
    assert result["contradictions"]["pairs"] == 5 and result["contradictions"]["correct"] == 2
    assert "zero-shot" in result["reference"]


def test_contradiction_signals_count_only_agree_and_disagree_pairs() -> None:
    result = pairs.evaluate_contradictions(ANS)
    assert (result["pairs"], result["support"], result["predicted"]) == (5, 3, 2)
    assert result["precision"] == 1.0 and result["recall"] == round(2 / 3, 3)
    assert result["by_signal"] == {
        "figures": {"predicted": 1, "correct": 1},
        "negation": {"predicted": 1, "correct": 1},
    }


def test_bad_ans_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="No ANS split"):
        pairs.read_ans(tmp_path, "train")
    (tmp_path / "dev.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="s1, s2, stance"):
        pairs.read_ans(tmp_path, "dev")


def test_semeval_correlation_is_reported_overall_and_per_language_pair(tmp_path: Path) -> None:
    result = pairs.bench_semeval(WordEncoder(), write_semeval(tmp_path / "pairs.csv"))
    assert result["pairs"] == 5  # a repeated pair id counts once
    assert result["pearson"] > 0.8  # closer stories share more words here
    assert result["by_language_pair"]["ar-ar"] == {"pairs": 2, "pearson": 1.0}
    assert result["by_language_pair"]["de-en"]["pairs"] == 1
    assert "zero-shot" in result["reference"]


@pytest.mark.parametrize("method", pairs.ARTICLE_METHODS)
def test_article_vectors_are_unit_length(method: str) -> None:
    texts = ["Floods hit the town. Roads were closed for a week. Schools stayed shut.", "Short"]
    vectors = pairs.article_vectors(WordEncoder(), texts, ["en", "en"], method)
    assert vectors.shape == (2, 1024)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_semeval_files_need_their_columns(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("text1,text2\na,b\n")
    with pytest.raises(InputError, match="Overall"):
        pairs.read_semeval(tmp_path / "bad.csv")


def test_calibration_writes_both_thresholds_with_their_scores(tmp_path: Path) -> None:
    ans = write_ans(tmp_path / "ans", "train")
    semeval = write_semeval(tmp_path / "pairs.csv")
    path = tmp_path / "bands.json"
    result = pairs.calibrate(
        WordEncoder(), ans, semeval, [write_checkthat(tmp_path)], "train", path
    )
    saved = json.loads(path.read_text())["bag-of-words"]
    assert saved["pairs"]["ans_agree"] == 2 and saved["pairs"]["ans_other"] == 1
    assert saved["pairs"]["vclaims.jsonl_relevant"] == 2
    assert saved["pairs"]["vclaims.jsonl_hard_negatives"] == 4  # both other fact-checks per query
    assert saved["same"]["positives"] == 4 and saved["same"]["negatives"] == 5
    assert saved["related"]["positives"] == 3 and saved["related"]["negatives"] == 2
    assert 0 < saved["related"]["threshold"] <= saved["same"]["threshold"] <= 1
    assert "ANS train" in saved["calibrated_on"] and saved["date"]
    bands = load_bands("bag-of-words", Bands(0.9, 0.8), path)
    assert bands.is_calibrated and bands.same == saved["same"]["threshold"]
    assert result["same"] == saved["same"]
    assert "related_across" not in saved and bands.related_across is None  # no pair across agrees


def test_calibration_sets_a_related_threshold_across_languages(tmp_path: Path) -> None:
    semeval = write_semeval(tmp_path / "pairs.csv")
    with open(semeval, "a", encoding="utf-8", newline="") as out:
        csv.writer(out).writerow(
            ["11_12", "de", "en", "Hochwasser in Marsa", "Floods in Marsa overnight", 1, 2]
        )
    path = tmp_path / "bands.json"
    ans, checkthat = write_ans(tmp_path / "ans", "train"), write_checkthat(tmp_path)
    pairs.calibrate(WordEncoder(), ans, semeval, [checkthat], "train", path)
    saved = json.loads(path.read_text())["bag-of-words"]
    # Across languages: one same-story pair against the two different-story ones.
    assert (saved["related_across"]["positives"], saved["related_across"]["negatives"]) == (1, 1)
    assert 0 < saved["related_across"]["threshold"] <= saved["same"]["threshold"]
    bands = load_bands("bag-of-words", Bands(0.9, 0.8), path)
    assert bands.related_across == saved["related_across"]["threshold"]


def test_the_command_line_runs_ans_and_semeval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(tmp_path / "home")
    assert (
        main(["--home", home, "bench", "ans", "--folder", str(write_ans(tmp_path)), "--json"]) == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert result["pairs"] == 6 and result["model"] == "use-multilingual-v3"
    assert result["confusion"]["disagree"]["related, conflict"] == 2  # the figures and the denial
    csv_path = str(write_semeval(tmp_path / "pairs.csv"))
    assert main(["--home", home, "bench", "semeval", "--file", csv_path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pairs"] == 5


def test_calibrate_needs_as_many_queries_as_claims_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims, queries, qrels = write_checkthat(tmp_path)
    argv = ["--home", str(tmp_path / "home"), "bench", "calibrate", "--ans", str(tmp_path)]
    argv += ["--semeval", str(tmp_path / "pairs.csv"), "--claims", str(claims), "--claims"]
    argv += [str(claims), "--queries", str(queries), "--qrels", str(qrels)]
    assert main(argv) == 2
    assert "same number of times" in capsys.readouterr().err
