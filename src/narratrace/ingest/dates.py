"""Publication dates from metadata fields, URLs and datelines, as ISO `yyyy-mm-dd`, or `yyyy-mm`
where only the month is known (an address like `/2018/03/slug`, an export's "2018-03"): a date
never gets a day it was not given. `precision` says which, and `before` compares two dates only
as far as both are known.

Month names are read in any language: English's are below, every other language's come from the
locale data that dateparser keeps for some 200 languages ("7 ноября 2017", "7. November 2017",
"12 نوفمبر 2017", "7 de noviembre de 2017"). Only the table is taken from it, not its parser, which
guesses a language for each string (up to seconds for one that is not a date) where a date's shape
is known here. Dates in CJK form ("2017年11月7日") and digits of other scripts (Arabic-Indic,
Persian) are read too.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "month"]

MONTH_NAMES = (
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
)
MONTHS = {name: number for number, names in enumerate(MONTH_NAMES, start=1) for name in names}
# Languages whose month names win where two languages give one word different months ("listopad"
# is November in Polish and Czech, October in Croatian): those of the sources narratrace meets most.
FIRST_LANGUAGES = (
    "ru", "uk", "de", "fr", "es", "it", "pt", "pl", "cs", "sr", "hu", "bg", "ro", "tr", "ar", "fa",
    "nl", "el", "he", "zh", "ja", "ko", "be", "kk", "ka", "hy", "az", "lt", "lv", "et", "fi", "sv",
)  # fmt: skip
# A month written as a word, in any script ("nov.", "ноября", "نوفمبر"); which month is looked up.
_WORD = r"[^\W\d_]{3,12}"
_MONTH = rf"(?P<month>{_WORD})\.?"
# Dates with a month word, as datelines write them: "November 7, 2017", "7 ноября 2017 г."
_WORD_DATES = (
    rf"{_WORD}\.? \d{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th|\.)? (?:de )?{_WORD}\.?,? (?:de )?(?:19|20)\d{{2}}(?: ?(?:г\.|года|р\.))?"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})"
ISO_DATE = re.compile(_YEAR + r"-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
MONTH_FIRST = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR)
# "03.10.2017", "03/10/2017": day first, as European sources (EUvsDisinfo among them) write it
NUMERIC_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./]" + _YEAR + "$")
# "7 November 2017", "7. November 2017", "7 de noviembre de 2017"
DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?:st|nd|rd|th|\.)?\s+(?:de\s+)?" + _MONTH + r",?\s+(?:de\s+)?" + _YEAR
)
# "2017年11月7日" (Chinese, Japanese), "2017년 11월 7일" (Korean)
CJK_DATE = re.compile(_YEAR + r"\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]")
# digits of other scripts, read as ASCII ones (one character for one: offsets stay true)
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# "/2018/02/20/", "/20180220/", "-2018-02-20" inside a URL path.
URL_DATE = re.compile(
    r"[/_-](?P<year>(?:19|20)\d{2})[/_-]?(?P<month>[01]\d)[/_-]?(?P<day>[0-3]\d)(?:[/_.-]|$)"
)

# A dateline opening the text: "date 2021-03-01 ...", "Published: March 1, 2021".
DATELINE = re.compile(
    r"^\s*(?:date|dated|published(?: on)?|posted(?: on)?|updated(?: on)?|first published)\s*:?\s*"
    r"(?P<value>(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:[T ][\d:.+Z-]+)?|(?:19|20)\d{2}-(?:0[1-9]|1[0-2])(?!\d)|"
    + _WORD_DATES
    + ")"
    r"[ \t]*(?:[|–—-][ \t]*)?",
    re.IGNORECASE,
)


# A date opening the text with no word before it, set off by a dash or a bar as bylines are:
# "November 7, 2017 – Fort Russ News – ...", "م 5:05 2017/11/12 Tishreen ..." (a time, and an
# AM/PM mark of one to three characters in any script, may come first).
_DATE_VALUE = (
    r"(?P<value>(?:19|20)\d{2}[-/]\d{1,2}[-/]\d{1,2}|"
    r"(?:19|20)\d{2}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]|" + _WORD_DATES + ")"
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
# "/2018/03/slug": a year and month folder, as blogs file their posts (the day is not known)
URL_MONTH = re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<month>0[1-9]|1[0-2])/(?!\d)")
ISO_MONTH = re.compile(_YEAR + r"-(?P<month>0[1-9]|1[0-2])")


def precision(value: str | None) -> Precision | None:
    """How much of a stored date is known: the day (`yyyy-mm-dd`) or the month only (`yyyy-mm`)."""
    if not value:
        return None
    return "month" if len(value) == len("yyyy-mm") else "day"


def before(a: str, b: str) -> bool | None:
    """Whether date `a` comes before date `b`, compared as far as both are known; None when that
    cannot tell ("2018-03" and "2018-03-05", or one date twice)."""
    known = min(len(a), len(b))
    if a[:known] == b[:known]:
        return None
    return a[:known] < b[:known]


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> str | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else month_number(month_text)
    return _iso(int(match.group("year")), month, int(match.group("day")))


def month_number(word: str) -> int:
    """1-12 for a month's name or abbreviation in any language dateparser knows; 0 otherwise."""
    key = word.lower().rstrip(".")
    return MONTHS.get(key) or month_names().get(key, 0)


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Month names and abbreviations, lower-cased, from dateparser's locale data: FIRST_LANGUAGES
    in their order first, then the other languages' names that no two of them read differently."""
    from dateparser.data import date_translation_data

    months = [names[0] for names in MONTH_NAMES]  # the locale data's keys: "january", ...
    found: dict[str, int] = {}
    rest: dict[str, set[int]] = {}
    languages = [m.name for m in pkgutil.iter_modules(date_translation_data.__path__)]
    for language in [*FIRST_LANGUAGES, *sorted(set(languages) - set(FIRST_LANGUAGES))]:
        if language not in languages:
            continue
        info = importlib.import_module(f"{date_translation_data.__name__}.{language}").info
        for number, month in enumerate(months, start=1):
            for name in info.get(month, ()):
                key = str(name).lower().rstrip(".")
                if len(key) < 2 or key.isdigit():
                    continue
                if language in FIRST_LANGUAGES:
                    found.setdefault(key, number)
                else:
                    rest.setdefault(key, set()).add(number)
    for key, numbers in rest.items():
        if len(numbers) == 1 and key not in found:
            found[key] = numbers.pop()
    return found


def parse_date(value: str | None) -> str | None:
    """Parse a metadata date (ISO 8601, RFC 2822, "March 1, 2021", "1 March 2021", "01.03.2021",
    "01/03/2021")."""
    if not value:
        return None
    value = value.strip().translate(DIGITS)
    if month := ISO_MONTH.fullmatch(value):
        return f"{month.group('year')}-{month.group('month')}"
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in (ISO_DATE, YEAR_FIRST_SLASH, CJK_DATE, NUMERIC_DAY_FIRST, DAY_FIRST, MONTH_FIRST):
        match = pattern.search(value)
        if match and (found := _from_match(match)):
            return found
    return None


def date_from_url(url: str | None) -> str | None:
    """The date an address gives: its day when it has one, else its month (`yyyy-mm`)."""
    if not url:
        return None
    if match := URL_DATE.search(url):
        return _from_match(match)
    if month := URL_MONTH.search(url):
        return f"{month.group('year')}-{month.group('month')}"
    return None


def dateline(text: str) -> tuple[str, int] | None:
    """The date of a dateline opening `text`, and where the dateline ends."""
    text = text[:300].translate(DIGITS)
    match = DATELINE.match(text) or BARE_DATELINE.match(text)
    if not match:
        return None
    found = parse_date(match.group("value") or match.groupdict().get("bare"))
    return (found, match.end()) if found else None
