"""Plain-text articles: one file, one article (the first line is the title when it looks like one)."""

from __future__ import annotations

from collections.abc import Iterator

from narratrace.errors import InputError
from narratrace.ingest.files import decode
from narratrace.model import RawDocument


def read_text(data: bytes, source: str) -> Iterator[RawDocument | InputError]:
    try:
        text = decode(data, source)
    except InputError as error:
        yield error
        return
    yield RawDocument(source=source, line=None, raw=text, kind="text", body=text)
