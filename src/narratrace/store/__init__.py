"""Where articles and analysis results are kept: SQLite by default."""

from narratrace.store.sqlite import Store

__all__ = ["Store"]
