"""../shared/corpus/realnews: 295 real article openings of 9 narratives, labelled, and one real
catalogue case per narrative. What the decision model is fitted on and judged by."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import SHARED

REALNEWS = SHARED / "corpus" / "realnews"
ARTICLES = REALNEWS / "articles.jsonl"
EXPORT = REALNEWS / "export.jsonl"
CATALOGUE = REALNEWS / "catalogue.csv"
NO_NARRATIVE = "none"  # the fold name of news that touches no narrative's claim
# News that touches no narrative is spread over the narratives' folds by a hash of its address,
# so that every article is scored once, by a model that never saw it.
NEWS_FOLDS = 9


@dataclass(slots=True, frozen=True)
class Labelled:
    """One article's labels, keyed by its line in export.jsonl (1-based, as the store's source)."""

    line: int
    url: str
    language: str
    narrative: str | None
    role: str  # "pushes", "debunk" or "neutral_news"
    copy_group: str | None

    def pushes(self, narrative: str | None) -> bool:
        """Whether the article pushes `narrative` (a catalogue entry's id is its narrative's)."""
        return self.role == "pushes" and self.narrative == narrative


def available() -> bool:
    return ARTICLES.exists() and EXPORT.exists() and CATALOGUE.exists()


def require() -> None:
    if not available():
        sys.exit(
            f"skipped: the realnews corpus is not at {REALNEWS} (it lives in ../shared beside the checkout)"
        )


def labelled() -> list[Labelled]:
    rows = [json.loads(line) for line in ARTICLES.open()]
    return [
        Labelled(i + 1, r["url"], r["language"], r["narrative"], r["role"], r["copy_group"])
        for i, r in enumerate(rows)
    ]


def catalogued() -> set[str]:
    """The narratives catalogue.csv has an entry for (its ids are the narratives')."""
    with CATALOGUE.open(newline="") as handle:
        return {row["id"] for row in csv.DictReader(handle)}


def narratives() -> list[str]:
    return sorted({x.narrative for x in labelled() if x.narrative})


def fold(item: Labelled) -> str:
    """The narrative an article is held out with (news of no narrative: one chosen by its url)."""
    if item.narrative:
        return item.narrative
    names = narratives()
    digest = int(hashlib.sha1(item.url.encode()).hexdigest(), 16)
    return names[digest % min(NEWS_FOLDS, len(names))]


def line_of(source: str) -> int:
    """The export.jsonl line a stored article came from ("…/export.jsonl:17" -> 17)."""
    return int(source.rsplit(":", 1)[1])


def build_store(path: Path, narratrace: str | None = None, distractors: Path | None = None) -> None:
    """A store holding realnews' export and catalogue, made through the CLI as a user would, and
    the cases of `distractors` (a real catalogue of other claims) imported after it."""
    command = narratrace or str(Path(sys.executable).with_name("narratrace"))
    env = {**os.environ, "COLUMNS": "200"}
    steps = [["ingest", str(EXPORT)], ["catalogue", "import", str(CATALOGUE)]]
    if distractors is not None:
        steps.append(["catalogue", "import", str(distractors)])
    for args in steps:
        subprocess.run([command, "--db", str(path), *args], check=True, capture_output=True, env=env)
