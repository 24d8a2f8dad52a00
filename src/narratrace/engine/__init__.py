"""Where an analysis runs: here (the default, in this process) or on a Ray cluster.

The engine only moves work and data; the algorithms are the same functions either way
(reuse/, narratives/, claims/). On Ray so far: `ingest` (engine/ray_ingest.py), `reuse`
(engine/ray_reuse.py) and `claims` (engine/ray_claims.py). The other
analyses say so when asked to run there, rather than run here unannounced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from narratrace.claims import service as local_claims
from narratrace.errors import InputError, NarratraceError
from narratrace.ingest import pipeline as local_ingest
from narratrace.model import RawDocument, Skipped
from narratrace.reuse import run as local_reuse
from narratrace.store import Store


class Engine(StrEnum):
    local = "local"  # in this process
    ray = "ray"  # on a Ray cluster


# the commands that run an analysis, and those of them that run on Ray so far
ANALYSES = ("ingest", "analyze", "reuse", "families", "narratives", "claims", "sources")
ON_RAY = ("ingest", "reuse", "families", "claims")


@dataclass(slots=True, frozen=True)
class Where:
    """The engine chosen on the command line, with the Ray cluster's address and work folder."""

    engine: Engine = Engine.local
    address: str | None = None
    work: Path | None = None  # default: beside the store, <db>.work

    def folder(self, store: Store) -> Path:
        """The work folder: the one given, else `<db>.work` beside the store."""
        return self.work or store.path.with_name(store.path.name + ".work")

    def check_runs_there(self, command: str) -> None:
        """An error for an analysis that the chosen engine does not run yet."""
        if self.engine is Engine.ray and command in ANALYSES and command not in ON_RAY:
            raise NarratraceError(
                f"`{command}` does not run on Ray yet (so far: {', '.join(ON_RAY)}); "
                "run it without --engine ray"
            )


def ingest_documents(
    items: Iterable[RawDocument | InputError | Skipped],
    store: Store,
    where: Where,
    inputs: Sequence[str],
    *,
    workers: int | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> local_ingest.IngestReport:
    """Prepare and store `items` (read from `inputs`), here (`workers` processes) or on Ray."""
    if where.engine is Engine.local:
        return local_ingest.ingest(items, store, workers=workers, on_error=on_error, on_progress=on_progress)
    from narratrace.engine import ray_ingest

    return ray_ingest.ingest(
        items, store, where.folder(store), where.address, inputs, on_error=on_error, on_progress=on_progress
    )


def update_reuse(
    store: Store, where: Where, on_progress: Callable[[str, int, int], None] | None = None
) -> local_reuse.ReuseRun:
    """Bring the stored reuse pairs up to date, here or on Ray."""
    if where.engine is Engine.local:
        return local_reuse.update(store, on_progress=on_progress)
    from narratrace.engine import ray_reuse

    return ray_reuse.update(store, where.folder(store), where.address, on_progress)


def update_claims(
    store: Store, where: Where, on_progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Extract the claims of the articles not done yet, here or on Ray; returns how many."""
    if where.engine is Engine.local:
        return local_claims.update_claims(store, on_progress=on_progress)
    from narratrace.engine import ray_claims

    return ray_claims.update(store, where.folder(store), where.address, on_progress)
