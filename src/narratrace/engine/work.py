"""A cluster run's work folder: each stage's output in its own folder, finished when its marker is.

A stage writes its shards into `<work>/<stage>/`, each file whole or not at all, and then the
marker `<work>/<stage>/_DONE`; a run that finds the marker skips the stage, one that finds the
folder without it does only the shards not yet written. What the results depend on (the settings,
the store and the articles read) is kept in `<work>/PARAMETERS` as JSON: a folder made under
others is emptied before use, as the store forgets results made under others, and `load-results`
(engine/results.py) reads them back to check that a store can take the results.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from narratrace.errors import NarratraceError

MARKER = "_DONE"
PARAMETERS = "PARAMETERS"
TIMES = "stages.json"


class WorkFolder:
    """One analysis's folder of a run (`<work>/<analysis>/`), as it is on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # where the running stage's shards are reported, while `run` runs a stage with progress
        self._on_shards: Callable[[int, int], None] | None = None

    @classmethod
    def made_for(cls, root: Path, parameters: dict[str, Any]) -> WorkFolder:
        """The folder of a run under `parameters`: kept when made under the same, else emptied."""
        folder = cls(root)
        text = json.dumps(parameters, sort_keys=True)
        try:
            root.mkdir(parents=True, exist_ok=True)
            kept = root / PARAMETERS
            if kept.exists() and kept.read_text() != text:
                for stage in root.iterdir():
                    if stage.is_dir():
                        shutil.rmtree(stage)
            kept.write_text(text)
        except OSError as error:
            raise NarratraceError(f"{root}: cannot use it as the work folder ({error.strerror})") from None
        return folder

    def parameters(self) -> dict[str, Any] | None:
        """What the run was made under; None where no run of this version wrote the folder."""
        try:
            found = json.loads((self.root / PARAMETERS).read_text())
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def run(
        self,
        steps: Sequence[tuple[str, Callable[[], None]]],
        on_progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        """Each stage in order, skipping those finished (a killed run resumes from the first that
        is not), its time kept in `stages.json`; `on_progress` after each, and inside a stage of
        tasks with its shards done (`shards_done`)."""
        for n, (stage, step) in enumerate(steps, start=1):
            if not self.done(stage):
                self.start(stage)
                started = time.perf_counter()
                if on_progress:
                    self._on_shards = _shards_of(stage, on_progress)
                try:
                    step()
                finally:
                    self._on_shards = None
                self.finish(stage, time.perf_counter() - started)
            if on_progress:
                on_progress(stage, n, len(steps))

    def shards_done(self, done: int, total: int) -> None:
        """Reports how many of its shards the running stage has written (shards.run's `on_done`)."""
        if self._on_shards:
            self._on_shards(done, total)

    def done(self, stage: str) -> bool:
        return (self.root / stage / MARKER).exists()

    def start(self, stage: str) -> Path:
        """The stage's folder, with the shards an interrupted run finished (each file is written
        whole or not at all) and without its unfinished temporaries."""
        folder = self.root / stage
        folder.mkdir(parents=True, exist_ok=True)
        for partial in folder.rglob(".*.partial"):
            partial.unlink()
        return folder

    def finish(self, stage: str, seconds: float) -> None:
        """Mark the stage done, and keep what it took in `<work>/stages.json` (seconds, shards),
        where a user sees which stage limits a run."""
        (self.root / stage / MARKER).write_text("")
        kept = self.root / TIMES
        times = json.loads(kept.read_text()) if kept.exists() else {}
        times[stage] = {"seconds": round(seconds, 2), "files": len(self.files(stage))}
        kept.write_text(json.dumps(times, indent=2))

    def folder(self, stage: str) -> Path:
        return self.root / stage

    def files(self, stage: str) -> list[Path]:
        """The stage's Parquet files, in name order."""
        return sorted((self.root / stage).rglob("*.parquet"))


def _shards_of(stage: str, on_progress: Callable[[str, int, int], None]) -> Callable[[int, int], None]:
    """The progress of `stage`'s shards, as the progress bar shows it."""
    return lambda done, total: on_progress(f"{stage} (shards)", done, total)
