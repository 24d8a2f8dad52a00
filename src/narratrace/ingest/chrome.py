"""Site chrome: breadcrumbs, share buttons, badges, cross-links, promo blocks and footers.

Rules look at a line's shape (short, no sentence ending) and a vocabulary shared by news
sites, not at the text of any one site, so they carry over to sites never seen before.
"""

from __future__ import annotations

import re

from narratrace.ingest.lines import Line

# A whole line that is a widget label, badge or promo heading. Only short lines qualify
# (see MAX_CHROME_WORDS), so running text that happens to start with "Share" is safe.
CHROME_LINE = re.compile(
    r"^\s*(?:[•·|>»-]\s*)?(?:"
    r"fact[- ]?check(?:ed)?|verified|breaking(?: news)?|exclusive|opinion|analysis|"
    r"share(?: this)?(?: article| story| post| page| on \w+)?|shares?|tweet|email|e-mail|print|"
    r"whatsapp|facebook|twitter|x|telegram|linkedin|reddit|pinterest|vk|copy(?: the)? link|"
    r"latest(?: videos?| news| stories| articles)?|most (?:read|popular|viewed|shared)|"
    r"related(?: articles| stories| posts| news| topics| content)?|recommended(?: for you)?|"
    r"more (?:on this story|from [\w .'’-]{1,30}|stories|news)|top stories|trending(?: now)?|"
    r"you may (?:also )?like|read next|up next|editor'?s picks?|"
    r"advertisement|advert|sponsored(?: content)?|promoted|ad|"
    r"subscribe(?: now| here| to [\w .'’-]{1,30})?|sign up(?: for [\w .'’-]{1,30})?|"
    r"newsletter|follow us(?: on [\w .,'’-]{1,40})?|like us on facebook|like this|"
    r"listen(?: to (?:this )?article)?|watch(?: the)? video|video|photos?|gallery|"
    r"skip to (?:main )?content|back to top|menu|search|home|login|log in|register|"
    r"loading\W*|click (?:here|to [\w ]{1,30})|show more|load more|see more|tags?:?.{0,80}|"
    r"topics?:.{0,80}|filed under:?.{0,80}|image (?:source|caption|credit):?.{0,80}|"
    r"(?:photo|picture|image|video) ?(?:credit|source)?:.{0,80}|\d+ (?:min(?:ute)?s?|sec) read|"
    r"press tv news roku|download (?:our|the) app.{0,40}|get the app|"
    # appeals for money and the fundraising meter beside them ("0 $ 2,500 $", "$1,200 of $5,000")
    r"(?:do you like this (?:content|article|site)\?\s*)?"
    r"(?:please )?consider (?:helping|supporting|donating to) us!?|"
    r"(?:please )?(?:donate|support us|support our work|become a patron)(?: now| today)?!?|"
    r"(?:[$€£]\s?[\d,.]+|[\d,.]+\s?[$€£])(?:\s*(?:/|of|raised|goal|-)?\s*(?:[$€£]\s?[\d,.]+|[\d,.]+\s?[$€£]))*"
    r")\s*:?\s*$",
    re.IGNORECASE,
)
MAX_CHROME_WORDS = 8

# "READ MORE: <headline>" and its relatives: a label, a separator, then another story's title.
LINK_LABEL = r"read (?:more|also|next)|also read|see also|check also|don'?t miss|must read|further reading"
CROSS_LINK = re.compile(
    rf"^\s*(?:{LINK_LABEL}|more|related(?: story| article)?|watch|listen|recommended|more on this)"
    r"\s*[:|>»–—-]\s*\S",
    re.IGNORECASE,
)
# The same label alone on its line ("Check Also", "Read also:"): the next line is the other
# story's title, unless it is running prose.
CROSS_LINK_LABEL = re.compile(
    rf"^\s*(?:{LINK_LABEL}|related(?: stories| articles| posts)?|more on this(?: story)?)\s*:?\s*$",
    re.IGNORECASE,
)
MAX_LINKED_TITLE_WORDS = 20
MAX_CROSS_LINK_WORDS = 30

# "News / Syria", "Home » World » Europe": short capitalised crumbs joined by separators.
BREADCRUMB = re.compile(
    r"^\s*[\w'’&.-]+(?: [\w'’&.-]+){0,2}(?:\s*[/›»>|]\s*[\w'’&.-]+(?: [\w'’&.-]+){0,2}){1,5}\s*$"
)
BREADCRUMB_ZONE = 5  # breadcrumbs sit among the first few lines of a page

# Lines that open a site footer; everything short after them is footer too.
FOOTER_START = re.compile(
    r"website can (?:also )?be accessed|alternate (?:addresses|domains|mirrors)|"
    r"all rights reserved|©|\(c\) \d{4}|copyright \d{4}|copyright ©|terms of (?:use|service)|"
    r"privacy policy|cookie (?:policy|settings)|follow us on|download (?:our|the) app|"
    r"sign up for (?:our|the) newsletter|subscribe to (?:our|the) newsletter",
    re.IGNORECASE,
)
# A footer begins in the last part of a text only; earlier, such words are part of a story.
FOOTER_ZONE_SHARE = 0.6

LINK_LINE = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def is_chrome(line: Line) -> bool:
    """A short widget, badge or promo line."""
    return line.words <= MAX_CHROME_WORDS and bool(CHROME_LINE.match(line.text))


def is_cross_link(line: Line) -> bool:
    return line.words <= MAX_CROSS_LINK_WORDS and bool(CROSS_LINK.match(line.text))


def is_cross_link_label(line: Line) -> bool:
    return bool(CROSS_LINK_LABEL.match(line.text))


def is_linked_title(line: Line) -> bool:
    """The line after a cross-link label: another story's title, not a sentence of this one."""
    return not line.blank and line.words <= MAX_LINKED_TITLE_WORDS and not line.ends_sentence


def is_breadcrumb(line: Line, nonblank_rank: int) -> bool:
    if nonblank_rank >= BREADCRUMB_ZONE or line.ends_sentence or line.words > 8:
        return False
    if not BREADCRUMB.match(line.text):
        return False
    crumbs = re.split(r"\s*[/›»>|]\s*", line.text.strip())
    return all(c[:1].isupper() or c[:1].isdigit() for c in crumbs if c)


def footer_start(lines: list[Line]) -> int | None:
    """Index of the line that opens the site footer, if the text has one."""
    nonblank = [ln for ln in lines if not ln.blank]
    if not nonblank:
        return None
    zone_start = nonblank[int(len(nonblank) * FOOTER_ZONE_SHARE)].index
    for line in lines[zone_start:]:
        if line.blank or line.words > 25:
            continue
        if FOOTER_START.search(line.text):
            return line.index
    return None


def is_footer_tail_line(line: Line) -> bool:
    """After a footer opens, any line that is not running prose belongs to it."""
    return line.words <= 25 or LINK_LINE.match(line.text) is not None
