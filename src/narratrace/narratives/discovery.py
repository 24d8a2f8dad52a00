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
  bench/discovery_news.py), for one pair of pushing articles of the benchmarks.

What it cannot tell: genuine news that returns to a topic years later in nearly the same words (on
the narrative benchmark, an agency's 2019 and 2023 findings on one attack form a candidate). Nor
a narrative pushed only in one burst: its articles look like news of one event. Undated articles
never show a resurfacing. Hence candidates, not narratives: `bench.narratives_quality --discover`
measures both sides.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from narratrace.model import Article
from narratrace.narratives.embed import F32

# The bar of the join (service.py JOIN_THRESHOLD): two articles' claims are one when their closest
# pair comes this close, here together with their headlines. Not chosen anew for discovery.
REPEAT_THRESHOLD = 0.65
RECUR_DAYS = 30
MIN_ARTICLES = 3
CANDIDATE = "candidate:"
BLOCK = 128  # articles compared with all others at a time: bounded memory for the similarity block


@dataclass(slots=True, frozen=True)
class Lede:
    """An article as discovery reads it: its lede sentences and their vectors, its headline's vector."""

    article: Article
    sentences: list[str]
    vectors: F32
    headline: F32 | None = None


@dataclass(slots=True, frozen=True)
class Repeat:
    """Two articles that state one claim: the closest pair of their lede sentences, earlier first."""

    earlier: str
    later: str
    earlier_sentence: str
    later_sentence: str
    score: float  # the weaker direction of the headline rule
    days: int | None  # between their publication dates, when both are dated


@dataclass(slots=True)
class Candidate:
    """A group of articles linked by repeats, in which the claim resurfaced."""

    id: str  # "candidate:" + the id of the member stored first: stable as the group grows
    articles: list[str]
    label: str  # the sentence the members repeat most (`repeated`)
    repeats: list[Repeat] = field(default_factory=list)


def repeats(ledes: Sequence[Lede]) -> list[Repeat]:
    """Every pair of articles that repeats one claim (see the module docstring): BLOCK articles at a
    time against themselves and every article after them, so that each pair is scored once."""
    if len(ledes) < 2:
        return []
    counts = [len(x.sentences) for x in ledes]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    matrix = np.vstack([x.vectors for x in ledes])
    # an article without a headline stands in with a zero vector, and its lede pair alone counts
    titled = np.array([x.headline is not None for x in ledes])
    blank = np.zeros(matrix.shape[1], dtype=np.float32)
    heads: F32 = np.vstack([blank if x.headline is None else x.headline for x in ledes])
    found: list[Repeat] = []
    for block in range(0, len(ledes), BLOCK):
        end = min(block + BLOCK, len(ledes))
        mine = matrix[starts[block] : starts[end] if end < len(ledes) else len(matrix)]
        local = starts[block:end] - starts[block]
        later = matrix[starts[block] :]  # the sentences of this block and of every article after it
        offsets = starts[block:] - starts[block]
        lede = np.maximum.reduceat(np.maximum.reduceat(mine @ later.T, offsets, axis=1), local, axis=0)
        head_to_head = heads[block:end] @ heads[block:].T
        # my headline against the other's lede and headline; the other's headline against mine
        forward = np.maximum(np.maximum.reduceat(heads[block:end] @ later.T, offsets, axis=1), head_to_head)
        backward = np.maximum(np.maximum.reduceat(heads[block:] @ mine.T, local, axis=1).T, head_to_head)
        score = np.minimum(
            np.where(titled[block:end, None], (lede + forward) / 2, lede),
            np.where(titled[None, block:], (lede + backward) / 2, lede),
        )
        for row, column in zip(*np.nonzero(score >= REPEAT_THRESHOLD), strict=True):
            i, j = block + int(row), block + int(column)
            if i < j and not (ledes[i].article.outlet and ledes[i].article.outlet == ledes[j].article.outlet):
                found.append(_repeat(ledes[i], ledes[j], float(score[row, column])))
    return found


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
    for group in _stars(links, order):
        group_links = [link for link in links if link.earlier in group and link.later in group]
        if not any(link.days is not None and link.days >= RECUR_DAYS for link in group_links):
            continue
        members = sorted(group, key=order.__getitem__)
        found.append(Candidate(CANDIDATE + members[0], members, repeated(group_links)[0], group_links))
    return sorted(found, key=lambda c: (-len(c.articles), c.id))


def _stars(links: list[Repeat], order: dict[str, int]) -> list[set[str]]:
    """Groups in which every member repeats one article, the core: the article that repeats the
    most others (ties: the one stored first) and those it repeats, then again among the rest.
    Linking whatever repeats anything would chain one topic's stories into a single group (46
    BBC stories on one party's leaders, bench/discovery_news.py), though no claim joins them all."""
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
