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


def _hub_catalogue() -> tuple[np.ndarray, np.ndarray]:
    """Ten entries of three sentences; entry 0's first sentence is a hub, the mean of the other
    entries' sentences (as close to every claim as "The Russophobes are delighted." is)."""
    vectors = _unit(30, 4)
    hub = vectors[3:].mean(axis=0)
    vectors[0] = hub / np.linalg.norm(hub)
    return vectors, _owners(30)


def test_a_generic_sentence_gives_way_to_one_that_states_a_claim() -> None:
    vectors, owners = _hub_catalogue()
    search = SentenceSearch(vectors, owners, 10)
    generic = search.generic()
    assert generic[0] > np.delete(generic, 0).max()
    # a query a little closer to the hub than to entry 7's own sentence: by plain cosine entry 0
    # comes first, with the hub discounted entry 7 does, and its plain cosine is what is returned
    query = vectors[0] * 0.55 + vectors[21] * 0.45
    query = (query / np.linalg.norm(query))[None, :]
    assert int(np.argmax(search.best(query))) == 0
    chosen, scores = search.closest(query, 2)
    assert chosen.tolist() == [7, 0]
    assert np.allclose(scores, search.best(query)[[7, 0]])


def test_entries_of_one_claim_do_not_make_each_other_generic() -> None:
    vectors = _unit(30, 5)
    vectors[3:6] = vectors[0:3]  # entry 1 is entry 0 filed again
    alone = SentenceSearch(vectors, _owners(30), 10).generic()
    one_claim = SentenceSearch(vectors, _owners(30), 10, np.array([0, 0, 1, 2, 3, 4, 5, 6, 7, 8])).generic()
    without_copy = SentenceSearch(np.delete(vectors, [3, 4, 5], axis=0), _owners(27), 9).generic()
    assert np.allclose(one_claim[:3], without_copy[:3])
    assert np.all(alone[:3] > one_claim[:3] + 0.03)  # as two claims, each copy is the other's neighbour


def test_a_large_catalogue_discounts_generic_sentences_too() -> None:
    rows = COARSE_MIN_ROWS + 1_000
    vectors = _unit(rows, 6)
    large = SentenceSearch(vectors, _owners(rows), (rows + 2) // 3)
    generic = large.generic()
    assert generic.shape == (rows,) and np.all(generic > 0) and np.all(generic < 0.5)
    chosen, scores = large.closest(vectors[[3 * 5_000]], 1)
    assert chosen.tolist() == [5_000] and abs(float(scores[0]) - 1.0) < 1e-5


class _Kept:
    """What the store keeps of `generic`, in memory: every save and load seen."""

    def __init__(self) -> None:
        self.scores: dict[str, np.ndarray] = {}
        self.saved = 0

    def load(self, key: str) -> np.ndarray | None:
        return self.scores.get(key)

    def save(self, key: str, scores: np.ndarray) -> None:
        self.scores = {key: scores.copy()}
        self.saved += 1


def test_generic_scores_are_kept_and_read_back_until_the_catalogue_changes() -> None:
    """The first article matched works out how generic each sentence is and keeps it; the next
    process, with the same sentences and claims, reads it and ranks the same; a changed catalogue
    (another sentence, or entries grouped into other claims) works it out again."""
    vectors, owners, kept = _unit(300, 7), _owners(300), _Kept()
    first = SentenceSearch(vectors, owners, 100, kept=kept)
    queries = vectors[[31, 200]]
    ranked = first.closest(queries, 5)
    assert kept.saved == 1 and np.array_equal(kept.scores[first.generic_key()], first.generic())

    again = SentenceSearch(vectors, owners, 100, kept=kept)
    again._mean_neighbour_cosine = None  # type: ignore[method-assign,assignment]  # must not be called
    assert all(np.array_equal(a, b) for a, b in zip(again.closest(queries, 5), ranked, strict=True))
    assert kept.saved == 1

    changed = vectors.copy()
    changed[0] = vectors[1]
    assert SentenceSearch(changed, owners, 100, kept=kept).generic_key() != first.generic_key()
    regrouped = SentenceSearch(vectors, owners, 100, np.arange(100) // 2, kept=kept)
    regrouped.generic()
    assert kept.saved == 2 and not np.array_equal(regrouped.generic(), first.generic())
