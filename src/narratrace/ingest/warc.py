"""WARC and WARC.gz web archives: each HTML response becomes a page at its target URI."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Any, cast

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from narratrace.errors import InputError
from narratrace.ingest.html_page import read_html
from narratrace.ingest.records import Bounded, Gunzip
from narratrace.model import RawDocument, Skipped

HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b"
# Web pages compress about 3-10 times; a gzipped archive that expands 100 times past its first
# record's worth is a bomb (1 MB of gzip holding 1 GiB of zeros drove memory past 12 GB).
MAX_RATIO = 100
ARTICLE_RECORDS = ("response", "resource")


def read_warc(stream: IO[bytes], source: str, max_bytes: int) -> Iterator[RawDocument | InputError | Skipped]:
    number = 0
    bounded = _bounded(stream, max_bytes)
    flagged = 0  # the last record reported as cut short
    try:
        for record in ArchiveIterator(bounded, check_digests=True):
            number += 1
            if record.rec_type not in ARTICLE_RECORDS:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or "?"
            location = f"{source}:record {number} ({uri})"
            status = _status(record)
            if status is not None and not 200 <= status < 300:  # a 404 page is not the article
                yield Skipped(location, f"HTTP {status}")
                continue
            content_type = _content_type(record)
            if not content_type.startswith(HTML_TYPES):  # a crawl's images, scripts, feeds
                yield Skipped(location, content_type or "no content type")
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield InputError(location, f"page over the {max_bytes:,}-byte limit; skipped")
                continue
            if _truncated(record):
                flagged = number
                yield InputError(
                    location,
                    "record truncated (shorter than its declared length or failing its digest); skipped",
                )
                continue
            for item in read_html(body, source, url=None if uri == "?" else uri):
                yield _relocate(item, number, location)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as error:
        where = f"{source}:record {number + 1}"
        yield InputError(where, f"archive truncated or corrupt ({error}); rest of archive skipped")
        return
    if isinstance(bounded.stream, Gunzip) and bounded.stream.cut and flagged != number:
        yield InputError(f"{source}:record {number + 1}", "archive truncated: it ends inside a record")


def _bounded(stream: IO[bytes], max_bytes: int) -> Bounded:
    """The archive's bytes as warcio will read them, decompressed here when gzipped, so that what
    they expand to is counted: at most MAX_RATIO times the compressed bytes read (past the first
    record limit), and never more than a record's limit without a line break."""
    compressed = stream.peek(2)[:2] == GZIP_MAGIC if isinstance(stream, io.BufferedReader) else False
    if not compressed:
        return Bounded(stream, max_bytes, ratio=0, floor=0)
    unzipped = Gunzip(stream)
    return Bounded(
        cast(IO[bytes], unzipped),
        max_bytes,
        ratio=MAX_RATIO,
        floor=max_bytes,
        source_position=unzipped.compressed_read,
    )


def _truncated(record: Any) -> bool:
    """Fewer bytes than the record declares, or a payload digest that does not match."""
    unread = getattr(getattr(record, "raw_stream", None), "limit", 0)
    checker = getattr(record, "digest_checker", None)
    return bool(unread) or (checker is not None and checker.passed is False)


def _status(record: Any) -> int | None:
    """The HTTP status of a response record (None for a resource record, which has none)."""
    http = getattr(record, "http_headers", None)
    code = http.get_statuscode() if http is not None else None
    return int(code) if code and str(code).isdigit() else None


def _content_type(record: Any) -> str:
    http = getattr(record, "http_headers", None)
    header = http.get_header("Content-Type") if http is not None else None
    if header is None:
        header = record.rec_headers.get_header("Content-Type")
    return (header or "").split(";")[0].strip().lower()


def _relocate(item: RawDocument | InputError, number: int, location: str) -> RawDocument | InputError:
    if isinstance(item, InputError):
        return InputError(location, item.reason)
    return RawDocument(source=item.source, line=number, raw=item.raw, kind="html", url=item.url)
