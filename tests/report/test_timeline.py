"""The narrative timeline: a lane per outlet in the order outlets took the claim up, a dot per
article, the debunks' dates marked, date labels that never run into each other."""

from __future__ import annotations

import re
from itertools import pairwise

import lxml.html

from narratrace.model import Article
from narratrace.report.timeline import MAX_LANES, MIN_TICK_GAP, timeline_svg


def article(n: int, outlet: str | None, published: str | None, title: str = "") -> Article:
    text = f"Article {n} text long enough to be one."
    return Article(
        id=f"a{n}", text=text, raw=text, source=f"{n}.txt", outlet=outlet, published=published, title=title
    )


def parse(svg: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<div>{svg}</div>")


def test_lanes_follow_who_came_first_and_debunks_are_marked() -> None:
    members = [
        article(1, "Press TV", "2018-03-01", "US helicopters evacuate ISIS"),
        article(2, "Sputnik", "2017-11-10", "Source: US evacuates Daesh commanders"),
        article(3, "Sputnik", "2018-01-05"),
        article(4, None, "2019-06-01"),
        article(5, "SANA", None),
    ]
    review = [article(6, "Al Mayadeen", "2018-02-01")]
    debunk = article(7, "EUvsDisinfo", "2018-01-20", "Disinfo: US evacuated ISIS leaders")
    page = parse(timeline_svg(members, [debunk], review))
    lanes = [t.text for t in page.xpath("//svg/text") if t.get("x") == "4"]
    assert lanes == ["Sputnik", "Al Mayadeen", "Press TV", "unknown outlet"]
    assert len(page.xpath("//circle[@class='member']")) == 4  # the undated one is counted, not drawn
    assert len(page.xpath("//circle[@class='review']")) == 1
    (marked,) = page.xpath("//g[@class='debunk']")
    assert "2018-01-20" in marked.text_content() and "EUvsDisinfo" in marked.text_content()
    # the debunk lies between the first and last articles, in date order
    xs = {c.xpath("title")[0].text_content()[:10]: float(c.get("cx")) for c in page.xpath("//circle")}
    line = float(marked.xpath("line")[0].get("x1"))
    assert xs["2017-11-10"] < xs["2018-01-05"] < line < xs["2018-02-01"] < xs["2018-03-01"] < xs["2019-06-01"]
    assert "1 undated" in page.text_content()
    hover = page.xpath("//circle[@class='member']/title")[0].text_content()
    assert hover.startswith("2017-11-10 · Sputnik · Source: US evacuates Daesh commanders")


def test_many_outlets_share_a_last_lane_and_labels_keep_apart() -> None:
    members = [article(n, f"outlet {n:02d}", f"20{10 + n % 12:02d}-{1 + n % 12:02d}-15") for n in range(40)]
    page = parse(timeline_svg(members))
    lanes = [t for t in page.xpath("//svg/text") if t.get("x") == "4"]
    assert len(lanes) == MAX_LANES
    assert lanes[-1].text.startswith(f"{40 - (MAX_LANES - 1)} other outlets")
    assert len(page.xpath("//circle")) == 40  # every article is still drawn
    ticks = sorted(
        float(t.get("x"))
        for t in page.xpath("//svg/text[@text-anchor='middle']")
        if "debunk" not in t.text_content()
    )
    assert ticks and all(b - a >= MIN_TICK_GAP - 1 for a, b in pairwise(ticks))


def test_short_spans_label_months_or_days() -> None:
    months = parse(timeline_svg([article(1, "A", "2020-01-03"), article(2, "B", "2020-06-20")]))
    labels = [t.text_content() for t in months.xpath("//svg/text[@text-anchor='middle']")]
    assert labels and all(re.fullmatch(r"2020-\d\d", label) for label in labels)
    days = parse(timeline_svg([article(1, "A", "2020-01-03"), article(2, "B", "2020-01-09")]))
    labels = [t.text_content() for t in days.xpath("//svg/text[@text-anchor='middle']")]
    assert labels[0] == "2020-01-03"


def test_no_dates_says_so() -> None:
    assert "No publication days known (2 undated articles)" in timeline_svg(
        [article(1, "A", None), article(2, "B", "not a date")]
    )


def test_a_date_known_to_the_month_only_is_counted_not_drawn_on_a_made_up_day() -> None:
    drawn = timeline_svg([article(1, "A", "2020-01-03"), article(2, "B", "2020-01")])
    assert len(parse(drawn).xpath("//circle")) == 1
    assert "1 dated to the month only" in drawn
    assert "1 dated to the month only)" in timeline_svg([article(1, "A", "2020-01")])


def test_debunks_of_one_day_share_a_label() -> None:
    members = [article(1, "A", "2020-01-03"), article(2, "B", "2020-09-09")]
    debunks = [article(3, "C", "2020-05-01"), article(4, "D", "2020-05-01")]
    page = parse(timeline_svg(members, debunks))
    assert len(page.xpath("//g[@class='debunk']")) == 2
    assert [t.text for t in page.xpath("//g[@class='debunk']/text")] == ["2 debunks"]
