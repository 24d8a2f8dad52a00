"""Where an analysis runs: here (the default, in this process) or on a Ray cluster.

The engine only moves work and data; the algorithms are the same functions either way
(reuse/, narratives/, claims/). On Ray: `ingest` (engine/ray_ingest.py), `reuse`
(engine/ray_reuse.py), the matching of `narratives` (engine/ray_narratives.py) and `claims`
(engine/ray_claims.py); what follows the matching of narratives (joining through members,
grouping, discovery) runs on the driver, as it does locally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from narratrace.claims import service as local_claims
from narratrace.errors import InputError
from narratrace.ingest import pipeline as local_ingest
from narratrace.model import Narrative, RawDocument, Skipped
from narratrace.narratives import run as local_narratives
from narratrace.reuse import run as local_reuse
from narratrace.store import Store


class Engine(StrEnum):
    local = "local"  # in this process
    ray = "ray"  # on a Ray cluster


@dataclass(slots=True, frozen=True)
class Where:
    """The engine chosen on the command line, with the Ray cluster's address and work folder."""

    engine: Engine = Engine.local
    address: str | None = None
    work: Path | None = None  # default: beside the store, <db>.work

    def folder(self, store: Store) -> Path:
        """The work folder: the one given, else `<db>.work` beside the store."""
        return self.work or store.path.with_name(store.path.name + ".work")


def ingest_documents(
    items: Iterable[RawDocument | InputError | Skipped],
    store: Store,
    where: Where,
    inputs: Sequence[str],
    *,
    workers: int | None = None,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_stage: Callable[[str, int, int], None] | None = None,
) -> local_ingest.IngestReport:
    """Prepare and store `items` (read from `inputs`), here (`workers` processes) or on Ray
    (`on_stage`: its stages, as ray_ingest.ingest reports them)."""
    if where.engine is Engine.local:
        return local_ingest.ingest(items, store, workers=workers, on_error=on_error, on_progress=on_progress)
    from narratrace.engine import ray_ingest

    return ray_ingest.ingest(
        items,
        store,
        where.folder(store),
        where.address,
        inputs,
        on_error=on_error,
        on_progress=on_progress,
        on_stage=on_stage,
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


def update_narratives(
    store: Store, where: Where, on_progress: Callable[[str, int, int], None] | None = None
) -> list[Narrative]:
    """Bring the stored narratives up to date (their matching here or on Ray) and return them."""
    if where.engine is Engine.local:
        return local_narratives.update_narratives(store)
    from narratrace.engine import ray_narratives

    return ray_narratives.update(store, where.folder(store), where.address, on_progress)
