"""How far each incremental analysis has run: named values in `analysis_state`."""

from __future__ import annotations

import sqlite3


def state(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM analysis_state WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def set_state(db: sqlite3.Connection, name: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO analysis_state (name, value) VALUES (?, ?)", (name, value))


# An alias import (INSERT OR REPLACE: a new row id) renames narratives' key entities; members'
# stored ledes are what `match` compares unseen inputs with.
NEWEST_ROWS = (
    "SELECT (SELECT MAX(rowid) FROM narrative_matches), (SELECT MAX(rowid) FROM reuse_pairs), "
    "(SELECT MAX(rowid) FROM aliases), (SELECT MAX(rowid) FROM member_ledes)"
)


def analyses_state(db: sqlite3.Connection) -> str:
    """Changes whenever an analysis stores new results: every run records how far it got, and
    the newest row ids catch anything written without a run (a catalogue import, a reset). Row
    ids, not counts: reading them costs the same for 100 rows and for 100,000. What a long-lived
    reader (the web app) keys its caches on."""
    runs = db.execute("SELECT group_concat(name || '=' || value) FROM analysis_state").fetchone()[0]
    return f"{runs}|{catalogue_state(db)}|{tuple(db.execute(NEWEST_ROWS).fetchone())}"


def catalogue_state(db: sqlite3.Connection) -> str:
    """Changes when entries are imported (a re-imported entry is a new row)."""
    newest = db.execute(
        "SELECT (SELECT MAX(rowid) FROM catalogue), (SELECT MAX(rowid) FROM catalogue_english)"
    ).fetchone()
    return str(tuple(newest))
