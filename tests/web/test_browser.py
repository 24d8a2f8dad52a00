"""End to end in a real headless Chromium (Debian's, driven by Playwright): the report and the
served pages, clicked through as an analyst would; planted scripts never run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SEEDS

from narratrace.model import Article
from narratrace.report import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is a dev dependency")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.dialogs = dialogs  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_report_narrative_to_article_to_copy(page, database: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto((database.parent / "r.html").as_uri())
    # the contents: a link per section, and one per narrative, that lead there
    page.locator("nav a", has_text="Copies").click()
    assert page.url.endswith("#copies") and page.locator("#copies").is_visible()
    page.locator("ol.contents a").first.click()
    target = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{target}']").is_visible()
    narrative = page.locator("section.narrative")
    assert "catalogue:EVD-0001" in narrative.inner_text()
    narrative.locator("a", has_text="Evacuating ISIS Members").first.click()
    assert page.url.endswith("#article-" + page.url.split("#article-")[-1])
    assert page.locator("section.copy mark.reused").count() > 0
    # an article's text is collapsed until asked for
    text = page.locator("section.article details.article-text").first
    assert not text.locator("div.text").is_visible()
    text.locator("summary").click()
    assert (
        text.locator("div.text").is_visible() and page.locator("section.article details[open]").count() == 1
    )
    # the timeline: a dot per dated member, named on hover
    page.goto((database.parent / "r.html").as_uri())
    dots = page.locator("section.narrative svg.timeline circle.member")
    assert dots.count() >= 1 and "·" in (dots.first.locator("title").text_content() or "")


def test_served_pages_click_through_and_match_form(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.locator("section.narrative a").first.click()
    assert "/narratives/" in page.url and page.locator("svg rect").count() > 0
    assert "named eyewitnesses: 0" in page.locator("#sources").inner_text()
    assert page.locator("svg.network circle").count() >= 2
    page.locator("a.article-link", has_text="Spotted in Al-Hasakah").click()
    assert "/articles/" in page.url
    assert "Sputnik" in page.locator("#claims tr.anonymous").first.inner_text()
    copy = page.locator("section.copy")
    assert "copy" in copy.first.inner_text() and copy.locator("mark.reused").count() > 0
    page.goto(server + "/match")
    page.fill("textarea[name=text]", next(SEEDS.glob("003_*.txt")).read_text())
    page.click("#match-submit")
    page.wait_for_selector("section.match")
    assert "US helicopters evacuate ISIS members in Syria" in page.locator("section.match").first.inner_text()
    # at most 5 results, a claim once, the catalogue's best first
    titles = page.locator("section.match.catalogue h3").all_inner_texts()
    assert 1 <= page.locator("section.match").count() <= 5 and len(titles) == len(set(titles))
    shown = [
        float(p.split("probability ")[1][:4])
        for p in page.locator("section.match.catalogue p.muted").all_inner_texts()
    ]
    assert shown == sorted(shown, reverse=True)


def test_a_narrative_page_shows_its_claim_disproof_cases_and_debunks(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    card = page.locator("section.narrative").first
    assert "US helicopters evacuate ISIS members in Syria" in card.locator("h3").inner_text()
    card.locator("h3 a").click()
    assert page.locator("h1").inner_text() == "US helicopters evacuate ISIS members in Syria"
    assert "No evidence supports the claim" in page.locator("#disproof").inner_text()
    assert page.locator("#cases + ul li").count() == 2
    page.locator("a.article-link", has_text="Fact check: no evidence").click()
    assert "/articles/" in page.url and "FactCheck Desk" in page.content()


def test_planted_script_never_runs(page, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    control = tmp_path / "control.html"
    control.write_text("<script>alert('control')</script>")
    page.goto(control.as_uri())  # a script that does run is seen: the check below can fail
    page.wait_for_timeout(200)
    assert page.dialogs == ["control"]
    page.dialogs.clear()
    page.goto(server + "/articles/hostile0000000000")
    page.goto(server + "/search?q=hostile")
    hostile = '<script>alert("report")</script><img src=x onerror="alert(1)"> text long enough to store'
    report = write_report(
        tmp_path / "h.html",
        [Article(id="h1", text=hostile, raw=hostile, source="h.txt")],
        [],
        [],
        {"articles": 1, "outlets": 0, "first_published": None, "last_published": None},
    )
    page.goto(report.as_uri())
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert "alert(" in page.content()


def test_articles_list_article_to_narrative_and_a_404_page(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.click("header a[href='/articles']")
    rows = page.locator("table.articles tbody tr")
    assert rows.count() >= 6 and "None" not in page.locator("table.articles").inner_text()
    page.locator("a.article-link", has_text="Spotted in Al-Hasakah").click()
    link = page.locator("#narratives a").first
    assert "US helicopters evacuate ISIS members in Syria" in link.inner_text()
    assert "(member)" in page.locator("#narratives").inner_text()
    link.click()
    assert "/narratives/catalogue:EVD-0001" in page.url
    page.goto(server + "/articles/nope")
    assert (
        page.locator("h1").inner_text() == "Not found" and "no article" in page.locator("#error").inner_text()
    )
