"""From an aligned candidate pair to a Reuse record: passages, coverage, kind, direction, stock."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from narratrace.model import Article, Passage, Reuse, ReuseKind
from narratrace.reuse.align import TokenPassage, align_tokens, coverage
from narratrace.reuse.lineage import direction
from narratrace.reuse.shingle import Tokens, shingles, winnow

# Kind thresholds, calibrated on the planted BBC benchmark (bench/data/planted.py, seed 7; seed 11
# is the held-out check, and the gate runs both): a copy with a new prefix, edits and a
# comment section covers 0.9+ of the shorter text; a partial copy (30-70 % of a source
# inside other text) covers 0.3+ of one side with 70+ shared tokens (about four sentences),
# where a shared 2-3 sentence passage rarely reaches 70.
COPY_COVERAGE = 0.8
PARTIAL_COVERAGE = 0.3
PARTIAL_MIN_TOKENS = 70
# A passage found in this many articles or more recurs: inside one outlet it is stock text
# (boilerplate, a paragraph an outlet repeats for years), reported apart from republication;
# across outlets it is syndication (a SANA report relayed by Mehr, Siasat and others), a chain.
STOCK_MIN_ARTICLES = 3

DocumentFrequency = Callable[[np.ndarray], np.ndarray]


def kind_of(coverage_a: float, coverage_b: float, a_tokens: int, b_tokens: int) -> ReuseKind:
    shorter = coverage_a if a_tokens <= b_tokens else coverage_b
    if shorter >= COPY_COVERAGE:
        return "copy"
    shared = round(coverage_a * a_tokens)
    if max(coverage_a, coverage_b) >= PARTIAL_COVERAGE and shared >= PARTIAL_MIN_TOKENS:
        return "partial"
    return "shared_passage"


def _char_span(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    return int(tokens.starts[start]), int(tokens.ends[end - 1])


def _recurring(tokens: Tokens, passage: TokenPassage, frequency: DocumentFrequency | None) -> int:
    """Articles holding this passage: the median document frequency of its fingerprints."""
    if frequency is None:
        return 2
    prints = winnow(shingles(tokens.hashes[passage.a_start : passage.a_end]))
    if not len(prints):
        return 2
    return max(2, int(np.median(frequency(prints))))


def compare(
    a: Article,
    b: Article,
    a_tokens: Tokens,
    b_tokens: Tokens,
    frequency: DocumentFrequency | None = None,
) -> Reuse | None:
    """The reuse between two articles, or None when no passage survives alignment."""
    aligned = align_tokens(a_tokens, b_tokens)
    if not aligned:
        return None
    passages = []
    for p in aligned:
        a_start, a_end = _char_span(a_tokens, p.a_start, p.a_end)
        b_start, b_end = _char_span(b_tokens, p.b_start, p.b_end)
        passages.append(
            Passage(
                a_start,
                a_end,
                b_start,
                b_end,
                a.text[a_start:a_end],
                b.text[b_start:b_end],
                similarity=round(p.matched / max(p.a_end - p.a_start, p.b_end - p.b_start), 3),
                recurring=_recurring(a_tokens, p, frequency),
            )
        )
    coverage_a = coverage([(p.a_start, p.a_end) for p in aligned], len(a_tokens))
    coverage_b = coverage([(p.b_start, p.b_end) for p in aligned], len(b_tokens))
    kind = kind_of(coverage_a, coverage_b, len(a_tokens), len(b_tokens))
    lineage = direction(a, b)
    stock, syndicated, stock_reason = _recurrence(a, b, kind, passages)
    return Reuse(
        a=a.id,
        b=b.id,
        kind=kind,
        coverage_a=round(coverage_a, 3),
        coverage_b=round(coverage_b, 3),
        direction=lineage.direction,
        reason=lineage.reason,
        passages=tuple(passages),
        stock=stock,
        stock_reason=stock_reason,
        syndicated=syndicated,
    )


def _recurrence(a: Article, b: Article, kind: str, passages: list[Passage]) -> tuple[bool, bool, str]:
    """(stock, syndicated, why) of a pair that shares passages only."""
    if kind != "shared_passage":
        return False, False, ""
    if a.outlet and a.outlet == b.outlet:
        return True, False, f"passages shared inside one outlet ({a.outlet}): stock text or boilerplate"
    widest = min(p.recurring for p in passages)
    if widest < STOCK_MIN_ARTICLES:
        return False, False, ""
    if a.outlet and b.outlet:
        return (
            False,
            True,
            f"every shared passage recurs in {widest}+ articles of several outlets: syndication",
        )
    return True, False, f"every shared passage recurs in {widest}+ articles: stock text or boilerplate"
