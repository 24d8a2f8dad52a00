"""Each reader on fixtures the tests write: text, HTML, JSONL, CSV, WARC, directories, stdin."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from narratrace.errors import InputError
from narratrace.ingest.prepare import prepare
from narratrace.ingest.sources import iter_documents
from narratrace.model import RawDocument, Skipped

BODY = (
    "Rescue teams reached the flooded villages on Saturday after a night of heavy rain, "
    "regional officials said. Nobody was hurt, the emergency service added in a statement."
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Floods cut off villages</title>
<meta property="og:title" content="Floods cut off villages">
<meta property="article:published_time" content="2024-10-12T08:00:00Z">
<meta property="og:site_name" content="Valley Herald"></head>
<body><nav>Home | World | Sport</nav><article><h1>Floods cut off villages</h1>
<p>{BODY}</p><p>Forecasters expect more rain on Sunday, with up to 80 mm possible in places,
and the weather bureau has issued an amber warning for the whole region until Monday.</p>
</article><footer>© 2024 Valley Herald</footer></body></html>"""


def documents(*paths: str, **kwargs: object) -> list[RawDocument | InputError]:
    return list(iter_documents(list(paths), **kwargs))  # type: ignore[arg-type]


def test_text_file_title_and_body(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(f"Floods cut off villages\n\n{BODY}\n")
    (doc,) = documents(str(path))
    assert isinstance(doc, RawDocument)
    article = prepare(doc)
    assert article.title == "Floods cut off villages"
    assert article.text == BODY
    assert article.raw == path.read_text()
    assert article.language == "en"


def test_html_page_through_trafilatura(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    (doc,) = documents(str(path))
    article = prepare(doc)  # type: ignore[arg-type]
    assert article.title == "Floods cut off villages"
    assert article.published == "2024-10-12"
    assert "Rescue teams reached" in article.text and "Home | World" not in article.text
    assert article.raw == PAGE


def test_jsonl_common_columns_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    rows = [
        {"link": "https://www.example.org/2021/05/06/story", "headline": "A", "content": BODY},
        {"url": "https://news.example.com/x", "article_body": BODY + " Second.", "lang": "en"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first, second = documents(str(path), mapping={"text": "article_body"})
    assert isinstance(second, RawDocument) and second.source.endswith("export.jsonl")
    assert second.location.endswith("export.jsonl:2")
    assert isinstance(first, InputError) and "article_body" in first.reason  # mapped away from content
    first, second = documents(str(path))
    article = prepare(first)  # type: ignore[arg-type]
    assert article.published == "2021-05-06" and article.outlet == "example.org"
    assert article.source.endswith("export.jsonl:1")
    assert isinstance(second, InputError) and "--field text=COLUMN" in second.reason


def test_csv_rows_with_multiline_text(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "url,title,body,published_at,site\n"
        f'https://a.example/1,One,"{BODY}\n\nSecond paragraph of the first story here.",2020-01-02,Alpha\n'
        f'https://a.example/2,Two,"{BODY} Two.",2020-01-03,Alpha\n'
    )
    first, second = (prepare(d) for d in documents(str(path)))  # type: ignore[arg-type]
    assert first.outlet == "Alpha" and first.published == "2020-01-02"
    assert "Second paragraph" in first.text
    assert first.source.endswith("export.csv:2") and second.source.endswith("export.csv:5")


def _warc(path: Path, records: list[tuple[str, str, bytes]], status: dict[str, str] | None = None) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for uri, content_type, payload in records:
            code = (status or {}).get(uri, "200 OK")
            headers = StatusAndHeaders(code, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
            )


def test_warc_html_responses_become_articles_at_their_uri(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(
        path,
        [
            ("https://valley.example/2024/10/12/floods", "text/html; charset=utf-8", PAGE.encode()),
            ("https://valley.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
        ],
    )
    page, image = documents(str(path))
    assert isinstance(page, RawDocument) and page.url == "https://valley.example/2024/10/12/floods"
    assert prepare(page).outlet == "Valley Herald"  # the name the page gives itself (og:site_name)
    assert isinstance(image, Skipped)  # a crawl holds hundreds: counted, not an error
    assert "record 2" in image.location and image.what == "image/png"


def test_a_crawl_skips_and_counts_what_is_not_an_article(tmp_path: Path) -> None:
    """A real crawl holds images and error pages beside the articles: they are counted in the
    summary, never stored (a 404 page was stored as an article titled "Not Found") and never an
    error (an image record made the whole run exit 1)."""
    path = tmp_path / "crawl.warc.gz"
    missing = "https://valley.example/gone"
    _warc(
        path,
        [
            ("https://valley.example/2024/10/12/floods", "text/html", PAGE.encode()),
            ("https://valley.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
            ("https://valley.example/a.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(50)),
            (
                missing,
                "text/html",
                b"<html><head><title>Not Found</title></head><body>Not Found</body></html>",
            ),
        ],
        status={missing: "404 Not Found"},
    )
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "w.db"), "ingest", str(path)]
    done = subprocess.run(run, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (
        "1 new" in done.stderr
        and "0 failed, 3 skipped (not articles: 2 image/png, 1 HTTP 404)" in done.stderr
    )


def test_truncated_warc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path, [(f"https://v.example/{i}", "text/html", PAGE.encode()) for i in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    results = documents(str(path))
    assert sum(isinstance(r, RawDocument) for r in results) == 2
    assert isinstance(results[-1], InputError) and "truncated" in results[-1].reason


def test_directories_recurse_and_skip_unknown_types(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text(BODY)
    (tmp_path / "top.txt").write_text(BODY)
    (tmp_path / "notes.md").write_text("# not an article format")
    (tmp_path / ".hidden.txt").write_text(BODY)
    found = documents(str(tmp_path))
    assert sorted(Path(d.source).name for d in found if isinstance(d, RawDocument)) == [
        "deep.txt",
        "top.txt",
    ]


def test_stdin_is_sniffed() -> None:
    lines = (json.dumps({"text": BODY}) + "\n").encode()
    (doc,) = documents("-", stdin=io.BytesIO(lines))
    assert isinstance(doc, RawDocument) and doc.location == "<stdin>:1"
    (doc,) = documents("-", stdin=io.BytesIO(BODY.encode()))
    assert isinstance(doc, RawDocument) and doc.kind == "text"
    (doc,) = documents("-", stdin=io.BytesIO(gzip.compress(b"not a warc")))
    assert isinstance(doc, InputError)


def test_bad_inputs_each_give_one_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait, a story".encode("latin-1"))
    (tmp_path / "big.txt").write_text("word " * 3000)
    (tmp_path / "good.txt").write_text(BODY)
    (tmp_path / "rows.jsonl").write_text(json.dumps({"text": BODY}) + "\n{broken\n[1]\n")
    (tmp_path / "rows.csv").write_text('title,text\nA,"unterminated\n')
    results = documents(str(tmp_path), max_bytes=10_000)
    errors = {
        Path(e.location.split(":")[0]).name
        + (":" + e.location.split(":")[1] if ":" in e.location else ""): e.reason
        for e in results
        if isinstance(e, InputError)
    }
    assert errors["empty.txt"] == "empty file"
    assert "binary" in errors["binary.txt"]
    assert "not valid UTF-8" in errors["latin1.txt"]
    assert "over the 10,000-byte limit" in errors["big.txt"]
    assert "malformed JSON" in errors["rows.jsonl:2"]
    assert "expected a JSON object" in errors["rows.jsonl:3"]
    assert "malformed CSV row" in errors["rows.csv:2"]
    good = [d for d in results if isinstance(d, RawDocument)]
    assert sorted(Path(d.source).name for d in good) == ["good.txt", "rows.jsonl"]
