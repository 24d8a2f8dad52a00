"""What kind of source a cited phrase names: a person, an institution, a media outlet, or nobody."""

from __future__ import annotations

from collections.abc import Sequence

from narratrace.claims.aliases import AliasTable
from narratrace.claims.lexicon import Lexicon

KINDS = ("named_person", "institution", "media", "anonymous", "unsourced")
# quantifiers that leave a role unnamed: "an official", "two diplomats", "one witness"
INDEFINITE = frozenset("a an one two three several some other another many few".split())


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


def classify(phrase: str, lexicon: Lexicon, aliases: AliasTable, people: Sequence[str]) -> str:
    """The kind of source `phrase` names, from its head word, the alias table and the names of
    people the article has already cited."""
    words = phrase.split()
    if not words:
        return "unsourced"
    head = head_word(phrase, lexicon)
    first = words[0].lower()
    before_preposition = _before_preposition(words, lexicon)
    mentions = aliases.find(before_preposition)
    types = {m.type for m in mentions}
    if head in lexicon.spokesperson_heads:
        return "institution"
    if first in INDEFINITE and (head in lexicon.person_roles or head.lower() in lexicon.person_roles):
        return "anonymous"
    if (head in lexicon.anonymous_heads or head.lower() in lexicon.anonymous_heads) and "person" not in types:
        return "anonymous"
    if "person" in types or _names_a_person(before_preposition, head, lexicon, people):
        return "named_person"
    if "outlet" in types or head in lexicon.media_heads:
        return "media"
    if types & {"organisation", "place"} or head in lexicon.institution_heads:
        return "institution"
    if any(w[:1].isupper() for w in before_preposition.split()[1:]) or before_preposition[:1].isupper():
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


def _names_a_person(phrase: str, head: str, lexicon: Lexicon, people: Sequence[str]) -> bool:
    words = [w.strip(",.;:\"“”") for w in phrase.split()]
    if any(w in lexicon.honorifics for w in words):
        return True
    if any(w in lexicon.given_names and i + 1 < len(words) and words[i + 1][:1].isupper() for i, w in enumerate(words)):
        return True
    if head in lexicon.person_roles and words[0].lower() not in INDEFINITE:
        return True  # "the envoy", "Syria's Permanent Representative": one identifiable holder
    surnames = {p.split()[-1] for p in people if p.split()}
    return bool(head) and head[:1].isupper() and head in surnames
