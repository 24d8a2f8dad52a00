"""Claims kept in the store: extracted once per article, recomputed when the alias table changes,
summarised per narrative."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from narratrace.claims import service
from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.model import AliasRow, Narrative
from narratrace.store import Store
from narratrace.store import claims as stored
from tests.conftest import SEEDS


def seeded(tmp_path: Path) -> Store:
    store = Store(tmp_path / "c.db")
    ingest(iter_documents([str(SEEDS)]), store, workers=1)
    return store


def test_claims_are_extracted_once_and_read_back(tmp_path: Path) -> None:
    with seeded(tmp_path) as store:
        assert service.update_claims(store) == 5
        assert service.update_claims(store) == 0  # nothing new
        found = service.article_evidence(store)
        assert len(found) == 5
        texts = [c.text for e, _ in found for c in e.claims]
        assert any(t.startswith("Sources told Russia") for t in texts)
        cited = [(t.source, t.kind, t.via) for e, _ in found for c in e.claims for t in c.citations]
        assert ("local sources", "anonymous", "SANA") in cited


def test_a_changed_alias_table_recomputes_every_article(tmp_path: Path) -> None:
    with seeded(tmp_path) as store:
        service.update_claims(store)
        with store.transaction() as db:
            stored.save_aliases(db, [AliasRow("Abu Hajar airbase", "place", ("Abu Hajar",))])
        assert service.update_claims(store) == 5
        names = {m.canonical for e, _ in service.article_evidence(store) for m in e.entities}
        assert "Abu Hajar airbase" in names and "Abu Hajar" not in names


def test_sources_summary_of_the_seed_narrative(tmp_path: Path) -> None:
    with seeded(tmp_path) as store:
        service.update_claims(store)
        found = service.article_evidence(store)
        ids = [e.article for e, _ in found]
        summary = service.summarise(Narrative("n1", "seed narrative", [], [], articles=ids), found)
    assert summary.articles == 5 and summary.claims > 50
    assert summary.named_eyewitnesses == 0
    assert summary.weak_share > 0.5
    by_name = {(s.source, s.kind): s for s in summary.sources}
    assert by_name[("local sources", "anonymous")].via == {"SANA"}
    assert ("Russian Defence Ministry", "institution") in by_name
    assert ("Iraqi media", "media") in by_name
    assert any(s.eyewitness for s in summary.sources)  # witnesses, all unnamed


class Killed(Exception):
    pass


def _claims(store: Store) -> list[tuple[str, list[tuple[str, list[tuple[str | None, str, str | None]]]]]]:
    """Each article's claims with their citations, as stored."""
    return sorted(
        (e.article, [(c.text, [(t.source, t.kind, t.via) for t in c.citations]) for c in e.claims])
        for e, _ in service.article_evidence(store)
    )


def test_a_run_killed_between_batches_resumes_and_ends_as_an_uninterrupted_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch commits its claims with the marker of how far it goes: a run killed after its
    second batch does only the rest when run again, and the store ends as if never killed."""
    monkeypatch.setattr(service, "BATCH", 1)
    (tmp_path / "whole").mkdir()
    (tmp_path / "killed").mkdir()
    with seeded(tmp_path / "whole") as whole:
        service.update_claims(whole)
        expected = _claims(whole)
    saved: list[int] = []
    save = service._save_batch

    def killed_after_two(*args: Any) -> int:
        if len(saved) == 2:
            raise Killed
        saved.append(1)
        return save(*args)

    with seeded(tmp_path / "killed") as store:
        monkeypatch.setattr(service, "_save_batch", killed_after_two)
        with pytest.raises(Killed):
            service.update_claims(store)
        monkeypatch.setattr(service, "_save_batch", save)
        assert service.update_claims(store) == 3  # the two batches committed are not redone
        assert _claims(store) == expected
