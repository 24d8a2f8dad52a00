"""Matching unseen articles to the catalogue, on the seeds and on unrelated news."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import SEEDS

from narratrace.ingest.prepare import prepare
from narratrace.model import CatalogueEntry, RawDocument
from narratrace.narratives.catalogue import read_catalogue
from narratrace.narratives.matcher import CatalogueIndex

FIXTURE = Path(__file__).parent / "fixtures" / "euvsdisinfo.csv"
EXAMPLE_CATALOGUE = Path(__file__).parents[2] / "examples" / "catalogue.csv"


@pytest.fixture(scope="module")
def index() -> CatalogueIndex:
    return CatalogueIndex.build([e for e in read_catalogue(FIXTURE) if isinstance(e, CatalogueEntry)])


def clean_text(path: Path) -> str:
    text = path.read_text()
    return prepare(RawDocument(str(path), None, text, "text", body=text)).text


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_each_seed_ranks_the_helicopter_narrative_first(index: CatalogueIndex, seed: str) -> None:
    matches = index.rank(clean_text(SEEDS / seed))
    assert matches and matches[0].id == "EVD-0001"
    top = matches[0]
    assert top.evidence and top.evidence[0].score == top.score
    assert top.evidence[0].matched_sentence  # the catalogue sentence that matched


def test_unrelated_news_matches_nothing(index: CatalogueIndex, bbc_path: Path) -> None:
    rows = [json.loads(line) for line in bbc_path.open()][:200]
    matched = [r["id"] for r in rows if index.rank(r["text"])]
    assert len(matched) <= 2, matched  # calibrated: none of 300 BBC stories reached the threshold


def test_match_command_json_shape(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run = [sys.executable, "-m", "narratrace", "--db", db]
    imported = subprocess.run(
        [*run, "catalogue", "import", str(FIXTURE)], check=True, capture_output=True, text=True
    )
    assert "Loading weights" not in imported.stderr  # the encoders load without progress bars
    listed = json.loads(
        subprocess.run(
            [*run, "catalogue", "list", "--json"], check=True, capture_output=True, text=True
        ).stdout
    )
    assert len(listed) == 6 and {"id", "title", "claim", "url", "published"} <= set(listed[0])
    seed = str(next(SEEDS.glob("002_*.txt")))
    out = subprocess.run(
        [*run, "match", "--json", "-k", "3", seed, "--text", "The football season starts."],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text_result, seed_result = json.loads(out)
    assert text_result["input"] == "The football season starts." and text_result["matches"] == []
    assert seed_result["input"].endswith(Path(seed).name)
    best = seed_result["matches"][0]
    assert best["kind"] == "catalogue" and best["id"] == "EVD-0001"
    assert {"id", "score", "title", "evidence"} <= set(best)
    assert {"input_sentence", "matched_sentence", "score"} == set(best["evidence"][0])


def test_match_command_judges_an_article_by_its_headline_and_text(tmp_path: Path) -> None:
    """An article is judged on its lede and headline (pushes.py): a news report whose text comes
    close to the MH17 claim is judged less likely to push it under its own headline than under one
    that states the claim, whose pair joins the evidence; the text alone, claim-sized, is matched
    as a claim, the claim first. Every match says its status."""
    db = str(tmp_path / "h.db")
    run = [sys.executable, "-m", "narratrace", "--db", db]
    subprocess.run([*run, "catalogue", "import", str(EXAMPLE_CATALOGUE)], check=True, capture_output=True)
    lede = (Path(__file__).parent / "fixtures" / "mh17_verdict_lede.txt").read_text()
    news, claim = tmp_path / "news.txt", tmp_path / "claim.txt"
    news.write_text(f"Dutch court convicts three men of murder over MH17\n\n{lede}")
    claim.write_text(f"MH17 was shot down by a Ukrainian fighter jet, witnesses say\n\n{lede}")
    out = subprocess.run(
        [*run, "match", "--json", str(news), str(claim), "--text", lede],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    as_text, as_news, as_claim = json.loads(out)
    assert as_text["matches"][0]["id"] == "EVD-0005"
    assert all(m["status"] in ("confident", "review") for row in (as_text, as_claim) for m in row["matches"])
    best = as_claim["matches"][0]
    assert best["id"] == "EVD-0005" and best["score"] == best["probability"]
    headline_pair = best["evidence"][-1]
    assert headline_pair["input_sentence"] == "MH17 was shot down by a Ukrainian fighter jet, witnesses say"
    news_probability = next((m["probability"] for m in as_news["matches"] if m["id"] == "EVD-0005"), 0.0)
    assert best["probability"] > news_probability
