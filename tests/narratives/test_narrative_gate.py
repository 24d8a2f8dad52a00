"""Evaluation gate: narratives on the multilingual benchmark (bench/narratives_quality.py).
Pinned floors at the measured quality, so CI fails if it drops. The issue's target for genuine
news wrongly placed is 10 %. With the headline rule (grouping.py) the main set, on which it was
chosen, places none of its 14 news articles (F1 0.968); the first held-out set 1 of 9 (F1 0.968)
and the second, written before the rule was run on it, 1 of 10 (F1 0.950). All three in one
store place 2 of 33 (F1 0.939): there an article can also join through another set's members,
and a news article that shares a member's lede sentence is kept out by its headline."""

from __future__ import annotations

from pathlib import Path

from bench.narratives_quality import BENCH, CATALOGUE, HELD_OUT, HELD_OUT_2, evaluate
from tests.conftest import SEEDS

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives.service import import_catalogue, update_narratives
from narratrace.store import Store

F1_FLOOR = 0.95
MAX_NEWS_MISPLACED = 0
HELD_OUT_F1_FLOOR = 0.93
HELD_OUT_MAX_NEWS_MISPLACED = 1
ALL_F1_FLOOR = 0.93
ALL_MAX_NEWS_MISPLACED = 2


def test_narrative_gate(tmp_path: Path) -> None:
    scores = evaluate(tmp_path)
    assert scores.f1 >= F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0
    assert scores.recall_by_language["en"] == 1.0


def test_held_out_narrative_gate(tmp_path: Path) -> None:
    scores = evaluate(tmp_path, HELD_OUT)
    assert scores.f1 >= HELD_OUT_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= HELD_OUT_MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_second_held_out_narrative_gate(tmp_path: Path) -> None:
    scores = evaluate(tmp_path, HELD_OUT_2)
    assert scores.f1 >= HELD_OUT_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= HELD_OUT_MAX_NEWS_MISPLACED, scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_all_sets_in_one_store(tmp_path: Path) -> None:
    scores = evaluate(tmp_path, BENCH, HELD_OUT, HELD_OUT_2)
    assert scores.f1 >= ALL_F1_FLOOR, (scores.f1, scores.missed, scores.misplaced)
    assert scores.news_misplaced <= ALL_MAX_NEWS_MISPLACED, scores.misplaced
    # "Dutch prosecutors will not appeal MH17 verdict" opens with a sentence as close to a member's
    # (0.67) as the join asks; its headline keeps it out
    assert not any(line.startswith("h2-014 ") for line in scores.misplaced), scores.misplaced
    assert scores.fact_checks_linked == scores.fact_checks and scores.fact_checks_as_members == 0


def test_bbc_news_stays_out_of_every_narrative(tmp_path: Path, bbc_path: Path) -> None:
    """2,225 BBC stories beside the seeds: the seeds form the narrative, no story joins one."""
    with Store(tmp_path / "bbc.db") as store:
        ingest(iter_documents([str(SEEDS), str(bbc_path)]), store, workers=2)
        import_catalogue(store, [CATALOGUE], on_error=lambda error: None)
        found = update_narratives(store)
        seeds = {a.id for a in store.articles() if a.source.startswith(str(SEEDS))}
    members = {a for n in found for a in n.articles}
    assert members == seeds, sorted(members - seeds)
