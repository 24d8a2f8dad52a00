"""Lines of a text with their offsets: the unit most cleaning rules decide on."""

from __future__ import annotations

from dataclasses import dataclass

SENTENCE_END_CHARS = frozenset('.!?…:;"”’»)]')


@dataclass(slots=True, frozen=True)
class Line:
    """One line of a text: `start`/`end` exclude the newline, `stop` includes it."""

    index: int
    start: int
    end: int
    stop: int
    text: str
    words: int  # whitespace-separated tokens, counted once: every rule asks

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" \t"))

    @property
    def ends_sentence(self) -> bool:
        tail = self.text.rstrip()
        return bool(tail) and tail[-1] in SENTENCE_END_CHARS


def split_lines(text: str) -> list[Line]:
    """Split `text` into lines, keeping each line's offsets in `text`."""
    lines: list[Line] = []
    pos = 0
    for index, chunk in enumerate(text.splitlines(keepends=True)):
        body = chunk.rstrip("\n")
        lines.append(Line(index, pos, pos + len(body), pos + len(chunk), body, len(body.split())))
        pos += len(chunk)
    return lines


def is_body_paragraph(line: Line) -> bool:
    """A line that reads as running prose: several words, ends like a sentence, not indented."""
    return line.words >= 12 and line.ends_sentence and line.indent < 2
