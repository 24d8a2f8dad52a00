"""On the real articles of ../shared/corpus/realnews: a narratives run killed between its batches
and its joins leaves a store that the next run completes to exactly the result of a run never
interrupted (the joins' candidates are stored with their batch, and the progress marker with
them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives import joining, run, service
from narratrace.store import Store
from narratrace.store import catalogue as stored_catalogue

REALNEWS = SHARED / "corpus" / "realnews"
pytestmark = pytest.mark.skipif(not REALNEWS.exists(), reason=f"the real articles are not at {REALNEWS}")


class Killed(Exception):
    pass


def _store(path: Path) -> Store:
    store = Store(path)
    ingest(iter_documents([str(REALNEWS / "export.jsonl")]), store, workers=1)
    service.import_catalogue(store, [REALNEWS / "catalogue.csv"], on_error=lambda e: None)
    return store


def _result(store: Store) -> list[tuple[str, list[str], list[str], list[str]]]:
    return [
        (n.id, sorted(n.articles), sorted(n.review), sorted(n.debunks))
        for n in service.current_narratives(store)
    ]


def test_a_run_killed_before_its_joins_is_completed_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _store(tmp_path / "whole.db")
    service.update_narratives(whole)
    expected = _result(whole)
    joined = [m for m in stored_catalogue.matches(whole.db) if m.via is not None]
    assert joined, "some article must join through a member, or this proves nothing"

    killed = _store(tmp_path / "killed.db")
    monkeypatch.setattr(run, "MATCH_BATCH", 20)  # several batches, each committed

    def kill(*args: object) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(joining, "join_through_members", kill)
        with pytest.raises(Killed):
            service.update_narratives(killed)
    service.update_narratives(killed)
    assert _result(killed) == expected
