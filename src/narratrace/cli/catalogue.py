"""Commands about the catalogue of known narratives: `catalogue import|list|promote` and `match`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, NamedTuple

import typer
from rich.markup import escape

from narratrace import export as dicts
from narratrace.cli import tables
from narratrace.cli.support import (
    EMPTY_CATALOGUE,
    ErrorLog,
    JsonOption,
    emit,
    fail,
    open_store,
    with_progress,
)
from narratrace.errors import NarratraceError
from narratrace.ingest.fields import parse_field_mapping
from narratrace.ingest.pipeline import prepare_or_error
from narratrace.ingest.sources import iter_documents
from narratrace.model import Article, RawDocument, Skipped
from narratrace.narratives import service as narrative_service
from narratrace.narratives.catalogue import COLUMN_NAMES
from narratrace.store import catalogue as stored_catalogue

catalogue_app = typer.Typer(help="The catalogue of known, debunked narratives.", no_args_is_help=True)


@catalogue_app.command("import")
def catalogue_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="EUvsDisinfo-style CSV (any delimiter; real scrapes as published); ClaimReview "
            "JSON-LD (an object, a list, a DataFeed, saved fact-check pages as .html) or a Fact "
            "Check Tools API answer."
        ),
    ],
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field", help="FIELD=COLUMN: the CSV column holding a field (e.g. outlets=media, url=source)."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="List every value not read, not only the count.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Import catalogue entries (each keeps its id: the CSV id, else the ClaimReview url; a CSV row
    without one gets one from its content, so an exact duplicate row is imported once)."""
    mapping = parse_field_mapping(field or [], COLUMN_NAMES)
    failed = ErrorLog()
    with open_store(ctx) as store:
        report = with_progress(
            "importing",
            lambda progress: narrative_service.import_catalogue(
                store, files, failed, mapping=mapping, on_progress=None if as_json else progress
            ),
        )
    if verbose:
        for value in report.not_read:
            tables.err.print(f"note: {escape(str(value))}", highlight=False)
    by_column = Counter(v.column for v in report.not_read)
    summary = {
        "entries": report.read,
        "new": report.new,
        "changed": report.changed,
        "unchanged": report.unchanged,
        "failed": len(failed.errors),
        "values_not_read": dict(by_column),
    }
    if as_json:
        tables.print_json(summary)
    else:
        not_read = ", ".join(f"{n:,} in {escape(c)!r}" for c, n in by_column.items())
        tables.err.print(
            f"Imported {report.read:,} catalogue entries ({report.new:,} new, {report.changed:,} changed, "
            f"{report.unchanged:,} unchanged), {len(failed.errors):,} failed."
            + (f" Values not read: {not_read} (--verbose lists them)." if not_read else ""),
            highlight=False,
        )
    if failed.errors:
        raise typer.Exit(1)


@catalogue_app.command("promote")
def catalogue_promote(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(help="A candidate narrative's id (narratives --discover).")],
    title: Annotated[str | None, typer.Option(help="The entry's title (default: the label).")] = None,
    entry_id: Annotated[
        str | None, typer.Option("--id", help="The entry's id (default: discovered:...).")
    ] = None,
) -> None:
    """Make a reviewed candidate narrative a catalogue entry: its articles then form a known narrative."""
    with open_store(ctx) as store:
        try:
            entry = narrative_service.promote(store, candidate, title, entry_id)
        except NarratraceError as error:
            fail(str(error))
            raise typer.Exit(1) from None
    tables.err.print(f"Added catalogue entry {escape(entry.id)}: {escape(entry.title)}", highlight=False)


@catalogue_app.command("list")
def catalogue_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List catalogue entries."""
    with open_store(ctx) as store:
        entries = list(stored_catalogue.entries(store.db))
    emit(
        as_json,
        lambda: [dicts.catalogue_json(e) for e in entries],
        lambda: tables.catalogue_table(entries),
    )


class MatchInput(NamedTuple):
    label: str  # what the result is printed under: the file and row, or the text given
    text: str  # what is matched: the article's clean text
    headline: str | None = None
    article: str | None = None  # its id, when it is a stored article (not its own evidence)
    note: str | None = None  # how it was read, or why it could not be
    raw: str = ""  # the row's text as given, matched instead when it is claim-sized


def match(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None, typer.Argument(help="Articles to match, read like ingest reads them.")
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="A claim or article text to match.")] = None,
    k: Annotated[int, typer.Option("-k", help="At most this many matches per input.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Rank known narratives for unseen articles or claims, with the sentences that match."""
    if not paths and text is None:
        fail("give PATH... or --text TEXT")
        raise typer.Exit(2)
    # one result per input, in input order
    inputs: list[MatchInput] = [MatchInput(text, text)] if text is not None else []
    failed = 0
    for item in iter_documents(paths or []):
        prepared = prepare_or_error(item)
        # a row of an export (JSONL, CSV) as given: a post or a quote is matched as it is
        given = (item.body or "").strip() if isinstance(item, RawDocument) and item.line is not None else ""
        if isinstance(prepared, Article):
            inputs.append(MatchInput(prepared.source, prepared.text, prepared.title, prepared.id, raw=given))
            continue
        if isinstance(prepared, Skipped):  # an archive's image or 404 page: not an input to match
            continue
        raw = (item.body or item.raw).strip() if isinstance(item, RawDocument) else ""
        if raw:  # a post whose trailer and links were cut as an embedded post, say: its raw text
            assert isinstance(item, RawDocument)
            note = f"matched on its raw text ({prepared.reason})"
            inputs.append(MatchInput(item.location, raw, item.title, note=note, raw=raw))
        else:
            failed += 1
            fail(str(prepared))
            inputs.append(MatchInput(prepared.location, "", note=f"error: {prepared.reason}"))
    with open_store(ctx) as store:
        # the first match after an import makes the entries' English vectors (once, stored)
        index = with_progress(
            "preparing the catalogue",
            lambda progress: narrative_service.load_index(store, on_progress=None if as_json else progress),
        )
        stored_narratives = narrative_service.current_narratives(store)
        members = narrative_service.member_sentences(store, stored_narratives)
        if not index.entries:
            tables.err.print(EMPTY_CATALOGUE, highlight=False)
        ranked = narrative_service.rank_with_narratives(
            index,
            [i.text for i in inputs],
            stored_narratives,
            k,
            [i.headline for i in inputs],
            members,
            [i.article for i in inputs],
            [i.raw for i in inputs],
        )
    if as_json:
        rows = [dicts.match_json(i.label, found, i.note) for i, found in zip(inputs, ranked, strict=True)]
        tables.print_json(rows)
    else:
        for i, found in zip(inputs, ranked, strict=True):
            tables.out.print(tables.match_table(i.label, found, i.note))
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(catalogue_app, name="catalogue")
    app.command()(match)
