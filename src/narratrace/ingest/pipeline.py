"""The ingest run: read, prepare (in parallel when asked) and store in batches."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from narratrace.errors import InputError
from narratrace.ingest.prepare import prepare
from narratrace.model import Article, RawDocument, Skipped
from narratrace.store import Store

# Articles are committed in batches: large enough to amortise a transaction, small enough
# that an interrupted run loses little work and memory stays flat.
BATCH_SIZE = 512


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    already_stored: int = 0
    errors: list[InputError] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # inputs that are not articles, by what

    @property
    def processed(self) -> int:
        return self.new + self.already_stored + len(self.errors) + self.skipped.total()


def prepare_or_error(item: RawDocument | InputError | Skipped) -> Article | InputError | Skipped:
    """`prepare`, turning any failure into an InputError that names the input."""
    if isinstance(item, InputError | Skipped):
        return item
    try:
        return prepare(item)
    except InputError as error:
        return error
    except (RecursionError, ValueError, TypeError, AttributeError) as error:
        # the parsers behind trafilatura raise these on pathological pages
        return InputError(item.location, f"could not be processed ({type(error).__name__}: {error})")


def _leave_interrupts_to_parent() -> None:
    """Ctrl-C reaches every process of the group; only the parent acts on it (and stops the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _batches(
    items: Iterable[RawDocument | InputError | Skipped],
) -> Iterator[list[RawDocument | InputError | Skipped]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, BATCH_SIZE)):
        yield batch


def _prepared(
    items: Iterable[RawDocument | InputError | Skipped], workers: int
) -> Iterator[list[Article | InputError | Skipped]]:
    if workers <= 1:
        for batch in _batches(items):
            yield [prepare_or_error(item) for item in batch]
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_leave_interrupts_to_parent) as pool:
        pending = None
        for batch in _batches(items):
            submitted = pool.map_async(prepare_or_error, batch, chunksize=16)
            if pending is not None:
                yield pending.get()
            pending = submitted
        if pending is not None:
            yield pending.get()


def ingest(
    items: Iterable[RawDocument | InputError | Skipped],
    store: Store,
    *,
    workers: int | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Prepare and store every document; errors are reported and the rest goes on."""
    workers = workers if workers is not None else (os.cpu_count() or 1)
    return store_prepared(_prepared(items, workers), store, on_error=on_error, on_progress=on_progress)


def store_prepared(
    prepared: Iterable[list[Article | InputError | Skipped]],
    store: Store,
    *,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Store prepared batches in their order (the local pool's, or a Ray run's shards), each in
    one transaction; errors are reported and counted, inputs that are not articles counted."""
    report = IngestReport()
    for results in prepared:
        articles = [r for r in results if isinstance(r, Article)]
        report.skipped.update(r.what for r in results if isinstance(r, Skipped))
        for error in (r for r in results if isinstance(r, InputError)):
            report.errors.append(error)
            if on_error:
                on_error(error)
        new, seen = store.add_articles(_unique(articles))
        report.new += new
        report.already_stored += seen + len(articles) - len({a.id for a in articles})
        if on_progress:
            on_progress(len(results))
    return report


def _unique(articles: list[Article]) -> list[Article]:
    """One of each id within a batch (the same input listed twice)."""
    return list({a.id: a for a in articles}.values())
