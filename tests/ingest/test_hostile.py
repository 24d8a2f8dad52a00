"""Hostile and broken input: every case refused in one clear line, with bounded memory, and no
good input lost beside it (issue: nothing lost, nothing let in). Each case is a shape a probe of
the readers found; the inputs are our own."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from narratrace.errors import InputError
from narratrace.ingest.sources import iter_documents
from narratrace.model import RawDocument

GOOD = {"title": "Good one", "text": "A perfectly good article text, long enough to be stored as an article."}
LIMIT = 64 * 1024  # a small record limit, so that "huge" inputs stay small here


def documents(*paths: str, **kwargs: object) -> list[RawDocument | InputError]:
    return list(iter_documents(paths, **kwargs))  # type: ignore[arg-type]


def errors(found: list[RawDocument | InputError]) -> list[str]:
    return [str(e) for e in found if isinstance(e, InputError)]


def test_deeply_nested_json_is_one_error_and_the_good_line_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text("[" * 200_000 + "]" * 200_000 + "\n" + json.dumps(GOOD) + "\n")
    found = documents(str(path))
    assert errors(found) == [f"{path}:1: JSON nested too deeply; line skipped"]
    assert [d.title for d in found if isinstance(d, RawDocument)] == ["Good one"]


def test_a_line_over_the_record_limit_is_skipped_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"title": "huge", "text": "a" * (LIMIT * 4)})
    path.write_text(huge + "\n" + json.dumps(GOOD) + "\n")
    found = documents(str(path), max_bytes=LIMIT)
    assert errors(found) == [f"{path}:1: line over the 65,536-byte record limit; line skipped"]
    assert sum(isinstance(d, RawDocument) for d in found) == 1


def _rows(n: int) -> list[bytes]:
    return [b"id,title,text"] + [
        f'{i},Title {i},"Article number {i}, with enough words to be stored as an article."'.encode()
        for i in range(n)
    ]


def test_a_bad_byte_costs_only_its_row_and_names_its_line(tmp_path: Path) -> None:
    rows = _rows(30)
    rows[16] = rows[16].replace(b"number", b"n\xffmber")  # the 16th row, on line 17
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    found = documents(str(path))
    assert errors(found) == [f"{path}:17: not valid UTF-8 (byte 0xff at column 23); row skipped"]
    assert sum(isinstance(d, RawDocument) for d in found) == 29


def test_a_bad_byte_after_the_header_is_not_called_a_bad_header(tmp_path: Path) -> None:
    rows = _rows(3)
    rows[3] = rows[3] + b"\xfe"
    path = tmp_path / "third.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    assert errors(documents(str(path))) == [
        f"{path}:4: not valid UTF-8 (byte 0xfe at column 76); row skipped"
    ]


def test_an_overlong_csv_line_keeps_the_rows_after_it_in_step(tmp_path: Path) -> None:
    rows = _rows(3)
    rows.insert(2, b'9,Long,"' + b"x" * (LIMIT * 2) + b'"')
    path = tmp_path / "long.csv"
    path.write_bytes(b"\n".join(rows) + b"\n")
    found = documents(str(path), max_bytes=LIMIT)
    assert errors(found) == [f"{path}:3: line over the 65,536-byte record limit; row skipped"]
    assert [d.title for d in found if isinstance(d, RawDocument)] == ["Title 0", "Title 1", "Title 2"]


def test_a_duplicate_header_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("title,text,text\na,b,c\n")
    assert errors(documents(str(path))) == [f"{path}:1: the header names 'text' more than once; file skipped"]


def test_special_files_are_named_and_skipped_never_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(GOOD) + "\n")
    os.mkfifo(folder / "p.txt")
    found = documents(str(folder))
    assert errors(found) == [f"{folder / 'p.txt'}: not a regular file (a FIFO); skipped"]
    assert sum(isinstance(d, RawDocument) for d in found) == 1


def test_an_unreadable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions do not stop root (which CI runs as), so the folder's listing is made to fail
    the way a permission error does."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.jsonl").write_text(json.dumps(GOOD) + "\n")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    found = documents(str(tmp_path))
    assert errors(found) == [f"{tmp_path / 'locked'}: cannot read folder (Permission denied)"]
    assert sum(isinstance(d, RawDocument) for d in found) == 1


def test_utf16_text_is_read_and_utf16_tables_are_told_to_convert(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_bytes(
        "An article saved as UTF-16, with its byte-order mark, as Notepad saves.".encode("utf-16")
    )
    (document,) = documents(str(text))
    assert isinstance(document, RawDocument)
    table = tmp_path / "a.csv"
    table.write_bytes("title,text\na,b\n".encode("utf-16"))
    assert errors(documents(str(table))) == [
        f"{table}: UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8); skipped"
    ]


def test_a_binary_stream_file_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(bytes(range(256)) * 400)
    assert errors(documents(str(path))) == [f"{path}: binary file, not JSONL text; skipped"]


def test_a_gzip_bomb_and_a_file_of_zeros_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.warc.gz"
    with gzip.open(bomb, "wb") as stream:
        for _ in range(64):
            stream.write(b"<p>" + b"a" * 1000 + b"</p>\n" * 200)
    zeros = tmp_path / "zeros.warc"
    zeros.write_bytes(bytes(LIMIT * 4))
    found = errors(documents(str(bomb), str(zeros), max_bytes=LIMIT))
    assert len(found) == 2
    assert "times its compressed size" in found[0] or "Unknown archive format" in found[0]
    assert "without a line break" in found[1]


def test_stdin_streams_records_and_is_bounded_otherwise() -> None:
    lines = (json.dumps(GOOD) + "\n").encode() * 3
    found = list(iter_documents(["-"], stdin=io.BytesIO(lines), max_bytes=LIMIT))
    assert sum(isinstance(d, RawDocument) for d in found) == 3
    (error,) = iter_documents(["-"], stdin=io.BytesIO(b"plain text " * LIMIT), max_bytes=LIMIT)
    assert str(error) == "<stdin>: over the 65,536-byte limit (raise it with --max-bytes); skipped"


def test_an_error_is_one_line_whatever_the_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "evil\nerror: forged.jsonl").write_text("{not json\n")
    (folder / "esc\x1b[31m.jsonl").write_text("{not json\n")
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "h.db"), "ingest", str(folder)]
    done = subprocess.run(run, capture_output=True, text=True)
    said = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(said) == 2 and "\\n" in said[1] and "\x1b" not in done.stderr, done.stderr
    assert done.returncode == 1
