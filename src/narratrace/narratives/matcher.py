"""Rank catalogue entries for an unseen article or claim: hybrid lexical and dense retrieval.

BM25 (bm25s) catches shared names and rare words; dense sentence vectors (USE multilingual)
catch paraphrase and other languages. The two rankings are fused by reciprocal rank, and an
entry is kept only when one input sentence comes close enough to one of its sentences: that
pair, with its score, is the evidence shown to the analyst.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from narratrace.model import CatalogueEntry
from narratrace.narratives.embed import F32, encode
from narratrace.sentences import sentences

# Cosine between an input sentence and an entry sentence above which the entry is reported.
# Calibrated on the seeds against tests/narratives/fixtures/euvsdisinfo.csv: the five seeds
# score 0.59-0.85 on their narrative and at most 0.54 on the others; 300 BBC articles score at
# most 0.45 on any entry (0.34 at the 99th percentile).
MATCH_THRESHOLD = 0.55
RRF_K = 60  # the usual reciprocal-rank constant: ranks below ~60 add little
CANDIDATES = 100  # per ranking, before fusion
MAX_INPUT_SENTENCES = 80  # a long article is judged on its first 80 sentences
MAX_SUMMARY_SENTENCES = 3
EVIDENCE_PAIRS = 3
# Large catalogues are searched in two steps: sentence vectors projected onto their 128 main
# directions (an uncentred PCA, which keeps dot products) shortlist 500 entries, whose full
# 512-dimensional scores then decide. Reading a quarter of the bytes is what makes a 100,000-
# entry search fast; below 20,000 sentences one exact step is fast enough.
COARSE_MIN_SENTENCES = 20_000
COARSE_DIMENSIONS = 128
COARSE_SHORTLIST = 500
COARSE_SAMPLE = 20_000
# What social posts carry besides the claim: the "— Name (@handle) March 7, 2022" trailer of an
# embedded tweet, links and picture links. Removing them helps BM25 most.
TWEET_TRAILER = re.compile(r"\s*[—–]\s*[^—–]{0,80}\(@\w{1,15}\)\s*\w+ \d{1,2}, \d{4}\s*$")
LINKS = re.compile(r"pic\.twitter\.com/\w+|https?://\S+")


def clean_input(text: str) -> str:
    """An input claim or article without tweet trailers and links."""
    return LINKS.sub(" ", TWEET_TRAILER.sub("", text)).strip()


@dataclass(slots=True, frozen=True)
class Evidence:
    input_sentence: str
    matched_sentence: str
    score: float


@dataclass(slots=True, frozen=True)
class Match:
    kind: str  # "catalogue", or "narrative": a stored narrative anchored on a matched entry
    id: str
    score: float
    title: str
    evidence: tuple[Evidence, ...]


def entry_sentences(entry: CatalogueEntry) -> list[str]:
    """The sentences that stand for an entry: its title, its claim, the start of its summary."""
    chosen = [entry.title]
    if entry.claim and entry.claim != entry.title:
        chosen.append(entry.claim)
    chosen += sentences(entry.summary)[:MAX_SUMMARY_SENTENCES]
    return [s for s in chosen if s.strip()]


def entry_document(entry: CatalogueEntry) -> str:
    return " ".join(filter(None, (entry.title, entry.claim, entry.summary)))


class CatalogueIndex:
    """Entries with their sentence vectors and a BM25 index, ready to answer `rank`."""

    def __init__(
        self,
        entries: Sequence[CatalogueEntry],
        owners: np.ndarray,
        texts: Sequence[str],
        vectors: F32,
        encoder: Callable[[Sequence[str]], F32] = encode,
    ) -> None:
        self.entries = list(entries)
        self.owners = owners
        self.texts = list(texts)
        self.vectors = vectors
        self.encoder = encoder
        self.first_sentence = np.searchsorted(owners, np.arange(len(self.entries)))
        self.last_sentence = np.append(self.first_sentence[1:], len(self.texts)).astype(np.int64)
        self.projection: F32 | None = None
        self.reduced: F32 | None = None
        if len(self.texts) >= COARSE_MIN_SENTENCES:
            sample = vectors[np.random.default_rng(0).choice(len(vectors), COARSE_SAMPLE, replace=False)]
            _, _, directions = np.linalg.svd(sample, full_matrices=False)
            self.projection = np.ascontiguousarray(directions[:COARSE_DIMENSIONS].T, dtype=np.float32)
            self.reduced = np.ascontiguousarray(vectors @ self.projection, dtype=np.float32)
        self.bm25 = bm25s.BM25()
        if self.entries:
            corpus = bm25s.tokenize(
                [entry_document(e) for e in self.entries], stopwords="en", show_progress=False
            )
            self.bm25.index(corpus, show_progress=False)

    @classmethod
    def build(
        cls, entries: Sequence[CatalogueEntry], encoder: Callable[[Sequence[str]], F32] = encode
    ) -> CatalogueIndex:
        per_entry = [entry_sentences(e) for e in entries]
        owners = np.repeat(np.arange(len(entries)), [len(s) for s in per_entry])
        texts = [s for group in per_entry for s in group]
        return cls(entries, owners, texts, encoder(texts), encoder)

    def rank(self, text: str, k: int = 5, threshold: float = MATCH_THRESHOLD) -> list[Match]:
        """Up to `k` entries whose best sentence pair with `text` clears `threshold`, best first."""
        return self.rank_many([text], k, threshold)[0]

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
    ) -> list[tuple[list[Match], dict[str, F32]]]:
        """`rank_many`, each result with the vectors of its input sentences (for more evidence)."""
        cleaned = [clean_input(t) for t in texts]
        inputs = [(sentences(t)[:max_sentences] or [t]) if t else [] for t in cleaned]
        if not self.entries:
            return [([], {}) for _ in texts]
        vectors = self.encoder([s for group in inputs for s in group])
        results: list[tuple[list[Match], dict[str, F32]]] = []
        offset = 0
        for text, group in zip(cleaned, inputs, strict=True):
            queries = vectors[offset : offset + len(group)]
            offset += len(group)
            found = self._rank_encoded(text, group, queries, k, threshold) if group else []
            results.append((found, dict(zip(group, queries, strict=True))))
        return results

    def _rank_encoded(
        self, text: str, inputs: list[str], queries: F32, k: int, threshold: float
    ) -> list[Match]:
        lexical = self._lexical(text)
        shortlist = self._shortlist(queries)
        if shortlist is None:  # exact scores for every entry
            best = np.maximum.reduceat((queries @ self.vectors.T).max(axis=0), self.first_sentence)
            scored = np.arange(len(self.entries))
        else:  # exact scores for the shortlist and the lexical candidates only
            scored = np.union1d(shortlist, np.asarray(lexical, dtype=np.int64))
            best = np.full(len(self.entries), -1.0, dtype=np.float32)
            best[scored] = [float((queries @ self._entry_vectors(e).T).max()) for e in scored.tolist()]
        top = min(CANDIDATES, len(scored))
        dense = scored[np.argpartition(-best[scored], top - 1)[:top]]  # the best few, unsorted
        dense = dense[np.argsort(-best[dense])]
        fused: dict[int, float] = {}
        for rank, entry in enumerate(dense.tolist()):
            fused[entry] = fused.get(entry, 0.0) + 1 / (RRF_K + rank)
        for rank, entry in enumerate(lexical):
            fused[entry] = fused.get(entry, 0.0) + 1 / (RRF_K + rank)
        ordered = sorted(fused, key=lambda e: -fused[e])
        matches = []
        for entry in ordered:
            if best[entry] < threshold:
                continue
            matches.append(self._match(entry, inputs, queries, float(best[entry])))
            if len(matches) == k:
                break
        return matches

    def _entry_vectors(self, entry: int) -> F32:
        return self.vectors[self.first_sentence[entry] : self.last_sentence[entry]]

    def _shortlist(self, queries: F32) -> np.ndarray | None:
        """Entries whose projected sentences come closest to the queries (None: search exactly)."""
        if self.projection is None or self.reduced is None:
            return None
        coarse = ((queries @ self.projection) @ self.reduced.T).max(axis=0)
        per_entry = np.maximum.reduceat(coarse, self.first_sentence)
        size = min(COARSE_SHORTLIST, len(per_entry))
        return np.argpartition(-per_entry, size - 1)[:size]

    def _lexical(self, text: str) -> list[int]:
        query = bm25s.tokenize([text], stopwords="en", show_progress=False)
        if not query.vocab:
            return []
        found, scores = self.bm25.retrieve(query, k=min(CANDIDATES, len(self.entries)), show_progress=False)
        return [int(d) for d, s in zip(found[0], scores[0], strict=True) if s > 0]

    def _match(self, entry: int, inputs: list[str], queries: F32, score: float) -> Match:
        start = int(self.first_sentence[entry])
        block = queries @ self._entry_vectors(entry).T  # input sentences x this entry's sentences
        evidence: list[Evidence] = []
        used: set[int] = set()
        for flat in np.argsort(-block, axis=None).tolist():
            row, column = divmod(flat, block.shape[1])
            if row in used:
                continue
            used.add(row)
            evidence.append(
                Evidence(inputs[row], self.texts[start + column], round(float(block[row, column]), 3))
            )
            if len(evidence) == EVIDENCE_PAIRS:
                break
        found = self.entries[entry]
        return Match("catalogue", found.id, round(score, 3), found.title, tuple(evidence))
