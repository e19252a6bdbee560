"""The scale benchmark: a ledger and index of N synthetic claims, and how fast they serve."""

from __future__ import annotations

import gc
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from workbench.desk import Desk
from workbench.ingest import Record, build_article
from workbench.review import PAGE_SIZE, QueueFilter, desk_totals, facets, queue_size, review_queue
from workbench.settings import Settings
from workbench.text import clean_for_index
from workbench.verdicts import verdict_history

PLACES = {
    "en": ["Marsa", "Tell Abyad", "Qamishli", "Hama", "Maan", "Zarqa", "Tripoli", "Sidon"],
    "ar": ["مرسى", "تل أبيض", "القامشلي", "حماة", "معان", "الزرقاء", "طرابلس", "صيدا"],
    "fr": ["Marsa", "Tell Abyad", "Qamishli", "Hama", "Maan", "Zarqa", "Tripoli", "Saïda"],
}
TEMPLATES = {
    "en": [
        "Officials in {place} said {n} people were killed in {event} on {day}.",
        "At least {n} families left their homes in {place} after {event}, residents said.",
        "The council of {place} promised an inquiry into {event} within {n} days.",
        "Rescue teams in {place} reported {n} injured after {event}.",
        "Prices in {place} rose by {n} percent in the week after {event}.",
    ],
    "ar": [
        "قال مسؤولون في {place} إن {n} أشخاص قتلوا في {event} يوم {day}.",
        "غادرت {n} عائلة على الأقل منازلها في {place} بعد {event} بحسب السكان.",
        "وعد مجلس {place} بفتح تحقيق في {event} خلال {n} يوما.",
        "أفادت فرق الإنقاذ في {place} بإصابة {n} أشخاص بعد {event}.",
        "ارتفعت الأسعار في {place} بنسبة {n} بالمئة بعد {event}.",
    ],
    "fr": [
        "Selon les autorités de {place}, {n} personnes ont été tuées lors de {event} le {day}.",
        "Au moins {n} familles ont quitté {place} après {event}, selon des habitants.",
        "Le conseil de {place} a promis une enquête sur {event} sous {n} jours.",
        "Les secours de {place} font état de {n} blessés après {event}.",
        "Les prix ont augmenté de {n} pour cent à {place} après {event}.",
    ],
}
EVENTS = {
    "en": ["the flood", "the fire", "the strike", "the storm", "the explosion", "the protest"],
    "ar": ["الفيضان", "الحريق", "الإضراب", "العاصفة", "الانفجار", "الاحتجاج"],
    "fr": [
        "l'inondation",
        "l'incendie",
        "la grève",
        "la tempête",
        "l'explosion",
        "la manifestation",
    ],
}
DAYS = {"en": "Monday", "ar": "الاثنين", "fr": "lundi"}
PER_ARTICLE = len(TEMPLATES["en"])


def synthetic_records(articles: int, seed: int = 1) -> Iterator[Record]:
    """Articles of five claims each, in English, Arabic and French, from fifty outlets."""
    chance = random.Random(seed)
    for number in range(articles):
        language = ("en", "ar", "fr")[number % 3]
        place, event = chance.choice(PLACES[language]), chance.choice(EVENTS[language])
        sentences = [
            template.format(place=place, event=event, n=chance.randint(2, 900), day=DAYS[language])
            for template in TEMPLATES[language]
        ]
        fields = {
            "outlet": f"Outlet {number % 50}",
            "title": "",
            "text": "\n".join(sentences) + f"\nReport {number} was filed by the desk.",
            "language": language,
            "id": f"s{number}",
        }
        yield Record("synthetic", number + 1, fields, 0)


def bench_scale(
    settings: Settings, claims: int, embed_limit: int = 20_000, queries: int = 200
) -> dict[str, Any]:
    """Build N claims (the real encoder for up to embed_limit, perturbed copies beyond) and time."""
    articles = max(1, claims // (PER_ARTICLE + 1))
    embedded = min(articles, max(1, embed_limit // (PER_ARTICLE + 1)))
    with tempfile.TemporaryDirectory() as home:
        desk = Desk(replace(settings, home=Path(home)))
        texts = [
            c.clean_text for r in synthetic_records(min(embedded, 500)) for c in build_article(r)[1]
        ]
        desk.encoder.encode(texts[:10])  # load the model before timing
        started = time.perf_counter()
        desk.encoder.encode(texts)
        encoder_rate = len(texts) / (time.perf_counter() - started)

        started = time.perf_counter()
        report = desk.ingest_records(synthetic_records(embedded), actor="bench")
        ingest_seconds = time.perf_counter() - started
        copied = _add_copies(desk, articles - embedded) if articles > embedded else 0
        gc.freeze()  # as the desk does once an ingest ends (the copies bypassed it)
        total = desk.ledger.count_claims()
        dense = desk.index().dense
        started = time.perf_counter()
        dense.rebuild()  # from scratch, trained for every claim
        build_seconds = time.perf_counter() - started
        dense.save()

        sample = random.Random(2).sample(sorted(dense.claim_ids), queries)
        vectors = [vector for claim_id in sample if (vector := dense.vector(claim_id)) is not None]
        recall = dense.recall(np.stack(vectors), sample)  # against brute force over all claims
        details = desk.ledger.claim_details(sample)
        desk.ledger.warm()  # as the app's ledger is a moment after it opens (see Ledger.warm)
        gc.collect()  # the benchmark's own lists of a million ids, which the app does not hold,
        gc.freeze()  # would otherwise make Python's collector passes among the timed matches
        for claim_id in sample[:5]:  # the first searches after opening page the index in
            desk.match_text(details[claim_id].text, k=10)
        latencies = []
        for claim_id in sample:
            started = time.perf_counter()
            desk.match_text(details[claim_id].text, k=10)
            latencies.append(1000 * (time.perf_counter() - started))
        # The retrieval alone (FAISS, BM25, fusion), without encoding the text, reading claim
        # details from the ledger and the match guards.
        index = desk.index()
        texts = [clean_for_index(details[claim_id].text) for claim_id in sample]
        retrieval = []
        for text, vector in zip(texts, desk.encoder.encode(texts), strict=True):
            started = time.perf_counter()
            index.search(vector, text, "", 56)  # the candidates a match of 10 fetches
            retrieval.append(1000 * (time.perf_counter() - started))
        view = []
        for claim_id in sample[: max(5, queries // 10)]:
            started = time.perf_counter()
            _claim_view(desk, claim_id)
            view.append(1000 * (time.perf_counter() - started))
        queue = []
        for _ in range(5):
            started = time.perf_counter()
            _queue_page(desk)
            queue.append(1000 * (time.perf_counter() - started))
        disk = sum(p.stat().st_size for p in Path(home).rglob("*") if p.is_file())
        # A desk's weekly ingest lands in a full collection: linking searches all of it, and
        # the indexes are saved at the end.
        started = time.perf_counter()
        more = desk.ingest_records(synthetic_records(min(embedded, 500), seed=5), actor="bench")
        ingest_into_full = more.claims / (time.perf_counter() - started)
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "claims": total,
        "claims_embedded": report.claims,
        "claims_copied": copied,
        "note": "claims past the first embedded ones reuse perturbed embeddings" if copied else "",
        "ingest_claims_per_s": round(report.claims / ingest_seconds, 1),
        "ingest_into_full_claims_per_s": round(ingest_into_full, 1),
        "encoder_claims_per_s": round(encoder_rate, 1),
        # Shares of the ingest's wall-clock time; embedding runs beside the other stages.
        "ingest_stage_share": {
            stage: round(seconds / ingest_seconds, 3) for stage, seconds in report.seconds.items()
        },
        "match_p50_ms": round(statistics.median(latencies), 1),
        "match_p99_ms": round(quantiles[98], 1),
        "retrieval_p50_ms": round(statistics.median(retrieval), 1),
        "retrieval_p99_ms": round(statistics.quantiles(retrieval, n=100)[98], 1),
        "recall@10": round(recall, 4),
        "index_kind": dense.kind,
        "index_params": {key: value for key, value in dense.params.items() if key != "build_s"},
        "index_build_s": round(build_seconds, 2),
        "claim_view_p50_ms": round(statistics.median(view), 1),
        "queue_page_p50_ms": round(statistics.median(queue), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "disk_bytes_per_claim": round(disk / max(total, 1), 1),
        "model": desk.encoder.name,
    }


def _add_copies(desk: Desk, articles: int) -> int:
    """Write more articles whose vectors are perturbed copies of embedded ones (no encoder)."""
    index = desk.index()
    noise = np.random.default_rng(3)
    known = index.dense.all_vectors()
    added = 0
    records = synthetic_records(articles, seed=9)
    while batch := [build_article(r) for _, r in zip(range(500), records, strict=False)]:
        batch = [(replace(a, article_id=f"x{added}-{a.article_id}"), cs) for a, cs in batch]
        batch = [
            (
                a,
                [
                    replace(c, article_id=a.article_id, claim_id=f"x{added}-{c.claim_id}")
                    for c in cs
                ],
            )
            for a, cs in batch
        ]
        desk.ledger.add_articles(batch, actor="bench")
        claims = [c for _, cs in batch for c in cs]
        base = known[noise.integers(0, len(known), len(claims))]
        vectors = base + noise.normal(0, 0.05, base.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        index.add(
            [c.claim_id for c in claims],
            [c.clean_text for c in claims],
            [c.language for c in claims],
            vectors,
        )
        added += len(claims)
    index.save()
    return added


def _claim_view(desk: Desk, claim_id: str) -> None:
    """What the app's claim view asks of the library."""
    claim = desk.ledger.claim_details([claim_id])[claim_id]
    desk.ledger.get_article(claim.article_id)
    desk.assess(claim_id)
    desk.similar(claim_id)
    verdict_history(desk.ledger, claim_id)


def _queue_page(desk: Desk) -> None:
    """What the app's review queue asks of the library for its first page."""
    chosen, related = QueueFilter(), desk.bands.least_related
    desk_totals(desk.ledger)
    facets(desk.ledger)
    queue_size(desk.ledger, chosen, related)
    review_queue(desk.ledger, chosen, related, PAGE_SIZE)
