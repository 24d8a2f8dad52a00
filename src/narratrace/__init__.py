"""narratrace: who copied whom, which recurring narrative this is, and on what evidence."""

from narratrace.errors import InputError, NarratraceError
from narratrace.model import Article, RawDocument, Span

__all__ = ["Article", "InputError", "NarratraceError", "RawDocument", "Span"]
__version__ = "0.1.0"
