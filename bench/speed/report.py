"""The HTML report of 1,000 real articles: its size, and how long Chromium takes to open it.

The corpus is real text an analyst could hold: the five seeds, ../shared/corpus/realnews (295
articles of nine narratives, with its catalogue imported) and 700 BBC stories with copies,
partial copies and shared passages planted among them (bench/data/planted.py). `narratrace
analyze` writes the report; Debian's headless Chromium (through Playwright) opens it from disk,
and the time to its `load` event is the median of --repeat openings in a fresh page each.

`--code DIR` writes the same report with another checkout (a `git worktree` of an older commit)
in the same run, as the baseline. Targets (issue 25): under 5 MB, open in under 2 s.

    python -m bench.speed.report [--code DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import SHARED, bbc_rows, median, save
from bench.data import planted, realnews

BBC_STORIES = 700
PLANTED_EACH = 40  # copies, partial copies and shared passages each
TARGET_MB = 5.0
TARGET_OPEN_S = 2.0


def build_corpus(root: Path) -> list[Path]:
    """The seeds' folder, realnews's export and the planted BBC stories as one JSONL export."""
    stories = planted.build(bbc_rows()[:BBC_STORIES], n_each=PLANTED_EACH).articles
    export = root / "bbc.jsonl"
    with export.open("w", encoding="utf-8") as out:
        for story in stories:
            row = {"url": f"https://www.bbc.co.uk/news/{story['id']}", "title": story["title"]}
            out.write(json.dumps({**row, "text": story["text"], "published": story.get("published")}) + "\n")
    return [SHARED / "corpus" / "seeds", realnews.EXPORT, export]


def write_report(corpus: list[Path], folder: Path, code: Path | None) -> tuple[float, Path, str]:
    """Seconds `analyze` took, the report written, and what went wrong (empty when nothing)."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code / "src")
    db, report = folder / "r.db", folder / "report.html"
    base = [sys.executable, "-m", "narratrace", "--db", str(db)]
    subprocess.run([*base, "catalogue", "import", str(realnews.CATALOGUE)], capture_output=True, env=env)
    started = time.perf_counter()
    done = subprocess.run(
        [*base, "analyze", *map(str, corpus), "--report", str(report)],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    failed = "" if done.returncode == 0 and report.exists() else done.stderr.strip()[-300:]
    return elapsed, report, failed


def open_times(report: Path, repeat: int) -> list[float]:
    """Seconds from navigation to the `load` event, one fresh page per opening."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("skipped: chromium is not installed (make test installs it)")
    times = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(repeat):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(report.as_uri(), wait_until="load", timeout=120_000)
            times.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return times


def measure(corpus: list[Path], code: Path | None, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        analyze_s, report, failed = write_report(corpus, Path(folder), code)
        if failed:
            return {"error": failed}
        size = report.stat().st_size
        times = open_times(report, repeat)
        html = report.read_text(encoding="utf-8")
    return {
        "analyze_s": round(analyze_s, 1),
        "report_mb": round(size / 1e6, 2),
        "open_s_median": round(median(times), 2),
        "open_s": [round(t, 2) for t in times],
        "articles_shown": html.count('class="card article"'),
        "narratives_shown": html.count('class="card narrative"'),
        "copies_shown": html.count('class="card copy"'),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, help="another checkout to write the report beside this one")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    realnews.require()
    result: dict[str, object] = {"targets": {"report_mb": TARGET_MB, "open_s": TARGET_OPEN_S}}
    with tempfile.TemporaryDirectory() as folder:
        corpus = build_corpus(Path(folder))
        for name, code in (("this checkout", None), (str(args.code), args.code)):
            if name != "this checkout" and code is None:
                continue
            result[name] = found = measure(corpus, code, args.repeat)
            print(f"  {name}: {found}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print(f"saved to {save('report', result)}")


if __name__ == "__main__":
    main()
