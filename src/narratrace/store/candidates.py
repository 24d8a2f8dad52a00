"""Candidate narratives as `narratives --discover` found them (narratives/discovery.py), and the
state of the analyses they were found in (`state.analyses_state`): a view reads them, and can say
when the analyses have moved on since."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict

from narratrace.model import Narrative


def save(db: sqlite3.Connection, candidates: list[Narrative], state: str) -> None:
    """Replace the stored candidates with `candidates`, found in the analyses' `state`."""
    db.execute("DELETE FROM candidates")
    db.execute("DELETE FROM candidates_found")
    db.executemany(
        "INSERT INTO candidates (position, record) VALUES (?, ?)",
        ((n, json.dumps(_record(c), ensure_ascii=False)) for n, c in enumerate(candidates)),
    )
    db.execute("INSERT INTO candidates_found (state) VALUES (?)", (state,))


def load(db: sqlite3.Connection) -> tuple[list[Narrative], str | None]:
    """The stored candidates in their order, and the state they were found in (None: never)."""
    found = db.execute("SELECT state FROM candidates_found").fetchone()
    rows = db.execute("SELECT record FROM candidates ORDER BY position").fetchall()
    return [_narrative(json.loads(record)) for (record,) in rows], found[0] if found else None


def _record(candidate: Narrative) -> dict[str, object]:
    record = asdict(candidate)
    del record["cases"]  # a candidate is named by no catalogue entry
    return record


def _narrative(record: dict[str, object]) -> Narrative:
    return Narrative.from_dict(record)
