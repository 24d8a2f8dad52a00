"""Shared fixtures: the bundled seeds, and ../shared data when the checkout has it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SHARED = REPO.parent / "shared"
BBC = SHARED / "corpus" / "bbc" / "bbc-news-2005.jsonl"
# the 2015-2017 EUvsDisinfo scrape: a real catalogue of 2,772 cases
SCRAPE = SHARED / "corpus" / "euvsdisinfo" / "kalkun-full_dataset.csv"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def bbc_path() -> Path:
    if not BBC.exists():
        pytest.skip(f"BBC corpus not found at {BBC} (it lives in ../shared beside the checkout)")
    return BBC


def run_bench(module: str, out: Path, *args: str) -> dict[str, Any]:
    """Run a bench script as a user would (`python -m bench... ARGS`), its figures written to
    `out`: tests read what the scripts print, and import nothing from bench/."""
    env = {**os.environ, "NARRATRACE_BENCH_OUT": str(out.parent / "bench-out")}
    done = subprocess.run(
        [sys.executable, "-m", module, *args, "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures: dict[str, Any] = json.loads(out.read_text())
    return figures
