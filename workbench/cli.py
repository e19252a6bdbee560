"""Command line: translates arguments into workbench calls and prints what they return."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from workbench.backup import backup_ledger, restore_ledger
from workbench.bench import bench_checkthat
from workbench.desk import Desk
from workbench.errors import WorkbenchError
from workbench.export import export_claimreview, export_csv, export_history_csv
from workbench.models import Match, Progress, ProgressCallback, VerdictLabel
from workbench.pairs import ARTICLE_METHODS, bench_ans, bench_semeval, calibrate
from workbench.scale import bench_scale
from workbench.settings import REPO, load_settings
from workbench.stress import run_writers
from workbench.verdicts import record_verdict

DEMO = REPO / "data" / "demo"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=__doc__)
    parser.add_argument("--home", help="folder for the ledger and indexes (WORKBENCH_HOME)")
    parser.add_argument("--model", help="embedding model (WORKBENCH_MODEL)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="add articles from files or folders")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--outlet", help="outlet of .txt and .html files")

    match = commands.add_parser("match", help="claims nearest to a text")
    match.add_argument("text")
    match.add_argument("--k", type=int)
    match.add_argument("--language", help="only matches in this language (ISO code)")
    match.add_argument("--json", action="store_true")

    similar = commands.add_parser("similar", help="near-duplicates of a claim from other outlets")
    similar.add_argument("claim_id")
    similar.add_argument("--k", type=int)
    similar.add_argument("--json", action="store_true")

    claims = commands.add_parser("claims", help="list claims")
    claims.add_argument("--article")
    claims.add_argument("--json", action="store_true")

    verdict = commands.add_parser("verdict", help="record a verdict on a claim")
    verdict.add_argument("claim_id")
    verdict.add_argument("label", choices=[label.value for label in VerdictLabel])
    verdict.add_argument("--reviewer", required=True)
    verdict.add_argument("--note", default="")
    verdict.add_argument("--evidence", nargs="*", default=[], help="claim ids of the evidence")

    export = commands.add_parser("export", help="write the verdicts as CSV or ClaimReview")
    export.add_argument("path", type=Path)
    export.add_argument("--history", action="store_true", help="every verdict, not the latest")
    export.add_argument("--format", choices=["csv", "claimreview"], default="csv")

    backup = commands.add_parser("backup", help="write a consistent copy of the ledger")
    backup.add_argument("folder", type=Path)
    backup.add_argument("--keep", type=int, help="keep only the newest N backups")
    restore = commands.add_parser("restore", help="bring back a ledger from a backup")
    restore.add_argument("backup", type=Path)
    restore.add_argument("--force", action="store_true", help="replace the current ledger")

    commands.add_parser("reindex", help="rebuild the FAISS index from the ledger")

    withdraw = commands.add_parser("withdraw", help="take an article off the desk (audited)")
    withdraw.add_argument("article_id")
    withdraw.add_argument("--reason", required=True)
    withdraw.add_argument("--actor", required=True, help="who withdraws it")

    bench = commands.add_parser("bench", help="measure matching on public benchmark data")
    benchmarks = bench.add_subparsers(dest="benchmark", required=True)
    checkthat = benchmarks.add_parser("checkthat", help="CheckThat! claim retrieval (MAP@5)")
    checkthat.add_argument("--claims", type=Path, required=True, help="fact-checks (JSONL or TSV)")
    checkthat.add_argument("--queries", type=Path, required=True, help="queries TSV")
    checkthat.add_argument("--qrels", type=Path, required=True, help="relevance judgements")
    checkthat.add_argument("--json", action="store_true")
    ans = benchmarks.add_parser("ans", help="Arabic News Stance: same, conflicting, unrelated")
    ans.add_argument("--folder", type=Path, required=True, help="the ANS data folder")
    ans.add_argument("--split", default="dev", choices=["train", "dev"])
    ans.add_argument("--json", action="store_true")
    semeval = benchmarks.add_parser("semeval", help="SemEval-2022 Task 8: same news story")
    semeval.add_argument("--file", type=Path, required=True, help="a CSV with text1, text2...")
    semeval.add_argument("--article", choices=ARTICLE_METHODS, default=ARTICLE_METHODS[0])
    semeval.add_argument("--json", action="store_true")
    calibration = benchmarks.add_parser("calibrate", help="choose the model's match bands")
    calibration.add_argument("--ans", type=Path, required=True, help="the ANS data folder")
    calibration.add_argument("--split", default="train", choices=["train", "dev"])
    calibration.add_argument("--semeval", type=Path, required=True, help="SemEval-2022 T8 CSV")
    for name in ("claims", "queries", "qrels"):  # repeat the three for another language
        calibration.add_argument(
            f"--{name}", type=Path, action="append", required=True, help=f"CheckThat! 2A {name}"
        )
    calibration.add_argument("--json", action="store_true")
    scale = benchmarks.add_parser("scale", help="a ledger of N synthetic claims: speed, memory")
    scale.add_argument("--claims", type=int, required=True)
    scale.add_argument("--embed-limit", type=int, default=20_000, help="claims really embedded")
    scale.add_argument("--json", action="store_true")
    writers = benchmarks.add_parser("writers", help="many processes and threads writing at once")
    writers.add_argument("--processes", type=int, default=4)
    writers.add_argument("--threads", type=int, default=2)
    writers.add_argument("--writes", type=int, default=50, help="verdicts per thread")
    writers.add_argument("--json", action="store_true")
    commands.add_parser("demo", help="load the bundled demo corpus if the ledger is empty")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    try:
        settings = load_settings(home=args.home, model=args.model)
        if args.command == "restore":
            # Opening a Desk would create an empty ledger for the restore to refuse to replace.
            restore_ledger(args.backup, settings.ledger_path, force=args.force)
            print(f"Restored the ledger at {settings.ledger_path} from {args.backup}.")
            return 0
        return COMMANDS[args.command](Desk(settings), args)
    except WorkbenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


@contextmanager
def progress_bar(description: str, unit: str = "B") -> Iterator[ProgressCallback]:
    with tqdm(desc=description, unit=unit, unit_scale=True, file=sys.stderr, leave=False) as bar:

        def update(progress: Progress) -> None:
            bar.total = progress.total or None
            bar.set_postfix(articles=progress.articles, claims=progress.claims, refresh=False)
            bar.update(progress.done - bar.n)

        yield update


def run_ingest(desk: Desk, args: argparse.Namespace) -> int:
    with progress_bar("ingest") as update:
        report = desk.ingest(args.paths, outlet=args.outlet, progress=update)
    for error in report.errors:
        print(f"rejected: {error}", file=sys.stderr)
    print(
        f"{report.added} articles added ({report.claims} claims), "
        f"{report.duplicates} already in the ledger, {len(report.errors)} rejected."
    )
    return 1 if report.errors and not report.added and not report.duplicates else 0


def print_matches(matches: list[Match], as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(m) for m in matches], ensure_ascii=False, default=str, indent=1))
        return
    if not matches:
        print("No near-duplicates found.")
    for m in matches:
        band = f"{m.band} ({m.band_reason})" if m.band_reason else str(m.band)
        about = [m.outlet, m.language, str(m.published)]
        if m.origin:
            about.append(f"origin: {m.origin}")
        agreed = (
            f"  (agreeing figures: {', '.join(m.agreeing_figures)})" if m.agreeing_figures else ""
        )
        print(f"{m.score:.3f}  {band}  {m.claim_id}  [{', '.join(about)}]  {m.text}{agreed}")


def run_match(desk: Desk, args: argparse.Namespace) -> int:
    print_matches(desk.match_text(args.text, args.k, args.language), args.json)
    return 0


def run_similar(desk: Desk, args: argparse.Namespace) -> int:
    print_matches(desk.similar(args.claim_id, args.k), args.json)
    return 0


def run_claims(desk: Desk, args: argparse.Namespace) -> int:
    frame = desk.claims(args.article)
    if args.json:
        records: list[dict[str, Any]] = frame.to_dict(orient="records")
        described = desk.describe_claims([str(r["claim_id"]) for r in records])
        records = [{**record, **described[str(record["claim_id"])]} for record in records]
        print(json.dumps(records, ensure_ascii=False, default=str, indent=1))
    else:
        for row in frame.itertuples():
            print(f"{row.claim_id}  [{row.outlet}, {row.language}]  {row.text}")
    return 0


def run_verdict(desk: Desk, args: argparse.Namespace) -> int:
    verdict = record_verdict(
        desk.ledger,
        args.claim_id,
        VerdictLabel(args.label),
        args.reviewer,
        args.note,
        args.evidence,
    )
    print(f"Recorded {verdict.label} on {verdict.claim_id} by {verdict.reviewer}.")
    return 0


def run_export(desk: Desk, args: argparse.Namespace) -> int:
    if args.format == "claimreview":
        rows = export_claimreview(desk.ledger, args.path)
    elif args.history:
        rows = export_history_csv(desk.ledger, args.path)
    else:
        rows = export_csv(desk.ledger, args.path)
    print(f"Wrote {rows} verdicts to {args.path}.")
    return 0


def run_backup(desk: Desk, args: argparse.Namespace) -> int:
    folder = backup_ledger(desk.ledger, args.folder, keep=args.keep)
    print(f"Backed up the ledger to {folder}.")
    return 0


def run_reindex(desk: Desk, args: argparse.Namespace) -> int:
    with progress_bar("reindex", unit="claims") as update:
        count = desk.reindex(progress=update)
    print(f"Indexed {count} claims with {desk.encoder.name}.")
    return 0


def run_withdraw(desk: Desk, args: argparse.Namespace) -> int:
    claims = desk.withdraw_article(args.article_id, args.actor, args.reason)
    print(f"Withdrew article {args.article_id} and its {claims} claims.")
    return 0


def run_bench(desk: Desk, args: argparse.Namespace) -> int:
    if args.benchmark == "writers":
        result = run_writers(desk.ledger, args.processes, args.threads, args.writes)
    elif args.benchmark == "ans":
        result = bench_ans(desk.encoder, args.folder, args.split)
    elif args.benchmark == "semeval":
        result = bench_semeval(desk.encoder, args.file, args.article)
    elif args.benchmark == "calibrate":
        if not len(args.claims) == len(args.queries) == len(args.qrels):
            raise WorkbenchError("Give --claims, --queries and --qrels the same number of times.")
        checkthat = list(zip(args.claims, args.queries, args.qrels, strict=True))
        result = calibrate(desk.encoder, args.ans, args.semeval, checkthat, args.split)
    elif args.benchmark == "scale":
        result = bench_scale(desk.settings, args.claims, args.embed_limit)
    else:
        result = bench_checkthat(desk.settings, args.claims, args.queries, args.qrels)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}  {value}")
    return 0


def run_demo(desk: Desk, args: argparse.Namespace) -> int:
    if desk.ledger.count_claims():
        print("The ledger already holds claims; the demo corpus was not loaded.")
        return 0
    args.paths, args.outlet = [DEMO], None
    return run_ingest(desk, args)


COMMANDS = {
    "ingest": run_ingest,
    "match": run_match,
    "similar": run_similar,
    "claims": run_claims,
    "verdict": run_verdict,
    "export": run_export,
    "reindex": run_reindex,
    "withdraw": run_withdraw,
    "demo": run_demo,
    "bench": run_bench,
    "backup": run_backup,
}
