"""Rank catalogue entries for an unseen article or claim: hybrid lexical and dense retrieval.

BM25 (bm25s) catches shared names and rare words; dense sentence vectors (USE multilingual)
catch paraphrase and other languages. The rankings are fused by reciprocal rank, and an entry is
kept only when one input sentence comes close enough to one of its sentences: that pair, with its
score, is the evidence shown to the analyst.

An English claim-sized input (a post, a quote, a claim: up to RERANK_MAX_SENTENCES sentences)
gets two more steps: a third ranking by an English encoder (english.py) joins the fusion, and
a learned model re-orders the first few candidates (rerank.py). An article is judged sentence
by sentence instead: one vector of its first 256 word pieces would say little about it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import bm25s
import numpy as np
import numpy.typing as npt

from narratrace.model import CatalogueEntry, Match, SentencePair
from narratrace.narratives import rerank as reranking
from narratrace.narratives.e5 import encode_e5
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.english import encode_english, encode_english_query
from narratrace.narratives.inputs import (
    MAX_INPUT_SENTENCES,
    clean_input,
    entry_document,
    entry_sentences,
    first_sentences,
    input_sentences,
    is_english,
)
from narratrace.narratives.search import COARSE_SHORTLIST, EntrySearch, KeptScores, SentenceSearch, top
from narratrace.narratives.thresholds import (
    CLAIM_MAX_CHARS,
    HEADLINE_FLOOR,
    HEADLINE_THRESHOLD,
    MATCH_THRESHOLD,
)
from narratrace.sentences import sentences

RRF_K = 60  # the usual reciprocal-rank constant: ranks below ~60 add little
CANDIDATES = 100  # per ranking, before fusion
EVIDENCE_PAIRS = 3
RERANK_MAX_SENTENCES = 5


@dataclass(slots=True, frozen=True)
class _Stage:
    """What the first stage found for one input."""

    ordered: list[int]  # entry positions, best first
    best: F32  # best sentence cosine per entry (-1 where not scored)
    scored: F32  # the scores of the entries that were scored
    english: F32 | None  # English-encoder cosine per entry, if that ranking ran
    english_rank: dict[int, int]  # rank of the English ranking's best entries
    lexical: dict[int, float]  # BM25 score per candidate, in BM25's order


def headline_agrees(sentence_score: float, headline_score: float) -> bool:
    """The headline rule: an input with a headline matches a catalogue entry, or repeats a stored
    narrative's members, when its best sentence pair and its headline's pair reach
    HEADLINE_THRESHOLD together. A news article can share a pusher's sentence ("the plane was
    shot down by a Buk missile") while its headline names the event ("Dutch prosecutors will not
    appeal MH17 verdict"); a pusher's headline states the claim."""
    return (sentence_score + headline_score) / 2 >= HEADLINE_THRESHOLD


class CatalogueIndex:
    """Entries with their sentence vectors and a BM25 index, ready to answer `rank`.

    `english` holds one English-encoder vector per entry (its title and claim; `encode_english`),
    and `english_encoder` encodes the texts to match (`encode_english_query`, the 8-bit graph),
    whose vectors then pass through the re-ranker's query map; without them, or without the
    shipped re-ranking model, matching stops at the first stage."""

    def __init__(
        self,
        entries: Sequence[CatalogueEntry],
        owners: np.ndarray,
        texts: Sequence[str],
        vectors: F32,
        encoder: Callable[[Sequence[str]], F32] = encode,
        english: F32 | None = None,
        english_encoder: Callable[[Sequence[str]], F32] = encode_english_query,
        e5_encoder: Callable[[Sequence[str]], F32] = encode_e5,
        claims: dict[str, str] | None = None,
        kept: KeptScores | None = None,
    ) -> None:
        self.entries = list(entries)
        # entry id -> the first entry stored that states the same claim (cases.py), for the
        # entries grouped: `match` gives a claim once, however many cases state it
        self.claims: dict[str, str] = claims or {}
        # e5 encodes an entry's sentences when an article first comes near the entry (most
        # entries of a large catalogue are never judged), and the ledes of such articles (judge.py)
        self.e5_encoder = e5_encoder
        self._e5: dict[int, F32] = {}
        self.owners = owners
        self.texts = list(texts)
        self.vectors = vectors
        self.encoder = encoder
        self.english = english
        self.english_encoder = english_encoder
        self.reranker = reranking.shipped()
        # The re-ranker's query map, which English inputs pass through (bench/training/train_reranker.py
        # sets its own while fitting).
        self.query_map = self.reranker.query_map if self.reranker is not None else None
        self._words: reranking.EntryWords | None = None
        claim_of = [self.claims.get(e.id, e.id) for e in self.entries]
        group = {claim: n for n, claim in enumerate(dict.fromkeys(claim_of))}
        # `kept`: the store that keeps how generic each entry sentence is (without one, it is
        # worked out once, in memory)
        self.search = SentenceSearch(
            vectors, owners, len(self.entries), np.array([group[c] for c in claim_of]), kept
        )
        # the English vectors of a large catalogue are scanned the same way, projected first
        self.english_search = EntrySearch(english) if english is not None else None
        self.bm25 = bm25s.BM25()
        if self.entries:
            corpus = bm25s.tokenize(
                [entry_document(e) for e in self.entries], stopwords="en", show_progress=False
            )
            self.bm25.index(corpus, show_progress=False)

    @classmethod
    def build(
        cls,
        entries: Sequence[CatalogueEntry],
        encoder: Callable[[Sequence[str]], F32] = encode,
        english: bool = True,
    ) -> CatalogueIndex:
        """An index of `entries`, every vector computed here (`english=False`: first stage only)."""
        per_entry = [entry_sentences(e) for e in entries]
        owners = np.repeat(np.arange(len(entries)), [len(s) for s in per_entry])
        texts = [s for group in per_entry for s in group]
        if not english:
            return cls(entries, owners, texts, encoder(texts), encoder)
        vectors = encode_english([reranking.entry_text(e) for e in entries])
        return cls(entries, owners, texts, encoder(texts), encoder, vectors)

    @property
    def words(self) -> reranking.EntryWords:
        """The entries' words, counted on the first re-ranked match (most matches never need them)."""
        if self._words is None:
            self._words = reranking.EntryWords(self.entries)
        return self._words

    def rank(
        self, text: str, k: int = 5, threshold: float = MATCH_THRESHOLD, headline: str | None = None
    ) -> list[Match]:
        """Up to `k` entries whose best sentence pair with `text` clears `threshold` (or, given the
        text's `headline`, whose headline rule admits them), best first."""
        ((found, _),) = self.rank_encoded_many([text], k, threshold, headlines=[headline])
        return found

    def rank_many(
        self,
        texts: Sequence[str],
        k: int = 5,
        threshold: float = MATCH_THRESHOLD,
        max_sentences: int = MAX_INPUT_SENTENCES,
    ) -> list[list[Match]]:
        """`rank` for many texts, their sentences encoded in one batch (much faster per text)."""
        return [found for found, _ in self.rank_encoded_many(texts, k, threshold, max_sentences)]

    def rank_encoded_many(
        self,
        texts: Sequence[str],
        k: int = 5,
        threshold: float = MATCH_THRESHOLD,
        max_sentences: int = MAX_INPUT_SENTENCES,
        rerank: bool = True,
        known: Mapping[str, F32] | None = None,
        headlines: Sequence[str | None] | None = None,
    ) -> list[tuple[list[Match], dict[str, F32]]]:
        """`rank_many`, each result with the vectors of its input sentences (for more evidence).
        `rerank=False` stops at the first stage for every input (grouping many articles does).
        `known`: vectors of input sentences encoded already, which are not encoded again.
        `headlines`: each input's headline, if it has one; an input with a headline is admitted by
        HEADLINE_THRESHOLD instead of `threshold`, and its headline pair joins the evidence."""
        cleaned = [clean_input(t) for t in texts]
        inputs = [first_sentences(t, max_sentences) for t in cleaned]
        if not self.entries:
            return [([], {}) for _ in texts]
        vectors = self._vectors([s for group in inputs for s in group], known or {})
        bounds = np.cumsum([0] + [len(group) for group in inputs])
        queries = [vectors[bounds[i] : bounds[i + 1]] for i in range(len(inputs))]
        # A small catalogue is scored exactly, once per input: the re-ranking decision and the
        # first stage both read these scores.
        exact = [self.search.best(q) if self.search.exact and len(q) else None for q in queries]
        # An input with a headline that no entry of a small catalogue brings up to the floor
        # matches nothing, and its headline is not encoded (most articles grouping reads past
        # their opening are such).
        given = {i: h.strip() for i, h in enumerate(headlines or []) if h and h.strip()}
        hopeless = {i for i in given if (e := exact[i]) is not None and float(e.max()) < HEADLINE_FLOOR}
        headline = self._headlines({i: h for i, h in given.items() if i not in hopeless})
        reranked = [
            i
            for i, (text, group) in enumerate(zip(cleaned, inputs, strict=True))
            if rerank
            and self._reranks(text, group)
            and self._could_reorder(exact[i], HEADLINE_FLOOR if i in headline else threshold)
        ]
        english = dict(zip(reranked, self.english_queries([cleaned[i] for i in reranked]), strict=True))
        results: list[tuple[list[Match], dict[str, F32]]] = []
        for i, (text, group) in enumerate(zip(cleaned, inputs, strict=True)):
            found = (
                self._rank_encoded(
                    texts[i], text, group, queries[i], exact[i], english.get(i), k, threshold, headline.get(i)
                )
                if group and i not in hopeless
                else []
            )
            results.append((found, dict(zip(group, queries[i], strict=True))))
        return results

    def english_queries(self, texts: Sequence[str]) -> F32:
        """English-encoder vectors of texts to match, through the query map."""
        return reranking.mapped(self.english_encoder(texts), self.query_map)

    def _headlines(self, headlines: dict[int, str]) -> dict[int, tuple[str, F32]]:
        """Headlines by input position, each with its vector (all encoded in one batch)."""
        if not headlines:
            return {}
        vectors = self.encoder(list(headlines.values()))
        return {i: (h, vectors[n]) for n, (i, h) in enumerate(headlines.items())}

    def e5_entry_vectors(self, entries: Sequence[int]) -> list[F32]:
        """The e5 vectors of each entry's sentences (a row per sentence), encoded once."""
        missing = [e for e in dict.fromkeys(entries) if e not in self._e5]
        if missing:
            texts = [self.entry_texts(e) for e in missing]
            flat = self.e5_encoder([t for group in texts for t in group])
            offsets = np.cumsum([0] + [len(group) for group in texts])
            self._e5.update((e, flat[offsets[n] : offsets[n + 1]]) for n, e in enumerate(missing))
        return [self._e5[e] for e in entries]

    def closest_entries(self, queries: F32, k: int) -> tuple[npt.NDArray[np.int64], F32]:
        """The `k` entries with the best sentence cosine to any of `queries`, best first, and those
        cosines (search.py: exact for a small catalogue, shortlisted for a large one)."""
        return self.search.closest(queries, k)

    def entry_vectors(self, entry: int) -> F32:
        """USE vectors of an entry's sentences."""
        return self.search.of(entry)

    def entry_text(self, entry: int, sentence: int) -> str:
        """The text of an entry's `sentence`-th sentence."""
        return self.texts[int(self.search.first[entry]) + sentence]

    def entry_texts(self, entry: int) -> list[str]:
        """The texts of an entry's sentences, in order."""
        return self.texts[int(self.search.first[entry]) : int(self.search.last[entry])]

    def sentence_vectors(self, texts: list[str], known: Mapping[str, F32]) -> F32:
        """USE vectors of `texts`: those in `known` as they are, the others encoded in one batch."""
        return self._vectors(texts, known)

    def _vectors(self, texts: list[str], known: Mapping[str, F32]) -> F32:
        """A vector per text: those in `known` as they are, the others encoded in one batch."""
        if not known or not texts:
            return self.encoder(texts)
        found = dict(known)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            found.update(zip(missing, self.encoder(missing), strict=True))
        return np.vstack([found[t] for t in texts]).astype(np.float32)

    def opening_scores(self, texts: Sequence[str], opening: int) -> tuple[F32, list[dict[str, F32]]]:
        """Each input's best cosine between one of its first `opening` sentences and any catalogue
        sentence (exact, so meant for a catalogue without a projection), with the vectors of
        those sentences, per input: a cheap look before an input is read further."""
        groups = [input_sentences(t, opening) for t in texts]
        flat = [s for group in groups for s in group]
        vectors = self.encoder(flat)
        bounds = np.cumsum([0] + [len(g) for g in groups])
        best = np.full(len(texts), -1.0, dtype=np.float32)
        if flat and len(self.vectors):
            owner = np.repeat(np.arange(len(texts)), np.diff(bounds))
            np.maximum.at(best, owner, (vectors @ self.vectors.T).max(axis=1))
        spans = zip(groups, bounds[:-1], bounds[1:], strict=True)
        return best, [dict(zip(group, vectors[a:b], strict=True)) for group, a, b in spans]

    def is_claim(self, text: str) -> bool:
        """Whether `text` is matched as a claim (an English post or quote of at most
        RERANK_MAX_SENTENCES sentences and CLAIM_MAX_CHARS characters, re-ranked) rather than
        judged as an article."""
        cleaned = clean_input(text)
        return self._reranks(cleaned, first_sentences(cleaned, MAX_INPUT_SENTENCES))

    def _reranks(self, text: str, inputs: list[str]) -> bool:
        return (
            self.english is not None
            and self.reranker is not None
            and 0 < len(inputs) <= RERANK_MAX_SENTENCES
            and len(text) <= CLAIM_MAX_CHARS
            and is_english(text)
        )

    def _could_reorder(self, exact: F32 | None, threshold: float) -> bool:
        """Whether re-ranking can change the answer: not when at most one entry of a small
        catalogue clears the threshold (re-ranking orders, the threshold admits). In a large one
        (no exact scores) the English ranking also chooses which entries are scored, so it
        always runs there."""
        return exact is None or int(np.count_nonzero(exact >= threshold)) >= 2

    def _rank_encoded(
        self,
        raw: str,
        text: str,
        inputs: list[str],
        queries: F32,
        exact: F32 | None,
        english: F32 | None,
        k: int,
        threshold: float,
        headline: tuple[str, F32] | None = None,
    ) -> list[Match]:
        stage = self._first_stage(text, queries, english, exact)
        ordered = stage.ordered
        if stage.english is not None and self.reranker is not None:
            head, rest = ordered[: reranking.CANDIDATES], ordered[reranking.CANDIDATES :]
            scores = self.reranker.score(self._features(raw, text, head, stage))
            ordered = [head[i] for i in np.argsort(-scores, kind="stable").tolist()] + rest
        matches = []
        for entry in ordered:
            score = float(stage.best[entry])
            if headline is None:
                if score < threshold:
                    continue
                matches.append(self._match(entry, inputs, queries, score))
            else:
                if score < HEADLINE_FLOOR:
                    continue
                pair = self._headline_pair(entry, *headline)
                if not headline_agrees(score, pair.score):
                    continue
                found = self._match(entry, inputs, queries, (score + pair.score) / 2)
                matches.append(replace(found, evidence=(*found.evidence, pair)))
            if len(matches) == k:
                break
        return matches

    def _headline_pair(self, entry: int, headline: str, vector: F32) -> SentencePair:
        """The headline and the entry's sentence closest to it."""
        scores = self.search.of(entry) @ vector
        best = int(np.argmax(scores))
        matched = self.entry_text(entry, best)
        return SentencePair(headline, matched, round(float(scores[best]), 3))

    def _first_stage(self, text: str, queries: F32, english: F32 | None, exact: F32 | None = None) -> _Stage:
        """Entries in reciprocal-rank-fusion order of the dense, BM25 and (given `english`) English
        rankings, with the scores the re-ranker reads. `exact`: `_exact_best(queries)`, if known."""
        lexical, lexical_scores = self._lexical(text)
        similar, english_best = (
            (None, None)
            if english is None or self.english_search is None
            else self.english_search.ranked(english)
        )
        english_top = [] if english_best is None else english_best[:CANDIDATES].tolist()
        if self.search.exact:  # a small catalogue: exact scores for every entry
            best = exact if exact is not None else self.search.best(queries)
            scored = np.arange(len(self.entries))
        else:  # exact scores for a shortlist and the other rankings' candidates only
            # The shortlist of an English input is the English encoder's best entries (one scan of
            # 384-dimensional entry vectors, faster and better on English claims); otherwise the
            # projected sentence search.
            shortlist = (
                self.search.shortlist(queries) if english_best is None else english_best[:COARSE_SHORTLIST]
            )
            scored = np.union1d(shortlist, np.asarray(lexical + english_top, dtype=np.int64))
            best = np.full(len(self.entries), -1.0, dtype=np.float32)
            best[scored] = self.search.best_of(scored, queries)
        dense = scored[top(best[scored], CANDIDATES)]
        fused: dict[int, float] = {}
        for ranking in (dense.tolist(), lexical, english_top):
            for rank, entry in enumerate(ranking):
                fused[entry] = fused.get(entry, 0.0) + 1 / (RRF_K + rank)
        ordered = sorted(fused, key=lambda e: -fused[e])
        lexical_found = dict(zip(lexical, lexical_scores, strict=True))
        english_rank = {} if english_best is None else {e: r for r, e in enumerate(english_best.tolist())}
        return _Stage(ordered, best, best[scored], similar, english_rank, lexical_found)

    def _features(self, raw: str, text: str, head: list[int], stage: _Stage) -> reranking.F64:
        """The re-ranker's features of the candidates `head`."""
        assert stage.english is not None
        chosen = np.asarray(head, dtype=np.int64)
        lexical_rank = {entry: rank for rank, entry in enumerate(stage.lexical)}
        first = reranking.FirstStage(
            entries=chosen,
            dense=stage.best[chosen].astype(np.float64),
            dense_rank=np.array(
                [np.count_nonzero(stage.scored > stage.best[e]) for e in head], dtype=np.float64
            ),
            english=stage.english[chosen].astype(np.float64),
            english_rank=np.array(
                [stage.english_rank.get(e, np.count_nonzero(stage.english > stage.english[e])) for e in head],
                dtype=np.float64,
            ),
            lexical=np.array([stage.lexical.get(e, 0.0) for e in head], dtype=np.float64),
            lexical_rank=np.array([lexical_rank.get(e, np.inf) for e in head], dtype=np.float64),
        )
        return reranking.features(raw, text, first, self.words)

    def candidates_with_features(self, raw: str) -> tuple[list[CatalogueEntry], reranking.F64]:
        """The candidates an English claim is re-ranked among, first-stage order, with their
        features: what bench/training/train_reranker.py fits the model on."""
        text = clean_input(raw)
        inputs = sentences(text)[:MAX_INPUT_SENTENCES] or [text]
        stage = self._first_stage(text, self.encoder(inputs), self.english_queries([text])[0])
        head = stage.ordered[: reranking.CANDIDATES]
        return [self.entries[e] for e in head], self._features(raw, text, head, stage)

    def _lexical(self, text: str) -> tuple[list[int], list[float]]:
        """BM25's candidates, best first, and their scores."""
        query = bm25s.tokenize([text], stopwords="en", show_progress=False)
        if not query.vocab:
            return [], []
        found, scores = self.bm25.retrieve(query, k=min(CANDIDATES, len(self.entries)), show_progress=False)
        kept = [(int(d), float(s)) for d, s in zip(found[0], scores[0], strict=True) if s > 0]
        return [d for d, _ in kept], [s for _, s in kept]

    def _match(self, entry: int, inputs: list[str], queries: F32, score: float) -> Match:
        start = int(self.search.first[entry])
        block = queries @ self.search.of(entry).T  # input sentences x this entry's sentences
        evidence: list[SentencePair] = []
        used: set[int] = set()
        for flat in np.argsort(-block, axis=None).tolist():
            row, column = divmod(flat, block.shape[1])
            if row in used:
                continue
            used.add(row)
            evidence.append(
                SentencePair(inputs[row], self.texts[start + column], round(float(block[row, column]), 3))
            )
            if len(evidence) == EVIDENCE_PAIRS:
                break
        found = self.entries[entry]
        return Match("catalogue", found.id, round(score, 3), found.title, tuple(evidence))
