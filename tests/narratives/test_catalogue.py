"""Catalogue import: EUvsDisinfo-style CSV and ClaimReview JSON-LD, with clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from narratrace.errors import InputError
from narratrace.model import CatalogueEntry
from narratrace.narratives.catalogue import NotRead, read_catalogue, split_list

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
    bad.write_text(
        "id,date,title\nA1,2020-01-01,Fine\n,2020-01-02,No id\nA3,2020-01-03,\nA4,someday,Undated\n"
    )
    results = list(read_catalogue(bad))
    assert isinstance(results[0], CatalogueEntry)
    assert isinstance(results[1], CatalogueEntry) and results[1].id.startswith(
        "row:"
    )  # an id from its content
    assert isinstance(results[2], InputError) and results[2].location.endswith("bad.csv:4")
    assert isinstance(results[3], NotRead) and (results[3].column, results[3].value) == ("date", "someday")
    assert isinstance(results[4], CatalogueEntry) and results[4].published is None
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("foo,bar\nx,y\n")
    (error,) = read_catalogue(wrong)
    assert isinstance(error, InputError) and "no column for title" in error.reason
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


# The two public EUvsDisinfo scrapes' shapes (../shared/corpus/euvsdisinfo/README.md), with rows of
# our own: ;-delimited, every field quoted, dd.mm.yyyy, comma lists, no id, a duplicate row; and
# ,-delimited with the case address as id and +-joined lists.
KALKUN_SHAPE = (
    '"issue";"date";"outlet";"language";"origin";"reported by";"keywords";"source";'
    '"title";"summary";"disproof"\n'
    '"80";"07.09.2017";"Outlet One, Outlet Two";"English";"US, Syria";"Network";"Syria";'
    '"https://outlet.example/a";"A claim in short form";"What the outlet said.";"Why it is false."\n'
    '"80";"07.09.2017";"Outlet One, Outlet Two";"English";"US, Syria";"Network";"Syria";'
    '"https://outlet.example/a";"A claim in short form";"What the outlet said.";"Why it is false."\n'
    '"81";"31.02.2017";"Outlet Three";"Russian";"Ukraine";"Network";"War";'
    '"https://outlet.example/b";"Another claim";"";""\n'
)
CKNABS_SHAPE = (
    "date,id,title,countries,keywords,languages,outlets\n"
    "2021-02-18,https://cases.example/report/one/,One claim,Russia+Germany,A+B,Russian,"
    "lifenews.ru+Sputnik News Russian\n"
)


def test_real_scrape_shapes_import_with_every_field(tmp_path: Path) -> None:
    kalkun = tmp_path / "kalkun.csv"
    kalkun.write_text(KALKUN_SHAPE, encoding="utf-8")
    results = list(read_catalogue(kalkun))
    entries = [r for r in results if isinstance(r, CatalogueEntry)]
    (not_read,) = [r for r in results if isinstance(r, NotRead)]
    assert len(entries) == 2  # the duplicate row once
    first = entries[0]
    assert (first.title, first.summary, first.disproof) == (
        "A claim in short form",
        "What the outlet said.",
        "Why it is false.",
    )
    assert first.published == "2017-09-07" and first.outlets == ("Outlet One", "Outlet Two")
    assert first.countries == ("US", "Syria") and first.id.startswith("row:")
    assert (not_read.column, not_read.value) == ("date", "31.02.2017") and entries[1].published is None
    with_url = list(read_catalogue(kalkun, {"url": "source"}))
    assert next(e.url for e in with_url if isinstance(e, CatalogueEntry)) == "https://outlet.example/a"

    cknabs = tmp_path / "cknabs.csv"
    cknabs.write_text(CKNABS_SHAPE, encoding="utf-8")
    (entry,) = read_catalogue(cknabs)
    assert isinstance(entry, CatalogueEntry)
    assert entry.id == entry.url == "https://cases.example/report/one/"
    assert entry.outlets == ("lifenews.ru", "Sputnik News Russian") and entry.countries == (
        "Russia",
        "Germany",
    )
    assert entry.published == "2021-02-18"


def test_lists_split_on_every_usual_separator() -> None:
    assert split_list("a, b;c + d|e") == ("a", "b", "c", "d", "e")


def test_catalogue_import_command_reports_what_it_could_not_read(tmp_path: Path) -> None:
    """Through the CLI: a summary (and each value with --verbose), and importing the same file
    again stores nothing new."""
    kalkun = tmp_path / "kalkun.csv"
    kalkun.write_text(KALKUN_SHAPE, encoding="utf-8")
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "c.db"), "catalogue", "import"]
    first = subprocess.run([*run, str(kalkun), "--json"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "entries": 2,
        "new": 2,
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "values_not_read": {"date": 1},
    }
    again = subprocess.run([*run, str(kalkun), "--verbose"], capture_output=True, text=True)
    assert "(0 new, 0 changed, 2 unchanged)" in again.stderr
    assert "kalkun.csv:4: column 'date': '31.02.2017' is not a date" in again.stderr


def test_a_claim_column_beside_a_short_title_is_the_claim(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "id,title,claim\n"
        "c1,Does Video Show a Giant Snake?,A video shows a ten-metre snake swimming across a river.\n"
        "c2,Only a title here,\n"
    )
    first, second = read_catalogue(path)
    assert isinstance(first, CatalogueEntry) and isinstance(second, CatalogueEntry)
    assert first.title == "Does Video Show a Giant Snake?" and first.claim.startswith("A video shows")
    assert second.claim == second.title == "Only a title here"


def test_english_vectors_wait_for_the_first_match_and_follow_a_changed_entry(tmp_path: Path) -> None:
    """An import stores no English vector; the first match makes them; re-importing an entry
    with a new text removes its old vector, so the next match makes it from the new text."""
    import numpy as np

    from narratrace.narratives import importing
    from narratrace.narratives.english import encode_english
    from narratrace.narratives.rerank import entry_text
    from narratrace.store import Store
    from narratrace.store import catalogue as stored

    first = CatalogueEntry(
        id="C-1", origin="import", title="Helicopters evacuated militants from a prison", claim=""
    )
    changed = CatalogueEntry(
        id="C-1", origin="import", title="Tankers carried stolen oil across the border", claim=""
    )
    with Store(tmp_path / "c.db") as store:
        importing.save_entries(store, [first], importing.encode)
        assert stored.english(store.db) == {}
        importing.load_index(store)
        before = stored.english(store.db)["C-1"]
        np.testing.assert_allclose(before, encode_english([entry_text(first)])[0], atol=1e-5)
        importing.save_entries(store, [changed], importing.encode)
        assert stored.english(store.db) == {}
        importing.load_index(store)
        np.testing.assert_allclose(
            stored.english(store.db)["C-1"], encode_english([entry_text(changed)])[0], atol=1e-5
        )


def test_how_generic_entry_sentences_are_is_kept_by_the_first_article_matched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first article matched works out how generic each entry sentence is and stores it; the
    next index of the same catalogue reads it (and ranks the same); another entry makes it
    worked out again; the web app's index (`keep=False`) reads and writes nothing."""
    import numpy as np

    from narratrace.narratives import importing
    from narratrace.narratives.search import SentenceSearch
    from narratrace.store import Store
    from narratrace.store import catalogue as stored

    def entry(n: int, title: str) -> CatalogueEntry:
        return CatalogueEntry(id=f"C-{n}", origin="import", title=title, claim="")

    entries = [
        entry(1, "Helicopters evacuated militants from a prison in Deir ez-Zor"),
        entry(2, "Tankers carried stolen oil across the border"),
        entry(3, "The Russophobes are delighted."),
    ]
    lede = ["US helicopters took ISIS commanders out of Deir ez-Zor.", "The Russophobes are delighted."]
    with Store(tmp_path / "c.db") as store:
        importing.save_entries(store, entries, importing.encode)
        served = importing.load_index(store, english=False, keep=False)
        served.closest_entries(served.sentence_vectors(lede, {}), 3)  # as an article is judged
        assert store.db.execute("SELECT COUNT(*) FROM catalogue_generic").fetchone()[0] == 0
        first = importing.load_index(store, english=False)
        queries = first.sentence_vectors(lede, {})
        ranked = first.closest_entries(queries, 3)
        key = first.search.generic_key()
        kept = stored.generic(store.db, key)
        assert kept is not None and np.array_equal(kept, first.search.generic())

        again = importing.load_index(store, english=False)
        with monkeypatch.context() as patched:  # read back, not worked out again
            patched.setattr(SentenceSearch, "_mean_neighbour_cosine", None)
            chosen, scores = again.closest_entries(queries, 3)
        assert np.array_equal(chosen, ranked[0]) and np.array_equal(scores, ranked[1])

        importing.save_entries(store, [entry(4, "Kyiv will detonate a dirty bomb")], importing.encode)
        grown = importing.load_index(store, english=False)
        grown.search.generic()
        assert grown.search.generic_key() != key and stored.generic(store.db, key) is None
        assert stored.generic(store.db, grown.search.generic_key()) is not None
