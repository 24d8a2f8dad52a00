"""Sentences of a clean text, with their offsets: the unit of claims and match evidence."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (or a line break) followed by space and a capital, digit or quote;
# abbreviations common in news ("Mr.", "U.S.", "Gen.") do not end one.
BOUNDARY = re.compile(r"(?<=[.!?…])([\"”’»)]?)\s+(?=[\"“‘«(]?[A-Z0-9\u0400-\u04FF\u0600-\u06FF])|\n+")
ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Prof|Sen|Rep|St|Jr|Sr|U\.S|U\.K|No|vs)\.$")
MIN_SENTENCE_CHARS = 3


def split(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1) or "")
        if "\n" not in match.group(0) and ABBREVIATIONS.search(text[start:end]):
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


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split(text)]
