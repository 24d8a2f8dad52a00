"""`ingest` on a Ray cluster: the local preparation (ingest/prepare.py: extraction, cleaning,
metadata) as a Ray task per shard of inputs.

Two stages under `<work>/ingest/` (work.py: a file per shard written whole or not at all, a
marker when the stage is complete):

1. `documents`: the driver reads the inputs (ingest/sources.py, as the local run does) and
   writes them, in their order, as Parquet shards of SHARD items: each a document, an input
   error or an input that is not an article.
2. `prepared`: a task per shard runs `prepare_or_error` on each item and writes what came of it:
   an article, an error naming the input, or a skipped input.

Then the driver stores the prepared shards in their order through the local run's own
`store_prepared`, in batches of the local size: the same articles, in the same order, with the
same errors and the same summary. A killed run resumes from its last finished stage, and inside
a stage from the shards already written; what it had stored is kept, and storing again is a
no-op for articles already there.

The work folder is tied to the inputs as they were (each file's path, size and modification
time): a changed input starts the run afresh. Standard input cannot be read twice, so a run from
it starts afresh each time.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from narratrace.engine import shards
from narratrace.engine.work import WorkFolder
from narratrace.errors import InputError
from narratrace.ingest.pipeline import BATCH_SIZE, IngestReport, prepare_or_error, store_prepared
from narratrace.model import Article, RawDocument, Skipped
from narratrace.settings import source_digest
from narratrace.store import Store

SHARD = 2000  # inputs per shard
STAGES = ("documents", "prepared")

Item = RawDocument | InputError | Skipped
Prepared = Article | InputError | Skipped


def ingest(
    items: Iterable[Item],
    store: Store,
    work: Path,
    address: str | None,
    inputs: Sequence[str],
    *,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_stage: Callable[[str, int, int], None] | None = None,
) -> IngestReport:
    """Prepare `items` (read from `inputs`) on Ray and store them, as the local run would.
    `on_stage(stage, done, total)`: the stages done, and inside `prepared` its shards; then
    ("storing", 0, 0) before the articles stored are counted with `on_progress`."""
    from narratrace.ingest import prepare

    made_of = {
        "inputs": _inputs_signature(inputs),
        "settings": source_digest(prepare),
        "store": str(store.path.resolve()),
    }
    folder = WorkFolder.made_for(work / "ingest", made_of)
    ray = shards.connect(address)
    steps: list[Callable[[], None]] = [
        lambda: _write_documents(items, folder),
        lambda: _prepare(ray, folder),
    ]
    folder.run(list(zip(STAGES, steps, strict=True)), on_stage)
    if on_stage:
        on_stage("storing", 0, 0)
    return load(store, folder, on_error=on_error, on_progress=on_progress)


def load(
    store: Store,
    folder: WorkFolder,
    *,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """The prepared shards stored in input order, as the local run stores them (an article
    already stored is not stored again)."""
    return store_prepared(_stored_order(folder), store, on_error=on_error, on_progress=on_progress)


def _inputs_signature(inputs: Sequence[str]) -> str:
    """Every input file's path, size and modification time, as a digest (standard input: this
    moment, so that its run never resumes another's)."""
    digest = hashlib.sha1()
    for given in inputs:
        if given == "-":
            digest.update(f"<stdin> {time.time_ns()}".encode())
            continue
        path = Path(given)
        files = [path] if not path.is_dir() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            try:
                stat = file.stat()
                digest.update(f"{file.resolve()} {stat.st_size} {stat.st_mtime_ns}\n".encode())
            except OSError:
                digest.update(f"{file} missing\n".encode())
    return f"inputs {digest.hexdigest()[:16]}"


def _encoded(item: Item | Prepared) -> tuple[str, str]:
    """An item as (kind, JSON)."""
    if isinstance(item, InputError):
        return "error", json.dumps({"location": item.location, "reason": item.reason}, ensure_ascii=False)
    if isinstance(item, Skipped):
        return "skipped", json.dumps(asdict(item), ensure_ascii=False)
    return ("article" if isinstance(item, Article) else "document"), json.dumps(
        asdict(item), ensure_ascii=False
    )


def _decoded(kind: str, record: str) -> Item | Prepared:
    values = json.loads(record)
    if kind == "error":
        return InputError(values["location"], values["reason"])
    if kind == "skipped":
        return Skipped(**values)
    if kind == "article":
        return Article.from_dict(values)
    return RawDocument(**values)


def _write_shard(path: Path, items: list[Item] | list[Prepared]) -> None:
    encoded = [_encoded(item) for item in items]
    columns = {"kind": [kind for kind, _ in encoded], "record": [record for _, record in encoded]}
    shards.write(shards.table(columns), path)


def _read_shard(path: Path) -> list[Any]:
    part = shards.read([path])
    return [
        _decoded(k, r)
        for k, r in zip(part.column("kind").to_pylist(), part.column("record").to_pylist(), strict=True)
    ]


def _write_documents(items: Iterable[Item], folder: WorkFolder) -> None:
    """The inputs in their order, a shard of SHARD at a time (shards written before are skipped)."""
    target = folder.folder("documents")
    shard: list[Item] = []
    number = 0
    for item in items:
        shard.append(item)
        if len(shard) == SHARD:
            path = target / f"part-{number:06d}.parquet"
            if not path.exists():
                _write_shard(path, shard)
            number += 1
            shard = []
    if shard or number == 0:
        _write_shard(target / f"part-{number:06d}.parquet", shard)


def _prepare_shard(target: str, source: str) -> None:
    _write_shard(Path(target), [prepare_or_error(item) for item in _read_shard(Path(source))])


def _prepare(ray: Any, folder: WorkFolder) -> None:
    target = folder.folder("prepared")
    jobs = [(target / p.name, (str(p),)) for p in folder.files("documents")]
    shards.run(ray, _prepare_shard, jobs, folder.shards_done)


def _stored_order(folder: WorkFolder) -> Iterator[list[Prepared]]:
    """The prepared items in input order, in batches of the local run's size."""
    batch: list[Prepared] = []
    for path in folder.files("prepared"):
        for item in _read_shard(path):
            batch.append(item)
            if len(batch) == BATCH_SIZE:
                yield batch
                batch = []
    if batch:
        yield batch
