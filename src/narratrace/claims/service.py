"""Claims over what the store holds: extract incrementally, read back, summarise per narrative."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from narratrace import aliases as aliases_module
from narratrace.aliases import AliasTable, read_file, shipped_rows
from narratrace.claims import attribution, citations, extract, kinds, lexicon, people

__all__ = ["shipped_rows"]
from narratrace.claims.extract import analyse
from narratrace.errors import InputError
from narratrace.model import (
    AliasRow,
    Article,
    ArticleEvidence,
    Narrative,
    Reuse,
    SourceCount,
    SourceSummary,
)
from narratrace.settings import Settings
from narratrace.store import Store
from narratrace.store import claims as stored
from narratrace.store import reuse as stored_reuse
from narratrace.store import state as analysis

DONE_SEQ = "claims.last_seq"
SIGNATURE = "claims.signature"
BATCH = 500
# a claim is boilerplate when at least this share of it lies in stock text shared across outlets
BOILERPLATE_SHARE = 0.5
LEADING_DETERMINER = re.compile(r"^(?:the|a|an|some|other)\s+", re.IGNORECASE)


def import_aliases(store: Store, path: Path, on_error: Callable[[InputError], None]) -> int:
    rows = []
    for item in read_file(path):
        if isinstance(item, InputError):
            on_error(item)
        else:
            rows.append(item)
    with store.transaction() as db:
        return stored.save_aliases(db, rows)


def alias_rows(store: Store) -> list[AliasRow]:
    """The alias table's rows: the shipped ones, then the user's (which override them)."""
    return [*shipped_rows(), *stored.user_aliases(store.db)]


def settings() -> Settings:
    """The rules as written (their source, with the settings inside them): an edit to any redoes
    the stored claims, where a version number bumped by hand could be forgotten."""
    rules = (aliases_module, attribution, citations, extract, kinds, lexicon, people)
    return Settings.read(rules, rules=rules)


def current_signature(store: Store) -> tuple[list[AliasRow], str]:
    """The alias table's rows, and the signature of the rules and the table that claims are made
    under now."""
    rows = alias_rows(store)
    return rows, f"{settings().signature}:{stored.aliases_signature(rows)}"


def forget_if_changed(store: Store) -> tuple[list[AliasRow], str]:
    """The alias table's rows and the signature of the rules and the table, the stored claims
    forgotten first when they were made under another (either engine)."""
    rows, signature = current_signature(store)
    if analysis.state(store.db, SIGNATURE) != signature:
        with store.transaction() as db:
            stored.forget(db)
            analysis.set_state(db, DONE_SEQ, "0")
            analysis.set_state(db, SIGNATURE, signature)
    return rows, signature


def update_claims(store: Store, on_progress: Callable[[str, int, int], None] | None = None) -> int:
    """Extract claims of the articles not done yet (of all, when the alias table or the extractor
    changed); returns how many articles were processed."""
    rows, _ = forget_if_changed(store)
    aliases = AliasTable(rows)
    last = int(analysis.state(store.db, DONE_SEQ) or 0)
    total = store.db.execute("SELECT COUNT(*) FROM articles WHERE seq > ?", (last,)).fetchone()[0]
    done = 0
    batch: list[tuple[int, Article]] = []
    for row in store.article_rows(after_seq=last):
        batch.append(row)
        if len(batch) >= BATCH:
            done += _save_batch(store, batch, aliases)
            batch = []
            if on_progress:
                on_progress("claims", done, total)
    if batch:
        done += _save_batch(store, batch, aliases)
    if on_progress:
        on_progress("claims", done, total)
    return done


def _save_batch(store: Store, batch: list[tuple[int, Article]], aliases: AliasTable) -> int:
    found = [analyse(a.id, a.text, a.language, aliases) for _, a in batch]
    with store.transaction() as db:
        stored.save(db, found)
        analysis.set_state(db, DONE_SEQ, str(batch[-1][0]))
    return len(found)


def boilerplate(evidence: ArticleEvidence, pairs: Iterable[Reuse]) -> set[int]:
    """Positions of the claims that sit in stock passages (text many outlets repeat)."""
    spans: list[tuple[int, int]] = []
    for pair in pairs:
        if not pair.stock:
            continue
        for passage in pair.passages:
            if pair.a == evidence.article:
                spans.append((passage.a_start, passage.a_end))
            if pair.b == evidence.article:
                spans.append((passage.b_start, passage.b_end))
    found = set()
    for position, claim in enumerate(evidence.claims):
        inside = sum(max(0, min(claim.end, e) - max(claim.start, s)) for s, e in spans)
        if claim.end > claim.start and inside / (claim.end - claim.start) >= BOILERPLATE_SHARE:
            found.add(position)
    return found


def article_evidence(
    store: Store, ids: Iterable[str] | None = None
) -> list[tuple[ArticleEvidence, set[int]]]:
    """Stored claims per article with the positions of those that are boilerplate. Only stock
    pairs matter here: for all articles they are read once, for a few, per article."""
    stock: dict[str, list[Reuse]] | None = None
    if ids is None:
        stock = {}
        for pair in stored_reuse.pairs(store.db, stock_only=True):
            stock.setdefault(pair.a, []).append(pair)
            stock.setdefault(pair.b, []).append(pair)
    out = []
    for evidence in stored.evidence(store.db, ids):
        if stock is not None:
            pairs = stock.get(evidence.article, [])
        else:
            pairs = list(stored_reuse.pairs(store.db, evidence.article, stock_only=True))
        out.append((evidence, boilerplate(evidence, pairs)))
    return out


def summarise(narrative: Narrative, found: list[tuple[ArticleEvidence, set[int]]]) -> SourceSummary:
    """Count the sources of a narrative's claims (boilerplate left out): one vote per claim."""
    members = set(narrative.articles)
    kinds: Counter[str] = Counter()
    sources: dict[tuple[str, str], SourceCount] = {}
    claims = 0
    for evidence, skipped in found:
        if evidence.article not in members:
            continue
        for position, claim in enumerate(evidence.claims):
            if position in skipped or not claim.citations:
                continue
            claims += 1
            citation = claim.citations[0]
            kinds[citation.kind] += 1
            if citation.kind == "unsourced":
                continue
            name = display_name(citation.canonical or citation.source or "", citation.kind)
            count = sources.setdefault((name.lower(), citation.kind), SourceCount(name, citation.kind))
            count.claims += 1
            count.articles.add(evidence.article)
            count.eyewitness = count.eyewitness or citation.eyewitness
            if citation.via:
                count.via.add(citation.via)
    ranked = sorted(sources.values(), key=lambda s: (-s.claims, s.source.lower()))
    named_eyewitnesses = sum(s.claims for s in ranked if s.eyewitness and s.kind == "named_person")
    return SourceSummary(
        narrative.id, narrative.label, len(members), claims, dict(kinds), ranked, named_eyewitnesses
    )


def display_name(name: str, kind: str) -> str:
    """One spelling per source: "The sources" and "the sources" count together."""
    name = " ".join(name.split())
    if kind == "anonymous":
        return LEADING_DETERMINER.sub("", name).lower() or name
    return name
