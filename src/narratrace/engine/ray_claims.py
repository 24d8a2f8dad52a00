"""`claims` on a Ray cluster: the local extractor (claims/extract.analyse) as a Ray task per shard.

Two stages under `<work>/claims/` (work.py: a file per shard written whole or not at all, a
marker when the stage is complete, so a killed run resumes from the shards already written):

1. `articles`: the articles whose claims are not stored yet, as Parquet shards of SHARD rows (the
   driver reads the SQLite store, which lives beside it).
2. `evidence`: a task per shard runs `analyse` on each article, with the alias table given to
   every task once through Ray's object store, and writes each article's evidence as JSON.

Then the evidence and the progress marker go into the store in one transaction, exactly as the
local run leaves them, so `claims`, `sources`, the report and the web UI read them as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from narratrace.aliases import AliasTable
from narratrace.claims import service as local
from narratrace.claims.extract import analyse
from narratrace.engine import shards
from narratrace.engine.work import WorkFolder
from narratrace.model import AliasRow, ArticleEvidence
from narratrace.store import Store
from narratrace.store import claims as stored
from narratrace.store import state as analysis

SHARD = 2000  # articles per shard
FIELDS = ("id", "language", "text")

STAGES = ("articles", "evidence")
Progress = Callable[[str, int, int], None]


def update(store: Store, work: Path, address: str | None, on_progress: Progress | None = None) -> int:
    """Extract the claims of the articles not done yet, on Ray; returns how many were processed."""
    rows, signature = local.forget_if_changed(store)
    last = int(analysis.state(store.db, local.DONE_SEQ) or 0)
    newest = store.newest_seq()
    if newest <= last:
        return 0
    folder = WorkFolder.made_for(
        work / "claims",
        {"settings": signature, "store": str(store.path.resolve()), "after": last, "upto": newest},
    )
    ray = shards.connect(address)
    steps: list[Callable[[], None]] = [
        lambda: _write_articles(store, folder, last, newest),
        lambda: _extract(ray, folder, rows),
    ]
    folder.run(list(zip(STAGES, steps, strict=True)), on_progress)
    return load(store, folder, newest)


def _write_articles(store: Store, folder: WorkFolder, last: int, newest: int) -> None:
    """The articles stored after `last`, up to `newest` (one ingested meanwhile waits for the next run)."""
    shards.write_articles(store, folder.folder("articles"), FIELDS, SHARD, after=last, upto=newest)


def _extract_shard(target: str, source: str, rows: list[AliasRow]) -> None:
    """A shard's evidence, an article a row, in the shard's order."""
    aliases = AliasTable(rows)
    articles = shards.read([Path(source)]).to_pylist()
    found = [
        json.dumps(asdict(analyse(a["id"], a["text"], a["language"], aliases)), ensure_ascii=False)
        for a in articles
    ]
    shards.write(shards.table({"seq": [a["seq"] for a in articles], "evidence": found}), Path(target))


def _extract(ray: Any, folder: WorkFolder, rows: list[AliasRow]) -> None:
    target = folder.folder("evidence")
    shared = ray.put(rows)
    jobs = [(target / p.name, (str(p), shared)) for p in folder.files("articles")]
    shards.run(ray, _extract_shard, jobs, folder.shards_done)


def load(store: Store, folder: WorkFolder, newest: int) -> int:
    """The run's evidence and marker into the store, in one transaction."""
    done = 0
    with store.transaction() as db:
        for path in folder.files("evidence"):
            part = shards.read([path])
            found = [ArticleEvidence.from_dict(json.loads(e)) for e in part.column("evidence").to_pylist()]
            done += stored.save(db, found)
        analysis.set_state(db, local.DONE_SEQ, str(newest))
    return done
