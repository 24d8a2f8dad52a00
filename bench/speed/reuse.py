"""Reuse speed and memory at 10k, 100k and 1M articles, against datasketch's MinHashLSH.

The corpus is synthetic news text: word sequences drawn from a bigram model of the BBC corpus
(../shared/corpus/bbc), so that n-gram statistics are those of news prose while articles
are distinct at any size; 1 % of articles each are planted as full copies (new prefix, 2-8 %
word edits, appended comments), partial copies (30-70 % of a source inside another article)
and shared 2-3 sentence passages. Stages timed: candidate generation (fingerprints, index,
candidate pairs) and alignment of the candidates; the baseline's candidate step (datasketch
MinHash with 128 permutations over the same 5-word shingles, MinHashLSH insert and query) runs
in the same process on the same texts, and both are scored for recall of the planted pairs.

    .venv/bin/python -m bench.speed.reuse [--sizes 10000 100000 1000000] [--baseline-max 100000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import bbc_rows, save
from narratrace.model import Article
from narratrace.reuse.candidates import FingerprintIndex, candidate_pairs
from narratrace.reuse.pairs import compare
from narratrace.reuse.shingle import SHINGLE_WORDS, fingerprints_many, tokenize_many

TARGETS = (
    "≥ 5x datasketch throughput at equal or better recall; ≥ 2,000 articles/s per core for "
    "candidates; ≥ 5,000 aligned pairs/s per core; 1M articles < 15 min and < 8 GB"
)


def bigram_model(rows: list[dict[str, str]]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Vocabulary and a CSR table of next-word distributions."""
    words = [re.findall(r"[\w'’.,]+", r["text"]) for r in rows]
    vocabulary = sorted({w for ws in words for w in ws})
    index = {w: i for i, w in enumerate(vocabulary)}
    counts: Counter[tuple[int, int]] = Counter()
    for ws in words:
        ids = [index[w] for w in ws]
        counts.update(itertools.pairwise(ids))
    pairs = sorted(counts.items())
    prev = np.array([p[0][0] for p in pairs])
    nxt = np.array([p[0][1] for p in pairs])
    weight = np.array([p[1] for p in pairs], dtype=np.float64)
    offsets = np.searchsorted(prev, np.arange(len(vocabulary) + 1))
    cumulative = np.zeros_like(weight)
    for v in range(len(vocabulary)):  # cumulative share within each row
        lo, hi = offsets[v], offsets[v + 1]
        if hi > lo:
            cumulative[lo:hi] = np.cumsum(weight[lo:hi]) / weight[lo:hi].sum()
    return vocabulary, offsets, nxt, cumulative


def generate(n: int, model: tuple[list[str], np.ndarray, np.ndarray, np.ndarray], seed: int) -> list[str]:
    vocabulary, offsets, nxt, cumulative = model
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary, dtype=object)
    texts: list[str] = []
    starts = np.flatnonzero(np.diff(offsets) > 0)
    for chunk in range(0, n, 20_000):
        size = min(20_000, n - chunk)
        length = 420
        current = rng.choice(starts, size=size)
        out = np.empty((size, length), dtype=np.int64)
        for step in range(length):
            out[:, step] = current
            lo, hi = offsets[current], offsets[current + 1]
            dead = hi <= lo
            u = rng.random(size)
            pick = np.empty(size, dtype=np.int64)
            live = ~dead
            # searchsorted inside each row's segment of the cumulative table
            pick[live] = _segment_search(cumulative, lo[live], hi[live], u[live])
            pick[dead] = rng.choice(starts, size=int(dead.sum()))
            current = np.where(dead, pick, nxt[np.minimum(pick, len(nxt) - 1)])
        lengths = rng.integers(250, length, size=size)
        texts.extend(" ".join(words[row[:k]]) for row, k in zip(out, lengths, strict=True))
    return texts


def _segment_search(cumulative: np.ndarray, lo: np.ndarray, hi: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Vectorised search of u in cumulative[lo:hi] for many segments at once (bisection)."""
    left, right = lo.copy(), hi - 1
    while True:
        active = left < right
        if not active.any():
            return left
        middle = (left + right) // 2
        go_right = active & (cumulative[middle] < u)
        left = np.where(go_right, middle + 1, left)
        right = np.where(active & ~go_right, middle, right)


def plant(texts: list[str], seed: int) -> dict[tuple[int, int], str]:
    """Turn 1 % of articles each into copies, partial copies and shared-passage hosts."""
    rng = random.Random(seed)
    n = len(texts)
    chosen = rng.sample(range(n), 6 * max(1, n // 100))
    truth: dict[tuple[int, int], str] = {}
    per_kind = len(chosen) // 6
    for k in range(per_kind):
        source, target = chosen[2 * k], chosen[2 * k + 1]
        kind = ("copy", "partial", "shared_passage")[k % 3]
        words = texts[source].split(" ")
        if kind == "copy":
            for _ in range(max(1, int(len(words) * rng.uniform(0.02, 0.08)))):
                words[rng.randrange(len(words))] = rng.choice(words)
            texts[target] = "Republished: " + " ".join(words) + " Comments: great post, share it!"
        elif kind == "partial":
            size = int(len(words) * rng.uniform(0.3, 0.7))
            start = rng.randrange(0, len(words) - size)
            host = texts[target].split(" ")
            texts[target] = " ".join(
                host[: len(host) // 2] + words[start : start + size] + host[len(host) // 2 :]
            )
        else:
            start = rng.randrange(0, len(words) - 60)
            host = texts[target].split(" ")
            texts[target] = " ".join(host[:100] + words[start : start + rng.randint(40, 60)] + host[100:])
        truth[(min(source, target), max(source, target))] = kind
    return truth


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ours(texts: list[str], truth: dict[tuple[int, int], str]) -> dict[str, Any]:
    started = time.perf_counter()
    prints = (f for k in range(0, len(texts), 2000) for f in fingerprints_many(texts[k : k + 2000]))
    index = FingerprintIndex.build(prints)
    fingerprinted = time.perf_counter()
    pairs = candidate_pairs(index, np.ones(len(texts), dtype=bool))
    candidates_done = time.perf_counter()
    found = {(int(a), int(b)) for a, b in pairs}
    aligned = 0
    ordered = sorted(found)
    for k in range(0, len(ordered), 2000):  # as narratrace's run does: a batch of pairs at a time
        chunk = ordered[k : k + 2000]
        members = sorted({i for pair in chunk for i in pair})
        tokens = dict(zip(members, tokenize_many([texts[i] for i in members]), strict=True))
        articles = {i: Article(id=str(i), text=texts[i], raw="", source="bench") for i in members}
        for a, b in chunk:
            if compare(articles[a], articles[b], tokens[a], tokens[b]) is not None:
                aligned += 1
    done = time.perf_counter()
    return {
        "fingerprint_and_index_s": fingerprinted - started,
        "candidates_s": candidates_done - fingerprinted,
        "candidate_rate": len(texts) / (candidates_done - started),
        "candidates": len(found),
        "align_s": done - candidates_done,
        "aligned_pairs": aligned,
        "align_rate": len(found) / max(done - candidates_done, 1e-9),
        "total_s": done - started,
        "recall": _recall(found, truth),
    }


def datasketch_baseline(
    texts: list[str], truth: dict[tuple[int, int], str], threshold: float
) -> dict[str, Any]:
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    found: set[tuple[int, int]] = set()
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        shingles = {
            " ".join(words[k : k + SHINGLE_WORDS]).encode() for k in range(len(words) - SHINGLE_WORDS + 1)
        }
        signature = MinHash(num_perm=128)
        signature.update_batch(list(shingles))
        for other in lsh.query(signature):
            found.add((int(other), i))
        lsh.insert(i, signature)
    elapsed = time.perf_counter() - started
    return {
        "threshold": threshold,
        "candidate_rate": len(texts) / elapsed,
        "candidates": len(found),
        "total_s": elapsed,
        "recall": _recall(found, truth),
    }


def _recall(found: set[tuple[int, int]], truth: dict[tuple[int, int], str]) -> dict[str, float]:
    by_kind: dict[str, list[bool]] = {}
    for pair, kind in truth.items():
        by_kind.setdefault(kind, []).append(pair in found)
    return {k: sum(v) / len(v) for k, v in by_kind.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--baseline-max", type=int, default=100_000, help="largest size datasketch runs on")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.3])
    args = parser.parse_args()
    model = bigram_model(bbc_rows())
    sizes: dict[str, dict[str, Any]] = {}
    results: dict[str, object] = {"targets": TARGETS, "sizes": sizes}
    for n in args.sizes:
        started = time.perf_counter()
        texts = generate(n, model, seed=n)
        truth = plant(texts, seed=n)
        base_rss = rss_mb()
        print(
            f"\n{n:,} articles generated in {time.perf_counter() - started:.0f}s "
            f"({len(truth)} planted pairs, {base_rss:.0f} MB with the corpus)",
            flush=True,
        )
        entry: dict[str, Any] = {
            "ours": ours(texts, truth),
            "rss_with_corpus_mb": base_rss,
            "peak_mb": peak_mb(),
        }
        mine = entry["ours"]
        print(
            f"  narratrace: candidates {mine['candidate_rate']:,.0f} articles/s, {mine['candidates']:,} "
            f"candidates, align {mine['align_rate']:,.0f} pairs/s, total {mine['total_s']:.0f}s, "
            f"recall {mine['recall']}, peak {entry['peak_mb']:.0f} MB",
            flush=True,
        )
        if n <= args.baseline_max:
            for threshold in args.thresholds:
                base = datasketch_baseline(texts, truth, threshold)
                entry[f"datasketch_{threshold}"] = base
                ratio = float(mine["candidate_rate"]) / float(base["candidate_rate"])
                print(
                    f"  datasketch MinHashLSH(threshold={threshold}): "
                    f"{base['candidate_rate']:,.0f} articles/s, recall {base['recall']}, "
                    f"speed ratio {ratio:.1f}x",
                    flush=True,
                )
        sizes[str(n)] = entry
        del texts
    print("\ntargets:", TARGETS)
    print("saved", save("reuse", results))


if __name__ == "__main__":
    main()
