"""Reader comment sections and spam.

A comment section is found from its two ends: the comment form or heading that most
publishing systems print ("Leave a Reply", "3 comments", "Your email address will not be
published", Akismet's notice), and, walking back from it, the threaded list of comments
(indented, bulleted or numbered items, "X says:" bylines) that follows the article body.
"""

from __future__ import annotations

import re

from narratrace.ingest.lines import Line, is_body_paragraph

# Lines only comment systems print (WordPress, Disqus, Drupal, Blogger and similar).
COMMENT_MARKER = re.compile(
    r"^\s*(?:leave a (?:reply|comment)|post a comment|add (?:a |your )?comment|"
    r"your email address will not be published|required fields are marked|"
    r"this site uses akismet|notify me of (?:follow-up comments|new posts)|"
    r"save my name,? email|post comment|submit comment|cancel reply|comments are closed|"
    r"(?:you must be )?log(?:ged)? in to (?:leave|post) a comment|"
    r"join the (?:conversation|discussion)|"
    r"\d+ (?:comments?|responses?|replies|thoughts on|reactions?)\b|"
    r"show comments|view comments|powered by disqus|"
    # wpDiscuz and WordPress forms: "Please enter your comment!", "Notify of", "Inline Feedbacks"
    r"please enter your (?:comment|name)|notify of\s*$|inline feedbacks|view all comments)",
    re.IGNORECASE,
)
# A bare heading ("Comments", "Discussion (3)") is also a story's subheading word, so it opens
# a section only when comment items or a marker follow it closely.
COMMENT_HEADING = re.compile(
    r"^\s*(?:comments?|responses?|replies|reader comments|discussion)\s*(?:\(\d+\))?:?\s*$",
    re.IGNORECASE,
)
HEADING_LOOKAHEAD = 10

# One comment in a thread: an indented or bulleted item, a numbered item, or a byline.
COMMENT_ITEM = re.compile(
    r"^(?:\s{2,}(?:[•◦▪●○‣∙*–-]|\d{1,3}[.)])\s+\S|\s*[•◦▪●○‣∙]\s+\S|"
    r"\s*[\w .'’-]{1,40} (?:says|said|wrote|replied):?\s*$|"
    r"\s*(?:reply|log in to reply|report|like|dislike|\d+ likes?)\s*$|"
    r"\s*\w+ \d{1,2},? \d{4},? (?:at )?\d{1,2}:\d{2}\s*(?:am|pm)?\s*$)",
    re.IGNORECASE,
)

# Signals of commercial spam; two in one line (or one beside a link) make it spam.
SPAM_SIGNAL = re.compile(
    r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:/|an?|per)?\s*(?:hour|hr|day|week|month)|hourly|"
    r"per[- ]hour|work(?:ing)? from home|home[- ]?based|make money|earn(?:ing)? (?:money|\$)|"
    r"easy money|side income|join this (?:specific )?job|just after making|"
    r"(?:[♥★✓✔❤]\s*\w?\s*){5,}|https?://\S+|!{3,}|:{3,}|click (?:here|this link)|"
    r"visit this (?:site|link)|for more info visit|online (?:casino|pharmacy)|viagra|crypto ?currency",
    re.IGNORECASE,
)
LINK = re.compile(r"https?://|www\.\w", re.IGNORECASE)
# Spam nearly always carries a link, a price or a run of symbols: looking for those with
# plain substring tests first keeps the costly SPAM_SIGNAL scan off ordinary lines.
SPAM_HINTS = ("http", "www.", "♥", "★", "✓", "✔", "❤", "!!!", ":::", "hourly", "per hour", "from home")

# The section must begin after some article text (two paragraphs, or one long one, of
# 50+ words): a marker in the first lines is chrome, not a comment section.
MIN_BODY_LINES_BEFORE = 2
MIN_BODY_WORDS_BEFORE = 50


def spam_score(line: Line) -> int:
    if not any(hint in line.text for hint in SPAM_HINTS):
        return 0
    return len(SPAM_SIGNAL.findall(line.text))


def is_spam(line: Line) -> bool:
    score = spam_score(line)
    return score >= 2 or (score >= 1 and LINK.search(line.text) is not None and line.words < 80)


def _is_item(line: Line) -> bool:
    return bool(COMMENT_ITEM.match(line.text)) or (line.indent >= 2 and not line.blank)


def comment_section(lines: list[Line]) -> tuple[int, int] | None:
    """First and last line index of the comment section, or None.

    Anchored on a comment marker; the section starts at the earliest comment item in the
    run of items, blanks and spam just before it, and runs to the end of the text (comment
    sections close a page; a footer after them is cut either way).
    """
    marker = _first_marker(lines)
    if marker is None:
        return _trailing_thread(lines)
    start = marker
    for line in reversed(lines[:marker]):
        if line.blank:
            continue
        if _is_item(line) or is_spam(line):
            start = line.index
            continue
        break
    return start, len(lines) - 1


def _first_marker(lines: list[Line]) -> int | None:
    body_seen = body_words = 0
    for line in lines:
        enough_body = body_seen >= MIN_BODY_LINES_BEFORE or body_words >= MIN_BODY_WORDS_BEFORE
        if enough_body and COMMENT_MARKER.match(line.text):
            return line.index
        if is_body_paragraph(line):
            body_seen += 1
        if line.words >= 12:
            body_words += line.words
        if is_body_paragraph(line):
            continue
        if not enough_body:
            continue
        if COMMENT_HEADING.match(line.text):
            following = [ln for ln in lines[line.index + 1 :] if not ln.blank][:HEADING_LOOKAHEAD]
            if any(_is_item(ln) or COMMENT_MARKER.match(ln.text) for ln in following):
                return line.index
    return None


def _trailing_thread(lines: list[Line]) -> tuple[int, int] | None:
    """A thread at the end with no marker: indented items, at least one of them spam."""
    items: list[Line] = []
    for line in reversed(lines):
        if line.blank:
            continue
        if _is_item(line):
            items.append(line)
            continue
        break
    if len(items) >= 2 and any(is_spam(item) for item in items):
        return items[-1].index, items[0].index
    return None
