"""The incremental reuse run: fingerprint new articles, find candidates that involve them,
align those, store the pairs. Pairs found earlier are kept and never recomputed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from narratrace.ingest import dates
from narratrace.model import Article, Reuse
from narratrace.reuse import align, candidates, lineage, shingle
from narratrace.reuse import pairs as kinds
from narratrace.reuse.candidates import FingerprintIndex, candidate_pairs
from narratrace.reuse.pairs import compare
from narratrace.reuse.shingle import Tokens, fingerprints_many, tokenize_many
from narratrace.settings import Settings
from narratrace.store import Store
from narratrace.store import reuse as stored
from narratrace.store import state as analysis

LAST_SEQ = "reuse.last_seq"  # the newest article whose pairs are all stored
PARAMETERS = "reuse.parameters"
# A run's progress, each committed with what it covers, so that a killed run resumes: the newest
# article fingerprinted, and "<from>:<to>:<pairs aligned>" of the candidate pairs being aligned
# (the candidates of one range of articles are the same on every run: sorted, from the same
# stored fingerprints).
FINGERPRINTED = "reuse.fingerprinted_seq"
ALIGNING = "reuse.aligning"
BATCH = 2000  # articles fingerprinted, or pairs aligned, per transaction


def settings() -> Settings:
    """Every setting of the modules that make the pairs, and the rules written as code (kinds,
    stock text and syndication, direction, and the date comparison direction rests on); stored
    results made under others are recomputed (either engine)."""
    return Settings.read((shingle, candidates, align, kinds, lineage), rules=(kinds, lineage, dates))


def forget_if_changed(store: Store) -> None:
    """Forget the stored pairs and fingerprints made under other parameters (either engine)."""
    current = settings().signature
    with store.transaction() as db:
        if analysis.state(db, PARAMETERS) != current:
            stored.reset(db)
            analysis.set_state(db, PARAMETERS, current)


@dataclass(slots=True)
class ReuseRun:
    new_articles: int = 0
    candidates: int = 0
    pairs_found: int = 0


def update(store: Store, on_progress: Callable[[str, int, int], None] | None = None) -> ReuseRun:
    """Bring the stored reuse pairs up to date with the stored articles."""
    report = ReuseRun()
    forget_if_changed(store)
    last_seq = int(analysis.state(store.db, LAST_SEQ) or 0)
    newest = max(last_seq, int(analysis.state(store.db, FINGERPRINTED) or 0))
    for batch in _batches(store.article_rows(after_seq=newest)):
        prints = fingerprints_many([a.text for _, a in batch])
        with store.transaction() as db:
            stored.save_fingerprints(db, zip([seq for seq, _ in batch], prints, strict=True))
            analysis.set_state(db, FINGERPRINTED, str(batch[-1][0]))
        report.new_articles += len(batch)
        newest = batch[-1][0]
        if on_progress:
            on_progress("fingerprints", report.new_articles, 0)
    if newest == last_seq:
        return report

    seqs: list[int] = []

    def stream() -> Iterator[np.ndarray]:
        for seq, found in stored.fingerprints(store.db):
            seqs.append(seq)
            yield found

    index = FingerprintIndex.build(stream())
    seq_of = np.asarray(seqs, dtype=np.int64)
    rows = candidate_pairs(index, seq_of > last_seq)
    report.candidates = len(rows)
    pairs = seq_of[rows] if len(rows) else np.zeros((0, 2), dtype=np.int64)

    span = f"{last_seq}:{newest}:"
    marked = analysis.state(store.db, ALIGNING) or ""
    done = int(marked.removeprefix(span)) if marked.startswith(span) else 0  # a killed run's pairs
    for offset in range(done, len(pairs), BATCH):
        aligned = list(_align(store, pairs[offset : offset + BATCH], index))
        with store.transaction() as db:
            stored.save_pairs(db, aligned)
            analysis.set_state(db, ALIGNING, f"{span}{min(offset + BATCH, len(pairs))}")
        report.pairs_found += len(aligned)
        if on_progress:
            on_progress("align", min(offset + BATCH, len(pairs)), len(pairs))
    with store.transaction() as db:
        analysis.set_state(db, LAST_SEQ, str(newest))
    return report


def _batches(rows: Iterator[tuple[int, Article]]) -> Iterator[list[tuple[int, Article]]]:
    batch: list[tuple[int, Article]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _align(store: Store, pairs: np.ndarray, index: FingerprintIndex) -> Iterator[Reuse]:
    articles = dict(store.article_rows(seqs=pairs.ravel().tolist()))
    order = list(articles)
    tokens: dict[int, Tokens] = dict(
        zip(order, tokenize_many([articles[s].text for s in order]), strict=True)
    )
    for a_seq, b_seq in pairs.tolist():
        found = compare(
            articles[a_seq], articles[b_seq], tokens[a_seq], tokens[b_seq], index.document_frequency
        )
        if found is not None:
            yield found
