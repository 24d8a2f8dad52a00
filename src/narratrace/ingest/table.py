"""CSV and TSV exports: a header row, then one article a row.

Lines are read and decoded one at a time (records.py), so a bad byte or an overlong line costs
only the row it is in, and the error names the line it is on.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import IO

from narratrace.errors import InputError
from narratrace.ingest.fields import row_to_document
from narratrace.ingest.records import Overlong, bounded_lines
from narratrace.model import RawDocument


class _Lines:
    """The decoded lines of a stream for csv.reader, counting physical lines and keeping what was
    wrong with each bad one (by line number): a byte that is not UTF-8, or a line over the limit
    (given to the reader as its quotes alone, so the quoting around it stays in step)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.lines = bounded_lines(stream, limit)
        self.limit = limit
        self.number = 0
        self.faults: dict[int, str] = {}

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.number += 1
        if isinstance(line, Overlong):
            self.faults[self.number] = f"line over the {self.limit:,}-byte record limit"
            return '"' * (line.quotes % 2) + "\n"
        try:
            return line.decode("utf-8-sig" if self.number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            self.faults[self.number] = (
                f"not valid UTF-8 (byte 0x{line[error.start]:02x} at column {error.start + 1})"
            )
            return line.decode("utf-8", errors="replace")

    def fault(self, first: int, last: int) -> tuple[int, str] | None:
        """The first bad line from `first` to `last`, and what is wrong with it."""
        return next(((n, self.faults[n]) for n in range(first, last + 1) if n in self.faults), None)


def read_table(
    stream: IO[bytes], source: str, mapping: Mapping[str, str], limit: int, delimiter: str = ","
) -> Iterator[RawDocument | InputError]:
    lines = _Lines(stream, limit)
    csv.field_size_limit(limit)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield InputError(source, "empty CSV file (no header row)")
        return
    except csv.Error as error:
        yield InputError(f"{source}:{reader.line_num}", f"unreadable header row ({error}); file skipped")
        return
    bad = lines.fault(1, reader.line_num)
    if bad is not None:
        yield InputError(f"{source}:{bad[0]}", f"unreadable header row: {bad[1]}; file skipped")
        return
    columns = [c.strip() for c in header]
    twice = sorted(name for name, n in Counter(columns).items() if n > 1 and name)
    if twice:
        named = ", ".join(repr(name) for name in twice)
        yield InputError(f"{source}:1", f"the header names {named} more than once; file skipped")
        return
    while True:
        start_line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            bad = lines.fault(start_line, reader.line_num)  # a bad byte may be what broke the row
            where, what = bad if bad is not None else (start_line, f"malformed CSV row ({error})")
            yield InputError(f"{source}:{where}", f"{what}; row skipped")
            continue
        bad = lines.fault(start_line, reader.line_num)
        if bad is not None:
            yield InputError(f"{source}:{bad[0]}", f"{bad[1]}; row skipped")
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            yield InputError(
                f"{source}:{start_line}",
                f"row has {len(values)} fields, header has {len(columns)}; row skipped",
            )
            continue
        row = dict(zip(columns, values, strict=True))
        raw = _as_csv_line(values, delimiter)
        try:
            yield row_to_document(row, source=source, line=start_line, raw=raw, mapping=mapping)
        except InputError as error:
            yield error


def _as_csv_line(values: list[str], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerow(values)
    return buffer.getvalue().rstrip("\r\n")
