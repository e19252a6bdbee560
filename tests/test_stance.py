import csv
from pathlib import Path

from workbench.cli import main
from workbench.stance import contradicts, evaluate_ans

PAIRS = [
    ("قتل 40 جنديا في الهجوم على الحافلة", "قتل 39 جنديا في الهجوم على الحافلة", "disagree"),
    ("الجيش يعلن السيطرة على المدينة", "الجيش ينفي السيطرة على المدينة", "disagree"),
    ("افتتاح المكتبة العامة في وسط المدينة", "افتتاح مكتبة عامة جديدة وسط المدينة", "agree"),
    ("ارتفاع أسعار الخبز في بيروت", "أسعار الخبز ترتفع في بيروت", "agree"),
    ("مباراة الكأس تنتهي بالتعادل", "الطقس حار اليوم", "other"),
]


def test_conflicting_figures_and_denials_are_contradictions() -> None:
    assert contradicts(PAIRS[0][0], PAIRS[0][1])
    assert contradicts(PAIRS[1][0], PAIRS[1][1])
    assert not contradicts(PAIRS[2][0], PAIRS[2][1])
    assert not contradicts(PAIRS[3][0], PAIRS[3][1])


def test_ans_evaluation_counts_only_agree_and_disagree_pairs(tmp_path: Path) -> None:
    (tmp_path / "stance").mkdir()
    with open(tmp_path / "stance" / "dev.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["s1", "s2", "stance"])
        writer.writerows(PAIRS)
    result = evaluate_ans(tmp_path, "dev")
    assert (result["pairs"], result["disagree"]) == (4, 2)
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert main(["--home", str(tmp_path / "home"), "bench", "ans", "--folder", str(tmp_path)]) == 0
