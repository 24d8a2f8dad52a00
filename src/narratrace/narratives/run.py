"""The incremental narrative run: match the articles not matched yet, batch by batch (all of them
when the catalogue or the decision model changed), let unmatched articles join through members,
then group what is stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from narratrace.aliases import AliasTable
from narratrace.claims.service import alias_rows
from narratrace.model import Article, ArticleMatch, Narrative
from narratrace.narratives import grouping, inputs, joining, judge, pushes, search, thresholds
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.fact_checks import sync_stored_fact_checks
from narratrace.narratives.grouping import (
    group,
    is_fact_check,
    lede_matches,
)
from narratrace.narratives.importing import group_cases, load_index
from narratrace.narratives.joining import JOIN_MAX_CATALOGUE_SENTENCES, JoinCandidate
from narratrace.narratives.matcher import (
    CatalogueIndex,
)
from narratrace.narratives.thresholds import JOIN_PREFILTER
from narratrace.reuse.families import FAMILY_KINDS
from narratrace.settings import Settings
from narratrace.store import Store
from narratrace.store import catalogue as stored
from narratrace.store import reuse as stored_reuse
from narratrace.store import state as analysis

MATCHED_SEQ = "narratives.last_seq"


CATALOGUE_STATE = "narratives.catalogue"


MATCH_BATCH = 200


def update_narratives(store: Store, encoder: Callable[[Sequence[str]], F32] = encode) -> list[Narrative]:
    """Match articles not matched yet (all of them when the catalogue changed, or a stored
    fact-check added a narrative of its own), then group."""
    group_cases(store)  # entries an interrupted import left ungrouped
    sync_stored_fact_checks(store, encoder)
    # every match is redone when the catalogue, the decision model or a setting changes
    signature = f"{stored.signature(store.db)}|{pushes.model().fingerprint}|{settings().signature}"
    if analysis.state(store.db, CATALOGUE_STATE) != signature:
        with store.transaction() as db:
            stored.forget_matches(db)
            analysis.set_state(db, MATCHED_SEQ, "0")
            analysis.set_state(db, CATALOGUE_STATE, signature)
    last = int(analysis.state(store.db, MATCHED_SEQ) or 0)
    index: CatalogueIndex | None = None  # loaded only when some article is still unmatched
    batch: list[tuple[int, Article]] = []
    for row in store.article_rows(after_seq=last):
        batch.append(row)
        if len(batch) >= MATCH_BATCH:
            index = index or load_index(store, encoder, english=False)
            _match_batch(store, index, batch)
            batch = []
    if batch:
        index = index or load_index(store, encoder, english=False)
        _match_batch(store, index, batch)
    # the candidates every batch stored, this run's and those a killed run left
    candidates = [JoinCandidate(*row) for row in stored.join_candidates(store.db)]
    if candidates:
        joining.join_through_members(store, candidates, encoder)
    return current_narratives(store)


def settings() -> Settings:
    """Every setting the stored matches depend on: the bars and gates, what an input is cut to,
    the decision model's features and cues, and the fact-check cues that make a match a debunk;
    and the code that judges an article, so that a new version of it judges every article again."""
    return Settings.read(
        (thresholds, inputs, pushes, grouping, joining), rules=(grouping, inputs, judge, pushes, search)
    )


def current_narratives(store: Store) -> list[Narrative]:
    """The narratives as the stored matches and pairs make them (reads only). Only the articles
    that matched, or are copies, are loaded: the cost follows the narratives, not the corpus."""
    found = list(stored.matches(store.db))
    pairs = [p for p in stored_reuse.pairs(store.db) if p.kind in FAMILY_KINDS]
    wanted = {m.article for m in found} | {x for p in pairs for x in (p.a, p.b)}
    articles = list(store.articles_by_id(wanted).values())
    return group(
        articles,
        list(stored.entries(store.db)),
        found,
        pairs,
        AliasTable(alias_rows(store)),
        stored.anchors(store.db),
    )


def _match_batch(store: Store, index: CatalogueIndex, batch: list[tuple[int, Article]]) -> None:
    """Match and store a batch, with the unmatched articles that may still join a narrative
    (read by `join_through_members` once every batch is matched) and the progress marker, in one
    transaction: a kill leaves every batch whole or absent."""
    articles = [article for _, article in batch]
    found: list[ArticleMatch] = []
    unmatched: list[str] = []
    candidates = []
    member_ledes: dict[str, tuple[list[str], F32]] = {}
    joinable = 0 < len(index.vectors) <= JOIN_MAX_CATALOGUE_SENTENCES
    for article, (match, vectors) in zip(articles, lede_matches(articles, index), strict=True):
        if match:
            found.append(match)
            if not match.fact_check and match.status == "confident" and vectors:
                member_ledes[article.id] = (list(vectors), np.vstack(list(vectors.values())))
            continue
        unmatched.append(article.id)
        if joinable and vectors:
            matrix = np.vstack(list(vectors.values()))
            # the score first: few articles come close, and the cue search reads the whole text
            if float((matrix @ index.vectors.T).max()) >= JOIN_PREFILTER and not is_fact_check(article):
                candidates.append(JoinCandidate(article.id, list(vectors), matrix, article.title))
    with store.transaction() as db:
        stored.save_matches(db, found, unmatched)
        stored.save_ledes(db, member_ledes)
        stored.save_join_candidates(db, ((c.article, c.sentences, c.vectors, c.headline) for c in candidates))
        analysis.set_state(db, MATCHED_SEQ, str(batch[-1][0]))
