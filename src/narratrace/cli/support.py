"""What every command shares: the store it opens, how it prints, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import RenderableType
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from narratrace.cli import tables
from narratrace.errors import InputError
from narratrace.store import Store

T = TypeVar("T")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DiscoverOption = Annotated[
    bool,
    typer.Option(
        "--discover",
        help="Also list candidate narratives: claims that articles no narrative holds repeat "
        "30 days or more apart, which no catalogue entry or fact-check names yet.",
    ),
]
DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.", envvar="NARRATRACE_DB")]
PathsArgument = Annotated[list[str], typer.Argument(help="Files, directories, or - for standard input.")]
FieldOption = Annotated[
    list[str] | None,
    typer.Option("--field", help="Map an article field to a column: NAME=COLUMN (repeatable)."),
]
WorkersOption = Annotated[int | None, typer.Option(help="Processes preparing articles (default: all cores).")]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
EMPTY_CATALOGUE = (
    "note: the catalogue is empty, so nothing can match; import one with "
    "`narratrace catalogue import FILE` (EUvsDisinfo-style CSV or ClaimReview JSON-LD)"
)


def open_store(ctx: typer.Context) -> Store:
    return Store(ctx.obj["db"])


def emit(as_json: bool, data: Callable[[], object], table: Callable[[], RenderableType]) -> None:
    """Print a command's answer as JSON on --json, else as a table: every listing does one or the other."""
    if as_json:
        tables.print_json(data())
    else:
        tables.out.print(table())


def fail(message: str) -> None:
    tables.err.print(f"[red]error:[/red] {escape(message)}", highlight=False)


def progress_bar(label: str) -> Progress:
    """A progress bar on standard error, shown only when it is a tables."""
    return Progress(
        TextColumn(label + " [dim]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=tables.err,
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def with_progress(label: str, work: Callable[[Callable[[str, int, int], None]], T]) -> T:
    progress = progress_bar(label)
    with progress:
        task = progress.add_task("", total=None)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total or None)

        return work(report)


class ErrorLog:
    """Input errors printed one line each as they come, and kept for the exit code."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def __call__(self, error: InputError) -> None:
        self.errors.append(error)
        fail(str(error))
