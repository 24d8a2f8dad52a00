"""Vector search over the catalogue: each entry's best cosine with an input's sentence vectors.

A small catalogue is scored exactly. A large one is searched in two steps: vectors projected onto
their COARSE_DIMENSIONS main directions (an uncentred PCA, which keeps dot products) shortlist
COARSE_SHORTLIST entries, whose full scores then decide. Reading a quarter of the bytes (a third
for the English vectors) is what makes a 100,000-entry search fast; below COARSE_MIN_ROWS vectors
one exact step is fast enough.

An article's candidate entries (`SentenceSearch.closest`) are ranked with generic sentences
discounted. In a real catalogue some entry sentences ("The Russophobes are delighted.") come as
close to articles of every claim as a claim's own wording comes to its pushers: such a sentence
is a hub. Each entry sentence's cosine is lowered by GENERIC_SHARE times its mean cosine to its
GENERIC_NEIGHBOURS closest sentences of other claims (the cross-domain similarity local scaling of
cross-lingual retrieval). Among the 2,780 cases of realnews and the 2015-2017 EUvsDisinfo scrape,
that puts a pusher's own case among its first five for 0.51 of pushers instead of 0.42
(bench/studies/catalogue_scale.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from narratrace.narratives.embed import F32

I64 = npt.NDArray[np.int64]

COARSE_MIN_ROWS = 20_000
COARSE_DIMENSIONS = 128
COARSE_SHORTLIST = 500
COARSE_SAMPLE = 20_000
GENERIC_SHARE = 0.5
GENERIC_NEIGHBOURS = 10
# past this many sentences, a sentence's closest sentences are looked for among a fixed sample of
# this many: all pairs would take seconds to minutes. A catalogue searched in two steps uses its
# projected vectors and a smaller sample (300,000 sentences: 13 s here, both cores busy)
GENERIC_SAMPLE = 8192
GENERIC_SAMPLE_PROJECTED = 2048


class KeptScores(Protocol):
    """Where `SentenceSearch.generic` keeps what it works out (the store), under a digest of what
    it was worked out from, so that the next process reads it instead."""

    def load(self, key: str) -> F32 | None: ...

    def save(self, key: str, scores: F32) -> None: ...


class SentenceSearch:
    """The entries' sentence vectors (rows of one entry together, entries in order)."""

    def __init__(
        self,
        vectors: F32,
        owners: np.ndarray,
        entries: int,
        claims: np.ndarray | None = None,
        kept: KeptScores | None = None,
    ) -> None:
        """`owners`: each vector's entry; `claims`: each entry's claim (entries of one claim do not
        make each other's sentences generic), else each entry its own; `kept`: where `generic`
        looks for its scores first, and keeps them once worked out."""
        self.vectors = vectors
        self.kept = kept
        self.first = np.searchsorted(owners, np.arange(entries))
        self.last = np.append(self.first[1:], len(vectors)).astype(np.int64)
        self.projection: F32 | None = None
        self.reduced: F32 | None = None
        self._groups = (np.arange(entries) if claims is None else np.asarray(claims))[np.asarray(owners)]
        self._generic: F32 | None = None
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
        rows, offsets = self._rows(chosen)
        best: F32 = np.maximum.reduceat((queries @ self.vectors[rows].T).max(axis=0), offsets)
        return best

    def _rows(self, chosen: I64) -> tuple[I64, I64]:
        """The rows of the chosen entries' sentences, and where each entry's start among them."""
        starts, ends = self.first[chosen], self.last[chosen]
        lengths = ends - starts
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        rows = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
        return rows.astype(np.int64), offsets

    def shortlist(self, queries: F32, shift: F32 | float = 0.0) -> I64:
        """Entries whose projected sentences come closest to the queries (a large catalogue), each
        sentence's cosine less its `shift`."""
        assert self.projection is not None and self.reduced is not None
        coarse = ((queries @ self.projection) @ self.reduced.T - shift).max(axis=0)
        return top(np.maximum.reduceat(coarse, self.first), COARSE_SHORTLIST)

    def closest(self, queries: F32, k: int) -> tuple[I64, F32]:
        """The `k` entries whose sentences come closest to any of `queries` once generic sentences
        are discounted (`generic`), closest first, and each one's best plain cosine (exact for a
        small catalogue; among the projected shortlist for a large one)."""
        generic = self.generic()
        if self.exact:
            scores = queries @ self.vectors.T  # queries x sentences
            best = np.maximum.reduceat(scores.max(axis=0), self.first)
            chosen = top(np.maximum.reduceat((scores - generic).max(axis=0), self.first), k)
            return chosen, best[chosen]
        shortlist = self.shortlist(queries, generic)
        rows, offsets = self._rows(shortlist)
        scores = queries @ self.vectors[rows].T
        best = np.maximum.reduceat(scores.max(axis=0), offsets)
        order = top(np.maximum.reduceat((scores - generic[rows]).max(axis=0), offsets), k)
        return shortlist[order], best[order]

    def generic(self) -> F32:
        """GENERIC_SHARE times each sentence's mean cosine to its GENERIC_NEIGHBOURS closest
        sentences of other claims: what `closest` takes from its cosines. Worked out when first
        asked for (only articles are ranked this way), exactly up to GENERIC_SAMPLE sentences,
        beyond that against a fixed sample of them (GENERIC_SAMPLE, or GENERIC_SAMPLE_PROJECTED of
        the projected vectors in a catalogue searched in two steps)."""
        if self._generic is None:
            key = self.generic_key() if self.kept is not None else ""
            found = self.kept.load(key) if self.kept is not None else None
            if found is None:  # the key holds the vectors: kept scores are of these sentences
                found = (GENERIC_SHARE * self._mean_neighbour_cosine()).astype(np.float32)
                if self.kept is not None:
                    self.kept.save(key, found)
            self._generic = found
        return self._generic

    def generic_key(self) -> str:
        """A digest of all `generic` depends on: the sentence vectors, their claims, and this
        module (its settings and code)."""
        digest = hashlib.sha1(Path(__file__).read_bytes())
        digest.update(np.ascontiguousarray(self.vectors, dtype=np.float32).data)
        digest.update(np.ascontiguousarray(self._groups, dtype=np.int64).data)
        return digest.hexdigest()

    def _mean_neighbour_cosine(self) -> F32:
        vectors, size = (
            (self.vectors, GENERIC_SAMPLE)
            if self.reduced is None
            else (self.reduced, GENERIC_SAMPLE_PROJECTED)
        )
        others, groups = vectors, self._groups
        if len(vectors) > size:
            sample = np.sort(np.random.default_rng(0).choice(len(vectors), size, replace=False))
            others, groups = vectors[sample], self._groups[sample]
        out = np.zeros(len(vectors), dtype=np.float32)
        for start in range(0, len(vectors), 2048):
            block = vectors[start : start + 2048] @ others.T
            block[self._groups[start : start + 2048, None] == groups[None, :]] = -np.inf
            near = min(GENERIC_NEIGHBOURS, block.shape[1])
            if near:
                closest = -np.partition(-block, near - 1, axis=1)[:, :near]
                closest[np.isinf(closest)] = 0.0  # fewer other sentences than neighbours asked for
                out[start : start + 2048] = closest.mean(axis=1)
        return out


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
