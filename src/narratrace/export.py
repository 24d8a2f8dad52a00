"""Exports in the field's exchange formats: CSV and JSONL tables, the outlet copy network as
GEXF 1.3 and GraphML (Gephi opens both), and narratives with catalogue matches as ClaimReview."""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import networkx as nx

from narratrace.ingest import dates
from narratrace.ingest.metadata import outlet_from_url
from narratrace.model import Article, ArticleEvidence, CatalogueEntry, Match, Narrative, Reuse, SourceSummary
from narratrace.narratives.grouping import DISCOVERED
from narratrace.reuse.families import FAMILY_KINDS, Family

FORMATS = ("csv", "jsonl", "gexf", "graphml", "claimreview")
# A spreadsheet runs a cell that starts with one of these as a formula ("=HYPERLINK(...)"): such
# a cell is written after a single quote, as OWASP recommends against CSV injection.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (control characters, lone surrogates): an outlet's name from a
# JSONL field may carry them, and one would make the whole GEXF file unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published,
        "published_precision": dates.precision(article.published),
        "language": article.language,
        "source": article.source,
        "text": article.text,
    }


def pair_row(pair: Reuse) -> dict[str, Any]:
    return asdict(pair)


CASE_FIELDS = ("id", "origin", "title", "url", "published", "disproof")


def narrative_row(narrative: Narrative) -> dict[str, Any]:
    """A narrative as one row: its `claim` (the label), its catalogue `cases` (id, origin, title,
    url, published, disproof), the member sentence that states it best, its members. `status` says
    whether it is named (by the catalogue or a stored fact-check) or a candidate found by
    discovery, whose `repeats` are its evidence."""
    row = asdict(narrative)
    row["cases"] = [{name: getattr(case, name) for name in CASE_FIELDS} for case in narrative.cases]
    return {
        "id": row.pop("id"),
        "claim": narrative.label,
        **row,
        "status": "candidate" if narrative.candidate else "known",
    }


def article_detail(article: Article, *, removed: bool) -> dict[str, Any]:
    detail = article_row(article)
    detail["marks"] = [
        {"start": m.start, "end": m.end, "reason": m.reason, "text": article.text[m.start : m.end]}
        for m in article.marks
    ]
    detail["provenance"] = article.provenance
    if removed:
        detail["removed"] = [
            {"start": s.start, "end": s.end, "reason": s.reason, "text": s.text} for s in article.removed
        ]
    return detail


def family_json(family: Family) -> dict[str, Any]:
    return {
        "id": family.id,
        "members": list(family.members),
        "earliest": family.earliest,
        "reason": family.reason,
    }


def catalogue_json(entry: CatalogueEntry) -> dict[str, Any]:
    found = asdict(entry)
    found["outlets"], found["countries"] = list(entry.outlets), list(entry.countries)
    return found


def match_json(label: str, found: list[Match], note: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"input": label, "matches": [asdict(m) for m in found]}
    if note:
        row["note"] = note
    return row


def evidence_json(evidence: ArticleEvidence, skipped: set[int], article: Article | None) -> dict[str, Any]:
    """One article's claims (each with `text, start, end, citations`) and its entities."""
    return {
        "article": evidence.article,
        "title": article.title if article else None,
        "outlet": article.outlet if article else None,
        "claims": [
            {
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "boilerplate": i in skipped,
                "citations": [asdict(t) for t in c.citations],
            }
            for i, c in enumerate(evidence.claims)
        ],
        "entities": [asdict(m) for m in evidence.entities],
    }


def sources_json(summary: SourceSummary) -> dict[str, Any]:
    return {
        "narrative": summary.narrative,
        "label": summary.label,
        "articles": summary.articles,
        "claims": summary.claims,
        "kinds": summary.kinds,
        "anonymous_or_unsourced_share": round(summary.weak_share, 3),
        "named_eyewitnesses": summary.named_eyewitnesses,
        "sources": [
            {
                "source": s.source,
                "kind": s.kind,
                "claims": s.claims,
                "articles": sorted(s.articles),
                "via": sorted(s.via),
                "eyewitness": s.eyewitness,
            }
            for s in summary.sources
        ],
    }


def _flat(value: Any) -> Any:
    """A CSV cell: lists and objects as JSON, and text that a spreadsheet would run as a formula
    written after a single quote."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def outlet_node(article: Article) -> str:
    """An article's node in an outlet network: its outlet, else its address's site, else a node
    of its own (one shared "unknown outlet" node drew false edges such as Sputnik -> unknown)."""
    return article.outlet or outlet_from_url(article.url) or f"unknown outlet ({article.id[:8]})"


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def write_tables(
    out: Path, fmt: str, articles: list[Article], pairs: list[Reuse], narratives: list[Narrative]
) -> list[Path]:
    """articles, pairs and narratives as three CSV or JSONL files in the directory `out`."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "articles": [article_row(a) for a in articles],
        "pairs": [pair_row(p) for p in pairs],
        "narratives": [narrative_row(n) for n in narratives],
    }
    written = []
    for name, rows in tables.items():
        path = out / f"{name}.{fmt}"
        with path.open("w", encoding="utf-8", newline="") as stream:
            if fmt == "jsonl":
                stream.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            elif rows:
                writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows({k: _flat(v) for k, v in row.items()} for row in rows)
        written.append(path)
    return written


def outlet_network(articles: Iterable[Article], pairs: Iterable[Reuse]) -> nx.DiGraph:
    """Outlets as nodes; copies as edges from the source's outlet to the copier's, weighted by
    how many copies and dated by the first and last copy."""
    by_id = {a.id: a for a in articles}
    graph = nx.DiGraph()
    for pair in pairs:
        if pair.kind not in FAMILY_KINDS or pair.a not in by_id or pair.b not in by_id:
            continue
        source, copier = (
            (by_id[pair.b], by_id[pair.a]) if pair.direction == "b_to_a" else (by_id[pair.a], by_id[pair.b])
        )
        u, v = xml_text(outlet_node(source)), xml_text(outlet_node(copier))
        for node in (u, v):
            if node not in graph:
                graph.add_node(node, label=node, articles=0)
        date = copier.published or source.published or ""
        if graph.has_edge(u, v):
            edge = graph[u][v]
            edge["weight"] += 1
            edge["first_copy"] = min(filter(None, (edge["first_copy"], date)), default="")
            edge["last_copy"] = max(edge["last_copy"], date)
        else:
            graph.add_edge(
                u, v, weight=1, first_copy=date, last_copy=date, direction_known=pair.direction != "unknown"
            )
    for article in by_id.values():
        outlet = xml_text(outlet_node(article))
        if outlet in graph:
            graph.nodes[outlet]["articles"] += 1
    return graph


def claimreviews(
    narratives: Iterable[Narrative], entries: dict[str, CatalogueEntry], articles: dict[str, Article]
) -> list[dict[str, Any]]:
    """One schema.org ClaimReview per catalogue entry a narrative matches, with the articles
    that push it as the claim's appearances; not for an entry promoted from a candidate, which no
    fact-checker has rated."""
    reviews = []
    for narrative in narratives:
        for entry_id in narrative.catalogue:
            entry = entries.get(entry_id)
            if entry is None or entry.origin == DISCOVERED:  # named by an analyst, rated by no one
                continue
            verdict = _verdict(entry)
            members = [articles[i] for i in narrative.articles if i in articles]
            reviews.append(
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "url": entry.url or entry.id,
                    "claimReviewed": entry.claim,
                    "datePublished": entry.published,
                    "author": {"@type": "Organization", "name": entry.author or entry.origin},
                    "reviewRating": {"@type": "Rating", "alternateName": verdict},
                    **({"reviewBody": entry.disproof} if verdict != entry.disproof else {}),
                    "itemReviewed": {
                        "@type": "Claim",
                        "author": [{"@type": "Organization", "name": o} for o in narrative.outlets],
                        "datePublished": narrative.first_seen,
                        # an appearance is where the claim was published: an article read from a
                        # local file has no address to give, and a path on this machine is none
                        "appearance": [
                            {
                                "@type": "CreativeWork",
                                **({"url": a.url} if a.url else {}),
                                "headline": a.title,
                                "datePublished": a.published,
                            }
                            for a in members
                        ],
                    },
                }
            )
    return reviews


# A fact-check's rating is a word or two ("False", "Misleading"); an EUvsDisinfo case gives a
# paragraph of disproof instead, and its verdict is the database's own label.
VERDICT_MAX_WORDS = 6
EUVSDISINFO_VERDICT = "Disinformation"


def _verdict(entry: CatalogueEntry) -> str:
    """The rating's name: the fact-checker's, when the entry's disproof is a rating, else the
    catalogue's verdict (the disproof itself goes to `reviewBody`)."""
    if entry.disproof and len(entry.disproof.split()) <= VERDICT_MAX_WORDS:
        return entry.disproof
    return EUVSDISINFO_VERDICT if entry.origin == "euvsdisinfo" else "False"


def export(
    fmt: str,
    out: Path,
    articles: list[Article],
    pairs: list[Reuse],
    narratives: list[Narrative],
    entries: list[CatalogueEntry],
) -> list[Path]:
    """Write `fmt` to `out` (a directory for csv and jsonl, a file otherwise)."""
    if fmt in ("csv", "jsonl"):
        return write_tables(out, fmt, articles, pairs, narratives)
    out.parent.mkdir(parents=True, exist_ok=True)
    # written beside the file and moved over it whole: a failure never leaves half a file
    part = out.with_name(out.name + ".part")
    try:
        if fmt in ("gexf", "graphml"):
            graph = outlet_network(articles, pairs)
            if fmt == "gexf":
                nx.write_gexf(graph, part, version="1.3")
            else:
                nx.write_graphml(graph, part)
        else:
            reviews = claimreviews(narratives, {e.id: e for e in entries}, {a.id: a for a in articles})
            part.write_text(json.dumps(reviews, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return [out]
