"""Plumbing shared by the Ray engine's analyses: joining the cluster, Parquet files written whole
or not at all, the stored articles written as shards, and a Ray task per shard not written yet
(which is what lets a stage resume)."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from narratrace.errors import NarratraceError
from narratrace.model import Article
from narratrace.store import Store

INSTALL = "the Ray engine needs Ray and Arrow: pip install 'narratrace[ray]'"
# the Article fields a task that reads whole articles gets (`raw` stays in the store)
ARTICLE_FIELDS = ("id", "url", "outlet", "title", "published", "language", "text", "source")
PROGRESS_SECONDS = 0.5  # how often, at most, a stage of tasks reports the shards written


def ray_module() -> Any:
    """Ray, or a clear error saying how to install it."""
    try:
        import pyarrow  # noqa: F401  (the extra installs it beside Ray: the shards are Parquet)
        import ray
    except ImportError:
        raise NarratraceError(INSTALL) from None
    return ray


def require_arrow() -> None:
    """Reading a run's Parquet shards needs Arrow (not Ray), or a clear error saying how to install it."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise NarratraceError(INSTALL) from None


def connect(address: str | None) -> Any:
    """Join the cluster at `address` (or $RAY_ADDRESS), else start a local Ray on this machine's
    cores; quiet, as the CLI's own output is what the user reads."""
    ray = ray_module()
    if not ray.is_initialized():
        chosen = address or os.environ.get("RAY_ADDRESS") or None
        options: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": "ERROR",
        }
        if chosen is None:
            options["num_cpus"] = os.cpu_count() or 1
        warnings.filterwarnings("ignore", module=r"ray\..*")
        ray.init(address=chosen, **options)
        logging.getLogger("ray").setLevel(logging.ERROR)
    return ray


def table(rows: dict[str, Any], schema: Any = None) -> Any:
    import pyarrow as pa

    return pa.table(rows, schema=schema)


@contextmanager
def whole(path: Path) -> Iterator[Path]:
    """The temporary to write `path` as: renamed to `path` once written, so that the file is
    there whole or not at all (a killed task leaves only a hidden temporary, which
    WorkFolder.start removes)."""
    partial = path.with_name(f".{path.name}.partial")
    yield partial
    os.replace(partial, path)


def write(table: Any, path: Path) -> None:
    """A Parquet file, written whole or not at all."""
    import pyarrow.parquet as pq

    with whole(path) as partial:
        pq.write_table(table, partial)


def write_arrow(table: Any, path: Path) -> None:
    """An uncompressed Arrow file, written whole or not at all: a task reads a few of its rows
    by memory map (`rows_at`), touching only their pages, where a Parquet shard is read whole."""
    import pyarrow as pa

    with (
        whole(path) as partial,
        pa.OSFile(str(partial), "wb") as sink,
        pa.ipc.new_file(sink, table.schema) as writer,
    ):
        writer.write_table(table)


def write_array(array: Any, path: Path) -> None:
    """A NumPy file (which a task can read by memory map), written whole or not at all."""
    import numpy as np

    with whole(path) as partial, partial.open("wb") as handle:
        np.save(handle, array)


def row_count(path: Path) -> int:
    """How many rows a Parquet file holds, from its footer."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def rows_at(folder: Path, rows: Sequence[int], size: int) -> list[dict[str, Any]]:
    """The rows `rows` (in any order, as dicts in that order) of the table written as Arrow files
    `part-NNNNNN.arrow` of `size` rows each under `folder` (row r in part r // size), read by
    memory map: only the pages of those rows are read, and the operating system shares them
    between the tasks of a node, instead of every task holding every shard."""
    import numpy as np
    import pyarrow as pa

    wanted = np.asarray(rows, dtype=np.int64)
    part = wanted // size
    found: list[dict[str, Any]] = [{} for _ in range(len(wanted))]
    for p in np.unique(part).tolist():
        at = np.flatnonzero(part == p)
        with pa.memory_map(str(folder / f"part-{p:06d}.arrow")) as source:
            shard = pa.ipc.open_file(source).read_all()
            taken = shard.take(pa.array(wanted[at] - p * size)).to_pylist()
        for position, values in zip(at.tolist(), taken, strict=True):
            found[position] = values
    return found


def read(paths: list[Path], columns: list[str] | None = None) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(p, columns=columns) for p in paths]
    return pa.concat_tables(tables) if tables else None


def article_of(values: dict[str, Any]) -> Article:
    """An article from a shard's row of ARTICLE_FIELDS (other columns, such as its seq, left out)."""
    return Article(raw="", **{name: values[name] for name in ARTICLE_FIELDS})


def write_articles(
    store: Store,
    target: Path,
    fields: Sequence[str],
    size: int,
    *,
    after: int = 0,
    upto: int | None = None,
    numbered: bool = False,
) -> None:
    """The articles stored after `after` (up to `upto`: one stored meanwhile waits for the next
    run) as Parquet shards of `size` under `target`, in store order: each article's seq, its
    `fields` (text), and with `numbered` its row (its position among them, as the local index
    numbers articles)."""
    import pyarrow as pa

    schema = pa.schema(
        [("row", pa.int64())] * numbered + [("seq", pa.int64())] + [(name, pa.string()) for name in fields]
    )
    shard: list[tuple[int, Article]] = []
    written = 0

    def flush() -> None:
        columns: dict[str, Any] = {"row": list(range(written, written + len(shard)))} if numbered else {}
        columns["seq"] = [seq for seq, _ in shard]
        for name in fields:
            columns[name] = [getattr(article, name) for _, article in shard]
        write(table(columns, schema), target / f"part-{written // size:06d}.parquet")

    for seq, article in store.article_rows(after_seq=after):
        if upto is not None and seq > upto:
            break
        shard.append((seq, article))
        if len(shard) == size:
            flush()
            written += len(shard)
            shard = []
    if shard:
        flush()


def run(
    ray: Any,
    function: Callable[..., None],
    jobs: list[tuple[Path, tuple[Any, ...]]],
    on_done: Callable[[int, int], None] | None = None,
) -> None:
    """`function(target, *args)` as a Ray task for each job whose target is not written yet;
    `on_done(done, total)` first and then with the tasks that ended, at most every
    PROGRESS_SECONDS (shards written before count as done). A task's error is raised once it ends."""
    task = ray.remote(function)
    pending = [task.remote(str(target), *args) for target, args in jobs if not target.exists()]
    done = len(jobs) - len(pending)
    if on_done:
        on_done(done, len(jobs))
    while pending:
        # every task that ends within the wait: one wait per task would cost a pass over all
        # of them each time (5,000 shards at 1M articles)
        finished, pending = ray.wait(pending, num_returns=len(pending), timeout=PROGRESS_SECONDS)
        ray.get(finished)
        done += len(finished)
        if on_done and finished:
            on_done(done, len(jobs))
