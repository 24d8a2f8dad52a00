"""Hostile and broken inputs through `narratrace ingest`, as the probe of the readers found them:
per input, the exit code, the first message, peak memory, time and articles stored.

Target: every input bounded (memory at most 500 MB, time linear), refused in one clear line,
with no good article beside it lost and no traceback.

    python -m bench.reliability.hostile [--big] [--code DIR]

`--big` builds the inputs at the probe's sizes (200 MB lines and fields, 1 GiB of zeros); without
it they are a tenth of that, which shows the same behaviour in less time (and is the safe size
for older code, which held such records whole). `--code DIR` runs another checkout (a `git
worktree` of an older commit) on the same inputs instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import _tree_rss_kb, save

MAX_MB = 500
# inputs that are read, not refused: the rest must give exactly one error line
ACCEPTED = ("UTF-16 text with a BOM",)
# the D12 case gives two (one per file), each on its own line
GOOD = {"title": "Good one", "text": "A perfectly good article text, long enough to be stored as an article."}
MB = 1024 * 1024


def _good_line() -> bytes:
    return json.dumps(GOOD).encode() + b"\n"


def _rows(n: int) -> list[bytes]:
    return [b"id,title,text"] + [
        f'{i},Title {i},"Article number {i}, with enough words to be stored as an article."'.encode()
        for i in range(n)
    ]


def build(folder: Path, scale: int) -> dict[str, tuple[list[str], Callable[[], bytes] | None, int]]:
    """Input name -> (paths given to ingest, what stdin gets, good articles in it)."""
    cases: dict[str, tuple[list[str], Callable[[], bytes] | None, int]] = {}

    def file(name: str, data: bytes) -> str:
        path = folder / name
        path.write_bytes(data)
        return str(path)

    nested = b"[" * 200_000 + b"]" * 200_000 + b"\n" + _good_line()
    cases["D1 nested JSON line"] = ([file("nested.jsonl", nested)], None, 1)
    huge = 20 * scale * MB
    line = b'{"title":"huge","text":"' + b"a" * huge + b'"}\n'
    cases[f"D3 {huge // MB} MB JSONL line"] = ([file("line.jsonl", line + _good_line())], None, 1)
    field = b'title,text\nhuge,"' + b"a" * huge + b'"\n' + b'Good,"' + GOOD["text"].encode() + b'"\n'
    cases[f"D3 {huge // MB} MB CSV field"] = ([file("field.csv", field)], None, 1)
    cases[f"D3 {huge // MB + 1} MB on stdin"] = (["-"], lambda: b"plain text " * ((huge + MB) // 11), 0)
    zeros_csv = folder / "zeros.csv"
    with zeros_csv.open("wb") as stream:
        stream.truncate(100 * scale * MB)
    cases[f"D3 {100 * scale} MB all-zero CSV"] = ([str(zeros_csv)], None, 0)
    bomb = folder / "bomb.warc.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as packed:
        for _ in range(100 * scale):
            packed.write(bytes(MB))
    cases[f"D2 {bomb.stat().st_size // 1024} KB gzip of {100 * scale} MB zeros"] = ([str(bomb)], None, 0)
    plain = folder / "zeros.warc"
    with plain.open("wb") as stream:
        stream.truncate(64 * MB)
    cases["D2 64 MB all-zero WARC"] = ([str(plain)], None, 0)
    rows = _rows(30)
    rows[16] = rows[16].replace(b"number", b"n\xffmber")
    cases["D4 bad byte on line 17 of 31"] = ([file("bad.csv", b"\n".join(rows) + b"\n")], None, 29)
    rows = _rows(3)
    rows[3] += b"\xfe"
    cases["D4 bad byte in row 3"] = ([file("third.csv", b"\n".join(rows) + b"\n")], None, 2)
    fifo_folder = folder / "with_fifo"
    fifo_folder.mkdir()
    (fifo_folder / "a.jsonl").write_bytes(_good_line())
    os.mkfifo(fifo_folder / "p.txt")
    cases["D9 FIFO in a folder"] = ([str(fifo_folder)], None, 1)
    cases["duplicate CSV header"] = ([file("dup.csv", b"title,text,text\na,b,c\n")], None, 0)
    utf16 = "An article saved as UTF-16, with its byte-order mark, as Notepad saves it.".encode("utf-16")
    cases["UTF-16 text with a BOM"] = ([file("utf16.txt", utf16)], None, 1)
    cases["binary .jsonl"] = ([file("binary.jsonl", bytes(range(256)) * 4000)], None, 0)
    names = folder / "names"
    names.mkdir()
    (names / "evil\nerror: forged.jsonl").write_bytes(b"{not json\n" + _good_line())
    (names / "esc\x1b[31m.jsonl").write_bytes(b"{not json\n")
    cases["D12 line break and ESC in file names"] = ([str(names)], None, 1)
    return cases


def run(db: Path, paths: list[str], stdin: Callable[[], bytes] | None, code: Path | None) -> dict[str, Any]:
    command = [sys.executable, "-m", "narratrace", "--db", str(db), "ingest", *paths]
    env = {**os.environ, **({"PYTHONPATH": str(code / "src")} if code else {})}
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, stderr = process.communicate(stdin() if stdin else None, timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
    done.set()
    sampler.join()
    said = stderr.decode(errors="replace")
    errors = [line for line in said.splitlines() if line.startswith("error:")]
    try:
        with sqlite3.connect(db) as connection:
            stored = connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the run died before it made the store
        stored = 0
    return {
        "exit": process.returncode,
        "message": errors[0][:140] if errors else "",
        "error_lines": len(errors),
        "longest_line": max((len(line) for line in said.splitlines()), default=0),
        "traceback": "Traceback" in said,
        "peak_mb": round(peak / 1024),
        "seconds": round(time.perf_counter() - started, 1),
        "stored": stored,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="the probe's sizes (200 MB, 1 GiB)")
    parser.add_argument("--code", type=Path, help="another checkout to run instead of this one")
    args = parser.parse_args()
    scale = 10 if args.big else 1
    result: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for name, (paths, stdin, good) in build(folder, scale).items():
            row = run(folder / f"{len(result)}.db", paths, stdin, args.code)
            row["good"] = good
            refused = name not in ACCEPTED
            row["bounded"] = (
                row["exit"] == (1 if refused else 0)
                and row["error_lines"] == (0 if not refused else 2 if name.startswith("D12") else 1)
                and not row["traceback"]
                and row["stored"] == good
                and row["peak_mb"] <= MAX_MB
            )
            result[name] = row
            print(f"{name}: {json.dumps(row)}", flush=True)
    print()
    print(f"{'input':44} {'exit':>4} {'MB':>5} {'s':>6} {'stored':>6} {'good':>4}  ok  message")
    for name, r in result.items():
        print(
            f"{name[:44]:44} {r['exit']:>4} {r['peak_mb']:>5} {r['seconds']:>6} {r['stored']:>6} "
            f"{r['good']:>4}  {'yes' if r['bounded'] else 'NO ':3} {str(r['message'])[:90]}"
        )
    name = "hostile" + ("_big" if args.big else "") + ("_other_code" if args.code else "")
    print(f"saved to {save(name, dict(result))}")


if __name__ == "__main__":
    main()
