"""Sentences of a clean text, with their offsets: the unit of claims and match evidence."""

from __future__ import annotations

import re
from itertools import pairwise

# A sentence ends at . ! ? (or a line break) followed by space and a capital, digit or quote;
# abbreviations common in news ("Mr.", "U.S.", "Gen.") do not end one.
END = r"(?<=[.!?…])([\"”’»)]?)\s+(?=[\"“‘«(]?[A-Z0-9\u0400-\u04FF\u0600-\u06FF])"
BOUNDARY = re.compile(rf"{END}|(\n+)")
# In hard-wrapped text (plain-text exports, mail, wire copy at a fixed width) a line break is
# only a space: there a blank line ends a paragraph, and with it a sentence.
WRAPPED_BOUNDARY = re.compile(rf"{END}|(\n[ \t]*\n\s*)")
ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Prof|Sen|Rep|St|Jr|Sr|U\.S|U\.K|No|vs)\.$")
MIN_SENTENCE_CHARS = 3
# Text reads as hard-wrapped when its longest line is of a wrapping width and nearly every line
# that runs on into the next one fills most of it (web extraction gives a paragraph per line,
# hundreds of characters long; headlines and lists are short lines).
WRAP_WIDTHS = range(50, 101)
WRAP_FILL = 0.7
WRAP_SHARE = 0.8
WRAP_MIN_LINES = 3


def hard_wrapped(text: str) -> bool:
    """Whether `text` is wrapped at a fixed width, its paragraphs broken across lines."""
    lines = text.split("\n")
    longest = max((len(line.rstrip()) for line in lines), default=0)
    if longest not in WRAP_WIDTHS:
        return False
    running_on = [len(a.rstrip()) for a, b in pairwise(lines) if a.strip() and b.strip()]
    if len(running_on) < WRAP_MIN_LINES:
        return False
    filled = sum(length >= WRAP_FILL * longest for length in running_on)
    return filled >= WRAP_SHARE * len(running_on)


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in (WRAPPED_BOUNDARY if hard_wrapped(text) else BOUNDARY).finditer(text):
        end = match.start() + len(match.group(1) or "")
        if match.group(2) is None and ABBREVIATIONS.search(text[start:end]):
            continue
        _add(text, start, end, spans)
        start = match.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= MIN_SENTENCE_CHARS:
        spans.append((start, end))


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence `text[start:end]`; a line break inside it (hard-wrapped text) reads as a space."""
    return text[start:end].replace("\n", " ")


def sentences(text: str) -> list[str]:
    return [sentence_at(text, s, e) for s, e in split(text)]
