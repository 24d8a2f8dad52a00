"""Narratives on the seeds: one narrative, genuine news kept out, fact-checks linked as debunks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from tests.conftest import SEEDS

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives import thresholds
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.service import import_catalogue, update_narratives
from narratrace.reuse.run import update
from narratrace.store import Store
from narratrace.store import catalogue as stored

FIXTURE = Path(__file__).parent / "fixtures" / "euvsdisinfo.csv"
CATALOGUE = Path(__file__).parents[2] / "examples" / "catalogue.csv"

NEWS = """Kurdish-led forces retake Syrian prison after week-long battle

Kurdish-led forces said on Wednesday they had regained full control of the Ghwayran prison in
Hasakah, a week after Islamic State fighters stormed it in an attempt to free comrades.

The Syrian Democratic Forces said hundreds of militants had surrendered and that the fighting
had killed dozens of its members and prison staff. The U.S.-led coalition said it carried out
air strikes to support the operation.

The prison holds thousands of suspected Islamic State members, including foreigners whose home
countries have refused to take them back.
"""

FACT_CHECK = """Fact check: no, US helicopters did not evacuate ISIS members from a Syrian prison

Claims that US helicopters evacuated ISIS members from the prison in Hasakah circulate again.
Our verdict: false. The claim relies on an anonymous source quoted by Sputnik and on videos that
show routine coalition flights; there is no evidence that US forces evacuated Daesh fighters.
"""


def build(tmp_path: Path) -> Store:
    store = Store(tmp_path / "n.db")
    ingest(iter_documents([str(SEEDS)]), store, workers=1)
    import_catalogue(store, [FIXTURE], on_error=lambda e: None)
    update(store)
    return store


def test_all_five_seeds_form_one_narrative_linked_to_the_catalogue(tmp_path: Path) -> None:
    store = build(tmp_path)
    (narrative,) = update_narratives(store)
    assert narrative.id == "catalogue:EVD-0001" and narrative.catalogue == ["EVD-0001"]
    assert len(narrative.articles) == 5 and narrative.debunks == []
    assert "Press TV" in narrative.outlets and narrative.languages == ["en"]
    assert narrative.first_seen == "2021-03-01" and narrative.dated == 1  # only 002 gives its date
    # Daesh (000, 002-004) and ISIS (001) are one entity, under the alias table's name
    assert "Islamic State" in narrative.entities and not {"Daesh", "ISIS"} & set(narrative.entities)
    assert len(narrative.families) == 1 and len(narrative.families[0]) == 2


def test_news_stays_out_fact_checks_are_debunks_and_ids_are_stable(tmp_path: Path) -> None:
    store = build(tmp_path)
    first = update_narratives(store)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "reuters_style_news.txt").write_text(NEWS)
    (tmp_path / "more" / "fact_check.txt").write_text(FACT_CHECK)
    ingest(iter_documents([str(tmp_path / "more")]), store, workers=1)
    update(store)
    (narrative,) = update_narratives(store)
    assert narrative.id == first[0].id
    ids = {Path(a.source).name: a.id for a in store.articles()}
    assert ids["reuters_style_news.txt"] not in narrative.articles + narrative.debunks
    assert narrative.debunks == [ids["fact_check.txt"]]
    assert len(narrative.articles) == 5


def test_a_changed_bar_redoes_the_stored_matches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stored matches record the settings they were made under (run.parameters): change a
    bar, and the next run judges every article again instead of keeping matches made under the
    old one."""
    store = build(tmp_path)
    (narrative,) = update_narratives(store)
    assert len(narrative.articles) == 5
    monkeypatch.setattr(thresholds, "GATE", 1.01)  # no catalogue sentence comes this close
    assert update_narratives(store) == []


def test_members_ledes_are_encoded_once_not_on_every_join(tmp_path: Path) -> None:
    """An unmatched article is compared with the members' ledes, stored when they matched."""
    store = build(tmp_path)
    update_narratives(store)
    members = {a.id for a in store.articles()}
    assert set(stored.ledes(store.db, members)) == members
    encoded: list[str] = []

    def counting(texts: Sequence[str]) -> F32:
        encoded.extend(texts)
        return encode(texts)

    def add(name: str, text: str) -> None:
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.txt").write_text(text)
        ingest(iter_documents([str(folder)]), store, workers=1)
        update_narratives(store, counting)

    member_sentences = {s for texts, _ in stored.ledes(store.db, members).values() for s in texts}
    add("news", NEWS)
    assert encoded and not member_sentences & set(encoded)  # only the new article was encoded
    with store.transaction() as db:  # as a store from before the ledes were kept
        db.execute("DELETE FROM member_ledes")
    encoded.clear()
    add("more_news", NEWS.replace("Wednesday", "Thursday"))
    assert member_sentences & set(encoded)  # encoded once, and kept
    assert set(stored.ledes(store.db, members)) == members
    store.close()


UNRELATED = (
    "Chancellor sets out plans for school funding\n\n"
    "The chancellor has set out plans to raise spending on schools in England by a fifth over the next "
    "four years. Head teachers said the money would help with rising pupil numbers. The plans also "
    "include new funding for nursery places in the poorest areas. Opposition parties said the figures "
    "included money already announced in last year's budget.\n"
)


def test_an_article_far_from_every_entry_is_read_by_its_opening_only(tmp_path: Path) -> None:
    """Grouping stops after two sentences of an article about something else; pushers read on."""
    store = build(tmp_path)
    folder = tmp_path / "unrelated"
    folder.mkdir()
    (folder / "schools.txt").write_text(UNRELATED)
    ingest(iter_documents([str(folder)]), store, workers=1)
    encoded: list[str] = []

    def counting(texts: Sequence[str]) -> F32:
        encoded.extend(texts)
        return encode(texts)

    narratives = update_narratives(store, counting)
    assert len(narratives) == 1 and len(narratives[0].articles) == 5  # the seeds, read in full
    schools = next(a for a in store.articles() if a.title and "school funding" in a.title)
    assert any("The chancellor has set out plans" in s for s in encoded)  # its opening was read
    assert not any("nursery" in s for s in encoded)  # its third sentence was not
    assert schools.id not in narratives[0].articles
    store.close()


# The lede of a news report on the MH17 verdict, close to the claim's sentences (0.60), in one
# paragraph as extracted pages give it.
MH17_LEDE = (Path(__file__).parent / "fixtures" / "mh17_verdict_lede.txt").read_text()


def test_the_headline_counts_in_the_judgement_of_a_close_lede(tmp_path: Path) -> None:
    """The same lede, close to the MH17 claim's sentences, under two headlines, each in a store of
    its own: under the headline that states the claim the article is judged likelier to push it
    than under the one that names the event (the model's weights, fitted on real articles, give
    the headline a small part: news on the same events is as close to a case as its pushers)."""

    def judged(headline: str, name: str) -> float:
        (tmp_path / name).mkdir()
        (tmp_path / name / "article.txt").write_text(f"{headline}\n\n{MH17_LEDE}")
        with Store(tmp_path / f"{name}.db") as store:
            import_catalogue(store, [CATALOGUE], on_error=lambda e: None)
            ingest(iter_documents([str(tmp_path / name)]), store, workers=1)
            (article,) = store.articles()
            assert article.title == headline
            update_narratives(store)
            (match,) = [m for m in stored.matches(store.db) if m.article == article.id]
            assert match.entry == "EVD-0005" and match.status in ("confident", "review")
            assert match.probability is not None
            return match.probability

    news = judged("Dutch court convicts three men of murder over MH17", "news")
    claim = judged("MH17 was shot down by a Ukrainian fighter jet, witnesses say", "claim")
    assert claim > news
