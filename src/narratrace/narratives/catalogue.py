"""Reading a catalogue of known narratives: EUvsDisinfo-style CSV and ClaimReview JSON-LD.

ClaimReview comes as one object, a list, an `@graph`, a schema.org DataFeed of them (the bulk
feeds fact-check aggregators publish: `dataFeedElement` items), the JSON-LD blocks of a saved
fact-check page (.html), or the Google Fact Check Tools API's answer (`claims`, each with its
`claimReview` list)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narratrace.errors import InputError
from narratrace.ingest.dates import parse_date
from narratrace.model import CatalogueEntry

CSV_COLUMNS = ("id", "date", "title", "summary", "disproof", "outlets", "countries", "url")
# The column names real exports give each field, first found wins (the two public EUvsDisinfo
# scrapes in ../shared/corpus/euvsdisinfo among them: `outlet`, `origin`, `+`-joined lists).
# `--field FIELD=COLUMN` names another.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "case_id", "case", "report_id"),
    "date": ("date", "published", "date_published", "datepublished"),
    "title": ("title", "name", "headline", "claim"),
    # the claim in full, where a file gives it beside a short title (else the title is the claim)
    "claim": ("claim", "claim_reviewed", "claimreviewed", "statement"),
    "summary": ("summary", "description", "claim_summary"),
    "disproof": ("disproof", "response", "rebuttal", "verdict", "rating"),
    "outlets": ("outlets", "outlet", "media", "sources"),
    "countries": ("countries", "country", "origin"),
    "url": ("url", "link", "case_url", "address"),
}
REQUIRED_CSV = ("title",)
DELIMITERS = ",;\t|"
URL = re.compile(r"^https?://\S+$")  # a case address given as the id is also the url
LIST_SEPARATOR = re.compile(r"\s*[,;+|]\s*")


def read_catalogue(
    path: Path, mapping: dict[str, str] | None = None
) -> Iterator[CatalogueEntry | InputError | NotRead]:
    """Entries of one catalogue file, chosen by suffix: .csv/.tsv (delimiter sniffed, columns
    found by COLUMN_NAMES or `mapping`), .html, else JSON(-LD)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield InputError(str(path), f"cannot read ({error.strerror or error})")
        return
    if not data.strip():
        yield InputError(str(path), "empty file")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield InputError(str(path), f"not valid UTF-8 (offset {error.start})")
        return
    if path.suffix.lower() in (".csv", ".tsv"):
        yield from _read_csv(text, str(path), mapping or {})
    elif path.suffix.lower() in (".html", ".htm"):
        yield from _read_page(text, str(path))
    else:
        yield from _read_claimreview(text, str(path))


@dataclass(slots=True, frozen=True)
class NotRead:
    """A value of an imported entry that could not be read: the entry is imported without it."""

    location: str  # file and row
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:59] + "…"
        return f"{self.location}: column {self.column!r}: {shown!r} {self.reason}"


def split_list(value: str) -> tuple[str, ...]:
    """ "lifenews.ru+Sputnik News Russian" -> both outlets: lists come joined by , ; + or |."""
    return tuple(v for v in LIST_SEPARATOR.split(value.strip()) if v)


def _delimiter(text: str, source: str) -> str:
    """The delimiter of the header line: the candidate that splits it into the most columns."""
    if source.lower().endswith(".tsv"):
        return "\t"
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=lambda d: len(next(csv.reader([header], delimiter=d), [])))


def _columns(header: Sequence[str], mapping: dict[str, str]) -> dict[str, str]:
    """Catalogue field -> the file's column holding it."""
    lowered = {h.strip().lower(): h for h in header}
    found = {}
    for field, names in COLUMN_NAMES.items():
        wanted = (mapping[field].strip().lower(),) if field in mapping else names
        column = next((lowered[n] for n in wanted if n in lowered), None)
        if column is not None:
            found[field] = column
    return found


def _read_csv(
    text: str, source: str, mapping: dict[str, str]
) -> Iterator[CatalogueEntry | InputError | NotRead]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(text, source))
    columns = _columns(reader.fieldnames or [], mapping)
    missing = [c for c in REQUIRED_CSV if c not in columns]
    if missing:
        named = ", ".join(f"{f} ({'/'.join(COLUMN_NAMES[f])})" for f in missing)
        yield InputError(f"{source}:1", f"no column for {named}; name it with --field {missing[0]}=COLUMN")
        return
    unknown = [f"{f}={c}" for f, c in mapping.items() if f in COLUMN_NAMES and f not in columns]
    if unknown:
        yield InputError(f"{source}:1", f"--field {', '.join(unknown)}: no such column in the header")
        return
    seen: set[str] = set()  # the rows read, by a digest of their content
    for row in reader:
        line = reader.line_num
        where = f"{source}:{line}"
        if None in row:
            yield InputError(where, "row has more fields than the header; skipped")
            continue
        content = tuple(sorted((str(k), (v or "").strip()) for k, v in row.items()))
        digest = hashlib.sha1(repr(content).encode()).hexdigest()[:16]
        if digest in seen:  # an exact duplicate row: imported once
            continue
        seen.add(digest)
        values = {field: (row.get(column) or "").strip() for field, column in columns.items()}
        if not values.get("title"):
            yield InputError(where, f"row has no {columns['title']!r}; skipped")
            continue
        published = parse_date(values.get("date"))
        if values.get("date") and published is None:
            yield NotRead(where, columns["date"], values["date"], "is not a date narratrace reads")
        given = values.get("id") or ""
        key = given or f"row:{digest}"
        url = values.get("url") or (given if URL.match(given) else "")
        yield CatalogueEntry(
            id=key,
            origin="euvsdisinfo",
            title=values["title"],
            claim=values.get("claim") or values["title"],
            summary=values.get("summary", ""),
            disproof=values.get("disproof", ""),
            url=url or None,
            published=published,
            outlets=split_list(values.get("outlets", "")),
            countries=split_list(values.get("countries", "")),
            source=where,
        )


# Where JSON-LD nests the objects it holds: a graph, a data feed and its items.
CONTAINERS = ("@graph", "dataFeedElement", "item")
LD_JSON = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)


def _claimreviews(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _claimreviews(item)
    elif isinstance(value, dict):
        nested = next((key for key in CONTAINERS if key in value and not _is_claimreview(value)), None)
        if nested is not None:
            yield from _claimreviews(value[nested])
        else:
            yield value


def _is_claimreview(value: dict[str, Any]) -> bool:
    kind = value.get("@type")
    return "ClaimReview" in (kind if isinstance(kind, list) else [kind])


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@id") or "") or None
    if isinstance(value, list) and value:
        return _name(value[0])
    return str(value) if value else None


def _read_page(text: str, source: str) -> Iterator[CatalogueEntry | InputError]:
    """The ClaimReviews among a web page's JSON-LD blocks (its other objects, such as the
    NewsArticle or the breadcrumbs, are not errors)."""
    found = 0
    for number, block in enumerate(LD_JSON.findall(text), start=1):
        try:
            document = json.loads(block)
        except json.JSONDecodeError as error:
            yield InputError(f"{source}:JSON-LD block {number}", f"malformed JSON ({error.msg}); skipped")
            continue
        reviews = [r for r in _claimreviews(document) if _is_claimreview(r)]
        for item, review in enumerate(reviews, start=1):
            found += 1
            yield _claimreview_entry(review, f"{source}:JSON-LD block {number} item {item}")
    if not found:
        yield InputError(source, "no ClaimReview in the page's JSON-LD")


def _read_claimreview(text: str, source: str) -> Iterator[CatalogueEntry | InputError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield InputError(f"{source}:{error.lineno}", f"malformed JSON ({error.msg}, column {error.colno})")
        return
    if isinstance(document, dict) and isinstance(document.get("claims"), list):
        yield from _read_fact_check_tools(document["claims"], source)
        return
    for number, review in enumerate(_claimreviews(document), start=1):
        where = f"{source}:item {number}"
        if not _is_claimreview(review):
            yield InputError(where, f"not a ClaimReview (@type {review.get('@type')!r}); skipped")
            continue
        yield _claimreview_entry(review, where)


def _read_fact_check_tools(claims: list[Any], source: str) -> Iterator[CatalogueEntry | InputError]:
    """The Google Fact Check Tools API's `claims`: a claim's text and claimant, and its reviews
    (publisher, url, title, textual rating, review date), one entry per review."""
    for number, claim in enumerate(claims, start=1):
        reviews = claim.get("claimReview") if isinstance(claim, dict) else None
        if not isinstance(reviews, list) or not str(claim.get("text") or "").strip():
            yield InputError(f"{source}:claim {number}", "a claim needs text and a claimReview list; skipped")
            continue
        for review in (r if isinstance(r, dict) else {} for r in reviews):
            as_schema_org = {
                "claimReviewed": claim["text"],
                "url": review.get("url"),
                "name": review.get("title"),
                "reviewRating": {"alternateName": review.get("textualRating")},
                "datePublished": review.get("reviewDate"),
                "author": review.get("publisher"),
                "itemReviewed": {"author": claim.get("claimant")},
            }
            yield _claimreview_entry(as_schema_org, f"{source}:claim {number}")


def _claimreview_entry(review: dict[str, Any], where: str) -> CatalogueEntry | InputError:
    """One schema.org ClaimReview object as a catalogue entry."""
    claim = str(review.get("claimReviewed") or "").strip()
    url = str(review.get("url") or "").strip()
    if not claim or not url:
        return InputError(where, "ClaimReview needs claimReviewed and url; skipped")
    rating = review.get("reviewRating") or {}
    verdict = (
        _name(rating)
        if not isinstance(rating, dict)
        else str(rating.get("alternateName") or rating.get("name") or rating.get("ratingValue") or "")
    )
    item = review.get("itemReviewed") or {}
    return CatalogueEntry(
        id=url,
        origin="claimreview",
        title=str(review.get("name") or claim),
        claim=claim,
        summary=str(review.get("description") or ""),
        disproof=verdict or "",
        url=url,
        published=parse_date(str(review.get("datePublished") or "")),
        outlets=tuple(filter(None, [_name(item.get("author")) if isinstance(item, dict) else None])),
        author=_name(review.get("author")),
        source=where,
    )
