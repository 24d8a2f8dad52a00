"""Core records shared by every stage: what ingest produces and analyses read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

DocumentKind = Literal["text", "html"]
ReuseKind = Literal["copy", "partial", "shared_passage"]
ReuseDirection = Literal["a_to_b", "b_to_a", "unknown"]
MatchKind = Literal["catalogue", "narrative"]
EntryOrigin = Literal["euvsdisinfo", "claimreview", "stored-fact-check", "discovered"]
CitationKind = Literal["named_person", "institution", "media", "anonymous", "unsourced"]


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
    kind: DocumentKind  # how the body is to be extracted from raw
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
class Skipped:
    """An input that is not an article, by design rather than by fault: an image or a 404 page in a
    web archive. Counted by `what` in the summary, never stored, and not a failure."""

    location: str
    what: str  # "image/png", "HTTP 404": what the summary counts it under


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        """An article from its dict (`dataclasses.asdict`, as JSON keeps it), spans rebuilt."""
        spans = {name: tuple(Span(**s) for s in data[name]) for name in ("removed", "marks")}
        return cls(**{**data, **spans})


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
    kind: ReuseKind
    coverage_a: float
    coverage_b: float
    direction: ReuseDirection
    reason: str
    passages: tuple[Passage, ...]
    stock: bool = False  # recurring stock text or boilerplate, not a republication
    stock_reason: str = ""  # why the shared text recurs: stock text, or syndication
    # text several outlets carry from one source (an agency's report relayed by others): a chain
    # of republication, not boilerplate
    syndicated: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reuse:
        """A pair from its dict (`dataclasses.asdict`, as JSON keeps it), passages rebuilt."""
        return cls(**{**data, "passages": tuple(Passage(**p) for p in data["passages"])})


@dataclass(slots=True, frozen=True)
class CatalogueEntry:
    """A known, debunked narrative: an EUvsDisinfo-style case or a ClaimReview fact-check."""

    id: str  # as it came: the CSV's id, else the ClaimReview's url
    # "stored-fact-check": made from a stored article; "discovered": a candidate narrative an
    # analyst promoted
    origin: EntryOrigin
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


# Records of the analyses: what claims/ and narratives/ find, as store/ keeps them and the views
# show them.

# The kinds of source (CitationKind: claims/kinds.py decides which) that an analyst weighs as weak.
WEAK_KINDS: tuple[CitationKind, ...] = ("anonymous", "unsourced")


@dataclass(slots=True, frozen=True)
class AliasRow:
    canonical: str
    type: str
    aliases: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class Mention:
    """An entity found in a text: where, as written, and under which canonical name."""

    start: int
    end: int
    text: str
    canonical: str
    type: str


@dataclass(slots=True, frozen=True)
class Citation:
    """Whom a claim is attributed to (`source`), how (`kind`), and through whom (`via`)."""

    source: str | None
    kind: CitationKind
    via: str | None = None
    canonical: str | None = None  # the alias table's name for the source, when it knows it
    mention: str | None = None  # the words in the sentence, when `source` was resolved from them
    eyewitness: bool = False


@dataclass(slots=True, frozen=True)
class Claim:
    text: str
    start: int
    end: int
    citations: tuple[Citation, ...]


@dataclass(slots=True, frozen=True)
class ArticleEvidence:
    """Everything `claims` finds in one article."""

    article: str
    claims: tuple[Claim, ...]
    entities: tuple[Mention, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ArticleEvidence:
        """Evidence from its dict (`dataclasses.asdict`, as JSON keeps it), claims, citations and
        mentions rebuilt."""
        claims = tuple(
            Claim(**{**c, "citations": tuple(Citation(**t) for t in c["citations"])}) for c in data["claims"]
        )
        return cls(data["article"], claims, tuple(Mention(**m) for m in data["entities"]))


@dataclass(slots=True)
class SourceCount:
    source: str
    kind: CitationKind
    claims: int = 0
    articles: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)
    eyewitness: bool = False


@dataclass(slots=True)
class SourceSummary:
    """What one narrative's articles rest on."""

    narrative: str
    label: str
    articles: int
    claims: int
    kinds: dict[str, int]
    sources: list[SourceCount]
    named_eyewitnesses: int

    @property
    def weak_share(self) -> float:
        """Share of claims that rest on an anonymous source or on none."""
        return sum(self.kinds.get(k, 0) for k in WEAK_KINDS) / self.claims if self.claims else 0.0


@dataclass(slots=True, frozen=True)
class Repeat:
    """Two articles that state one claim: the closest pair of their lede sentences, earlier first."""

    earlier: str
    later: str
    earlier_sentence: str
    later_sentence: str
    score: float  # the weaker direction of the headline rule
    days: int | None  # between their publication dates, when both are dated


@dataclass(slots=True)
class Narrative:
    id: str
    label: str  # the claim: the catalogue's (cases.py: typical_title), else a candidate's sentence
    entities: list[str]
    catalogue: list[str]  # its cases: the catalogue entries that state the claim
    articles: list[str] = field(default_factory=list)  # confident members
    review: list[str] = field(default_factory=list)  # near misses, shown apart for an analyst to check
    debunks: list[str] = field(default_factory=list)
    # each member's probability of pushing the claim (pushes.py; a copy takes its member's)
    probability: dict[str, float] = field(default_factory=dict)
    first_seen: str | None = None
    last_seen: str | None = None
    dated: int = 0  # members with a publication date: first and last seen read only those
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    families: list[list[str]] = field(default_factory=list)
    # a candidate's evidence (discovery.py): the pairs of members that state its claim
    repeats: list[Repeat] = field(default_factory=list)
    cases: list[CatalogueEntry] = field(default_factory=list)  # the entries `catalogue` names
    disproof: str = ""  # the catalogue's refutation (the first case that gives one)
    statement: str = ""  # the member sentence that states the claim best

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Narrative:
        """A narrative from its dict (`dataclasses.asdict`, as JSON keeps it), repeats and cases
        rebuilt."""
        return cls(
            **{
                **data,
                "repeats": [Repeat(**r) for r in data.get("repeats", [])],
                "cases": [
                    CatalogueEntry(
                        **{**c, "outlets": tuple(c["outlets"]), "countries": tuple(c["countries"])}
                    )
                    for c in data.get("cases", [])
                ],
            }
        )

    @property
    def candidate(self) -> bool:
        """Found by discovery, not named by a catalogue entry or a stored fact-check."""
        return not self.catalogue


@dataclass(slots=True, frozen=True)
class SentencePair:
    """An input sentence and the catalogue or member sentence it came close to, with their cosine."""

    input_sentence: str
    matched_sentence: str
    score: float


@dataclass(slots=True, frozen=True)
class Match:
    kind: MatchKind  # "narrative": a stored narrative anchored on a matched entry
    id: str
    score: float
    title: str
    evidence: tuple[SentencePair, ...]
    # an article's match is judged by the calibrated model (pushes.py): the probability that it
    # pushes the claim, and whether that is confident or for review; a claim's (a post, a quote)
    # is ranked by the re-ranker instead, its status set by its cosine and no probability given
    probability: float | None = None
    status: str | None = None
    # the stored narrative anchored on a matched entry, whose closest member sentence then ends
    # the evidence: an entry and its narrative are one result
    narrative: str | None = None
    # the matched cases of the entry's claim (cases.py), this entry first: one claim, one result
    cases: tuple[str, ...] = ()
