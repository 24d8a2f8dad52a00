"""Exports: tables, the outlet copy network for Gephi, and ClaimReview JSON-LD."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from narratrace.model import CatalogueEntry
from narratrace.narratives.catalogue import read_catalogue
from tests.conftest import SEEDS

CATALOGUE = Path(__file__).parent / "narratives" / "fixtures" / "euvsdisinfo.csv"
CLAIMREVIEW_FIELDS = ("claimReviewed", "reviewRating", "itemReviewed", "author", "url", "datePublished")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    run = [sys.executable, "-m", "narratrace", "--db", str(root / "e.db")]
    subprocess.run([*run, "catalogue", "import", str(CATALOGUE)], check=True, capture_output=True)
    subprocess.run(
        [*run, "analyze", str(SEEDS), "--report", str(root / "r.html")], check=True, capture_output=True
    )
    for fmt in ("csv", "jsonl", "gexf", "graphml", "claimreview"):
        subprocess.run(
            [*run, "export", "--format", fmt, "--out", str(root / f"out.{fmt}")],
            check=True,
            capture_output=True,
        )
    return root


def test_tables_hold_articles_pairs_and_narratives(exported: Path) -> None:
    rows = list(csv.DictReader((exported / "out.csv" / "articles.csv").open()))
    assert len(rows) == 5 and {"id", "title", "outlet", "url", "published", "text"} <= set(rows[0])
    pairs = [json.loads(line) for line in (exported / "out.jsonl" / "pairs.jsonl").open()]
    assert {p["kind"] for p in pairs} == {"copy", "shared_passage"}
    assert {"a", "b", "coverage_a", "coverage_b", "direction", "reason", "passages"} <= set(pairs[0])
    narratives = [json.loads(line) for line in (exported / "out.jsonl" / "narratives.jsonl").open()]
    assert narratives[0]["id"] == "catalogue:EVD-0001" and len(narratives[0]["articles"]) == 5


def test_outlet_network_opens_as_gexf_and_graphml(exported: Path) -> None:
    for graph in (nx.read_gexf(exported / "out.gexf"), nx.read_graphml(exported / "out.graphml")):
        assert graph.is_directed()
        # the copy of unknown outlet is a node of its own, not one node shared by every such article
        (copier,) = [n for n in graph.successors("Sputnik")]
        assert copier.startswith("unknown outlet (") and float(graph["Sputnik"][copier]["weight"]) == 1.0
    assert 'version="1.3"' in (exported / "out.gexf").read_text()


def test_claimreview_has_the_schema_org_fields_and_reads_back(exported: Path) -> None:
    path = exported / "out.claimreview"
    (review,) = json.loads(path.read_text())
    assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
    for name in CLAIMREVIEW_FIELDS:
        assert review[name], name
    assert review["itemReviewed"]["@type"] == "Claim" and len(review["itemReviewed"]["appearance"]) == 5
    assert review["reviewRating"]["@type"] == "Rating"
    # the verdict is a word, the disproof paragraph its body; a seed read from a file has no
    # address to give as where the claim appeared (a path on this machine is none)
    assert review["reviewRating"]["alternateName"] == "Disinformation"
    assert review["reviewBody"].startswith("No evidence supports the claim")
    assert not any("url" in a for a in review["itemReviewed"]["appearance"])
    (entry,) = read_catalogue(path)  # what narratrace exports, it imports
    assert (
        isinstance(entry, CatalogueEntry) and entry.claim == "US helicopters evacuate ISIS members in Syria"
    )


def test_hostile_text_is_neutralised_in_exports(tmp_path: Path) -> None:
    """A spreadsheet never runs an exported cell as a formula, and an outlet holding characters
    XML forbids still gives network files that parse."""
    text = "Sputnik news reports: " + " ".join(f"word{i}" for i in range(120))
    rows = [
        {"title": '=HYPERLINK("http://evil.example","click")', "text": text, "outlet": "Evil\x0bOutlet\x1b"},
        {"title": "@SUM(1+1)*cmd|' /C calc'!A0", "text": text + " copied", "outlet": "Copier"},
    ]
    source = tmp_path / "hostile.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "h.db")]
    subprocess.run([*run, "ingest", str(source)], check=True, capture_output=True)
    subprocess.run([*run, "reuse"], check=True, capture_output=True)
    for fmt in ("csv", "gexf", "graphml"):
        done = subprocess.run(
            [*run, "export", "--format", fmt, "--out", str(tmp_path / f"out.{fmt}")], capture_output=True
        )
        assert done.returncode == 0, done.stderr
    titles = sorted(r["title"] for r in csv.DictReader((tmp_path / "out.csv" / "articles.csv").open()))
    assert titles == ['\'=HYPERLINK("http://evil.example","click")', "'@SUM(1+1)*cmd|' /C calc'!A0"]
    for graph in (nx.read_gexf(tmp_path / "out.gexf"), nx.read_graphml(tmp_path / "out.graphml")):
        assert set(graph.nodes) == {"EvilOutlet", "Copier"}
