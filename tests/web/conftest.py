"""A real server process on loopback over a real database of the seeds (and one hostile article)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.conftest import SEEDS

from narratrace.model import Article
from narratrace.store import Store

CATALOGUE = Path(__file__).parent.parent / "narratives" / "fixtures" / "euvsdisinfo.csv"
HOSTILE = (
    'Hostile page <script>alert("x")</script> with <img src=x onerror="alert(1)"> and '
    '<a href="javascript:alert(2)">a link</a>, long enough to be stored as an article.'
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(db: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "narratrace", "--db", str(db), "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/openapi.json", timeout=1)
            return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@pytest.fixture(scope="package")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web")
    db = root / "w.db"
    run = [sys.executable, "-m", "narratrace", "--db", str(db)]
    subprocess.run([*run, "catalogue", "import", str(CATALOGUE)], check=True, capture_output=True)
    subprocess.run(
        [*run, "analyze", str(SEEDS), "--report", str(root / "r.html")], check=True, capture_output=True
    )
    with Store(db) as store:  # an article whose text carries markup, stored as it came
        store.add_articles(
            [
                Article(
                    id="hostile0000000000",
                    text=HOSTILE,
                    raw=HOSTILE,
                    source="hostile.txt",
                    title="<b onmouseover=alert(3)>bold</b>",
                )
            ]
        )
    return db


@pytest.fixture(scope="package")
def server(database: Path) -> Iterator[str]:
    process, base = start(database)
    yield base
    process.terminate()
    process.wait(10)
