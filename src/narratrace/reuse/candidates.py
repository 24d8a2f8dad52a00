"""Candidate pairs from an inverted index of winnowed fingerprints, vectorised with numpy.

Every fingerprint shared by 2..MAX_DOCUMENT_FREQUENCY articles votes for each pair of them;
pairs with MIN_SHARED votes or more are aligned. The document-frequency limit drops text so
common that it says nothing about copying (stock phrases of the language, site boilerplate),
as passim and TextPAIR do; alignment later sees every shingle anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from narratrace.reuse.shingle import U64

# A fingerprint held by more articles than this is banal for candidate search.
MAX_DOCUMENT_FREQUENCY = 50
# Two shared fingerprints: any shared run of 15+ words guarantees two (see WINNOW_WINDOW),
# while one chance 5-word match between unrelated articles does not make a candidate.
MIN_SHARED = 2

I64 = npt.NDArray[np.int64]


# An index entry is one uint64: the fingerprint's top 40 bits, then the article's row in 24
# bits, so the whole index sorts in place at 8 bytes an entry. 40 bits leave chance collisions
# between distinct fingerprints rare enough (about 7,000 among the 170 million fingerprints of
# a million articles) that, with two shared fingerprints required, they add no candidates;
# 24 bits index 16.7 million articles, beyond which the work is split into shards.
ROW_BITS = 24
MAX_ROWS = 1 << ROW_BITS
_ROW_MASK = np.uint64(MAX_ROWS - 1)
_SHIFT = np.uint64(ROW_BITS)
RUN_CHUNK = 1 << 24  # entries compared per step when finding runs


@dataclass(slots=True, frozen=True)
class FingerprintIndex:
    """Fingerprints of a corpus with the article (row) holding each, as sorted packed keys."""

    keys: U64

    @classmethod
    def build(cls, fingerprints: Iterable[U64]) -> FingerprintIndex:
        chunks = [pack(prints, row) for row, prints in enumerate(fingerprints)]
        keys = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint64)
        del chunks
        keys.sort()
        return cls(keys)

    @property
    def rows(self) -> I64:
        return (self.keys & _ROW_MASK).astype(np.int64)

    def shared_runs(self) -> tuple[I64, I64]:
        """Start and length of each run of a fingerprint held by two or more articles.

        Most fingerprints are held by one article only; working in chunks on a mask of "same as
        the previous entry" keeps memory to about one byte an entry beyond the index itself."""
        total = len(self.keys)
        same = np.zeros(total, dtype=bool)  # same[i]: entry i continues the run of entry i - 1
        for start in range(1, total, RUN_CHUNK):
            stop = min(start + RUN_CHUNK, total)
            same[start:stop] = (self.keys[start:stop] >> _SHIFT) == (
                self.keys[start - 1 : stop - 1] >> _SHIFT
            )
        following = np.concatenate((same[1:], [False]))
        starts = np.flatnonzero(~same & following)  # first entry of a run of two or more
        ends = np.flatnonzero(same & ~following) + 1  # one past the last entry of such a run
        return starts.astype(np.int64), (ends - starts).astype(np.int64)

    def document_frequency(self, values: U64) -> I64:
        """How many articles hold each of `values`."""
        low = (values >> _SHIFT) << _SHIFT
        left = np.searchsorted(self.keys, low, side="left")
        right = np.searchsorted(self.keys, low | _ROW_MASK, side="right")
        return (right - left).astype(np.int64)


def pack(prints: U64, row: int) -> U64:
    """Index entries of one article's fingerprints: each one's top bits, then the article's row."""
    if row >= MAX_ROWS:
        raise ValueError(f"one index holds at most {MAX_ROWS:,} articles")
    packed: U64 = ((prints >> _SHIFT) << _SHIFT) | np.uint64(row)
    return packed


@dataclass(slots=True, frozen=True)
class FrequencyTable:
    """How many articles hold each fingerprint (by its top bits, as the index keys them): the
    index's `document_frequency` without the rows, built from parts of an index split by
    fingerprint and merged."""

    values: U64  # sorted fingerprint prefixes (the row bits zero)
    counts: I64

    @classmethod
    def of(cls, index: FingerprintIndex) -> FrequencyTable:
        values, counts = np.unique(index.keys & ~_ROW_MASK, return_counts=True)
        return cls(values, counts.astype(np.int64))

    @classmethod
    def merge(cls, parts: Iterable[FrequencyTable]) -> FrequencyTable:
        """Tables of disjoint sets of fingerprints as one."""
        found = list(parts)
        values = np.concatenate([p.values for p in found]) if found else np.zeros(0, dtype=np.uint64)
        counts = np.concatenate([p.counts for p in found]) if found else np.zeros(0, dtype=np.int64)
        order = np.argsort(values, kind="stable")
        return cls(values[order], counts[order])

    def document_frequency(self, values: U64) -> I64:
        low = (values >> _SHIFT) << _SHIFT
        at = np.minimum(np.searchsorted(self.values, low), max(len(self.values) - 1, 0))
        if not len(self.values):
            return np.zeros(len(values), dtype=np.int64)
        found: I64 = np.where(self.values[at] == low, self.counts[at], 0).astype(np.int64)
        return found


def candidate_pairs(
    index: FingerprintIndex,
    is_new: npt.NDArray[np.bool_],
    *,
    min_shared: int = MIN_SHARED,
    max_df: int = MAX_DOCUMENT_FREQUENCY,
) -> npt.NDArray[np.int64]:
    """Row pairs (i < j), at least one of them new, sharing `min_shared` fingerprints or more."""
    return chosen_pairs(*pair_votes(index, is_new, max_df=max_df), len(is_new), min_shared=min_shared)


def pair_votes(
    index: FingerprintIndex, is_new: npt.NDArray[np.bool_], *, max_df: int = MAX_DOCUMENT_FREQUENCY
) -> tuple[I64, I64]:
    """Each row pair (as a * rows + b, a < b) that shares a fingerprint of 2..max_df articles, and
    how many such fingerprints it shares. Votes add up over disjoint sets of fingerprints, so an
    index split by fingerprint (the Ray engine's buckets) gives the same pairs once summed."""
    starts, lengths = index.shared_runs()
    n_rows = len(is_new)
    keys: list[I64] = []
    for df in range(2, max_df + 1):
        run_starts = starts[lengths == df]
        if not len(run_starts):
            continue
        positions = run_starts[:, None] + np.arange(df)  # one row of the matrix per run
        members = (index.keys[positions] & _ROW_MASK).astype(np.int64)
        left, right = np.triu_indices(df, k=1)
        a = np.minimum(members[:, left], members[:, right]).ravel()
        b = np.maximum(members[:, left], members[:, right]).ravel()
        wanted = (a != b) & (is_new[a] | is_new[b])
        keys.append(a[wanted] * n_rows + b[wanted])
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return unique.astype(np.int64), counts.astype(np.int64)


def chosen_pairs(keys: I64, votes: I64, n_rows: int, *, min_shared: int = MIN_SHARED) -> I64:
    """Row pairs (i < j) of the `keys` (several parts' votes summed per key) with `min_shared` votes
    or more, sorted."""
    if len(keys):
        keys, first = np.unique(keys, return_inverse=True)
        votes = np.bincount(first, weights=votes).astype(np.int64)
    chosen = keys[votes >= min_shared]
    return np.stack((chosen // n_rows, chosen % n_rows), axis=1)
