import json
from pathlib import Path

import pytest

from workbench import bench
from workbench.bench import (
    bench_checkthat,
    fact_check_records,
    fact_check_text,
    title_boilerplate,
)
from workbench.desk import Desk
from workbench.embed import Encoder
from workbench.ingest import build_article
from workbench.settings import Settings

FACT_CHECKS = [
    {
        "vclaim_id": "fc-anaconda",
        "title": "Does Video Show a 10-Meter-Long Anaconda?",
        "vclaim": "A viral video shows a giant snake swimming across a river in Brazil.",
    },
    {
        "vclaim_id": "fc-fries",
        "title": "Dollar Fries at Burger Palace",
        "vclaim": "Burger Palace restaurants sell any size of fries for one dollar this month.",
    },
    {
        "vclaim_id": "fc-wall",
        "title": "Is the Great Wall Visible From Space?",
        "vclaim": "Astronauts can see the wall with the naked eye from orbit.",
    },
]
QUERIES = [
    ("q-snake", "Look at this anaconda!! 10 meters long — Jo Bloggs (@JoBloggs) May 1, 2020"),
    ("q-fries", "@BurgerPalace any size fries for a dollar?? is this real"),
    ("q-wall", "My teacher says the Great Wall of China is visible from space"),
    ("q-unjudged", "This query has no judgement and is left out"),
]


@pytest.mark.parametrize(
    ("claim", "title", "text"),
    [
        (
            "A video shows a snake.",
            "Does Video Show a Snake?",
            "Does Video Show a Snake — A video shows a snake.",
        ),
        ("لقاح كورونا غير آمن", "هل لقاح كورونا آمن؟", "هل لقاح كورونا آمن — لقاح كورونا غير آمن"),
        ("Only a claim.", "  ", "Only a claim."),
        ("", "Only a title...", "Only a title"),
    ],
)
def test_a_fact_check_is_its_title_and_claim_as_one_statement(
    claim: str, title: str, text: str
) -> None:
    assert fact_check_text(claim, title) == text


def test_title_parts_that_many_fact_checks_share_are_left_out() -> None:
    titles = [
        *(f"خبر رقم {n} - زائف - فتبينوا" for n in range(5)),
        *(f"فحص الحقائق | مسبار | لقاح رقم {n}" for n in range(5)),
        *(f"Five words in every title - claim {n}" for n in range(5)),
        "فحص الحقائق | مسبار",
    ]
    boilerplate = title_boilerplate(titles)
    assert boilerplate == {"زائف", "فتبينوا", "فحص الحقائق", "مسبار"}
    assert fact_check_text("", titles[0], boilerplate) == "خبر رقم 0"
    assert fact_check_text("", titles[5], boilerplate) == "لقاح رقم 0"
    assert fact_check_text("", titles[10], boilerplate) == "Five words in every title - claim 0"
    # A title that is all boilerplate is kept whole rather than lost.
    assert fact_check_text("لقاح", titles[-1], boilerplate) == "فحص الحقائق - مسبار — لقاح"


def test_each_fact_check_becomes_one_claim_of_its_own_outlet() -> None:
    items = [(f["vclaim_id"], f["vclaim"], f["title"]) for f in FACT_CHECKS]
    built = [build_article(record) for record in fact_check_records(items, Path("fc.jsonl"))]
    assert [article.external_id for article, _ in built] == ["fc-anaconda", "fc-fries", "fc-wall"]
    assert len({article.outlet for article, _ in built}) == 3
    assert [len(claims) for _, claims in built] == [1, 1, 1]
    assert built[0][1][0].text.startswith("Does Video Show a 10-Meter-Long Anaconda — A viral")


def test_bench_checkthat_ranks_the_right_fact_check_first(
    tmp_path: Path, settings: Settings, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = tmp_path / "vclaims.jsonl"
    claims.write_text("".join(json.dumps(f) + "\n" for f in FACT_CHECKS), encoding="utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text("".join(f"{q}\t{t}\n" for q, t in QUERIES), encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    gold = [("q-snake", "fc-anaconda"), ("q-fries", "fc-fries"), ("q-wall", "fc-wall")]
    qrels.write_text("".join(f"{q}\t0\t{d}\t1\n" for q, d in gold), encoding="utf-8")
    monkeypatch.setattr(bench, "Desk", lambda s: Desk(s, encoder=encoder))
    result = bench_checkthat(settings, claims, queries, qrels)
    assert result["queries"] == 3 and result["fact_checks"] == 3 and result["claims_indexed"] == 3
    assert result["map@1"] == result["map@5"] == result["mrr"] == result["recall@10"] == 1.0
    assert result["ms_per_query"] > 0
