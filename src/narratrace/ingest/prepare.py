"""From a raw document to a clean Article: extraction, normalisation, cleaning, metadata."""

from __future__ import annotations

import re
from typing import Any

import htmldate
import trafilatura

from narratrace.errors import InputError
from narratrace.ingest.clean import clean
from narratrace.ingest.dates import date_from_url, parse_date
from narratrace.ingest.metadata import (
    address,
    article_id,
    canonical_outlet,
    detect_language,
    outlet_from_text,
    outlet_from_url,
)
from narratrace.ingest.normalise import normalise
from narratrace.model import Article, RawDocument

MIN_ARTICLE_CHARS = 20  # shorter than a sentence: nothing worth storing
ISO_LANGUAGE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z]{2,4})?$")


def metadata_date(page: str) -> str | None:
    """The publication date a page's metadata gives (meta tags, structured data, <time> in the
    header), by htmldate, without its search of the body text or the address."""
    try:
        found = htmldate.find_date(
            page, extensive_search=False, original_date=True, deferred_url_extractor=True, url=""
        )
    except (ValueError, TypeError):  # a page htmldate cannot parse
        return None
    return str(found) if found else None


def extract_html(doc: RawDocument) -> dict[str, Any]:
    """Main text and metadata of an HTML page, with reader comments left out."""
    result = trafilatura.bare_extraction(
        doc.raw,
        url=doc.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
    )
    page: dict[str, Any] = {}
    if isinstance(result, dict):
        page = result
    elif result is not None:
        page = result.as_dict()
    if not page.get("text"):
        raise InputError(doc.location, "no article text found in the HTML page")
    return page


def prepare(doc: RawDocument) -> Article:
    """Clean `doc` and fill its metadata, saying for each field where it came from."""
    provenance: dict[str, str] = {}
    title, url, published = doc.title, doc.url, doc.published
    body, sitename = doc.body or "", None
    if doc.kind == "html":
        page = extract_html(doc)
        body = page["text"]
        title = title or page.get("title")
        url = url or page.get("url")
        # the page's own metadata only: trafilatura's date may be a date in the body (an embedded
        # post's, a date the story mentions) or a day made up from "/2018/03/" in the address
        if not published and (found := metadata_date(doc.raw)):
            published = found
            provenance["published"] = "page metadata"
        sitename = page.get("sitename")

    text = normalise(body)
    title = normalise(title).strip() if title else None
    cleaned = clean(text, title=title, title_from_first_line=title is None)
    if len(cleaned.text.strip()) < MIN_ARTICLE_CHARS:
        raise InputError(doc.location, "no article text left after cleaning")

    published = _published(published, url, cleaned.dateline, provenance)
    outlet = _outlet(doc.outlet, url, sitename, text, provenance)
    language = _language_code(doc.language) or detect_language(cleaned.text)
    where = address(url, doc.source, doc.line)
    return Article(
        id=article_id(where, cleaned.text),
        text=cleaned.text,
        raw=doc.raw,
        source=doc.location,
        url=url,
        outlet=outlet,
        title=cleaned.title,
        published=published,
        language=language,
        removed=cleaned.removed,
        marks=cleaned.marks,
        provenance=provenance,
    )


def _language_code(given: str | None) -> str | None:
    """An export's language field when it is an ISO 639-1 code ("en", "en-GB"); else None."""
    match = ISO_LANGUAGE.match((given or "").strip())
    return match.group(1).lower() if match else None


def _published(
    given: str | None, url: str | None, from_dateline: str | None, provenance: dict[str, str]
) -> str | None:
    if found := parse_date(given):
        provenance.setdefault("published", "input field")
        return found
    if found := date_from_url(url):
        provenance["published"] = "url"
        return found
    if from_dateline:
        provenance["published"] = "dateline in text"
    return from_dateline


def _outlet(
    given: str | None,
    url: str | None,
    sitename: str | None,
    text: str,
    provenance: dict[str, str],
) -> str | None:
    """The export's own outlet column, else the name the page gives itself (og:site_name), else the
    URL's domain, else the text naming it; under one name per outlet (`canonical_outlet`: "PressTV"
    and presstv.ir are Press TV)."""
    if given and given.strip():
        provenance["outlet"] = "input field"
        return canonical_outlet(given.strip())
    if sitename and str(sitename).strip():
        provenance["outlet"] = "page metadata (site name)"
        return canonical_outlet(str(sitename).strip())
    if found := outlet_from_url(url):
        provenance["outlet"] = "url domain"
        return canonical_outlet(found)
    if cue := outlet_from_text(text):
        provenance["outlet"] = f"text cue: {cue[1]!r}"
        return canonical_outlet(cue[0])
    return None
