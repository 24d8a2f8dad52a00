"""`reuse` on a Ray cluster: the local engine's functions as Ray tasks over Parquet shards.

The stages, each written under `<work>/reuse/` (work.py), a file per shard written whole or not
at all, and a marker when the stage is complete: a killed run resumes from the last finished
stage, and inside the stage it was in, from the shards already written.

1. `articles`: the store's articles as Parquet shards of SHARD rows (the driver reads the SQLite
   store, which lives beside it).
2. `fingerprints`: a task per shard, with shingle.fingerprints_many; the task also writes its
   shard's articles as an uncompressed Arrow file (`fingerprints/texts/`), which the aligning
   tasks read rows from by memory map.
3. `buckets`: a task per fingerprint shard writes a file per hash bucket of the packed index
   entries (candidates.pack), as datatrove's MinHash stages do: the index is never one piece,
   and no all-to-all shuffle moves it.
4. `votes`: a task per bucket builds that bucket's part of the index and counts, with
   candidates.pair_votes, the fingerprints each pair of articles shares there (the
   document-frequency limit included: a fingerprint's articles are all in its bucket), and writes
   the bucket's part of the frequency table (a NumPy file, also read by memory map). Its votes
   are written a file per pair partition (the pair's key modulo the partitions), so that every
   bucket's votes for one pair meet in one partition.
5. `candidates`: a task per pair partition sums its pairs' votes over the buckets
   (candidates.chosen_pairs): no process holds every pair's votes.
6. `pairs`: a task per SHARD candidate pairs of a partition aligns them with pairs.compare, the
   local engine's function, taking the articles its pairs name from the Arrow files and looking
   fingerprints up in the frequency table's bucket files: neither the driver nor a task holds
   every article or the whole table, and the tasks of one node share the pages they read.

Then the pairs, the fingerprints and the run's markers go into the store, exactly as the local
engine leaves them, so that every command after it (report, web UI, exports, a later local run)
reads them as usual. No algorithm has a second implementation here: only the plumbing.

Plain tasks rather than Ray Data's `map_batches`: on this machine Ray Data took 8.6-15.5 s to
fingerprint 20,000 articles that take 3.2 s in one process, and tasks 3.6-4.0 s; tasks also name
their output files, which is what lets a stage resume shard by shard.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from narratrace.engine import shards
from narratrace.engine.work import WorkFolder
from narratrace.model import Reuse
from narratrace.reuse import run as local
from narratrace.reuse.candidates import (
    MAX_DOCUMENT_FREQUENCY,
    FingerprintIndex,
    FrequencyTable,
    chosen_pairs,
    pack,
    pair_votes,
)
from narratrace.reuse.pairs import compare
from narratrace.reuse.shingle import fingerprints_many, tokenize_many
from narratrace.store import Store
from narratrace.store import reuse as stored
from narratrace.store import state as analysis

SHARD = 2000  # articles per Parquet shard, candidate pairs per shard
BUCKETS = 16  # hash buckets of the fingerprint index
# Pair partitions: each bucket's votes are split by pair, and a task per partition sums a pair's
# votes from every bucket (the aligning tasks then take SHARD pairs each). One per
# PAIR_PART_ARTICLES articles, at most MAX_PAIR_PARTS; the votes stage writes buckets x partitions
# files (at 1M, one per 2,000 articles made 8,000 files and took 55 s against 25 s for one file
# per bucket).
PAIR_PART_ARTICLES = 16_000
MAX_PAIR_PARTS = 1024
# What the stages write: a work folder an earlier layout wrote is started again, not resumed
# (2: the articles as Arrow files and the frequency table as NumPy files, for the aligning tasks;
# 3: the votes split by pair partition, summed in tasks).
LAYOUT = 3

STAGES = ("articles", "fingerprints", "buckets", "votes", "candidates", "pairs")
Progress = Callable[[str, int, int], None]


def update(
    store: Store, work: Path, address: str | None, on_progress: Progress | None = None
) -> local.ReuseRun:
    """Bring the stored reuse pairs up to date with the stored articles, on Ray."""
    local.forget_if_changed(store)
    last_seq = int(analysis.state(store.db, local.LAST_SEQ) or 0)
    newest = store.newest_seq()
    if newest <= last_seq:
        return local.ReuseRun()
    folder = WorkFolder.made_for(
        work / "reuse",
        {
            "settings": local.settings().signature,
            "store": str(store.path.resolve()),
            "after": last_seq,
            "upto": newest,
            "layout": LAYOUT,
        },
    )
    ray = shards.connect(address)
    steps: list[Callable[[], None]] = [
        lambda: _write_articles(store, folder),
        lambda: _fingerprint(ray, folder),
        lambda: _bucket(ray, folder),
        lambda: _vote(ray, folder, last_seq),
        lambda: _choose(ray, folder),
        lambda: _align(ray, folder),
    ]
    folder.run(list(zip(STAGES, steps, strict=True)), on_progress)
    return load(store, folder, last_seq, newest)


def _write_articles(store: Store, folder: WorkFolder) -> None:
    """Every stored article with its row: its position in seq order, as the local index numbers them."""
    shards.write_articles(store, folder.folder("articles"), shards.ARTICLE_FIELDS, SHARD, numbered=True)


def _fingerprint_batch(batch: Any) -> Any:
    """The fingerprints of each article of a shard (rows kept), as an Arrow table."""
    import pyarrow as pa

    prints = fingerprints_many(batch.column("text").to_pylist())
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in prints]))).astype(np.int32)
    values = np.concatenate(prints) if prints else np.zeros(0, dtype=np.uint64)
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, type=pa.uint64()))
    return pa.table({"row": batch.column("row"), "prints": lists})


def _fingerprint_shard(target: str, source: str, texts: str) -> None:
    """A shard's fingerprints, after its articles as an Arrow file under `texts` (`target`, last,
    marks the shard done)."""
    articles = shards.read([Path(source)], ["row", *shards.ARTICLE_FIELDS])
    shards.write_arrow(articles, Path(texts) / Path(source).with_suffix(".arrow").name)
    shards.write(_fingerprint_batch(articles), Path(target))


def _fingerprint(ray: Any, folder: WorkFolder) -> None:
    target = folder.folder("fingerprints")
    texts = _texts(folder)
    texts.mkdir(exist_ok=True)
    jobs = [(target / p.name, (str(p), str(texts))) for p in folder.files("articles")]
    shards.run(ray, _fingerprint_shard, jobs, folder.shards_done)


def _texts(folder: WorkFolder) -> Path:
    return folder.folder("fingerprints") / "texts"


def _prints_of(table: Any) -> Iterator[tuple[int, np.ndarray]]:
    rows = table.column("row").to_numpy()
    lists = table.column("prints").combine_chunks()
    values = lists.values.to_numpy(zero_copy_only=False).astype(np.uint64)
    offsets = lists.offsets.to_numpy()
    for i, row in enumerate(rows.tolist()):
        yield int(row), values[offsets[i] : offsets[i + 1]]


def _bucket_of(values: np.ndarray) -> np.ndarray:
    """The bucket of each fingerprint, or of each index entry: from the high bits, which are the
    fingerprint's in an entry (its low bits are the row)."""
    return (values >> np.uint64(32)) % np.uint64(BUCKETS)


def _groups(labels: np.ndarray, count: int) -> list[np.ndarray]:
    """For each label 0..count-1, the positions that hold it, in order (one sort, not a pass over
    `labels` per label)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    return [order[bounds[n] : bounds[n + 1]] for n in range(count)]


def _bucket_shard(target: str, source: str) -> None:
    """One fingerprint shard's index entries, a file per bucket (`target` is written last: it
    marks the shard done)."""
    entries = [pack(prints, row) for row, prints in _prints_of(shards.read([Path(source)]))]
    keys = np.concatenate(entries) if entries else np.zeros(0, dtype=np.uint64)
    for b, at in enumerate(_groups(_bucket_of(keys), BUCKETS)):
        folder = Path(target).parent / f"{b:03d}"
        folder.mkdir(exist_ok=True)
        shards.write(shards.table({"key": keys[at]}), folder / Path(source).name)
    shards.write(shards.table({"key": np.zeros(0, dtype=np.uint64)}), Path(target))


def _bucket(ray: Any, folder: WorkFolder) -> None:
    target = folder.folder("buckets")
    jobs = [(target / f"done-{p.name}", (str(p),)) for p in folder.files("fingerprints")]
    shards.run(ray, _bucket_shard, jobs, folder.shards_done)


def _vote_bucket(target: str, bucket: str, is_new: np.ndarray, parts: int) -> None:
    """A bucket's part of the index: the votes of its shared fingerprints, a file per pair
    partition (the pair's key modulo `parts`), then (`target`, last) its part of the frequency
    table."""
    table = shards.read(sorted(Path(bucket).glob("*.parquet")))
    keys = table.column("key").to_numpy().astype(np.uint64) if table is not None else np.zeros(0, np.uint64)
    index = FingerprintIndex(np.sort(keys))
    pairs, counts = pair_votes(index, is_new, max_df=MAX_DOCUMENT_FREQUENCY)
    for p, at in enumerate(_groups(pairs % parts, parts)):
        folder = Path(target).parent / f"{p:04d}"
        folder.mkdir(exist_ok=True)
        shards.write(
            shards.table({"pair": pairs[at], "votes": counts[at]}), folder / f"{Path(bucket).name}.parquet"
        )
    # the bucket's part of the frequency table: its values, then their counts (each contiguous,
    # as a binary search needs)
    found = FrequencyTable.of(index)
    shards.write_array(np.stack([found.values, found.counts.astype(np.uint64)]), Path(target))


def _pair_parts(n_rows: int) -> int:
    """How many partitions the pairs' votes are split into."""
    return min(MAX_PAIR_PARTS, max(1, n_rows // PAIR_PART_ARTICLES))


def _vote(ray: Any, folder: WorkFolder, last_seq: int) -> None:
    seqs = shards.read(folder.files("articles"), ["row", "seq"]).sort_by("row").column("seq").to_numpy()
    is_new = ray.put(seqs > last_seq)
    target = folder.folder("votes")
    buckets = sorted(p for p in folder.folder("buckets").iterdir() if p.is_dir())
    parts = _pair_parts(len(seqs))
    jobs = [(target / f"df-{b.name}.npy", (str(b), is_new, parts)) for b in buckets]
    shards.run(ray, _vote_bucket, jobs, folder.shards_done)


def _choose_part(target: str, part: str, n_rows: int) -> None:
    """A pair partition's votes summed over the buckets: its candidate pairs (chosen_pairs)."""
    votes = shards.read(sorted(Path(part).glob("*.parquet")))
    chosen = chosen_pairs(votes.column("pair").to_numpy(), votes.column("votes").to_numpy(), n_rows)
    shards.write(shards.table({"a": chosen[:, 0], "b": chosen[:, 1]}), Path(target))


def _choose(ray: Any, folder: WorkFolder) -> None:
    n_rows = sum(shards.row_count(p) for p in folder.files("articles"))
    target = folder.folder("candidates")
    parts = sorted(p for p in folder.folder("votes").iterdir() if p.is_dir())
    jobs = [(target / f"part-{p.name}.parquet", (str(p), n_rows)) for p in parts]
    shards.run(ray, _choose_part, jobs, folder.shards_done)


class _Frequencies:
    """The frequency table as its bucket files, read by memory map: a fingerprint is looked up in
    its own bucket's part (`_bucket_of`, as `_bucket_shard` splits the index)."""

    def __init__(self, votes: Path) -> None:
        self.parts: list[FrequencyTable] = []
        for b in range(BUCKETS):
            rows = np.load(votes / f"df-{b:03d}.npy", mmap_mode="r")
            self.parts.append(FrequencyTable(rows[0], rows[1].view(np.int64)))

    def document_frequency(self, values: np.ndarray) -> np.ndarray:
        found = np.zeros(len(values), dtype=np.int64)
        for b, at in enumerate(_groups(_bucket_of(values), BUCKETS)):
            if len(at):
                found[at] = self.parts[b].document_frequency(values[at])
        return found


def _align_shard(target: str, source: str, part: int, texts: str, votes: str) -> None:
    """The `part`th SHARD candidate pairs of a partition aligned, with the articles its pairs name
    (each made a record only then) and the frequencies of their fingerprints."""
    candidates = shards.read([Path(source)]).slice(part * SHARD, SHARD)
    a_rows, b_rows = candidates.column("a").to_pylist(), candidates.column("b").to_pylist()
    order = sorted(set(a_rows) | set(b_rows))
    chosen = shards.rows_at(Path(texts), order, SHARD)
    found = {row: shards.article_of(values) for row, values in zip(order, chosen, strict=True)}
    tokens = dict(zip(order, tokenize_many([found[r].text for r in order]), strict=True))
    frequency = _Frequencies(Path(votes))
    rows = []
    for a, b in zip(a_rows, b_rows, strict=True):
        pair = compare(found[a], found[b], tokens[a], tokens[b], frequency.document_frequency)
        if pair is not None:
            rows.append(json.dumps(asdict(pair), ensure_ascii=False))
    shards.write(shards.table({"reuse": rows}, _pairs_schema()), Path(target))


def _align(ray: Any, folder: WorkFolder) -> None:
    target = folder.folder("pairs")
    texts, votes = str(_texts(folder)), str(folder.folder("votes"))
    # a task per SHARD pairs, not per partition: a task holds its pairs' articles and their tokens
    # (at 1M, 9,300 pairs a task took 3.4 GB a worker)
    jobs = [
        (target / f"{p.stem}-{part:04d}.parquet", (str(p), part, texts, votes))
        for p in folder.files("candidates")
        for part in range(max(1, -(-shards.row_count(p) // SHARD)))
    ]
    shards.run(ray, _align_shard, jobs, folder.shards_done)


def _pairs_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("reuse", pa.string())])


def load(store: Store, folder: WorkFolder, last_seq: int, newest: int) -> local.ReuseRun:
    """The run's fingerprints, pairs and markers into the store, in one transaction."""
    articles = shards.read(folder.files("articles"), ["row", "seq"])
    seq_of = dict(zip(articles.column("row").to_pylist(), articles.column("seq").to_pylist(), strict=True))
    pairs = shards.read(folder.files("pairs"))
    found = (
        [Reuse.from_dict(json.loads(r)) for r in pairs.column("reuse").to_pylist()]
        if pairs is not None
        else []
    )
    candidates = shards.read(folder.files("candidates"))
    with store.transaction() as db:
        for path in folder.files("fingerprints"):
            stored.save_fingerprints(
                db, ((seq_of[row], prints) for row, prints in _prints_of(shards.read([path])))
            )
        stored.save_pairs(db, found)
        analysis.set_state(db, local.FINGERPRINTED, str(newest))
        analysis.set_state(db, local.LAST_SEQ, str(newest))
    return local.ReuseRun(
        new_articles=sum(1 for seq in seq_of.values() if seq > last_seq),
        candidates=candidates.num_rows if candidates is not None else 0,
        pairs_found=len(found),
    )
