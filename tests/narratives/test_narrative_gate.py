"""Evaluation gate: narratives on the team's own multilingual sets (bench/quality/narratives.py),
kept as a regression check, not where bars are chosen: the decision model and its bars are fitted
on real articles (bench/training/train_pushes.py, judged by bench/quality/realnews.py). Floors
pinned at what the fitted model gives (confident members): main set F1 0.905, 1 of 14 news
placed; first held-out set F1 0.968, 1 of 9; second held-out set F1 0.888, 3 of 10; all three in
one store F1 0.883, 5 of 33. (The hand-set headline rule they replaced gave 0.968, 0.968, 0.950
and 0.939, with 0, 1, 1 and 2 news placed, on these sets, where it was chosen, and placed 42 of
163 real pushing articles.)"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.conftest import SEEDS, run_bench
from tests.narratives.team_sets import CATALOGUE

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives.service import import_catalogue, update_narratives
from narratrace.store import Store

F1_FLOOR = 0.88
MAX_NEWS_MISPLACED = 1
HELD_OUT_F1_FLOOR = 0.93
HELD_OUT_MAX_NEWS_MISPLACED = 1
HELD_OUT_2_F1_FLOOR = 0.86
HELD_OUT_2_MAX_NEWS_MISPLACED = 3
ALL_F1_FLOOR = 0.86
ALL_MAX_NEWS_MISPLACED = 5


def scored(folder: Path, name: str) -> Any:
    """bench/quality/narratives.py's scores of one set (`all`: the three in one store)."""
    return SimpleNamespace(**run_bench("bench.quality.narratives", folder / "scores.json", "--set", name))


def test_narrative_gate(tmp_path: Path) -> None:
    scores = scored(tmp_path, "bench")
    assert scores.f1 >= F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0
    assert scores.recall_by_language["en"] == 1.0


def test_held_out_narrative_gate(tmp_path: Path) -> None:
    scores = scored(tmp_path, "held-out")
    assert scores.f1 >= HELD_OUT_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= HELD_OUT_MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_second_held_out_narrative_gate(tmp_path: Path) -> None:
    scores = scored(tmp_path, "held-out-2")
    assert scores.f1 >= HELD_OUT_2_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= HELD_OUT_2_MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_all_sets_in_one_store(tmp_path: Path) -> None:
    scores = scored(tmp_path, "all")
    assert scores.f1 >= ALL_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= ALL_MAX_NEWS_MISPLACED, scores.misplaced
    # "Dutch prosecutors will not appeal MH17 verdict" opens with a sentence as close to a member's
    # (0.67) as the join asks, and stays out
    assert not any(line.startswith("h2-014 ") for line in scores.misplaced), scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_bbc_news_stays_out_of_every_narrative(tmp_path: Path, bbc_path: Path) -> None:
    """2,225 BBC stories beside the seeds: the seeds form the narrative (confident or for review),
    no story joins one."""
    with Store(tmp_path / "bbc.db") as store:
        ingest(iter_documents([str(SEEDS), str(bbc_path)]), store, workers=2)
        import_catalogue(store, [CATALOGUE], on_error=lambda error: None)
        found = update_narratives(store)
        seeds = {a.id for a in store.articles() if a.source.startswith(str(SEEDS))}
    members = {a for n in found for a in (*n.articles, *n.review)}
    assert members == seeds, sorted(members - seeds)
