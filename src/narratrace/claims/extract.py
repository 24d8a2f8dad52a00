"""An article's claims, whom it cites for each, and the entities it names."""

from __future__ import annotations

import re

from narratrace.aliases import AliasTable
from narratrace.claims.attribution import Context, cite, is_one_person
from narratrace.claims.lexicon import DAYS, LEXICONS, MONTHS, Lexicon
from narratrace.claims.people import read_people
from narratrace.model import ArticleEvidence, Citation, Claim, Mention
from narratrace.sentences import sentence_at, split

OPENING_QUOTES = "“«"
CLOSING_QUOTES = "”»"
# a claim states something checkable: long enough to, and not a headline fragment or question
MIN_CLAIM_WORDS = 6
NUMBER = re.compile(
    r"\b(?:(?:at least|more than|over|nearly|about|around|almost|up to|some)\s+)?"
    r"(?:\d[\d,.]*(?:\s?(?:%|per ?cent|percent|million|billion|bn|m|thousand))?|"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|"
    r"hundreds|thousands|dozens|millions)\b(?:\s+of)?)"
)
DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|(?:\d{{1,2}}\s+)?(?:{'|'.join(MONTHS.split())})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?|"
    rf"(?:{'|'.join(DAYS.split())})|(?:in|since|until|by)\s+\d{{4}})\b"
)
PERSON_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
EVENT_VERB = re.compile(
    r"\b(?:\w+ed|\w+en|has|have|had|was|were|is|are|will|rose|fell|grew|made|took|gave|won|lost|"
    r"left|led|held|sold|bought|hit|cut|set|put|ran|came|went|brought|fought|struck|paid|told|said|"
    r"carried|transferred|\w+s)\b"
)


def analyse(article_id: str, text: str, language: str | None, aliases: AliasTable) -> ArticleEvidence:
    lexicon = LEXICONS.get(language or "en")
    if lexicon is None:
        return ArticleEvidence(article_id, (), find_entities(text, aliases))
    context = Context(people=read_people(text, lexicon, aliases))
    entities = find_entities(text, aliases, context.people.mentions)
    spans = split(text, language)
    context.people.sentence_starts = [start for start, _ in spans]
    masks = quote_masks(text, spans)
    _drop_quoted_mentions(context, spans, masks)
    found: list[list[Citation]] = []
    for index, ((start, end), mask) in enumerate(zip(spans, masks, strict=True)):
        context.offset = start
        citations = cite(text[start:end], mask, lexicon, aliases, context)
        if not citations and index and found[-1] and _continues_quote(text, spans, masks, index):
            citations = found[-1]  # the quotation goes on: same speaker
            context.people_cited.extend((start, c) for c in citations if is_one_person(c, lexicon))
        found.append(citations)
    _attribute_quotations(text, spans, masks, found)
    claims: list[Claim] = []
    for (start, end), citations in zip(spans, found, strict=True):
        sentence = sentence_at(text, start, end)
        if not citations and _checkworthy(sentence, lexicon):
            citations = [Citation(None, "unsourced")]
        if citations:
            claims.append(Claim(sentence, start, end, tuple(citations)))
    return ArticleEvidence(article_id, tuple(claims), entities)


def _drop_quoted_mentions(context: Context, spans: list[tuple[int, int]], masks: list[list[bool]]) -> None:
    """People named inside a quotation are what was said about them; "he said" after it refers to
    the speaker, so only mentions outside quotes stand for the subject of later sentences."""
    outside = []
    for start, name in context.people.mentions:
        for (s, e), mask in zip(spans, masks, strict=True):
            if s <= start < e:
                if not mask[start - s]:
                    outside.append((start, name))
                break
    context.people.mentions = outside


def quote_masks(text: str, spans: list[tuple[int, int]]) -> list[list[bool]]:
    """For each sentence, which of its characters lie inside quotation marks.

    A quotation may run over several sentences and paragraphs: a paragraph that opens with a
    quote mark goes on quoting the same speaker, the newspaper convention."""
    masks: list[list[bool]] = []
    inside = False
    previous_end = 0
    for start, end in spans:
        if inside and "\n" in text[previous_end:start] and text[start : start + 1] not in OPENING_QUOTES:
            inside = False  # an unclosed quotation ends with its paragraph
        mask = []
        for position in range(start, end):
            char = text[position]
            if char in OPENING_QUOTES or (char == '"' and _opens(text, position)):
                mask.append(True)
                inside = True  # a paragraph may reopen a quotation that never closed
                continue
            if char in CLOSING_QUOTES or char == '"':
                mask.append(True)
                inside = False
                continue
            mask.append(inside)
        masks.append(mask)
        previous_end = end
    return masks


def _opens(text: str, position: int) -> bool:
    """A straight quote opens when it stands before a word, not after one."""
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return (before.isspace() or before in "([-—–") and not after.isspace()


def _attribute_quotations(
    text: str, spans: list[tuple[int, int]], masks: list[list[bool]], found: list[list[Citation]]
) -> None:
    """Give every sentence of a quotation the citation of the sentence that attributes it.

    A run of sentences belongs to one quotation when each after the first starts inside quotes;
    the attribution may come before the quotation ("he said: ...") or after its first sentence."""
    index = 0
    while index < len(spans):
        run = [index]
        while run[-1] + 1 < len(spans) and _continues_quote(text, spans, masks, run[-1] + 1):
            run.append(run[-1] + 1)
        quoting = [i for i in run if any(masks[i])]
        if quoting:
            speaker = next((found[i][0] for i in run if found[i]), None)
            if speaker is None and run[0] > 0 and found[run[0] - 1] and masks[run[0]][:1] == [True]:
                speaker = found[run[0] - 1][0]  # a quotation on its own after "the envoy said."
            if speaker is not None:
                for i in run:
                    if not found[i] and (masks[i][:1] == [True] or i != run[0]):
                        found[i] = [speaker]
        index = run[-1] + 1


def _continues_quote(text: str, spans: list[tuple[int, int]], masks: list[list[bool]], index: int) -> bool:
    previous = masks[index - 1]
    if not previous or not previous[-1]:
        return False
    if previous[-1] and text[spans[index - 1][1] - 1] in CLOSING_QUOTES + '"':
        return False  # the quotation closed with the sentence before
    return bool(masks[index]) and masks[index][0]


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


def find_entities(
    text: str, aliases: AliasTable, people: list[tuple[int, str]] | None = None
) -> tuple[Mention, ...]:
    """Known entities (by alias), the people the article names (a surname alone takes the full
    name it was introduced with: "Ruddock" is "Mike Ruddock"), numbers and dates, in text order."""
    found = list(aliases.find(text))
    taken = [(m.start, m.end) for m in found]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    full_names: dict[str, str] = {}
    for _, name in people or []:
        bare = _name_without_honorific(name)
        if len(bare.split()) > len(full_names.get(bare.split()[-1], "").split()):
            full_names[bare.split()[-1]] = bare
    for start, name in people or []:
        end = start + len(name)
        if text[start:end] == name and free(start, end):
            canonical = full_names.get(
                _name_without_honorific(name).split()[-1], _name_without_honorific(name)
            )
            found.append(Mention(start, end, name, canonical, "person"))
            taken.append((start, end))

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
