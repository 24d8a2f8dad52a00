"""Joins through members: an article the catalogue gives nothing joins a narrative, for review,
when its lede repeats a confident member's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from narratrace.model import ArticleMatch
from narratrace.narratives.embed import F32
from narratrace.narratives.matcher import (
    headline_agrees,
)
from narratrace.narratives.thresholds import (
    JOIN_THRESHOLD,
    LEDE_SENTENCES,
)
from narratrace.sentences import sentences
from narratrace.store import Store
from narratrace.store import catalogue as stored

# Above this many catalogue sentences the prefilter would cost a second search: no join.
JOIN_MAX_CATALOGUE_SENTENCES = 20_000


@dataclass(slots=True, frozen=True)
class JoinCandidate:
    article: str
    sentences: list[str]
    vectors: F32
    headline: str | None = None


def join_through_members(
    store: Store, candidates: list[JoinCandidate], encoder: Callable[[Sequence[str]], F32]
) -> None:
    """Let unmatched articles join the narrative of the matched article their lede is closest to.
    Only articles the catalogue itself matched count as members here, so joins do not chain.
    Members' lede vectors are stored when they match; only those missing are encoded here."""
    members = [
        (m.article, m.entry)
        for m in stored.matches(store.db)
        if m.via is None and not m.fact_check and m.status == "confident"
    ]
    if not members:
        _store_joins(store, [])
        return
    ledes = _member_ledes(store, [article for article, _ in members], encoder)
    owners: list[tuple[str, str]] = []  # (entry, member article) per member lede sentence
    blocks: list[F32] = []
    for article_id, entry in members:
        if article_id in ledes:
            _, vectors = ledes[article_id]
            owners += [(entry, article_id)] * len(vectors)
            blocks.append(vectors)
    if not owners:
        _store_joins(store, [])
        return
    member_vectors = np.vstack(blocks)
    close: list[tuple[JoinCandidate, int, int, float]] = []  # candidate, its sentence, member sentence, score
    for candidate in candidates:
        scores = candidate.vectors @ member_vectors.T  # candidate sentences x member sentences
        row, column = divmod(int(np.argmax(scores)), scores.shape[1])
        if float(scores[row, column]) >= JOIN_THRESHOLD:
            close.append((candidate, row, column, float(scores[row, column])))
    # an article with a headline joins only if its headline agrees with the narrative's members
    headlines = {c.article: c.headline.strip() for c, *_ in close if c.headline and c.headline.strip()}
    headline_vectors = (
        dict(zip(headlines, encoder(list(headlines.values())), strict=True)) if headlines else {}
    )
    entries = [entry for entry, _ in owners]
    rows: list[ArticleMatch] = []
    for candidate, row, column, score in close:
        entry, member = owners[column]
        vector = headline_vectors.get(candidate.article)
        if vector is not None and not headline_agrees(
            score, closest_row(vector, member_vectors, entries, entry)[1]
        ):
            continue
        # a join rests on what one member says, not on the calibrated model: shown for review
        sentence = candidate.sentences[row]
        rows.append(
            ArticleMatch(candidate.article, entry, round(score, 3), sentence, False, member, None, "review")
        )
    _store_joins(store, rows)


def _store_joins(store: Store, rows: list[ArticleMatch]) -> None:
    """The joins found, and the candidates read, in one transaction."""
    with store.transaction() as db:
        stored.save_matches(db, rows)
        stored.clear_join_candidates(db)


def _member_ledes(
    store: Store, members: list[str], encoder: Callable[[Sequence[str]], F32]
) -> dict[str, tuple[list[str], F32]]:
    """Each member's lede sentences and vectors: stored ones, and the rest (members matched
    before they were kept) encoded and stored now, once."""
    found = stored.ledes(store.db, members)
    missing = store.articles_by_id([m for m in members if m not in found])
    texts = {a.id: sentences(a.text, a.language)[:LEDE_SENTENCES] for a in missing.values()}
    texts = {article: lede for article, lede in texts.items() if lede}
    if texts:
        vectors = encoder([s for lede in texts.values() for s in lede])
        offset, new = 0, {}
        for article, lede in texts.items():
            new[article] = (lede, vectors[offset : offset + len(lede)])
            offset += len(lede)
        with store.transaction() as db:
            stored.save_ledes(db, new)
        found.update(new)
    return found


def closest_row(vector: F32, matrix: F32, owners: Sequence[str], owner: str) -> tuple[int, float]:
    """The row of `matrix` that `owner` owns closest to `vector` (a headline against the
    sentences of one narrative), and its score."""
    rows = [i for i, name in enumerate(owners) if name == owner]
    scores = matrix[rows] @ vector
    best = int(np.argmax(scores))
    return rows[best], float(scores[best])
