"""Terminal views: rich tables and JSON for what the store holds. Views only read."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from narratrace.errors import CONTROL_BUT_LAYOUT, shown_escaped
from narratrace.ingest import dates
from narratrace.model import (
    AliasRow,
    Article,
    ArticleEvidence,
    CatalogueEntry,
    Match,
    Narrative,
    Repeat,
    Reuse,
    SourceSummary,
)
from narratrace.narratives.thresholds import RECUR_DAYS
from narratrace.reuse.families import Family, syndication_chains

out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)  # one line per message, however long


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def dated_note(narrative: Narrative) -> str:
    """Says when first and last seen rest on only some members' dates."""
    if narrative.dated >= len(narrative.articles):
        return ""
    return f" (dated: {narrative.dated} of {len(narrative.articles)} articles)"


def display_title(article: Article, width: int = 70) -> str:
    """The title (else the opening words), cut to `width`, escaped for rich markup."""
    title = article.title or " ".join(article.text.split()[:12]) + " …"
    return _x(title if len(title) <= width else title[: width - 1] + "…")


CANDIDATE_NOTE = "candidate, named by no catalogue entry or fact-check yet"


def _x(value: object) -> str:
    """Stored or input text as rich shows it literally: a title such as "News [/x]" is not markup
    (an unmatched closing tag would stop the command), and an escape sequence from an input (ESC,
    other control characters) is shown as an escape, never sent to the tables."""
    return escape(shown_escaped(str(value), CONTROL_BUT_LAYOUT))


def articles_table(articles: list[Article]) -> Table:
    table = Table(title=f"{len(articles)} articles", title_justify="left")
    for column in ("id", "published", "outlet", "lang", "title"):
        table.add_column(column, overflow="fold" if column == "title" else "ellipsis")
    for a in articles:
        table.add_row(
            _x(a.id), _x(a.published or "–"), _x(a.outlet or "–"), _x(a.language or "–"), display_title(a)
        )
    return table


def show_article(article: Article, *, removed: bool) -> None:
    out.rule(Text(article.title or "(no title)", style="bold"))
    for label, value in (
        ("id", article.id),
        ("outlet", article.outlet),
        ("url", article.url),
        ("published", article.published),
        ("language", article.language),
        ("source", article.source),
    ):
        origin = article.provenance.get(label)
        if label == "published" and dates.precision(article.published) == "month":
            origin = f"{origin}, month only" if origin else "month only"
        suffix = f"  [dim]({_x(origin)})[/dim]" if origin else ""
        out.print(f"[bold]{label:>9}[/bold]  {_x(value or '–')}{suffix}", highlight=False)
    out.print()
    body = Text(article.text)
    for mark in article.marks:
        body.stylize("italic cyan", mark.start, mark.end)
    out.print(body)
    if article.marks:
        out.print(f"\n[cyan italic]{len(article.marks)} embedded post(s) shown in cyan[/]")
    if removed:
        out.rule(f"{len(article.removed)} removed spans")
        for span in article.removed:
            snippet = span.text.strip().replace("\n", " ⏎ ")
            snippet = snippet if len(snippet) <= 100 else snippet[:99] + "…"
            out.print(
                f"[dim]{span.start:>6}–{span.end:<6}[/dim] [yellow]{span.reason:<20}[/yellow] {_x(snippet)}",
                highlight=False,
                markup=True,
            )


def loaded_table(rows: list[dict[str, str]]) -> Table:
    """What `load-results` did with each analysis of a cluster run."""
    table = Table(title="results of the cluster run", title_justify="left")
    for column in ("analysis", "outcome", "detail"):
        table.add_column(column)
    colour = {"loaded": "green", "already": "dim", "unfinished": "yellow", "refused": "red"}
    for row in rows:
        outcome = f"[{colour[row['outcome']]}]{row['outcome']}[/]"
        table.add_row(row["analysis"], outcome, _x(row["detail"]))
    return table


def stats_table(stats: dict[str, Any]) -> Table:
    table = Table(title="narratrace store", title_justify="left", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    table.add_row("articles", f"{stats['articles']:,}")
    table.add_row("outlets", f"{stats['outlets']:,}")
    table.add_row("published", _x(f"{stats['first_published'] or '–'} … {stats['last_published'] or '–'}"))
    table.add_row("languages", _x(", ".join(f"{k} {v}" for k, v in stats["languages"].items()) or "–"))
    top = list(stats["by_outlet"].items())[:8]
    unknown = f"; {stats['unknown_outlet']:,} of unknown outlet" if stats.get("unknown_outlet") else ""
    table.add_row("top outlets", _x(", ".join(f"{k} {v}" for k, v in top) or "–") + unknown)
    if "catalogue_entries" in stats:
        table.add_row(
            "catalogue",
            f"{stats['catalogue_entries']:,} entries stating {stats['catalogue_claims']:,} claims",
        )
    cut = stats["raw_chars"] - stats["clean_chars"]
    table.add_row(
        "text kept",
        f"{stats['clean_chars']:,} chars (raw input {stats['raw_chars']:,}; {max(cut, 0):,} cut or markup)",
    )
    table.add_row("schema", f"v{stats['schema_version']}")
    return table


def _label(article: Article | None, key: str) -> str:
    if article is None:
        return _x(key)
    outlet = article.outlet or "?"
    return _x(f"{key[:8]} {outlet} {article.published or ''}".strip())


def _debunk_line(article: Article | None, key: str) -> str:
    """A fact-check as an analyst cites it: its outlet, date and headline."""
    if article is None:
        return _x(key)
    headline = article.title or article.text[:90] + "…"
    return _x(f"{article.outlet or '?'} {article.published or ''}: {headline} ({key[:8]})")


def reuse_tables(pairs: list[Reuse], articles: dict[str, Article]) -> list[Table]:
    """Republication (copies, partial copies, shared passages) apart from stock text."""
    tables = []
    for title, chosen in (
        ("Copies and shared passages", [p for p in pairs if not p.stock and not p.syndicated]),
        ("Syndication (passages several outlets carry from one source)", [p for p in pairs if p.syndicated]),
        ("Stock text and boilerplate (recurring, not republication)", [p for p in pairs if p.stock]),
    ):
        if not chosen:
            continue
        table = Table(title=f"{title}: {len(chosen)}", title_justify="left", show_lines=True)
        for column in ("kind", "source → copy", "covered", "why this direction", "first passage"):
            table.add_column(column, overflow="fold")
        for pair in chosen:
            first, second = (pair.a, pair.b) if pair.direction != "b_to_a" else (pair.b, pair.a)
            arrow = "→" if pair.direction != "unknown" else "↔"
            passage = pair.passages[0].a_text if pair.passages else ""
            passage = passage if len(passage) <= 120 else passage[:119] + "…"
            table.add_row(
                pair.kind,
                f"{_label(articles.get(first), first)}\n{arrow} {_label(articles.get(second), second)}",
                f"{pair.coverage_a:.0%} / {pair.coverage_b:.0%}\n{len(pair.passages)} passage(s)",
                _x(pair.reason + (f"\n{pair.stock_reason}" if pair.stock_reason else "")),
                _x(passage),
            )
        tables.append(table)
    return tables


def families_table(found: list[Family], articles: dict[str, Article]) -> Table:
    table = Table(title=f"{len(found)} copy families", title_justify="left")
    for column in ("family", "members", "earliest", "why"):
        table.add_column(column, overflow="fold")
    for family in found:
        members = "\n".join(
            _label(articles.get(m), m) + f"  {display_title(articles[m], 50)}" if m in articles else _x(m)
            for m in family.members
        )
        table.add_row(_x(family.id), members, _x(family.earliest or "unknown"), _x(family.reason))
    return table


def catalogue_table(entries: list[CatalogueEntry]) -> Table:
    table = Table(title=f"{len(entries)} catalogue entries", title_justify="left")
    for column in ("id", "date", "origin", "title", "outlets"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(
            *(_x(v) for v in (e.id, e.published or "–", e.origin, e.title, ", ".join(e.outlets) or "–"))
        )
    return table


def match_table(label: str, found: list[Match], note: str | None = None) -> Table:
    shown = label if len(label) <= 80 else label[:79] + "…"
    confident = sum(m.status == "confident" for m in found)
    review = sum(m.status == "review" for m in found)
    counts = f"{len(found)} match(es)" + (
        f", {confident} confident, {review} for review" if confident or review else ""
    )
    title = f"{_x(shown)}: {counts}" + (f"\n[dim]{_x(note)}[/dim]" if note else "")
    table = Table(title=title, title_justify="left", show_lines=True)
    # a catalogue row pairs with the entry's sentences, a narrative row with what its articles say
    for column in ("score", "narrative", "evidence (input sentence ⇄ entry or member sentence)"):
        table.add_column(column, overflow="fold")
    for m in found:
        # the two best pairs, and the last one, which for an article is its headline's
        pairs = m.evidence if len(m.evidence) <= 3 else (*m.evidence[:2], m.evidence[-1])
        evidence = "\n".join(
            f"{e.score:.2f}  {_x(e.input_sentence)}\n      ⇄ {_x(e.matched_sentence)}" for e in pairs
        )
        status = (
            "" if m.status is None else f"\n[{'green' if m.status == 'confident' else 'yellow'}]{m.status}[/]"
        )
        table.add_row(f"{m.score:.2f}{status}", f"{_x(m.title)}\n[dim]{m.kind} {_x(m.id)}[/dim]", evidence)
    return table


def narratives_table(found: list[Narrative], articles: dict[str, Article]) -> Table:
    table = Table(title=f"{len(found)} narratives", title_justify="left", show_lines=True)
    for column in ("narrative", "seen", "outlets · languages", "articles", "debunks"):
        table.add_column(column, overflow="fold")
    for n in found:
        members = "\n".join(_member_line(m, articles) for m in n.articles)
        if n.review:  # near misses, apart from the members: an analyst checks them first
            review = "\n".join(_member_line(m, articles) for m in n.review)
            members += f"\n[yellow]for review ({len(n.review)}):[/yellow]\n{review}"
        kind = f"[yellow]{CANDIDATE_NOTE}[/yellow]\n" if n.candidate else ""
        table.add_row(
            f"{kind}[bold]{_x(n.label)}[/bold]{_claim_lines(n)}"
            f"\n[dim]{_x(n.id)}; {_x(', '.join(n.entities))}[/dim]" + _repeats(n),
            _x(f"{n.first_seen or '?'} … {n.last_seen or '?'}{dated_note(n)}"),
            _x(f"{', '.join(n.outlets) or '?'}\n{', '.join(n.languages)}"),
            members
            + (
                f"\n[dim]{len(n.families)} copy famil{'y' if len(n.families) == 1 else 'ies'}[/dim]"
                if n.families
                else ""
            ),
            "\n".join(_member_line(d, articles) for d in n.debunks) or "–",
        )
    return table


def _claim_lines(narrative: Narrative, shown: int = 3) -> str:
    """Under a narrative's claim: its disproof, its catalogue cases, and the member sentence that
    states it best."""
    lines = ""
    if narrative.disproof:
        disproof = narrative.disproof if len(narrative.disproof) <= 200 else narrative.disproof[:199] + "…"
        lines += f"\n[green]disproof:[/green] {_x(disproof)}"
    if len(narrative.cases) > 1 or (narrative.cases and narrative.cases[0].url):
        listed = ", ".join(c.url or c.id for c in narrative.cases[:shown])
        more = f" and {len(narrative.cases) - shown} more" if len(narrative.cases) > shown else ""
        lines += f"\n[dim]{len(narrative.cases)} case(s): {_x(listed)}{more}[/dim]"
    if narrative.statement and narrative.statement != narrative.label:
        lines += f"\n[italic]“{_x(narrative.statement)}”[/italic]"
    return lines


def _member_line(article: str, articles: dict[str, Article]) -> str:
    return f"{_x(article[:8])} {display_title(articles[article], 50)}" if article in articles else _x(article)


def _repeats(narrative: Narrative, shown: int = 2) -> str:
    """A candidate's evidence: its closest repeats, those that span RECUR_DAYS (the resurfacing)
    first; what one article said, and what a later one repeated."""

    def resurfaced(repeat: Repeat) -> bool:
        return repeat.days is not None and repeat.days >= RECUR_DAYS

    best = sorted(narrative.repeats, key=lambda r: (not resurfaced(r), -r.score))[:shown]
    return "".join(
        f"\n[dim]{r.score:.2f}{f', {r.days} days later' if r.days is not None else ''}:[/dim] "
        f"{_x(r.earlier_sentence)}\n  ⇄ {_x(r.later_sentence)}"
        for r in best
    )


def analysis_summary(
    stats: dict[str, Any],
    pairs: list[Reuse],
    found: list[Narrative],
    articles: dict[str, Article],
    sources: list[SourceSummary] | None = None,
) -> Table:
    """The main job's answer in one table: corpus, copies, narratives."""
    table = Table(title="narratrace analysis", title_justify="left", show_header=False, show_lines=True)
    table.add_column("what", style="bold")
    table.add_column("found", overflow="fold")
    table.add_row(
        "articles",
        f"{stats['articles']:,} from {stats['outlets']:,} known outlets, published "
        + _x(f"{stats['first_published'] or '?'} … {stats['last_published'] or '?'}"),
    )
    kinds = Counter(p.kind for p in pairs if not p.stock and not p.syndicated)
    table.add_row(
        "copies",
        (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none")
        + (f" (+{sum(p.stock for p in pairs)} stock-text pairs)" if any(p.stock for p in pairs) else ""),
    )
    for pair in (p for p in pairs if p.kind in ("copy", "partial")):
        first, second = (pair.a, pair.b) if pair.direction != "b_to_a" else (pair.b, pair.a)
        arrow = "→" if pair.direction != "unknown" else "and"  # no arrow where no one knows the way
        table.add_row(
            f"  {pair.kind}",
            f"{_label(articles.get(first), first)} {arrow} {_label(articles.get(second), second)}: "
            + _x(pair.reason),
        )
    for chain in syndication_chains(pairs, articles):
        carried = " → ".join(
            f"{a.outlet or '?'} {a.published or 'undated'}" for m in chain.members if (a := articles.get(m))
        )
        passage = chain.passage if len(chain.passage) <= 100 else chain.passage[:99] + "…"
        table.add_row("  syndication", _x(f"{carried}: “{passage}”"))
    table.add_row("narratives", str(len(found)) if found else "none (import a catalogue first)")
    summaries = {s.narrative: s for s in sources or []}
    for n in found:
        table.add_row(
            f"  {_x(n.id)}",
            (f"{CANDIDATE_NOTE}: " if n.candidate else "")
            + _x(
                f"{n.label}\n{len(n.articles)} articles, {len(n.debunks)} debunks; "
                f"first seen {n.first_seen or '?'}, last seen {n.last_seen or '?'}{dated_note(n)}; "
                f"outlets {', '.join(n.outlets) or '?'}"
            ),
        )
        if n.debunks:  # which fact-checks, not only how many
            table.add_row("  its debunks", "\n".join(_debunk_line(articles.get(d), d) for d in n.debunks))
        if n.id in summaries:
            table.add_row("  its sources", _sources_line(summaries[n.id]))
    return table


def _sources_line(summary: SourceSummary) -> str:
    top = _x(", ".join(f"{s.source} ({s.claims})" for s in summary.sources[:6]) or "none")
    return (
        f"{summary.claims} claims: {_kinds(summary.kinds)}; {summary.weak_share:.0%} anonymous or unsourced; "
        f"named eyewitnesses: {summary.named_eyewitnesses}. Most cited: {top}"
    )


def _kinds(kinds: dict[str, int]) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))


def claims_tables(found: list[tuple[ArticleEvidence, set[int]]], articles: dict[str, Article]) -> list[Table]:
    tables = []
    for evidence, skipped in found:
        article = articles.get(evidence.article)
        table = Table(
            title=f"{_label(article, evidence.article)}: {len(evidence.claims)} claims",
            title_justify="left",
            show_lines=False,
        )
        for column in ("claim", "source", "kind", "via"):
            table.add_column(column, overflow="fold")
        for position, claim in enumerate(evidence.claims):
            for citation in claim.citations:
                style = (
                    "dim"
                    if position in skipped
                    else ("yellow" if citation.kind in ("anonymous", "unsourced") else "")
                )
                table.add_row(
                    Text(claim.text[:160] + ("…" if len(claim.text) > 160 else ""), style=style),
                    Text(citation.source or "–", style=style),
                    Text(
                        citation.kind.replace("_", " ") + (" (boilerplate)" if position in skipped else ""),
                        style=style,
                    ),
                    Text(citation.via or "", style=style),
                )
        entities = sorted(
            {f"{m.canonical} ({m.type})" for m in evidence.entities if m.type not in ("number", "date")}
        )
        table.caption = "entities: " + _x(", ".join(entities)) if entities else None
        table.caption_justify = "left"
        tables.append(table)
    return tables


def sources_tables(summaries: list[SourceSummary]) -> list[Table]:
    tables = []
    for summary in summaries:
        table = Table(
            title=f"{_x(summary.narrative)}: {_x(summary.label)}\n"
            + _sources_line(summary).split(". Most cited")[0],
            title_justify="left",
        )
        for column in ("source", "kind", "claims", "articles", "via"):
            table.add_column(column, overflow="fold")
        for s in summary.sources:
            table.add_row(
                _x(s.source + (" (eyewitness)" if s.eyewitness else "")),
                s.kind.replace("_", " "),
                str(s.claims),
                str(len(s.articles)),
                _x(", ".join(sorted(s.via))),
            )
        tables.append(table)
    return tables


def aliases_table(rows: list[tuple[str, AliasRow]]) -> Table:
    table = Table(title=f"{len(rows)} alias rows", title_justify="left")
    for column in ("canonical", "type", "aliases", "from"):
        table.add_column(column, overflow="fold")
    for origin, row in rows:
        table.add_row(*(_x(v) for v in (row.canonical, row.type, " | ".join(row.aliases), origin)))
    return table


__all__ = ["Group"]
