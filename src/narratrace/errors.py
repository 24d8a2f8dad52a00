"""Errors a user can cause. Each message names the input (file, line, field) and what to do."""

from __future__ import annotations


class NarratraceError(Exception):
    """Base class of every error narratrace reports to a user."""


class InputError(NarratraceError):
    """One input (file, row or record) could not be read; the rest of the input goes on."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (InputError, (self.location, self.reason))  # crosses process boundaries


class StoreError(NarratraceError):
    """The database cannot be opened or is of an unknown schema version."""


class UsageError(NarratraceError):
    """A command-line argument is wrong (for example a malformed --field mapping)."""
