"""Core records shared by every stage: what ingest produces and analyses read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(slots=True, frozen=True)
class Span:
    """A character range of a text with a reason: a cut made by cleaning, or a mark on kept text.

    For removed spans, offsets point into the normalised text before cleaning and `text` holds
    what was cut, so the pre-cleaning text can be rebuilt exactly from the clean text.
    """

    start: int
    end: int
    reason: str
    text: str = ""


@dataclass(slots=True, frozen=True)
class RawDocument:
    """One input item as a reader found it, before extraction and cleaning."""

    source: str  # the input file (or "<stdin>")
    line: int | None  # row or record number inside the source, when it has several
    raw: str  # the input as read: file text, HTML, JSON line or CSV row
    kind: str  # "text" or "html": how the body is to be extracted from raw
    body: str | None = None  # text given by the input itself (JSONL/CSV), else extracted
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None

    @property
    def location(self) -> str:
        return self.source if self.line is None else f"{self.source}:{self.line}"


@dataclass(slots=True, frozen=True)
class Article:
    """A clean, stored article. `id` is derived from where it was published and its clean text."""

    id: str
    text: str
    raw: str
    source: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date, yyyy-mm-dd
    language: str | None = None  # ISO 639-1
    removed: tuple[Span, ...] = ()
    marks: tuple[Span, ...] = ()  # kept text with a role, e.g. an embedded social post
    provenance: dict[str, str] = field(default_factory=dict)  # field -> how it was found


def rebuild(clean: str, removed: tuple[Span, ...] | list[Span]) -> str:
    """Insert removed spans (offsets in the original) back into the clean text."""
    out: list[str] = []
    original_pos = 0
    clean_pos = 0
    for span in sorted(removed, key=lambda s: s.start):
        keep = span.start - original_pos
        out.append(clean[clean_pos : clean_pos + keep])
        clean_pos += keep
        out.append(span.text)
        original_pos = span.end
    out.append(clean[clean_pos:])
    return "".join(out)


@dataclass(slots=True, frozen=True)
class Passage:
    """An aligned pair of character spans in two cleaned texts."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    similarity: float  # share of the passage's tokens inside matching shingles
    recurring: int = 2  # articles in the corpus holding this passage (2 = just this pair)


@dataclass(slots=True, frozen=True)
class Reuse:
    """Two articles that share text: how much, which kind, and which came first."""

    a: str
    b: str
    kind: str  # "copy", "partial" or "shared_passage"
    coverage_a: float
    coverage_b: float
    direction: str  # "a_to_b", "b_to_a" or "unknown"
    reason: str
    passages: tuple[Passage, ...]
    stock: bool = False  # recurring stock text or boilerplate, not a republication
    stock_reason: str = ""


@dataclass(slots=True, frozen=True)
class CatalogueEntry:
    """A known, debunked narrative: an EUvsDisinfo-style case or a ClaimReview fact-check."""

    id: str  # as it came: the CSV's id, else the ClaimReview's url
    # "euvsdisinfo", "claimreview", "stored-fact-check" (made from a stored article) or
    # "discovered" (a candidate narrative an analyst promoted)
    origin: str
    title: str
    claim: str  # the claim as the catalogue states it
    summary: str = ""
    disproof: str = ""  # the refutation, or the fact-check's rating
    url: str | None = None
    published: str | None = None  # ISO date
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    author: str | None = None
    source: str = ""  # the imported file (and row)


MatchStatus = Literal["confident", "review"]


@dataclass(slots=True, frozen=True)
class Case:
    """A stored catalogue entry as claim grouping reads it (narratives/cases.py)."""

    id: str
    title: str
    anchor: str | None  # the first entry stored that states the same claim; None: not grouped yet


@dataclass(slots=True, frozen=True)
class ArticleMatch:
    """The catalogue entry a stored article was judged to push (or, a fact-check, to refute)."""

    article: str
    entry: str
    score: float  # the closest pair's cosine
    sentence: str  # the article's sentence in that pair
    fact_check: bool  # the article refutes the claim: a debunk, not a member
    via: str | None = None  # the member it joined through, when the catalogue gave it nothing
    probability: float | None = None  # that it pushes the claim (narratives/pushes.py)
    status: MatchStatus = "confident"  # placed, or shown apart for review
