"""Claim retrieval through the CLI: CheckThat! 2022 2A as a user would run it.

The 14,231 verified claims are written as ClaimReview JSON-LD (or, with --csv, as an
EUvsDisinfo-style CSV) and imported with `narratrace catalogue import`; the 209 test tweets are
written as one JSONL file and given to `narratrace match --json -k 5`. MAP@5 of what the command
prints, and how many tweets got an answer row (every one must).

    python -m bench.quality.checkthat_cli [--csv] [--db DB]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import save
from bench.data.checkthat import Gold, Queries, load_2022, map_at_5
from narratrace.model import CatalogueEntry

NARRATRACE = str(Path(sys.executable).with_name("narratrace"))
URL = "https://checkthat.invalid/vclaim/"  # ClaimReview needs an address; the claim's id follows


def write_claimreviews(entries: list[CatalogueEntry], path: Path) -> None:
    reviews = [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": URL + e.id,
            "name": e.title,
            "claimReviewed": e.claim,
            "description": e.summary,
        }
        for e in entries
    ]
    path.write_text(json.dumps(reviews, ensure_ascii=False))


def write_csv(entries: list[CatalogueEntry], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "claim", "summary"])
        writer.writerows([URL + e.id, e.title or e.claim, e.claim, e.summary] for e in entries)


def write_posts(queries: Queries, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"id": q, "text": t}, ensure_ascii=False) + "\n" for q, t in queries)


def cli_rankings(db: Path, posts: Path, queries: Queries) -> tuple[list[list[str]], list[list[str]], int]:
    """Each tweet's ranked claim ids as `match --json` prints them (a row's entry), the same with
    each row's other cases of its claim after it (cases.py: a claim is given once), and how many
    rows it printed."""
    done = subprocess.run(
        [NARRATRACE, "--db", str(db), "match", "--json", "-k", "5", str(posts)],
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"match failed: {done.stderr[-2000:]}")
    rows = json.loads(done.stdout)
    by_line = {int(row["input"].rsplit(":", 1)[1]): row for row in rows}
    rankings, with_cases = [], []
    for line in range(1, len(queries) + 1):
        row = by_line.get(line, {"matches": []})
        found = [m for m in row["matches"] if m["kind"] == "catalogue"]
        rankings.append([m["id"].removeprefix(URL) for m in found])
        with_cases.append([c.removeprefix(URL) for m in found for c in m.get("cases") or [m["id"]]])
    return rankings, with_cases, len(rows)


def run(as_csv: bool, db: Path | None) -> dict[str, object]:
    entries, queries, gold = load_2022()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store = db or work / "checkthat.db"
        imported_s = 0.0
        if db is None or not db.exists():
            catalogue = work / ("claims.csv" if as_csv else "claims.json")
            (write_csv if as_csv else write_claimreviews)(entries, catalogue)
            started = time.perf_counter()
            subprocess.run(
                [NARRATRACE, "--db", str(store), "catalogue", "import", str(catalogue)], check=True
            )
            imported_s = time.perf_counter() - started
        posts = work / "posts.jsonl"
        write_posts(queries, posts)
        rankings, with_cases, answered = cli_rankings(store, posts, queries)
    figures = _figures(rankings, answered, queries, gold, "csv" if as_csv else "claimreview", imported_s)
    figures["map_at_5_with_cases"] = round(map_at_5([r[:5] for r in with_cases], queries, gold), 4)
    return figures


def _figures(
    rankings: list[list[str]], answered: int, queries: Queries, gold: Gold, shape: str, imported_s: float
) -> dict[str, object]:
    return {
        "catalogue": shape,
        "map_at_5": round(map_at_5(rankings, queries, gold), 4),
        "answered": f"{answered} of {len(queries)}",
        "with_a_match": sum(bool(r) for r in rankings),
        "import_seconds": round(imported_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", action="store_true", help="import the claims as an EUvsDisinfo-style CSV")
    parser.add_argument("--db", type=Path, help="a store to import into once and reuse")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = run(args.csv, args.db)
    print(json.dumps(result))
    print(f"saved to {save('checkthat_cli' + ('_csv' if args.csv else ''), result)}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
