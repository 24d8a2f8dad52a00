"""The report of 1,000 real articles stays small (issue 25: under 5 MB), measured by the bench
script as a user runs it: a stable figure (the same corpus gives the same report), so a gate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import SHARED, run_bench

MAX_MB = 5.0

pytestmark = [
    pytest.mark.skipif(
        not (SHARED / "corpus" / "realnews" / "export.jsonl").exists()
        or not (SHARED / "corpus" / "bbc").exists(),
        reason="the report bench reads ../shared/corpus/realnews and ../shared/corpus/bbc, absent here",
    ),
    pytest.mark.skipif(
        shutil.which("chromium") is None, reason="chromium is not installed (make test installs it)"
    ),
]


def test_the_report_of_1000_articles_is_under_5_mb(tmp_path: Path) -> None:
    figures = run_bench("bench.speed.report", tmp_path / "report.json", "--repeat", "1")
    found = figures["this checkout"]
    assert found["report_mb"] < MAX_MB, found
    # articles a narrative or a copy involves are shown whole, and every narrative is there
    assert found["narratives_shown"] >= 5 and found["copies_shown"] > 100, found
