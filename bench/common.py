"""Shared bench helpers: the BBC corpus from ../shared, timing and memory of a process tree, tables."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# the 2015-2017 EUvsDisinfo scrape (2,772 cases), the real catalogue studies import beside realnews'
SCRAPE = SHARED / "corpus" / "euvsdisinfo" / "kalkun-full_dataset.csv"
BBC = SHARED / "corpus" / "bbc" / "bbc-news-2005.jsonl"
# Where figures are saved: bench/out, the figures of record; the test suite points this at a
# temporary folder (NARRATRACE_BENCH_OUT), so that running the gates never rewrites them.
OUT = Path(os.environ.get("NARRATRACE_BENCH_OUT") or REPO / "bench" / "out")


def bbc_rows() -> list[dict[str, str]]:
    if not BBC.exists():
        sys.exit(f"skipped: the BBC corpus is not at {BBC} (it lives in ../shared beside the checkout)")
    return [json.loads(line) for line in BBC.open()]


def numbered_articles(n: int) -> Iterator[tuple[int, dict[str, str]]]:
    """`n` distinct articles cycled from the BBC set (a numbered closing line keeps each unique)."""
    rows = bbc_rows()
    for i in range(n):
        row = dict(rows[i % len(rows)])
        row["text"] = row["text"].rstrip() + f"\n\nReference number {i} of this collection."
        yield i, row


def _tree_pss_kb(pid: int) -> dict[int, int]:
    """Proportional set size (PSS) of a process and of each of its descendants, from /proc.

    PSS divides pages shared between forked workers among them, so the sum is the memory the
    tree really holds; summing RSS would count the shared interpreter once per worker."""
    found: dict[int, int] = {}
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    found[current] = int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _tree_rss_kb(pid: int) -> int:
    """The PSS of a process and its descendants together, in kB."""
    return sum(_tree_pss_kb(pid).values())


def _process_name(pid: int) -> str:
    """A process's command line as it shows itself (a Ray worker: "ray::<task or IDLE>")."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
        return b" ".join(words).decode(errors="replace")[:300]
    except OSError:
        return ""


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak tree PSS in MB and exit code of `command`."""
    elapsed, peak, code, _ = run_measured_processes(command, env)
    return elapsed, peak, code


def run_measured_processes(
    command: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, int, dict[int, tuple[str, float]]]:
    """Wall seconds, peak tree PSS in MB and exit code of `command`, and each process of its tree
    with the name it last showed and its own peak PSS in MB."""
    peak = 0
    each: dict[int, tuple[str, int]] = {}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            found = _tree_pss_kb(process.pid)
            peak = max(peak, sum(found.values()))
            for pid, kb in found.items():
                known, most = each.get(pid, ("", 0))
                name = _process_name(pid)
                # a Ray worker shows the task it runs, then "ray::IDLE": keep the task's name
                if not name or (known.startswith("ray::") and name.startswith("ray::IDLE")):
                    name = known
                each[pid] = (name, max(kb, most))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1):
        sys.stderr.write(stderr.decode()[-2000:])
    processes = {pid: (name, kb / 1024) for pid, (name, kb) in each.items()}
    return elapsed, peak / 1024, process.returncode, processes


def median(values: list[float]) -> float:
    return statistics.median(values)


def save(name: str, result: dict[str, object]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(result, indent=2))
    return path


def distribution_row(
    name: str,
    scores: Sequence[float] | np.ndarray,
    percentiles: Sequence[float],
    cut_offs: Sequence[float],
    as_share: bool = False,
) -> dict[str, object]:
    """Print one row of a score table (name, count, percentiles, how many reach each cut-off, as a
    count or a share) and return it for the saved result."""
    values = np.asarray(scores, dtype=np.float64)
    quantiles = np.percentile(values, percentiles)
    reached = [float((values >= c).mean()) if as_share else int((values >= c).sum()) for c in cut_offs]
    cells = [f"{r:6.1%}" if as_share else f"{r:5,}" for r in reached]
    print(f"{name:22} {len(values):9,} " + " ".join(f"{q:5.2f}" for q in quantiles) + "  " + "  ".join(cells))
    return {
        "n": len(values),
        "quantiles": quantiles.round(3).tolist(),
        "reaching": dict(zip(cut_offs, reached, strict=True)),
    }
