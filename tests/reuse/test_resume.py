"""A reuse run killed partway resumes where it stopped and ends with the pairs of a run never
interrupted: fingerprints and aligned pairs are committed with the marker of how far they go."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.reuse import run
from narratrace.store import Store
from narratrace.store import reuse as stored
from tests.conftest import SEEDS

FIXTURES = Path(__file__).parents[1] / "narratives" / "fixtures"


class Killed(Exception):
    pass


def _store(path: Path) -> Store:
    store = Store(path)
    ingest(iter_documents([str(SEEDS), str(FIXTURES / "narrative_bench.jsonl")]), store, workers=1)
    return store


def _pairs(store: Store) -> list[tuple[str, str, str]]:
    return sorted((p.a, p.b, p.kind) for p in stored.pairs(store.db))


def test_a_killed_reuse_run_resumes_and_ends_as_an_uninterrupted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "BATCH", 1)  # a transaction per article and per candidate pair
    whole = _store(tmp_path / "whole.db")
    run.update(whole)
    expected = _pairs(whole)
    assert expected

    killed = _store(tmp_path / "killed.db")
    aligned: list[int] = []
    align = run._align

    def counted(*args: object, **kwargs: object) -> object:
        aligned.append(1)
        if len(aligned) == 3:
            raise Killed
        return align(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_align", counted)
    with pytest.raises(Killed):
        run.update(killed)
    before = len(aligned)
    report = run.update(killed)
    assert report.new_articles == 0  # every article was fingerprinted before the kill
    assert len(aligned) - before == report.candidates - 2  # the two batches aligned are not redone
    assert _pairs(killed) == expected
