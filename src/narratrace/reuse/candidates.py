"""Candidate pairs from an inverted index of winnowed fingerprints, vectorised with numpy.

Every fingerprint shared by 2..MAX_DOCUMENT_FREQUENCY articles votes for each pair of them;
pairs with MIN_SHARED votes or more are aligned. The document-frequency limit drops text so
common that it says nothing about copying (stock phrases of the language, site boilerplate),
as passim and TextPAIR do; alignment later sees every shingle anyway.
"""

from __future__ import annotations

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


@dataclass(slots=True, frozen=True)
class FingerprintIndex:
    """Fingerprints of a corpus, sorted, with the article (row) holding each one."""

    values: U64
    rows: I64

    @classmethod
    def build(cls, fingerprints: list[U64]) -> FingerprintIndex:
        lengths = np.fromiter((len(f) for f in fingerprints), dtype=np.int64, count=len(fingerprints))
        values = np.concatenate(fingerprints) if fingerprints else np.zeros(0, dtype=np.uint64)
        rows = np.repeat(np.arange(len(fingerprints), dtype=np.int64), lengths)
        order = np.argsort(values, kind="stable")
        return cls(values[order], rows[order])

    def runs(self) -> tuple[I64, I64]:
        """Start and length of each run of equal fingerprints."""
        if not len(self.values):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        starts = np.flatnonzero(np.concatenate(([True], self.values[1:] != self.values[:-1])))
        lengths = np.diff(np.concatenate((starts, [len(self.values)])))
        return starts.astype(np.int64), lengths.astype(np.int64)

    def document_frequency(self, values: U64) -> I64:
        """How many articles hold each of `values`."""
        left = np.searchsorted(self.values, values, side="left")
        right = np.searchsorted(self.values, values, side="right")
        return (right - left).astype(np.int64)


def candidate_pairs(
    index: FingerprintIndex,
    is_new: npt.NDArray[np.bool_],
    *,
    min_shared: int = MIN_SHARED,
    max_df: int = MAX_DOCUMENT_FREQUENCY,
) -> npt.NDArray[np.int64]:
    """Row pairs (i < j), at least one of them new, sharing `min_shared` fingerprints or more."""
    starts, lengths = index.runs()
    n_rows = len(is_new)
    keys: list[I64] = []
    for df in range(2, max_df + 1):
        run_starts = starts[lengths == df]
        if not len(run_starts):
            continue
        members = index.rows[run_starts[:, None] + np.arange(df)]  # one row per run
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
