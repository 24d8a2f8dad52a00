"""The team's own narrative sets (tests/narratives/fixtures), written beside the catalogue they
are scored against: regression checks, never the place where a bar is chosen. Their scores come
from bench/quality/narratives.py, run as a user runs it (tests.conftest.run_bench)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "narratives" / "fixtures"
BENCH = FIXTURES / "narrative_bench.jsonl"
HELD_OUT = FIXTURES / "narrative_heldout.jsonl"
HELD_OUT_2 = FIXTURES / "narrative_heldout2.jsonl"
CATALOGUE = REPO / "examples" / "catalogue.csv"


def catalogue_without(folder: Path, *entries: str) -> Path:
    """A copy of the example catalogue without the rows of `entries`."""
    rows = CATALOGUE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = folder / "catalogue.csv"
    path.write_text("".join(r for r in rows if r.split(",", 1)[0] not in entries), encoding="utf-8")
    return path
