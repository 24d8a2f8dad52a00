"""Claim-retrieval gate on CheckThat! 2022 2A English: a pinned MAP@5 floor for the hybrid
ranking, which must also stay above BM25 alone. The floor is what the method reaches today
(0.844 measured by bench/match.py); the issue's target (0.93) is not reached yet."""

from __future__ import annotations

import pytest
from bench.match import DATA, bm25_only, load, map_at_5

from narratrace.narratives.matcher import CatalogueIndex

MAP5_FLOOR = 0.84


def test_checkthat_2022_map_at_5() -> None:
    if not DATA.exists():
        pytest.skip(f"CheckThat! data not found at {DATA} (it lives in ../shared beside the checkout)")
    entries, queries, gold = load()
    index = CatalogueIndex.build(entries)
    ours = map_at_5([[m.id for m in index.rank(t, k=5, threshold=-1.0)] for _, t in queries], queries, gold)
    baseline = map_at_5(bm25_only(entries, queries), queries, gold)
    assert ours >= MAP5_FLOOR
    assert ours > baseline
