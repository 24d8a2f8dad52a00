"""`reuse` through the local engine and through Ray on this machine, from the same store in one run.

The corpus is bench/speed/reuse.py's: news-like text drawn from a bigram model of the BBC corpus,
distinct at any size. For each size the articles are ingested once; the store is copied, and
`narratrace reuse` runs on one copy, `narratrace --engine ray reuse` on the other (a local Ray
started by the command, as a user without a cluster gets it; its start is part of its time).
Reported: wall time, peak memory of each command's process tree (the Ray processes it starts
included), the ratio, and whether the two stores hold the same pairs (a digest of every column).

Target (issue 23): Ray's time on one machine at most 1.5 times the local engine's.

    python -m bench.speed.ray [--sizes 20000 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.common import bbc_rows, run_measured, save
from bench.speed.reuse import bigram_model, generate

TARGET_RATIO = 1.5


def digest(db: Path) -> tuple[int, str]:
    """How many pairs a store holds, and a digest of all their columns."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT a, b, kind, coverage_a, coverage_b, direction, reason, stock, stock_reason, passages, "
            "syndicated FROM reuse_pairs ORDER BY a, b"
        ).fetchall()
    return len(rows), hashlib.sha1(repr(rows).encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    model = bigram_model(bbc_rows())
    narratrace = [sys.executable, "-m", "narratrace"]
    result: dict[str, object] = {"target_ratio": TARGET_RATIO}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            export = root / "corpus.jsonl"
            with export.open("w") as out:
                for n, text in enumerate(generate(size, model, seed=size)):
                    out.write(json.dumps({"url": f"https://news.example/{n}", "text": text}) + "\n")
            base = root / "base.db"
            ingest_s, _, code = run_measured([*narratrace, "--db", str(base), "ingest", str(export)])
            if code not in (0, 1):  # 1: some lines refused (said on stderr), the others stored
                sys.exit(f"ingest of {size:,} articles failed")
            with sqlite3.connect(base) as connection:
                stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            figures: dict[str, object] = {"ingest_s": round(ingest_s, 1), "articles": stored}
            for name, engine in (("local", []), ("ray", ["--engine", "ray", "--work", str(root / "work")])):
                db = root / f"{name}.db"
                shutil.copy(base, db)
                seconds, peak_mb, code = run_measured([*narratrace, "--db", str(db), *engine, "reuse"])
                pairs, fingerprint = digest(db)
                stages = root / "work" / "stages.json"
                figures[name] = {
                    "seconds": round(seconds, 1),
                    "peak_mb": round(peak_mb),
                    "exit": code,
                    "pairs": pairs,
                    "digest": fingerprint,
                    **(
                        {"stages": json.loads(stages.read_text())}
                        if name == "ray" and stages.exists()
                        else {}
                    ),
                }
            local, ray = figures["local"], figures["ray"]
            assert isinstance(local, dict) and isinstance(ray, dict)
            figures["ratio"] = round(ray["seconds"] / max(local["seconds"], 1e-9), 2)
            figures["same_pairs"] = local["digest"] == ray["digest"]
            result[f"{size}"] = figures
            print(f"  {size:,} articles: {figures}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(f"saved to {save('ray', result)}")


if __name__ == "__main__":
    main()
