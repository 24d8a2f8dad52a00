"""An article's claims, whom it cites for each, and the entities it names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from narratrace.claims.aliases import AliasTable, Mention
from narratrace.claims.attribution import Citation, Context, cite
from narratrace.claims.lexicon import LEXICONS, Lexicon
from narratrace.sentences import split

# a claim states something checkable: long enough to, and not a headline fragment or question
MIN_CLAIM_WORDS = 6
NUMBER = re.compile(
    r"\b(?:(?:at least|more than|over|nearly|about|around|almost|up to|some)\s+)?"
    r"(?:\d[\d,.]*(?:\s?(?:%|per ?cent|percent|million|billion|bn|m|thousand))?|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|"
    r"hundreds|thousands|dozens|millions)\b(?:\s+of)?)"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|(?:\d{{1,2}}\s+)?(?:{MONTHS})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|(?:in|since|until|by)\s+\d{4})\b"
)
PERSON_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
EVENT_VERB = re.compile(
    r"\b(?:\w+ed|\w+en|has|have|had|was|were|is|are|will|rose|fell|grew|made|took|gave|won|lost|"
    r"left|led|held|sold|bought|hit|cut|set|put|ran|came|went|brought|fought|struck|paid|told|said|"
    r"carried|transferred|\w+s)\b"
)


@dataclass(slots=True, frozen=True)
class Claim:
    text: str
    start: int
    end: int
    citations: tuple[Citation, ...]


@dataclass(slots=True, frozen=True)
class Evidence:
    """Everything `claims` finds in one article."""

    article: str
    claims: tuple[Claim, ...]
    entities: tuple[Mention, ...]


def analyse(article_id: str, text: str, language: str | None, aliases: AliasTable) -> Evidence:
    lexicon = LEXICONS.get(language or "en")
    entities = find_entities(text, aliases)
    if lexicon is None:
        return Evidence(article_id, (), entities)
    context = Context()
    claims: list[Claim] = []
    for start, end in split(text):
        sentence = text[start:end]
        citations = cite(sentence, lexicon, aliases, context)
        for mention in PERSON_NAME.finditer(sentence):
            context.people.append(mention.group(0))
        if not citations and _checkworthy(sentence, lexicon):
            citations = [Citation(None, "unsourced", eyewitness=False)]
        if citations:
            claims.append(Claim(sentence, start, end, tuple(citations)))
    return Evidence(article_id, tuple(claims), entities)


def _checkworthy(sentence: str, lexicon: Lexicon) -> bool:
    """An unattributed sentence is a claim if it asserts an event with a number, date or name."""
    words = sentence.split()
    if len(words) < MIN_CLAIM_WORDS or sentence.rstrip().endswith("?"):
        return False
    if not sentence.rstrip().endswith((".", "!", "”", '"', "’")):
        return False  # a headline, caption or list item
    if any(w.strip(",.;:") in lexicon.opinion_markers for w in words):
        return False
    if not EVENT_VERB.search(sentence):
        return False
    has_name = any(w[:1].isupper() for w in words[1:])
    return has_name or bool(NUMBER.search(sentence)) or bool(DATE.search(sentence))


def find_entities(text: str, aliases: AliasTable) -> tuple[Mention, ...]:
    """Known entities (by alias), people named with an honorific, numbers and dates, in text order."""
    found = list(aliases.find(text))
    taken = [(m.start, m.end) for m in found]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for pattern, kind in ((PERSON_NAME, "person"), (DATE, "date"), (NUMBER, "number")):
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            value = match.group(0).strip()
            if not value or not free(start, end) or (kind == "number" and not re.search(r"\d|[a-z]", value)):
                continue
            canonical = _name_without_honorific(value) if kind == "person" else value
            found.append(Mention(start, end, value, canonical, kind))
            taken.append((start, end))
    return tuple(sorted(found, key=lambda m: m.start))


def _name_without_honorific(name: str) -> str:
    return re.sub(r"^(?:Mr|Mrs|Ms|Dr|Sir|Lord)\.?\s+", "", name)
