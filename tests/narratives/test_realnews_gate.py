"""Evaluation gate on real articles (../shared/corpus/realnews), through the CLI, cross-validated:
bench/quality/realnews.py fits the decision model once per narrative without it, runs
`narratives --json` and `match --json` with that model, and scores only the narrative's own
articles. Floors pinned a little below what it measured (the closing note of issue 20 has the
table); the issue's targets (F1 0.85, first match right 0.85, news placed 10 %, unrelated news
unmatched 0.85) are not met, and these floors say where it stands, so that it cannot drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED, run_bench

REALNEWS = SHARED / "corpus" / "realnews"
F1_WITH_REVIEW_FLOOR = 0.40  # measured 0.437 (the hand-set bars before: 0.28)
FIRST_RIGHT_FLOOR = 0.35  # measured 0.406 (before: 0.16)
FIRST_RIGHT_ENGLISH_FLOOR = 0.65  # measured 0.75
CONFIDENT_NEWS_MAX = 0.10  # measured 0.061: news among confident members
CONFIDENT_PRECISION_FLOOR = 0.55  # measured 0.643
# measured 0.741 once a news opening of five short sentences is judged as an article, not ranked
# as a claim (0.556 before that; the hand-set bars gave 0.93)
UNRELATED_UNMATCHED_FLOOR = 0.70


def test_realnews_cross_validated_through_the_cli(tmp_path: Path) -> None:
    if not (REALNEWS / "export.jsonl").exists():
        pytest.skip(f"realnews not found at {REALNEWS} (it lives in ../shared beside the checkout)")
    result = run_bench("bench.quality.realnews", tmp_path / "realnews.json")
    confident, both = result["confident"], result["confident_and_review"]
    assert both["bcubed"]["f1"] >= F1_WITH_REVIEW_FLOOR, both
    assert both["first_right"] >= FIRST_RIGHT_FLOOR, both
    assert both["first_right_english"] >= FIRST_RIGHT_ENGLISH_FLOOR, both
    assert confident["news_placed_share"] <= CONFIDENT_NEWS_MAX, confident
    assert confident["confident_precision"] >= CONFIDENT_PRECISION_FLOOR, confident
    assert both["unrelated_unmatched"] >= UNRELATED_UNMATCHED_FLOOR, both
