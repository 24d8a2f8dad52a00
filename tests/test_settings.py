"""Settings are stored with the results they made, read from the code, never listed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.reuse import pairs, run
from narratrace.settings import recorded
from narratrace.store import Store
from narratrace.store import reuse as stored
from tests.conftest import SEEDS


def test_every_setting_of_the_reuse_modules_is_recorded() -> None:
    record = run.parameters()
    for name in ("pairs.COPY_COVERAGE", "pairs.PARTIAL_COVERAGE", "pairs.PARTIAL_MIN_TOKENS"):
        assert f'"{name}"' in record
    for name in ("pairs.STOCK_MIN_ARTICLES", "align.MAX_DRIFT", "align.MAX_REPEATS"):
        assert f'"{name}"' in record
    assert recorded(pairs) != recorded()


def test_a_changed_copy_bar_redoes_the_stored_kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "s.db")
    ingest(iter_documents([str(SEEDS)]), store, workers=1)
    run.update(store)
    assert "copy" in {p.kind for p in stored.pairs(store.db)}
    monkeypatch.setattr(pairs, "COPY_COVERAGE", 1.01)  # no pair can be a copy now
    again = run.update(store)
    assert again.new_articles == 5  # everything redone, not kept under the old bar
    assert "copy" not in {p.kind for p in stored.pairs(store.db)}
