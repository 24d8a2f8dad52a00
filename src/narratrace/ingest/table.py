"""CSV and TSV exports: a header row, then one article a row."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from typing import IO

from narratrace.errors import InputError
from narratrace.ingest.fields import row_to_document
from narratrace.model import RawDocument

csv.field_size_limit(sys.maxsize)  # article bodies easily pass the 128 KiB default


def read_table(
    stream: IO[bytes], source: str, mapping: Mapping[str, str], delimiter: str = ","
) -> Iterator[RawDocument | InputError]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield InputError(source, "empty CSV file (no header row)")
        return
    except (csv.Error, UnicodeDecodeError) as error:
        yield InputError(f"{source}:1", f"unreadable header row ({error})")
        return
    columns = [c.strip() for c in header]
    while True:
        start_line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            yield InputError(
                f"{source}:{start_line}", f"not valid UTF-8 ({error.reason}); rest of file skipped"
            )
            return
        except csv.Error as error:
            yield InputError(f"{source}:{start_line}", f"malformed CSV row ({error}); row skipped")
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
