"""CLEF CheckThat! Task 2A (English) from ../shared/corpus/checkthat: verified claims, tweets, gold.

The 2022 edition's test set is what bench/quality/checkthat.py and the gate report; the 2020 edition's
training and development sets are what bench/training/train_reranker.py fits the re-ranker on."""

from __future__ import annotations

import csv
import json
import statistics
import sys
from pathlib import Path

from bench.common import SHARED
from narratrace.model import CatalogueEntry

DATA = SHARED / "corpus" / "checkthat"
EDITION_2022 = DATA / "2022-2a-en"
EDITION_2020 = DATA / "2020-2a-en"

Queries = list[tuple[str, str]]  # (query id, tweet)
Gold = dict[str, set[str]]  # query id -> ids of the verified claims it repeats


def _require(path: Path) -> None:
    if not path.exists():
        sys.exit(f"skipped: CheckThat! data not found at {DATA} (it lives in ../shared beside the checkout)")


def _gold(lines: list[str], prefix: str = "") -> Gold:
    gold: Gold = {}
    for line in lines:
        query, _, claim, _ = line.rstrip("\n").split("\t")
        gold.setdefault(prefix + query, set()).add(claim)
    return gold


def load_2022() -> tuple[list[CatalogueEntry], Queries, Gold]:
    """The 14,231 verified claims, the 209 test tweets and their gold claims."""
    _require(EDITION_2022)
    claims = json.loads((EDITION_2022 / "vclaims.json").read_text())
    entries = [
        CatalogueEntry(
            id=c["vclaim_id"],
            origin="claimreview",
            title=c["title"],
            claim=c["vclaim"],
            summary=c.get("subtitle") or "",
        )
        for c in claims
    ]
    with (EDITION_2022 / "test_queries.tsv").open() as rows:
        queries = [(q, t) for q, t in (line.rstrip("\n").split("\t", 1) for line in rows if line.strip())]
    return entries, queries, _gold((EDITION_2022 / "gold.tsv").read_text().splitlines())


def load_2020(split: str) -> tuple[list[CatalogueEntry], Queries, Gold]:
    """The 2020 verified claims and one split's tweets ("train", "dev" or "test"); query ids
    carry the split's name, as the splits number their tweets alike."""
    _require(EDITION_2020)
    with (EDITION_2020 / "verified_claims.docs.tsv").open() as rows:
        reader = csv.reader(rows, delimiter="\t")
        next(reader)
        entries = [CatalogueEntry(id=r[0], origin="claimreview", title=r[2], claim=r[1]) for r in reader]
    folder = EDITION_2020 / split
    with (folder / "tweets.queries.tsv").open() as rows:
        pairs = (line.rstrip("\n").split("\t", 1) for line in rows)
        queries = [(split + p[0], p[1]) for p in pairs if len(p) == 2 and p[0].isdigit()]
    return entries, queries, _gold((folder / "tweet-vclaim-pairs.qrels").read_text().splitlines(), split)


def average_precision_at(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for i, item in enumerate(ranked[:k]):
        if item in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / min(len(relevant), k) if relevant else 0.0


def map_at_5(rankings: list[list[str]], queries: Queries, gold: Gold) -> float:
    return statistics.mean(
        average_precision_at(r, gold.get(q, set())) for r, (q, _) in zip(rankings, queries, strict=True)
    )
