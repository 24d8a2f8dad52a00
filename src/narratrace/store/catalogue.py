"""Store queries of the catalogue of known narratives."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

from narratrace.model import ArticleMatch, Case, CatalogueEntry
from narratrace.store.chunks import in_chunks

COLUMNS = "id, origin, title, claim, summary, disproof, url, published, outlets, countries, author, source"


def save(db: sqlite3.Connection, entries: Iterable[CatalogueEntry]) -> int:
    """Insert or update entries (an entry keeps the id it came with); returns how many."""
    rows = [
        (
            e.id,
            e.origin,
            e.title,
            e.claim,
            e.summary,
            e.disproof,
            e.url,
            e.published,
            json.dumps(list(e.outlets), ensure_ascii=False),
            json.dumps(list(e.countries), ensure_ascii=False),
            e.author,
            e.source,
        )
        for e in entries
    ]
    db.executemany(f"INSERT OR REPLACE INTO catalogue ({COLUMNS}) VALUES ({', '.join('?' * 12)})", rows)
    return len(rows)


def entries(db: sqlite3.Connection) -> Iterator[CatalogueEntry]:
    for row in db.execute(f"SELECT {COLUMNS} FROM catalogue ORDER BY published, id"):
        yield CatalogueEntry(
            id=row[0],
            origin=row[1],
            title=row[2],
            claim=row[3],
            summary=row[4],
            disproof=row[5],
            url=row[6],
            published=row[7],
            outlets=tuple(json.loads(row[8])),
            countries=tuple(json.loads(row[9])),
            author=row[10],
            source=row[11],
        )


def cases(db: sqlite3.Connection) -> tuple[list[Case], npt.NDArray[np.float32]]:
    """Every entry as claim grouping reads it, in the order stored, with its first sentence's
    vector (a row each; zeros for an entry without sentences)."""
    found = db.execute("SELECT rowid, id, title, anchor FROM catalogue ORDER BY rowid").fetchall()
    position = {row[1]: i for i, row in enumerate(found)}
    vectors: npt.NDArray[np.float32] | None = None
    for entry, blob in db.execute("SELECT entry, vector FROM catalogue_sentences WHERE position = 0"):
        vector = np.frombuffer(blob, dtype=np.float32)
        if vectors is None:
            vectors = np.zeros((len(found), len(vector)), dtype=np.float32)
        if entry in position:
            vectors[position[entry]] = vector
    return [Case(id, title, anchor) for _, id, title, anchor in found], (
        vectors if vectors is not None else np.zeros((len(found), 0), dtype=np.float32)
    )


def has_ungrouped(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM catalogue WHERE anchor IS NULL LIMIT 1").fetchone() is not None


def save_anchors(db: sqlite3.Connection, anchors: dict[str, str]) -> None:
    db.executemany("UPDATE catalogue SET anchor = ? WHERE id = ?", ((a, e) for e, a in anchors.items()))


def anchors(db: sqlite3.Connection) -> dict[str, str]:
    """Entry id -> the id of the claim (its first entry) it states, for the entries grouped."""
    return dict(db.execute("SELECT id, anchor FROM catalogue WHERE anchor IS NOT NULL"))


def forget_english(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Remove the English vectors of these entries (made from a text they no longer hold)."""
    for chunk, marks in in_chunks(ids):
        db.execute(f"DELETE FROM catalogue_english WHERE entry IN ({marks})", chunk)


def delete(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Remove entries with their sentences and English vectors."""
    for chunk, marks in in_chunks(ids):
        db.execute(f"DELETE FROM catalogue_english WHERE entry IN ({marks})", chunk)
        db.execute(f"DELETE FROM catalogue_sentences WHERE entry IN ({marks})", chunk)
        db.execute(f"DELETE FROM catalogue WHERE id IN ({marks})", chunk)


def save_sentences(
    db: sqlite3.Connection, entry: str, texts: Sequence[str], vectors: npt.NDArray[np.float32]
) -> None:
    db.execute("DELETE FROM catalogue_sentences WHERE entry = ?", (entry,))
    db.executemany(
        "INSERT INTO catalogue_sentences (entry, position, text, vector) VALUES (?, ?, ?, ?)",
        ((entry, i, text, vectors[i].astype(np.float32).tobytes()) for i, text in enumerate(texts)),
    )


def sentences(db: sqlite3.Connection) -> Iterator[tuple[str, str, npt.NDArray[np.float32]]]:
    """(entry id, sentence, vector) of every entry, entries in `entries` order."""
    query = (
        "SELECT s.entry, s.text, s.vector FROM catalogue_sentences s JOIN catalogue c ON c.id = s.entry "
        "ORDER BY c.published, c.id, s.position"
    )
    for entry, text, blob in db.execute(query):
        yield entry, text, np.frombuffer(blob, dtype=np.float32)


def save_english(db: sqlite3.Connection, vectors: dict[str, npt.NDArray[np.float32]]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO catalogue_english (entry, vector) VALUES (?, ?)",
        ((entry, vector.astype(np.float32).tobytes()) for entry, vector in vectors.items()),
    )


def english(db: sqlite3.Connection) -> dict[str, npt.NDArray[np.float32]]:
    """Entry id -> its English-encoder vector, for the entries that have one."""
    return {
        entry: np.frombuffer(blob, dtype=np.float32)
        for entry, blob in db.execute("SELECT entry, vector FROM catalogue_english")
    }


def save_ledes(db: sqlite3.Connection, ledes: dict[str, tuple[list[str], npt.NDArray[np.float32]]]) -> None:
    """Article id -> its lede sentences and their vectors (one row per article, the vectors as one
    matrix of a row per sentence)."""
    db.executemany(
        "INSERT OR REPLACE INTO member_ledes (article, sentences, vectors) VALUES (?, ?, ?)",
        (
            (article, json.dumps(texts, ensure_ascii=False), vectors.astype(np.float32).tobytes())
            for article, (texts, vectors) in ledes.items()
        ),
    )


def ledes(
    db: sqlite3.Connection, articles: Iterable[str]
) -> dict[str, tuple[list[str], npt.NDArray[np.float32]]]:
    """The stored lede sentences and vectors of those `articles` that have them."""
    found: dict[str, tuple[list[str], npt.NDArray[np.float32]]] = {}
    for chunk, marks in in_chunks(articles):
        query = f"SELECT article, sentences, vectors FROM member_ledes WHERE article IN ({marks})"
        for article, texts, blob in db.execute(query, chunk):
            sentences = json.loads(texts)
            found[article] = (sentences, np.frombuffer(blob, dtype=np.float32).reshape(len(sentences), -1))
    return found


# discovery's lede: its sentences, their vectors (a row each), the headline's vector if any
DiscoveryLede = tuple[list[str], npt.NDArray[np.float32], npt.NDArray[np.float32] | None]


def save_discovery_ledes(db: sqlite3.Connection, ledes: dict[str, DiscoveryLede]) -> None:
    """Article id -> what discovery read of it, the vectors kept as float16."""
    db.executemany(
        "INSERT OR REPLACE INTO discovery_ledes (article, sentences, vectors, headline) VALUES (?, ?, ?, ?)",
        (
            (
                article,
                json.dumps(texts, ensure_ascii=False),
                vectors.astype(np.float16).tobytes(),
                None if headline is None else headline.astype(np.float16).tobytes(),
            )
            for article, (texts, vectors, headline) in ledes.items()
        ),
    )


def discovery_ledes(db: sqlite3.Connection, articles: Iterable[str]) -> dict[str, DiscoveryLede]:
    """What discovery stored of those `articles` that it has read, as float32."""
    found: dict[str, DiscoveryLede] = {}
    for chunk, marks in in_chunks(articles):
        query = (
            f"SELECT article, sentences, vectors, headline FROM discovery_ledes WHERE article IN ({marks})"
        )
        for article, texts, blob, headline in db.execute(query, chunk):
            sentences = json.loads(texts)
            vectors = np.frombuffer(blob, dtype=np.float16).reshape(len(sentences), -1).astype(np.float32)
            head = None if headline is None else np.frombuffer(headline, dtype=np.float16).astype(np.float32)
            found[article] = (sentences, vectors, head)
    return found


def signature(db: sqlite3.Connection) -> str:
    """Changes whenever entries are added, re-imported (a new row id) or removed: stored matches
    are then redone. The import time alone would miss a change within the same second."""
    count, latest, newest = db.execute(
        "SELECT COUNT(*), MAX(imported_at), MAX(rowid) FROM catalogue"
    ).fetchone()
    return f"{count}:{latest}:{newest}"


def content_digest(db: sqlite3.Connection) -> str:
    """A digest of what every entry says and which claim it states, whenever and wherever it was
    stored: two stores with the same catalogue give the same digest (`signature` does not)."""
    digest = hashlib.sha1()
    for row in db.execute(
        "SELECT id, origin, title, claim, summary, disproof, url, published, outlets, countries, author, "
        "source, anchor FROM catalogue ORDER BY id"
    ):
        digest.update(json.dumps(list(row), ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def save_matches(db: sqlite3.Connection, found: Iterable[ArticleMatch], judged: Iterable[str] = ()) -> None:
    """Store each article's match, and an empty row for each of the `judged` articles that
    matched nothing (so that they are not judged again)."""
    db.executemany(
        "INSERT OR REPLACE INTO narrative_matches "
        "(article, entry, score, sentence, fact_check, via, probability, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (m.article, m.entry, m.score, m.sentence, int(m.fact_check), m.via, m.probability, m.status)
            for m in found
        ),
    )
    db.executemany(
        "INSERT OR REPLACE INTO narrative_matches (article, entry, score, sentence, fact_check) "
        "VALUES (?, NULL, NULL, '', 0)",
        ((article,) for article in judged),
    )


def matches(db: sqlite3.Connection) -> Iterator[ArticleMatch]:
    query = (
        "SELECT article, entry, score, sentence, fact_check, via, probability, status FROM narrative_matches "
        "WHERE entry IS NOT NULL"
    )
    for article, entry, score, sentence, fact_check, via, probability, status in db.execute(query):
        yield ArticleMatch(article, entry, float(score), sentence, bool(fact_check), via, probability, status)


def _e5_key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:32]


def save_e5(db: sqlite3.Connection, vectors: dict[str, npt.NDArray[np.float32]]) -> None:
    """Sentence -> its e5 vector, kept as float16."""
    db.executemany(
        "INSERT OR REPLACE INTO e5_sentences (key, vector) VALUES (?, ?)",
        ((_e5_key(text), vector.astype(np.float16).tobytes()) for text, vector in vectors.items()),
    )


def e5(db: sqlite3.Connection, texts: Iterable[str]) -> dict[str, npt.NDArray[np.float32]]:
    """The kept e5 vectors of those `texts` that have one."""
    by_key = {_e5_key(t): t for t in texts}
    found: dict[str, npt.NDArray[np.float32]] = {}
    for chunk, marks in in_chunks(list(by_key)):
        for key, blob in db.execute(f"SELECT key, vector FROM e5_sentences WHERE key IN ({marks})", chunk):
            found[by_key[key]] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    return found


def save_generic(db: sqlite3.Connection, key: str, scores: npt.NDArray[np.float32]) -> None:
    """How generic each catalogue sentence is, under the digest of what it was worked out from
    (narratives/search.py); only the newest is kept."""
    db.execute("DELETE FROM catalogue_generic")
    db.execute(
        "INSERT INTO catalogue_generic (key, scores) VALUES (?, ?)",
        (key, scores.astype(np.float32).tobytes()),
    )


def generic(db: sqlite3.Connection, key: str) -> npt.NDArray[np.float32] | None:
    """The kept scores of `save_generic` under `key`, if they are kept."""
    row = db.execute("SELECT scores FROM catalogue_generic WHERE key = ?", (key,)).fetchone()
    return None if row is None else np.frombuffer(row[0], dtype=np.float32)


def forget_matches(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM narrative_matches")
    db.execute("DELETE FROM member_ledes")
    db.execute("DELETE FROM join_candidates")


# an unmatched article that may join a narrative: (article, lede sentences, their vectors, headline)
JoinRow = tuple[str, list[str], npt.NDArray[np.float32], str | None]


def save_join_candidates(db: sqlite3.Connection, rows: Iterable[JoinRow]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO join_candidates (article, sentences, vectors, headline) VALUES (?, ?, ?, ?)",
        (
            (article, json.dumps(texts, ensure_ascii=False), vectors.astype(np.float32).tobytes(), headline)
            for article, texts, vectors, headline in rows
        ),
    )


def join_candidates(db: sqlite3.Connection) -> list[JoinRow]:
    found: list[JoinRow] = []
    for article, texts, blob, headline in db.execute(
        "SELECT article, sentences, vectors, headline FROM join_candidates ORDER BY rowid"
    ):
        sentences = json.loads(texts)
        found.append(
            (article, sentences, np.frombuffer(blob, dtype=np.float32).reshape(len(sentences), -1), headline)
        )
    return found


def clear_join_candidates(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM join_candidates")
