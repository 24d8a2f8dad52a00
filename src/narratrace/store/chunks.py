"""Long `IN (...)` lists, asked in pieces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T", str, int)
IN_CHUNK = 500  # values per `IN (...)` list, well under SQLite's limit on parameters


def in_chunks(values: Iterable[T]) -> Iterator[tuple[list[T], str]]:
    """The distinct `values`, sorted, in pieces of IN_CHUNK, each with its `?, ?, ...` marks."""
    wanted = sorted(set(values))
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start : start + IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))
