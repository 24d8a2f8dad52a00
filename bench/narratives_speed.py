"""Narrative grouping speed: `narratrace narratives` over N stored articles, with memory.

The store holds the five seeds and N distinct BBC articles (numbered copies past 2,225) and the
example catalogue; reuse has run, so the timed command does the matching and the grouping: every
article is matched against the catalogue once, then narratives are built. Median of --repeat
runs, each on a fresh copy of the database.

    .venv/bin/python -m bench.narratives_speed [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import REPO, median, numbered_articles, run_measured, save

EXE = [sys.executable, "-m", "narratrace"]
TARGET_SECONDS_100K = 600.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "articles.jsonl"
        with source.open("w") as out:
            for _, row in numbered_articles(args.n):
                out.write(json.dumps({"title": row["title"], "text": row["text"], "outlet": "BBC"}) + "\n")
        base = work / "base.db"
        for step in (
            ["catalogue", "import", str(REPO / "examples" / "catalogue.csv")],
            ["ingest", str(REPO / "examples" / "seeds"), str(source)],
            ["reuse", "--json"],
        ):
            subprocess.run([*EXE, "--db", str(base), *step], check=True, capture_output=True)
        times, peaks = [], []
        for attempt in range(args.repeat):
            db = work / f"run{attempt}.db"
            shutil.copy(base, db)
            seconds, peak, code = run_measured([*EXE, "--db", str(db), "narratives", "--json"])
            if code != 0:
                sys.exit("narratives failed")
            times.append(seconds)
            peaks.append(peak)
            db.unlink()
    seconds = median(times)
    total = args.n + 5
    rate = total / seconds
    print(
        f"narratives over {total:,} articles: {seconds:,.1f} s (median of {args.repeat}), {rate:,.0f} per s"
    )
    print(
        f"peak {max(peaks):,.0f} MB; 100,000 articles at this rate: {100_000 / rate / 60:,.1f} min "
        f"(target <= {TARGET_SECONDS_100K / 60:.0f} min)"
    )
    save(
        "narratives_speed",
        {"articles": total, "seconds": seconds, "articles_per_s": rate, "peak_mb": max(peaks)},
    )


if __name__ == "__main__":
    main()
