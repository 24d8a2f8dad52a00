"""Copy families (articles joined by copy or partial-copy links) and syndication chains (articles
of several outlets carrying one source's passage), each with its earliest member."""

from __future__ import annotations

from dataclasses import dataclass

from narratrace.ingest import dates
from narratrace.model import Article, Reuse

FAMILY_KINDS = ("copy", "partial")


@dataclass(slots=True, frozen=True)
class Family:
    id: str  # the id of its earliest (or first-listed) member: stable while the family stands
    members: tuple[str, ...]
    earliest: str | None
    reason: str


@dataclass(slots=True, frozen=True)
class Chain:
    """Articles of several outlets that carry one source's passage (syndication)."""

    members: tuple[str, ...]  # in publication order, the undated last
    passage: str  # the longest passage their links share
    earliest: str | None
    reason: str


def families(pairs: list[Reuse], articles: dict[str, Article]) -> list[Family]:
    """Connected components of copy links, largest first."""
    result = []
    for members, links in _components([p for p in pairs if p.kind in FAMILY_KINDS]):
        earliest, reason = _earliest(members, links, articles)
        result.append(Family(earliest or members[0], tuple(members), earliest, reason))
    return sorted(result, key=lambda f: (-len(f.members), f.id))


def syndication_chains(pairs: list[Reuse], articles: dict[str, Article]) -> list[Chain]:
    """Connected components of syndicated links, largest first, each in publication order."""
    result = []
    for members, links in _components([p for p in pairs if p.syndicated]):
        passages = [x.a_text for p in links for x in p.passages]
        earliest, reason = _earliest(members, links, articles)
        dated = sorted(members, key=lambda m: (articles[m].published or "9999") if m in articles else "9999")
        result.append(Chain(tuple(dated), max(passages, key=len, default=""), earliest, reason))
    return sorted(result, key=lambda c: (-len(c.members), c.members))


def _components(links: list[Reuse]) -> list[tuple[list[str], list[Reuse]]]:
    """The articles the links join, as groups (each sorted), each with its own links."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in links:
        parent[root(pair.a)] = root(pair.b)
    groups: dict[str, list[str]] = {}
    for member in list(parent):
        groups.setdefault(root(member), []).append(member)
    own: dict[str, list[Reuse]] = {}
    for pair in links:
        own.setdefault(root(pair.a), []).append(pair)
    return [(sorted(members), own[key]) for key, members in groups.items()]


def _earliest(members: list[str], links: list[Reuse], articles: dict[str, Article]) -> tuple[str | None, str]:
    """The earliest member of a group, given the group's own links, and why."""
    dated = sorted(
        (str(articles[m].published), m) for m in members if m in articles and articles[m].published
    )
    if dated and (len(dated) == 1 or dates.before(dated[0][0], dated[1][0])):
        return dated[0][1], f"published first, on {dated[0][0]}"
    targets = {p.b if p.direction == "a_to_b" else p.a for p in links if p.direction != "unknown"}
    sources = [
        m
        for m in members
        if m not in targets
        and any(
            (p.a == m and p.direction == "a_to_b") or (p.b == m and p.direction == "b_to_a") for p in links
        )
    ]
    if len(sources) == 1:
        return sources[0], "the only member every directed copy link points away from"
    if len(dated) > 1:  # the earliest date is shared
        tied = sum(1 for day, _ in dated if day == dated[0][0])
        return (
            None,
            f"not known: {tied} members share the earliest date ({dated[0][0]}) "
            "and no attribution cue settles it",
        )
    return None, "not known: no dates or attribution cues settle it"
