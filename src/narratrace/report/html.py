"""Render what the store holds into one HTML file: inline styles, inline SVG, no scripts.

Article text is untrusted: every piece of it goes through Jinja's autoescaping or `escape`,
so markup, event handlers and `javascript:` links in an article render as inert text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from narratrace.model import Article, ArticleEvidence, Narrative, Reuse, SourceSummary
from narratrace.report.network import outlet_network_svg
from narratrace.report.timeline import timeline_svg
from narratrace.reuse.families import Chain, syndication_chains


def highlight(text: str, spans: Sequence[tuple[int, int, str]]) -> Markup:
    """`text` escaped, with each (start, end, css class) span wrapped in a <mark>."""
    pieces: list[str] = []
    cursor = 0
    for start, end, css in sorted(spans):
        start = max(start, cursor)
        if end <= start:
            continue
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(f'<mark class="{escape(css)}">{escape(text[start:end])}</mark>')
        cursor = end
    pieces.append(str(escape(text[cursor:])))
    return Markup("".join(pieces))


def _pair_view(pair: Reuse, articles: dict[str, Article]) -> dict[str, object]:
    a, b = articles.get(pair.a), articles.get(pair.b)
    return {
        "pair": pair,
        "a": a,
        "b": b,
        "a_html": highlight(a.text, [(p.a_start, p.a_end, "reused") for p in pair.passages]) if a else "",
        "b_html": highlight(b.text, [(p.b_start, p.b_end, "reused") for p in pair.passages]) if b else "",
    }


def _article_view(article: Article, found: tuple[ArticleEvidence, set[int]] | None) -> dict[str, object]:
    """An article's text with its embedded posts and its sourced claims marked (by the kind of
    their first source: the table under the text lists them cut short)."""
    spans = [(m.start, m.end, "embedded") for m in article.marks]
    if found:
        evidence, skipped = found
        for i, claim in enumerate(evidence.claims):
            kind = (
                "boilerplate" if i in skipped else claim.citations[0].kind if claim.citations else "unsourced"
            )
            if kind != "unsourced":
                spans.append((claim.start, claim.end, f"claim {kind}"))
    return {
        "article": article,
        "html": highlight(article.text, spans),
        "evidence": found[0] if found else None,
        "skipped": found[1] if found else set(),
        "unsourced": sum(c.kind == "unsourced" for claim in found[0].claims for c in claim.citations)
        if found
        else 0,
    }


def write_report(
    path: Path,
    articles: list[Article],
    pairs: list[Reuse],
    narratives: list[Narrative],
    stats: dict[str, object],
    evidence: list[tuple[ArticleEvidence, set[int]]] | None = None,
    sources: list[SourceSummary] | None = None,
) -> Path:
    """Write the report to `path` and return it."""
    environment = Environment(
        loader=PackageLoader("narratrace", "report"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    by_id = {a.id: a for a in articles}
    claims = {e.article: (e, skipped) for e, skipped in evidence or []}
    summaries = {s.narrative: s for s in sources or []}
    # Articles a narrative or a copy involves are shown whole; the others in a line each, so that
    # the report grows with what was found rather than with the corpus.
    featured = {i for n in narratives for i in (*n.articles, *n.review, *n.debunks)}
    featured |= {i for p in pairs for i in (p.a, p.b)}
    narrative_views = [
        {
            "narrative": n,
            "timeline": Markup(
                timeline_svg(
                    [by_id[i] for i in n.articles if i in by_id],
                    [by_id[i] for i in n.debunks if i in by_id],
                    [by_id[i] for i in n.review if i in by_id],
                )
            ),
            "network": Markup(outlet_network_svg(_among(pairs, set(n.articles)), by_id)),
            "members": [by_id[i] for i in n.articles if i in by_id],
            "review": [by_id[i] for i in n.review if i in by_id],
            "debunks": [by_id[i] for i in n.debunks if i in by_id],
            "sources": summaries.get(n.id),
        }
        for n in narratives
    ]
    html = environment.get_template("template.html").render(
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        stats=stats,
        narratives=narrative_views,
        republished=[_pair_view(p, by_id) for p in pairs if not p.stock and not p.syndicated],
        chains=[_chain_view(c, by_id) for c in syndication_chains(pairs, by_id)],
        stock=[_pair_view(p, by_id) for p in pairs if p.stock],
        articles=[_article_view(a, claims.get(a.id)) for a in articles if a.id in featured],
        others=[a for a in articles if a.id not in featured],
    )
    path.write_text(html, encoding="utf-8")
    return path


def _chain_view(chain: Chain, articles: dict[str, Article]) -> dict[str, object]:
    members = [articles[m] for m in chain.members if m in articles]
    return {
        "chain": chain,
        "members": members,
        "outlets": sorted({a.outlet for a in members if a.outlet}),
        "earliest": articles.get(chain.earliest or ""),
    }


def _among(pairs: list[Reuse], members: set[str]) -> list[Reuse]:
    return [p for p in pairs if p.a in members and p.b in members]
