"""The `narratrace` command: `commands` parses and calls, `evidence` holds the commands about
claims and sources, `tables` draws rich tables, `support` is what every command shares (the store,
printing, progress). The JSON they print comes from `narratrace.export`, as the web API's does."""

from narratrace.cli.commands import main

__all__ = ["main"]
