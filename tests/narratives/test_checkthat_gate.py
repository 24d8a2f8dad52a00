"""Claim-retrieval gate on CheckThat! 2022 2A English: pinned MAP@5 floors for the whole match
(first stage, English query map and re-ranker) and for the first stage alone, which must both stay
above BM25 alone. bench/match.py measured 0.945 for the whole match (0.939 before the query map),
0.859 for the first stage alone and 0.844 for BM25 alone. The whole match's floor sits a little
below what was measured, above the issue's 0.93, so that a drop of two or three tweets' ranks
fails it."""

from __future__ import annotations

import pytest
from bench.checkthat import EDITION_2022, load_2022, map_at_5
from bench.match import bm25_only

from narratrace.narratives.matcher import CatalogueIndex

MAP5_FLOOR = 0.94
FIRST_STAGE_FLOOR = 0.85


def test_checkthat_2022_map_at_5() -> None:
    if not EDITION_2022.exists():
        pytest.skip(f"CheckThat! data not found at {EDITION_2022} (../shared beside the checkout)")
    entries, queries, gold = load_2022()
    index = CatalogueIndex.build(entries)
    tweets = [text for _, text in queries]
    ours = map_at_5([[m.id for m in f] for f in index.rank_many(tweets, k=5, threshold=-1.0)], queries, gold)
    first = map_at_5(
        [[m.id for m in f] for f, _ in index.rank_encoded_many(tweets, k=5, threshold=-1.0, rerank=False)],
        queries,
        gold,
    )
    baseline = map_at_5(bm25_only(entries, queries), queries, gold)
    assert ours >= MAP5_FLOOR, ours
    assert first >= FIRST_STAGE_FLOOR, first
    assert ours > first > baseline
