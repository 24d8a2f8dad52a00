"""Passage alignment of two texts: chains of shared shingles, bridged across small edits.

Shared shingles (seeds) are found by hash; seeds that run along the same diagonal, with gaps
no longer than MAX_GAP tokens and drift no wider than MAX_DRIFT, are chained into passages.
A word edit breaks SHINGLE_WORDS shingles, so a gap of 12 bridges one or two nearby edits;
an inserted or removed sentence (20+ words) splits a passage in two, both reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from narratrace.reuse.shingle import SHINGLE_WORDS, Tokens

MAX_GAP = 12  # tokens between consecutive seeds of one passage
MAX_DRIFT = 6  # change of offset between the two texts inside one passage (inserted words)
# A passage must span at least 8 tokens with 4 seeds (4 overlapping 5-word shingles): the
# length of a stock phrase an outlet repeats ("ignoring repeated calls by Damascus to end its").
# Shorter runs ("the US-led coalition said on") recur between unrelated texts by chance; runs of
# 8-12 words that recur across many articles (film titles, bylines) are flagged as stock text
# (pairs.py) and reported apart. On the planted BBC benchmark 8 and 12 give the same precision.
MIN_PASSAGE_TOKENS = 8
MIN_SEEDS = 4
MAX_REPEATS = 4  # a shingle repeated more often than this inside a text seeds nothing


@dataclass(slots=True, frozen=True)
class TokenPassage:
    """An aligned passage in token positions (end exclusive), with its count of matched tokens."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int


def seeds(a: Tokens, b: Tokens) -> list[tuple[int, int]]:
    """(position in a, position in b) of every shingle the two texts share."""
    sorted_a, positions_a = a.sorted_shingles
    sorted_b, positions_b = b.sorted_shingles
    if not len(sorted_a) or not len(sorted_b):
        return []
    lo = np.searchsorted(sorted_b, sorted_a, side="left")
    found = sorted_b[np.minimum(lo, len(sorted_b) - 1)] == sorted_a
    if not found.any():
        return []
    lo, values, at_a = lo[found], sorted_a[found], positions_a[found]
    counts = np.searchsorted(sorted_b, values, side="right") - lo
    if counts.max() > MAX_REPEATS:
        keep = counts <= MAX_REPEATS
        lo, at_a, counts = lo[keep], at_a[keep], counts[keep]
    single = counts == 1  # the usual case, paired without a Python loop
    pairs = list(zip(at_a[single].tolist(), positions_b[lo[single]].tolist(), strict=True))
    for ia, first, count in zip(
        at_a[~single].tolist(), lo[~single].tolist(), counts[~single].tolist(), strict=True
    ):
        pairs.extend((ia, int(ib)) for ib in positions_b[first : first + count])
    return pairs


def chain(pairs: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group seeds into chains that advance together in both texts."""
    chains: list[list[tuple[int, int]]] = []
    active: list[list[tuple[int, int]]] = []  # chains that a later seed can still extend
    for ia, ib in sorted(pairs):
        active = [c for c in active if ia - c[-1][0] <= MAX_GAP]
        best = None
        best_drift = MAX_DRIFT + 1
        for current in active:
            la, lb = current[-1]
            da, db = ia - la, ib - lb
            if 0 < da <= MAX_GAP and 0 < db <= MAX_GAP and abs(da - db) < best_drift:
                best, best_drift = current, abs(da - db)
        if best is not None:
            best.append((ia, ib))
        else:
            chains.append([(ia, ib)])
            active.append(chains[-1])
    return chains


def align_tokens(a: Tokens, b: Tokens) -> list[TokenPassage]:
    """Aligned passages of `a` and `b`, in token positions, ordered as they occur in `a`."""
    passages = []
    for current in chain(seeds(a, b)):
        if len(current) < MIN_SEEDS:
            continue
        a_start, b_start = current[0]
        a_end, b_end = current[-1][0] + SHINGLE_WORDS, current[-1][1] + SHINGLE_WORDS
        if min(a_end - a_start, b_end - b_start) < MIN_PASSAGE_TOKENS:
            continue
        covered: set[int] = set()
        for ia, _ in current:
            covered.update(range(ia, ia + SHINGLE_WORDS))
        passages.append(TokenPassage(a_start, a_end, b_start, b_end, len(covered)))
    return _drop_overlaps(sorted(passages, key=lambda p: (p.a_start, -p.matched)))


def _drop_overlaps(passages: list[TokenPassage]) -> list[TokenPassage]:
    """Where two passages claim the same tokens (a repeated paragraph), keep the stronger."""
    kept: list[TokenPassage] = []
    for passage in sorted(passages, key=lambda p: -p.matched):
        if all(
            passage.a_end <= k.a_start
            or passage.a_start >= k.a_end
            or passage.b_end <= k.b_start
            or passage.b_start >= k.b_end
            for k in kept
        ):
            kept.append(passage)
    return sorted(kept, key=lambda p: p.a_start)


def coverage(passages: list[tuple[int, int]], total: int) -> float:
    """Share of `total` tokens inside the union of (start, end) token ranges."""
    if total <= 0:
        return 0.0
    covered = 0
    last_end = -1
    for start, end in sorted(passages):
        start = max(start, last_end)
        if end > start:
            covered += end - start
            last_end = end
    return min(covered / total, 1.0)
