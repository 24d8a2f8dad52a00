"""`catalogue import` of the two public EUvsDisinfo scrapes in ../shared/corpus/euvsdisinfo, as
published: time, entries, values not read and the narratives (claims) they form, then the time of
importing them again unchanged, and of
the first `match` after the import and a second one (the first makes the entries' English vectors,
which an import no longer does), then the `match` of a whole article (the Sputnik seed: judged
against its closest entries, which first works out how generic each entry sentence is and keeps
it in the store) and that match again (which reads it).

`--code DIR` times another checkout (a `git worktree` of an older commit) on the same files in
the same run; a checkout that cannot read a file says so (the figure is its error).

    python -m bench.speed.catalogue_import [--code DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import SHARED, save

SCRAPES = SHARED / "corpus" / "euvsdisinfo"
FILES = ("cknabs-posts.csv", "kalkun-full_dataset.csv")


QUERY = "US helicopters evacuated ISIS commanders from Deir ez-Zor"
ARTICLE = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "000_64c977559763afd0.txt"


def import_once(db: Path, path: Path, code: Path | None) -> tuple[float, int, str]:
    """Seconds, exit code and the command's last line of output (its JSON summary)."""
    return timed(
        [sys.executable, "-m", "narratrace", "--db", str(db), "catalogue", "import", "--json", str(path)],
        code,
    )


def summary(said: str) -> dict[str, object]:
    """Entries and values not read, from the import's JSON summary (empty if it printed none)."""
    try:
        found = json.loads(said)
    except json.JSONDecodeError:
        return {}
    return {
        "entries": found.get("entries"),
        "values_not_read": sum(found.get("values_not_read", {}).values()),
    }


def narratives_formed(db: Path) -> int | None:
    """Claims the entries form (cases of one claim are one narrative); None for code without them."""
    try:
        with sqlite3.connect(db) as connection:
            return int(
                connection.execute("SELECT COUNT(DISTINCT COALESCE(anchor, id)) FROM catalogue").fetchone()[0]
            )
    except sqlite3.Error:
        return None


def match_once(db: Path, code: Path | None, article: bool = False) -> tuple[float, int, str]:
    asked = [str(ARTICLE)] if article else ["--text", QUERY]
    return timed([sys.executable, "-m", "narratrace", "--db", str(db), "match", "--json", *asked], code)


def timed(command: list[str], code: Path | None) -> tuple[float, int, str]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code / "src")
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if done.stdout.strip().startswith("{"):  # a JSON answer, whole
        return elapsed, done.returncode, done.stdout.strip()
    said = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return elapsed, done.returncode, said[-1][:300] if said else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="another checkout to time beside this one")
    args = parser.parse_args()
    if not SCRAPES.exists():
        sys.exit(f"skipped: the EUvsDisinfo scrapes are not at {SCRAPES}")
    result: dict[str, object] = {}
    for name, code in (("this checkout", None), (f"{args.code}", args.code)):
        if name != "this checkout" and code is None:
            continue
        for file in FILES:
            with tempfile.TemporaryDirectory() as folder:
                db = Path(folder) / "c.db"
                first = import_once(db, SCRAPES / file, code)
                formed = narratives_formed(db)
                again = import_once(db, SCRAPES / file, code)
                matches = [match_once(db, code) for _ in range(2)]
                article = match_once(db, code, article=True)
                article_again = match_once(db, code, article=True)
            key = f"{name}: {file}"
            result[key] = {
                "first_s": round(first[0], 1),
                "exit": first[1],
                **summary(first[2]),
                "narratives_formed": formed,
                "again_s": round(again[0], 1),
                "first_match_s": round(matches[0][0], 1),
                "second_match_s": round(matches[1][0], 1),
                "article_match_s": round(article[0], 1),
                "article_again_s": round(article_again[0], 1),
                "match_exit": max(m[1] for m in [*matches, article, article_again]),
            }
            print(key, json.dumps(result[key]), flush=True)
    print(f"saved to {save('catalogue_import', result)}")


if __name__ == "__main__":
    main()
