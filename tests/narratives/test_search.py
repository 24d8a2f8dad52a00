"""The catalogue's vector search: exact below COARSE_MIN_ROWS, projected then exact above."""

from __future__ import annotations

import numpy as np

from narratrace.narratives.search import COARSE_MIN_ROWS, EntrySearch, SentenceSearch


def _unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((rows, 64)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _owners(rows: int) -> np.ndarray:
    return np.arange(rows) // 3  # three sentences per entry


def test_a_large_catalogue_is_shortlisted_and_finds_what_the_exact_search_finds() -> None:
    rows = COARSE_MIN_ROWS + 1_000
    vectors = _unit(rows, 1)
    large = SentenceSearch(vectors, _owners(rows), (rows + 2) // 3)
    assert not large.exact
    queries = vectors[[3 * 4_000 + 1, 3 * 6_500 + 2]]  # a sentence of entry 4,000 and of 6,500
    chosen, scores = large.closest(queries, 2)
    assert sorted(chosen.tolist()) == [4_000, 6_500] and np.allclose(scores, 1.0, atol=1e-5)
    exact = large.best(queries)
    assert np.allclose(large.best_of(chosen, queries), exact[chosen], atol=1e-6)


def test_a_small_catalogue_scores_every_entry_exactly() -> None:
    vectors = _unit(300, 2)
    small = SentenceSearch(vectors, _owners(300), 100)
    assert small.exact
    chosen, scores = small.closest(vectors[[31]], 3)
    assert chosen[0] == 10 and scores[0] == scores.max()
    assert np.array_equal(small.of(10), vectors[30:33])


def test_english_vectors_rank_the_same_projected_or_not() -> None:
    rows = COARSE_MIN_ROWS + 500
    vectors = _unit(rows, 3)
    large, small = EntrySearch(vectors), EntrySearch(vectors[:1_000])
    assert large.projection is not None and small.projection is None
    scores, shortlist = large.ranked(vectors[777])
    assert shortlist[0] == 777 and abs(float(scores[777]) - 1.0) < 1e-5
    assert small.ranked(vectors[777])[1][0] == 777
