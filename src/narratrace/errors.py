"""Errors a user can cause. Each message names the input (file, line, field) and what to do."""

from __future__ import annotations

import re

# An error is one line of bounded length, whatever the input put in it (a file name with a line
# break, an escape sequence, a 268 MB value quoted back).
MAX_LOCATION = 300
MAX_REASON = 300
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# the same, but the line break and the tab, which a table lays out
CONTROL_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_escaped(text: str, control: re.Pattern[str] = CONTROL) -> str:
    """`text` with the characters `control` matches shown as escapes ("\\x1b"), never sent to a
    terminal."""
    return control.sub(lambda m: repr(m.group(0))[1:-1], text)


def one_line(text: str, limit: int) -> str:
    """`text` with control characters shown as escapes, cut to `limit` characters."""
    shown = shown_escaped(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class NarratraceError(Exception):
    """Base class of every error narratrace reports to a user."""


class InputError(NarratraceError):
    """One input (file, row or record) could not be read; the rest of the input goes on."""

    def __init__(self, location: str, reason: str) -> None:
        location, reason = one_line(location, MAX_LOCATION), one_line(reason, MAX_REASON)
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        return (InputError, (self.location, self.reason))  # crosses process boundaries


class StoreError(NarratraceError):
    """The database cannot be opened or is of an unknown schema version."""


class UsageError(NarratraceError):
    """A command-line argument is wrong (for example a malformed --field mapping)."""
