"""The Ray engine against the local one, through the CLI as a user runs them: on the BBC set and
the seeds (2,230 real articles), `--engine ray reuse` stores exactly the pairs the local engine
stores (kinds, coverage, directions, passages); on parts of them (about 300 articles for `ingest`, 215
for `claims`) and on a ninth of realnews for `narratives`, the other analyses store what theirs
store. A run of each killed between its stages resumes to the same results without redoing the
finished stages; a second run after new articles adds what a second local run adds. One local
Ray serves the whole module, as a cluster serves its users: each command joins it through
RAY_ADDRESS. The parts are kept small so that the module runs in under 2 minutes: what costs is
the encoders and extraction, run on one core per task."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from narratrace.engine import ray_ingest, shards
from narratrace.engine.work import WorkFolder
from narratrace.ingest.sources import iter_documents
from narratrace.store import Store
from tests.conftest import SEEDS, SHARED

BBC = SHARED / "corpus" / "bbc" / "bbc-news-2005.jsonl"
REALNEWS = SHARED / "corpus" / "realnews"
FIRST = 1500  # BBC stories in the store at first; the rest come in a second run

ray = pytest.importorskip(
    "ray", reason="the Ray engine's extra is not installed (pip install 'narratrace[ray]')"
)
pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(not BBC.exists(), reason=f"the BBC corpus is not at {BBC}"),
]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    try:
        context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    except Exception as error:
        pytest.skip(f"Ray cannot start here: {error}")
    yield str(context.address_info["gcs_address"])
    ray.shutdown()


def cli(db: Path, *args: str, address: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"RAY_ADDRESS": address} if address else {})}
    return subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(db), *args], capture_output=True, text=True, env=env
    )


def pairs(db: Path, *engine: str, address: str | None = None) -> list[dict[str, object]]:
    done = cli(db, *engine, "reuse", "--json", address=address)
    assert done.returncode == 0, done.stderr[-3000:]
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store of the seeds and FIRST BBC stories, and a file of the other stories."""
    root = tmp_path_factory.mktemp("ray")
    lines = BBC.read_text().splitlines(keepends=True)
    (root / "first.jsonl").write_text("".join(lines[:FIRST]))
    (root / "rest.jsonl").write_text("".join(lines[FIRST:]))
    db = root / "base.db"
    for source in (root / "first.jsonl", SEEDS):
        assert cli(db, "ingest", str(source)).returncode == 0
    return db, root / "rest.jsonl"


@pytest.fixture(scope="module")
def local_run(
    corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[dict[str, object]]]:
    """The corpus's store after the local engine's `reuse`, and the pairs it stored (found once
    for the module)."""
    local = tmp_path_factory.mktemp("local") / "local.db"
    shutil.copy(corpus[0], local)
    return local, pairs(local)


def two_copies(base: Path, folder: Path) -> tuple[Path, Path]:
    """The store twice: one for the local engine, one for Ray."""
    local, on_ray = folder / "local.db", folder / "ray.db"
    shutil.copy(base, local)
    shutil.copy(base, on_ray)
    return local, on_ray


def killed_after(db: Path, work: Path, stage: Path, args: list[str], address: str) -> None:
    """Start `narratrace --engine ray --work WORK ARGS` and kill it, with its whole process group,
    as soon as `stage` (a stage's folder under WORK) has its marker: between stages, or inside
    the next one. The next stage must not be finished by then."""
    command = [sys.executable, "-m", "narratrace", "--db", str(db), "--engine", "ray", "--work", str(work)]
    running = subprocess.Popen(
        [*command, *args],
        env={**os.environ, "RAY_ADDRESS": address},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    finished = stage / "_DONE"
    deadline = time.monotonic() + 300
    while not finished.exists() and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert finished.exists(), f"the run ended or stalled before {stage.name} was done"
    os.killpg(running.pid, signal.SIGKILL)
    running.wait()


def load(db: Path, work: Path) -> tuple[int, dict[str, str], str]:
    """`load-results WORK` into `db`: its exit code, each analysis's outcome, what it printed."""
    done = cli(db, "load-results", str(work), "--json")
    return done.returncode, {r["analysis"]: r["outcome"] for r in json.loads(done.stdout)}, done.stdout


def rows_of(db: Path, table: str) -> list[tuple[object, ...]]:
    """Every row of `table`, in a stable order, without the time a row was stored."""
    with sqlite3.connect(db) as connection:
        columns = [
            row[1] for row in connection.execute(f"PRAGMA table_info({table})") if row[1] != "found_at"
        ]
        return sorted(connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)


def test_ray_pairs_equal_the_local_engines_after_kills_load_elsewhere_then_grow_alike(
    cluster: str, corpus: tuple[Path, Path], local_run: tuple[Path, list[dict[str, object]]], tmp_path: Path
) -> None:
    """Killed between stages, or inside one, the run resumes to the local engine's pairs. Its work
    folder, loaded into a copy of the store made before the run (as when the folder comes back
    from the cluster), leaves in it what the run left in its own store, row for row; loaded
    again, nothing changes; a stage not finished, or a store of other articles, is refused with the
    reason and exit code 1, and nothing of it is written. After new articles, a second run
    compares them with all stored, as a second local run does. (The claims and narratives tests
    load their runs the same way.)"""
    base, rest = corpus
    expected = local_run[1]
    assert len(expected) > 300  # the BBC set's own near-duplicates and the seeds' copies
    on_ray, copy = two_copies(base, tmp_path)
    work = tmp_path / "work"
    killed_after(on_ray, work, work / "reuse" / "buckets", ["reuse", "--json"], cluster)
    kept = (work / "reuse" / "fingerprints" / "_DONE").stat().st_mtime_ns
    assert not (work / "reuse" / "pairs" / "_DONE").exists()
    assert pairs(on_ray, "--engine", "ray", "--work", str(work), address=cluster) == expected
    assert (work / "reuse" / "fingerprints" / "_DONE").stat().st_mtime_ns == kept  # not done again

    # What a kill inside a stage leaves: some of its shards written whole, one half-written
    # temporary, no marker, the stages after it not begun, nothing loaded. With the store as it
    # was before the run, the run resumes to the same pairs, writing only the missing shards.
    votes = work / "reuse" / "votes"
    (votes / "_DONE").unlink()
    vote_files = sorted(votes.glob("df-*.npy"))
    for path in vote_files[::2]:
        path.unlink()
    (votes / f".{vote_files[0].name}.partial").write_bytes(b"\x93NUMPY")
    untouched = {path: path.stat().st_mtime_ns for path in vote_files[1::2]}
    for later in ("candidates", "pairs"):
        shutil.rmtree(work / "reuse" / later)
    for leftover in (on_ray.with_name(on_ray.name + "-wal"), on_ray.with_name(on_ray.name + "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(base, on_ray)
    assert pairs(on_ray, "--engine", "ray", "--work", str(work), address=cluster) == expected
    assert all(path.stat().st_mtime_ns == then for path, then in untouched.items())
    assert len(list(votes.glob("df-*.npy"))) == len(vote_files) and not list(votes.glob(".*.partial"))

    results = ("reuse_pairs", "reuse_fingerprints")
    assert load(copy, work)[:2] == (0, {"reuse": "loaded"})
    for table in results:
        assert rows_of(copy, table) == rows_of(on_ray, table), table
    assert load(copy, work)[:2] == (0, {"reuse": "already"})
    assert rows_of(copy, "reuse_pairs") == rows_of(on_ray, "reuse_pairs")

    other = tmp_path / "other.db"
    assert cli(other, "ingest", str(SEEDS)).returncode == 0
    code, outcomes, said = load(other, work)
    assert (code, outcomes) == (1, {"reuse": "refused"})
    assert "where this store holds others" in said
    assert all(not rows_of(other, table) for table in results)

    (work / "reuse" / "pairs" / "_DONE").unlink()
    unfinished = Path(shutil.copy(base, tmp_path / "unfinished.db"))
    code, outcomes, said = load(unfinished, work)
    assert (code, outcomes) == (1, {"reuse": "unfinished"})
    assert "stage pairs is not finished" in said and not rows_of(unfinished, "reuse_pairs")

    # new articles: the second run compares them with all stored, as a second local run does
    local = Path(shutil.copy(local_run[0], tmp_path / "local-run.db"))  # its pairs found: a run grows them
    for db in (local, on_ray):
        assert cli(db, "ingest", str(rest)).returncode == 0
    grown = pairs(local)
    assert len(grown) > len(expected)
    assert pairs(on_ray, "--engine", "ray", address=cluster) == grown


def claims(db: Path, *engine: str, address: str | None = None) -> list[dict[str, object]]:
    done = cli(db, *engine, "claims", "--json", address=address)
    assert done.returncode == 0, done.stderr[-3000:]
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


def test_ray_claims_equal_the_local_engines_then_grow_alike(cluster: str, tmp_path: Path) -> None:
    """Every article's claims, citations (kind, relay) and entities, exactly as the local run
    stores them; then, after new articles, only those are extracted, as locally."""
    lines = BBC.read_text().splitlines(keepends=True)
    (tmp_path / "first.jsonl").write_text("".join(lines[:150]))
    (tmp_path / "rest.jsonl").write_text("".join(lines[150:210]))
    local, on_ray = tmp_path / "local.db", tmp_path / "ray.db"
    assert cli(local, "ingest", str(tmp_path / "first.jsonl"), str(SEEDS)).returncode == 0
    shutil.copy(local, on_ray)
    expected = claims(local)
    assert sum(len(e["claims"]) for e in expected) > 1000  # type: ignore[arg-type]
    before = Path(shutil.copy(on_ray, tmp_path / "before.db"))
    work = on_ray.with_name(on_ray.name + ".work")
    # killed once its articles are written: the run that resumes does not write them again
    killed_after(on_ray, work, work / "claims" / "articles", ["claims"], cluster)
    kept = (work / "claims" / "articles" / "_DONE").stat().st_mtime_ns
    assert not (work / "claims" / "evidence" / "_DONE").exists()
    assert claims(on_ray, "--engine", "ray", address=cluster) == expected
    assert (work / "claims" / "articles" / "_DONE").stat().st_mtime_ns == kept
    # the run's folder loaded into a copy of the store made before it: the same evidence stored
    assert load(before, work)[:2] == (0, {"claims": "loaded"})
    for table in ("claims", "citations", "entities"):
        assert rows_of(before, table) == rows_of(on_ray, table), table
    for db in (local, on_ray):
        assert cli(db, "ingest", str(tmp_path / "rest.jsonl")).returncode == 0
    grown = claims(local)
    assert len(grown) > len(expected)
    assert claims(on_ray, "--engine", "ray", address=cluster) == grown
    assert sum(1 for _ in (work / "claims" / "articles").glob("*.parquet")) == 1  # only the new stories


def stored_articles(db: Path) -> list[tuple[object, ...]]:
    """Every stored article, field for field, in store order (the time of storing left out)."""
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT seq, id, url, outlet, title, published, language, text, raw, source, removed, marks, "
            "provenance FROM articles ORDER BY seq"
        ).fetchall()


def test_ray_ingest_stores_what_the_local_engine_stores_with_the_same_errors(
    cluster: str, corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    """Every article in the same order with the same cleaning and metadata, the same one-line
    errors and summary, the same exit code; a second run over the same inputs stores nothing new."""
    lines = corpus[1].read_text().splitlines()
    rest, bad = tmp_path / "rest.jsonl", tmp_path / "bad.jsonl"
    rest.write_text("\n".join(lines[2:300]) + "\n")
    bad.write_text("\n".join([lines[0], "{not json", '{"url": "https://x.example/1"}', lines[1]]) + "\n")
    inputs = [str(SEEDS), str(rest), str(bad), str(tmp_path / "missing.txt")]
    local = cli(tmp_path / "local.db", "ingest", *inputs)
    work = tmp_path / "work"
    # killed once the inputs are read: the run that resumes reads its errors from what was written
    killed_after(tmp_path / "ray.db", work, work / "ingest" / "documents", ["ingest", *inputs], cluster)
    kept = (work / "ingest" / "documents" / "_DONE").stat().st_mtime_ns
    assert not (work / "ingest" / "prepared" / "_DONE").exists()
    on_ray = cli(
        tmp_path / "ray.db", "--engine", "ray", "--work", str(work), "ingest", *inputs, address=cluster
    )
    assert local.returncode == on_ray.returncode == 1
    assert (work / "ingest" / "documents" / "_DONE").stat().st_mtime_ns == kept  # not read again
    errors = [line for line in local.stderr.splitlines() if "error:" in line or "Ingested" in line]
    assert len(errors) == 4 and errors == [
        line for line in on_ray.stderr.splitlines() if "error:" in line or "Ingested" in line
    ]
    assert stored_articles(tmp_path / "ray.db") == stored_articles(tmp_path / "local.db")
    again = cli(tmp_path / "ray.db", "--engine", "ray", "ingest", *inputs, address=cluster)
    assert "0 new" in again.stderr and stored_articles(tmp_path / "ray.db") == stored_articles(
        tmp_path / "local.db"
    )

    # What the progress bar is told: the stages, the shards of `prepared` as they are written
    # (here the one a kill inside the stage left unwritten), then the articles stored.
    prepared = work / "ingest" / "prepared"
    (prepared / "_DONE").unlink()
    redone = sorted(prepared.glob("*.parquet"))[-1]
    redone.unlink()
    seen: list[tuple[str, int, int]] = []
    with Store(tmp_path / "ray.db") as store:
        report = ray_ingest.ingest(
            iter_documents(inputs), store, work, cluster, inputs, on_stage=lambda *call: seen.append(call)
        )
    shards_total = len(list(prepared.glob("*.parquet")))
    assert seen == [
        ("documents", 1, 2),
        ("prepared (shards)", shards_total - 1, shards_total),
        ("prepared (shards)", shards_total, shards_total),
        ("prepared", 2, 2),
        ("storing", 0, 0),
    ]
    assert report.new == 0 and redone.exists()


def test_ray_narratives_equal_the_local_engines_then_grow_alike(cluster: str, tmp_path: Path) -> None:
    """Real articles of nine narratives in many languages (a ninth of realnews) against their real
    catalogue: the narratives, their confident and review members, debunks and probabilities, as
    the local run makes them; then again after more articles, matched in a second run (killed
    once, and resumed) that matches only those."""
    if not REALNEWS.exists():
        pytest.skip(f"the realnews corpus is not at {REALNEWS}")
    lines = (REALNEWS / "export.jsonl").read_text().splitlines(keepends=True)
    rest = lines[4::18]
    (tmp_path / "first.jsonl").write_text("".join(lines[0::9]))  # every narrative, most languages
    (tmp_path / "rest.jsonl").write_text("".join(rest))
    local, on_ray = tmp_path / "local.db", tmp_path / "ray.db"
    assert cli(local, "ingest", str(tmp_path / "first.jsonl"), str(SEEDS)).returncode == 0
    assert cli(local, "catalogue", "import", str(REALNEWS / "catalogue.csv")).returncode == 0
    shutil.copy(local, on_ray)

    def narratives(db: Path, *engine: str) -> list[dict[str, object]]:
        done = cli(db, *engine, "narratives", "--json", address=cluster)
        assert done.returncode == 0, done.stderr[-3000:]
        found: list[dict[str, object]] = json.loads(done.stdout)
        return found

    expected = narratives(local)
    assert sum(len(n["articles"]) + len(n["review"]) for n in expected) >= 8  # type: ignore[arg-type]
    before = Path(shutil.copy(on_ray, tmp_path / "before.db"))
    assert narratives(on_ray, "--engine", "ray") == expected
    # the run's folder loaded into a copy of the store made before it: the same matches stored
    work = on_ray.with_name(on_ray.name + ".work")
    assert load(before, work)[:2] == (0, {"reuse": "loaded", "narratives": "loaded"})
    assert rows_of(before, "narrative_matches") == rows_of(on_ray, "narrative_matches")
    for db in (local, on_ray):
        assert cli(db, "ingest", str(tmp_path / "rest.jsonl")).returncode == 0
    grown = narratives(local)
    assert grown != expected
    # killed once its articles are written (the run's first local step done): resumed alike
    shutil.rmtree(work)  # the first run's folder, loaded: its markers must not stop the kill early
    killed_after(on_ray, work, work / "narratives" / "articles", ["narratives"], cluster)
    kept = (work / "narratives" / "articles" / "_DONE").stat().st_mtime_ns
    assert not (work / "narratives" / "matches" / "_DONE").exists()
    assert narratives(on_ray, "--engine", "ray") == grown
    assert (work / "narratives" / "articles" / "_DONE").stat().st_mtime_ns == kept
    written = sum(shards.row_count(p) for p in (work / "narratives" / "articles").glob("*.parquet"))
    assert written == len(rest)  # only the new articles were matched


def test_a_stage_of_tasks_reports_its_shards_as_they_are_written(cluster: str, tmp_path: Path) -> None:
    """What the progress bar shows inside a stage: the shards a killed run had written count at
    once, then those written since, as tasks end; between stages, the stages done."""

    def write(target: str, text: str) -> None:
        Path(target).write_text(text)

    folder = WorkFolder(tmp_path / "analysis")
    out = folder.root / "written"
    out.mkdir(parents=True)
    (out / "0").write_text("from the killed run")
    jobs = [(out / str(n), (f"shard {n}",)) for n in range(5)]
    seen: list[tuple[str, int, int]] = []
    folder.run(
        [("written", lambda: shards.run(ray, write, jobs, folder.shards_done))],
        lambda *call: seen.append(call),
    )
    shown = [done for stage, done, total in seen[:-1] if stage == "written (shards)" and total == 5]
    assert len(shown) == len(seen) - 1 and shown[0] == 1 and shown[-1] == 5 and shown == sorted(shown)
    assert seen[-1] == ("written", 1, 1)
    assert (out / "0").read_text() == "from the killed run" and (out / "4").read_text() == "shard 4"


def test_without_the_extra_the_ray_engine_says_how_to_install_it(tmp_path: Path) -> None:
    """As on a laptop install (`make demo` installs no Ray): a `ray` that cannot be imported."""
    hidden = tmp_path / "no-ray" / "ray"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('not installed')\n")
    db = tmp_path / "x.db"
    assert cli(db, "ingest", str(SEEDS)).returncode == 0
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hidden.parent), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(db), "--engine", "ray", "reuse"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "pip install 'narratrace[ray]'" in done.stderr and "Traceback" not in done.stderr
