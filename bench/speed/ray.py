"""`reuse`, `narratives` and `claims` through the local engine and through Ray on this machine,
from the same store in one run.

The corpus is bench/speed/reuse.py's: news-like text drawn from a bigram model of the BBC corpus,
distinct at any size. For each size the articles are ingested once; the store is copied, and
`narratrace reuse` runs on one copy, `narratrace --engine ray reuse` on the other (a local Ray
started by the command, as a user without a cluster gets it; its start is part of its time);
then the same for `narratives` (against the example catalogue, imported into the store before it
is copied) and for `claims` (asked for one article's claims, so that the timed command extracts
every article's and prints little). Reported: wall time, peak memory of each command's process
tree (the Ray processes it starts included) and, for Ray, of each worker process, the ratio,
and whether the two stores hold the same results (a digest of every column of the pairs; of the
matches, members' ledes and join candidates; of the claims, citations and entities).

Target (issue 23): Ray's time on one machine at most 1.5 times the local engine's.

    python -m bench.speed.ray [--sizes 20000 100000] [--analyses reuse narratives claims] [--base DIR]

`--base DIR` keeps each size's ingested store (with the example catalogue) in DIR, or uses the one
there: a 1M-article store takes about 13 minutes to make and 6.4 GB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

from bench.common import REPO, bbc_rows, median, run_measured, run_measured_processes, save
from bench.speed.reuse import bigram_model, generate

TARGET_RATIO = 1.5


# per analysis: the tables and columns its results are, in a stable order
RESULTS = {
    "reuse": [
        "SELECT a, b, kind, coverage_a, coverage_b, direction, reason, stock, stock_reason, passages, "
        "syndicated FROM reuse_pairs ORDER BY a, b"
    ],
    "narratives": [
        "SELECT article, entry, score, sentence, fact_check, via, probability, status FROM narrative_matches "
        "ORDER BY article",
        "SELECT article, sentences, vectors FROM member_ledes ORDER BY article",
        "SELECT article, sentences, vectors, headline FROM join_candidates ORDER BY article",
    ],
    "claims": [
        "SELECT article, position, start, end, text FROM claims ORDER BY article, position",
        "SELECT article, claim, position, source, kind, via, canonical, mention, eyewitness FROM citations "
        "ORDER BY article, claim, position",
        "SELECT article, start, end, text, canonical, type FROM entities "
        "ORDER BY article, start, end, canonical",
    ],
}


def digest(db: Path, analysis: str) -> tuple[int, str]:
    """How many results (pairs; claims) a store holds, and a digest of all their columns."""
    found = hashlib.sha1()
    counted = 0
    with closing(sqlite3.connect(db)) as connection:
        for n, query in enumerate(RESULTS[analysis]):
            rows = connection.execute(query).fetchall()
            counted = counted if n else len(rows)
            found.update(repr(rows).encode())
    return counted, found.hexdigest()[:16]


def by_role(processes: dict[int, tuple[str, float]]) -> dict[str, object]:
    """A Ray command's processes by what they are, each with its own peak PSS: the command
    itself (the driver), the Ray workers that ran tasks ("ray::<task>": how many, the largest and
    the median peak), and the rest of Ray (its control store, raylet, idle workers: the sum of
    their peaks)."""
    driver = [mb for name, mb in processes.values() if " -m narratrace " in name]
    workers = [mb for name, mb in processes.values() if name.startswith("ray::") and "IDLE" not in name]
    return {
        "driver_mb": round(max(driver, default=0.0)),
        "workers": len(workers),
        "worker_peak_mb_max": round(max(workers, default=0.0)),
        "worker_peak_mb_median": round(median(workers)) if workers else 0,
        "rest_of_ray_mb": round(sum(mb for _, mb in processes.values()) - sum(driver) - sum(workers)),
    }


def _prepare(model: Any, size: int, export: Path, base: Path) -> float:
    """`size` generated articles written to `export` and ingested into `base`; the seconds taken."""
    with export.open("w") as out:
        for n, text in enumerate(generate(size, model, seed=size)):
            out.write(json.dumps({"url": f"https://news.example/{n}", "text": text}) + "\n")
    base.parent.mkdir(parents=True, exist_ok=True)
    seconds, _, code = run_measured(
        [sys.executable, "-m", "narratrace", "--db", str(base), "ingest", str(export)]
    )
    if code not in (0, 1):  # 1: some lines refused (said on stderr), the others stored
        sys.exit(f"ingest of {size:,} articles failed")
    export.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument(
        "--analyses", nargs="+", choices=sorted(RESULTS), default=sorted(RESULTS, reverse=True)
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--base", type=Path, help="keep each size's ingested store in this folder, or use the one there"
    )
    args = parser.parse_args()
    model = bigram_model(bbc_rows())
    narratrace = [sys.executable, "-m", "narratrace"]
    result: dict[str, object] = {"target_ratio": TARGET_RATIO}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            base = args.base / f"ray-{size}.db" if args.base else root / "base.db"
            ingest_s = 0.0
            if not base.exists():
                ingest_s = _prepare(model, size, root / "corpus.jsonl", base)
            # closed at once: an open connection would keep what the commands below write in the
            # store's write-ahead log, which copying the store's file leaves behind
            with closing(sqlite3.connect(base)) as connection:
                stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                first = connection.execute("SELECT id FROM articles ORDER BY seq LIMIT 1").fetchone()[0]
            figures: dict[str, object] = {"ingest_s": round(ingest_s, 1), "articles": stored}
            catalogue = [
                *narratrace,
                "--db",
                str(base),
                "catalogue",
                "import",
                str(REPO / "examples" / "catalogue.csv"),
            ]
            if run_measured(catalogue)[2] != 0:  # unchanged entries: a store kept in --base takes no time
                sys.exit("the example catalogue did not import")
            command = {"reuse": ["reuse"], "narratives": ["narratives"], "claims": ["claims", first]}
            # `narratives` brings the pairs up to date first: its copies start from a store whose
            # pairs are stored (the local run's; Ray's are the same), so that it times its own work
            compared = root / "compared.db"
            if "narratives" in args.analyses:
                shutil.copy(base, compared)
                if run_measured([*narratrace, "--db", str(compared), "reuse"])[2]:
                    sys.exit("reuse failed")
            for analysis in args.analyses:
                figures[analysis] = measured = {}
                for name, engine in (
                    ("local", []),
                    ("ray", ["--engine", "ray", "--work", str(root / "work")]),
                ):
                    db = root / f"{name}-{analysis}.db"
                    shutil.copy(compared if analysis == "narratives" else base, db)
                    seconds, peak_mb, code, processes = run_measured_processes(
                        [*narratrace, "--db", str(db), *engine, *command[analysis]]
                    )
                    results, fingerprint = digest(db, analysis)
                    for made in db.parent.glob(db.name + "*"):  # at 1M a store is ~10 GB: one at a time
                        made.unlink()
                    stages = root / "work" / analysis / "stages.json"
                    measured[name] = {
                        "seconds": round(seconds, 1),
                        "peak_mb": round(peak_mb),
                        **({"processes": by_role(processes)} if name == "ray" else {}),
                        "exit": code,
                        "results": results,
                        "digest": fingerprint,
                        **(
                            {"stages": json.loads(stages.read_text())}
                            if name == "ray" and stages.exists()
                            else {}
                        ),
                    }
                local, ray = measured["local"], measured["ray"]
                measured["ratio"] = round(ray["seconds"] / max(local["seconds"], 1e-9), 2)
                measured["same_results"] = local["digest"] == ray["digest"]
                print(f"  {size:,} articles, {analysis}: {measured}", flush=True)
            result[f"{size}"] = figures
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(f"saved to {save('ray', result)}")


if __name__ == "__main__":
    main()
