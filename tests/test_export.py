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
        assert graph.has_edge("Sputnik", "(unknown outlet)")
        edge = graph["Sputnik"]["(unknown outlet)"]
        assert float(edge["weight"]) == 1.0
    assert 'version="1.3"' in (exported / "out.gexf").read_text()


def test_claimreview_has_the_schema_org_fields_and_reads_back(exported: Path) -> None:
    path = exported / "out.claimreview"
    (review,) = json.loads(path.read_text())
    assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
    for name in CLAIMREVIEW_FIELDS:
        assert review[name], name
    assert review["itemReviewed"]["@type"] == "Claim" and len(review["itemReviewed"]["appearance"]) == 5
    assert review["reviewRating"]["@type"] == "Rating"
    (entry,) = read_catalogue(path)  # what narratrace exports, it imports
    assert (
        isinstance(entry, CatalogueEntry) and entry.claim == "US helicopters evacuate ISIS members in Syria"
    )
