"""Candidate narratives: recurring claims that neither a catalogue entry nor a stored fact-check names.

Grouping (grouping.py) only places an article in a narrative someone has already named. An
article that starts a narrative nobody has catalogued yet is found here, among the articles that
no narrative holds, and shown as a *candidate* for an analyst to review, never mixed with the
named narratives:

- **Two articles repeat one claim** when the closest pair of their lede sentences and the pair of
  each one's headline with the other's lede come close: the mean of the lede pair and the headline
  pair reaches REPEAT_THRESHOLD both ways (matcher.py's headline rule, read in both directions;
  without a headline, the lede pair alone). Two articles of one outlet do not count.
- **A candidate** is a group of at least MIN_ARTICLES articles that all repeat one of them (see
  `_stars`), in which the claim *resurfaced*: at least one repeat links two articles published
  RECUR_DAYS or more apart. News about one event repeats itself within days; a narrative comes
  back months and years later. Two articles alone are one repeat, not yet a recurrence: with
  them, genuine news made three times as many candidates (126 against 43 groups of BBC stories,
  bench/quality/discovery_news.py), for one pair of pushing articles of the benchmarks.

What it cannot tell: genuine news that returns to a topic years later in nearly the same words (on
the narrative benchmark, an agency's 2019 and 2023 findings on one attack form a candidate). Nor
a narrative pushed only in one burst: its articles look like news of one event. Undated articles
never show a resurfacing. Hence candidates, not narratives: `bench.quality.narratives --discover`
measures both sides.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from narratrace.model import Article, Repeat
from narratrace.narratives.embed import F32
from narratrace.narratives.thresholds import (
    JOIN_THRESHOLD,
    MIN_ARTICLES,
    RECUR_DAYS,
)

if TYPE_CHECKING:
    import faiss

# The bar of the join (joining.py): two articles' claims are one when their closest pair comes
# this close, here together with their headlines. Not chosen anew for discovery.
REPEAT_THRESHOLD = JOIN_THRESHOLD
CANDIDATE = "candidate:"
# Finding the pairs that may reach the bar (`_close_pairs`): exact up to EXACT_MAX_VECTORS lede
# sentences and headlines (about 12,000 articles), then an inverted file searched in PROBES cells.
EXACT_MAX_VECTORS = 60_000
PROBES = 16
TRAIN_PER_CELL = 40  # k-means sample: faiss asks for at least 39 vectors per cell
RANGE = REPEAT_THRESHOLD - 1e-4  # faiss keeps what lies strictly beyond the radius
SEARCH_BLOCK = 20_000  # vectors searched at a time: bounded memory for what they find


@dataclass(slots=True, frozen=True)
class Lede:
    """An article as discovery reads it: its lede sentences and their vectors, its headline's vector."""

    article: Article
    sentences: list[str]
    vectors: F32
    headline: F32 | None = None


@dataclass(slots=True)
class Candidate:
    """A group of articles linked by repeats, in which the claim resurfaced."""

    id: str  # "candidate:" + the id of the member stored first: stable as the group grows
    articles: list[str]
    label: str  # the sentence the members repeat most (`repeated`)
    repeats: list[Repeat] = field(default_factory=list)


def repeats(ledes: Sequence[Lede]) -> list[Repeat]:
    """Every pair of articles of different outlets that repeats one claim (see the module
    docstring), in the order of `ledes`. Only pairs that share a close pair of vectors can reach
    the bar, and a range search finds those (`_close_pairs`); each of them is then scored exactly."""
    found = []
    for i, j in _close_pairs(ledes):
        score = _score(ledes[i], ledes[j])
        if score >= REPEAT_THRESHOLD:
            found.append(_repeat(ledes[i], ledes[j], score))
    return found


def _score(a: Lede, b: Lede) -> float:
    """The headline rule both ways: the mean of the closest lede pair and one article's headline
    against the other's lede and headline, the weaker of the two directions; an article without
    a headline reads its lede pair alone."""
    lede = float((a.vectors @ b.vectors.T).max())
    both = float(a.headline @ b.headline) if a.headline is not None and b.headline is not None else 0.0
    forward = lede if a.headline is None else (lede + max(float((b.vectors @ a.headline).max()), both)) / 2
    backward = lede if b.headline is None else (lede + max(float((a.vectors @ b.headline).max()), both)) / 2
    return min(forward, backward)


def _close_pairs(ledes: Sequence[Lede]) -> list[tuple[int, int]]:
    """The pairs (i < j, sorted) of articles of different outlets with a lede sentence or headline
    of one at REPEAT_THRESHOLD or more to a lede sentence or headline of the other. Every repeat
    is among them: a mean of two cosines reaches the bar only if one of them does. The search is
    exact up to EXACT_MAX_VECTORS vectors; past that, an inverted-file index (faiss) compares each
    vector with those of the PROBES cells nearest it, not with all. At 100,005 articles it found
    99.65 % of the close pairs of a sample (bench/speed/discovery_search.py), and a run took 226 s
    against 1,510 s when every pair was scored (bench/speed/narratives.py)."""
    if len(ledes) < 2:
        return []
    vectors, owner = _stacked(ledes)
    outlets: dict[str, int] = {}
    # an article without an outlet has a code of its own: it is of a different outlet than any other
    outlet = np.array(
        [
            outlets.setdefault(x.article.outlet, len(outlets)) if x.article.outlet else -1 - i
            for i, x in enumerate(ledes)
        ]
    )
    index = _index(vectors)
    found = []
    for start in range(0, len(vectors), SEARCH_BLOCK):
        limits, _, neighbours = index.range_search(vectors[start : start + SEARCH_BLOCK], RANGE)
        mine = owner[start : start + SEARCH_BLOCK].repeat(np.diff(limits).astype(np.int64))
        theirs = owner[neighbours]
        keep = (mine < theirs) & (outlet[mine] != outlet[theirs])
        found.append(np.unique(mine[keep] * len(ledes) + theirs[keep]))
    codes = np.unique(np.concatenate(found))
    return [(int(c) // len(ledes), int(c) % len(ledes)) for c in codes]


def _stacked(ledes: Sequence[Lede]) -> tuple[F32, npt.NDArray[np.int64]]:
    """Every article's lede sentence vectors and headline vector in one matrix, and the article
    (its place in `ledes`) of each row."""
    blocks = [[x.vectors] if x.headline is None else [x.vectors, x.headline[None, :]] for x in ledes]
    vectors: F32 = np.vstack([v for block in blocks for v in block]).astype(np.float32)
    sizes = [sum(len(v) for v in block) for block in blocks]
    return vectors, np.repeat(np.arange(len(ledes), dtype=np.int64), sizes)


def _index(vectors: F32) -> faiss.Index:
    """A faiss index of `vectors` for inner-product range search: flat (exact) when they are few,
    otherwise an inverted file of about 4 x sqrt(n) cells (k-means, trained on a fixed sample, so
    that every run on the same vectors finds the same pairs). Imported here: only discovery needs
    it, and every command would otherwise pay for loading it."""
    import faiss

    dimensions = vectors.shape[1]
    if len(vectors) <= EXACT_MAX_VECTORS:
        flat = faiss.IndexFlatIP(dimensions)
        flat.add(vectors)
        return flat
    cells = int(4 * math.sqrt(len(vectors)))
    inverted = faiss.IndexIVFFlat(
        faiss.IndexFlatIP(dimensions), dimensions, cells, faiss.METRIC_INNER_PRODUCT
    )
    sample = np.random.default_rng(0).choice(
        len(vectors), min(len(vectors), TRAIN_PER_CELL * cells), replace=False
    )
    inverted.train(vectors[np.sort(sample)])
    inverted.add(vectors)
    inverted.nprobe = PROBES
    return inverted


def _repeat(a: Lede, b: Lede, score: float) -> Repeat:
    """The repeat of two articles: their closest pair of sentences, the earlier article first."""
    pairs = a.vectors @ b.vectors.T
    row, column = divmod(int(np.argmax(pairs)), pairs.shape[1])
    if (b.article.published or "9999") < (a.article.published or "9999"):
        a, b, row, column = b, a, column, row
    return Repeat(
        a.article.id,
        b.article.id,
        a.sentences[row],
        b.sentences[column],
        round(score, 3),
        _days(a.article.published, b.article.published),
    )


def candidates(links: list[Repeat], order: dict[str, int]) -> list[Candidate]:
    """Groups of articles linked by `links` (from `repeats`) in which a repeat spans RECUR_DAYS or
    more. `order` gives each article's place in the store, for the candidate's id (its member
    stored first)."""
    found: list[Candidate] = []
    starting: dict[str, list[int]] = {}  # an article's links, by their place in `links`
    for k, link in enumerate(links):
        starting.setdefault(link.earlier, []).append(k)
    for group in _stars(links, order):
        # the links within the group, in the order of `links`: each group reads its own members'
        # links, not all of them (a large store holds many groups and many links)
        inside = sorted(k for member in group for k in starting.get(member, ()) if links[k].later in group)
        group_links = [links[k] for k in inside]
        if not any(link.days is not None and link.days >= RECUR_DAYS for link in group_links):
            continue
        members = sorted(group, key=order.__getitem__)
        found.append(Candidate(CANDIDATE + members[0], members, repeated(group_links)[0], group_links))
    return sorted(found, key=lambda c: (-len(c.articles), c.id))


def _stars(links: list[Repeat], order: dict[str, int]) -> list[set[str]]:
    """Groups in which every member repeats one article, the core: the article that repeats the
    most others (ties: the one stored first) and those it repeats, then again among the rest.
    Linking whatever repeats anything would chain one topic's stories into a single group (46
    BBC stories on one party's leaders, bench/quality/discovery_news.py), though no claim joins them all."""
    near: dict[str, set[str]] = {}
    for link in links:
        near.setdefault(link.earlier, set()).add(link.later)
        near.setdefault(link.later, set()).add(link.earlier)
    left = set(near)
    # a heap of (-repeats among those left, place in the store); an entry whose count has since
    # fallen is pushed back with its new count, so each pop costs one count, not a scan of all
    queue = [(-len(others), order[node], node) for node, others in near.items()]
    heapq.heapify(queue)
    groups = []
    while queue:
        count, _, core = heapq.heappop(queue)
        if core not in left:
            continue
        now = len(near[core] & left)
        if now != -count:
            heapq.heappush(queue, (-now, order[core], core))
            continue
        group = {core} | (near[core] & left)
        left -= group
        if len(group) >= MIN_ARTICLES:
            groups.append(group)
    return groups


def repeated(links: Sequence[Repeat]) -> list[str]:
    """The sentences of `links`, those that take part in the most repeats first (ties: the
    closest): the first states the claim the members share."""
    counts: Counter[str] = Counter()
    best: dict[str, float] = {}
    for link in links:
        for sentence in (link.earlier_sentence, link.later_sentence):
            counts[sentence] += 1
            best[sentence] = max(best.get(sentence, 0.0), link.score)
    return sorted(counts, key=lambda s: (-counts[s], -best[s]))


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return abs((dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days) if a and b else None
    except ValueError:  # a partial date ("2018") shows no interval in days
        return None
