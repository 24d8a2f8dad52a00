"""Claims kept in the store: extracted once per article, recomputed when the alias table changes,
summarised per narrative."""

from __future__ import annotations

from pathlib import Path

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
