"""Vector search over the catalogue: each entry's best cosine with an input's sentence vectors.

A small catalogue is scored exactly. A large one is searched in two steps: vectors projected onto
their COARSE_DIMENSIONS main directions (an uncentred PCA, which keeps dot products) shortlist
COARSE_SHORTLIST entries, whose full scores then decide. Reading a quarter of the bytes (a third
for the English vectors) is what makes a 100,000-entry search fast; below COARSE_MIN_ROWS vectors
one exact step is fast enough.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from narratrace.narratives.embed import F32

I64 = npt.NDArray[np.int64]

COARSE_MIN_ROWS = 20_000
COARSE_DIMENSIONS = 128
COARSE_SHORTLIST = 500
COARSE_SAMPLE = 20_000


class SentenceSearch:
    """The entries' sentence vectors (rows of one entry together, entries in order)."""

    def __init__(self, vectors: F32, owners: np.ndarray, entries: int) -> None:
        self.vectors = vectors
        self.first = np.searchsorted(owners, np.arange(entries))
        self.last = np.append(self.first[1:], len(vectors)).astype(np.int64)
        self.projection: F32 | None = None
        self.reduced: F32 | None = None
        if len(vectors) >= COARSE_MIN_ROWS:
            self.projection, self.reduced = projected(vectors)

    @property
    def exact(self) -> bool:
        """Whether every entry is scored exactly (a catalogue below COARSE_MIN_ROWS sentences)."""
        return self.projection is None

    def of(self, entry: int) -> F32:
        """The vectors of one entry's sentences."""
        return self.vectors[self.first[entry] : self.last[entry]]

    def best(self, queries: F32) -> F32:
        """Every entry's best sentence cosine with any of the queries (exact)."""
        best: F32 = np.maximum.reduceat((queries @ self.vectors.T).max(axis=0), self.first)
        return best

    def best_of(self, chosen: I64, queries: F32) -> F32:
        """Best sentence cosine of each chosen entry with any of the queries, in one product."""
        starts, ends = self.first[chosen], self.last[chosen]
        lengths = ends - starts
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        rows = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        best: F32 = np.maximum.reduceat((queries @ self.vectors[rows].T).max(axis=0), offsets)
        return best

    def shortlist(self, queries: F32) -> I64:
        """Entries whose projected sentences come closest to the queries (a large catalogue)."""
        assert self.projection is not None and self.reduced is not None
        coarse = ((queries @ self.projection) @ self.reduced.T).max(axis=0)
        return top(np.maximum.reduceat(coarse, self.first), COARSE_SHORTLIST)

    def closest(self, queries: F32, k: int) -> tuple[I64, F32]:
        """The `k` entries with the best sentence cosine to any of `queries`, best first, and those
        cosines (exact for a small catalogue; among the projected shortlist for a large one)."""
        if self.exact:
            best = self.best(queries)
            chosen = top(best, k)
            return chosen, best[chosen]
        shortlist = self.shortlist(queries)
        scores = self.best_of(shortlist, queries)
        order = top(scores, k)
        return shortlist[order], scores[order]


class EntrySearch:
    """One vector per entry (the English encoder's), scanned projected when there are many."""

    def __init__(self, vectors: F32) -> None:
        self.vectors = vectors
        self.projection: F32 | None = None
        self.reduced: F32 | None = None
        if len(vectors) >= COARSE_MIN_ROWS:
            self.projection, self.reduced = projected(vectors)

    def ranked(self, query: F32) -> tuple[F32, I64]:
        """Every entry's cosine with `query`, and the best COARSE_SHORTLIST entries, best first:
        exact for a small catalogue; for a large one projected, then exact for the shortlist
        (which is all a ranking reads)."""
        if self.projection is None or self.reduced is None:
            exact: F32 = self.vectors @ query
            return exact, top(exact, COARSE_SHORTLIST)
        scores: F32 = self.reduced @ (query @ self.projection)
        shortlist = top(scores, COARSE_SHORTLIST)
        scores[shortlist] = self.vectors[shortlist] @ query
        return scores, shortlist[np.argsort(-scores[shortlist], kind="stable")]


def top(scores: npt.NDArray[np.floating], size: int) -> I64:
    """Positions of the `size` highest scores, highest first."""
    size = min(size, len(scores))
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    chosen = np.argpartition(-scores, size - 1)[:size]
    return chosen[np.argsort(-scores[chosen], kind="stable")].astype(np.int64)


def projected(vectors: F32) -> tuple[F32, F32]:
    """The COARSE_DIMENSIONS main directions of `vectors` (an uncentred PCA of a sample, which
    keeps dot products) and the vectors projected onto them."""
    sample = vectors
    if len(vectors) > COARSE_SAMPLE:
        sample = vectors[np.random.default_rng(0).choice(len(vectors), COARSE_SAMPLE, replace=False)]
    _, _, directions = np.linalg.svd(sample, full_matrices=False)
    projection = np.ascontiguousarray(directions[:COARSE_DIMENSIONS].T, dtype=np.float32)
    return projection, np.ascontiguousarray(vectors @ projection, dtype=np.float32)
