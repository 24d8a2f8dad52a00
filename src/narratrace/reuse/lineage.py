"""Which copy came first: publication dates, else attribution cues naming the other's outlet."""

from __future__ import annotations

import re
from dataclasses import dataclass

from narratrace.model import Article

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
    direction: str  # "a_to_b" (a is the source), "b_to_a" or "unknown"
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
    """Say which of two articles sharing text is the source, and why."""
    if a.published and b.published and a.published != b.published:
        if a.published < b.published:
            return Direction("a_to_b", f"a published {a.published}, before b ({b.published})")
        return Direction("b_to_a", f"b published {b.published}, before a ({a.published})")
    cue_in_b = _cue_naming(b.text, a.outlet, b.outlet)
    cue_in_a = _cue_naming(a.text, b.outlet, a.outlet)
    if cue_in_b and not cue_in_a:
        return Direction("a_to_b", f"b credits a's outlet {a.outlet}: {cue_in_b!r}")
    if cue_in_a and not cue_in_b:
        return Direction("b_to_a", f"a credits b's outlet {b.outlet}: {cue_in_a!r}")
    if a.published and a.published == b.published:
        return Direction("unknown", f"both published {a.published} and neither credits the other")
    return Direction("unknown", "publication dates missing and no attribution cue names the other's outlet")
