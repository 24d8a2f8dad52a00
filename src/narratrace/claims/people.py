"""What a whole article says about who is who, read before its sentences are attributed.

People are found by the signs journalists leave: a given name before a capitalised word, an
honorific ("Mr Bannister"), a role before a name ("Wales coach Mike Ruddock"), or the alias table.
A surname seen once in full ("Danny Grewcock") marks it as a person everywhere in the article.
A document with an author ("a report by Oxfam", "the survey ... carried out by Capgemini") makes
"the report" an institution's word rather than an anonymous one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from narratrace.aliases import AliasTable
from narratrace.claims.lexicon import Lexicon

NAME_WORD = r"(?:Mc[A-Z]\w+|O[’'][A-Z]\w+|[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?|[A-Z]\.?(?=\s))"
CAPITALISED_RUN = re.compile(rf"\b{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}")


@dataclass(slots=True)
class People:
    """Person names of one article, by position, and whether its documents have an author."""

    mentions: list[tuple[int, str]] = field(default_factory=list)
    surnames: set[str] = field(default_factory=set)
    authored_documents: bool = False
    # last words of two- or three-word capitalised names: a lone "Young" may be "Dai Young"
    last_words: set[str] = field(default_factory=set)

    sentence_starts: list[int] = field(default_factory=list)

    def subject_after(self, cited_at: int, offset: int) -> str | None:
        """The first person named in the last sentence that names one, between the sentence
        starting at `cited_at` (excluded) and `offset`: usually the subject there."""
        after = self._sentence_end(cited_at) if cited_at >= 0 else 0
        candidates = [(start, name) for start, name in self.mentions if after <= start < offset]
        if not candidates:
            return None
        last_sentence = self._sentence_start(candidates[-1][0])
        return next(name for start, name in candidates if start >= last_sentence)

    def _sentence_start(self, position: int) -> int:
        return max((s for s in self.sentence_starts if s <= position), default=0)

    def _sentence_end(self, sentence_start: int) -> int:
        return min((s for s in self.sentence_starts if s > sentence_start), default=sentence_start + 1)


def read_people(text: str, lexicon: Lexicon, aliases: AliasTable) -> People:
    people = People(authored_documents=bool(lexicon.authored_document.search(text)))
    for mention in aliases.find(text):
        if mention.type == "person":
            people.mentions.append((mention.start, mention.text))
    for match in CAPITALISED_RUN.finditer(text):
        words = match.group(0).split()
        name = _person_name(words, text[max(0, match.start() - 40) : match.start()], lexicon)
        if not name and _described_as_a_person(words, text[match.end() : match.end() + 80], lexicon):
            name = " ".join(words)
        if name:
            people.mentions.append((match.start() + match.group(0).find(name), name))
    for _, name in people.mentions:
        parts = name.split()
        if len(parts) >= 2 or parts[0] not in lexicon.honorifics:
            people.surnames.add(parts[-1])
    known = {m.text for m in aliases.find(text) if m.type != "person"}
    for match in CAPITALISED_RUN.finditer(text):  # "Dai Young" ... "Young told BBC Sport"
        words = match.group(0).split()
        while words and (words[0].lower() in lexicon.determiners or words[0] in lexicon.name_openers):
            words = words[1:]  # "But Rover told": capitalised only because it opens a sentence
        if 2 <= len(words) <= 3 and not _institutional(words, lexicon) and not set(words) & known:
            people.last_words.add(words[-1])
    named = {start for start, _ in people.mentions}
    for surname in people.surnames:  # "Grewcock" alone, once "Danny Grewcock" has been named
        for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
            if not any(s <= match.start() < s + 40 for s in named):
                people.mentions.append((match.start(), surname))
    people.mentions.sort()
    return people


def _person_name(words: list[str], before: str, lexicon: Lexicon) -> str | None:
    """The person's name inside a run of capitalised words, if the run names one."""
    for index, word in enumerate(words):
        rest = words[index + 1 :]
        if word in lexicon.honorifics and rest:
            return " ".join([word, *rest])
        if word in lexicon.given_names and rest and not _institutional(rest, lexicon):
            return " ".join([word, *rest])
    previous = before.split()[-1:] if before.split() else []
    after_role = bool(previous) and previous[0].strip(",") in lexicon.person_roles
    if after_role and len(words) in (2, 3) and not _institutional(words, lexicon):
        return " ".join(words)
    return None


def _described_as_a_person(words: list[str], after: str, lexicon: Lexicon) -> bool:
    """ "Suhas Naik, an investment analyst from ING": a two- or three-word name whose appositive
    (an indefinite article, then a role of a person within four words) says it is a person's."""
    if not 2 <= len(words) <= 3 or _institutional(words, lexicon) or not after.startswith(", "):
        return False
    described = after[2:].split(",")[0].split()[:5]
    if not described or described[0].lower() not in lexicon.indefinite_articles:
        return False
    heads = lexicon.person_roles | lexicon.appositive_person_heads
    return any(w.strip(".;:") in heads for w in described[1:])


def _institutional(words: list[str], lexicon: Lexicon) -> bool:
    return any(w in lexicon.institution_heads or w in lexicon.media_heads for w in words)
