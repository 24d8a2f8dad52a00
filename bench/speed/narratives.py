"""Narrative grouping speed: `narratrace narratives` over N stored articles, with memory.

The store holds the five seeds, N BBC articles and the example catalogue; reuse has run, so the
timed command does the matching and the grouping: every article is matched against the catalogue
once, then narratives are built. Past the 2,225 real articles, each further one is a BBC article
with every fourth word swapped for a random word of the corpus: as long and as many sentences as
a real one, but no longer a copy, so reuse stores no million copy pairs that a real corpus would
not have. Median of --repeat runs, each on a fresh copy of the database.

    .venv/bin/python -m bench.speed.narratives [--n 10000] [--repeat 3] [--base DB] [--code DIR] [--discover]

`--discover` then runs `narratives --discover` twice on the same database, after the timed run:
the matching is done, so the first time is what discovery adds (every article's lede encoded,
the close pairs searched), the second what it costs once those ledes are kept. The articles are
undated and of one outlet, so no candidate forms, but the whole search is made (the pairs of one
outlet are dropped only once found).

`--base DB` keeps the prepared database (ingested, reuse run) at DB, or uses it if it is there,
so that another checkout can be timed on the same articles: `--code DIR` runs the `narratrace`
of the source tree DIR (for example a `git worktree` of an older commit) instead of this one.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import REPO, median, numbered_articles, run_measured, save

EXE = [sys.executable, "-m", "narratrace"]
TARGET_SECONDS_100K = 600.0


def _scrambled(text: str, vocabulary: list[str], rng: random.Random) -> str:
    """Every fourth word replaced, line breaks kept: no word 5-gram survives."""
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        lines.append(" ".join(rng.choice(vocabulary) if i % 4 == 3 else w for i, w in enumerate(words)))
    return "\n".join(lines)


def _prepare(base: Path, work: Path, n: int) -> None:
    """The seeds, `n` BBC-length articles and the example catalogue, stored, with reuse run."""
    source = work / "articles.jsonl"
    rng = random.Random(5)
    rows = [row for _, row in numbered_articles(n)]
    vocabulary = sorted({w for row in rows[:2225] for w in row["text"].split()})
    with source.open("w") as out:
        for i, row in enumerate(rows):
            text = row["text"] if i < 2225 else _scrambled(row["text"], vocabulary, rng)
            out.write(json.dumps({"title": row["title"], "text": text, "outlet": "BBC"}) + "\n")
    for step in (
        ["catalogue", "import", str(REPO / "examples" / "catalogue.csv")],
        ["ingest", str(REPO / "examples" / "seeds"), str(source)],
        ["reuse", "--json"],
    ):
        subprocess.run([*EXE, "--db", str(base), *step], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", type=Path, help="keep the prepared database here, or reuse it")
    parser.add_argument("--code", type=Path, help="time the narratrace of this source tree")
    parser.add_argument("--discover", action="store_true", help="also time `narratives --discover` after it")
    args = parser.parse_args()
    env = None if args.code is None else {"PYTHONPATH": str(args.code.resolve() / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = args.base or work / "base.db"
        if not base.exists():
            _prepare(base, work, args.n)
        times, peaks, discovery, discovery_peaks = [], [], [], []
        for attempt in range(args.repeat):
            db = work / f"run{attempt}.db"
            shutil.copy(base, db)
            seconds, peak, code = run_measured([*EXE, "--db", str(db), "narratives", "--json"], env)
            if code != 0:
                sys.exit("narratives failed")
            times.append(seconds)
            peaks.append(peak)
            if args.discover:
                for _ in range(2):  # the second run finds the ledes the first one kept
                    seconds, peak, code = run_measured(
                        [*EXE, "--db", str(db), "narratives", "--discover", "--json"], env
                    )
                    if code != 0:
                        sys.exit("narratives --discover failed")
                    discovery.append(seconds)
                    discovery_peaks.append(peak)
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
    result = {"articles": total, "seconds": seconds, "articles_per_s": rate, "peak_mb": max(peaks)}
    if discovery:
        first, again = median(discovery[::2]), median(discovery[1::2])
        result |= {
            "discover_seconds": first,
            "discover_again_seconds": again,
            "discover_peak_mb": max(discovery_peaks),
        }
        print(
            f"then narratives --discover: {first:,.1f} s, and run again {again:,.1f} s "
            f"(medians of {args.repeat}), peak {max(discovery_peaks):,.0f} MB"
        )
    save("narratives_speed" + ("_discover" if discovery else ""), result)


if __name__ == "__main__":
    main()
