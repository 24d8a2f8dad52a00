"""Cleaning: cut markup debris, site chrome, comment sections and spam; mark embedded posts.

Every cut is recorded as a `Span` over the normalised text with its reason and the text cut,
so an analyst can audit it and the pre-cleaning text can be rebuilt exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from narratrace.ingest import chrome, comments, embeds
from narratrace.ingest.dates import dateline
from narratrace.ingest.lines import Line, split_lines
from narratrace.model import Span

HTML_TAGS = (
    "a|abbr|article|aside|audio|b|blockquote|body|br|button|center|cite|code|dd|del|div|dl|dt|"
    "em|embed|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|"
    "ins|label|li|link|main|mark|meta|nav|noscript|object|ol|option|p|param|picture|pre|q|s|"
    "section|select|small|source|span|strike|strong|sub|sup|svg|table|tbody|td|textarea|tfoot|"
    "th|thead|time|title|tr|u|ul|video|wbr"
)
# A tag of a real HTML element, so "x <y" or "<Name>" in prose is left alone.
MARKUP_TAG = re.compile(rf"</?(?:{HTML_TAGS})\b(?:\s[^<>]*)?/?>", re.IGNORECASE)
MARKUP_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)

# A first line is taken as the title when it is short and does not read as a sentence.
TITLE_MAX_WORDS = 25
TITLE_MIN_WORDS = 2


@dataclass(slots=True, frozen=True)
class Cleaned:
    text: str
    removed: tuple[Span, ...]
    marks: tuple[Span, ...]
    title: str | None
    dateline: str | None  # ISO date of a dateline the text opened with


def clean(text: str, *, title: str | None = None, title_from_first_line: bool = True) -> Cleaned:
    """Clean normalised `text`. A known `title` is cut where the text repeats it first."""
    lines = split_lines(text)
    cuts = _markup_cuts(text)
    gone: dict[int, str] = {}  # line index -> reason, for lines cut whole

    for line in lines:
        if not line.blank and _is_markup_only(line, cuts):
            gone[line.index] = "markup"

    found_date = None
    if found := dateline(text):
        found_date, end = found
        cuts.append((0, end, "dateline"))

    if section := comments.comment_section(lines):
        for index in range(section[0], section[1] + 1):
            gone.setdefault(index, "comments")

    _cut_chrome_lines(lines, gone)

    if (footer := chrome.footer_start(lines)) is not None:
        for line in lines[footer:]:
            if line.index not in gone and (line.blank or chrome.is_footer_tail_line(line)):
                gone[line.index] = "footer"
            elif not line.blank:
                break

    found_title = _cut_title(lines, gone, cuts, title, title_from_first_line)
    _tidy_blank_lines(lines, gone, cuts)

    for index, reason in gone.items():
        cuts.append((lines[index].start, lines[index].stop, reason))
    removed = _merge(text, cuts)
    clean_text = _assemble(text, removed)
    posts = [
        (lines[first].start, lines[last].end)
        for first, last in embeds.embedded_posts(lines)
        if first not in gone and last not in gone
    ]
    marks = tuple(
        Span(_to_clean(start, removed), _to_clean(end, removed), "embedded_post") for start, end in posts
    )
    return Cleaned(clean_text, removed, marks, found_title or title, found_date)


def _markup_cuts(text: str) -> list[tuple[int, int, str]]:
    if "<" not in text:
        return []
    cuts = [(m.start(), m.end(), "markup") for m in MARKUP_BLOCK.finditer(text)]
    cuts += [(m.start(), m.end(), "markup") for m in MARKUP_TAG.finditer(text)]
    return cuts


def _is_markup_only(line: Line, cuts: list[tuple[int, int, str]]) -> bool:
    inside = [c for c in cuts if c[0] < line.end and c[1] > line.start]
    if not inside:
        return False
    kept = list(line.text)
    for start, end, _ in inside:
        for pos in range(max(start, line.start), min(end, line.end)):
            kept[pos - line.start] = " "
    return not "".join(kept).strip()


def _cut_chrome_lines(lines: list[Line], gone: dict[int, str]) -> None:
    rank = 0
    label = False  # the line before was a cross-link label alone
    for line in lines:
        if line.blank or line.index in gone:
            continue
        if label and chrome.is_linked_title(line):
            gone[line.index] = "chrome: cross-link"
            label = False
            continue
        label = chrome.is_cross_link_label(line)
        if label:
            gone[line.index] = "chrome: cross-link"
        elif chrome.is_breadcrumb(line, rank):
            gone[line.index] = "chrome: breadcrumb"
        elif chrome.is_chrome(line):
            gone[line.index] = "chrome: widget"
        elif chrome.is_cross_link(line):
            gone[line.index] = "chrome: cross-link"
        elif comments.is_spam(line):
            gone[line.index] = "spam"
        rank += 1


def _looks_like_title(line: Line) -> bool:
    text = line.text.strip()
    return (
        TITLE_MIN_WORDS <= line.words <= TITLE_MAX_WORDS
        and not text.endswith((".", ",", ";", ":"))
        and (text[:1].isupper() or text[:1].isdigit() or not text[:1].isalpha())
    )


def _cut_title(
    lines: list[Line],
    gone: dict[int, str],
    cuts: list[tuple[int, int, str]],
    title: str | None,
    from_first_line: bool,
) -> str | None:
    cut_until = max((end for start, end, _ in cuts if start == 0), default=0)
    candidates = [ln for ln in lines if not ln.blank and ln.index not in gone and ln.end > cut_until]
    if len(candidates) < 2:
        return None
    first = candidates[0]
    text = first.text.strip()
    if title is not None:
        if " ".join(text.split()).casefold() == " ".join(title.split()).casefold():
            gone[first.index] = "title"
        return None
    if from_first_line and first.start >= cut_until and _looks_like_title(first):
        gone[first.index] = "title"
        return text
    return None


def _tidy_blank_lines(lines: list[Line], gone: dict[int, str], cuts: list[tuple[int, int, str]]) -> None:
    """Cut blank lines left at the edges or doubled up by other cuts."""
    cut_lines = {ln.index for ln in lines if ln.index in gone}
    for start, end, _ in cuts:  # lines emptied by inline cuts count as blank
        for line in lines:
            if line.start >= start and line.end <= end and not line.blank:
                cut_lines.add(line.index)
    content = [ln.index for ln in lines if not ln.blank and ln.index not in cut_lines]
    if not content:
        return
    first, last = content[0], content[-1]
    if all(ln.blank or ln.index in cut_lines for ln in lines[last + 1 :]):
        cuts.append((lines[last].end, lines[last].stop, "whitespace"))  # the final newline
    previous_blank = True
    for line in lines:
        if line.index in cut_lines:
            continue
        if line.blank:
            if line.index < first or line.index > last or previous_blank:
                gone[line.index] = "whitespace"
            previous_blank = True
        else:
            previous_blank = False


def _merge(text: str, cuts: list[tuple[int, int, str]]) -> tuple[Span, ...]:
    """Sorted, non-overlapping spans; touching cuts of the same reason become one."""
    merged: list[list[int | str]] = []
    for start, end, reason in sorted(cuts, key=lambda c: (c[0], -c[1])):
        if start >= end:
            continue
        if merged:
            last = merged[-1]
            last_end = int(last[1])
            if start < last_end or (start == last_end and last[2] == reason):
                last[1] = max(last_end, end)
                continue
        merged.append([start, end, reason])
    return tuple(Span(int(s), int(e), str(r), text[int(s) : int(e)]) for s, e, r in merged)


def _assemble(text: str, removed: tuple[Span, ...]) -> str:
    parts = []
    pos = 0
    for span in removed:
        parts.append(text[pos : span.start])
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def _to_clean(position: int, removed: tuple[Span, ...]) -> int:
    shift = 0
    for span in removed:
        if span.start >= position:
            break
        shift += min(span.end, position) - span.start
    return position - shift
