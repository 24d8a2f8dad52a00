"""Whom a sentence cites: reporting expressions, their subjects, and chains of relays.

Rules over the sentence text, driven by a `Lexicon` (no language is hard-coded here):
- "according to X", "there have been reports of ...", "figures from X showed";
- "X said/told/reported ...", with X found by walking back over commas ("SANA, citing local
  sources, reported ..." gives the source "local sources" via SANA) and over appositives;
- inverted order ("..., said Mr Smith") and pronouns ("he added", "they said"), which are resolved
  against the article's earlier citations;
- "told Sputnik" and "Sputnik news reports: According to the source ..." make the outlet a relay.
A parser would find more subjects, but the offline spaCy model measured 14-21 articles/s here,
below what `claims` must reach, so the rules carry it; the labelled gate says how well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from narratrace.claims.aliases import AliasTable
from narratrace.claims.kinds import classify, head_word
from narratrace.claims.lexicon import Lexicon

# a source longer than this is a clause the rules misread, not a noun phrase
MAX_SOURCE_WORDS = 14
WORD = re.compile(r"[\w'’-]+")
SEGMENT_BREAK = re.compile(r"[,;:]")
QUOTES = "\"“”«»"
INNER_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|do|does|did)\b")
LEADING_ADVERBIAL = re.compile(
    r"^(?:(?:But|And|However|Meanwhile|Now|Then|Still|Yet|So|Also|Instead|Separately|Earlier|Later|"
    r"Speaking|Last\s+\w+|This\s+\w+|(?:In|On|At|By|Since|During)\s+(?:\w+\s+)?(?:\d{4}|\d{1,2}|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+\d{4})?))\b[\s,]*"
)
TRAILING_TIME = re.compile(
    r"\s+(?:at the time|on \w+day|last \w+|this \w+|earlier|later|also|in a statement|"
    r"in an interview|in a \w+ statement|on \w+ \d{1,2}|(?:has|have|had|was|were|is|are|will|would|"
    r"could|may|might|reportedly|recently|previously|again|repeatedly|further|already|now|"
    r"separately|then|first|publicly|officially|secretly|quickly|once))$"
)
POST_VERB_STOP = re.compile(
    r"[,.;:!?]|\s+(?:that|in a statement|on \w+day|last \w+|earlier|on the condition)\b|$"
)
RELAY_PREFIX = re.compile(r"^(?P<relay>[^,.;:]{2,60}?)\s+(?:reports|reported|writes|wrote|says|said):\s+")
REPORTS_OF = re.compile(
    r"\b[Tt]here (?:have|has|had) (?:also )?been (?P<src>(?:numerous |several |many |some |"
    r"unconfirmed |further |other |multiple )?reports?) (?:of|that|showing)\b"
)
RECIPIENT = re.compile(r"^\s+(?P<np>[A-Z][^,.;:]{0,60}?)(?=\s+(?:that|on|in|about|of)\b|[,.;:]|$)")


@dataclass(slots=True, frozen=True)
class Citation:
    """Whom a claim is attributed to (`source`), how (`kind`), and through whom (`via`)."""

    source: str | None
    kind: str  # named_person | institution | media | anonymous | unsourced
    via: str | None = None
    canonical: str | None = None  # the alias table's name for the source, when it knows it
    mention: str | None = None  # the words in the sentence, when `source` was resolved from them
    eyewitness: bool = False


@dataclass(slots=True)
class Context:
    """What earlier sentences of the same article established, for pronouns and anaphora."""

    citations: list[Citation] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


def cite(sentence: str, lexicon: Lexicon, aliases: AliasTable, context: Context) -> list[Citation]:
    """Citations of one sentence, in order; the context is updated with them."""
    found = _find(sentence, lexicon, aliases, context)
    context.citations.extend(c for c in found if c.kind != "unsourced")
    return found


def _find(sentence: str, lexicon: Lexicon, aliases: AliasTable, context: Context) -> list[Citation]:
    relay = None
    body = sentence
    prefix = RELAY_PREFIX.match(sentence)
    if prefix and len(prefix.group("relay").split()) <= 6:
        relay = prefix.group("relay")
        body = sentence[prefix.end() :]
    citations: list[Citation] = []
    according = _according_to(body, lexicon)
    if according:
        citations.append(_make(according, lexicon, aliases, context, via=relay))
    reports = REPORTS_OF.search(body)
    if reports and not citations:
        citations.append(_make(reports.group("src"), lexicon, aliases, context, via=relay))
    if not citations:
        spoken = _speech(body, lexicon, aliases, context, relay)
        if spoken:
            citations.append(spoken)
    if not citations and relay:
        citations.append(_make(relay, lexicon, aliases, context))
    if not citations and body.lstrip()[:1] in QUOTES and context.citations:
        citations.append(context.citations[-1])  # a quotation that goes on from the last speaker
    return citations


def _according_to(text: str, lexicon: Lexicon) -> str | None:
    pattern = r"\b" + r"\s+".join(map(re.escape, lexicon.according_to.split())) + r"\s+"
    match = re.search(pattern, text, flags=re.IGNORECASE)
    if match is None:
        return None
    return _noun_phrase_after(text[match.end() :], lexicon)


def _noun_phrase_after(text: str, lexicon: Lexicon) -> str | None:
    """The noun phrase at the start of `text`, up to punctuation or a new clause."""
    words: list[str] = []
    for match in re.finditer(r"[^\s]+", text):
        word = match.group(0)
        bare = word.rstrip(",.;:!?\"”’)")
        if words and bare in lexicon.clause_openers and words[-1] not in lexicon.prepositions:
            if len(words) >= 2 or bare not in lexicon.determiners:
                break
        words.append(bare)
        if bare != word or len(words) > MAX_SOURCE_WORDS:
            break
    phrase = " ".join(words).strip()
    return phrase or None


def _speech(
    body: str, lexicon: Lexicon, aliases: AliasTable, context: Context, relay: str | None
) -> Citation | None:
    for match in WORD.finditer(body):
        verb = match.group(0)
        if verb not in lexicon.speech_verbs and verb not in lexicon.evidence_verbs:
            continue
        before = body[: match.start()]
        previous = before.split()[-1].lower() if before.split() else ""
        if previous in lexicon.determiners or previous in {"was", "were", "been", "being", "be", "is", "are"}:
            continue  # a noun ("the claims") or a passive ("was told")
        if verb.endswith("ing") and before.rstrip().endswith(","):
            subject = _opening_subject(body, lexicon)
            cited = None
        else:
            subject, cited = _subject_before(before, lexicon)
            if subject is None and _quote_closes(before):
                subject = _noun_phrase_after(body[match.end() :], lexicon)
        if not subject or not _plausible(subject, lexicon):
            continue
        if verb in lexicon.evidence_verbs and verb not in lexicon.speech_verbs:
            subject = _evidence_source(subject, lexicon)
            if subject is None:
                continue
        via = relay
        if verb.startswith("told"):
            via = _media_recipient(body[match.end() :], lexicon, aliases) or via
        if cited:
            return _make(cited, lexicon, aliases, context, via=_make(subject, lexicon, aliases, context).source)
        return _make(subject, lexicon, aliases, context, via=via)
    return None


def _quote_closes(before: str) -> bool:
    stripped = before.rstrip()
    return bool(stripped) and (stripped[-1] in QUOTES or stripped.endswith((",”", ',"')))


def _subject_before(before: str, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """The subject of a reporting verb and, for "X, citing Y, said", the cited Y."""
    text = before
    last_quote = max(text.rfind(q) for q in QUOTES)
    if last_quote >= 0:
        text = text[last_quote + 1 :]
    segments = SEGMENT_BREAK.split(text)
    cited = None
    for index in range(len(segments) - 1, -1, -1):
        segment = _trim_trailing(segments[index].strip())
        if not segment:
            continue
        first = segment.split()[0]
        if first.lower() in lexicon.citing:
            cited = segment[len(first) :].strip()
            continue
        if first.lower() in lexicon.relative_pronouns:
            if segment.lower() == first.lower() and index > 0:  # "reports by X, which indicated"
                return _trailing_noun_phrase(segments[index - 1], lexicon), cited
            continue  # a relative clause set off by commas
        if index > 0 and _is_appositive(segment, segments[index - 1], lexicon):
            continue
        return _trim_leading(segment), cited
    return None, cited


def _trim_trailing(segment: str) -> str:
    while True:
        trimmed = TRAILING_TIME.sub("", segment)
        if trimmed == segment:
            return segment
        segment = trimmed


def _trim_leading(segment: str) -> str:
    while True:
        trimmed = LEADING_ADVERBIAL.sub("", segment, count=1)
        if trimmed == segment:
            return segment
        segment = trimmed


def _is_appositive(segment: str, previous: str, lexicon: Lexicon) -> bool:
    """ "chief economist at X" after "Julian Jessop": a description, not the subject."""
    words = previous.strip().split()
    if not words or not any(ch.isupper() for ch in words[-1]):
        return False
    if head_word(segment, lexicon) in lexicon.anonymous_heads:
        return False
    first = segment.split()[0]
    if first in lexicon.pronouns_person or first in lexicon.pronouns_thing:
        return False
    return first[:1].islower() or (first.lower() in {"a", "an"})


def _trailing_noun_phrase(segment: str, lexicon: Lexicon) -> str | None:
    match = re.search(r"\b(?:by|from|in)\s+(?P<np>[^,;:]+)$", segment.strip())
    if match:
        return match.group("np").strip()
    words = segment.split()
    return " ".join(words[-4:]) if words else None


def _opening_subject(body: str, lexicon: Lexicon) -> str | None:
    """The noun phrase that opens the sentence, for "X rejected it, saying ..."."""
    segments = SEGMENT_BREAK.split(body)
    start = segments[0]
    if len(segments) > 1 and re.match(r"^(?:Speaking|Condemning|Meanwhile|However|But)\b", start):
        start = segments[1]
    words: list[str] = []
    for word in start.split():
        bare = word.strip("\"“”")
        if words and bare[:1].islower() and (
            bare.endswith("ed") or bare in lexicon.auxiliaries or bare in lexicon.speech_verbs
        ):
            break
        words.append(bare)
    phrase = _trim_leading(" ".join(words))
    return phrase or None


def _plausible(subject: str, lexicon: Lexicon) -> bool:
    words = subject.split()
    if not words or len(words) > MAX_SOURCE_WORDS:
        return False
    if subject in lexicon.pronouns_person or subject in lexicon.pronouns_thing:
        return True
    if INNER_CLAUSE.search(subject):
        return False
    return any(w[:1].isupper() for w in words) or head_word(subject, lexicon) in (
        lexicon.anonymous_heads | lexicon.institution_heads | lexicon.media_heads | lexicon.person_roles
        | lexicon.evidence_nouns | lexicon.spokesperson_heads
    )


def _evidence_source(subject: str, lexicon: Lexicon) -> str | None:
    """ "figures from the ONS showed" cites the ONS; "reports show" cites unnamed reports."""
    match = re.search(r"\b(?:from|by|of)\s+(?P<np>.+)$", subject)
    head = head_word(subject.split(" from ")[0].split(" by ")[0], lexicon)
    if head not in lexicon.evidence_nouns:
        return None
    return match.group("np") if match else subject


def _media_recipient(after: str, lexicon: Lexicon, aliases: AliasTable) -> str | None:
    match = RECIPIENT.match(after) or re.match(r"^\s+(?P<np>the BBC\b[^,.;:]*?|Russia's [^,.;:]+?)(?=\s+that\b|[,.;:]|$)", after)
    if not match:
        return None
    recipient = match.group("np").strip()
    if classify(recipient, lexicon, aliases, []) == "media":
        return recipient
    return None


def _make(
    phrase: str, lexicon: Lexicon, aliases: AliasTable, context: Context, via: str | None = None
) -> Citation:
    phrase = " ".join(phrase.strip().strip("\"“”'").split())
    if phrase in lexicon.pronouns_person or phrase in lexicon.pronouns_thing:
        return _resolve_pronoun(phrase, lexicon, context, via)
    words = phrase.split()
    if words and words[0] in lexicon.possessives and not via:
        earlier = next((c for c in reversed(context.citations) if c.kind != "named_person"), None)
        if earlier is not None:
            via = earlier.canonical or earlier.source
    kind = classify(phrase, lexicon, aliases, context.people)
    if kind == "anonymous" and not via and words and words[0].lower() == "the":
        via = _earlier_relay(phrase, lexicon, context)
    known = aliases.find(phrase)
    canonical = _canonical(phrase, known, kind)
    if kind == "named_person":
        context.people.append(phrase)
    eyewitness = head_word(phrase, lexicon).lower() in lexicon.eyewitness_heads
    return Citation(phrase, kind, via, canonical, None, eyewitness)


def _canonical(phrase: str, known: list, kind: str) -> str | None:  # type: ignore[type-arg]
    wanted = {"media": ("outlet",), "named_person": ("person",), "institution": ("organisation", "place", "outlet")}
    for mention in reversed(known):
        if mention.type in wanted.get(kind, ()):
            return str(mention.canonical)
    return None


def _earlier_relay(phrase: str, lexicon: Lexicon, context: Context) -> str | None:
    """ "the sources said" after "sources told Sputnik": the same sources, through Sputnik."""
    head = head_word(phrase, lexicon)
    for earlier in reversed(context.citations):
        earlier_head = head_word(earlier.source or "", lexicon).lower()
        if earlier.kind == "anonymous" and earlier_head in {head.lower(), head.lower() + "s", head.lower().rstrip("s")}:
            return earlier.via
    return None


def _resolve_pronoun(pronoun: str, lexicon: Lexicon, context: Context, via: str | None) -> Citation:
    if pronoun in lexicon.pronouns_person:
        for earlier in reversed(context.citations):
            if earlier.kind == "named_person":
                return replace(earlier, mention=pronoun, via=via or earlier.via)
        if context.people:
            return Citation(context.people[-1], "named_person", via, None, pronoun)
        return Citation(pronoun, "named_person", via, None, pronoun)
    for earlier in reversed(context.citations):
        if earlier.kind != "named_person":
            return replace(earlier, mention=pronoun)
    return Citation(pronoun, "anonymous", via, None, pronoun)
