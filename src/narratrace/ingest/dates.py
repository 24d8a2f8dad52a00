"""Publication dates from metadata fields, URLs and datelines, as ISO `yyyy-mm-dd`."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
ISO_DATE = re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
MONTH_FIRST = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})")
# "03.10.2017", "03/10/2017": day first, as European sources (EUvsDisinfo among them) write it
NUMERIC_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d{2})$")
DAY_FIRST = re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})")

# "/2018/02/20/", "/20180220/", "-2018-02-20" inside a URL path.
URL_DATE = re.compile(
    r"[/_-](?P<year>(?:19|20)\d{2})[/_-]?(?P<month>[01]\d)[/_-]?(?P<day>[0-3]\d)(?:[/_.-]|$)"
)

# A dateline opening the text: "date 2021-03-01 ...", "Published: March 1, 2021".
DATELINE = re.compile(
    r"^\s*(?:date|dated|published(?: on)?|posted(?: on)?|updated(?: on)?|first published)\s*:?\s*"
    r"(?P<value>(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:[T ][\d:.+Z-]+)?|"
    r"[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9}\.?,? (?:19|20)\d{2})"
    r"[ \t]*(?:[|–—-][ \t]*)?",
    re.IGNORECASE,
)


# A date opening the text with no word before it, set off by a dash or a bar as bylines are:
# "November 7, 2017 – Fort Russ News – ...", "م 5:05 2017/11/12 Tishreen ..." (a time, and an
# AM/PM mark of one to three characters in any script, may come first).
_DATE_VALUE = (
    r"(?P<value>(?:19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}|"
    r"[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d{2}|"
    r"\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9}\.?,? (?:19|20)\d{2})"
)
BARE_DATELINE = re.compile(
    # a time first (with an AM/PM mark of one to three characters in any script but Latin): the
    # date that follows it is the dateline's; else the date must be set off by a dash, a bar or
    # the line's end ("May 5, 2020 was the day" is a sentence, not a dateline)
    r"^\s*(?:(?:[^\sA-Za-z\d]{1,3}\s+)?\d{1,2}:\d{2}\s+" + _DATE_VALUE + r"[ \t]*(?:[|–—-][ \t]*)?"
    r"|" + _DATE_VALUE.replace("value", "bare") + r"(?:[ \t]*[|–—-][ \t]*|[ \t]*\n))"
)
# "2017/11/12": year first, as Arabic and East Asian pages write it
YEAR_FIRST_SLASH = re.compile(r"(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> str | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower(), 0)
    return _iso(int(match.group("year")), month, int(match.group("day")))


def parse_date(value: str | None) -> str | None:
    """Parse a metadata date (ISO 8601, RFC 2822, "March 1, 2021", "1 March 2021", "01.03.2021",
    "01/03/2021")."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in (ISO_DATE, YEAR_FIRST_SLASH, NUMERIC_DAY_FIRST, MONTH_FIRST, DAY_FIRST):
        match = pattern.search(value)
        if match and (found := _from_match(match)):
            return found
    return None


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = URL_DATE.search(url)
    return _from_match(match) if match else None


def dateline(text: str) -> tuple[str, int] | None:
    """The date of a dateline opening `text`, and where the dateline ends."""
    match = DATELINE.match(text) or BARE_DATELINE.match(text)
    if not match:
        return None
    found = parse_date(match.group("value") or match.groupdict().get("bare"))
    return (found, match.end()) if found else None
