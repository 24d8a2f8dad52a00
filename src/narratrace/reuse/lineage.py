"""Which copy came first: publication dates, else attribution cues naming the other's outlet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from narratrace.ingest import dates
from narratrace.model import Article, ReuseDirection

# Ways an article credits another outlet for its text. {name} is the other article's outlet.
ATTRIBUTION_CUES = (
    r"\b{name}(?: news| news agency| agency)? (?:reports?|reported|says|said|writes|wrote)\s*:",
    r"\b(?:told|according to|cited by|citing|via|quoted by|reported by|reports?) (?:the )?{name}\b",
    r"\b(?:source|via|originally published (?:by|on|in)|first (?:published|appeared) (?:by|on|in)|"
    r"this article (?:was )?(?:originally )?(?:published|appeared) (?:by|on|in))\s*:?\s*(?:the )?{name}\b",
    r"\b{name}(?: news)?(?: agency)?,? (?:reported|reports)\b",
)
DOMAIN_SUFFIX = re.compile(r"\.(?:com|org|net|ir|ru|co\.uk|co|info|news|tv|uk|de|fr|int|io)$")


@dataclass(slots=True, frozen=True)
class Direction:
    direction: ReuseDirection  # "a_to_b": a is the source
    reason: str


def outlet_names(outlet: str | None) -> list[str]:
    """Spellings under which an outlet may be cited: "sputniknews.com" -> sputniknews, sputnik."""
    if not outlet:
        return []
    base = DOMAIN_SUFFIX.sub("", outlet.lower().removeprefix("www."))
    base = base.split(".")[-1] if "." in base else base
    names = {base, outlet.lower()}
    for suffix in ("news", "tv", "online", "media", "daily", "times", "post"):
        if base.endswith(suffix) and len(base) > len(suffix) + 2:
            names.add(base[: -len(suffix)])
    if " " in outlet:
        names.add(outlet.lower())
    return sorted(names, key=len, reverse=True)


def _cue_naming(text: str, outlet: str | None, own_outlet: str | None) -> str | None:
    """The first attribution cue in `text` that names `outlet` (never the text's own outlet)."""
    names = [n for n in outlet_names(outlet) if n not in set(outlet_names(own_outlet))]
    for name in names:
        spelled = re.escape(name).replace(r"\ ", r"\s+")
        for cue in ATTRIBUTION_CUES:
            match = re.search(cue.format(name=spelled), text, re.IGNORECASE)
            if match:
                return match.group(0).strip()
    return None


def direction(a: Article, b: Article) -> Direction:
    """Say which of two articles sharing text is the source, and why, in words an analyst reads
    (outlets by name)."""
    a_first = dates.before(a.published, b.published) if a.published and b.published else None
    if a_first is not None:
        first, then = (a, b) if a_first else (b, a)
        return Direction(
            "a_to_b" if first is a else "b_to_a",
            f"{_name(first)} published it on {first.published}, {_name(then)} on {then.published}",
        )
    cue_in_b = _cue_naming(b.text, a.outlet, b.outlet)
    cue_in_a = _cue_naming(a.text, b.outlet, a.outlet)
    if cue_in_b and not cue_in_a:
        return Direction("a_to_b", f"{_name(b)} credits {a.outlet}: “{cue_in_b}”")
    if cue_in_a and not cue_in_b:
        return Direction("b_to_a", f"{_name(a)} credits {b.outlet}: “{cue_in_a}”")
    if a.published and a.published == b.published:
        return Direction("unknown", f"both were published on {a.published}, and neither credits the other")
    if a.published and b.published:  # one is dated to the month only, the other within that month
        return Direction(
            "unknown",
            f"{_name(a)} is dated {a.published} and {_name(b)} {b.published}: the dates cannot tell which "
            "came first, and neither credits the other",
        )
    dated = a if a.published else b if b.published else None
    if dated is not None:
        return Direction(
            "unknown",
            f"only {_name(dated)}'s copy is dated ({dated.published}), and neither credits the other",
        )
    return Direction("unknown", "neither is dated, and neither credits the other")


def _name(article: Article) -> str:
    return article.outlet or "an article of unknown outlet"
