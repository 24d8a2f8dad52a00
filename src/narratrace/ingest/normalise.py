"""Text normalisation before cleaning: line ends, nested HTML entities, mojibake, control chars.

These are character repairs, not cuts: cleaning records its cuts as spans over the text this
module returns, and the raw input is kept beside it.
"""

from __future__ import annotations

import html
import re

import ftfy

# Entities escaped several times over (`&amp;amp;amp;lt;`) lose one level per unescape;
# ten levels is far more than any feed we have seen nests.
MAX_UNESCAPE_ROUNDS = 10

# A lead byte of a UTF-8 sequence decoded as Latin-1/cp1252, followed by a continuation byte
# seen through the same lens. Checking this first keeps ftfy (about 1 ms per article) off the
# clean majority of articles.
MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\ud800-\udfff]")
# No-break and other typographic spaces become plain spaces so that text compares equal
# however a site spaced it.
UNICODE_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def unescape_fully(text: str) -> str:
    """Unescape HTML entities until the text stops changing (a real `&` or `<` survives)."""
    for _ in range(MAX_UNESCAPE_ROUNDS):
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    return text


def normalise(text: str) -> str:
    """Return `text` with unified line ends, entities unescaped and mojibake repaired."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unescape_fully(text)
    if not text.isascii() and MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, uncurl_quotes=False, normalization=None)
    if not text.isascii():
        text = UNICODE_SPACES.sub(" ", text)
    return CONTROL_CHARS.sub("", text)
