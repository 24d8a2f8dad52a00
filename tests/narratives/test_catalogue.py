"""Catalogue import: EUvsDisinfo-style CSV and ClaimReview JSON-LD, with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from narratrace.errors import InputError
from narratrace.model import CatalogueEntry
from narratrace.narratives.catalogue import read_catalogue

FIXTURE = Path(__file__).parent / "fixtures" / "euvsdisinfo.csv"

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/2022/helicopters",
    "claimReviewed": "US helicopters airlifted ISIS prisoners out of Hasakah",
    "datePublished": "2022-02-01",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "Press TV"}},
}


def test_euvsdisinfo_csv_entries_keep_their_ids() -> None:
    entries = [e for e in read_catalogue(FIXTURE) if isinstance(e, CatalogueEntry)]
    assert [e.id for e in entries][:2] == ["EVD-0001", "EVD-0002"]
    first = entries[0]
    assert first.title == "US helicopters evacuate ISIS members in Syria"
    assert first.published == "2017-11-14" and first.outlets == ("Sputnik", "Press TV", "SANA")
    assert first.origin == "euvsdisinfo" and first.source.endswith("euvsdisinfo.csv:2")


def test_claimreview_one_object_or_a_list(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(REVIEW))
    (entry,) = read_catalogue(one)
    assert isinstance(entry, CatalogueEntry)
    assert entry.id == REVIEW["url"] and entry.claim == REVIEW["claimReviewed"]
    assert (
        entry.disproof == "False" and entry.author == "Example Fact Check" and entry.outlets == ("Press TV",)
    )
    many = tmp_path / "many.jsonld"
    many.write_text(
        json.dumps([REVIEW, {**REVIEW, "url": "https://factcheck.example/2"}, {"@type": "Article"}])
    )
    results = list(read_catalogue(many))
    assert [type(r).__name__ for r in results] == ["CatalogueEntry", "CatalogueEntry", "InputError"]
    assert "not a ClaimReview" in results[2].reason  # type: ignore[union-attr]


def test_bad_catalogue_rows_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,date,title\nA1,2020-01-01,Fine\n,2020-01-02,No id\n")
    results = list(read_catalogue(bad))
    assert isinstance(results[0], CatalogueEntry)
    assert isinstance(results[1], InputError) and results[1].location.endswith("bad.csv:3")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,text\nx,y\n")
    (error,) = read_catalogue(wrong)
    assert isinstance(error, InputError) and "missing column(s) id, title" in error.reason
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    (error,) = read_catalogue(broken)
    assert isinstance(error, InputError) and "malformed JSON" in error.reason


def test_claimreview_data_feed(tmp_path: Path) -> None:
    """The bulk feeds fact-check aggregators publish: a DataFeed whose elements hold the reviews."""
    feed = {
        "@context": "http://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "dateCreated": "2022-02-02", "item": [REVIEW]},
            {"@type": "DataFeedItem", "item": {**REVIEW, "url": "https://factcheck.example/2"}},
            {"@type": "DataFeedItem", "item": [{"@type": "ClaimReview", "url": "https://x.example/3"}]},
        ],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed))
    results = list(read_catalogue(path))
    assert [r.id for r in results if isinstance(r, CatalogueEntry)] == [
        REVIEW["url"],
        "https://factcheck.example/2",
    ]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.location == f"{path}:item 3" and "needs claimReviewed and url" in error.reason


def test_claimreview_in_a_saved_fact_check_page(tmp_path: Path) -> None:
    """A fact-check page carries its ClaimReview among other JSON-LD (the article, breadcrumbs)."""
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Fact check"}
    page = tmp_path / "check.html"
    page.write_text(
        "<html><head><title>Fact check</title>"
        f'<script type="application/ld+json">{json.dumps(article)}</script>'
        "<script type='application/ld+json'>{broken</script>"
        f'<script type="application/ld+json">{json.dumps({"@graph": [article, REVIEW]})}</script>'
        "</head><body><p>No evidence supports the claim.</p></body></html>"
    )
    results = list(read_catalogue(page))
    entries = [r for r in results if isinstance(r, CatalogueEntry)]
    assert [e.id for e in entries] == [REVIEW["url"]] and entries[0].disproof == "False"
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.location == f"{page}:JSON-LD block 2" and "malformed JSON" in error.reason
    bare = tmp_path / "bare.html"
    bare.write_text(f'<html><script type="application/ld+json">{json.dumps(article)}</script></html>')
    (none,) = read_catalogue(bare)
    assert isinstance(none, InputError) and "no ClaimReview" in none.reason


def test_fact_check_tools_api_answer(tmp_path: Path) -> None:
    """What the Google Fact Check Tools API returns for a search: claims with their reviews."""
    answer = {
        "claims": [
            {
                "text": "US helicopters evacuated Daesh commanders from Hasakah",
                "claimant": "Press TV",
                "claimDate": "2022-01-28T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {"name": "Example Fact Check", "site": "factcheck.example"},
                        "url": "https://factcheck.example/hasakah",
                        "title": "No, US helicopters did not evacuate Daesh commanders",
                        "reviewDate": "2022-02-03T00:00:00Z",
                        "textualRating": "False",
                        "languageCode": "en",
                    }
                ],
            },
            {"text": "A claim nobody reviewed"},
        ],
        "nextPageToken": "abc",
    }
    path = tmp_path / "search.json"
    path.write_text(json.dumps(answer))
    entry, error = read_catalogue(path)
    assert isinstance(entry, CatalogueEntry) and isinstance(error, InputError)
    assert entry.id == "https://factcheck.example/hasakah" and entry.claim.startswith("US helicopters")
    assert entry.title.startswith("No, US helicopters") and entry.disproof == "False"
    assert entry.published == "2022-02-03" and entry.author == "Example Fact Check"
    assert entry.outlets == ("Press TV",)
    assert error.location == f"{path}:claim 2" and "claimReview" in error.reason
