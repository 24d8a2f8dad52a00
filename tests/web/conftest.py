"""A real server process on loopback over a real database of the seeds (and one hostile article)."""

from __future__ import annotations

import json
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

SECOND_CASE = (
    '"issue";"date";"outlet";"title";"summary";"disproof"\n'
    '"90";"21.11.2017";"News Front";"US helicopters evacuate ISIS members in Syria";'
    '"American helicopters took Daesh commanders out of Deir ez-Zor before the Syrian army arrived.";'
    '"No evidence given; the coalition has fought ISIS in Syria since 2014."\n'
)
FACT_CHECK = {
    "title": "Fact check: no evidence US helicopters evacuated ISIS fighters from Hasakah",
    "text": "Claims that US helicopters evacuated ISIS members from a prison in Hasakah are circulating "
    "again. Our verdict: false. The stories rely on unnamed local sources and recycled videos of "
    "routine coalition flights, and no evidence supports them.",
    "outlet": "FactCheck Desk",
    "published": "2022-02-03",
    "url": "https://factcheck.example/us-helicopters-isis-hasakah",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(db: Path, *extra: str, log: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """A server on a free port; what it prints goes to `log` when given."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "narratrace", "--db", str(db), "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log else subprocess.DEVNULL,
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
    # a second case of the first entry's claim, as a semicolon export files it: one narrative
    second = root / "second_case.csv"
    second.write_text(SECOND_CASE, encoding="utf-8")
    subprocess.run(
        [*run, "catalogue", "import", str(CATALOGUE), str(second)], check=True, capture_output=True
    )
    # a fact-check of that claim, linked to its narrative as a debunk
    checks = root / "fact_check.jsonl"
    checks.write_text(json.dumps(FACT_CHECK) + "\n", encoding="utf-8")
    subprocess.run([*run, "ingest", str(checks)], check=True, capture_output=True)
    subprocess.run(
        [*run, "analyze", str(SEEDS), "--discover", "--report", str(root / "r.html")],
        check=True,
        capture_output=True,
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
