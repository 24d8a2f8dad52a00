"""JSON Lines exports: one article an object; a malformed line is reported and skipped."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from narratrace.errors import InputError
from narratrace.ingest.fields import row_to_document
from narratrace.ingest.records import Overlong
from narratrace.model import RawDocument


def read_jsonl(
    lines: Iterable[bytes | Overlong], source: str, mapping: Mapping[str, str], limit: int
) -> Iterator[RawDocument | InputError]:
    """`lines` as `records.bounded_lines` gives them: an `Overlong` for a line over the `limit`."""
    for number, raw_line in enumerate(lines, start=1):
        location = f"{source}:{number}"
        if isinstance(raw_line, Overlong):
            yield InputError(location, f"line over the {limit:,}-byte record limit; line skipped")
            continue
        try:
            line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            yield InputError(location, f"not valid UTF-8 (byte {error.start}); line skipped")
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(location, f"malformed JSON ({error.msg}, column {error.colno}); line skipped")
            continue
        except RecursionError:  # the decoder recurses once per level of nesting
            yield InputError(location, "JSON nested too deeply; line skipped")
            continue
        if not isinstance(row, dict):
            yield InputError(location, f"expected a JSON object, found {type(row).__name__}; line skipped")
            continue
        try:
            yield row_to_document(row, source=source, line=number, raw=line.rstrip("\n"), mapping=mapping)
        except InputError as error:
            yield error
