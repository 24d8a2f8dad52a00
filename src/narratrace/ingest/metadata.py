"""Article metadata: outlet, language and the stable id, each with how it was found."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import urlsplit

import pycld2

from narratrace.aliases import shipped_rows

# A site naming itself, mostly in footers: "Press TV's website can also be accessed at",
# "© 2021 Example News", "Copyright 2020 Example Ltd. All rights reserved".
WEBSITE_CUE = re.compile(r"(?P<name>[A-Z][\w&.' -]{1,40}?)[’']s? website can (?:also )?be accessed")
COPYRIGHT_CUE = re.compile(
    r"(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?"
    r"(?P<name>[A-Z][\w&'-]*(?:\.\w+)*(?: [A-Z][\w&'-]*(?:\.\w+)*){0,4})"
)
# Substrings every match of a cue contains: testing them is cheap, scanning a text is not.
OUTLET_SELF_CUES = ((("website can",), WEBSITE_CUE), (("©", "(c)", "Copyright"), COPYRIGHT_CUE))
SELF_REFERENCE_HINTS = ("told ", "interview with")
# Wire-copy self-reference: "told Sputnik on condition of anonymity", "in an interview with
# RT". An article that relays the same outlet ("Sputnik news reports:", "according to RT")
# is a copy, not the outlet itself, so RELAY_CUE vetoes the guess.
OUTLET_SELF_REFERENCE = re.compile(
    r"\btold (?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+)?),? (?:on (?:the )?condition of anonymity|"
    r"in an (?:exclusive )?interview)|"
    r"\bin an (?:exclusive )?interview with (?P<name2>[A-Z][\w-]+(?: [A-Z][\w-]+)?)\b"
)
RELAY_CUE = "(?:{name})(?: news)?(?: agency)? (?:reports?|reported|says|said)\\s*:|according to (?:{name})"

# Language comes from CLD2 (pycld2; its model is compiled into the wheel), about 0.03 ms for
# the opening 1,000 characters of an article here, against 0.25 ms for py3langid on 500.
LANGUAGE_SAMPLE_CHARS = 1000
# CLD2 still speaks a few retired ISO 639-1 codes.
RETIRED_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}
MIN_LANGUAGE_CHARS = 20


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname
    if not host:
        return None
    return host.removeprefix("www.").removeprefix("m.").removeprefix("amp.")


@lru_cache(maxsize=1)
def _outlet_names() -> dict[str, str]:
    """Every spelling of an outlet in the shipped alias table (its names and domains), case aside
    -> the outlet's one name."""
    return {
        alias.casefold(): row.canonical
        for row in shipped_rows()
        if row.type == "outlet"
        for alias in (row.canonical, *row.aliases)
    }


def canonical_outlet(name: str) -> str:
    """An outlet under the one name the alias table gives it (a domain too: "presstv.ir"), else
    as found."""
    names = _outlet_names()
    return names.get(name.casefold()) or names.get(name.casefold().removeprefix("www.")) or name


def outlet_from_text(text: str) -> tuple[str, str] | None:
    """An outlet named by the text itself, and the cue that named it."""
    for hints, cue in OUTLET_SELF_CUES:
        if any(h in text for h in hints) and (match := cue.search(text)):
            return match.group("name").strip(" .,'-"), match.group(0).strip()
    if not any(h in text for h in SELF_REFERENCE_HINTS):
        return None
    if match := OUTLET_SELF_REFERENCE.search(text):
        name = match.group("name") or match.group("name2")
        relay = re.compile(RELAY_CUE.format(name=re.escape(name)), re.IGNORECASE)
        if not relay.search(text):
            return name, match.group(0).strip()
    return None


def detect_language(text: str) -> str | None:
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if len(sample.strip()) < MIN_LANGUAGE_CHARS:
        return None
    try:
        _, _, guesses = pycld2.detect(sample)
    except (pycld2.error, UnicodeEncodeError):  # text CLD2 cannot read (stray surrogates)
        return None
    code = str(guesses[0][1]).split("-")[0]
    if code in ("un", "xx") or not code:
        return None
    return RETIRED_CODES.get(code, code)


def address(url: str | None, source: str, line: int | None) -> str:
    """Where an article was published: its url, else its input file (and row)."""
    if url:
        return url.strip()
    name = PurePath(source).name or source
    return name if line is None else f"{name}:{line}"


def article_id(where: str, clean_text: str) -> str:
    """Stable id: the same text at the same address is one article; at two, two articles."""
    digest = hashlib.sha256(f"{where}\n{clean_text}".encode()).hexdigest()
    return digest[:16]
