"""What kind of source a cited phrase names: a person, an institution, a media outlet, or nobody."""

from __future__ import annotations

import re

from narratrace.aliases import AliasTable
from narratrace.claims.lexicon import Lexicon
from narratrace.claims.people import People
from narratrace.model import CitationKind


def head_word(phrase: str, lexicon: Lexicon) -> str:
    """The noun a phrase is about: its last word before any preposition ("source" of "the source
    from the town of X"), without a possessive."""
    words: list[str] = []
    for word in phrase.replace("(", " ( ").split():
        if word in lexicon.prepositions or word == "(":
            if words:
                break
            continue
        words.append(word)
    if not words:
        return ""
    head = words[-1].strip(",.;:\"“”'’")
    for suffix in ("'s", "’s"):
        if head.endswith(suffix):
            head = head[: -len(suffix)]
    return head


def classify(phrase: str, lexicon: Lexicon, aliases: AliasTable, people: People) -> CitationKind:
    """The kind of source `phrase` names, from its head word, the alias table and the people the
    article names."""
    words = phrase.split()
    if not words:
        return "unsourced"
    head = head_word(phrase, lexicon)
    lower = head.lower()
    if lower in lexicon.partitives or re.fullmatch(r"[\d.,]+%", head) or re.match(r"\d", phrase):
        rest = lexicon.partitive_of.split(phrase, maxsplit=1)
        return classify(rest[1], lexicon, aliases, people) if len(rest) == 2 else "anonymous"
    first = words[0].lower()
    before_preposition = _before_preposition(words, lexicon)
    mentions = aliases.find(phrase)
    types = {m.type for m in aliases.find(before_preposition)}
    if lower in lexicon.spokesperson_heads or words[-1].lower() in lexicon.spokesperson_heads:
        if any(m.type == "outlet" for m in mentions):
            return "media"  # "a spokeswoman for MTV" speaks for a media company
        if _names_a_person(words, head, lexicon, people) and lower not in lexicon.spokesperson_heads:
            return "named_person"
        return "institution"
    if lower in lexicon.evidence_nouns:
        if any(w.lower() in lexicon.media_heads or w.lower() in lexicon.media_modifiers for w in words):
            return "media"  # "Chinese state press reports"
        if any(m.type in {"organisation", "outlet"} for m in mentions) or any(
            w[:1].isupper() for w in words[1:]
        ):
            return "institution"  # "official Bank of England figures"
        if people.authored_documents and lower not in lexicon.unauthored_documents:
            return "institution"  # the article names who wrote "the report"
        return "anonymous"
    if first in lexicon.quantifiers and lower in lexicon.person_roles:
        return "anonymous"
    if lower in lexicon.anonymous_heads and "person" not in types:
        if _of_an_organisation(phrase, lexicon, aliases):
            return "institution"  # "economists at PricewaterhouseCoopers"
        return "anonymous"
    if "person" in types or _names_a_person(before_preposition.split(), head, lexicon, people):
        return "named_person"
    if "outlet" in types or lower in lexicon.media_heads:
        return "media"
    if (
        types & {"organisation", "place"}
        or head in lexicon.institution_heads
        or lower in lexicon.institution_heads
    ):
        return "institution"
    capitalised = [
        w
        for i, w in enumerate(before_preposition.split())
        if w[:1].isupper() and (i or w not in lexicon.source_openers)
    ]
    if capitalised:
        return "institution"  # an unknown proper name with no sign of a person: a company, a body
    return "anonymous"


def _before_preposition(words: list[str], lexicon: Lexicon) -> str:
    """The phrase up to its first preposition, but keeping a trailing name: "Representative to the
    UN Bassam Sabbagh" stays whole, because a name after the preposition is the person meant."""
    for index, word in enumerate(words):
        if index and word in lexicon.prepositions:
            rest = words[index + 1 :]
            if len(rest) >= 2 and all(w[:1].isupper() for w in rest[-2:]) and rest[-2] in lexicon.given_names:
                return " ".join(words)
            return " ".join(words[:index])
    return " ".join(words)


def _of_an_organisation(phrase: str, lexicon: Lexicon, aliases: AliasTable) -> bool:
    match = lexicon.of_organisation.search(phrase)
    if not match:
        return False
    org = match.group("org")
    known = aliases.lookup(org)
    return known is None or known[1] in {"organisation", "outlet"}


def _names_a_person(words: list[str], head: str, lexicon: Lexicon, people: People) -> bool:
    words = [w.strip(',.;:"“”') for w in words]
    if any(w in lexicon.honorifics for w in words):
        return True
    if any(
        w in lexicon.given_names and i + 1 < len(words) and words[i + 1][:1].isupper()
        for i, w in enumerate(words)
    ):
        return True
    if head in people.surnames or (len(words) == 1 and head in people.last_words):
        return True
    roles = [i for i, w in enumerate(words) if w in lexicon.person_roles or w.lower() in lexicon.person_roles]
    if roles and words[0].lower() not in lexicon.quantifiers:
        after = words[roles[-1] + 1 :]
        if not after or all(w[:1].isupper() for w in after):
            return True  # "the envoy", "Wales coach Mike Ruddock": one identifiable holder
    return False
