"""Evaluation gate on real articles (../shared/corpus/realnews), through the CLI, cross-validated:
bench/quality/realnews.py fits the decision model once per narrative without it, runs
`narratives --json` and `match --json` with that model, and scores only the narrative's own
articles. Floors pinned a little below what it measured (the closing note of issue 20 has the
table); the issue's targets (F1 0.85, first match right 0.85, news placed 10 %, unrelated news
unmatched 0.85) are not met, and these floors say where it stands, so that it cannot drop.

The second gate runs the same with a real catalogue of other cases imported beside realnews' (the
2,772 cases of the 2015-2017 EUvsDisinfo scrape), as a user who imports a whole database has it:
there the right case is often not among those an article is judged against, and the floors are
lower (`bench.studies.catalogue_scale` says why)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO, SCRAPE, SHARED, run_bench

REALNEWS = SHARED / "corpus" / "realnews"
F1_WITH_REVIEW_FLOOR = 0.40  # measured 0.445 (the hand-set bars before: 0.28)
FIRST_RIGHT_FLOOR = 0.35  # measured 0.413 (before: 0.16)
FIRST_RIGHT_ENGLISH_FLOOR = 0.65  # measured 0.75
CONFIDENT_NEWS_MAX = 0.10  # measured 0.061: news among confident members
CONFIDENT_PRECISION_FLOOR = 0.55  # measured 0.63
# measured 0.741 once a news opening of five short sentences is judged as an article, not ranked
# as a claim (0.556 before that; the hand-set bars gave 0.93)
UNRELATED_UNMATCHED_FLOOR = 0.70

# With the scrape's cases too (measured once generic case sentences were discounted in choosing
# the cases judged: F1 0.337, first right 0.294, news among confident members 12 of 82, confident
# precision 0.327 with 49 placed, unrelated news unmatched 0.481; before: 0.303, 0.259, 10 of 82,
# 0.326 with 43, 0.37; a placement under one of the scrape's cases counts as wrong)
AMONG_CASES_F1_WITH_REVIEW_FLOOR = 0.30
AMONG_CASES_FIRST_RIGHT_FLOOR = 0.26
AMONG_CASES_CONFIDENT_NEWS_MAX = 0.16
AMONG_CASES_CONFIDENT_PRECISION_FLOOR = 0.28
AMONG_CASES_UNRELATED_UNMATCHED_FLOOR = 0.42


@pytest.fixture(scope="module")
def folds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The decision model fitted once per narrative without it, for both gates."""
    if not (REALNEWS / "export.jsonl").exists():
        pytest.skip(f"realnews not found at {REALNEWS} (it lives in ../shared beside the checkout)")
    folder = tmp_path_factory.mktemp("folds")
    command = ["-m", "bench.training.train_pushes", "--folds", str(folder), "--out", str(folder / "all.json")]
    done = subprocess.run([sys.executable, *command], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder


def test_realnews_cross_validated_through_the_cli(tmp_path: Path, folds: Path) -> None:
    result = run_bench("bench.quality.realnews", tmp_path / "realnews.json", "--folds", str(folds))
    confident, both = result["confident"], result["confident_and_review"]
    assert both["bcubed"]["f1"] >= F1_WITH_REVIEW_FLOOR, both
    assert both["first_right"] >= FIRST_RIGHT_FLOOR, both
    assert both["first_right_english"] >= FIRST_RIGHT_ENGLISH_FLOOR, both
    assert confident["news_placed_share"] <= CONFIDENT_NEWS_MAX, confident
    assert confident["confident_precision"] >= CONFIDENT_PRECISION_FLOOR, confident
    assert both["unrelated_unmatched"] >= UNRELATED_UNMATCHED_FLOOR, both


def test_realnews_among_a_real_catalogue_through_the_cli(tmp_path: Path, folds: Path) -> None:
    if not SCRAPE.exists():
        pytest.skip(f"the EUvsDisinfo scrape is not at {SCRAPE} (it lives in ../shared beside the checkout)")
    result = run_bench(
        "bench.quality.realnews", tmp_path / "among.json", "--folds", str(folds), "--distractors", str(SCRAPE)
    )
    confident, both = result["confident"], result["confident_and_review"]
    assert both["bcubed"]["f1"] >= AMONG_CASES_F1_WITH_REVIEW_FLOOR, both
    assert both["first_right"] >= AMONG_CASES_FIRST_RIGHT_FLOOR, both
    assert confident["news_placed_share"] <= AMONG_CASES_CONFIDENT_NEWS_MAX, confident
    assert confident["confident_precision"] >= AMONG_CASES_CONFIDENT_PRECISION_FLOOR, confident
    assert both["unrelated_unmatched"] >= AMONG_CASES_UNRELATED_UNMATCHED_FLOOR, both
