"""End to end: ingest, index, near-duplicates across languages, catch-up after a lost index."""

import gc
import json
import shutil
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA
from workbench.bands import Bands
from workbench.cards import Card
from workbench.desk import Desk
from workbench.embed import Encoder
from workbench.errors import IndexMismatchError, NotFoundError, WorkbenchError
from workbench.matching import interleave_languages, to_match
from workbench.models import MatchBand
from workbench.retrieval import Retriever
from workbench.settings import Settings


def claim_id_of(desk: Desk, outlet: str, fragment: str) -> str:
    claims = desk.claims()
    rows = claims[(claims.outlet == outlet) & claims.text.str.contains(fragment)]
    assert len(rows) == 1, (outlet, fragment, rows)
    return str(rows.iloc[0].claim_id)


def test_reingesting_adds_nothing(loaded_desk: Desk) -> None:
    before = loaded_desk.ledger.count_claims()
    report = loaded_desk.ingest([DATA / "articles.jsonl"])
    assert (report.added, report.duplicates, report.claims) == (0, 4, 0)
    assert loaded_desk.ledger.count_claims() == before == len(loaded_desk.index())


def test_english_claim_finds_its_arabic_counterpart(loaded_desk: Desk) -> None:
    english = claim_id_of(loaded_desk, "Harbour Gazette", "evacuated")
    best = loaded_desk.similar(english, k=3)[0]
    assert best.outlet == "صحيفة الميناء" and "عائلة" in best.text


def test_arabic_claim_finds_its_english_counterpart(loaded_desk: Desk) -> None:
    arabic = claim_id_of(loaded_desk, "صحيفة الميناء", "الحداد")
    best = loaded_desk.similar(arabic, k=3)[0]
    assert best.outlet == "Harbour Gazette" and "mourning" in best.text


def test_similar_never_returns_the_same_outlet(loaded_desk: Desk) -> None:
    claim = claim_id_of(loaded_desk, "Harbour Gazette", "evacuated")
    matches = loaded_desk.similar(claim, k=20)
    assert matches and all(m.outlet != "Harbour Gazette" for m in matches)
    assert len({m.claim_id for m in matches}) == len(matches) <= 20


def test_a_serving_desk_matches_from_the_cards_it_holds_as_from_the_ledger(
    loaded_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = claim_id_of(loaded_desk, "Harbour Gazette", "evacuated")
    from_ledger = loaded_desk.similar(claim, k=20)
    loaded_desk.keep_warm()
    deadline = time.monotonic() + 10
    while len(loaded_desk.ledger._cards) < loaded_desk.ledger.count_claims():
        assert time.monotonic() < deadline, "the cards were never read"
        time.sleep(0.05)
    monkeypatch.setattr(loaded_desk.ledger, "claim_details", lambda ids: pytest.fail(str(ids)))
    matches = loaded_desk.match_text("floods killed twelve people", k=20)
    assert len(matches) == loaded_desk.ledger.count_claims()  # every claim, from memory
    monkeypatch.undo()
    assert loaded_desk.similar(claim, k=20) == from_ledger


def test_match_text_filters_by_language(loaded_desk: Desk) -> None:
    matches = loaded_desk.match_text("floods killed twelve people", k=3, language="ar")
    assert matches and {m.language for m in matches} == {"ar"}
    assert "السيول" in matches[0].text


def test_unknown_claim_is_a_clear_error(loaded_desk: Desk) -> None:
    with pytest.raises(NotFoundError, match="cnope"):
        loaded_desk.similar("cnope")


def test_a_desk_reads_its_index_again_only_when_another_process_saved_one(
    loaded_desk: Desk, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = loaded_desk.index()
    opened = []
    monkeypatch.setattr(Retriever, "open", lambda *args: opened.append(args) or pytest.fail())
    loaded_desk.ingest([DATA / "conflict.jsonl"])
    assert loaded_desk.index() is served and not opened  # added to the one in memory
    assert len(served) == loaded_desk.ledger.count_claims() and served.is_as_saved()
    monkeypatch.undo()

    other = Desk(settings, encoder=loaded_desk.encoder)  # as another process
    other.withdraw_article(loaded_desk.claims().article_id.iloc[0], "editor", "retracted")
    assert not served.is_as_saved()
    loaded_desk.sync_index()
    assert loaded_desk.index() is not served  # read again from what the other one saved
    assert len(loaded_desk.index()) == len(other.index()) < len(served)


def link_rows(desk: Desk) -> list[tuple[str, str]]:
    with desk.ledger.connect() as db:
        return db.execute("SELECT claim_id, other_id FROM links ORDER BY ALL").fetchall()


def test_deleted_index_catches_up_from_the_ledger(loaded_desk: Desk, settings: Settings) -> None:
    count, links = loaded_desk.ledger.count_claims(), link_rows(loaded_desk)
    shutil.rmtree(settings.index_dir)
    fresh = Desk(settings, encoder=loaded_desk.encoder)
    claim = claim_id_of(fresh, "Harbour Gazette", "evacuated")
    assert fresh.similar(claim)[0].outlet == "صحيفة الميناء"
    assert len(fresh.index()) == count
    assert (settings.index_dir / "claims" / "manifest.json").exists()
    assert link_rows(fresh) == links and links


def test_claims_indexed_again_after_a_crash_are_linked_once(
    loaded_desk: Desk, settings: Settings, tmp_path: Path
) -> None:
    saved, before = shutil.copytree(settings.index_dir, tmp_path / "saved"), link_rows(loaded_desk)
    loaded_desk.ingest([DATA / "conflict.jsonl"])
    links = link_rows(loaded_desk)
    assert len(links) > len(before)  # the new claims have links to lose and find again
    # A crash after the new claims were linked but before their index was saved.
    shutil.rmtree(settings.index_dir)
    shutil.copytree(saved, settings.index_dir)
    fresh = Desk(settings, encoder=loaded_desk.encoder)
    assert len(fresh.index()) == loaded_desk.ledger.count_claims()
    assert link_rows(fresh) == links


def test_index_from_another_model_is_refused(loaded_desk: Desk, settings: Settings) -> None:
    class OtherModel:
        name, dimension, bands = "another-model", 512, loaded_desk.encoder.bands

        def encode(self, texts: list[str]) -> object:
            return loaded_desk.encoder.encode(texts)

    other = Desk(settings, encoder=OtherModel())
    with pytest.raises(IndexMismatchError, match="use-multilingual-v3"):
        other.index()
    assert other.reindex() == loaded_desk.ledger.count_claims()


def test_index_keeps_the_bands_it_was_built_with(loaded_desk: Desk, settings: Settings) -> None:
    manifest = json.loads((settings.index_dir / "claims" / "manifest.json").read_text())
    assert Bands(**manifest["meta"]["bands"]) == loaded_desk.encoder.bands == loaded_desk.bands

    class Recalibrated(SlowEncoder):
        bands = Bands(0.99, 0.98, "another calibration")

    # New thresholds do not silently change what an existing index's links meant.
    later = Desk(settings, encoder=Recalibrated(loaded_desk.encoder))
    assert later.bands == loaded_desk.encoder.bands
    later.reindex()
    assert later.bands == Bands(0.99, 0.98, "another calibration")


def test_claims_in_two_languages_are_linked_from_the_lower_threshold(
    settings: Settings, encoder: Encoder
) -> None:
    class AcrossOnly(SlowEncoder):
        # Only a pair across two languages can pass: none within one reaches 0.999.
        bands = Bands(0.9995, 0.999, "test", related_across=0.2)

    desk = Desk(settings, encoder=AcrossOnly(encoder))
    desk.ingest([DATA / "articles.jsonl"])
    with desk.ledger.connect() as db:
        pairs = db.execute(
            "SELECT a.language, b.language, l.score FROM links l "
            "JOIN claims a ON a.claim_id = l.claim_id JOIN claims b ON b.claim_id = l.other_id"
        ).fetchall()
    assert pairs and all(mine != theirs and score >= 0.2 for mine, theirs, score in pairs)
    # The queue's spread counts them: the Arabic report of the evacuation reaches English.
    from workbench.review import QueueFilter, review_queue

    queue = review_queue(desk.ledger, QueueFilter(statuses=()), desk.bands.least_related)
    arabic = queue[queue.outlet == "صحيفة الميناء"]
    assert (arabic.languages > 1).any()


def test_index_from_an_older_workbench_is_rebuilt(loaded_desk: Desk, settings: Settings) -> None:
    path = settings.index_dir / "claims" / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "format": 0}))
    fresh = Desk(settings, encoder=loaded_desk.encoder)
    claim = claim_id_of(fresh, "Harbour Gazette", "evacuated")
    assert fresh.similar(claim)[0].outlet == "صحيفة الميناء"
    assert json.loads(path.read_text())["format"] != 0


def test_bad_records_are_reported_and_the_rest_ingested(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([good[0], '{"outlet": "X"', good[2]]), encoding="utf-8")
    report = desk.ingest([path])
    assert report.added == 2
    assert [(e.path, e.line) for e in report.errors] == [(str(path), 2)]


def test_withdrawn_article_leaves_search_and_queue(loaded_desk: Desk, settings: Settings) -> None:
    from workbench.review import QueueFilter, review_queue

    arabic = claim_id_of(loaded_desk, "صحيفة الميناء", "الحداد")
    article = loaded_desk.ledger.claim_details([arabic])[arabic].article_id
    before = loaded_desk.ledger.count_claims()
    withdrawn = loaded_desk.withdraw_article(article, "Rana", "duplicate feed")
    assert withdrawn == before - loaded_desk.ledger.count_claims() > 0

    english = claim_id_of(loaded_desk, "Harbour Gazette", "mourning")
    assert all(m.article_id != article for m in loaded_desk.similar(english, k=20))
    assert all(m.article_id != article for m in loaded_desk.match_text("الحداد", k=20))
    queue = review_queue(loaded_desk.ledger, QueueFilter(statuses=()), 0.0)
    assert article not in set(queue.article_id) and len(queue) == before - withdrawn
    # Another process opening the same home sees the same.
    other = Desk(settings, encoder=loaded_desk.encoder)
    assert len(other.index()) == loaded_desk.ledger.count_claims()
    assert all(m.article_id != article for m in other.match_text("الحداد", k=20))
    # The article itself stays in the audit trail; withdrawing it again is refused.
    assert loaded_desk.ledger.get_article(article)["outlet"] == "صحيفة الميناء"
    with pytest.raises(WorkbenchError, match="already withdrawn"):
        loaded_desk.withdraw_article(article, "Rana", "again")


def test_withdrawal_needs_a_known_article_and_a_reason(loaded_desk: Desk) -> None:
    with pytest.raises(NotFoundError):
        loaded_desk.withdraw_article("anope", "Rana", "wrong feed")
    article = str(loaded_desk.claims().iloc[0].article_id)
    with pytest.raises(WorkbenchError, match="why"):
        loaded_desk.withdraw_article(article, "Rana", " ")


def test_index_missing_withdrawals_catches_up(loaded_desk: Desk, settings: Settings) -> None:
    # A process killed between the ledger's withdrawal and the index update.
    article = str(loaded_desk.claims().iloc[0].article_id)
    loaded_desk.ledger.withdraw_article(article, "Rana", "retracted")
    fresh = Desk(settings, encoder=loaded_desk.encoder)
    assert len(fresh.index()) == fresh.ledger.count_claims()
    assert all(m.article_id != article for m in fresh.match_text("floods", k=20))


class SlowEncoder:
    """The real encoder, slowed down, so that an ingest takes a while."""

    def __init__(self, inner: Encoder):
        self.inner = inner
        self.name, self.dimension = inner.name, inner.dimension
        self.bands = getattr(type(self), "bands", inner.bands)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > 1:
            time.sleep(0.3)
        return self.inner.encode(texts)


def start_slow_ingest(desk: Desk, folder: Path, template: str, count: int) -> threading.Thread:
    """Ingest `count` one-claim articles from other wires in a thread; return once it runs."""
    lines = [
        json.dumps({"outlet": f"Wire {n}", "text": template.format(n=n)}) for n in range(count)
    ]
    (folder / "more.jsonl").write_text("\n".join(lines), encoding="utf-8")
    ingest = threading.Thread(target=desk.ingest, args=([folder / "more.jsonl"],))
    ingest.start()
    time.sleep(0.5)
    return ingest


def test_searches_go_on_while_an_ingest_runs(
    settings: Settings, encoder: Encoder, tmp_path: Path
) -> None:
    desk = Desk(replace(settings, batch_size=2), encoder=SlowEncoder(encoder))
    desk.ingest([DATA / "articles.jsonl"])
    before = desk.ledger.count_claims()
    ingest = start_slow_ingest(desk, tmp_path, "Storm number {n} closed {n} roads today.", 40)
    started = time.monotonic()
    matches = desk.match_text("floods killed twelve people", k=3)
    answered = time.monotonic() - started
    still_ingesting = ingest.is_alive()
    ingest.join()
    assert matches and still_ingesting and answered < 2
    assert len(desk.index()) == desk.ledger.count_claims() == before + 40


def test_a_withdrawal_during_an_ingest_waits_its_turn(
    settings: Settings, encoder: Encoder, tmp_path: Path
) -> None:
    desk = Desk(replace(settings, batch_size=2), encoder=SlowEncoder(encoder))
    desk.ingest([DATA / "articles.jsonl"])
    article = str(desk.claims().iloc[0].article_id)
    ingest = start_slow_ingest(desk, tmp_path, "Bridge {n} shut for repairs.", 12)
    withdraw = threading.Thread(target=desk.withdraw_article, args=(article, "Rana", "retracted"))
    withdraw.start()
    withdraw.join(timeout=60)
    ingest.join(timeout=60)
    assert not withdraw.is_alive() and not ingest.is_alive()
    assert len(desk.index()) == desk.ledger.count_claims()
    assert all(m.article_id != article for m in desk.match_text("floods", k=50))


def test_languages_take_turns_fillers_come_last_and_other_languages_relate_sooner() -> None:
    text = "Officials reported floods in the northern valley town"

    def row(claim_id: str, language: str) -> Card:
        return Card(claim_id, text, language, "a", "o", "", None)

    candidates = [
        (row("en-1", "en"), 0.9),
        (row("en-filler", "en"), 0.1),
        (row("ar-filler", "ar"), 0.45),
        (row("ar-1", "ar"), 0.6),
        (row("en-2", "en"), 0.7),
    ]
    ordered = interleave_languages(candidates, Bands(0.8, 0.5))
    assert [r.claim_id for r, _ in ordered] == ["en-1", "ar-1", "en-2", "ar-filler", "en-filler"]
    # For an English claim, Arabic claims are related from their own, lower threshold: the
    # filler at 0.45 takes the Arabic side's first turn (it came first in the fused ranking).
    across = Bands(0.8, 0.5, "pairs", related_across=0.4)
    ordered = interleave_languages(candidates, across, "en")
    assert [r.claim_id for r, _ in ordered] == ["en-1", "ar-filler", "ar-1", "en-2", "en-filler"]
    shown = [to_match(r, cosine, across, text, "en") for r, cosine in candidates]
    assert [m.band for m in shown] == [
        MatchBand.SAME,
        MatchBand.UNRELATED,
        MatchBand.RELATED,
        MatchBand.RELATED,
        MatchBand.RELATED,
    ]


def test_the_served_index_is_kept_out_of_the_garbage_collectors_passes(
    loaded_desk: Desk,
) -> None:
    index = loaded_desk.index()
    walked = gc.get_objects()  # everything a full collection would walk
    assert not any(o is index.dense._ids or o is index.lexical._ids for o in walked)
