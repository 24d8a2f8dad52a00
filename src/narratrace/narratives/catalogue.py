"""Reading a catalogue of known narratives: EUvsDisinfo-style CSV and ClaimReview JSON-LD.

ClaimReview comes as one object, a list, an `@graph`, a schema.org DataFeed of them (the bulk
feeds fact-check aggregators publish: `dataFeedElement` items), the JSON-LD blocks of a saved
fact-check page (.html), or the Google Fact Check Tools API's answer (`claims`, each with its
`claimReview` list)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from narratrace.errors import InputError
from narratrace.ingest.dates import parse_date
from narratrace.model import CatalogueEntry

CSV_COLUMNS = ("id", "date", "title", "summary", "disproof", "outlets", "countries", "url")
REQUIRED_CSV = ("id", "title")
LIST_SEPARATORS = (";", "|", ",")


def read_catalogue(path: Path) -> Iterator[CatalogueEntry | InputError]:
    """Entries of one catalogue file, chosen by suffix: .csv, else JSON(-LD)."""
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
        yield from _read_csv(text, str(path), "\t" if path.suffix.lower() == ".tsv" else ",")
    elif path.suffix.lower() in (".html", ".htm"):
        yield from _read_page(text, str(path))
    else:
        yield from _read_claimreview(text, str(path))


def _split_list(value: str) -> tuple[str, ...]:
    for separator in LIST_SEPARATORS:
        if separator in value:
            return tuple(v.strip() for v in value.split(separator) if v.strip())
    return (value.strip(),) if value.strip() else ()


def _read_csv(text: str, source: str, delimiter: str) -> Iterator[CatalogueEntry | InputError]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED_CSV if c not in header]
    if missing:
        yield InputError(
            f"{source}:1", f"missing column(s) {', '.join(missing)}; expected {', '.join(CSV_COLUMNS)}"
        )
        return
    for row in reader:
        line = reader.line_num
        values = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            yield InputError(f"{source}:{line}", "row has more fields than the header; skipped")
            continue
        if not values.get("id") or not values.get("title"):
            yield InputError(f"{source}:{line}", "row has no id or no title; skipped")
            continue
        yield CatalogueEntry(
            id=values["id"],
            origin="euvsdisinfo",
            title=values["title"],
            claim=values.get("title", ""),
            summary=values.get("summary", ""),
            disproof=values.get("disproof", ""),
            url=values.get("url") or None,
            published=parse_date(values.get("date")),
            outlets=_split_list(values.get("outlets", "")),
            countries=_split_list(values.get("countries", "")),
            source=f"{source}:{line}",
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
