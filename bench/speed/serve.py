"""Web UI and API speed on a database of 100,000 articles: requests/s and latency, on loopback.

The database: the five seeds, the 2,225 BBC articles and the example catalogue go through the
real commands (`analyze`: ingest, reuse, narratives, claims). Then BBC articles, numbered so each
is distinct, are added up to --articles with `ingest`; their narrative matches are stored as
"no match" directly rather than computed (what `narratives` would store for BBC news, which no
catalogue entry matches: bench/quality/checkthat.py and the narrative tests measure matching itself), so
building the database takes minutes, not the hour a full run would.

Then `narratrace serve` runs as a user starts it, and a load generator on loopback (threads
with keep-alive connections, bounded by --requests and --seconds per endpoint) times:
the narratives list, a narrative page and its JSON twin, an article page, a search, and the
match API with a one-sentence claim and with a whole article.

The example catalogue has six entries, so a claim there rarely needs the second stage of
matching. `--checkthat DB2` also times the match API where it does: a copy of the database with
the 14,231 CheckThat! 2022 verified claims imported as ClaimReview (DB2 is built once and reused),
asked for the 209 test tweets in turn.

    .venv/bin/python -m bench.speed.serve [--articles 100000] [--requests 400] [--concurrency 4]
        [--db DB] [--checkthat DB2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx

from bench.common import REPO, numbered_articles, save
from bench.data.checkthat import load_2022

EXE = [sys.executable, "-m", "narratrace"]
SEEDS = REPO / "examples" / "seeds"
CATALOGUE = REPO / "examples" / "catalogue.csv"
CLAIM = "US helicopters evacuated Daesh members from a prison in Hasakah"
PAGE_P95_MS = 100.0
MATCH_RPS = 100.0


def build(db: Path, articles: int, workdir: Path) -> None:
    def run(*args: str) -> None:
        subprocess.run([*EXE, "--db", str(db), *args], check=True, capture_output=True)

    bbc = workdir / "bbc.jsonl"
    rest = workdir / "rest.jsonl"
    with bbc.open("w") as first, rest.open("w") as second:
        for i, row in numbered_articles(max(articles - 5, 2225)):
            record = json.dumps({"title": row["title"], "text": row["text"], "outlet": "BBC"})
            (first if i < 2225 else second).write(record + "\n")
    run("catalogue", "import", str(CATALOGUE))
    run("analyze", str(SEEDS), str(bbc), "--report", str(workdir / "report.html"))
    run("ingest", str(rest))
    with closing(sqlite3.connect(db)) as con, con:
        con.execute(
            "INSERT OR IGNORE INTO narrative_matches (article, entry, score, sentence, fact_check) "
            "SELECT id, NULL, NULL, '', 0 FROM articles"
        )
        last = con.execute("SELECT MAX(seq) FROM articles").fetchone()[0]
        con.execute("UPDATE analysis_state SET value = ? WHERE name = 'narratives.last_seq'", (str(last),))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def load(
    request: Callable[[httpx.Client], httpx.Response], total: int, seconds: float, concurrency: int
) -> dict[str, float]:
    """Send up to `total` requests (or for `seconds`) from `concurrency` threads; latency in ms."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    sent = 0

    def worker() -> None:
        nonlocal failures, sent
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    if sent >= total or time.perf_counter() > deadline:
                        return
                    sent += 1
                started = time.perf_counter()
                response = request(client)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    failures += response.status_code != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "failures": failures,
        "rps": len(ordered) / wall,
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--seconds", type=float, default=60.0, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--db", type=Path, help="reuse a database this script built before")
    parser.add_argument(
        "--checkthat", type=Path, help="also time matching against CheckThat! claims in this copy of the db"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "serve.db"
        if not db.exists():
            started = time.perf_counter()
            build(db, args.articles, Path(tmp))
            print(f"database of {args.articles:,} articles built in {time.perf_counter() - started:,.0f} s")
        with serving(db) as base:
            results = measure(base, args)
        if args.checkthat:
            if not args.checkthat.exists():
                started = time.perf_counter()
                with_checkthat(db, args.checkthat, Path(tmp))
                print(f"copy with the CheckThat! catalogue built in {time.perf_counter() - started:,.0f} s")
            with serving(args.checkthat) as base:
                results.update(measure_checkthat(base, args))
    save("serve", {"articles": args.articles, "concurrency": args.concurrency, **results})


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """`narratrace serve` on a free loopback port, answering; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [*EXE, "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def with_checkthat(db: Path, copy: Path, workdir: Path) -> None:
    """A copy of `db` with the CheckThat! 2022 verified claims imported as ClaimReview."""
    entries, _, _ = load_2022()
    reviews = [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"https://checkthat.example/vclaim/{e.id}",
            "name": e.title,
            "claimReviewed": e.claim,
            "description": e.summary,
        }
        for e in entries
    ]
    catalogue = workdir / "checkthat.json"
    catalogue.write_text(json.dumps(reviews))
    shutil.copyfile(db, copy)
    subprocess.run([*EXE, "--db", str(copy), "catalogue", "import", str(catalogue)], check=True)


def measure_checkthat(base: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    _, queries, _ = load_2022()
    tweets = itertools.cycle([text for _, text in queries])
    lock = threading.Lock()

    def next_tweet() -> str:
        with lock:
            return next(tweets)

    httpx.post(base + "/api/match", data={"text": CLAIM}, timeout=600)  # loads the index once
    name = "api: match, 14k-claim catalogue"
    found = load(
        lambda c: c.post(base + "/api/match", data={"text": next_tweet()}),
        args.requests,
        args.seconds,
        args.concurrency,
    )
    print_row(name, found)
    return {name: found}


def measure(base: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    narrative = httpx.get(base + "/api/narratives", timeout=60).json()[0]["id"]
    article = httpx.get(f"{base}/api/narratives/{narrative}", timeout=60).json()["articles"][0]
    seed_text = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    httpx.post(base + "/api/match", data={"text": CLAIM}, timeout=120)  # loads the index once
    endpoints: dict[str, Callable[[httpx.Client], httpx.Response]] = {
        "page: narratives list": lambda c: c.get(base + "/"),
        "page: narrative": lambda c: c.get(f"{base}/narratives/{narrative}"),
        "api: narrative": lambda c: c.get(f"{base}/api/narratives/{narrative}"),
        "page: article": lambda c: c.get(f"{base}/articles/{article}"),
        "page: search": lambda c: c.get(base + "/search", params={"q": "helicopters Hasakah"}),
        "api: match, one claim": lambda c: c.post(base + "/api/match", data={"text": CLAIM}),
        "api: match, whole article": lambda c: c.post(base + "/api/match", data={"text": seed_text}),
    }
    results = {}
    print(f"{'endpoint':28} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for name, request in endpoints.items():
        request(httpx.Client(timeout=60))  # warm
        found = load(request, args.requests, args.seconds, args.concurrency)
        results[name] = found
        print_row(name, found)
    print(f"targets: pages p95 <= {PAGE_P95_MS:.0f} ms; match API >= {MATCH_RPS:.0f} requests/s")
    return results


def print_row(name: str, found: dict[str, float]) -> None:
    print(
        f"{name:28} {found['requests']:8.0f} {found['failures']:6.0f} {found['rps']:7.1f} "
        f"{found['p50_ms']:7.1f} {found['p95_ms']:7.1f}"
    )


if __name__ == "__main__":
    main()
