"""Commands about evidence: `claims`, `sources` and the alias table (`aliases import|list`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from narratrace import export as dicts
from narratrace.claims import service as claims_service
from narratrace.cli import tables
from narratrace.cli.support import ErrorLog, JsonOption, emit, fail, open_store, with_progress
from narratrace.engine import update_claims, update_narratives, update_reuse
from narratrace.store import claims as stored_claims


def claims(
    ctx: typer.Context,
    article: Annotated[str | None, typer.Argument(help="An article id (or its first characters).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Each article's claims, whom it cites for each (source, kind, via), and its entities. Claims
    in stock text shared across outlets are marked boilerplate once `reuse` (or `analyze`) has run."""
    with open_store(ctx) as store:
        with_progress("claims", lambda report: update_claims(store, ctx.obj["where"], report))
        ids = None
        if article is not None:
            found = store.get_article(article)
            if found is None:
                fail(f"no stored article has the id {article!r}; `narratrace list` shows the ids")
                raise typer.Exit(1)
            ids = [found.id]
        evidence = claims_service.article_evidence(store, ids)
        articles = store.articles_by_id([e.article for e, _ in evidence])
    emit(
        as_json,
        lambda: [dicts.evidence_json(e, skipped, articles.get(e.article)) for e, skipped in evidence],
        lambda: tables.Group(*tables.claims_tables(evidence, articles)),
    )


def sources(
    ctx: typer.Context,
    narrative: Annotated[str | None, typer.Option("--narrative", help="One narrative's id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Per narrative: the sources its articles rest on, counted, and the share anonymous or unsourced."""
    with open_store(ctx) as store:
        with_progress("claims", lambda report: update_claims(store, ctx.obj["where"], report))
        with_progress("comparing", lambda report: update_reuse(store, ctx.obj["where"], report))
        found = with_progress("narratives", lambda report: update_narratives(store, ctx.obj["where"], report))
        if narrative is not None:
            found = [n for n in found if n.id == narrative or n.id.startswith(narrative)]
            if not found:
                fail(f"no narrative has the id {narrative!r}; `narratrace narratives` lists them")
                raise typer.Exit(1)
        members = {a for n in found for a in n.articles}
        evidence = claims_service.article_evidence(store, members)
    if not found:
        tables.err.print("note: no narratives yet; import a catalogue and run `narratrace narratives`")
    summaries = [claims_service.summarise(n, evidence) for n in found]
    emit(
        as_json,
        lambda: [dicts.sources_json(s) for s in summaries],
        lambda: tables.Group(*tables.sources_tables(summaries)),
    )


aliases_app = typer.Typer(help="The alias table: one canonical name per entity.", no_args_is_help=True)


@aliases_app.command("import")
def aliases_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with columns canonical, type, aliases (|-separated).")],
) -> None:
    """Add or replace alias rows; they take precedence over the shipped table."""
    failed = ErrorLog()
    with open_store(ctx) as store:
        count = claims_service.import_aliases(store, file, failed)
    tables.err.print(
        f"Imported {count:,} alias rows, {len(failed.errors):,} failed. "
        "Claims are recomputed on the next run.",
        highlight=False,
    )
    if failed.errors:
        raise typer.Exit(1)


@aliases_app.command("list")
def aliases_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The alias table in use: shipped rows, then the user's."""
    with open_store(ctx) as store:
        user = stored_claims.user_aliases(store.db)
    rows = [("shipped", r) for r in claims_service.shipped_rows()] + [("user", r) for r in user]
    emit(
        as_json,
        lambda: [
            {"canonical": r.canonical, "type": r.type, "aliases": list(r.aliases), "origin": origin}
            for origin, r in rows
        ],
        lambda: tables.aliases_table(rows),
    )


def register(app: typer.Typer) -> None:
    app.command()(claims)
    app.command()(sources)
    app.add_typer(aliases_app, name="aliases")
