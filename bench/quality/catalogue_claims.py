"""How many narratives the two public EUvsDisinfo scrapes make once cases of one claim are one
narrative (narratives/cases.py), through `catalogue import` as a user runs it.

Prints the entries stored, the narratives (claims) they make, how the cases of a claim were
linked (the same title, a title cut short, other words), whether the four Deir Ezzor cases are
one narrative, and a seeded sample of claims linked by other words, for checking by hand.

    python -m bench.quality.catalogue_claims [--db DB] [--sample N] [--seed S]

`--db` reuses a store the scrapes were imported into (importing them there if it is new).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.common import SHARED, save
from narratrace.narratives.cases import title_key

SCRAPES = SHARED / "corpus" / "euvsdisinfo"
FILES = ("kalkun-full_dataset.csv", "cknabs-posts.csv")
DEIR_EZZOR = "u s evacuated isis leaders and field commanders from the syrian city of deir ezzor"


def import_scrapes(db: Path) -> float:
    command = [sys.executable, "-m", "narratrace", "--db", str(db), "catalogue", "import", "--json"]
    started = time.perf_counter()
    subprocess.run(command + [str(SCRAPES / f) for f in FILES], check=True, capture_output=True)
    return time.perf_counter() - started


def by_wording(titles: list[str]) -> bool:
    """Whether a claim's cases differ by more than case, punctuation or a title cut short."""
    keys = sorted({title_key(t) for t in titles})
    whole = [k for k in keys if not any(o != k and o.startswith(k) for o in keys)]
    return len(whole) > 1


def measure(db: Path, sample: int, seed: int) -> dict[str, object]:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT id, anchor, title FROM catalogue ORDER BY rowid")
        for entry, anchor, title in rows:
            groups[anchor or entry].append((entry, title))
    several = {a: c for a, c in groups.items() if len(c) > 1}
    worded = sorted(a for a, c in several.items() if by_wording([t for _, t in c]))
    deir = {a for a, c in groups.items() for _, t in c if title_key(t) == DEIR_EZZOR}
    chosen = random.Random(seed).sample(worded, min(sample, len(worded)))
    return {
        "entries": sum(len(c) for c in groups.values()),
        "narratives": len(groups),
        "narratives_of_several_cases": len(several),
        "of_which_linked_by_other_words": len(worded),
        "largest": max(len(c) for c in groups.values()),
        "deir_ezzor_cases": sum(title_key(t) == DEIR_EZZOR for c in groups.values() for _, t in c),
        "deir_ezzor_narratives": len(deir),
        "sample": {a: sorted({t for _, t in groups[a]}) for a in chosen},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store to reuse")
    parser.add_argument("--sample", type=int, default=30, help="claims linked by other words to print")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not SCRAPES.exists():
        sys.exit(f"skipped: the EUvsDisinfo scrapes are not at {SCRAPES}")
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "catalogue.db"
        seconds = import_scrapes(db) if not db.exists() else None
        result = measure(db, args.sample, args.seed)
    result["import_s"] = None if seconds is None else round(seconds, 1)
    for key, value in result.items():
        if key != "sample":
            print(f"{key}: {value}")
    for anchor, titles in result["sample"].items():  # type: ignore[attr-defined]
        print(f"\n{anchor}")
        for title in titles:
            print(f"   {title[:160]}")
    print(f"saved to {save('catalogue_claims', result)}")


if __name__ == "__main__":
    main()
