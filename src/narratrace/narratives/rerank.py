"""Re-ranking the first candidates of a claim match with a small learned model.

The first stage (matcher.py) fuses three rankings by reciprocal rank, which ignores how far apart
the scores are and what the texts share. Here each of the top candidates gets a handful of
features (its scores in the three rankings and how far each is below the best candidate's,
which words, rare words, numbers and character n-grams of the entry the input contains, and
whether the author of a quoted post is named in the entry), and a linear model orders them. Its
weights, in data/reranker.json, are fitted by bench/training/train_reranker.py as a logistic regression on
pairs of one tweet's candidates (right minus wrong), from the CheckThat! 2020 training and
development tweets (never a test set).

The model comes with a query map (data/english_query_map.npy): a 384 x 384 linear map that the
English encoder's vector of the text being matched passes through before it meets the entries'
vectors. all-MiniLM-L6-v2 was trained to bring paraphrases together; a post that repeats a claim
is not quite a paraphrase of the fact-check's wording of it (a post has a voice, a fact-check a
summary). The map, fitted by the same script on the same tweets, starts as the identity and is
pulled towards it, and learns to move a post's vector towards the claim it repeats, among all the
claims. Over the 997 tweets, each re-ranked by a model and map fitted without it, MAP@5 went from
0.865 without the map to 0.899 with it; on CheckThat! 2022 from 0.939 to 0.945, on the 2020 test
set from 0.950 to 0.948 (bench/training/train_reranker.py, bench/quality/checkthat.py). The
entries' vectors are left as they are, so a stored catalogue needs no new vectors.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import numpy as np
import numpy.typing as npt

from narratrace.model import CatalogueEntry

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
CANDIDATES = 30  # the first-stage candidates re-ranked; the right entry is among them for ~98 %
FEATURES = (
    "dense",
    "dense_gap",
    "english",
    "english_gap",
    "lexical",
    "dense_rank",
    "english_rank",
    "lexical_rank",
    "word_coverage",
    "rare_word_coverage",
    "input_rare_word_coverage",
    "char_ngrams",
    "char_ngrams_gap",
    "shared_numbers",
    "author_named",
)
WORD = re.compile(r"[^\W_]+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# The "— Name (@handle) March 7, 2022" trailer of an embedded post: who wrote it.
POST_AUTHOR = re.compile(r"[—–]\s*([^—–]{1,80}?)\s*\(@\w{1,15}\)\s*\w+ \d{1,2}, \d{4}\W*$")
STOPWORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her his how i if in into
    is it its me my no not of on or our she so than that the their them then there these they this
    to too us was we were what when where which who why will with would you your""".split()
)
CHAR_NGRAM = 4
QUERY_MAP = "english_query_map.npy"


def words(text: str) -> set[str]:
    """Lower-cased content words, cut to six letters (a crude stem: "vaccines" meets "vaccinated")."""
    return {w[:6] for w in WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1}


def char_ngrams(text: str) -> set[str]:
    squeezed = " ".join(WORD.findall(text.lower()))
    return {squeezed[i : i + CHAR_NGRAM] for i in range(len(squeezed) - CHAR_NGRAM + 1)}


def entry_text(entry: CatalogueEntry) -> str:
    """What an entry claims, in its own words: its title and claim (one if they are the same)."""
    return entry.title if entry.claim in ("", entry.title) else f"{entry.title}. {entry.claim}"


class EntryWords:
    """Word and character n-gram sets of catalogue entries, and how rare each word is."""

    def __init__(self, entries: list[CatalogueEntry]) -> None:
        self.claimed = [words(entry_text(e)) for e in entries]
        self.everything = [
            words(" ".join((e.title, e.claim, e.summary))) for e in entries
        ]  # the summary too, for names
        frequency: dict[str, int] = {}
        for found in self.everything:
            for word in found:
                frequency[word] = frequency.get(word, 0) + 1
        total = max(1, len(entries))
        self.rarest = math.log(total + 1)
        self.idf = {w: math.log((total + 1) / n) for w, n in frequency.items()}
        self.numbers = [set(NUMBER.findall(" ".join((e.title, e.claim, e.summary)))) for e in entries]
        self.texts = [entry_text(e) for e in entries]
        self._ngrams: dict[int, set[str]] = {}

    def ngrams(self, entry: int) -> set[str]:
        """Character n-grams of an entry's text, made when it is first a candidate."""
        found = self._ngrams.get(entry)
        if found is None:
            found = self._ngrams[entry] = char_ngrams(self.texts[entry])
        return found

    def weight(self, found: set[str]) -> float:
        return sum(self.idf.get(w, self.rarest) for w in found)


@dataclass(slots=True, frozen=True)
class FirstStage:
    """One input's candidates (entry indices) with their first-stage scores and ranks (0 = best)."""

    entries: npt.NDArray[np.int64]
    dense: F64
    dense_rank: F64
    english: F64
    english_rank: F64
    lexical: F64  # BM25 score, 0 where BM25 did not find the entry
    lexical_rank: F64  # inf where BM25 did not find the entry


def features(text: str, cleaned: str, stage: FirstStage, known: EntryWords) -> F64:
    """One row of FEATURES per candidate."""
    asked = words(cleaned)
    asked_weight = known.weight(asked) or 1.0
    asked_ngrams = char_ngrams(cleaned)
    asked_numbers = set(NUMBER.findall(cleaned))
    author = POST_AUTHOR.search(text)
    author_words = words(author.group(1)) if author else set()
    top_lexical = float(stage.lexical.max()) or 1.0
    rows = []
    for i, entry in enumerate(stage.entries.tolist()):
        claimed = known.claimed[entry]
        ngrams = known.ngrams(entry)
        rows.append(
            (
                len(asked & claimed) / max(1, len(claimed)),
                known.weight(asked & claimed) / (known.weight(claimed) or 1.0),
                known.weight(asked & claimed) / asked_weight,
                len(asked_ngrams & ngrams) / math.sqrt(max(1, len(asked_ngrams) * len(ngrams))),
                len(asked_numbers & known.numbers[entry]),
                len(author_words & known.everything[entry]) / len(author_words) if author_words else 0.0,
                float(stage.lexical[i]) / top_lexical,
            )
        )
    text_side = np.asarray(rows, dtype=np.float64).reshape(len(stage.entries), 7)
    coverage, rare, input_rare, ngram, numbers, author_named, lexical = text_side.T
    columns = {
        "dense": stage.dense,
        "dense_gap": stage.dense - stage.dense.max(initial=0.0),
        "english": stage.english,
        "english_gap": stage.english - stage.english.max(initial=0.0),
        "lexical": lexical,
        "dense_rank": 1 / (1 + stage.dense_rank),
        "english_rank": 1 / (1 + stage.english_rank),
        "lexical_rank": 1 / (1 + stage.lexical_rank),
        "word_coverage": coverage,
        "rare_word_coverage": rare,
        "input_rare_word_coverage": input_rare,
        "char_ngrams": ngram,
        "char_ngrams_gap": ngram - ngram.max(initial=0.0),
        "shared_numbers": numbers,
        "author_named": author_named,
    }
    return np.column_stack([columns[name] for name in FEATURES])


@dataclass(slots=True, frozen=True)
class Reranker:
    """A linear score over standardised FEATURES; a higher score ranks first. Fitted on pairs of
    candidates, it has no intercept: it orders one input's candidates and means nothing alone."""

    mean: F64
    scale: F64
    weights: F64
    query_map: F32 | None = None  # (384, 384): an English query vector v becomes unit(query_map @ v)

    def score(self, rows: F64) -> F64:
        scored: F64 = ((rows - self.mean) / self.scale) @ self.weights
        return scored

    def to_json(self) -> dict[str, object]:
        """The model's weights, naming its query map's file (bench/training/train_reranker.py saves the map
        beside them, as QUERY_MAP)."""
        return {
            "features": list(FEATURES),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "weights": self.weights.tolist(),
            "query_map": QUERY_MAP if self.query_map is not None else None,
        }


def mapped(vectors: F32, query_map: F32 | None) -> F32:
    """English query vectors (one per row) through the query map, unit length again."""
    if query_map is None:
        return vectors
    moved = vectors @ query_map.T
    unit: F32 = (moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return unit


@lru_cache(maxsize=1)
def shipped() -> Reranker | None:
    """The fitted model shipped with narratrace (None before bench/training/train_reranker.py first ran)."""
    return load(resources.files("narratrace").joinpath("data"))


def load(folder: Traversable) -> Reranker | None:
    """The model saved in `folder` as reranker.json, with the query map it names; None when either
    is missing (its weights presume the map) or it was fitted on other features."""
    try:
        data = json.loads(folder.joinpath("reranker.json").read_text())
        query_map = None
        if data.get("query_map"):
            with folder.joinpath(data["query_map"]).open("rb") as stream:
                query_map = np.load(stream).astype(np.float32)
    except FileNotFoundError:
        return None
    if data.get("features") != list(FEATURES):  # fitted on another feature set: not usable
        return None
    return Reranker(
        np.asarray(data["mean"], dtype=np.float64),
        np.asarray(data["scale"], dtype=np.float64),
        np.asarray(data["weights"], dtype=np.float64),
        query_map,
    )
