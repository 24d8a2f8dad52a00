"""Who copied whom on the five seed articles."""

from __future__ import annotations

from pathlib import Path

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.model import Reuse
from narratrace.reuse.families import families
from narratrace.reuse.run import update
from narratrace.store import Store
from narratrace.store import reuse as stored
from tests.conftest import SEEDS


def seed_pairs(tmp_path: Path) -> tuple[dict[frozenset[str], Reuse], dict[str, str], Store]:
    store = Store(tmp_path / "seeds.db")
    ingest(iter_documents([str(SEEDS)]), store, workers=1)
    update(store)
    prefix = {a.id: Path(a.source).name[:3] for a in store.articles()}
    pairs = {frozenset((prefix[p.a], prefix[p.b])): p for p in stored.pairs(store.db)}
    return pairs, prefix, store


def test_sputnik_copy_found_with_direction_and_passages(tmp_path: Path) -> None:
    pairs, prefix, store = seed_pairs(tmp_path)
    pair = pairs[frozenset(("000", "001"))]
    assert pair.kind in ("copy", "partial")
    source = pair.a if pair.direction == "a_to_b" else pair.b
    assert prefix[source] == "000"
    assert "Sputnik news reports:" in pair.reason
    assert pair.coverage_a >= 0.75 and pair.coverage_b >= 0.75
    sputnik = store.get_article(pair.a if prefix[pair.a] == "000" else pair.b)
    assert sputnik is not None
    for passage in pair.passages:
        side = passage.a_text if prefix[pair.a] == "000" else passage.b_text
        assert side in sputnik.text
    assert any("Iraqi media" in p.a_text for p in pair.passages)


def test_press_tv_stock_paragraph_is_a_shared_passage(tmp_path: Path) -> None:
    pairs, _, _ = seed_pairs(tmp_path)
    pair = pairs[frozenset(("002", "004"))]
    assert pair.kind == "shared_passage"
    assert any(
        "without any authorization from the Damascus government or a UN mandate" in p.a_text
        for p in pair.passages
    )


def test_press_tv_stock_phrase_links_003_and_004(tmp_path: Path) -> None:
    pairs, _, _ = seed_pairs(tmp_path)
    pair = pairs[frozenset(("003", "004"))]
    assert pair.kind == "shared_passage"
    assert any("ignoring repeated calls by Damascus to end its" in p.a_text for p in pair.passages)


def test_no_pair_for_articles_sharing_only_common_words(tmp_path: Path) -> None:
    pairs, _, _ = seed_pairs(tmp_path)
    assert set(pairs) <= {
        frozenset(("000", "001")),
        frozenset(("002", "004")),
        frozenset(("003", "004")),
        frozenset(("002", "003")),
    }
    for key in pairs:
        assert not (key & {"000", "001"} and key & {"002", "003", "004"})


def test_runs_are_incremental(tmp_path: Path) -> None:
    _, _, store = seed_pairs(tmp_path)
    again = update(store)
    assert again.new_articles == 0 and again.pairs_found == 0
    (tmp_path / "more").mkdir()
    copy = (SEEDS / next(p.name for p in SEEDS.iterdir() if p.name.startswith("004"))).read_text()
    (tmp_path / "more" / "mirror.txt").write_text("Mirrored from Press TV:\n\n" + copy)
    ingest(iter_documents([str(tmp_path / "more")]), store, workers=1)
    later = update(store)
    assert later.new_articles == 1
    assert later.pairs_found >= 1
    assert len(list(stored.pairs(store.db))) >= 3


def test_copy_family_names_the_sputnik_original(tmp_path: Path) -> None:
    pairs, prefix, store = seed_pairs(tmp_path)
    found = families(list(pairs.values()), {a.id: a for a in store.articles()})
    (family,) = found
    assert sorted(prefix[m] for m in family.members) == ["000", "001"]
    assert family.earliest is not None and prefix[family.earliest] == "000"
