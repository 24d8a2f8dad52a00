"""The self-contained HTML report: everything stored, readable offline in any browser."""

from narratrace.report.html import write_report

__all__ = ["write_report"]
