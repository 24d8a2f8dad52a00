"""Settings are stored with the results they made, read from the code, never listed by hand: each
analysis has one frozen `Settings`, and changing any setting redoes what depends on it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from narratrace.claims import service as claims
from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives import run as narratives
from narratrace.reuse import pairs, run
from narratrace.settings import Settings
from narratrace.store import Store
from narratrace.store import reuse as stored
from tests.conftest import SEEDS


def test_every_setting_of_the_reuse_modules_is_recorded() -> None:
    record = run.settings()
    for name in ("pairs.COPY_COVERAGE", "pairs.PARTIAL_COVERAGE", "pairs.PARTIAL_MIN_TOKENS"):
        assert record.get(name) == getattr(pairs, name.split(".")[1])
    for name in ("pairs.STOCK_MIN_ARTICLES", "align.MAX_DRIFT", "align.MAX_REPEATS"):
        assert name in dict(record.values)
    assert record.rules and Settings.read([pairs]) != Settings.read([])


def test_each_analysis_has_one_frozen_record() -> None:
    for record in (run.settings(), narratives.settings(), claims.settings()):
        assert record.values and record.rules
        with pytest.raises(dataclasses.FrozenInstanceError):
            record.rules = ""  # type: ignore[misc]
    assert narratives.settings().get("thresholds.GATE") is not None


def test_a_changed_copy_bar_redoes_the_stored_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "s.db")
    ingest(iter_documents([str(SEEDS)]), store, workers=1)
    run.update(store)
    assert "copy" in {p.kind for p in stored.pairs(store.db)}
    monkeypatch.setattr(pairs, "COPY_COVERAGE", 1.01)  # no pair can be a copy now
    again = run.update(store)
    assert again.new_articles == 5  # everything redone, not kept under the old bar
    assert "copy" not in {p.kind for p in stored.pairs(store.db)}
