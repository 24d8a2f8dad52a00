"""Turn command-line paths (files, directories, `-` for stdin) into a stream of raw documents.

The format is chosen by file suffix, or by sniffing the content for stdin and unknown suffixes.
Everything streams: a reader yields one document at a time.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, cast

from narratrace.errors import InputError
from narratrace.ingest.files import BINARY_SNIFF_BYTES, DEFAULT_MAX_BYTES, check_bytes, is_binary_records
from narratrace.ingest.html_page import read_html
from narratrace.ingest.jsonl import read_jsonl
from narratrace.ingest.records import bounded_lines
from narratrace.ingest.table import read_table
from narratrace.ingest.text import read_text
from narratrace.ingest.warc import read_warc
from narratrace.model import RawDocument, Skipped

FORMATS_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".warc": "warc",
    ".arc": "warc",
}
COMPRESSED_SUFFIXES = (".warc.gz", ".arc.gz")
# read as a stream, a record at a time: no size limit on the file, the limit on each record
STREAMED = ("jsonl", "csv", "tsv", "warc")


def file_format(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(COMPRESSED_SUFFIXES):
        return "warc"
    return FORMATS_BY_SUFFIX.get(path.suffix.lower())


def sniff_format(head: bytes) -> str:
    """Guess a format from the first bytes of content with no telling suffix."""
    stripped = head.lstrip()
    if head[:2] == b"\x1f\x8b" or stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped[:15].lower().startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")):
        return "html"
    return "text"


def iter_documents(
    paths: Iterable[str],
    *,
    mapping: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: IO[bytes] | None = None,
) -> Iterator[RawDocument | InputError | Skipped]:
    """Every document (or input error) under `paths`, in a stable order."""
    mapping = mapping or {}
    for given in paths:
        if given == "-":
            yield from _read_stdin(stdin or sys.stdin.buffer, mapping, max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                if isinstance(file, InputError):
                    yield file
                else:
                    yield from read_file(file, mapping=mapping, max_bytes=max_bytes, explicit=False)
        elif path.exists():
            yield from read_file(path, mapping=mapping, max_bytes=max_bytes, explicit=True)
        else:
            yield InputError(given, "no such file or directory")


def _read_stdin(
    stdin: IO[bytes], mapping: Mapping[str, str], max_bytes: int
) -> Iterator[RawDocument | InputError | Skipped]:
    """Standard input: streamed record by record when it is a stream format (JSONL, CSV, WARC),
    else read whole up to the size limit."""
    stream = stdin if isinstance(stdin, io.BufferedReader) else io.BufferedReader(cast(Any, stdin))
    fmt = sniff_format(stream.peek(512)[:512])
    if fmt in STREAMED:
        yield from _read_stream(stream, "<stdin>", fmt, mapping, max_bytes)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError("<stdin>", f"over the {max_bytes:,}-byte limit (raise it with --max-bytes); skipped")
        return
    yield from _read_bytes(data, "<stdin>", fmt, mapping)


def _walk(root: Path) -> Iterator[Path | InputError]:
    """The files of known formats under `root`, in a stable order; a folder that cannot be read
    is an error, and a file that is not a regular file (a FIFO, a device) is named and skipped."""
    unreadable: list[OSError] = []  # os.walk reports a folder it cannot list here, and goes on
    for directory, subdirs, files in os.walk(root, onerror=unreadable.append):
        yield from _folder_errors(unreadable, root)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if not name.startswith(".") and file_format(path) is not None:
                yield path
    yield from _folder_errors(unreadable, root)


def _folder_errors(unreadable: list[OSError], root: Path) -> Iterator[InputError]:
    while unreadable:
        error = unreadable.pop(0)
        yield InputError(str(error.filename or root), f"cannot read folder ({error.strerror or error})")


def read_file(
    path: Path, *, mapping: Mapping[str, str], max_bytes: int, explicit: bool = True
) -> Iterator[RawDocument | InputError | Skipped]:
    """Documents of one file. Unknown suffixes are sniffed when the file was named explicitly."""
    source = str(path)
    fmt = file_format(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # reading a FIFO would wait for a writer forever
            yield InputError(source, f"not a regular file ({_kind(status.st_mode)}); skipped")
            return
        size = status.st_size
        if fmt in STREAMED:
            with path.open("rb") as stream:
                yield from _read_stream(stream, source, fmt, mapping, max_bytes)
            return
        if size > max_bytes:
            yield InputError(
                source,
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (raise it with --max-bytes)",
            )
            return
        data = path.read_bytes()
    except OSError as error:
        yield InputError(source, f"cannot read ({error.strerror or error})")
        return
    if fmt is None:
        if not explicit:
            return
        fmt = sniff_format(data[:512])
    yield from _read_bytes(data, source, fmt, mapping)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file"


def _read_stream(
    stream: IO[bytes], source: str, fmt: str, mapping: Mapping[str, str], max_bytes: int
) -> Iterator[RawDocument | InputError | Skipped]:
    """A stream format, record by record: no record over `max_bytes`, whatever the file's size."""
    head = (
        stream.peek(BINARY_SNIFF_BYTES)[:BINARY_SNIFF_BYTES] if isinstance(stream, io.BufferedReader) else b""
    )
    if not head.strip():
        yield InputError(source, "empty file")
        return
    if fmt == "warc":
        yield from read_warc(stream, source, max_bytes)
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield InputError(source, "UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8); skipped")
        return
    if is_binary_records(head):
        yield InputError(source, f"binary file, not {fmt.upper()} text; skipped")
        return
    if fmt == "jsonl":
        yield from read_jsonl(bounded_lines(stream, max_bytes), source, mapping, max_bytes)
    else:
        yield from read_table(stream, source, mapping, max_bytes, delimiter="\t" if fmt == "tsv" else ",")


def _read_bytes(
    data: bytes, source: str, fmt: str, mapping: Mapping[str, str]
) -> Iterator[RawDocument | InputError | Skipped]:
    if fmt in STREAMED:
        stream = io.BufferedReader(io.BytesIO(data))
        yield from _read_stream(stream, source, fmt, mapping, max(len(data), DEFAULT_MAX_BYTES))
        return
    try:
        check_bytes(data, source)
    except InputError as error:
        yield error
        return
    if fmt == "html":
        yield from read_html(data, source)
    else:
        yield from read_text(data, source)
