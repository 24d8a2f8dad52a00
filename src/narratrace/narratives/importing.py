"""Catalogue import into the store (entries embedded once, chunked, with progress; the claims they
state grouped, cases.py) and the stored catalogue loaded as a `CatalogueIndex`.

An entry's English-encoder vector (english.py: the re-ranking of claims and posts) is made when a
match first needs it, not at import: `narratives` never does, and it was three quarters of an
import's time (29 s of 47 s for 10,892 titles)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from narratrace.errors import InputError
from narratrace.model import CatalogueEntry
from narratrace.narratives import cases
from narratrace.narratives.catalogue import NotRead, read_catalogue
from narratrace.narratives.e5 import DIMENSIONS as E5_DIMENSIONS
from narratrace.narratives.e5 import encode_e5
from narratrace.narratives.embed import DIMENSIONS, F32, encode
from narratrace.narratives.english import encode_english
from narratrace.narratives.grouping import (
    STORED_FACT_CHECK,
)
from narratrace.narratives.inputs import entry_sentences
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.narratives.rerank import entry_text
from narratrace.store import Store
from narratrace.store import catalogue as stored

# Entries are encoded and stored in chunks of this many, each one transaction: progress is shown
# between them, and a killed import keeps the chunks it finished.
IMPORT_CHUNK = 1000


@dataclass(slots=True)
class ImportReport:
    read: int = 0  # entries read (exact duplicate rows once)
    new: int = 0
    changed: int = 0
    unchanged: int = 0  # already stored as they are: not encoded or stored again
    not_read: list[NotRead] = field(default_factory=list)


def import_catalogue(
    store: Store,
    paths: Iterable[Path],
    on_error: Callable[[InputError], None],
    encoder: Callable[[Sequence[str]], F32] = encode,
    mapping: dict[str, str] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Read catalogue files and store their entries, each embedded once (USE; the English vectors
    come with the first match, `load_index`); an entry stored already as it is costs nothing.
    `mapping`: catalogue field -> file column."""
    report = ImportReport()
    read: dict[str, CatalogueEntry] = {}
    for path in paths:
        for item in read_catalogue(path, mapping):
            if isinstance(item, InputError):
                on_error(item)
            elif isinstance(item, NotRead):
                report.not_read.append(item)
            else:
                read[item.id] = item
    report.read = len(read)
    known = {e.id: e for e in stored.entries(store.db)}
    fresh = [e for e in read.values() if e.id not in known or _content(known[e.id]) != _content(e)]
    report.changed = sum(e.id in known for e in fresh)
    report.new = len(fresh) - report.changed
    report.unchanged = report.read - len(fresh)
    for start in range(0, len(fresh), IMPORT_CHUNK):
        if on_progress is not None:
            on_progress("entries", start, len(fresh))
        save_entries(store, fresh[start : start + IMPORT_CHUNK], encoder)
    if on_progress is not None:
        on_progress("entries", len(fresh), len(fresh))
    group_cases(store)
    return report


def group_cases(store: Store) -> None:
    """Give every entry not grouped yet the claim it states (cases.py): entries of one claim are
    one narrative. Costs nothing when every entry is grouped."""
    if not stored.has_ungrouped(store.db):
        return
    found, vectors = stored.cases(store.db)
    changed = cases.anchors(found, vectors)
    with store.transaction() as db:
        stored.save_anchors(db, changed)


def _content(entry: CatalogueEntry) -> CatalogueEntry:
    """An entry without where it was read from: the same case from another file is unchanged."""
    return replace(entry, source="")


def save_entries(
    store: Store,
    entries: list[CatalogueEntry],
    encoder: Callable[[Sequence[str]], F32],
    forget: Sequence[str] = (),
) -> None:
    """Store entries with their sentence vectors, removing the entries `forget` names. Their
    English vectors are made by the first match (`english_vectors_of`): a changed entry's old one
    is removed here, so that it is made again from the entry's new text."""
    per_entry = [entry_sentences(e) for e in entries]
    flat = [s for group in per_entry for s in group]
    vectors = encoder(flat) if flat else np.zeros((0, 0), dtype=np.float32)
    with store.transaction() as db:
        stored.delete(db, forget)
        stored.forget_english(db, [e.id for e in entries])
        stored.save(db, entries)
        offset = 0
        for entry, texts in zip(entries, per_entry, strict=True):
            stored.save_sentences(db, entry.id, texts, vectors[offset : offset + len(texts)])
            offset += len(texts)


def load_index(
    store: Store,
    encoder: Callable[[Sequence[str]], F32] = encode,
    english: bool = True,
    imported_only: bool = False,
    keep: bool = True,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> CatalogueIndex:
    """The stored catalogue, ready to match: no sentence is embedded again. Entries without an
    English vector get theirs now, once, stored a chunk at a time (unless `english` is False, as
    for grouping, which never re-ranks: the index then has no English vectors). `imported_only`:
    without the entries made from stored fact-checks. `keep`: what matching works out (e5 vectors,
    how generic each entry sentence is) is kept in the store for the next run; without it (the
    web app, which only reads), for the life of the process."""
    entries, owners, texts, matrix = catalogue_sentences(store, imported_only)
    english_vectors: F32 | None = None
    if english and entries:
        known = english_vectors_of(store, entries, on_progress)
        english_vectors = np.vstack([known[e.id] for e in entries]).astype(np.float32)
    return CatalogueIndex(
        entries,
        owners,
        texts,
        matrix,
        encoder,
        english_vectors,
        e5_encoder=kept_e5(store if keep else None),
        claims=stored.anchors(store.db),
        kept=StoredScores(store) if keep else None,
    )


@dataclass(slots=True)
class StoredScores:
    """How generic each catalogue sentence is (search.py), kept in the store by the first article
    matched: at 10,892 entries, 1.7 s that each later `match` no longer spends."""

    store: Store

    def load(self, key: str) -> F32 | None:
        return stored.generic(self.store.db, key)

    def save(self, key: str, scores: F32) -> None:
        with self.store.transaction() as db:
            stored.save_generic(db, key, scores)


def catalogue_sentences(
    store: Store, imported_only: bool = False
) -> tuple[list[CatalogueEntry], npt.NDArray[np.int64], list[str], F32]:
    """The stored entries (without those made from stored fact-checks when `imported_only`), and
    their sentences: each one's entry position, text and USE vector, as an index is built of them."""
    entries = [e for e in stored.entries(store.db) if not (imported_only and e.origin == STORED_FACT_CHECK)]
    position = {e.id: i for i, e in enumerate(entries)}
    owners, texts, vectors = [], [], []
    for entry, text, vector in stored.sentences(store.db):
        if entry not in position:
            continue
        owners.append(position[entry])
        texts.append(text)
        vectors.append(vector)
    matrix = np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, DIMENSIONS), dtype=np.float32)
    return entries, np.asarray(owners, dtype=np.int64), texts, matrix


def english_vectors_of(
    store: Store,
    entries: Sequence[CatalogueEntry] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, F32]:
    """Entry id -> English-encoder vector, for `entries` (all stored ones when None): those
    without one are encoded now and stored a chunk at a time, so a killed run keeps its chunks."""
    known = stored.english(store.db)
    missing = [e for e in (stored.entries(store.db) if entries is None else entries) if e.id not in known]
    for start in range(0, len(missing), IMPORT_CHUNK):
        if on_progress is not None:
            on_progress("English vectors", start, len(missing))
        chunk = missing[start : start + IMPORT_CHUNK]
        found = dict(zip([e.id for e in chunk], encode_english([entry_text(e) for e in chunk]), strict=True))
        with store.transaction() as db:
            stored.save_english(db, found)
        known.update(found)
    if missing and on_progress is not None:
        on_progress("English vectors", len(missing), len(missing))
    return known


def kept_e5(store: Store | None) -> Callable[[Sequence[str]], F32]:
    """An e5 encoder that keeps what it encodes (in the store, when given one; else for the life
    of the process, as in the web app, which only reads): a sentence is encoded once. Vectors are
    rounded to float16 as they are kept, the first time too, so every run sees the same ones."""
    memory: dict[str, F32] = {}

    def encoder(texts: Sequence[str]) -> F32:
        wanted = list(dict.fromkeys(texts))
        found = {t: memory[t] for t in wanted if t in memory}
        if store is not None:
            found.update(stored.e5(store.db, [t for t in wanted if t not in found]))
        missing = [t for t in wanted if t not in found]
        if missing:
            new = dict(zip(missing, encode_e5(missing).astype(np.float16).astype(np.float32), strict=True))
            if store is not None:
                with store.transaction() as db:
                    stored.save_e5(db, new)
            found.update(new)
        memory.update(found)
        if not texts:
            return np.zeros((0, E5_DIMENSIONS), dtype=np.float32)
        return np.vstack([found[t] for t in texts]).astype(np.float32)

    return encoder
