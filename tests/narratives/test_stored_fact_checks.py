"""A narrative the imported catalogue does not know is named by a fact-check among the stored
articles: the fact-check becomes a catalogue entry of its own, the articles pushing the claim it
refutes form its narrative, and it is linked as their debunk."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_bench
from tests.narratives.team_sets import BENCH, CATALOGUE, HELD_OUT_2, catalogue_without

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives.service import (
    FACT_CHECKS_STATE,
    STORED_FACT_CHECK,
    import_catalogue,
    stored_fact_check_entry,
    update_narratives,
)
from narratrace.store import Store
from narratrace.store import catalogue as stored
from narratrace.store import state as analysis

ROWS = {row["id"]: row for row in map(json.loads, BENCH.read_text(encoding="utf-8").splitlines())}
# The benchmark's six narratives, each left out of the catalogue in turn, were found through
# their fact-checks (and joins and copies) for 19 of their 25 pushing articles, with 7 news
# articles placed over the six runs (bench/quality/narratives.py --leave-one-out). The hand-set
# headline rule gave 22 and 0 here, where it was chosen; on real articles the model fitted there
# replaced it (bench/quality/realnews.py). A regression check, pinned where it stands: 20 with
# the model as first shipped, 19 with it refitted by its script on the code of today (the
# confident bar 0.5999 -> 0.6226), which is what ships.
LEFT_OUT_FOUND_FLOOR = 19
LEFT_OUT_NEWS_MAX = 7


def test_a_stored_fact_check_names_the_narrative_the_catalogue_lacks(tmp_path: Path) -> None:
    with Store(tmp_path / "f.db") as store:
        ingest(iter_documents([str(BENCH)]), store, workers=1)
        import_catalogue(store, [catalogue_without(tmp_path, "EVD-0005")], on_error=lambda error: None)
        found = update_narratives(store)
        ids = {a.title: a.id for a in store.articles()}
        stored_id = {key: ids[row["title"]] for key, row in ROWS.items()}
        made = [e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK]
        # the catalogue's other fact-checks matched their entries: only nb-036 names a narrative
        assert [e.id for e in made] == [f"article:{stored_id['nb-036']}"]
        assert made[0].title == "MH17 was not downed by a Ukrainian fighter jet"
        assert made[0].claim == "The claim that a Ukrainian Su-25 jet shot down MH17 is false."
        (narrative,) = [n for n in found if n.catalogue == [made[0].id]]
        assert narrative.debunks == [stored_id["nb-036"]]
        assert {"nb-030", "nb-032"} <= {key for key, i in stored_id.items() if i in narrative.articles}
        placed = {a for n in found for a in n.articles}
        assert not {stored_id[k] for k, r in ROWS.items() if r["gold"] == "news"} & placed

        # nothing new: the fact-checks are not matched again, and the narratives stay as they are
        synced = analysis.state(store.db, FACT_CHECKS_STATE)
        assert synced and synced.endswith("|" + stored.signature(store.db))
        assert update_narratives(store) == found
        assert analysis.state(store.db, FACT_CHECKS_STATE) == synced

        # once the catalogue knows the claim, the fact-check is its debunk and its own entry goes
        import_catalogue(store, [CATALOGUE], on_error=lambda error: None)
        regrouped = update_narratives(store)
        assert not [e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK]
        (known,) = [n for n in regrouped if n.catalogue == ["EVD-0005"]]
        assert known.debunks == [stored_id["nb-036"]] and set(narrative.articles) <= set(known.articles)


def test_without_any_catalogue_each_fact_check_names_a_narrative(tmp_path: Path) -> None:
    with Store(tmp_path / "n.db") as store:
        ingest(iter_documents([str(BENCH)]), store, workers=1)
        found = update_narratives(store)
        made = [e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK]
    assert len(made) == sum(r["gold"].startswith("factcheck:") for r in ROWS.values()) == 6
    assert len([n for n in found if n.articles]) >= 5


def test_the_claim_a_fact_check_reports_stands_for_it() -> None:
    row = ROWS["nb-022"]
    with Store(":memory:") as store:
        ingest(iter_documents([str(BENCH)]), store, workers=1)
        (article,) = [a for a in store.articles() if a.title == row["title"]]
    entry = stored_fact_check_entry(article)
    assert entry.title == "the coronavirus was not made at Fort Detrick"
    assert entry.claim.startswith("A claim circulating online says the coronavirus was created")


def test_leave_one_out_gate(tmp_path: Path) -> None:
    """Each of the six narratives left out of the catalogue in turn (bench/quality/narratives.py
    --leave-one-out): its pushers are found through its fact-check."""
    runs = run_bench("bench.quality.narratives", tmp_path / "loo.json", "--set", "bench", "--leave-one-out")
    assert sorted(runs) == sorted({r["gold"] for r in ROWS.values() if r["gold"].startswith("EVD")})
    found = sum(run["found"] for run in runs.values())
    news = sum(len(run["misplaced"]) for run in runs.values())
    assert found >= LEFT_OUT_FOUND_FLOOR and news <= LEFT_OUT_NEWS_MAX, (found, news)


def test_fact_checks_of_one_claim_name_one_narrative(tmp_path: Path) -> None:
    """Two stored fact-checks refute the Su-25 claim (nb-036, and h2-020 of the second held-out
    set): the later one is a debunk of the narrative the first names, not a narrative of its own."""
    with Store(tmp_path / "two.db") as store:
        ingest(iter_documents([str(BENCH), str(HELD_OUT_2)]), store, workers=1)
        import_catalogue(store, [catalogue_without(tmp_path, "EVD-0005")], on_error=lambda error: None)
        found = update_narratives(store)
        ids = {a.title: a.id for a in store.articles()}
        made = [e for e in stored.entries(store.db) if e.origin == STORED_FACT_CHECK]
    later = ids[next(r["title"] for r in map(json.loads, HELD_OUT_2.open()) if r["id"] == "h2-020")]
    assert [e.id for e in made] == [f"article:{ids[ROWS['nb-036']['title']]}"]
    (narrative,) = [n for n in found if n.catalogue == [made[0].id]]
    assert set(narrative.debunks) == {ids[ROWS["nb-036"]["title"]], later}


def test_a_fact_check_alone_lists_no_narrative(tmp_path: Path) -> None:
    """A stored fact-check whose claim no stored article pushes makes its entry (ready for the
    articles to come) but no narrative of its own: a fact-checker's archive is not a list of
    empty narratives."""
    lone = tmp_path / "lone.jsonl"
    lone.write_text(json.dumps(ROWS["nb-022"]) + "\n", encoding="utf-8")
    with Store(tmp_path / "lone.db") as store:
        ingest(iter_documents([str(lone)]), store, workers=1)
        assert update_narratives(store) == []
        (made,) = stored.entries(store.db)
        assert made.origin == STORED_FACT_CHECK
