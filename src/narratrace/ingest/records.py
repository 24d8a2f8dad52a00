"""Bounded reading of streamed inputs: one record (a JSONL line, a CSV line, a WARC record) never
holds more than the record limit in memory, whatever the file holds.

A line over the limit is read through and dropped in fixed-size pieces, so that a 200 MB line or
a file of zeros with no line break costs the memory of one piece and time linear in its size.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

PIECE = 1 << 20  # bytes read at a time while skipping a line over the limit


@dataclass(slots=True, frozen=True)
class Overlong:
    """A line over the record limit, read through and dropped: only how many double quotes it
    held is kept, so that a CSV reader stays in step with the quoting around it."""

    quotes: int


def bounded_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | Overlong]:
    """Each line of `stream` (with its line break), or an `Overlong` for one over `limit` bytes."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        quotes = line.count(b'"')
        while line and not line.endswith(b"\n"):  # the rest of the long line, piece by piece
            line = stream.readline(PIECE)
            quotes += line.count(b'"')
        yield Overlong(quotes)


class Gunzip:
    """A gzip stream of one member or many (a web archive gzips each record apart), decompressed
    as it is read. A cut-short archive ends where its bytes end, as warcio's own reader ends,
    so that the records before the cut are still read. `compressed_read()` says how far into the
    file it has read, for the decompression ratio."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.compressed = 0
        self.pending = b""
        self.member = zlib.decompressobj(wbits=31)
        self.started = False  # bytes of the current member were read
        self.cut = False  # the file ended inside a member

    def compressed_read(self) -> int:
        return self.compressed

    def read(self, size: int = -1) -> bytes:
        size = PIECE if size is None or size < 0 else size
        self._fill(size)
        out, self.pending = self.pending[:size], self.pending[size:]
        return out

    def readline(self, size: int = -1) -> bytes:
        """Up to and with the next line break, at most `size` bytes."""
        size = PIECE if size is None or size < 0 else size
        while b"\n" not in self.pending[:size] and len(self.pending) < size:
            before = len(self.pending)
            self._fill(min(size, before + PIECE))
            if len(self.pending) == before:  # the end of the archive
                break
        end = self.pending.find(b"\n", 0, size)
        end = size if end < 0 else end + 1
        out, self.pending = self.pending[:end], self.pending[end:]
        return out

    def _fill(self, size: int) -> None:
        """Decompress until `size` bytes are pending, or the file ends."""
        while len(self.pending) < size:
            data = self.member.unconsumed_tail or self.member.unused_data
            if self.member.eof:  # the next member starts in what this one left
                self.member = zlib.decompressobj(wbits=31)
                self.started = False
            if not data:
                data = self.stream.read(PIECE)
                self.compressed += len(data)
            if not data:
                self.cut = self.started and not self.member.eof
                break
            self.started = True
            try:
                self.pending += self.member.decompress(data, size)
            except zlib.error as error:
                raise ValueError(f"not gzip data ({error})") from None


class Bounded:
    """A binary stream that stops with ValueError once more than `limit` bytes have been read
    without a line break (no record of a web archive looks like that: a run of zeros does), or
    once it has given `ratio` times the bytes its `source_position` says were read from the file
    (a decompression bomb), past a first `floor` bytes."""

    def __init__(
        self,
        stream: IO[bytes],
        limit: int,
        ratio: int,
        floor: int,
        source_position: Callable[[], int] | None = None,
    ) -> None:
        self.stream = stream
        self.limit = limit
        self.ratio = ratio
        self.floor = floor
        self.source_position = source_position
        self.given = 0
        self.since_break = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(PIECE if size is None or size < 0 else size)
        self._count(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self.stream.readline(self.limit + 1 if size is None or size < 0 else min(size, self.limit + 1))
        self._count(data)
        return data

    def _count(self, data: bytes) -> None:
        self.given += len(data)
        last = data.rfind(b"\n")
        self.since_break = len(data) - last - 1 if last >= 0 else self.since_break + len(data)
        if self.since_break > self.limit:
            raise ValueError(f"over {self.limit:,} bytes without a line break: not a web archive")
        read = self.source_position() if self.source_position is not None else None
        if (
            self.ratio
            and read is not None
            and self.given > self.floor
            and self.given > self.ratio * max(read, 1)
        ):
            raise ValueError(f"expands over {self.ratio} times its compressed size (a decompression bomb?)")
