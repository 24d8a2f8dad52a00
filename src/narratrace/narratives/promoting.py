"""Candidate narratives (discovery.py) over the stored articles, and a reviewed candidate promoted
to a catalogue entry of its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from narratrace.aliases import AliasTable
from narratrace.claims.service import alias_rows
from narratrace.errors import NarratraceError
from narratrace.model import Article, CatalogueEntry, Narrative
from narratrace.narratives.discovery import CANDIDATE, Lede, candidates, repeated, repeats
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.grouping import (
    DISCOVERED,
    describe,
    is_fact_check,
)
from narratrace.narratives.importing import group_cases, save_entries
from narratrace.narratives.run import update_narratives
from narratrace.narratives.thresholds import LEDE_SENTENCES
from narratrace.reuse.families import FAMILY_KINDS
from narratrace.sentences import sentences
from narratrace.store import Store
from narratrace.store import candidates as candidate_store
from narratrace.store import catalogue as stored
from narratrace.store import reuse as stored_reuse
from narratrace.store.state import analyses_state

PROMOTED_SENTENCES = 3  # of the members' repeated sentences, in the promoted entry's claim


def discover(
    store: Store,
    narratives: Sequence[Narrative],
    encoder: Callable[[Sequence[str]], F32] = encode,
    keep: bool = True,
) -> list[Narrative]:
    """Candidate narratives (discovery.py) among the stored articles that none of `narratives`
    holds and that are not fact-checks, those spread over most languages and outlets first.
    An article's lede and headline are encoded once and kept (as float16, and used as kept on
    the first run too, so that every run sees the same vectors), and the candidates are stored
    for the views (`stored_candidates`); with `keep` False nothing is stored. The pairs are
    searched anew on each call (discovery.py `_close_pairs`)."""
    found = _discover(store, narratives, encoder, keep)
    if keep:
        with store.transaction() as db:
            candidate_store.save(db, found, analyses_state(db))
    return found


def stored_candidates(store: Store) -> tuple[list[Narrative], Literal["current", "stale", "never"]]:
    """The candidates the last `narratives --discover` found, and how they stand: `current`,
    `stale` (the analyses have changed since that run) or `never` (no run stored any)."""
    found, state = candidate_store.load(store.db)
    if state is None:
        return [], "never"
    return found, "current" if state == analyses_state(store.db) else "stale"


def _discover(
    store: Store, narratives: Sequence[Narrative], encoder: Callable[[Sequence[str]], F32], keep: bool
) -> list[Narrative]:
    held = {a for n in narratives for a in (*n.articles, *n.debunks)}
    order: dict[str, int] = {}
    pool: list[Article] = []
    for seq, article in store.article_rows():
        order[article.id] = seq
        if article.id not in held and not is_fact_check(article):
            pool.append(article)
    read = stored.discovery_ledes(store.db, [a.id for a in pool])
    fresh = [(a, sentences(a.text, a.language)[:LEDE_SENTENCES]) for a in pool if a.id not in read]
    new = encode_for_discovery([(a, lede) for a, lede in fresh if lede], encoder)
    if new and keep:
        with store.transaction() as db:
            stored.save_discovery_ledes(db, new)
    read.update(new)
    ledes = [Lede(a, *read[a.id]) for a in pool if a.id in read]
    if len(ledes) < 2:
        return []
    found = candidates(repeats(ledes), order)
    members = {a for c in found for a in c.articles}
    by_id = {x.article.id: x.article for x in ledes if x.article.id in members}
    pairs = [p for p in stored_reuse.pairs(store.db) if p.kind in FAMILY_KINDS]
    aliases = AliasTable(alias_rows(store))
    shown = []
    for candidate in found:
        narrative = Narrative(
            candidate.id, candidate.label, [], [], articles=candidate.articles, repeats=candidate.repeats
        )
        describe(narrative, by_id, pairs, candidate.label, aliases)
        shown.append(narrative)
    # the widest spread first: a claim repeated across languages and outlets is the likeliest lead
    return sorted(shown, key=lambda n: (-len(n.languages), -len(n.outlets), -len(n.articles), n.id))


def encode_for_discovery(
    ledes: list[tuple[Article, list[str]]], encoder: Callable[[Sequence[str]], F32]
) -> dict[str, stored.DiscoveryLede]:
    """Each article's lede sentences with their vectors and its headline's, in one batch, rounded
    to float16 as they are kept."""
    if not ledes:
        return {}
    titles = [(i, a.title.strip()) for i, (a, _) in enumerate(ledes) if a.title and a.title.strip()]
    vectors = encoder([s for _, lede in ledes for s in lede] + [title for _, title in titles])
    vectors = vectors.astype(np.float16).astype(np.float32)
    offsets = np.cumsum([0] + [len(lede) for _, lede in ledes])
    headline = {i: vectors[offsets[-1] + k] for k, (i, _) in enumerate(titles)}
    return {
        article.id: (lede, vectors[offsets[i] : offsets[i + 1]], headline.get(i))
        for i, (article, lede) in enumerate(ledes)
    }


def promote(
    store: Store,
    candidate_id: str,
    title: str | None = None,
    entry_id: str | None = None,
    encoder: Callable[[Sequence[str]], F32] = encode,
) -> CatalogueEntry:
    """Make a candidate narrative a catalogue entry of its own (origin `discovered`), once an
    analyst has reviewed it: from the next narrative run its articles, and those that push its
    claim later, form a known narrative, and `match` finds it. The entry states the claim in the
    sentences the members repeat most (the label first); `title` defaults to the label, and the
    id to `discovered:` and the article the candidate is named after."""
    found = {c.id: c for c in discover(store, update_narratives(store, encoder), encoder)}
    if candidate_id not in found:
        known = ", ".join(sorted(found)) or "none"
        raise NarratraceError(f"no candidate narrative {candidate_id!r} (candidates now: {known})")
    candidate = found[candidate_id]
    entry = CatalogueEntry(
        id=entry_id or f"{DISCOVERED}:{candidate_id.removeprefix(CANDIDATE)}",
        origin=DISCOVERED,
        title=(title or candidate.label).strip(),
        claim=" ".join(repeated(candidate.repeats)[:PROMOTED_SENTENCES]),  # the label first
        published=candidate.first_seen,
        outlets=tuple(candidate.outlets),
        source=f"candidate narrative {candidate_id}",
    )
    if any(e.id == entry.id for e in stored.entries(store.db)):
        raise NarratraceError(f"the catalogue already has an entry {entry.id!r}")
    save_entries(store, [entry], encoder)
    group_cases(store)
    return entry
