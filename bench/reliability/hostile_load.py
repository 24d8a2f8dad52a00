"""Normal use of the web UI beside hostile clients: does `narratrace serve` stay responsive?

The database: the seeds, the 2,225 BBC stories and the example catalogue through `analyze`. Then
`narratrace serve` runs as a user starts it, and a bounded loopback load (--requests over
--clients keep-alive clients: the narratives page, a narrative's JSON, an article page, a search)
is timed twice: alone, then beside hostile clients:

- slow headers: --slow connections that each send a request line and then one header byte a
  second, never finishing, each replaced by a new one when the server cuts it off (slowloris);
- a 1 MB match: one client posting a 1 MB text to /api/match, again as soon as it is answered.

Target (issue 22): the p95 of the normal requests beside the hostile clients within 2x of the
quiet run's, with no normal request failing.

    python -m bench.reliability.hostile_load [--requests 2500] [--clients 8] [--slow 50]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.common import BBC, save
from bench.speed.serve import CATALOGUE, EXE, SEEDS, load, serving

TARGET_RATIO = 2.0


def build(db: Path) -> None:
    subprocess.run(
        [*EXE, "--db", str(db), "catalogue", "import", str(CATALOGUE)], check=True, capture_output=True
    )
    subprocess.run(
        [*EXE, "--db", str(db), "analyze", str(SEEDS), str(BBC), "--report", str(db.with_suffix(".html"))],
        check=True,
        capture_output=True,
    )


def normal_load(base: str, requests: int, clients: int) -> dict[str, float]:
    narrative = httpx.get(base + "/api/narratives", timeout=60).json()[0]["id"]
    article = httpx.get(f"{base}/api/narratives/{narrative}", timeout=60).json()["articles"][0]
    pages: list[Callable[[httpx.Client], httpx.Response]] = [
        lambda c: c.get(base + "/"),
        lambda c: c.get(f"{base}/api/narratives/{narrative}"),
        lambda c: c.get(f"{base}/articles/{article}"),
        lambda c: c.get(base + "/search", params={"q": "helicopters Hasakah"}),
    ]
    turn = iter(range(10**9))
    lock = threading.Lock()

    def mixed(client: httpx.Client) -> httpx.Response:
        with lock:
            n = next(turn)
        return pages[n % len(pages)](client)

    return load(mixed, requests, 600.0, clients)


class Hostile:
    """Slow-header connections and a 1 MB match client, until stopped."""

    def __init__(self, base: str, slow: int) -> None:
        self.base, self.slow = base, slow
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.matches: list[int] = []  # status codes the 1 MB match got
        self.slow_cut = 0  # slow connections the server cut off
        self.slow_held_s = 0.0  # the longest the server held one

    def __enter__(self) -> Hostile:
        self.threads = [threading.Thread(target=self._slow_headers), threading.Thread(target=self._big_match)]
        for thread in self.threads:
            thread.start()
        time.sleep(2)  # let them take hold
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _slow_headers(self) -> None:
        host, port = self.base.removeprefix("http://").split(":")

        def opened() -> tuple[socket.socket, float]:
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            return s, time.monotonic()

        sockets = [opened() for _ in range(self.slow)]
        while not self.stop.wait(1.0):
            for n, (s, since) in enumerate(sockets):
                try:
                    s.sendall(b"X")
                    if s.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK) == b"":
                        raise ConnectionResetError  # closed by the server
                except BlockingIOError:
                    continue  # open, nothing answered
                except OSError:
                    pass
                # answered or closed: the server cut it off, and a new one takes its place
                self.slow_cut += 1
                self.slow_held_s = max(self.slow_held_s, time.monotonic() - since)
                s.close()
                sockets[n] = opened()
        now = time.monotonic()
        self.slow_held_s = max([self.slow_held_s, *(now - since for _, since in sockets)])
        for s, _ in sockets:
            s.close()

    def _big_match(self) -> None:
        text = ("Helicopters evacuated militants from the prison near Hasakah at night. " * 15_000)[
            :1_000_000
        ]
        with httpx.Client(timeout=120) as client:
            while not self.stop.is_set():
                try:
                    self.matches.append(
                        client.post(self.base + "/api/match", data={"text": text}).status_code
                    )
                except httpx.HTTPError:
                    self.matches.append(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--slow", type=int, default=50, help="slow-header connections")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not BBC.exists():
        raise SystemExit(f"skipped: the BBC corpus is not at {BBC}")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "w.db"
        build(db)
        with serving(db) as base:
            httpx.get(base + "/", timeout=120)  # the first request groups the narratives
            quiet = normal_load(base, args.requests, args.clients)
            print(f"  quiet: {quiet}", flush=True)
            with Hostile(base, args.slow) as hostile:
                beside = normal_load(base, args.requests, args.clients)
            print(f"  beside hostile clients: {beside}", flush=True)
    result: dict[str, object] = {
        "quiet": quiet,
        "beside_hostile": beside,
        "p95_ratio": round(beside["p95_ms"] / max(quiet["p95_ms"], 1e-9), 2),
        "target_ratio": TARGET_RATIO,
        "big_match_answers": {
            str(code): hostile.matches.count(code) for code in sorted(set(hostile.matches))
        },
        "slow_connections_cut_off": hostile.slow_cut,
        "slow_connection_longest_held_s": round(hostile.slow_held_s, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(f"saved to {save('hostile_load', result)}")


if __name__ == "__main__":
    main()
