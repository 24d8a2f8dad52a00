"""Outlet, date, language and id rules."""

from __future__ import annotations

from narratrace.ingest.dates import date_from_url, dateline, parse_date
from narratrace.ingest.metadata import (
    address,
    article_id,
    detect_language,
    outlet_from_text,
    outlet_from_url,
)
from narratrace.ingest.prepare import prepare
from narratrace.model import RawDocument
from tests.conftest import seed_path


def test_dates_from_fields_urls_and_datelines() -> None:
    assert parse_date("2021-03-01T10:00:00Z") == "2021-03-01"
    assert parse_date("Mon, 01 Mar 2021 10:00:00 +0000") == "2021-03-01"
    assert parse_date("March 1, 2021") == "2021-03-01"
    assert parse_date("1 March 2021") == "2021-03-01"
    assert parse_date("not a date") is None
    assert date_from_url("https://x.example/2018/02/20/story-slug/") == "2018-02-20"
    assert date_from_url("https://x.example/news/20180220-story") == "2018-02-20"
    assert date_from_url("https://x.example/news/story-123456") is None
    assert date_from_url("https://x.example/2018/03/story-slug.html") == "2018-03"
    assert date_from_url("https://x.example/2018/13/story") is None
    assert parse_date("2018-03") == "2018-03"  # an export's month, as ISO 8601 writes it
    assert dateline(" date 2021-07 Nelle campagne del Maryland") == ("2021-07", 14)
    assert dateline(" date 2021-03-01 The US military") == ("2021-03-01", 17)
    assert dateline("Published: March 1, 2021\nText") is not None
    assert dateline("The date 2021-03-01 was") is None


def test_outlets_from_url_and_self_identifying_cues() -> None:
    assert outlet_from_url("https://www.presstv.ir/Detail/2022/01/25/1") == "presstv.ir"
    assert outlet_from_text("Press TV’s website can also be accessed at")[0] == "Press TV"  # type: ignore[index]
    assert outlet_from_text("© 2024 Northern Courier Media Group. All rights reserved.")[0] == (  # type: ignore[index]
        "Northern Courier Media Group"
    )
    own = "The source has told Sputnik on the condition of anonymity that"
    assert outlet_from_text(own)[0] == "Sputnik"  # type: ignore[index]
    relayed = own + ". Sputnik news reports: According to the source"
    assert outlet_from_text(relayed) is None


def test_seed_outlets_dates_and_languages() -> None:
    articles = {
        p: prepare(
            RawDocument(
                str(seed_path(p)),
                None,
                seed_path(p).read_text(),
                "text",
                body=seed_path(p).read_text(),
            )
        )
        for p in ("000", "001", "002", "003")
    }
    assert articles["000"].outlet == "Sputnik"
    assert articles["001"].outlet is None  # it relays Sputnik: a copy, not Sputnik itself
    assert articles["002"].published == "2021-03-01"
    assert articles["003"].outlet == "Press TV"
    assert all(a.language == "en" for a in articles.values())


def test_language_detection_offline() -> None:
    assert detect_language("Die Regierung hat am Montag neue Maßnahmen angekündigt.") == "de"
    assert detect_language("Правительство объявило о новых мерах в понедельник вечером.") == "ru"
    assert detect_language("أعلنت الحكومة عن إجراءات جديدة يوم الاثنين") == "ar"
    assert detect_language("short") is None


def test_id_is_stable_per_address_and_text() -> None:
    same = article_id(address(None, "/data/a/story.txt", None), "text")
    assert same == article_id(address(None, "/other/a/story.txt", None), "text")
    assert same != article_id(address("https://x.example/1", "story.txt", None), "text")
    assert article_id("https://a.example/1", "text") != article_id("https://b.example/1", "text")
    assert address(None, "export.jsonl", 7) == "export.jsonl:7"


def test_export_language_field_is_used_only_when_it_is_a_code() -> None:
    text = "Die Regierung hat am Montag neue Maßnahmen angekündigt, teilte ein Sprecher mit."
    coded = prepare(RawDocument("x.jsonl", 1, "{}", "text", body=text, language="de-DE"))
    named = prepare(RawDocument("x.jsonl", 2, "{}", "text", body=text, language="German"))
    assert coded.language == "de" and named.language == "de"  # the name is ignored, CLD2 decides


def test_one_outlet_one_name_whatever_the_page_calls_itself() -> None:
    """og:site_name is the name a page gives itself, and a domain the alias table knows is its
    outlet: "PressTV", presstv.ir and Press TV are one outlet."""
    from narratrace.ingest.metadata import canonical_outlet
    from narratrace.ingest.prepare import prepare
    from narratrace.model import RawDocument

    page = (
        '<html><head><title>A story</title><meta property="og:site_name" content="PressTV"></head>'
        "<body><article><p>"
        + "Words of a news story that is long enough to be read as one. " * 5
        + "</p></article></body></html>"
    )
    named = prepare(
        RawDocument(source="a.html", line=None, raw=page, kind="html", url="https://www.presstv.ir/x/1")
    )
    assert named.outlet == "Press TV" and named.provenance["outlet"] == "page metadata (site name)"
    story = " ".join(f"Sentence number {i} of a story from Tehran." for i in range(12))
    bare = prepare(
        RawDocument(source="b.jsonl", line=1, raw=story, kind="text", body=story, url="https://presstv.ir/y")
    )
    assert bare.outlet == "Press TV" and bare.provenance["outlet"] == "url domain"
    assert (
        canonical_outlet("sputniknews.com") == "Sputnik"
        and canonical_outlet("Unknown Daily") == "Unknown Daily"
    )


def _page(head: str, body: str) -> str:
    text = " ".join(f"Sentence {i} of the story, which goes on for a while." for i in range(8))
    return (
        f"<html><head><title>A story</title>{head}</head><body><article><h1>A story</h1>"
        f"<p>{body}</p><p>{text}</p></article></body></html>"
    )


def test_a_page_date_comes_from_its_metadata_never_from_its_body_or_a_made_up_day() -> None:
    """Shapes of real pages: a date the body mentions, an embedded post's date, a month in the
    address with no day. None is the article's date; the page's own metadata is."""
    from narratrace.ingest.prepare import prepare
    from narratrace.model import RawDocument

    dated = _page('<meta property="article:published_time" content="2017-11-14T09:00:00Z">', "The story.")
    article = prepare(RawDocument(source="a.html", line=None, raw=dated, kind="html"))
    assert article.published == "2017-11-14" and article.provenance["published"] == "page metadata"
    mentions = _page(
        "", "On 26 August 2017 the army said so. Posted by Syrian Reporters on February 19, 2018."
    )
    blog = prepare(
        RawDocument(
            source="b.html", line=None, raw=mentions, kind="html", url="https://le-blog.example/2018/03/story"
        )
    )
    # the address gives the month: kept as the month, never as a day of it
    assert blog.published == "2018-03" and blog.provenance["published"] == "url"
    from narratrace.export import article_row

    assert article_row(blog)["published_precision"] == "month"
    assert article_row(article)["published_precision"] == "day"


def test_datelines_as_real_pages_open() -> None:
    from narratrace.ingest.dates import dateline

    assert dateline("November 7, 2017 – Fort Russ News – Paul Antonopoulos – The US ...") == (
        "2017-11-07",
        19,
    )
    assert dateline("م 5:05 2017/11/12 Tishreen Newspaper, English Website") == ("2017-11-12", 18)
    assert dateline("12 March 2019 - Moscow said") == ("2019-03-12", 16)
    # a sentence that opens with a date is not a dateline
    assert dateline("May 5, 2020 was the day the talks ended.") is None
    assert dateline("The March 1, 2021 vote") is None


def test_dates_in_the_sources_languages() -> None:
    """Shapes of real pages in realnews's languages: month names of each language (from the
    locale data of dateparser), CJK dates, digits of other scripts; a word that is no month is
    no date."""
    from narratrace.ingest.dates import dateline, parse_date

    assert parse_date("7 ноября 2017") == "2017-11-07"
    assert parse_date("22 червня 2015, 10:18") == "2015-06-22"  # Ukrainian June
    assert parse_date("7. November 2017") == "2017-11-07"
    assert parse_date("Publicado el 18 de agosto de 2025, 18:28") == "2025-08-18"
    assert parse_date("20 février 2026") == "2026-02-20"
    assert parse_date("7 listopada 2017") == "2017-11-07"  # Polish November, not Croatian October
    assert parse_date("(20 أغسطس 2020م)") == "2020-08-20"
    assert parse_date("١٢ نوفمبر ٢٠١٧") == "2017-11-12"  # Arabic-Indic digits
    assert parse_date("2020年8月20日") == "2020-08-20"
    assert parse_date("2017년 11월 7일") == "2017-11-07"
    assert parse_date("12 people 2019") is None
    assert dateline("7 ноября 2017 г. – Фонд стратегической культуры") == ("2017-11-07", 19)
    assert dateline("7. November 2017 | RT Deutsch") == ("2017-11-07", 19)
    assert dateline("12 people 2019 – were there") is None
