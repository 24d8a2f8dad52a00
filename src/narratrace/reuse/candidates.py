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
        chunks: list[U64] = []
        for row, prints in enumerate(fingerprints):
            if row >= MAX_ROWS:
                raise ValueError(f"one index holds at most {MAX_ROWS:,} articles")
            chunks.append(((prints >> _SHIFT) << _SHIFT) | np.uint64(row))
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


def candidate_pairs(
    index: FingerprintIndex,
    is_new: npt.NDArray[np.bool_],
    *,
    min_shared: int = MIN_SHARED,
    max_df: int = MAX_DOCUMENT_FREQUENCY,
) -> npt.NDArray[np.int64]:
    """Row pairs (i < j), at least one of them new, sharing `min_shared` fingerprints or more."""
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
        return np.zeros((0, 2), dtype=np.int64)
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    chosen = unique[counts >= min_shared]
    return np.stack((chosen // n_rows, chosen % n_rows), axis=1)
