"""Candidate narratives: a claim that no catalogue entry or stored fact-check names is found when
articles of different outlets repeat it months apart (discovery.py); news of one event, which
repeats itself within days, is not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.conftest import run_bench

from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.model import Article
from narratrace.narratives import discovery
from narratrace.narratives.discovery import Lede, candidates, repeats
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.service import discover, update_narratives
from narratrace.narratives.thresholds import MIN_ARTICLES, RECUR_DAYS
from narratrace.sentences import sentences
from narratrace.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "uncatalogued.jsonl"
# Three articles (en 2020, de 2021, fr 2022) push a claim no catalogue here names; two news
# articles (en, de) report one vaccine rollout a day apart.
PUSHING = {"u-1", "u-2", "u-3"}
LATER = {
    "id": "u-4",
    "outlet": "Truth Wire",
    "published": "2023-01-15",
    "language": "en",
    "title": "African children used as guinea pigs for Western vaccines",
    "text": "Western drug companies are secretly testing new vaccines on African children, activists say. "
    "Parents were never asked for their consent. Some of the children became ill after being injected.",
}
# Discovery alone (no catalogue entry, no fact-check) on the three narrative benchmarks in one
# store: BCubed F1 0.797, precision 0.973, recall 0.676; three news articles (an agency's 2019 and
# 2023 findings on one attack) form one candidate (bench.quality.narratives --set all --discover
# --no-catalogue). Recall is low: two narratives pushed in one burst look like news of an event.
DISCOVERY_F1_FLOOR = 0.78
DISCOVERY_PRECISION_FLOOR = 0.95
DISCOVERY_MAX_NEWS = 3
# BBC stories alone, random dates: 43 false candidates, 8.0 % of the stories in one.
MAX_NEWS_CANDIDATES = 45
MAX_NEWS_CANDIDATE_SHARE = 0.085


def _lede(key: str, vector: list[float], published: str | None, outlet: str) -> Lede:
    article = Article(id=key, text="x", raw="x", source="test", outlet=outlet, published=published)
    unit = np.array([vector], dtype=np.float32)
    return Lede(article, [f"sentence of {key}"], unit / np.linalg.norm(unit))


def test_a_repeat_months_apart_makes_a_candidate_and_one_days_apart_does_not() -> None:
    claim, event = [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]
    ledes = [
        _lede("a", claim, "2019-01-01", "one"),
        _lede("b", claim, "2021-06-01", "two"),
        _lede("c", claim, "2021-06-03", "three"),
        _lede("news-1", event, "2022-03-01", "one"),
        _lede("news-2", event, "2022-03-02", "two"),
        _lede("news-3", event, "2022-03-04", "three"),
        _lede("other", [0.0, 0.0, 1.0], "2020-01-01", "three"),
    ]
    order = {x.article.id: i for i, x in enumerate(ledes)}
    (found,) = candidates(repeats(ledes), order)
    assert found.articles == ["a", "b", "c"] and found.id == "candidate:a"
    assert {(r.earlier, r.later, r.days) for r in found.repeats} == {
        ("a", "b", 882),
        ("a", "c", 884),
        ("b", "c", 2),
    }
    assert all(r.score == 1.0 for r in found.repeats)
    assert {r.earlier_sentence for r in found.repeats} == {"sentence of a", "sentence of b"}


def test_no_resurfacing_without_dates_across_one_outlet_or_with_two_articles() -> None:
    claim = [1.0, 0.0]
    undated = [_lede("a", claim, None, "one"), *(_lede(k, claim, "2021-06-01", k) for k in "bc")]
    assert candidates(repeats(undated), {"a": 0, "b": 1, "c": 2}) == []
    one_outlet = [_lede(k, claim, f"20{19 + i}-01-01", "same") for i, k in enumerate("abc")]
    assert candidates(repeats(one_outlet), {"a": 0, "b": 1, "c": 2}) == []
    two = [_lede("a", claim, "2019-01-01", "one"), _lede("b", claim, "2021-06-01", "two")]
    assert MIN_ARTICLES == 3 and candidates(repeats(two), {"a": 0, "b": 1}) == []
    just_in_time = [
        _lede("a", claim, "2021-01-01", "one"),
        _lede("b", claim, f"2021-01-{1 + RECUR_DAYS:02d}", "two"),
        _lede("c", claim, "2021-01-02", "three"),
    ]
    assert [c.articles for c in candidates(repeats(just_in_time), {"a": 0, "b": 1, "c": 2})] == [
        ["a", "b", "c"]
    ]


def _planted(
    rng: np.random.Generator, articles: int, dimensions: int = 128
) -> tuple[list[Lede], set[tuple[str, str]]]:
    """`articles` articles of three random lede sentences and a random headline (128 dimensions:
    no two random vectors come near the bar), with repeats planted among them: pairs without
    headlines that share a close lede sentence, pairs close only through their headlines, and
    close pairs of one outlet, which are no repeat. Returns the ledes and the planted repeats."""

    def unit(v: np.ndarray[Any, Any]) -> F32:
        unit_vector: F32 = (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)
        return unit_vector

    ledes = [
        Lede(
            Article(id=f"a{i:05d}", text="x", raw="x", source="test", outlet=f"outlet {i % 40}"),
            [f"{i}.{k}" for k in range(3)],
            unit(rng.standard_normal((3, dimensions))),
            unit(rng.standard_normal(dimensions)),
        )
        for i in range(articles)
    ]
    planted: set[tuple[str, str]] = set()
    for first in range(0, articles - 1, 37):  # 0, 37, 74, ...: outlets first % 40 and (first + 1) % 40
        a, b = ledes[first], ledes[first + 1]
        kind = (first // 37) % 3
        if kind == 0:  # one lede sentence repeated in other words (cosine about 0.9), no headlines
            a = ledes[first] = Lede(a.article, a.sentences, a.vectors)
            b = ledes[first + 1] = Lede(b.article, b.sentences, b.vectors)
            b.vectors[2] = unit(a.vectors[1] + 0.33 * unit(rng.standard_normal(dimensions)))
        elif kind == 1:  # close headlines (0.9) and ledes that only share a topic (0.55): mean 0.72
            assert a.headline is not None and b.headline is not None
            shared = unit(rng.standard_normal(dimensions))
            a.headline[:] = unit(shared + 0.33 * unit(rng.standard_normal(dimensions)))
            b.headline[:] = unit(shared + 0.33 * unit(rng.standard_normal(dimensions)))
            topic = unit(rng.standard_normal(dimensions))
            a.vectors[0] = unit(topic + 0.9 * unit(rng.standard_normal(dimensions)))
            b.vectors[0] = unit(topic + 0.9 * unit(rng.standard_normal(dimensions)))
        else:  # a close pair of one outlet (40 articles on): not a repeat
            if first + 40 < articles:
                ledes[first + 40].vectors[0] = unit(
                    a.vectors[0] + 0.2 * unit(rng.standard_normal(dimensions))
                )
            continue
        planted.add((a.article.id, b.article.id))
    return ledes, planted


def test_the_inverted_file_search_finds_nearly_what_the_exact_search_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past EXACT_MAX_VECTORS the pairs come from an inverted file, in blocks of vectors; on
    planted repeats (some close only through their headlines) the exact search finds them all
    and no pair of one outlet, and the inverted file nearly all, nothing else."""
    ledes, planted = _planted(np.random.default_rng(3), 7_000)  # 28,000 vectors
    exact = [(r.earlier, r.later, r.score) for r in repeats(ledes)]
    assert {(a, b) for a, b, _ in exact} == planted and len(planted) == 127
    monkeypatch.setattr(discovery, "EXACT_MAX_VECTORS", 1_000)
    monkeypatch.setattr(discovery, "SEARCH_BLOCK", 5_000)
    searched = [(r.earlier, r.later, r.score) for r in repeats(ledes)]
    # approximate: random vectors, with no clusters for the cells to follow, are its worst case
    # (here it misses 1 of 127; on 10,000 news articles it finds 99.72 % of the close pairs,
    # bench/speed/discovery_search.py --inverted)
    assert set(searched) <= set(exact) and len(searched) >= 0.95 * len(exact)
    assert searched == [found for found in exact if found in set(searched)]  # in the same order


def test_an_uncatalogued_claim_is_discovered_across_languages_and_keeps_its_id(tmp_path: Path) -> None:
    with Store(tmp_path / "d.db") as store:
        ingest(iter_documents([str(FIXTURE)]), store, workers=1)
        named = update_narratives(store)
        assert named == []  # an empty catalogue names nothing
        key_of = {
            a.id: json.loads(line)["id"] for a, line in zip(store.articles(), FIXTURE.open(), strict=True)
        }
        (found,) = discover(store, named)
        assert found.candidate and found.catalogue == []
        assert {key_of[a] for a in found.articles} == PUSHING
        assert found.languages == ["de", "en", "fr"]
        assert (found.first_seen, found.last_seen, found.dated) == ("2020-05-04", "2022-03-01", 3)
        assert found.label in {r.earlier_sentence for r in found.repeats} | {
            r.later_sentence for r in found.repeats
        }
        assert all(r.score >= 0.65 for r in found.repeats) and any(
            r.days and r.days >= 365 for r in found.repeats
        )

        # what was encoded is kept: a second run encodes nothing and finds the same
        encoded: list[str] = []

        def counting(texts: Sequence[str]) -> F32:
            encoded.extend(texts)
            return encode(texts)

        assert discover(store, named, counting) == [found] and encoded == []

        later = tmp_path / "later.jsonl"
        later.write_text(json.dumps(LATER) + "\n", encoding="utf-8")
        ingest(iter_documents([str(later)]), store, workers=1)
        (looked,) = discover(store, update_narratives(store), counting, keep=False)
        assert encoded == [*sentences(LATER["text"]), LATER["title"]]  # the new article only
        (grown,) = discover(store, update_narratives(store), counting)
        assert len(encoded) == 2 * 4  # not kept the first time (keep=False), so encoded again
        assert grown == looked and grown.id == found.id  # the member stored first names it
        assert set(found.articles) < set(grown.articles) and len(grown.articles) == 4


def test_narratives_discover_in_json(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    run = [sys.executable, "-m", "narratrace", "--db", db]
    subprocess.run([*run, "ingest", str(FIXTURE)], check=True, capture_output=True)
    plain = subprocess.run([*run, "narratives", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(plain.stdout) == []
    shown = subprocess.run(
        [*run, "narratives", "--discover", "--json"], capture_output=True, text=True, check=True
    )
    (candidate,) = json.loads(shown.stdout)
    assert candidate["status"] == "candidate" and candidate["id"].startswith("candidate:")
    assert len(candidate["articles"]) == 3 and candidate["debunks"] == []
    assert {"earlier", "later", "earlier_sentence", "later_sentence", "score", "days"} <= set(
        candidate["repeats"][0]
    )
    wide = {**os.environ, "COLUMNS": "250"}  # each table row on one line
    table = subprocess.run(
        [*run, "narratives", "--discover"], capture_output=True, text=True, check=True, env=wide
    )
    assert "candidate" in table.stdout and "days later" in table.stdout  # its evidence, the repeats


def test_discovery_gate_on_the_narrative_benchmarks(tmp_path: Path) -> None:
    scores = run_bench(
        "bench.quality.narratives", tmp_path / "scores.json", "--set", "all", "--discover", "--no-catalogue"
    )
    assert scores["f1"] >= DISCOVERY_F1_FLOOR, (scores["f1"], scores["missed"], scores["misplaced"])
    assert scores["precision"] >= DISCOVERY_PRECISION_FLOOR, scores["misplaced"]
    assert scores["news_misplaced"] <= DISCOVERY_MAX_NEWS, scores["misplaced"]


def test_analyze_discover_shows_the_candidate_in_the_summary_and_report(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "a.db"), "analyze", str(FIXTURE)]
    wide = {**os.environ, "COLUMNS": "200"}  # the summary table's rows on one line each
    done = subprocess.run(
        [*run, "--report", str(report), "--discover"], capture_output=True, text=True, env=wide
    )
    assert done.returncode == 0, done.stderr
    assert "candidate, named by no catalogue entry or fact-check" in done.stdout
    html = report.read_text(encoding="utf-8")
    assert "<strong>Candidate</strong>" in html and "days apart" in html
    assert "Western pharmaceutical companies are secretly testing" in html
    without = subprocess.run([*run, "--report", str(report)], capture_output=True, text=True, env=wide)
    assert without.returncode == 0 and "candidate" not in without.stdout


def test_export_discover_writes_candidates_with_their_status(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "e.db")]
    subprocess.run([*run, "ingest", str(FIXTURE)], check=True, capture_output=True)
    for fmt in ("jsonl", "csv"):
        out = tmp_path / fmt
        subprocess.run([*run, "export", "--format", fmt, "--out", str(out), "--discover"], check=True)
        text = (out / f"narratives.{fmt}").read_text(encoding="utf-8")
        assert "candidate:" in text and "candidate" in text.splitlines()[-1]
    (row,) = [json.loads(line) for line in (tmp_path / "jsonl" / "narratives.jsonl").open()]
    assert row["status"] == "candidate" and len(row["articles"]) == 3 and row["repeats"]
    plain = tmp_path / "plain"
    subprocess.run([*run, "export", "--format", "jsonl", "--out", str(plain)], check=True)
    assert (plain / "narratives.jsonl").read_text() == ""


def test_genuine_news_alone_makes_few_candidates(bbc_path: Path, tmp_path: Path) -> None:
    """2,092 distinct BBC stories, every one genuine news, given random dates (the worst case):
    43 false candidates holding 8.0 % of them (bench/quality/discovery_news.py)."""
    result = run_bench("bench.quality.discovery_news", tmp_path / "news.json")
    assert result["stories"] == 2092
    assert result["candidates"] <= MAX_NEWS_CANDIDATES, result["first_candidates"]
    assert result["members"] <= MAX_NEWS_CANDIDATE_SHARE * result["stories"]


def test_a_promoted_candidate_becomes_a_known_narrative_that_match_finds(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "p.db")]

    def narratrace(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run, *args], capture_output=True, text=True)

    assert narratrace("ingest", str(FIXTURE)).returncode == 0
    (candidate,) = json.loads(narratrace("narratives", "--discover", "--json").stdout)
    missing = narratrace("catalogue", "promote", "candidate:nope")
    assert missing.returncode == 1 and "no candidate narrative 'candidate:nope'" in missing.stderr
    title = "Western companies test vaccines on African children"
    promoted = narratrace("catalogue", "promote", candidate["id"], "--title", title)
    assert promoted.returncode == 0, promoted.stderr
    entry_id = "discovered:" + candidate["id"].removeprefix("candidate:")
    (entry,) = json.loads(narratrace("catalogue", "list", "--json").stdout)
    assert (entry["id"], entry["origin"], entry["title"]) == (entry_id, "discovered", title)
    assert entry["claim"].startswith(candidate["label"])
    assert narratrace("catalogue", "promote", candidate["id"]).returncode == 1  # it is a candidate no more

    (known,) = json.loads(narratrace("narratives", "--discover", "--json").stdout)
    assert known["status"] == "known" and known["catalogue"] == [entry_id]
    # the catalogue's rule admits more than the repeat rule: the report of a malaria vaccine rollout
    # for African children comes to 0.60 of the entry (the bar is 0.58), and its German twin joins
    # through it, as genuine news close to a claim can join any catalogue entry's narrative
    assert set(candidate["articles"]) <= set(known["articles"])
    found = json.loads(narratrace("match", "--json", "--text", LATER["text"]).stdout)
    assert found[0]["matches"][0]["id"] in (entry_id, f"catalogue:{entry_id}")
    exported = tmp_path / "reviews.json"
    assert narratrace("export", "--format", "claimreview", "--out", str(exported)).returncode == 0
    assert json.loads(exported.read_text()) == []  # named by an analyst, rated by no fact-checker
