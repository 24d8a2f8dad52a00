"""Citations: what one names, and how an anaphor ("he", "the company", "the sources") resolves
against the article's earlier citations and the people it names."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from narratrace.aliases import AliasTable
from narratrace.claims.kinds import classify, head_word
from narratrace.claims.lexicon import Lexicon
from narratrace.claims.people import People
from narratrace.model import Citation


@dataclass(slots=True)
class Context:
    """What the article and its earlier sentences established, for pronouns and anaphora."""

    people: People = field(default_factory=People)
    citations: list[Citation] = field(default_factory=list)
    people_cited: list[tuple[int, Citation]] = field(default_factory=list)  # (sentence start, citation)
    offset: int = 0  # where the current sentence starts in the article


def is_one_person(citation: Citation, lexicon: Lexicon) -> bool:
    """A citation "he" or "she" can refer back to: a named person, or one unnamed ("a dealer")."""
    if citation.kind == "named_person":
        return True
    head = head_word(citation.source or "", lexicon).lower()
    return citation.kind == "anonymous" and head in lexicon.anonymous_heads and not head.endswith("s")


def citation_for(
    phrase: str, lexicon: Lexicon, aliases: AliasTable, context: Context, via: str | None = None
) -> Citation:
    phrase = " ".join(phrase.strip().strip("\"“”'").split())
    if phrase in lexicon.pronouns_object:  # "according to him"
        return replace(
            _resolve_pronoun(lexicon.pronouns_object[phrase], lexicon, context, via), mention=phrase
        )
    if phrase in lexicon.pronouns_person or phrase in lexicon.pronouns_thing:
        return _resolve_pronoun(phrase, lexicon, context, via)
    words = phrase.split()
    if words and words[0] in lexicon.possessives and not via:
        earlier = next((c for c in reversed(context.citations) if c.kind != "named_person"), None)
        if earlier is not None:
            via = earlier.canonical or earlier.source
    kind = classify(phrase, lexicon, aliases, context.people)
    if kind == "anonymous" and not via and words and words[0].lower() == lexicon.definite_article:
        via = _earlier_relay(phrase, lexicon, context)
    canonical = _canonical(phrase, aliases, kind, lexicon)
    if via:
        via = _canonical(via, aliases, "media", lexicon) or via  # "Russia's Sputnik news agency" is Sputnik
    eyewitness = any(w.lower().strip(",.") in lexicon.eyewitness_heads for w in words)
    citation = Citation(phrase, kind, via, canonical, None, eyewitness)
    generic = len(words) == 2 and words[0].lower() == lexicon.definite_article and words[1].islower()
    if kind == "institution" and generic:
        return _resolve_generic(citation, context, lexicon)
    return citation


def _canonical(phrase: str, aliases: AliasTable, kind: str, lexicon: Lexicon) -> str | None:
    """The alias table's name for the source, when an alias makes up most of the phrase: "the
    Russian Defense Ministry" is the Russian Defence Ministry, "the US military" is not the US."""
    wanted = {
        "media": ("outlet",),
        "named_person": ("person",),
        "institution": ("organisation", "place", "outlet"),
    }
    first, _, rest = phrase.partition(" ")
    core = rest.lstrip() if first.lower() == lexicon.definite_article and rest.strip() else phrase
    for mention in reversed(aliases.find(phrase)):
        if mention.type in wanted.get(kind, ()) and (
            kind != "institution" or len(mention.text) * 2 >= len(core)
        ):
            return mention.canonical
    return None


def _resolve_generic(citation: Citation, context: Context, lexicon: Lexicon) -> Citation:
    """ "the company said" after "Microsoft said": the same institution, named."""
    head = (citation.source or "").split()[-1]
    for earlier in reversed(context.citations):
        name = earlier.source or ""
        generic = name.lower().startswith(f"{lexicon.definite_article} ")
        named = earlier.kind == "institution" and name[:1].isupper() and not generic
        if named and (head in lexicon.generic_bodies or head in name.lower()):
            return replace(earlier, mention=citation.source, via=citation.via or earlier.via)
    return citation


def _earlier_relay(phrase: str, lexicon: Lexicon, context: Context) -> str | None:
    """ "the sources said" after "sources told Sputnik": the same sources, through Sputnik."""
    head = head_word(phrase, lexicon).lower()
    for earlier in reversed(context.citations):
        earlier_head = head_word(earlier.source or "", lexicon).lower()
        if earlier.kind == "anonymous" and earlier_head in {head, head + "s", head.rstrip("s")}:
            return earlier.via
    return None


def _resolve_pronoun(pronoun: str, lexicon: Lexicon, context: Context, via: str | None) -> Citation:
    if pronoun in lexicon.pronouns_person:
        cited_at, cited = -1, None
        for at, earlier in reversed(context.people_cited):
            cited_at, cited = at, earlier
            break
        name = context.people.subject_after(cited_at, context.offset)
        if name:  # someone named since the last person cited: "he" is most likely them
            return Citation(name, "named_person", via, None, pronoun)
        if cited is not None:
            return replace(cited, mention=pronoun, via=via or cited.via)
        return Citation(pronoun, "named_person", via, None, pronoun)
    for earlier in reversed(context.citations):
        if earlier.kind != "named_person":
            return replace(earlier, mention=pronoun)
    return Citation(pronoun, "anonymous", via, None, pronoun)
