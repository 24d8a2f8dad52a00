"""How far each incremental analysis has run: named values in `analysis_state`."""

from __future__ import annotations

import sqlite3


def state(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM analysis_state WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def set_state(db: sqlite3.Connection, name: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO analysis_state (name, value) VALUES (?, ?)", (name, value))
