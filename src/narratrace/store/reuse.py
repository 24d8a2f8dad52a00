"""Store queries of the reuse analysis: fingerprints, pairs and how far the analysis has run."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
import numpy.typing as npt

from narratrace.model import Reuse
from narratrace.store.chunks import in_chunks

U64 = npt.NDArray[np.uint64]


def reset(db: sqlite3.Connection) -> None:
    """Forget every reuse result (the method's parameters changed)."""
    db.execute("DELETE FROM reuse_pairs")
    db.execute("DELETE FROM reuse_fingerprints")
    db.execute("DELETE FROM analysis_state WHERE name LIKE 'reuse.%'")


def fingerprints(db: sqlite3.Connection) -> Iterator[tuple[int, U64]]:
    for seq, blob in db.execute("SELECT seq, fingerprints FROM reuse_fingerprints ORDER BY seq"):
        yield int(seq), np.frombuffer(blob, dtype=np.uint64)


def save_fingerprints(db: sqlite3.Connection, rows: Iterable[tuple[int, U64]]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO reuse_fingerprints (seq, fingerprints) VALUES (?, ?)",
        ((seq, prints.astype(np.uint64).tobytes()) for seq, prints in rows),
    )


def save_pairs(db: sqlite3.Connection, pairs: Iterable[Reuse]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO reuse_pairs (a, b, kind, coverage_a, coverage_b, direction, reason, "
        "stock, stock_reason, passages, syndicated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                p.a,
                p.b,
                p.kind,
                p.coverage_a,
                p.coverage_b,
                p.direction,
                p.reason,
                int(p.stock),
                p.stock_reason,
                json.dumps([asdict(x) for x in p.passages], ensure_ascii=False),
                int(p.syndicated),
            )
            for p in pairs
        ),
    )


PAIR_COLUMNS = (
    "a, b, kind, coverage_a, coverage_b, direction, reason, stock, stock_reason, passages, syndicated"
)


def pairs(db: sqlite3.Connection, article: str | None = None, *, stock_only: bool = False) -> Iterator[Reuse]:
    """Stored pairs, all or one article's; `stock_only` keeps the stock-text ones."""
    query = f"SELECT {PAIR_COLUMNS} FROM reuse_pairs WHERE 1"
    args: tuple[str, ...] = ()
    if article is not None:
        query += " AND (a = ? OR b = ?)"
        args = (article, article)
    if stock_only:
        query += " AND stock = 1"
    for row in db.execute(query + " ORDER BY kind, a, b", args):
        yield _reuse(row)


def pairs_among(db: sqlite3.Connection, articles: Sequence[str]) -> Iterator[Reuse]:
    """The stored pairs whose two articles are both among `articles`: one query per 500
    articles, not one per article (a narrative can have thousands of members)."""
    wanted = set(articles)
    for chunk, marks in in_chunks(wanted):
        for row in db.execute(f"SELECT {PAIR_COLUMNS} FROM reuse_pairs WHERE a IN ({marks})", chunk):
            if row[1] in wanted:
                yield _reuse(row)


def _reuse(row: Sequence[Any]) -> Reuse:
    a, b, kind, coverage_a, coverage_b, direction, reason, stock, stock_reason, passages, syndicated = row
    return Reuse.from_dict(
        {
            "a": a,
            "b": b,
            "kind": kind,
            "coverage_a": coverage_a,
            "coverage_b": coverage_b,
            "direction": direction,
            "reason": reason,
            "stock": bool(stock),
            "stock_reason": stock_reason,
            "passages": json.loads(passages),
            "syndicated": bool(syndicated),
        }
    )
