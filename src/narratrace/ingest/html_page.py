"""Saved HTML pages: main text and metadata come from trafilatura at preparation time."""

from __future__ import annotations

from collections.abc import Iterator

from narratrace.errors import InputError
from narratrace.ingest.files import decode_html
from narratrace.model import RawDocument


def read_html(data: bytes, source: str, url: str | None = None) -> Iterator[RawDocument | InputError]:
    try:
        page = decode_html(data, source)
    except InputError as error:
        yield error
        return
    yield RawDocument(source=source, line=None, raw=page, kind="html", url=url)
