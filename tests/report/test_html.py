"""The HTML report: self-contained, showing narratives, copies with highlights and cuts; inert
when article text carries markup or scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lxml.html
from tests.conftest import SEEDS

from narratrace.model import Article, Passage, Reuse
from narratrace.report import write_report

CATALOGUE = Path(__file__).parent.parent / "narratives" / "fixtures" / "euvsdisinfo.csv"
STATS = {"articles": 2, "outlets": 1, "first_published": None, "last_published": None}


def test_analyze_writes_a_report_of_the_seeds(tmp_path: Path) -> None:
    db, report = str(tmp_path / "a.db"), tmp_path / "report.html"
    run = [sys.executable, "-m", "narratrace", "--db", db]
    subprocess.run([*run, "catalogue", "import", str(CATALOGUE)], check=True, capture_output=True)
    done = subprocess.run(
        [*run, "analyze", str(SEEDS), "--report", str(report)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},  # the summary's table wraps to the terminal's width
    )
    assert done.returncode == 0, done.stderr
    assert "catalogue:EVD-0001" in done.stdout and "credits Sputnik: “Sputnik news reports:”" in done.stdout
    page = lxml.html.fromstring(report.read_text())
    assert not page.xpath("//script") and not page.xpath("//link[@rel='stylesheet']")  # nothing to fetch
    (narrative,) = page.xpath("//section[contains(@class, 'narrative')]")
    assert "catalogue:EVD-0001" in narrative.text_content()
    # a contents list leads to each narrative
    (entry,) = page.xpath("//ol[@class='contents']/li/a")
    assert entry.get("href") == f"#{narrative.get('id')}" and entry.text_content().strip()
    assert narrative.xpath(
        ".//svg[@class='timeline']//circle"
    )  # the timeline has a dot for the dated article
    copies = page.xpath("//section[contains(@class, 'copy')]")
    assert any("Iraqi media" in m.text_content() for c in copies for m in c.xpath(".//mark[@class='reused']"))
    articles = page.xpath("//section[contains(@class, 'article')]")
    assert len(articles) == 5
    # each article's text is there, collapsed: the page is its contents, not 43,500 pixels of text
    texts = page.xpath("//section[contains(@class, 'article')]/details[@class='article-text']")
    assert len(texts) == 5 and not any(t.get("open") is not None for t in texts)
    assert any("comments" in a.text_content() and "Akismet" in a.text_content() for a in articles)
    assert page.xpath("//mark[@class='embedded']")


def test_untrusted_article_text_renders_inert(tmp_path: Path) -> None:
    hostile = (
        'Before <script>alert("x")</script> <img src=x onerror="alert(1)"> '
        '<a href="javascript:alert(2)">click</a> after, and a long enough shared sentence here.'
    )
    a = Article(id="a1", text=hostile, raw=hostile, source="a.txt", title="<b onmouseover=alert(3)>t</b>")
    b = Article(id="b1", text=hostile, raw=hostile, source="b.txt")
    pair = Reuse(
        "a1",
        "b1",
        "copy",
        1.0,
        1.0,
        "unknown",
        "no dates",
        (Passage(0, len(hostile), 0, len(hostile), hostile, hostile, 1.0),),
    )
    path = write_report(tmp_path / "r.html", [a, b], [pair], [], STATS)
    page = lxml.html.fromstring(path.read_text())
    assert not page.xpath("//script")
    assert not page.xpath("//*[@onerror or @onmouseover or @onclick]")
    assert not [h for h in page.xpath("//a/@href") if h.strip().lower().startswith("javascript:")]
    assert 'alert("x")' in page.text_content()  # shown as text, not run
