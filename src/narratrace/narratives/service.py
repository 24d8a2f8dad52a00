"""Catalogue import and matching against what the store holds."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from narratrace.claims.aliases import AliasTable
from narratrace.claims.service import alias_rows
from narratrace.errors import InputError, NarratraceError
from narratrace.model import Article, ArticleMatch, CatalogueEntry, Narrative
from narratrace.narratives import cases, pushes
from narratrace.narratives.catalogue import NotRead, read_catalogue
from narratrace.narratives.discovery import CANDIDATE, Lede, candidates, repeated, repeats
from narratrace.narratives.e5 import DIMENSIONS as E5_DIMENSIONS
from narratrace.narratives.e5 import encode_e5
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.english import encode_english
from narratrace.narratives.grouping import (
    DISCOVERED,
    FACT_CHECK_CUE,
    STORED_FACT_CHECK,
    best_matches,
    describe,
    group,
    is_fact_check,
    lede_matches,
)
from narratrace.narratives.judge import Input, judge
from narratrace.narratives.matcher import (
    CLAIM_REVIEW_FLOOR,
    MATCH_THRESHOLD,
    MAX_INPUT_CHARS,
    CatalogueIndex,
    Evidence,
    Match,
    entry_sentences,
    headline_agrees,
    input_sentences,
)
from narratrace.narratives.pushes import LEDE_SENTENCES
from narratrace.narratives.rerank import entry_text
from narratrace.reuse.families import FAMILY_KINDS
from narratrace.sentences import sentences
from narratrace.store import Store
from narratrace.store import catalogue as stored
from narratrace.store import reuse as stored_reuse
from narratrace.store import state as analysis

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
    """Read catalogue files and store their entries, each embedded once with both encoders; an
    entry stored already as it is costs nothing. `mapping`: catalogue field -> file column."""
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
        _save_entries(store, fresh[start : start + IMPORT_CHUNK], encoder)
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


def _save_entries(
    store: Store,
    entries: list[CatalogueEntry],
    encoder: Callable[[Sequence[str]], F32],
    english: bool = True,
    forget: Sequence[str] = (),
) -> None:
    """Store entries with their sentence vectors (and English vectors, unless `english` is False:
    `load_index` then makes them on the first match), removing the entries `forget` names."""
    per_entry = [entry_sentences(e) for e in entries]
    flat = [s for group in per_entry for s in group]
    vectors = encoder(flat) if flat else np.zeros((0, 0), dtype=np.float32)
    english_vectors = encode_english([entry_text(e) for e in entries]) if english and entries else None
    with store.transaction() as db:
        stored.delete(db, forget)
        stored.save(db, entries)
        offset = 0
        for entry, texts in zip(entries, per_entry, strict=True):
            stored.save_sentences(db, entry.id, texts, vectors[offset : offset + len(texts)])
            offset += len(texts)
        if english_vectors is not None:
            stored.save_english(db, {e.id: english_vectors[i] for i, e in enumerate(entries)})


def load_index(
    store: Store,
    encoder: Callable[[Sequence[str]], F32] = encode,
    english: bool = True,
    imported_only: bool = False,
    keep_e5: bool = True,
) -> CatalogueIndex:
    """The stored catalogue, ready to match: no sentence is embedded again. Entries imported
    before English vectors were kept get theirs now, once (unless `english` is False, as for
    grouping, which never re-ranks: the index then has no English vectors). `imported_only`:
    without the entries made from stored fact-checks."""
    entries = [e for e in stored.entries(store.db) if not (imported_only and e.origin == STORED_FACT_CHECK)]
    position = {e.id: i for i, e in enumerate(entries)}
    owners, texts, vectors = [], [], []
    for entry, text, vector in stored.sentences(store.db):
        if entry not in position:
            continue
        owners.append(position[entry])
        texts.append(text)
        vectors.append(vector)
    matrix = np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, 512), dtype=np.float32)
    english_vectors: F32 | None = None
    if english and entries:
        known = stored.english(store.db)
        missing = [e for e in entries if e.id not in known]
        if missing:
            found = encode_english([entry_text(e) for e in missing])
            known.update(zip([e.id for e in missing], found, strict=True))
            with store.transaction() as db:
                stored.save_english(db, {e.id: known[e.id] for e in missing})
        english_vectors = np.vstack([known[e.id] for e in entries]).astype(np.float32)
    index = CatalogueIndex(
        entries,
        np.asarray(owners, dtype=np.int64),
        texts,
        matrix,
        encoder,
        english_vectors,
        e5_encoder=kept_e5(store if keep_e5 else None),
    )
    index.claims = stored.anchors(store.db)
    return index


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


# A narrative the imported catalogue does not know is named by a fact-check among the stored
# articles (its headline calls it one): the fact-check becomes an entry of its own. Left out of
# the catalogue in turn, the benchmark's six narratives were found through their fact-checks
# for 22 of their 25 pushing articles (15 by the lede match alone, the rest by joins and
# copies), with no news article (bench/quality/narratives.py --leave-one-out). As the entry's
# text, the fact-check's headline and claim sentence together found more by the lede match than
# either alone (9 and 14 of 25).
FACT_CHECK_LABEL = re.compile(r"^\s*(?:fact[- ]?check(?:ed)?|debunk(?:ed)?)\s*[:|–—-]\s*", re.IGNORECASE)
CLAIM_REPORTED = re.compile(
    r"\bclaims?\b|\bposts?\b|\bcirculat|\brumou?rs?\b|\bsays?\b|\balleg", re.IGNORECASE
)
CLAIM_SENTENCES = 3
MATCHED_SEQ = "narratives.last_seq"
CATALOGUE_STATE = "narratives.catalogue"
FACT_CHECKS_STATE = "narratives.fact_checks"  # the stored fact-checks and catalogue last synced
MATCH_BATCH = 200
# A claim is asked for this many of its closest entries per result wanted, so that k claims remain
# once the cases of one claim are one result (the Deir Ezzor claim has 4 cases, the largest 21).
CASES_PER_RESULT = 3
PROMOTED_SENTENCES = 3  # of the members' repeated sentences, in the promoted entry's claim
# An article no catalogue sentence matches can push a narrative in words the catalogue does not
# use, often another language: it joins the narrative when one of its lede sentences is this
# close to a lede sentence of an article the catalogue did match (and, when it has a headline,
# its headline agrees: `headline_agrees`). On the multilingual benchmark the articles that
# joined scored 0.68-0.79 and genuine news at most 0.58; a news article of the second held-out
# set scores 0.67 against a member of the first benchmark, and its headline keeps it out.
JOIN_THRESHOLD = 0.65
# Only articles whose lede comes this close to some catalogue sentence are kept for the join;
# unrelated news never does (BBC: 99th percentile 0.34), which keeps the join cheap at scale.
JOIN_PREFILTER = 0.35
# Above this many catalogue sentences the prefilter would cost a second search: no join.
JOIN_MAX_CATALOGUE_SENTENCES = 20_000


@dataclass(slots=True, frozen=True)
class JoinCandidate:
    article: str
    sentences: list[str]
    vectors: F32
    headline: str | None = None


def update_narratives(store: Store, encoder: Callable[[Sequence[str]], F32] = encode) -> list[Narrative]:
    """Match articles not matched yet (all of them when the catalogue changed, or a stored
    fact-check added a narrative of its own), then group."""
    group_cases(store)  # entries an interrupted import left ungrouped
    _sync_stored_fact_checks(store, encoder)
    # every match is redone when the catalogue or the decision model changes
    signature = f"{stored.signature(store.db)}|{pushes.model().fingerprint}"
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
        _join_through_members(store, candidates, encoder)
    return current_narratives(store)


def discover(
    store: Store,
    narratives: Sequence[Narrative],
    encoder: Callable[[Sequence[str]], F32] = encode,
    keep: bool = True,
) -> list[Narrative]:
    """Candidate narratives (discovery.py) among the stored articles that none of `narratives`
    holds and that are not fact-checks, those spread over most languages and outlets first.
    An article's lede and headline are encoded once and kept (as float16, and used as kept on
    the first run too, so that every run sees the same vectors); with `keep` False, as in the
    web app, which only reads, those not kept yet are encoded and not stored. The pairs are
    searched anew on each call (discovery.py `_close_pairs`)."""
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
    _save_entries(store, [entry], encoder)
    group_cases(store)
    return entry


def _sync_stored_fact_checks(store: Store, encoder: Callable[[Sequence[str]], F32]) -> None:
    """Make a catalogue entry of each stored fact-check that no imported entry matches (and
    remove those an import has since matched, or whose article is gone). An entry is stored once
    and kept as it is: re-storing it would look like a new catalogue and redo every match."""
    checks = [article for article, title in store.titles() if FACT_CHECK_CUE.search(title)]
    # The same fact-checks against the same catalogue give the same entries: skip the matching.
    seen = hashlib.sha1("\n".join(checks).encode()).hexdigest()
    if analysis.state(store.db, FACT_CHECKS_STATE) == f"{seen}|{stored.signature(store.db)}":
        return
    made = {e.id: e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK}
    unanchored: list[CatalogueEntry] = []  # in the order the fact-checks were stored
    if checks:
        by_id = store.articles_by_id(checks)
        articles = [by_id[i] for i in checks if i in by_id]
        index = load_index(store, encoder, english=False, imported_only=True)
        found = best_matches(articles, index) if index.entries else [None] * len(articles)
        unanchored = [
            stored_fact_check_entry(a) for a, match in zip(articles, found, strict=True) if match is None
        ]
    keep = [e for e in unanchored if e.id in made]
    new = _one_per_claim(keep, [e for e in unanchored if e.id not in made], encoder)
    gone = [key for key in made if key not in {e.id for e in keep}]
    if new or gone:
        _save_entries(store, new, encoder, english=False, forget=gone)
        group_cases(store)
    with store.transaction() as db:
        analysis.set_state(db, FACT_CHECKS_STATE, f"{seen}|{stored.signature(db)}")


def _one_per_claim(
    kept: list[CatalogueEntry], candidates: list[CatalogueEntry], encoder: Callable[[Sequence[str]], F32]
) -> list[CatalogueEntry]:
    """The candidates that refute a claim none of the entries before them refutes: fact-checks of
    one claim name one narrative (the later ones become its debunks). Two entries refute one claim
    when a sentence of one comes within JOIN_THRESHOLD of a sentence of the other (benchmark
    fact-checks of one claim: 0.85 and 0.97; of different claims: at most 0.46)."""
    if not candidates:
        return []
    everything = kept + candidates
    per_entry = [entry_sentences(e) for e in everything]
    vectors = encoder([s for group in per_entry for s in group])
    owner = np.repeat(np.arange(len(everything)), [len(g) for g in per_entry])
    chosen = list(range(len(kept)))
    for i in range(len(kept), len(everything)):
        mine = vectors[owner == i]
        earlier = vectors[np.isin(owner, chosen)]
        if not len(earlier) or float((mine @ earlier.T).max()) < JOIN_THRESHOLD:
            chosen.append(i)
    return [everything[i] for i in chosen[len(kept) :]]


def stored_fact_check_entry(article: Article) -> CatalogueEntry:
    """A stored fact-check as a catalogue entry: its headline without the "Fact check:" label, and
    the sentence that reports the claim it refutes ("Claims that ... are circulating again"), else
    its first sentence."""
    opening = sentences(article.text, article.language)[:CLAIM_SENTENCES]
    claim = next((s for s in opening if CLAIM_REPORTED.search(s)), opening[0] if opening else "")
    title = FACT_CHECK_LABEL.sub("", article.title or "").strip() or claim
    return CatalogueEntry(
        id=f"article:{article.id}",
        origin=STORED_FACT_CHECK,
        title=title,
        claim=claim or title,
        url=article.url,
        published=article.published,
        author=article.outlet,
        source=article.source,
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
    (read by `_join_through_members` once every batch is matched) and the progress marker, in one
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


def _join_through_members(
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
            score, _closest_row(vector, member_vectors, entries, entry)[1]
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


@dataclass(slots=True, frozen=True)
class MemberSentences:
    """The stored lede sentences of the articles pushing each narrative, with their vectors: what
    an unseen input is compared with to find the stored narratives it repeats."""

    narratives: list[str]  # the narrative of each sentence
    articles: list[str]  # the member stating it
    sentences: list[str]
    vectors: F32


def member_sentences(store: Store, narratives: Sequence[Narrative]) -> MemberSentences:
    """Lede sentences of the narratives' members, as stored when they matched (reads only; a
    member matched before ledes were kept, or joined as a copy, has none and is left out)."""
    owner = {article: n.id for n in narratives for article in n.articles}
    found = stored.ledes(store.db, list(owner))
    names: list[str] = []
    articles: list[str] = []
    texts: list[str] = []
    blocks: list[F32] = []
    for article, (lede, vectors) in found.items():
        names += [owner[article]] * len(lede)
        articles += [article] * len(lede)
        texts += lede
        blocks.append(vectors)
    matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
    return MemberSentences(names, articles, texts, matrix)


def rank_with_narratives(
    index: CatalogueIndex,
    texts: Sequence[str],
    narratives: Sequence[Narrative],
    k: int = 5,
    headlines: Sequence[str | None] | None = None,
    members: MemberSentences | None = None,
    ids: Sequence[str | None] | None = None,
    given: Sequence[str] | None = None,
) -> list[list[Match]]:
    """Catalogue matches for each text, each followed by the stored narrative anchored on it,
    then the stored narratives the text repeats without the catalogue (see `with_narratives`).
    A claim (an English post or quote: `CatalogueIndex.is_claim`) is ranked by the re-ranker; any
    other text is judged as an article is in grouping (judge.py), on its lede and `headlines`,
    and given the entries judged `confident` or `review`, most probable first. `ids`: each input's
    article id, if it has one (a stored article is not its own evidence). `given`: each input's
    text as given, for a row of an export: a claim-sized row is matched as it is, headline aside
    (cleaning is for articles, and the re-ranker reads what a post carries, such as the quoted
    author in its trailer)."""
    headlines = list(headlines or [None] * len(texts))
    texts = [text[:MAX_INPUT_CHARS] for text in texts]
    for i, raw in enumerate(given or []):
        raw = raw[:MAX_INPUT_CHARS]
        if raw and index.is_claim(raw):
            texts[i], headlines[i] = raw, None
    claims = [i for i, text in enumerate(texts) if not headlines[i] and index.is_claim(text)]
    found: dict[int, tuple[list[Match], dict[str, F32]]] = {}
    # cases of one claim are one result: ask for more, so that k claims remain
    wanted = k * CASES_PER_RESULT if index.claims else k
    ranked = index.rank_encoded_many([texts[i] for i in claims], wanted, threshold=CLAIM_REVIEW_FLOOR)
    for i, (matches, vectors) in zip(claims, ranked, strict=True):
        statuses = ["confident" if m.score >= MATCH_THRESHOLD else "review" for m in matches]
        found[i] = ([replace(m, status=s) for m, s in zip(matches, statuses, strict=True)], vectors)
    others = [i for i in range(len(texts)) if i not in found]
    if others:
        found.update(
            zip(
                others,
                _judged_matches(index, [texts[i] for i in others], [headlines[i] for i in others], k),
                strict=True,
            )
        )
    found = {i: (_claims_once(matches, index.claims), vectors) for i, (matches, vectors) in found.items()}
    return [
        with_narratives(found[i][0], narratives, found[i][1], index.encoder, members, k, itself, headlines[i])
        for i, itself in zip(range(len(texts)), ids or [None] * len(texts), strict=True)
    ]


def _claims_once(found: list[Match], claims: dict[str, str]) -> list[Match]:
    """One result per claim: the best case of a claim stands for it, listing the cases matched."""
    out: list[Match] = []
    row_of: dict[str, int] = {}
    for match in found:
        claim = claims.get(match.id, match.id)
        if claim in row_of:
            first = out[row_of[claim]]
            out[row_of[claim]] = replace(first, cases=(*first.cases, match.id))
        else:
            row_of[claim] = len(out)
            out.append(replace(match, cases=(match.id,)))
    return out


def _judged_matches(
    index: CatalogueIndex, texts: Sequence[str], headlines: Sequence[str | None], k: int
) -> list[tuple[list[Match], dict[str, F32]]]:
    """Articles judged as grouping judges them: the entries judged confident or review (at most
    `k`), with the USE vectors of the lede sentences read."""
    inputs = [
        Input.read(input_sentences(text), headline, text)
        for text, headline in zip(texts, headlines, strict=True)
    ]
    judged, read = judge(index, inputs, candidates=max(k, pushes.CANDIDATES))
    results = []
    for found, lede_vectors in zip(judged, read, strict=True):
        matches = [
            Match(
                "catalogue",
                index.entries[j.entry].id,
                j.probability,
                index.entries[j.entry].title,
                j.evidence,
                j.probability,
                j.status,
            )
            for j in found
            if j.status is not None
        ][:k]
        results.append((matches, lede_vectors))
    return results


def with_narratives(
    found: list[Match],
    narratives: Sequence[Narrative],
    input_vectors: dict[str, F32] | None = None,
    encoder: Callable[[Sequence[str]], F32] = encode,
    members: MemberSentences | None = None,
    k: int = 5,
    itself: str | None = None,
    headline: str | None = None,
) -> list[Match]:
    """Each catalogue match with the stored narrative anchored on its entry, if any, folded into
    it (its id, and its closest member sentence as the last evidence pair); then the other
    narratives whose members' ledes come within JOIN_THRESHOLD of one of the input's lede
    sentences or of a sentence by which it matched an entry (the rule by which a stored article
    joins a narrative). At most `k` results, in the matcher's order, then by score.

    A narrative's evidence is the closest pair of such an input sentence and a lede sentence of
    one of its members (other than the input `itself`, when it is stored), and its score is that
    pair's. A narrative whose members have no stored lede is represented by its label; one whose
    only stored member is the input itself holds nothing more to show. An input with a `headline`
    repeats a narrative without the catalogue only if its headline agrees too (`headline_agrees`),
    and the headline's pair joins the evidence."""
    vectors = dict(input_vectors or {})
    if not vectors:  # a caller without the input's vectors: its evidence sentences stand for it
        given = list(dict.fromkeys(e.input_sentence for m in found for e in m.evidence[:1]))
        vectors = dict(zip(given, encoder(given), strict=True)) if given else {}
    matched = [e.input_sentence for m in found for e in m.evidence[:1] if e.input_sentence in vectors]
    asked = list(dict.fromkeys(list(vectors)[:LEDE_SENTENCES] + matched))
    known = _known_sentences(narratives, members, itself, encoder)
    closest = _closest_sentences(asked, vectors, known)
    by_entry = {c: n for n in narratives for c in n.catalogue}
    out: list[Match] = []
    shown: set[str] = set()
    for match in found:
        narrative = by_entry.get(f"catalogue:{match.id}") or by_entry.get(match.id)
        if narrative is None or narrative.id in shown:
            out.append(match)
            continue
        folded = match.evidence + ((closest[narrative.id],) if narrative.id in closest else ())
        out.append(replace(match, evidence=folded, narrative=narrative.id))
        shown.add(narrative.id)
    labels = {n.id: n.label for n in narratives}
    repeated = sorted(
        ((e.score, name) for name, e in closest.items() if name not in shown and e.score >= JOIN_THRESHOLD),
        reverse=True,
    )
    headline = (headline or "").strip()
    headline_vector = encoder([headline])[0] if headline and repeated else None
    added = 0
    for _, name in repeated:
        evidence: tuple[Evidence, ...] = (closest[name],)
        if headline_vector is not None:
            names, texts, matrix = known
            column, score = _closest_row(headline_vector, matrix, names, name)
            said = Evidence(headline, texts[column], round(score, 3))
            if not headline_agrees(closest[name].score, said.score):
                continue
            evidence += (said,)
        out.append(Match("narrative", name, closest[name].score, labels[name], evidence, narrative=name))
        added += 1
        if added >= k:
            break
    # the catalogue matches keep the matcher's order (a claim's is the re-ranker's, which its
    # first-stage score does not follow: sorting by it cost CheckThat! 2022 0.944 -> 0.822), the
    # narratives found without the catalogue come after them, best first
    return out[:k]


def _closest_row(vector: F32, matrix: F32, owners: Sequence[str], owner: str) -> tuple[int, float]:
    """The row of `matrix` that `owner` owns closest to `vector` (a headline against the
    sentences of one narrative), and its score."""
    rows = [i for i, name in enumerate(owners) if name == owner]
    scores = matrix[rows] @ vector
    best = int(np.argmax(scores))
    return rows[best], float(scores[best])


def _known_sentences(
    narratives: Sequence[Narrative],
    members: MemberSentences | None,
    itself: str | None,
    encoder: Callable[[Sequence[str]], F32],
) -> tuple[list[str], list[str], F32]:
    """(narrative, sentence) of each sentence an input is compared with, and their vectors:
    members' stored lede sentences, except those of `itself`; the label of a narrative none of
    whose members has a stored lede."""
    names: list[str] = []
    texts: list[str] = []
    blocks: list[F32] = []
    stored_for: set[str] = set()
    if members is not None and len(members.sentences):
        keep = [i for i, article in enumerate(members.articles) if article != itself]
        stored_for = set(members.narratives)
        names = [members.narratives[i] for i in keep]
        texts = [members.sentences[i] for i in keep]
        blocks.append(members.vectors[keep])
    for narrative in narratives:
        if narrative.id not in stored_for:
            names.append(narrative.id)
            texts.append(narrative.label)
            blocks.append(_label_vector(narrative.label, encoder)[None, :])
    vectors = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
    return names, texts, vectors


def _closest_sentences(
    asked: list[str], vectors: dict[str, F32], known: tuple[list[str], list[str], F32]
) -> dict[str, Evidence]:
    """Per narrative, the closest pair of an asked input sentence and one of its known sentences."""
    names, texts, matrix = known
    if not asked or not names:
        return {}
    scores = np.vstack([vectors[s] for s in asked]) @ matrix.T  # asked sentences x known sentences
    top, rows = scores.max(axis=0), scores.argmax(axis=0)
    best: dict[str, int] = {}  # narrative -> the column of its closest known sentence
    for column, name in enumerate(names):
        if name not in best or top[column] > top[best[name]]:
            best[name] = column
    return {
        name: Evidence(asked[int(rows[column])], texts[column], round(float(top[column]), 3))
        for name, column in best.items()
    }


@lru_cache(maxsize=1024)
def _label_vector(label: str, encoder: Callable[[Sequence[str]], F32]) -> F32:
    """Narrative labels are few and asked for often: each is encoded once."""
    vector: F32 = encoder([label])[0]
    return vector
