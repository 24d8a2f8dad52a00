"""The `narratrace` command: parse arguments, call the library, print. No logic lives here."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from narratrace import export as dicts
from narratrace.claims import service as claims_service
from narratrace.cli import catalogue as catalogue_commands
from narratrace.cli import evidence as evidence_commands
from narratrace.cli import tables
from narratrace.cli.support import (
    EMPTY_CATALOGUE,
    LOOPBACK,
    DbOption,
    DiscoverOption,
    FieldOption,
    JsonOption,
    PathsArgument,
    WorkersOption,
    emit,
    fail,
    open_store,
    progress_bar,
    with_progress,
)
from narratrace.engine import Engine, Where, ingest_documents, update_claims, update_narratives, update_reuse
from narratrace.engine import results as engine_results
from narratrace.errors import InputError, NarratraceError
from narratrace.export import FORMATS, article_row, export
from narratrace.ingest.fields import parse_field_mapping
from narratrace.ingest.files import DEFAULT_MAX_BYTES
from narratrace.ingest.pipeline import IngestReport
from narratrace.ingest.sources import iter_documents
from narratrace.model import Narrative
from narratrace.narratives import service as narrative_service
from narratrace.report import write_report
from narratrace.reuse.families import families as copy_families
from narratrace.store import Store
from narratrace.store import catalogue as stored_catalogue
from narratrace.store import reuse as stored_reuse

app = typer.Typer(
    help="Trace copies, recurring narratives and their sources across news articles.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main_options(
    ctx: typer.Context,
    db: DbOption = Path("narratrace.db"),
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            envvar="NARRATRACE_ENGINE",
            # the backslash: rich would read [ray] as markup
            help="Where analyses run: local (this process) or ray (a Ray cluster: pip install "
            "'narratrace\\[ray]').",
        ),
    ] = Engine.local,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address", envvar="RAY_ADDRESS", help="The Ray cluster to join (default: a local Ray)."
        ),
    ] = None,
    work: Annotated[
        Path | None,
        typer.Option(
            help="The Ray engine's work folder, where each stage's output resumes (default: DB.work)."
        ),
    ] = None,
) -> None:
    where = Where(engine, ray_address, work)
    ctx.obj = {"db": db, "where": where}


@app.command()
def ingest(
    ctx: typer.Context,
    paths: PathsArgument,
    field: FieldOption = None,
    workers: WorkersOption = None,
    max_bytes: Annotated[
        int,
        typer.Option(
            help="Largest file, page or record (a JSONL line, a CSV line, standard input) accepted."
        ),
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Read, clean and store articles (.txt, .html, .jsonl, .csv, .warc[.gz], directories, -)."""
    mapping = parse_field_mapping(field or [])
    with open_store(ctx) as store:
        failed = _ingest_and_summarise(store, paths, mapping, workers, max_bytes, ctx.obj["where"])
    if failed:
        raise typer.Exit(1)


def _skipped_note(skipped: Counter[str], shown: int = 4) -> str:
    """ ", 14 skipped (not articles: 9 image/png, 3 HTTP 404, ...)", or nothing."""
    if not skipped:
        return ""
    kinds = ", ".join(f"{n:,} {escape(what)}" for what, n in skipped.most_common(shown))
    more = ", ..." if len(skipped) > shown else ""
    return f", {skipped.total():,} skipped (not articles: {kinds}{more})"


def _ingest_and_summarise(
    store: Store,
    paths: list[str],
    mapping: dict[str, str],
    workers: int | None,
    max_bytes: int,
    where: Where,
) -> int:
    """Ingest with a progress bar, print the one-line summary, return how many inputs failed."""
    report = _ingest_with_progress(store, paths, mapping, workers, max_bytes, where)
    failed = len(report.errors)
    tables.err.print(
        f"Ingested {report.processed:,} inputs: [green]{report.new:,} new[/green], "
        f"{report.already_stored:,} already stored, "
        f"{'[red]' if failed else ''}{failed:,} failed{'[/red]' if failed else ''}"
        f"{_skipped_note(report.skipped)}. The store holds {store.article_count():,} articles.",
        highlight=False,
    )
    return failed


@app.command()
def analyze(
    ctx: typer.Context,
    paths: PathsArgument,
    report: Annotated[Path, typer.Option("--report", help="Where to write the HTML report.")] = Path(
        "narratrace-report.html"
    ),
    field: FieldOption = None,
    workers: WorkersOption = None,
    discover: DiscoverOption = False,
) -> None:
    """The main job: ingest, find copies and narratives, print a summary, write the HTML report."""
    mapping = parse_field_mapping(field or [])
    with open_store(ctx) as store:
        failed = _ingest_and_summarise(store, paths, mapping, workers, DEFAULT_MAX_BYTES, ctx.obj["where"])
        with_progress("comparing", lambda progress: update_reuse(store, ctx.obj["where"], progress))
        found = _narratives(store, discover, ctx.obj["where"])
        with_progress("claims", lambda progress: update_claims(store, ctx.obj["where"], progress))
        pairs = list(stored_reuse.pairs(store.db))
        articles = list(store.articles(full=True))
        evidence = claims_service.article_evidence(store)
        summaries = [claims_service.summarise(n, evidence) for n in found]
        figures = store.stats()
        write_report(report, articles, pairs, found, figures, evidence, summaries)
    tables.out.print(tables.analysis_summary(figures, pairs, found, {a.id: a for a in articles}, summaries))
    tables.err.print(f"Report written to {escape(str(report))}", highlight=False)
    if failed:
        raise typer.Exit(1)


def _ingest_with_progress(
    store: Store, paths: list[str], mapping: dict[str, str], workers: int | None, max_bytes: int, where: Where
) -> IngestReport:
    items = iter_documents(paths, mapping=mapping, max_bytes=max_bytes)
    progress = progress_bar("ingesting")

    def report_error(error: InputError) -> None:
        progress.console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)

    with progress:
        task = progress.add_task("ingest", total=None)
        try:
            return ingest_documents(
                items,
                store,
                where,
                paths,
                workers=workers,
                on_error=report_error,
                on_progress=lambda n: progress.advance(task, n),
                on_stage=lambda stage, done, total: progress.update(
                    task, description=stage, completed=done, total=total or None
                ),
            )
        except KeyboardInterrupt:
            fail("interrupted: every batch stored so far is kept; run the same command again to finish")
            raise typer.Exit(130) from None


@app.command("list")
def list_articles(
    ctx: typer.Context,
    as_json: JsonOption = False,
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
) -> None:
    """List stored articles."""
    with open_store(ctx) as store:
        articles = list(store.articles())
    if limit is not None:
        articles = articles[:limit]
    emit(
        as_json,
        lambda: [article_row(a) for a in articles],
        lambda: tables.articles_table(articles),
    )


@app.command()
def show(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix).")],
    removed: Annotated[bool, typer.Option("--removed", help="Also show what cleaning cut.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one article: metadata, clean text, and optionally the spans cleaning removed."""
    with open_store(ctx) as store:
        article = store.get_article(article_id)
    if article is None:
        fail(f"no article with id {article_id!r} (see `narratrace list`)")
        raise typer.Exit(1)
    if as_json:
        tables.print_json(dicts.article_detail(article, removed=removed))
    else:
        tables.show_article(article, removed=removed)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Counts of what the store holds."""
    with open_store(ctx) as store:
        figures = store.stats()
    emit(as_json, lambda: figures, lambda: tables.stats_table(figures))


@app.command()
def reuse(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Find copies and shared passages (new articles against all stored), then list every pair."""
    with open_store(ctx) as store:
        run = with_progress("comparing", lambda report: update_reuse(store, ctx.obj["where"], report))
        pairs = list(stored_reuse.pairs(store.db))
        articles = store.articles_by_id([p.a for p in pairs] + [p.b for p in pairs])
    if as_json:
        tables.print_json([dicts.pair_row(p) for p in pairs])
        return
    tables.err.print(
        f"Compared {run.new_articles:,} new articles with the store: {run.candidates:,} candidate pairs, "
        f"{run.pairs_found:,} new pairs with shared text ({len(pairs):,} in all).",
        highlight=False,
    )
    for table in tables.reuse_tables(pairs, articles):
        tables.out.print(table)


@app.command()
def families(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Groups of articles that are copies of one another, with the earliest known member."""
    with open_store(ctx) as store:
        with_progress("comparing", lambda report: update_reuse(store, ctx.obj["where"], report))
        pairs = list(stored_reuse.pairs(store.db))
        articles = store.articles_by_id([p.a for p in pairs] + [p.b for p in pairs])
    found = copy_families(pairs, articles)
    emit(
        as_json,
        lambda: [dicts.family_json(f) for f in found],
        lambda: tables.families_table(found, articles),
    )


@app.command("load-results")
def load_results(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(help="A cluster run's work folder (default: --work, else DB.work)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Bring a Ray run's finished results (articles, pairs, claims, narratives) into the store."""
    with open_store(ctx) as store:
        work = folder or ctx.obj["where"].folder(store)
        found = engine_results.load_results(store, work)
    rows = [asdict(row) for row in found]
    emit(as_json, lambda: rows, lambda: tables.loaded_table(rows))
    if any(row.failed for row in found):
        raise typer.Exit(1)


def _narratives(store: Store, discover: bool, where: Where) -> list[Narrative]:
    """The narratives brought up to date, and with `discover` the candidates after them."""
    found = with_progress("narratives", lambda report: update_narratives(store, where, report))
    if not discover:
        return found
    candidates = narrative_service.discover(store, found)
    tables.err.print(
        f"Discovery: {len(candidates):,} candidate narrative(s) among the articles no narrative holds"
        + ("" if candidates else " (none of their claims resurfaces across outlets 30 days or more apart)"),
        highlight=False,
    )
    return found + candidates


@app.command()
def narratives(ctx: typer.Context, as_json: JsonOption = False, discover: DiscoverOption = False) -> None:
    """Group stored articles into the known narratives they push (run `catalogue import` first)."""
    with open_store(ctx) as store:
        with_progress("comparing", lambda report: update_reuse(store, ctx.obj["where"], report))
        found = _narratives(store, discover, ctx.obj["where"])
        articles = {a.id: a for a in store.articles()}
        if not any(True for _ in stored_catalogue.entries(store.db)):
            tables.err.print(EMPTY_CATALOGUE, highlight=False)
    emit(
        as_json,
        lambda: [dicts.narrative_row(n) for n in found],
        lambda: tables.narratives_table(found, articles),
    )


@app.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl, gexf, graphml or claimreview.")],
    out: Annotated[Path, typer.Option("--out", help="A directory for csv and jsonl, else a file.")],
    discover: DiscoverOption = False,
) -> None:
    """Export articles, pairs and narratives (csv, jsonl; with --discover, candidates too), the
    outlet copy network (gexf, graphml), or narratives with their catalogue matches as ClaimReview
    JSON-LD."""
    if fmt not in FORMATS:
        fail(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    with open_store(ctx) as store:
        with_progress("comparing", lambda progress: update_reuse(store, ctx.obj["where"], progress))
        found = _narratives(store, discover, ctx.obj["where"])
        written = export(
            fmt,
            out,
            list(store.articles()),
            list(stored_reuse.pairs(store.db)),
            found,
            list(stored_catalogue.entries(store.db)),
        )
    tables.err.print("Wrote " + escape(", ".join(str(p) for p in written)), highlight=False)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None, typer.Option(envvar="NARRATRACE_TOKEN", help="Required on every request when set.")
    ] = None,
) -> None:
    """The local web UI and HTTP API (OpenAPI schema at /openapi.json)."""
    if host not in LOOPBACK and not token:
        fail(f"--host {host}: serving beyond this machine needs a token (--token or NARRATRACE_TOKEN)")
        raise typer.Exit(2)
    from narratrace.web import create_app
    from narratrace.web.security import LOOPBACK_HOSTS, check_token
    from narratrace.web.server import serve as run_server

    try:
        check_token(token)
    except ValueError as error:
        fail(f"--token: {error} (openssl rand -hex 16 makes one)")
        raise typer.Exit(2) from None
    with open_store(ctx) as store:  # create or migrate the database before serving it
        # and make what the first match would wait for: the entries' English vectors
        with_progress(
            "preparing the catalogue",
            lambda progress: narrative_service.english_vectors_of(store, on_progress=progress),
        )
    shown = f"[{host}]" if ":" in host else host
    tables.err.print(
        f"Serving {escape(str(ctx.obj['db']))} at http://{shown}:{port}/"
        + (" (a token is required: sign in at /login)" if token else "")
        + "; Ctrl-C stops.",
        highlight=False,
    )
    # on loopback, only loopback names: a page elsewhere cannot reach it through a rebound name
    hosts = LOOPBACK_HOSTS if host in LOOPBACK else None
    run_server(create_app(ctx.obj["db"], token=token, hosts=hosts), host, port)


evidence_commands.register(app)
catalogue_commands.register(app)


def main() -> None:
    try:
        app()
    except NarratraceError as error:
        fail(str(error))
        sys.exit(2)
