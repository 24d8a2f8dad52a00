"""The incremental narrative run: match the articles not matched yet, batch by batch (all of them
when the catalogue or the decision model changed), let unmatched articles join through members,
then group what is stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    last = start(store, encoder)
    index: CatalogueIndex | None = None  # loaded only when some article is still unmatched
    batch: list[tuple[int, Article]] = []
    for row in store.article_rows(after_seq=last):
        batch.append(row)
        if len(batch) >= MATCH_BATCH:
            index = index or load_index(store, encoder, english=False)
            save_batch(store, match_batch(index, [a for _, a in batch]), batch[-1][0])
            batch = []
    if batch:
        index = index or load_index(store, encoder, english=False)
        save_batch(store, match_batch(index, [a for _, a in batch]), batch[-1][0])
    return finish(store, encoder)


def start(store: Store, encoder: Callable[[Sequence[str]], F32] = encode) -> int:
    """The run's first step (either engine): the catalogue's claims and stored fact-checks brought
    up to date, every match forgotten when the catalogue, the decision model or a setting changed;
    returns the newest article already matched."""
    group_cases(store)  # entries an interrupted import left ungrouped
    sync_stored_fact_checks(store, encoder)
    signature = f"{stored.signature(store.db)}|{pushes.model().fingerprint}|{settings().signature}"
    if analysis.state(store.db, CATALOGUE_STATE) != signature:
        with store.transaction() as db:
            stored.forget_matches(db)
            analysis.set_state(db, MATCHED_SEQ, "0")
            analysis.set_state(db, CATALOGUE_STATE, signature)
    return int(analysis.state(store.db, MATCHED_SEQ) or 0)


def finish(store: Store, encoder: Callable[[Sequence[str]], F32] = encode) -> list[Narrative]:
    """The run's last step (either engine), once every article is matched: unmatched articles join
    through members (the candidates every batch stored, this run's and those a killed run left),
    then the narratives are grouped."""
    candidates = [JoinCandidate(*row) for row in stored.join_candidates(store.db)]
    if candidates:
        joining.join_through_members(store, candidates, encoder)
    return current_narratives(store)


def made_under(store: Store) -> dict[str, str]:
    """What the stored matches depend on, by content (the same in any copy of the store): the
    catalogue, the decision model and the settings. A cluster run keeps it with its results."""
    return {
        "catalogue": stored.content_digest(store.db),
        "model": pushes.model().fingerprint,
        "settings": settings().signature,
    }


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


@dataclass(slots=True)
class BatchMatches:
    """What matching one batch of articles found, as it is stored in one transaction."""

    found: list[ArticleMatch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    # confident members' lede sentences and their vectors, which later articles join through
    ledes: dict[str, tuple[list[str], F32]] = field(default_factory=dict)
    candidates: list[JoinCandidate] = field(default_factory=list)  # unmatched, and may still join


def match_batch(index: CatalogueIndex, articles: list[Article]) -> BatchMatches:
    """Match a batch of articles (reads nothing stored: either engine runs it)."""
    matched = BatchMatches()
    joinable = 0 < len(index.vectors) <= JOIN_MAX_CATALOGUE_SENTENCES
    for article, (match, vectors) in zip(articles, lede_matches(articles, index), strict=True):
        if match:
            matched.found.append(match)
            if not match.fact_check and match.status == "confident" and vectors:
                matched.ledes[article.id] = (list(vectors), np.vstack(list(vectors.values())))
            continue
        matched.unmatched.append(article.id)
        if joinable and vectors:
            matrix = np.vstack(list(vectors.values()))
            # the score first: few articles come close, and the cue search reads the whole text
            if float((matrix @ index.vectors.T).max()) >= JOIN_PREFILTER and not is_fact_check(article):
                matched.candidates.append(JoinCandidate(article.id, list(vectors), matrix, article.title))
    return matched


def save_batch(store: Store, matched: BatchMatches, last_seq: int) -> None:
    """Store a batch's matches, its join candidates and the progress marker (the batch's newest
    article) in one transaction: a kill leaves every batch whole or absent."""
    with store.transaction() as db:
        stored.save_matches(db, matched.found, matched.unmatched)
        stored.save_ledes(db, matched.ledes)
        stored.save_join_candidates(
            db, ((c.article, c.sentences, c.vectors, c.headline) for c in matched.candidates)
        )
        analysis.set_state(db, MATCHED_SEQ, str(last_seq))
