"""Property tests of the stream readers: whatever bad lines a JSONL or CSV file holds, every good
record is read, in order, and every bad one gives exactly one error naming its line; nothing
raises. The bad lines are the shapes the hostile probe found (issue: invalid UTF-8, nested JSON,
wrong types, overlong records, NUL bytes, stray quotes), drawn at random among good ones."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narratrace.errors import InputError
from narratrace.ingest.sources import iter_documents
from narratrace.model import RawDocument

MAX_BYTES = 4096  # a record over this is reported, never stored
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60)
good_text = st.builds(lambda w: f"Body {w.strip() or 'text'} of a story.", words)
GOOD = good_text.map(lambda t: ("good", t))

BAD_JSON_LINES = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda b: b"\xff" + b.replace(b"\n", b"")),  # not UTF-8
    st.integers(1, 5000).map(lambda n: ("[" * n + "]" * n).encode()),  # nested beyond reason
    st.sampled_from(
        [
            b"{",
            b'{"text": 5}',
            b'{"text": ["a"]}',
            b'{"text": "ok", "title": {"a": 1}}',
            b"[1, 2]",
            b'"a string"',
            b"null",
            b'{"text": "a\x00b"}',
        ]
    ),
    st.integers(MAX_BYTES + 1, MAX_BYTES * 3).map(lambda n: json.dumps({"text": "x" * n}).encode()),
)


def _mostly_good(lines: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Good lines added at the end until they are the most: a file that opens with mostly binary
    lines is one error for the whole file (files.is_binary_records), tested apart."""
    bad = sum(kind == "bad" for kind, _ in lines)
    return lines + [("good", f"Body {i} added of a story.") for i in range(max(0, 2 * bad + 1 - len(lines)))]


def _read(data: bytes, suffix: str) -> list[RawDocument | InputError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        return list(iter_documents([str(path)], max_bytes=MAX_BYTES))  # type: ignore[arg-type]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(good_text.map(lambda t: ("good", t)), BAD_JSON_LINES.map(lambda b: ("bad", b))),
        min_size=1,
        max_size=25,
    )
)
def test_jsonl_every_good_line_read_every_bad_line_reported(lines: list[tuple[str, object]]) -> None:
    lines = _mostly_good(lines)
    encoded = [json.dumps({"text": v}).encode() if kind == "good" else v for kind, v in lines]
    found = _read(b"\n".join(encoded) + b"\n", ".jsonl")  # type: ignore[arg-type]
    read = [d for d in found if isinstance(d, RawDocument)]
    errors = [d for d in found if isinstance(d, InputError)]
    assert [d.body for d in read] == [v for kind, v in lines if kind == "good"]
    assert [d.line for d in read] == [i + 1 for i, (kind, _) in enumerate(lines) if kind == "good"]
    bad_lines = [i + 1 for i, (kind, _) in enumerate(lines) if kind == "bad"]
    assert len(errors) == len(bad_lines), [str(e) for e in errors]
    for error, line in zip(errors, bad_lines, strict=True):
        assert f":{line}" in error.location and "\n" not in str(error) and len(str(error)) < 600


BAD_CSV_ROWS = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda b: b"\xfe" + b.replace(b"\n", b"").replace(b"\r", b"")),
    st.integers(MAX_BYTES + 1, MAX_BYTES * 3).map(lambda n: b"x" * n),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(good_text.map(lambda t: ("good", t)), BAD_CSV_ROWS.map(lambda b: ("bad", b))),
        min_size=0,
        max_size=20,
    )
)
def test_csv_every_good_row_read_every_bad_row_reported(rows: list[tuple[str, object]]) -> None:
    rows = _mostly_good(rows)
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(["title", "text"])
    encoded = [header.getvalue().rstrip("\n").encode()]
    for kind, value in rows:
        if kind == "good":
            row = io.StringIO()
            csv.writer(row, lineterminator="\n").writerow(["A title", value])
            encoded.append(row.getvalue().rstrip("\n").encode())
        else:
            encoded.append(b"A title," + value)  # type: ignore[operator]
    found = _read(b"\n".join(encoded) + b"\n", ".csv")
    read = [d for d in found if isinstance(d, RawDocument)]
    errors = [d for d in found if isinstance(d, InputError)]
    assert [d.body for d in read] == [v for kind, v in rows if kind == "good"]
    assert len(errors) == sum(kind == "bad" for kind, _ in rows), [str(e) for e in errors]
    assert all("\n" not in str(e) and len(str(e)) < 600 for e in errors)


def test_a_binary_file_named_jsonl_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "image.jsonl"
    path.write_bytes(bytes(range(256)) * 64)
    (error,) = iter_documents([str(path)])
    assert isinstance(error, InputError) and "binary file" in error.reason
