"""Catalogue cases that state one claim: one narrative.

A real catalogue files one recurring claim many times: EUvsDisinfo has four cases titled "U.S
evacuated ISIS leaders and field commanders from the Syrian city of Deir Ezzor", twenty that say
Crimea joined Russia after a referendum in other words. Each case is linked to the cases stated
before it that say the same thing, and a claim is a connected group of cases, named after the
first case stored (its *anchor*: the narrative's id is `catalogue:` and the anchor's id, so
cases added later never rename it).

Two cases state one claim when:
- their titles are the same once case, punctuation and spacing are set aside;
- one title is another cut short ("Foreign mercenaries train the Ukrainian army and carry out
  massacres…", as scraped listings cut them);
- their first sentences (the title, as the catalogue stores it) come within SAME_CLAIM of each
  other by USE, which maps a sentence and its translation close together; a title cut short is
  linked only as a prefix, since what was cut may be the claim.

SAME_CLAIM was read off the two public EUvsDisinfo scrapes (bench/quality/catalogue_claims.py):
of title pairs sampled by hand, 24 of 24 above 0.90 state one claim ("NATO is preparing for war
with Russia." / "NATO is preparing to attack Russia."), 11 of 12 at 0.85-0.90 and 8 of 12 at
0.80-0.85 ("Russia has not sent observers to the Ukrainian elections" / "Only Russian observers
would not turn a blind eye"). At 0.88 the links chain "NATO is encircling Russia" with "NATO is
preparing for war": two claims of one topic, which must stay apart.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

import numpy as np

from narratrace.model import Case
from narratrace.narratives.embed import F32
from narratrace.narratives.thresholds import (
    MIN_PREFIX,
    SAME_CLAIM,
)

TRUNCATED = re.compile(r"(?:…|\.\.\.)\s*$")
BLOCK = 2048  # cases compared at once: bounded memory for a catalogue of any size


def title_key(title: str) -> str:
    """The title without case, punctuation, spacing or a trailing ellipsis."""
    return " ".join(re.findall(r"\w+", TRUNCATED.sub("", title).casefold()))


def is_cut(title: str) -> bool:
    return bool(TRUNCATED.search(title))


class _Groups:
    """Union-find over case positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the earlier case stays the root


def anchors(cases: Sequence[Case], vectors: F32) -> dict[str, str]:
    """The anchor of every case that is new (`anchor` None) or whose claim a new case joins:
    case id -> anchor id. `cases` in the order they were stored, `vectors` their first sentences'
    unit vectors, a row each. A group's anchor is the anchor of its earliest grouped case, else its
    earliest case; only links that involve a new case are looked for, so grouping costs what the
    new cases cost."""
    new = [i for i, case in enumerate(cases) if case.anchor is None]
    if not new:
        return {}
    groups = _Groups(len(cases))
    for i, j in _links(cases, vectors, new):
        groups.join(i, j)
    # a group's cases that were grouped before keep their anchor, unless the group now holds an
    # earlier one (a new case that states two claims' common claim joins them under the older id)
    members: dict[int, list[int]] = {}
    for i in range(len(cases)):
        members.setdefault(groups.find(i), []).append(i)
    changed: dict[str, str] = {}
    for root, inside in members.items():
        if not any(cases[i].anchor is None for i in inside):
            continue
        anchor = next((cases[i].anchor for i in inside if cases[i].anchor is not None), cases[root].id)
        assert anchor is not None
        for i in inside:
            if cases[i].anchor != anchor:
                changed[cases[i].id] = anchor
    # cases grouped before under an anchor that changed follow it, though no link reached them
    moved = {
        case.anchor: changed[case.id] for case in cases if case.anchor is not None and case.id in changed
    }
    for case in cases:
        if case.anchor is not None and case.anchor in moved and case.id not in changed:
            changed[case.id] = moved[case.anchor]
    return changed


def _links(cases: Sequence[Case], vectors: F32, new: list[int]) -> list[tuple[int, int]]:
    """Pairs (earlier position, later position) with at least one new case that state one claim."""
    keys = [title_key(c.title) for c in cases]
    links: list[tuple[int, int]] = []
    first_with: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key and key in first_with:
            links.append((first_with[key], i))
        first_with.setdefault(key, i)
    ordered = sorted((key, i) for i, key in enumerate(keys) if key)
    sorted_keys = [key for key, _ in ordered]
    for i in range(len(cases)):
        if not is_cut(cases[i].title) or len(keys[i]) < MIN_PREFIX:
            continue
        start = bisect_left(sorted_keys, keys[i])
        for key, j in ordered[start:]:
            if not key.startswith(keys[i]):
                break
            if j != i:
                links.append((min(i, j), max(i, j)))
    is_new = np.zeros(len(cases), dtype=bool)
    is_new[new] = True
    # a title cut short may have lost its claim ("The murder of Denis Voronenkov, former Duma's
    # deputy, who had…" stood for two claims about one murder): only its prefix links it
    whole = np.array([not is_cut(c.title) for c in cases], dtype=bool)
    compared = [i for i in new if whole[i]]
    for start in range(0, len(compared), BLOCK):
        rows = np.asarray(compared[start : start + BLOCK])
        scores = vectors[rows] @ vectors.T
        scores[:, ~whole] = -1.0
        for r, j in zip(*np.nonzero(scores >= SAME_CLAIM), strict=True):
            i = int(rows[r])
            if i != j:
                links.append((min(i, int(j)), max(i, int(j))))
    return [(i, j) for i, j in links if is_new[i] or is_new[j]]


def typical_title(titles: Sequence[str]) -> str:
    """The title a claim's cases use most (set apart from case and punctuation), as first written;
    a title cut short only when no case gives it whole."""
    whole = [t for t in titles if not is_cut(t)] or list(titles)
    counts = Counter(title_key(t) for t in whole)
    best = max(counts.values())
    return next(t for t in whole if counts[title_key(t)] == best)
