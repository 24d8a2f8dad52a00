"""Reading a catalogue of known narratives: EUvsDisinfo-style CSV and ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import io
import json
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


def _claimreviews(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _claimreviews(item)
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from _claimreviews(value["@graph"])
        else:
            yield value


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@id") or "") or None
    if isinstance(value, list) and value:
        return _name(value[0])
    return str(value) if value else None


def _read_claimreview(text: str, source: str) -> Iterator[CatalogueEntry | InputError]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield InputError(f"{source}:{error.lineno}", f"malformed JSON ({error.msg}, column {error.colno})")
        return
    for number, review in enumerate(_claimreviews(document), start=1):
        where = f"{source}:item {number}"
        kind = review.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" not in kinds:
            yield InputError(where, f"not a ClaimReview (@type {kind!r}); skipped")
            continue
        claim = str(review.get("claimReviewed") or "").strip()
        url = str(review.get("url") or "").strip()
        if not claim or not url:
            yield InputError(where, "ClaimReview needs claimReviewed and url; skipped")
            continue
        rating = review.get("reviewRating") or {}
        verdict = (
            _name(rating)
            if not isinstance(rating, dict)
            else str(rating.get("alternateName") or rating.get("name") or rating.get("ratingValue") or "")
        )
        item = review.get("itemReviewed") or {}
        yield CatalogueEntry(
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
