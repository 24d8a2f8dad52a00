"""Store queries of claims, their citations, entities and the user's alias rows."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator

from narratrace.model import AliasRow, ArticleEvidence, Citation, Claim, Mention


def save(db: sqlite3.Connection, found: Iterable[ArticleEvidence]) -> int:
    """Replace what is stored for each article with what was found; returns articles saved."""
    count = 0
    for evidence in found:
        forget(db, [evidence.article])
        db.executemany(
            "INSERT INTO claims (article, position, start, end, text) VALUES (?, ?, ?, ?, ?)",
            [(evidence.article, i, c.start, c.end, c.text) for i, c in enumerate(evidence.claims)],
        )
        db.executemany(
            "INSERT INTO citations (article, claim, position, source, kind, via, canonical, mention, "
            "eyewitness) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (evidence.article, i, j, t.source, t.kind, t.via, t.canonical, t.mention, int(t.eyewitness))
                for i, claim in enumerate(evidence.claims)
                for j, t in enumerate(claim.citations)
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO entities (article, start, end, text, canonical, type) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(evidence.article, m.start, m.end, m.text, m.canonical, m.type) for m in evidence.entities],
        )
        count += 1
    return count


def forget(db: sqlite3.Connection, articles: Iterable[str] | None = None) -> None:
    """Drop the stored claims of some articles, or of all when `articles` is None."""
    tables = ("citations", "claims", "entities")
    if articles is None:
        for table in tables:
            db.execute(f"DELETE FROM {table}")
        return
    ids = [(a,) for a in articles]
    for table in tables:
        db.executemany(f"DELETE FROM {table} WHERE article = ?", ids)


def evidence(db: sqlite3.Connection, articles: Iterable[str] | None = None) -> Iterator[ArticleEvidence]:
    """What is stored per article, in the store's article order; all articles when None."""
    if articles is None:
        keys = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY seq")]
    else:
        keys = list(dict.fromkeys(articles))
    for key in keys:
        citations: dict[int, list[Citation]] = {}
        for row in db.execute(
            "SELECT claim, source, kind, via, canonical, mention, eyewitness FROM citations "
            "WHERE article = ? ORDER BY claim, position",
            (key,),
        ):
            citations.setdefault(row[0], []).append(
                Citation(row[1], row[2], row[3], row[4], row[5], bool(row[6]))
            )
        claims = tuple(
            Claim(text, start, end, tuple(citations.get(position, ())))
            for position, start, end, text in db.execute(
                "SELECT position, start, end, text FROM claims WHERE article = ? ORDER BY position", (key,)
            )
        )
        entities = tuple(
            Mention(*row)
            for row in db.execute(
                "SELECT start, end, text, canonical, type FROM entities WHERE article = ? ORDER BY start",
                (key,),
            )
        )
        yield ArticleEvidence(key, claims, entities)


def save_aliases(db: sqlite3.Connection, rows: Iterable[AliasRow]) -> int:
    stored = [(r.canonical, r.type, "|".join(r.aliases)) for r in rows]
    db.executemany("INSERT OR REPLACE INTO aliases (canonical, type, aliases) VALUES (?, ?, ?)", stored)
    return len(stored)


def user_aliases(db: sqlite3.Connection) -> list[AliasRow]:
    return [
        AliasRow(canonical, kind, tuple(a for a in aliases.split("|") if a))
        for canonical, kind, aliases in db.execute(
            "SELECT canonical, type, aliases FROM aliases ORDER BY canonical"
        )
    ]


def aliases_signature(rows: Iterable[AliasRow]) -> str:
    """Changes whenever any alias row does: stored claims are then out of date."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.canonical}\t{row.type}\t{'|'.join(row.aliases)}\n".encode())
    return digest.hexdigest()[:16]
