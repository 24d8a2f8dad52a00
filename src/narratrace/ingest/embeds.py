"""Embedded social-media posts: kept in the text but marked, since they are quoted material.

Embeds leave a signature line behind when a page is flattened to text: Facebook's "Posted by
<page> on <date>", Twitter's "— Name (@handle) <date>", Instagram's "A post shared by".
"""

from __future__ import annotations

import re

from narratrace.ingest.lines import Line

EMBED_SIGNATURE = re.compile(
    r"^\s*Posted by .{1,100} on (?:\w+day, )?\w+ \d{1,2},? \d{4}\s*$|"
    r"[—–-]\s*.{1,60}\(@\w{1,15}\)\s*\w+ \d{1,2},? \d{4}\s*$|"
    r"pic\.twitter\.com/\w+|"
    r"^\s*A post shared by .{1,100}\(@[\w.]{1,30}\)",
    re.IGNORECASE,
)
# Every signature holds one of these; testing them first keeps the regex off most lines.
SIGNATURE_HINTS = ("Posted by", "posted by", "(@", "pic.twitter", "post shared")
# The post text above a signature: one paragraph, as posts are short.
MAX_POST_WORDS = 120


def embedded_posts(lines: list[Line]) -> list[tuple[int, int]]:
    """(first, last) line index of each embedded post, its signature line included."""
    posts: list[tuple[int, int]] = []
    for line in lines:
        if not any(h in line.text for h in SIGNATURE_HINTS) or not EMBED_SIGNATURE.search(line.text):
            continue
        first = line.index
        for previous in reversed(lines[: line.index]):
            if previous.blank:
                continue
            if previous.words <= MAX_POST_WORDS and not any(p[1] >= previous.index for p in posts):
                first = previous.index
            break
        posts.append((first, line.index))
    return posts
