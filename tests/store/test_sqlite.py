"""The SQLite store: migrations, WAL, dedup, and survival of interrupted runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from narratrace.errors import StoreError
from narratrace.model import Article, Reuse, Span
from narratrace.store import Store
from narratrace.store import reuse as stored_reuse
from narratrace.store.migrations import SCHEMA_VERSION


def article(i: int) -> Article:
    return Article(
        id=f"id{i:04d}",
        text=f"Body {i}",
        raw=f"raw {i}",
        source=f"f{i}.txt",
        removed=(Span(0, 3, "chrome: widget", "Ad\n"),),
        provenance={"outlet": "url domain"},
    )


def test_new_database_is_wal_and_at_the_current_version(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.version == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_article_twice_is_stored_once_and_round_trips(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        assert store.add_articles([article(1), article(2)]) == (2, 0)
        assert store.add_articles([article(2), article(3)]) == (1, 1)
        assert store.article_count() == 3
        stored = store.get_article("id0001")
        assert stored == article(1)
        assert store.get_article("id000") is None  # ambiguous prefix
        assert [a.id for a in store.articles(after_seq=2)] == ["id0003"]


def test_a_failing_batch_leaves_nothing_half_written(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        store.add_articles([article(1)])

        def broken() -> list[Article]:
            yield article(2)
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            store.add_articles(broken())  # type: ignore[arg-type]
        assert store.article_count() == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer than this narratrace"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        Store(path)


def test_pairs_among_a_set_of_articles_reads_only_pairs_inside_it(tmp_path: Path) -> None:
    def pair(a: str, b: str) -> Reuse:
        return Reuse(a, b, "copy", 0.9, 0.9, "a_to_b", "earlier date", ())

    with Store(tmp_path / "p.db") as store:
        store.add_articles([article(i) for i in range(4)])
        ids = [a.id for a in store.articles()]
        with store.transaction() as db:
            stored_reuse.save_pairs(db, [pair(ids[0], ids[1]), pair(ids[1], ids[2]), pair(ids[2], ids[3])])
        inside = ids[:3]
        found = {(p.a, p.b) for p in stored_reuse.pairs_among(store.db, inside)}
        assert found == {(ids[0], ids[1]), (ids[1], ids[2])}
        one_by_one = {(p.a, p.b) for a in inside for p in stored_reuse.pairs(store.db, a)}
        assert found == {p for p in one_by_one if set(p) <= set(inside)}
