"""`load-results DIR`: a cluster run's finished results brought into a store.

The Ray engine loads what it made into the store it read, as its last step. Where that step did
not run (the driver was stopped after the last stage, or the run's folder was copied from the
cluster to where a copy of the store lives), `narratrace --db DB load-results DIR` does the same
from the work folder: for each analysis in it whose stages are all finished, in the order the
analyses build on one another, it checks that the store can take the results, then loads them
with the engine's own load step (the same functions, so the store ends as the run would leave it).

A store can take an analysis's results when they were made under the settings it runs under now
(the reuse and claim rules and alias table; the catalogue's content, the decision model), from the articles
it holds at the same positions, and from where its own results stop. Anything else is refused
with the reason, and nothing of that analysis's results is written (for narratives, the run's
first step, which brings the catalogue's claims and stored fact-checks up to date, runs before the
check, as it does in any `narratives`); loading twice finds the results there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from narratrace.claims import service as local_claims
from narratrace.engine import ray_claims, ray_ingest, ray_narratives, ray_reuse, shards
from narratrace.engine.work import WorkFolder
from narratrace.errors import NarratraceError
from narratrace.ingest import prepare
from narratrace.narratives import run as local_narratives
from narratrace.reuse import run as local_reuse
from narratrace.settings import source_digest
from narratrace.store import Store
from narratrace.store import state as analysis

# the order analyses load in: claims and narratives read the articles, narratives reuse's copies
ANALYSES: dict[str, tuple[str, ...]] = {
    "ingest": ray_ingest.STAGES,
    "reuse": ray_reuse.STAGES,
    "claims": ray_claims.STAGES,
    "narratives": ray_narratives.STAGES,
}

Outcome = Literal["loaded", "already", "unfinished", "refused"]


@dataclass(slots=True, frozen=True)
class Loaded:
    """What became of one analysis's results."""

    analysis: str
    outcome: Outcome
    detail: str

    @property
    def failed(self) -> bool:
        return self.outcome in ("unfinished", "refused")


def load_results(store: Store, work: Path) -> list[Loaded]:
    """Each analysis found under `work`, loaded into `store` or left out with the reason."""
    shards.require_arrow()
    found = [name for name in ANALYSES if (work / name).is_dir()]
    if not found:
        raise NarratraceError(
            f"{work}: no results of a cluster run here (expected one of: {', '.join(ANALYSES)}/)"
        )
    return [_load(store, name, WorkFolder(work / name)) for name in found]


def _load(store: Store, name: str, folder: WorkFolder) -> Loaded:
    parameters = folder.parameters()
    if parameters is None:
        return Loaded(
            name, "refused", f"{folder.root}/PARAMETERS: missing or unreadable (not a run's folder)"
        )
    unfinished = [stage for stage in ANALYSES[name] if not folder.done(stage)]
    if unfinished:
        return Loaded(
            name,
            "unfinished",
            f"stage {unfinished[0]} is not finished: run `{name}` on Ray with this work folder again",
        )
    problem = None if name == "ingest" else _other_articles(store, folder)  # ingest reads no store
    if problem:
        return Loaded(name, "refused", problem)
    loader = {"ingest": _ingest, "reuse": _reuse, "claims": _claims, "narratives": _narratives}[name]
    return loader(store, folder, parameters)


def _other_articles(store: Store, folder: WorkFolder) -> str | None:
    """Why the run read other articles than the store holds at the same positions, if it did."""
    read = shards.read(folder.files("articles"), ["seq", "id"])
    if read is None or not read.num_rows:
        return None
    seqs, ids = read.column("seq").to_pylist(), read.column("id").to_pylist()
    held = store.ids_by_seq(min(seqs), max(seqs))
    differ = sum(held.get(seq) != article for seq, article in zip(seqs, ids, strict=True))
    if differ:
        return f"the run read {differ:,} of its {len(seqs):,} articles where this store holds others"
    return None


def _ingest(store: Store, folder: WorkFolder, parameters: dict[str, Any]) -> Loaded:
    if parameters.get("settings") != source_digest(prepare):
        return Loaded("ingest", "refused", "prepared by another version of the cleaning: ingest again")
    report = ray_ingest.load(store, folder)
    outcome: Outcome = "loaded" if report.new else "already"
    return Loaded(
        "ingest",
        outcome,
        f"{report.new:,} new articles, {report.already_stored:,} already stored, "
        f"{len(report.errors):,} inputs failed",
    )


def _reuse(store: Store, folder: WorkFolder, parameters: dict[str, Any]) -> Loaded:
    if parameters.get("settings") != local_reuse.settings().signature:
        return Loaded("reuse", "refused", "made under other reuse settings: run `reuse` again")
    local_reuse.forget_if_changed(store)
    done = int(analysis.state(store.db, local_reuse.LAST_SEQ) or 0)
    after, upto = int(parameters["after"]), int(parameters["upto"])
    if not_next := _not_next("reuse", "pairs", done, after, upto):
        return not_next
    run = ray_reuse.load(store, folder, after, upto)
    return Loaded("reuse", "loaded", f"{run.pairs_found:,} pairs of {run.new_articles:,} new articles")


def _claims(store: Store, folder: WorkFolder, parameters: dict[str, Any]) -> Loaded:
    _, signature = local_claims.current_signature(store)
    if parameters.get("settings") != signature:
        return Loaded("claims", "refused", "made under other claim rules or alias table: run `claims` again")
    local_claims.forget_if_changed(store)
    done = int(analysis.state(store.db, local_claims.DONE_SEQ) or 0)
    after, upto = int(parameters["after"]), int(parameters["upto"])
    if not_next := _not_next("claims", "claims", done, after, upto):
        return not_next
    return Loaded("claims", "loaded", f"claims of {ray_claims.load(store, folder, upto):,} articles")


def _narratives(store: Store, folder: WorkFolder, parameters: dict[str, Any]) -> Loaded:
    # the run's first step, as on the cluster: the catalogue's claims and stored fact-checks
    # brought up to date, which is what the results' catalogue signature was taken after
    done = local_narratives.start(store)
    differs = [
        key for key, value in local_narratives.made_under(store).items() if parameters.get(key) != value
    ]
    if differs:
        return Loaded(
            "narratives",
            "refused",
            f"matched under another {' and '.join(differs)} than this store's: run `narratives` again",
        )
    after, upto = int(parameters["after"]), int(parameters["upto"])
    # its batches are stored one by one: a load stopped part way goes on
    if not_next := _not_next("narratives", "matches", done, after, upto, part_way=True):
        return not_next
    articles = ray_narratives.load(store, folder)
    found = local_narratives.finish(store)
    return Loaded("narratives", "loaded", f"matches of {articles:,} articles; {len(found):,} narratives")


def _not_next(
    name: str, what: str, done: int, after: int, upto: int, *, part_way: bool = False
) -> Loaded | None:
    """Why results of the articles after `after` up to `upto` are not what the store (whose
    results stop at `done`) takes next, if they are not: already there, or not where it stops
    (`part_way`: or between the two)."""
    if done >= upto:
        return Loaded(name, "already", f"the store's {what} already cover its articles up to {upto:,}")
    if done < after or (done > after and not part_way):
        return Loaded(
            name,
            "refused",
            f"the run took up after article {after:,}, and this store's {what} stop at {done:,}: "
            f"run `{name}` on this store instead",
        )
    return None
