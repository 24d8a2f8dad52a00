"""Ingest throughput and peak memory on articles built from the BBC corpus.

For N articles (default 20,000) written as text files, one JSONL export, HTML pages and one
WARC.gz, time `narratrace ingest` into a fresh database and sample the peak resident memory
of its whole process tree. In the same run, time trafilatura's own bare extraction over the
same HTML pages (one process, same options) as the baseline for the HTML reader.

    .venv/bin/python bench/speed/ingest.py [--n 20000] [--repeat 3] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import html
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.common import median, numbered_articles, run_measured, save

TARGET_TEXT_RATE = 2000  # articles/s, text and JSONL
TARGET_HTML_SHARE = 0.80  # of trafilatura's own rate
TARGET_PEAK_MB = 500


def page(i: int, row: dict[str, str]) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in row["text"].split("\n") if p.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(row["title"])} - Example News</title>
<meta property="og:title" content="{html.escape(row["title"])}">
<meta property="article:published_time" content="2005-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00Z">
<meta property="og:site_name" content="Example News"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav></header>
<main><article><h1>{html.escape(row["title"])}</h1>
{paragraphs}</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li>
<li><a href="/b">A third</a></li></ul></aside>
</main><footer><p>© 2005 Example News. All rights reserved.</p></footer></body></html>"""


def build(root: Path, n: int) -> dict[str, Path]:
    paths = {f: root / f for f in ("text", "html")}
    for p in paths.values():
        p.mkdir()
    jsonl = root / "export.jsonl"
    warc = root / "crawl.warc.gz"
    with jsonl.open("w") as export, warc.open("wb") as archive:
        writer = WARCWriter(archive, gzip=True)
        for i, row in numbered_articles(n):
            shard = f"{i // 1000:03d}"
            (paths["text"] / shard).mkdir(exist_ok=True)
            (paths["html"] / shard).mkdir(exist_ok=True)
            (paths["text"] / shard / f"{i:06d}.txt").write_text(f"{row['title']}\n\n{row['text']}")
            url = f"https://news.example/2005/{1 + i % 12:02d}/{1 + i % 28:02d}/story-{i}"
            export.write(json.dumps({"url": url, "title": row["title"], "text": row["text"]}) + "\n")
            body = page(i, row)
            (paths["html"] / shard / f"{i:06d}.html").write_text(body)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body.encode()), http_headers=headers
                )
            )
    return {"text": paths["text"], "jsonl": jsonl, "html": paths["html"], "warc": warc}


def trafilatura_rate(html_dir: Path, limit: int) -> float:
    """Pages/s of trafilatura's bare extraction alone, same options narratrace uses."""
    files = sorted(html_dir.rglob("*.html"))[:limit]
    pages = [f.read_text() for f in files]
    started = time.perf_counter()
    for text in pages:
        trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
        )
    return len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+", default=["text", "jsonl", "html", "warc"])
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="narratrace-bench-"))
    try:
        print(f"building {args.n:,} articles in {root} …", flush=True)
        inputs = build(root, args.n)
        results: dict[str, object] = {"n": args.n, "repeat": args.repeat, "runs": []}
        runs: list[dict[str, object]] = results["runs"]  # type: ignore[assignment]
        baseline = []
        for attempt in range(args.repeat):
            if "html" in args.formats or "warc" in args.formats:
                baseline.append(trafilatura_rate(inputs["html"], min(args.n, 2000)))
            for fmt in args.formats:
                for workers in args.workers:
                    db = root / f"bench-{fmt}-{workers}-{attempt}.db"
                    command = [
                        sys.executable,
                        "-m",
                        "narratrace",
                        "--db",
                        str(db),
                        "ingest",
                        str(inputs[fmt]),
                        "--workers",
                        str(workers),
                    ]
                    seconds, peak_mb, code = run_measured(command)
                    runs.append(
                        {
                            "format": fmt,
                            "workers": workers,
                            "seconds": seconds,
                            "rate": args.n / seconds,
                            "peak_mb": peak_mb,
                            "exit": code,
                        }
                    )
                    print(
                        f"  {fmt:<6} workers={workers}  {args.n / seconds:8.0f} articles/s  "
                        f"peak {peak_mb:6.0f} MB  exit {code}",
                        flush=True,
                    )
                    db.unlink()
        summary = {}
        for fmt in args.formats:
            for workers in args.workers:
                mine = [r for r in runs if r["format"] == fmt and r["workers"] == workers]
                summary[f"{fmt}/w{workers}"] = {
                    "median_rate": median([float(r["rate"]) for r in mine]),  # type: ignore[arg-type]
                    "max_peak_mb": max(float(r["peak_mb"]) for r in mine),  # type: ignore[arg-type]
                }
        if baseline:
            summary["trafilatura_bare_extraction"] = {"median_rate": median(baseline)}
        results["summary"] = summary
        print("\nmedians over", args.repeat, "runs:")
        for key, value in summary.items():
            line = f"  {key:<30} {value['median_rate']:8.0f} /s"
            if "max_peak_mb" in value:
                line += f"   peak {value['max_peak_mb']:.0f} MB"
            if baseline and key.split("/")[0] in ("html", "warc"):
                line += f"   {value['median_rate'] / median(baseline):.2f}× trafilatura"
            print(line)
        print(
            f"targets: text/JSONL ≥ {TARGET_TEXT_RATE}/s; HTML ≥ {TARGET_HTML_SHARE:.0%} of trafilatura; "
            f"peak < {TARGET_PEAK_MB} MB"
        )
        print("saved", save("ingest", results))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
