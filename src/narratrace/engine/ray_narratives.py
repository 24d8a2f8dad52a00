"""`narratives` on a Ray cluster: the local matching (narratives/run.match_batch) as a Ray task per
batch of articles, the rest of the run on the driver.

The run's first and last steps are the local ones (run.start: the catalogue's claims and the
stored fact-checks synced, every match forgotten when the catalogue, the model or a setting
changed; run.finish: articles join through members, then the narratives are grouped). Between
them, two stages under `<work>/narratives/` (work.py):

1. `articles`: the articles not matched yet, a Parquet shard per batch of run.MATCH_BATCH, the
   local run's batches exactly (encoders give the same vectors for the same batch).
2. `matches`: a task per shard runs `match_batch` against the catalogue index, which each Ray
   worker process builds once from the stored catalogue's sentences (put in Ray's object store
   once; the driver builds no index), and
   writes what the batch found: matches, unmatched articles, members' ledes, join candidates.

The driver then stores the batches in order with run.save_batch, each in one transaction with
its marker, exactly as the local run does. Discovery (`--discover`) then runs on the driver.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from narratrace.engine import shards
from narratrace.engine.work import WorkFolder
from narratrace.model import ArticleMatch, Narrative
from narratrace.narratives import run as local
from narratrace.narratives.embed import DIMENSIONS, encode
from narratrace.narratives.importing import catalogue_sentences, kept_e5
from narratrace.narratives.joining import JoinCandidate
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.store import Store
from narratrace.store import catalogue as stored_catalogue
from narratrace.store import state as analysis

STAGES = ("articles", "matches")
Progress = Callable[[str, int, int], None]

# the catalogue index each Ray worker process built, by the catalogue state it was built from
_built: dict[str, CatalogueIndex] = {}


def update(
    store: Store, work: Path, address: str | None, on_progress: Progress | None = None
) -> list[Narrative]:
    """Bring the stored narratives up to date, matching on Ray."""
    last = local.start(store)
    newest = store.newest_seq()
    if newest > last:
        catalogue = analysis.state(store.db, local.CATALOGUE_STATE) or ""
        folder = WorkFolder.made_for(
            work / "narratives",
            {**local.made_under(store), "store": str(store.path.resolve()), "after": last, "upto": newest},
        )
        ray = shards.connect(address)
        steps: list[Callable[[], None]] = [
            lambda: _write_articles(store, folder, last, newest),
            lambda: _match(ray, store, folder, catalogue),
        ]
        folder.run(list(zip(STAGES, steps, strict=True)), on_progress)
        load(store, folder)
    return local.finish(store)


def _write_articles(store: Store, folder: WorkFolder, last: int, newest: int) -> None:
    """The articles not matched yet, up to `newest`, a shard per batch of the local run."""
    shards.write_articles(
        store, folder.folder("articles"), shards.ARTICLE_FIELDS, local.MATCH_BATCH, after=last, upto=newest
    )


def _index(catalogue: str, parts: dict[str, Any]) -> CatalogueIndex:
    """The catalogue index, built once per worker process (e5 vectors kept in memory there)."""
    if catalogue not in _built:
        _built.clear()
        _built[catalogue] = CatalogueIndex(
            parts["entries"],
            parts["owners"],
            parts["texts"],
            parts["vectors"],
            encode,
            e5_encoder=kept_e5(None),
            claims=parts["claims"],
        )
    return _built[catalogue]


def _match_shard(target: str, source: str, catalogue: str, parts: dict[str, Any]) -> None:
    """A batch's matches, written as one row: its newest article, what it found (JSON), and the
    vectors of its members' ledes and join candidates (float32, in the record's order)."""
    rows = shards.read([Path(source)]).to_pylist()
    articles = [shards.article_of(row) for row in rows]
    matched = local.match_batch(_index(catalogue, parts), articles)
    record = {
        "found": [asdict(m) for m in matched.found],
        "unmatched": matched.unmatched,
        "ledes": [[article, sentences] for article, (sentences, _) in matched.ledes.items()],
        "candidates": [[c.article, c.sentences, c.headline] for c in matched.candidates],
    }
    matrices = [m for _, m in matched.ledes.values()] + [c.vectors for c in matched.candidates]
    vectors = np.vstack(matrices).astype(np.float32).tobytes() if matrices else b""
    columns = {
        "seq": [rows[-1]["seq"]],
        "record": [json.dumps(record, ensure_ascii=False)],
        "vectors": [vectors],
    }
    shards.write(shards.table(columns), Path(target))


def _match(ray: Any, store: Store, folder: WorkFolder, catalogue: str) -> None:
    entries, owners, texts, vectors = catalogue_sentences(store)
    parts = ray.put(
        {
            "entries": entries,
            "owners": owners,
            "texts": texts,
            "vectors": vectors,
            "claims": stored_catalogue.anchors(store.db),
        }
    )
    target = folder.folder("matches")
    jobs = [(target / p.name, (str(p), catalogue, parts)) for p in folder.files("articles")]
    shards.run(ray, _match_shard, jobs, folder.shards_done)


def _batch(record: dict[str, Any], vectors: bytes) -> local.BatchMatches:
    matrix = np.frombuffer(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
    at = 0

    def take(count: int) -> Any:
        nonlocal at
        at += count
        return matrix[at - count : at]

    matched = local.BatchMatches(
        found=[ArticleMatch(**m) for m in record["found"]], unmatched=list(record["unmatched"])
    )
    for article, sentences in record["ledes"]:
        matched.ledes[article] = (sentences, take(len(sentences)))
    for article, sentences, headline in record["candidates"]:
        matched.candidates.append(JoinCandidate(article, sentences, take(len(sentences)), headline))
    return matched


def load(store: Store, folder: WorkFolder) -> int:
    """Each batch not stored yet stored in order, in its own transaction with its marker, as the
    local run does (a load stopped part way goes on from its last batch); returns the articles
    whose matching was stored."""
    done = int(analysis.state(store.db, local.MATCHED_SEQ) or 0)
    articles = 0
    for path in folder.files("matches"):
        row = shards.read([path]).to_pylist()[0]
        if int(row["seq"]) <= done:
            continue
        batch = _batch(json.loads(row["record"]), row["vectors"])
        local.save_batch(store, batch, int(row["seq"]))
        articles += len(batch.found) + len(batch.unmatched)
    return articles
