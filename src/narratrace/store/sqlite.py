"""The embedded SQLite store: one file, WAL mode, a versioned schema.

Writes happen in transactions of whole batches, so a run stopped by Ctrl-C or kill leaves
every committed batch intact and none half-written; ingesting again adds what is missing.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from narratrace.errors import StoreError
from narratrace.model import Article, Span
from narratrace.store.chunks import in_chunks
from narratrace.store.migrations import MIGRATIONS, SCHEMA_VERSION

ARTICLE_COLUMNS = "id, url, outlet, title, published, language, text, raw, source, removed, marks, provenance"
SEARCH_MAX_TERMS = 32  # a search is a few words; more only slows FTS5 down
LIGHT_COLUMNS = "id, url, outlet, title, published, language, text, source"


class Store:
    """Articles (and, later, analysis results) in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the database ({error})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the schema up to date, under the write lock: of several commands that open a new
        store at once, the first creates it and the others find it made."""
        if self._checked_version() == SCHEMA_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for version in range(self._checked_version() + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={version}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _checked_version(self) -> int:
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this narratrace "
                f"({SCHEMA_VERSION}); upgrade narratrace"
            )
        return current

    # articles ---------------------------------------------------------------------------

    def add_articles(self, articles: Iterable[Article]) -> tuple[int, int]:
        """Store a batch in one transaction; returns (new, already stored)."""
        new = seen = 0
        cursor = self.db.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            next_seq = cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
            for article in articles:
                cursor.execute(
                    f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*_article_row(article), next_seq),
                )
                if cursor.rowcount:
                    new += 1
                    next_seq += 1
                else:
                    seen += 1
            cursor.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # an interrupt can land after COMMIT has finished
                cursor.execute("ROLLBACK")
            raise
        return new, seen

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def article_rows(
        self, seqs: Iterable[int] | None = None, after_seq: int = 0
    ) -> Iterator[tuple[int, Article]]:
        """(seq, article) pairs: those of `seqs`, or every one stored after `after_seq`."""
        if seqs is None:
            rows = self.db.execute(
                f"SELECT seq, {LIGHT_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq", (after_seq,)
            )
            for row in rows:
                yield int(row["seq"]), _article(row)
            return
        for chunk, marks in in_chunks(seqs):
            for row in self.db.execute(
                f"SELECT seq, {LIGHT_COLUMNS} FROM articles WHERE seq IN ({marks})", chunk
            ):
                yield int(row["seq"]), _article(row)

    def ids_by_seq(self, first: int, last: int) -> dict[int, str]:
        """The id of every article stored from seq `first` to `last`, without reading any text."""
        rows = self.db.execute("SELECT seq, id FROM articles WHERE seq BETWEEN ? AND ?", (first, last))
        return {int(seq): str(article) for seq, article in rows}

    def articles_by_id(self, ids: Iterable[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        for chunk, marks in in_chunks(ids):
            for row in self.db.execute(f"SELECT {LIGHT_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = _article(row)
        return found

    def titles(self) -> Iterator[tuple[str, str]]:
        """(id, title) of every article with a title, without reading any text."""
        for row in self.db.execute("SELECT id, title FROM articles WHERE title IS NOT NULL AND title != ''"):
            yield str(row["id"]), str(row["title"])

    def newest_seq(self) -> int:
        """The sequence number of the article stored last (0 for an empty store)."""
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM articles").fetchone()[0])

    def article_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def articles(self, *, full: bool = False, after_seq: int = 0) -> Iterator[Article]:
        """Articles in the order they were stored (those after `after_seq` only)."""
        columns = ARTICLE_COLUMNS if full else LIGHT_COLUMNS
        rows = self.db.execute(f"SELECT {columns} FROM articles WHERE seq > ? ORDER BY seq", (after_seq,))
        for row in rows:
            yield _article(row)

    def article_page(self, offset: int, limit: int) -> list[Article]:
        """Articles newest stored first, `limit` of them after the first `offset` (a page)."""
        rows = self.db.execute(
            f"SELECT {LIGHT_COLUMNS} FROM articles ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_article(row) for row in rows]

    def get_article(self, key: str) -> Article | None:
        """An article by id, or by an unambiguous id prefix; None for a key no article can have
        (text that is not valid Unicode, as a URL's bytes may decode to)."""
        if not key or not _encodable(key):
            return None
        exact = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (key,)).fetchone()
        if exact is not None:
            return _article(exact)
        if ord(key[-1]) == sys.maxunicode:  # no key sorts after it: no range to ask for
            return None
        # a prefix as a range of the primary key, so the lookup uses the index, not a scan
        rows = self.db.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id >= ? AND id < ? LIMIT 2",
            (key, key[:-1] + _next_character(key[-1])),
        ).fetchall()
        return _article(rows[0]) if len(rows) == 1 else None

    def search(
        self, query: str, limit: int = 50, spellings: Spellings | None = None
    ) -> list[tuple[Article, str]]:
        """Articles matching a query's words, best first, each with a snippet whose matches are
        wrapped in \x02 and \x03 (the caller escapes the text, then turns those into marks).
        `spellings` gives the names in a query with all their spellings (the alias table's: a
        search for "ISIS" finds "Daesh" too)."""
        terms = _search_terms(query, spellings(query) if spellings else [])
        if not terms:
            return []
        rows = self.db.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in LIGHT_COLUMNS.split(','))}, "
            "snippet(articles_fts, 1, char(2), char(3), '…', 24) AS snippet "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (terms, limit),
        ).fetchall()
        return [(_article(row), str(row["snippet"])) for row in rows]

    def overview(self) -> dict[str, Any]:
        """Article count, outlets and date range from the indexes alone, without reading any text."""
        one = self.db.execute(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(DISTINCT outlet) FROM articles), "
            "(SELECT MIN(published) FROM articles), (SELECT MAX(published) FROM articles)"
        ).fetchone()
        return {"articles": one[0], "outlets": one[1], "first_published": one[2], "last_published": one[3]}

    def stats(self) -> dict[str, Any]:
        one = self.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT outlet), MIN(published), MAX(published), "
            "SUM(LENGTH(text)), SUM(LENGTH(raw)) FROM articles"
        ).fetchone()
        languages = self.db.execute(
            "SELECT COALESCE(language, '?') AS k, COUNT(*) AS n FROM articles GROUP BY k ORDER BY n DESC"
        ).fetchall()
        outlets = self.db.execute(
            "SELECT outlet AS k, COUNT(*) AS n FROM articles WHERE outlet IS NOT NULL "
            "GROUP BY k ORDER BY n DESC, k"
        ).fetchall()
        unknown = self.db.execute("SELECT COUNT(*) FROM articles WHERE outlet IS NULL").fetchone()[0]
        catalogue = self.db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT COALESCE(anchor, id)) FROM catalogue"
        ).fetchone()
        return {
            "articles": one[0],
            "outlets": one[1],
            "first_published": one[2],
            "last_published": one[3],
            "clean_chars": one[4] or 0,
            "raw_chars": one[5] or 0,
            "languages": {r["k"]: r["n"] for r in languages},
            "by_outlet": {r["k"]: r["n"] for r in outlets},  # known outlets, most articles first
            "unknown_outlet": unknown,
            "catalogue_entries": catalogue[0],
            "catalogue_claims": catalogue[1],  # the entries' claims (cases.py): the narratives known
            "schema_version": self.version,
        }


def _article_row(article: Article) -> tuple[Any, ...]:
    return (
        article.id,
        article.url,
        article.outlet,
        article.title,
        article.published,
        article.language,
        article.text,
        article.raw,
        article.source,
        json.dumps([asdict(s) for s in article.removed], ensure_ascii=False),
        json.dumps([asdict(s) for s in article.marks], ensure_ascii=False),
        json.dumps(article.provenance, ensure_ascii=False),
    )


def _article(row: sqlite3.Row) -> Article:
    keys = row.keys()
    return Article(
        id=row["id"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        published=row["published"],
        language=row["language"],
        text=row["text"],
        source=row["source"],
        raw=row["raw"] if "raw" in keys else "",
        removed=tuple(Span(**s) for s in json.loads(row["removed"])) if "removed" in keys else (),
        marks=tuple(Span(**s) for s in json.loads(row["marks"])) if "marks" in keys else (),
        provenance=json.loads(row["provenance"]) if "provenance" in keys else {},
    )


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script, one at a time (a trigger's body holds `;`)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        yield pending.strip()


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


def _next_character(character: str) -> str:
    """The character after this one that text can hold (surrogates cannot be stored)."""
    following = ord(character) + 1
    return chr(0xE000 if 0xD800 <= following <= 0xDFFF else following)


# A query's names, each with every way of writing it: (start, end, spellings).
Spellings = Callable[[str], list[tuple[int, int, list[str]]]]


def _search_terms(query: str, names: list[tuple[int, int, list[str]]]) -> str:
    """An FTS5 query from what a user typed: words only, each quoted, so that FTS5 sees no
    operators or syntax; a name found in it stands for any of its spellings (a quoted phrase each,
    joined by OR)."""
    terms: list[str] = []
    taken: list[tuple[int, int]] = []
    for start, end, found in sorted(names, key=lambda n: (n[0], -(n[1] - n[0]))):
        if any(start < e and end > s for s, e in taken) or not found:
            continue
        taken.append((start, end))
        phrases = [" ".join(re.findall(r"\w+", spelling)) for spelling in found]
        terms.append("(" + " OR ".join(f'"{p}"' for p in dict.fromkeys(phrases) if p) + ")")
    for word in re.finditer(r"\w+", query):
        if not any(s <= word.start() < e for s, e in taken):
            terms.append(f'"{word.group(0)}"')
    return " AND ".join(terms[:SEARCH_MAX_TERMS])
