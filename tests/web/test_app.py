"""The web UI and API against a real server process on loopback, with a real database."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import SEEDS
from tests.web.conftest import start

from narratrace.claims import service as claims_service
from narratrace.narratives import service
from narratrace.store import Store
from narratrace.web.app import create_app
from narratrace.web.server import BODY_SECONDS, HEADER_SECONDS


def test_pages_and_their_json_twins(server: str) -> None:
    home = httpx.get(server + "/")
    assert home.status_code == 200 and "catalogue:EVD-0001" in home.text
    (narrative,) = httpx.get(server + "/api/narratives").json()
    page = httpx.get(f"{server}/narratives/{narrative['id']}")
    assert page.status_code == 200 and "<svg" in page.text
    twin = httpx.get(f"{server}/api/narratives/{narrative['id']}").json()
    assert len(twin["members"]) == 5
    sputnik = next(m for m in twin["members"] if m["outlet"] == "Sputnik")
    article = httpx.get(f"{server}/articles/{sputnik['id']}")
    assert article.status_code == 200 and 'class="reused"' in article.text and "removed spans" in article.text
    data = httpx.get(f"{server}/api/articles/{sputnik['id']}").json()
    assert data["pairs"][0]["kind"] == "copy" and data["removed"]
    assert httpx.get(server + "/api/articles/nope").status_code == 404


def test_search_and_match(server: str) -> None:
    hits = httpx.get(server + "/api/search", params={"q": "Iraqi media"}).json()
    assert len(hits) == 2 and "<mark>Iraqi" in hits[0]["snippet"]
    assert "<mark>" in httpx.get(server + "/search", params={"q": "Hasakah prison"}).text
    seed = next(SEEDS.glob("003_*.txt")).read_text()
    found = httpx.post(server + "/api/match", data={"text": seed, "k": "3"}).json()
    assert found["matches"][0]["id"] == "EVD-0001" and found["matches"][0]["evidence"]
    assert found["matches"][0]["narrative"] == "catalogue:EVD-0001" and len(found["matches"]) <= 3
    form = httpx.post(server + "/match", files={"file": ("a.txt", seed.encode())}, data={"text": ""})
    assert form.status_code == 200 and "US helicopters evacuate ISIS members in Syria" in form.text
    lede = (Path(__file__).parents[1] / "narratives" / "fixtures" / "mh17_verdict_lede.txt").read_text()
    # an article is judged on its lede and headline: likelier to push the claim under a headline
    # that states it than under one that names the event
    news = {"text": lede, "headline": "Dutch court convicts three men of murder over MH17"}
    claim = {"text": lede, "headline": "MH17 was shot down by a Ukrainian fighter jet, witnesses say"}
    as_news = httpx.post(server + "/api/match", data=news).json()["matches"]
    best = httpx.post(server + "/api/match", data=claim).json()["matches"][0]
    assert best["id"] == "EVD-0005" and best["evidence"][-1]["input_sentence"] == claim["headline"]
    assert best["status"] in ("confident", "review")
    assert best["probability"] > next((m["probability"] for m in as_news if m["id"] == "EVD-0005"), 0.0)
    page = httpx.post(server + "/match", data=claim).text
    assert claim["headline"] in page and best["status"] in page
    too_big = httpx.post(server + "/api/match", files={"file": ("big.txt", b"x" * (3 * 1024 * 1024))})
    assert too_big.status_code == 413 and "limit" in too_big.json()["detail"]


def test_untrusted_text_is_inert_in_pages_and_snippets(server: str) -> None:
    page = httpx.get(server + "/articles/hostile0000000000").text
    assert "<script>" not in page and "onerror=" not in page.replace("onerror=&#34;", "")
    assert 'href="javascript:' not in page and "&lt;script&gt;" in page
    snippet = httpx.get(server + "/api/search", params={"q": "hostile"}).json()[0]["snippet"]
    assert "<script>" not in snippet and "<img" not in snippet


def test_openapi_lists_every_json_twin(server: str) -> None:
    paths = set(httpx.get(server + "/openapi.json").json()["paths"])
    assert {
        "/api/narratives",
        "/api/narratives/{narrative_id}",
        "/api/articles/{article_id}",
        "/api/search",
        "/api/match",
        "/api/candidates",
    } <= paths


TOKEN = "a-token-of-24-characters"


def test_token_required_when_set_and_for_other_addresses(database: Path) -> None:
    process, base = start(database, "--token", TOKEN)
    try:
        assert httpx.get(base + "/api/narratives").status_code == 401
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(base + "/api/narratives", headers=bearer).status_code == 200
        # the token in an address is never accepted: it would sit in logs and history
        assert httpx.get(base + "/api/narratives", params={"token": TOKEN}).status_code == 401
        # a browser is sent to sign in, gives the token once, and keeps a session cookie
        page = httpx.get(base + "/", headers={"accept": "text/html"})
        assert page.status_code == 303 and page.headers["location"] == "/login"
        with httpx.Client(base_url=base) as browser:
            assert browser.post("/login", data={"token": "wrong-token-wrong-token"}).status_code == 401
            signed_in = browser.post("/login", data={"token": TOKEN})
            assert signed_in.status_code == 303
            cookie = signed_in.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=strict" in cookie and TOKEN not in cookie
            assert browser.get("/", headers={"accept": "text/html"}).status_code == 200
            assert browser.get("/api/narratives").status_code == 200
    finally:
        process.terminate()
        process.wait(10)
    refused = subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(database), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "needs a token" in refused.stderr
    short = subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(database), "serve", "--token", "s3cret"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert short.returncode == 2 and "16 characters or more" in short.stderr


def test_other_hosts_cross_site_posts_and_framing_are_refused(server: str) -> None:
    assert httpx.get(server + "/api/narratives", headers={"host": "evil.example"}).status_code == 400
    page = httpx.get(server + "/")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["x-frame-options"] == "DENY"
    cross = httpx.post(server + "/match", data={"text": "x"}, headers={"origin": "http://evil.example"})
    assert cross.status_code == 403
    same = httpx.post(server + "/match", data={"text": "US helicopters"}, headers={"origin": server})
    assert same.status_code == 200


def test_documented_limits_are_the_real_ones(server: str) -> None:
    """2 MB of text is refused with 413 as documented (the form parser's own 1 MB limit gave 400)."""
    just_under = "word " * (400 * 1024)  # 2,000 KiB
    assert (
        httpx.post(server + "/api/match", data={"text": just_under, "k": "1"}, timeout=60).status_code == 200
    )
    over = "x" * (2 * 1024 * 1024 + 10)
    answer = httpx.post(server + "/api/match", data={"text": over})
    assert answer.status_code == 413 and "limit" in answer.json()["detail"]
    for k in ("-1", "0", "1e20"):
        assert httpx.post(server + "/api/match", data={"text": "x", "k": k}).status_code == 422


def test_schemathesis_finds_no_server_error_or_schema_violation(server: str) -> None:
    """Property-based requests from /openapi.json: no 5xx, documented status codes, JSON
    bodies that match their schemas. Its stateful phase follows the API's links (a list's first
    id to its page), so the id routes are asked for ids the store really holds, not only for
    ones that answer 404. (FastAPI's form-file fields and OPTIONS answers are known mismatches
    with the generated data, so those two checks are not run.)"""
    cli = Path(sys.executable).parent / "schemathesis"
    done = subprocess.run(
        [
            str(cli),
            "run",
            f"{server}/openapi.json",
            "--max-examples",
            "40",
            "--seed",
            "7",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--checks",
            "not_a_server_error,status_code_conformance,response_schema_conformance",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    covered = re.search(r"API Links:\s+(\d+) covered", done.stdout)
    # narratives -> a narrative -> its member and its debunk; articles and search -> an article
    assert covered and int(covered.group(1)) >= 4, done.stdout[-3000:]


def test_claims_and_sources_in_pages_and_their_json_twins(server: str) -> None:
    (narrative,) = httpx.get(server + "/api/narratives").json()
    twin = httpx.get(f"{server}/api/narratives/{narrative['id']}").json()
    sources = twin["sources"]
    assert sources["named_eyewitnesses"] == 0 and sources["anonymous_or_unsourced_share"] > 0.5
    assert {"source": "local sources", "kind": "anonymous", "via": ["SANA"]}.items() <= next(
        s for s in sources["sources"] if s["source"] == "local sources"
    ).items()
    page = httpx.get(f"{server}/narratives/{narrative['id']}").text
    assert 'id="sources"' in page and "named eyewitnesses: 0" in page and 'class="network"' in page
    press_tv = next(
        m for m in twin["members"] if "SANA" in httpx.get(f"{server}/api/articles/{m['id']}").text
    )
    article = httpx.get(f"{server}/api/articles/{press_tv['id']}").json()
    citations = [c for claim in article["claims"] for c in claim["citations"]]
    assert {"source": "local sources", "kind": "anonymous", "via": "SANA"}.items() <= citations[
        1
    ].items() or any(c["source"] == "local sources" and c["via"] == "SANA" for c in citations)
    assert any(e["canonical"] == "Islamic State" for e in article["entities"])
    assert 'id="claims"' in httpx.get(f"{server}/articles/{press_tv['id']}").text


def test_the_catalogue_index_is_loaded_once_not_per_match(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was reloaded on every match: the cache key was a row object's repr."""
    loads: list[int] = []
    load_index = service.load_index
    monkeypatch.setattr(service, "load_index", lambda *a, **k: loads.append(1) or load_index(*a, **k))
    client = TestClient(create_app(database))
    for _ in range(3):
        assert client.post("/api/match", data={"text": "US helicopters evacuated Daesh"}).status_code == 200
    assert len(loads) == 1


def test_an_alias_import_renames_the_key_entities_the_web_app_shows(database: Path, tmp_path: Path) -> None:
    """Narratives are grouped once per state of the stored analyses; importing aliases changes
    that state, so the key entities are named again under the user's canonical names."""
    copy = tmp_path / "copy.db"
    shutil.copyfile(database, copy)
    client = TestClient(create_app(copy))
    (before,) = client.get("/api/narratives").json()
    assert "Islamic State" in before["entities"]
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("canonical,type,aliases\nDaesh (ISIS),organisation,Daesh|ISIS|Islamic State|IS\n")
    with Store(copy) as store:
        assert claims_service.import_aliases(store, aliases, on_error=lambda e: None) == 1
    (after,) = client.get("/api/narratives").json()
    assert "Daesh (ISIS)" in after["entities"] and "Islamic State" not in after["entities"]


def test_candidates_page_and_its_json_twin(server: str, tmp_path: Path) -> None:
    """The web app shows the candidates `narratives --discover` stored, and never runs discovery
    itself. The seeds all push a catalogued narrative: no candidate. A store whose claim no
    catalogue names shows it as a candidate, with the sentences its articles repeat; before any
    discovery run the page says how to run one, and after new articles that it is out of date."""
    assert httpx.get(server + "/api/candidates").json() == []
    assert "No candidate: no claim resurfaces" in httpx.get(server + "/candidates").text
    db = tmp_path / "c.db"
    run = [sys.executable, "-m", "narratrace", "--db", str(db)]
    fixture = Path(__file__).parents[1] / "narratives" / "fixtures" / "uncatalogued.jsonl"
    subprocess.run([*run, "ingest", str(fixture)], check=True, capture_output=True)
    process, base = start(db)
    try:
        assert httpx.get(base + "/api/candidates").json() == []
        page = httpx.get(base + "/candidates").text
        assert "No candidate looked for yet" in page and "narratives --discover" in page
        subprocess.run([*run, "narratives", "--discover"], check=True, capture_output=True)
        (candidate,) = httpx.get(base + "/api/candidates", timeout=60).json()
        assert candidate["id"].startswith("candidate:") and len(candidate["articles"]) == 3
        page = httpx.get(base + "/candidates", timeout=60).text
        assert candidate["label"] in page and "days apart" in page and "Found before" not in page
        assert f'href="/articles/{candidate["repeats"][0]["earlier"]}"' in page
        subprocess.run([*run, "ingest", str(SEEDS)], check=True, capture_output=True)
        subprocess.run([*run, "narratives"], check=True, capture_output=True)
        page = httpx.get(base + "/candidates", timeout=60).text
        assert candidate["label"] in page and "Found before the latest analyses" in page
    finally:
        process.terminate()
        process.wait(10)


def test_match_api_reads_json_bodies_and_says_what_is_wrong(server: str) -> None:
    seed = next(SEEDS.glob("003_*.txt")).read_text()
    one = httpx.post(server + "/api/match", json={"text": seed, "k": 2}).json()
    assert one["matches"][0]["narrative"] == "catalogue:EVD-0001" and len(one["matches"]) <= 2
    several = httpx.post(server + "/api/match", json={"texts": [seed, "Cats are cute."], "k": 3}).json()
    assert [len(r["matches"]) <= 3 for r in several["results"]] == [True, True]
    assert several["results"][0]["matches"][0]["id"] == one["matches"][0]["id"]
    for body, said in (
        (b"{not json", "not valid JSON"),
        (b'{"text": 1}', '"text" must be a string'),
        (b'{"texts": []}', '"texts" must hold 1 to'),
        (b'{"text": "a", "texts": ["b"]}', 'with "text"'),
        (b'{"text": "a", "k": 0}', '"k" must be a whole number'),
        (b"[1, 2]", "must be an object"),
    ):
        answer = httpx.post(server + "/api/match", content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 422 and said in answer.json()["detail"], (body, answer.text)
    assert httpx.post(server + "/api/match", data={"text": "a", "k": "x"}).status_code == 422


def test_a_narrative_is_shown_by_its_claim_with_its_cases_disproof_and_debunks(server: str) -> None:
    (narrative,) = httpx.get(server + "/api/narratives").json()
    assert narrative["claim"] == "US helicopters evacuate ISIS members in Syria"
    assert narrative["cases"][0]["id"] == "EVD-0001" and len(narrative["cases"]) == 2
    assert narrative["disproof"].startswith("No evidence supports the claim")
    twin = httpx.get(f"{server}/api/narratives/{narrative['id']}").json()
    (debunk,) = twin["debunk_articles"]
    assert debunk["title"].startswith("Fact check: no evidence US helicopters")
    page = httpx.get(f"{server}/narratives/{narrative['id']}").text
    assert 'id="disproof"' in page and 'id="cases"' in page and "Fact check: no evidence" in page


def test_ids_no_article_can_have_answer_404_never_500(server: str) -> None:
    for path in ("/api/articles/%ED%9F%BF", "/articles/a%F4%8F%BF%BF", "/api/articles/%ED%A0%80"):
        assert httpx.get(server + path).status_code == 404, path


def test_a_missing_page_is_a_page_and_serve_says_where_it_listens(server: str, database: Path) -> None:
    page = httpx.get(server + "/articles/nope", headers={"accept": "text/html"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "Not found" in page.text and "no article" in page.text
    assert httpx.get(server + "/api/articles/nope").json()["detail"].startswith("no article")
    # said before it listens (a port no socket can have makes it stop right after)
    done = subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(database), "serve", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "at http://127.0.0.1:70000/" in done.stderr


def test_search_finds_every_spelling_of_a_name(server: str) -> None:
    """Through the alias table: "ISIS" finds the articles that write "Daesh", and "Hasaka" those
    that write "Hasakah" (case aside, as people type queries; "IS" is not searched for alone)."""

    def found(q: str) -> set[str]:
        return {a["id"] for a in httpx.get(server + "/api/search", params={"q": q, "limit": 200}).json()}

    assert found("ISIS") == found("daesh") == found("Islamic State") and found("ISIS")
    assert found("Hasaka") == found("Hasakah") and found("Hasaka")
    assert found("Daesh prison") <= found("Daesh")


def test_narratives_are_one_shape_in_the_cli_the_api_and_the_export(
    server: str, database: Path, tmp_path: Path
) -> None:
    run = [sys.executable, "-m", "narratrace", "--db", str(database)]
    cli = json.loads(subprocess.run([*run, "narratives", "--json"], capture_output=True, check=True).stdout)
    subprocess.run(
        [*run, "export", "--format", "jsonl", "--out", str(tmp_path)], capture_output=True, check=True
    )
    exported = [json.loads(line) for line in (tmp_path / "narratives.jsonl").open()]
    api = httpx.get(server + "/api/narratives").json()
    assert cli == api == exported and cli and {"claim", "cases", "status", "review"} <= set(cli[0])
    # copy pairs too: `reuse --json`, the JSONL export and each article's pairs in the API
    pairs = json.loads(subprocess.run([*run, "reuse", "--json"], capture_output=True, check=True).stdout)
    exported_pairs = [json.loads(line) for line in (tmp_path / "pairs.jsonl").open()]
    key = lambda pair: (pair["a"], pair["b"])  # noqa: E731
    assert sorted(pairs, key=key) == sorted(exported_pairs, key=key) and pairs
    article = httpx.get(f"{server}/api/articles/{pairs[0]['a']}").json()
    assert article["pairs"] and all(p in pairs for p in article["pairs"])


def _held(port: int, sent: bytes, drip: bytes) -> tuple[float, bytes]:
    """How long the server keeps a client that sends `sent`, then `drip` every half second
    without ever finishing its request, and what it answers."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        started = time.monotonic()
        client.sendall(sent)
        client.settimeout(0.5)
        answer = b""
        while time.monotonic() - started < BODY_SECONDS + 30:
            try:
                got = client.recv(4096)
            except TimeoutError:
                try:
                    client.sendall(drip)
                except OSError:
                    break
                continue
            except OSError:
                break
            if not got:
                break
            answer += got
        return time.monotonic() - started, answer


def test_clients_that_never_finish_a_request_are_cut_off_and_others_are_served(
    database: Path, tmp_path: Path
) -> None:
    """Slow headers (slowloris), a silent connection and a body that never ends each get a 408 and
    are closed at their deadline, while a normal request beside them is answered at once; the
    server logs no traceback for the request it cut off."""
    log = tmp_path / "serve.log"
    process, base = start(database, log=log)
    port = int(base.rsplit(":", 1)[1])
    host = b"Host: 127.0.0.1\r\n"
    slow = {
        "silent": (b"", b"", HEADER_SECONDS),
        "headers": (b"GET / HTTP/1.1\r\n" + host, b"X-Slow: 1\r\n", HEADER_SECONDS),
        "body": (
            b"POST /api/match HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
            b"Content-Length: 100000\r\n\r\n{",
            b" ",
            BODY_SECONDS,
        ),
        # a request answered, then the next one on the same connection sent slowly
        "second request": (
            b"GET /api/narratives HTTP/1.1\r\n" + host + b"\r\nGET / HTTP/1.1\r\n" + host,
            b"X-Slow: 1\r\n",
            HEADER_SECONDS,
        ),
    }
    try:
        with ThreadPoolExecutor(len(slow)) as pool:
            held = {name: pool.submit(_held, port, sent, drip) for name, (sent, drip, _) in slow.items()}
            time.sleep(1)
            started = time.monotonic()
            assert httpx.get(base + "/api/narratives", timeout=30).status_code == 200
            assert time.monotonic() - started < HEADER_SECONDS
            for name, (_, _, deadline) in slow.items():
                seconds, answer = held[name].result()
                assert deadline - 1 <= seconds <= deadline + 10, (name, seconds)
                assert answer.count(b"HTTP/1.1 408") == 1 and answer.endswith(b"in time.\r\n"), (
                    name,
                    answer[-80:],
                )
    finally:
        process.terminate()
        process.wait(10)
    assert "Traceback" not in log.read_text(errors="replace")


def test_a_match_request_stops_taking_texts_past_its_time(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MATCH_SECONDS a request of several texts answers 503, saying how far it got, instead
    of holding a match slot for as long as its texts take (here the time is spent at once)."""
    from narratrace.web import api

    monkeypatch.setattr(api, "MATCH_SECONDS", -1.0)
    client = TestClient(create_app(database))
    texts = ["US helicopters evacuated Daesh commanders.", "A second text."]
    answer = client.post("/api/match", json={"texts": texts})
    assert answer.status_code == 503
    assert answer.json()["detail"] == "matching took over -1 s: 0 of 2 texts were matched; send fewer at once"
