"""Column names of monitoring-tool exports, mapped onto article fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from narratrace.errors import InputError, UsageError
from narratrace.model import RawDocument

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "permalink", "uri", "article_url"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "content", "body", "article", "full_text", "maintext", "article_text"),
    "published": (
        "date",
        "published",
        "published_at",
        "publish_date",
        "pubdate",
        "date_published",
        "datetime",
        "timestamp",
    ),
    "outlet": ("outlet", "source", "site", "domain", "media", "publisher", "media_name"),
    "language": ("language", "lang", "locale"),
}


def parse_field_mapping(specs: list[str], fields: Iterable[str] = FIELD_ALIASES) -> dict[str, str]:
    """`["text=article_body"]` -> `{"text": "article_body"}`, checking the names against `fields`
    (an article's by default; `catalogue import` gives a catalogue entry's)."""
    allowed = list(fields)
    mapping: dict[str, str] = {}
    for spec in specs:
        name, sep, column = spec.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not column or name not in allowed:
            known = ", ".join(allowed)
            raise UsageError(f"--field {spec!r}: expected NAME=COLUMN with NAME one of {known}")
        mapping[name] = column
    return mapping


def _pick(row: Mapping[str, Any], name: str, mapping: Mapping[str, str], where: str) -> str | None:
    """The row's value for the article field `name`: text as it is, a number as written (a year, an
    id); a list or object is an error naming the field, and so is a number given as the text."""
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    candidates = (mapping[name].lower(),) if name in mapping else FIELD_ALIASES[name]
    for key in candidates:
        value = lowered.get(key)
        if value is None or isinstance(value, bool):
            continue
        if not isinstance(value, str) and (name == "text" or not isinstance(value, int | float)):
            found = (
                "a list"
                if isinstance(value, list)
                else "an object"
                if isinstance(value, dict)
                else "a number"
            )
            raise InputError(where, f"field {key!r} ({name}) holds {found}, not text; line skipped")
        if str(value).strip():
            return str(value)
    return None


def row_to_document(
    row: Mapping[str, Any], *, source: str, line: int, raw: str, mapping: Mapping[str, str]
) -> RawDocument:
    """One export row as a document; InputError when it has no text, or a field holds no text."""
    where = f"{source}:{line}"
    text = _pick(row, "text", mapping, where)
    if text is None:
        looked = mapping.get("text") or ", ".join(FIELD_ALIASES["text"])
        raise InputError(
            where,
            f"no article text (looked for {looked}; map one with --field text=COLUMN)",
        )
    return RawDocument(
        source=source,
        line=line,
        raw=raw,
        kind="text",
        body=text,
        url=_pick(row, "url", mapping, where),
        title=_pick(row, "title", mapping, where),
        published=_pick(row, "published", mapping, where),
        outlet=_pick(row, "outlet", mapping, where),
        language=_pick(row, "language", mapping, where),
    )
