"""How many of the close pairs discovery's search finds, and how fast (discovery.py `_close_pairs`).

Discovery scores only the pairs of articles that share a lede sentence or headline at the bar;
past EXACT_MAX_VECTORS vectors an inverted file finds them, approximately. This reads the ledes
a store has kept (run `narratrace --db DB narratives --discover` once first), times the search
the store's size calls for, and measures its recall: a sample of articles is searched exactly,
its vectors against all, and the article pairs found so are compared with the search's. Outlets
are set aside (every article of its own), so that every close pair counts.

    .venv/bin/python -m bench.speed.discovery_search --db DB [--sample 2000] [--inverted]

`--inverted` uses the inverted file whatever the size, to compare it on a store small enough for
the exact search. For 100,000 articles, prepare a store with
`bench.speed.narratives --n 100000 --base BASE`, copy BASE and run `narratives --discover` on
the copy.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.common import save
from narratrace.model import Article
from narratrace.narratives import discovery
from narratrace.store import Store
from narratrace.store import catalogue as stored


def _ledes(store: Store) -> list[discovery.Lede]:
    ids = [row[0] for row in store.db.execute("SELECT article FROM discovery_ledes ORDER BY rowid")]
    kept = stored.discovery_ledes(store.db, ids)
    return [discovery.Lede(Article(id=key, text="", raw="", source="bench"), *kept[key]) for key in ids]


def _exact_pairs(
    vectors: npt.NDArray[np.float32], owner: npt.NDArray[np.int64], sample: npt.NDArray[np.int64]
) -> set[tuple[int, int]]:
    """The article pairs (i < j) of which one is in `sample` and that share a pair of vectors at
    the bar: the sample's vectors against all (`discovery._stacked`), exactly."""
    rows = np.flatnonzero(np.isin(owner, sample))
    found: set[tuple[int, int]] = set()
    for start in range(0, len(rows), 2_000):
        mine = rows[start : start + 2_000]
        hit, other = np.nonzero(vectors[mine] @ vectors.T > discovery.RANGE)
        a, b = owner[mine[hit]], owner[other]
        found |= {(int(min(i, j)), int(max(i, j))) for i, j in zip(a, b, strict=True) if i != j}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a store on which `narratives --discover` ran")
    parser.add_argument("--sample", type=int, default=2_000, help="articles searched exactly for recall")
    parser.add_argument("--inverted", action="store_true", help="use the inverted file whatever the size")
    args = parser.parse_args()
    with Store(args.db) as store:
        ledes = _ledes(store)
    if len(ledes) < 2:
        raise SystemExit(f"{args.db}: fewer than two kept ledes; run `narratives --discover` on it first")
    if args.inverted:
        discovery.EXACT_MAX_VECTORS = 0
    stacked, owner = discovery._stacked(ledes)
    vectors = len(owner)
    kind = "exact" if vectors <= discovery.EXACT_MAX_VECTORS else "inverted file"
    started = time.perf_counter()
    pairs = discovery._close_pairs(ledes)
    seconds = time.perf_counter() - started
    sample = np.sort(np.random.default_rng(1).choice(len(ledes), min(args.sample, len(ledes)), replace=False))
    chosen = set(sample.tolist())
    exact = _exact_pairs(stacked, owner, sample)
    searched = {p for p in pairs if p[0] in chosen or p[1] in chosen}
    recall = len(exact & searched) / max(1, len(exact))
    print(
        f"{len(ledes):,} articles, {vectors:,} lede sentences and headlines: "
        f"{kind} search in {seconds:,.1f} s, {len(pairs):,} close pairs"
    )
    print(
        f"{len(sample):,} articles searched exactly: {len(exact):,} close pairs, of which the search found "
        f"{len(exact & searched):,} ({recall:.4f}); found and not close: {len(searched - exact):,}"
    )
    save(
        "discovery_search",
        {
            "articles": len(ledes),
            "vectors": vectors,
            "search": kind,
            "seconds": seconds,
            "close_pairs": len(pairs),
            "sample": len(sample),
            "sample_close_pairs": len(exact),
            "recall": recall,
            "extra": len(searched - exact),
        },
    )


if __name__ == "__main__":
    main()
