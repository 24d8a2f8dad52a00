"""Copy families: articles joined by copy or partial-copy links, with their earliest member."""

from __future__ import annotations

from dataclasses import dataclass

from narratrace.model import Article, Reuse

FAMILY_KINDS = ("copy", "partial")


@dataclass(slots=True, frozen=True)
class Family:
    id: str  # the id of its earliest (or first-listed) member: stable while the family stands
    members: tuple[str, ...]
    earliest: str | None
    reason: str


def families(pairs: list[Reuse], articles: dict[str, Article]) -> list[Family]:
    """Connected components of copy links, largest first."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links = [p for p in pairs if p.kind in FAMILY_KINDS]
    for pair in links:
        parent[root(pair.a)] = root(pair.b)
    groups: dict[str, list[str]] = {}
    for member in list(parent):
        groups.setdefault(root(member), []).append(member)
    result = []
    for members in groups.values():
        members.sort()
        earliest, reason = _earliest(members, links, articles)
        result.append(Family(earliest or members[0], tuple(members), earliest, reason))
    return sorted(result, key=lambda f: (-len(f.members), f.id))


def _earliest(members: list[str], links: list[Reuse], articles: dict[str, Article]) -> tuple[str | None, str]:
    dated = sorted(
        (str(articles[m].published), m) for m in members if m in articles and articles[m].published
    )
    if dated and (len(dated) == 1 or dated[0][0] < dated[1][0]):
        return dated[0][1], f"earliest publication date ({dated[0][0]})"
    inside = set(members)
    targets = {
        p.b if p.direction == "a_to_b" else p.a for p in links if p.direction != "unknown" and p.a in inside
    }
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
    return None, "not known: no dates or attribution cues settle it"
