"""Sentences of a clean text, with their offsets: the unit of claims and match evidence."""

from __future__ import annotations

import re
from itertools import pairwise

import sentencex

# Within a paragraph, sentences are found by sentencex (Wikimedia's segmenter: the terminators
# of every script, such as 。 and ؟, and each language's abbreviations, "Mr." or "z.B."). The
# hand-written rule it replaced needed a Latin, Cyrillic or Arabic capital after the stop, so a
# Chinese paragraph stayed one sentence and an Arabic question ended none
# (bench/studies/sentence_split.py measures both on the languages of ../shared/corpus/realnews).
# A language sentencex is not told falls back to English abbreviations.
DEFAULT_LANGUAGE = "en"
# sentencex does not end a sentence at a full-width stop followed by a digit ("。2019年7月"): 8 of
# the 52 sentences of realnews' Chinese articles held one. Such a stop ends a sentence unless a
# closing quote or bracket follows it.
CJK_STOP = re.compile(r"[。！？](?![”」』）)\]\"’])")
# A line break ends a sentence (extracted pages give a paragraph per line, and headlines stand on
# lines of their own); in hard-wrapped text (plain-text exports, mail, wire copy at a fixed
# width) it is only a space, and a blank line ends a paragraph, and with it a sentence.
PARAGRAPH = re.compile(r"[^\n]+")
WRAPPED_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*", re.DOTALL)
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


def split(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, split by the rules of `language` (ISO 639-1)."""
    spans: list[tuple[int, int]] = []
    code = language or DEFAULT_LANGUAGE
    for paragraph in (WRAPPED_PARAGRAPH if hard_wrapped(text) else PARAGRAPH).finditer(text):
        offset = paragraph.start()
        for found in sentencex.get_sentence_boundaries(code, paragraph.group(0)):
            start, end = offset + found["start_index"], offset + found["end_index"]
            for stop in CJK_STOP.finditer(text, start, end - 1):
                _add(text, start, stop.end(), spans)
                start = stop.end()
            _add(text, start, end, spans)
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


def sentences(text: str, language: str | None = None) -> list[str]:
    return [sentence_at(text, s, e) for s, e in split(text, language)]
