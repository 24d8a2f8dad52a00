"""Kill each analysis at random moments (SIGKILL), run it again, and compare the store with the one
an uninterrupted run of that stage left: what a kill leaves must be completed to exactly the same
result.

The corpus: the seeds, realnews' export and its catalogue (../shared), and BBC stories, so that
each stage runs for seconds and a kill lands inside its batches. The stages run as a user runs
them: `ingest`, `reuse`, `narratives`, `claims`.

    python -m bench.reliability.crash [--kills 20] [--bbc 2000] [--seed 7] [--stages narratives,claims]

Target: every killed run, completed, equal to the uninterrupted one (80 of 80 at 20 kills).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import BBC, REPO, SHARED, save

REALNEWS = SHARED / "corpus" / "realnews"
SEEDS = REPO / "examples" / "seeds"
STAGES = ("ingest", "reuse", "narratives", "claims")


def command(db: Path, stage: str, corpus: Path) -> list[str]:
    base = [sys.executable, "-m", "narratrace", "--db", str(db)]
    if stage == "ingest":
        return [*base, "ingest", str(corpus)]
    return [*base, stage, "--json"]


def prepare(folder: Path, bbc: int) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    shutil.copytree(SEEDS, corpus / "seeds")
    shutil.copy(REALNEWS / "export.jsonl", corpus / "realnews.jsonl")
    with BBC.open() as source, (corpus / "bbc.jsonl").open("w") as out:
        for i, line in zip(range(bbc), source, strict=False):
            row = json.loads(line)
            row["text"] = row["text"].rstrip() + f"\n\nReference number {i} of this collection."
            out.write(json.dumps(row) + "\n")
    return corpus


def snapshot(db: Path) -> dict[str, object]:
    """What the analyses stored, in a form two stores can be compared by."""
    with sqlite3.connect(db) as c:
        return {
            "articles": sorted(r[0] for r in c.execute("SELECT id FROM articles")),
            "pairs": sorted(c.execute("SELECT a, b, kind, stock FROM reuse_pairs").fetchall()),
            "matches": sorted(
                c.execute(
                    "SELECT article, entry, status, via FROM narrative_matches WHERE entry IS NOT NULL"
                ).fetchall()
            ),
            "claims": sorted(c.execute("SELECT article, COUNT(*) FROM claims GROUP BY article").fetchall()),
        }


def run(db: Path, stages: tuple[str, ...], corpus: Path) -> dict[str, float]:
    seconds = {}
    for stage in stages:
        started = time.perf_counter()
        subprocess.run(command(db, stage, corpus), capture_output=True, check=False)
        seconds[stage] = time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per stage")
    parser.add_argument("--bbc", type=int, default=2000, help="BBC stories added to the corpus")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--stages", default=",".join(STAGES), help="the stages to kill, comma-separated (all run)"
    )
    args = parser.parse_args()
    killed = tuple(s for s in STAGES if s in args.stages.split(","))
    if unknown := set(args.stages.split(",")) - set(STAGES):
        sys.exit(f"--stages: unknown stage(s) {', '.join(sorted(unknown))}; known: {', '.join(STAGES)}")
    if not REALNEWS.exists() or not BBC.exists():
        sys.exit(f"skipped: the corpora are not at {REALNEWS} and {BBC}")
    chance = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        corpus = prepare(folder, args.bbc)
        whole = folder / "whole.db"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "narratrace",
                "--db",
                str(whole),
                "catalogue",
                "import",
                str(REALNEWS / "catalogue.csv"),
            ],
            capture_output=True,
            check=True,
        )
        # the store before each stage, made once: a killed run starts from the one before its stage
        before: dict[str, Path] = {}
        seconds: dict[str, float] = {}
        after: dict[str, dict[str, object]] = {}  # the store after each uninterrupted stage
        for stage in STAGES:
            before[stage] = folder / f"before-{stage}.db"
            shutil.copy(whole, before[stage])
            seconds |= run(whole, (stage,), corpus)
            after[stage] = snapshot(whole)
        print(f"uninterrupted: {json.dumps({k: round(v, 1) for k, v in seconds.items()})}", flush=True)
        result: dict[str, object] = {"uninterrupted_s": {k: round(v, 1) for k, v in seconds.items()}}
        equal_total = 0
        for stage in killed:
            equal = 0
            for kill in range(args.kills):
                db = folder / f"{stage}-{kill}.db"
                shutil.copy(before[stage], db)
                at = chance.uniform(0.05, 0.95) * seconds[stage]
                process = subprocess.Popen(
                    command(db, stage, corpus), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
                try:
                    process.wait(timeout=at)
                except subprocess.TimeoutExpired:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                # the killed stage again: the store must be the one its uninterrupted run left (the
                # stages after read nothing else, so they give the same results from it)
                run(db, (stage,), corpus)
                same = snapshot(db) == after[stage]
                equal += same
                print(f"{stage} killed at {at:.1f} s: {'equal' if same else 'DIFFERENT'}", flush=True)
                db.unlink()
            result[stage] = f"{equal} of {args.kills}"
            equal_total += equal
        result["equal"] = f"{equal_total} of {args.kills * len(killed)}"
    print(json.dumps(result))
    print(f"saved to {save('crash', result)}")


if __name__ == "__main__":
    main()
