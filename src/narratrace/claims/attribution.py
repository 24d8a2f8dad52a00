"""Whom a sentence cites: reporting expressions, their subjects, and chains of relays.

Rules over the sentence text, driven by a `Lexicon` (no language is hard-coded here):
- "according to X", "there have been reports of ...", "figures from X showed";
- "X said/told/reported ...", with X found by walking back over commas ("SANA, citing local
  sources, reported ..." gives the source "local sources" via SANA), appositives and relative
  clauses; inverted order ("..., said Mr Smith"); pronouns ("he added"), resolved against the
  article's people and earlier citations;
- "told Sputnik", "Sputnik news reports: According to the source ..." and "..., the FT reports"
  make the outlet a relay (`via`).
Words inside quotation marks are never read as reporting verbs: they are what was said.
A parser would find more subjects, but the offline spaCy model measured 14-21 articles/s here,
below what `claims` must reach, so the rules carry it; the labelled gate says how well.
"""

from __future__ import annotations

import re
from dataclasses import replace

from narratrace.aliases import AliasTable
from narratrace.claims.citations import Context, citation_for, is_one_person
from narratrace.claims.kinds import classify, head_word
from narratrace.claims.lexicon import Lexicon
from narratrace.claims.people import People
from narratrace.model import Citation

__all__ = ["Citation", "Context", "cite", "is_one_person"]

# a source longer than this is a clause the rules misread, not a noun phrase
MAX_SOURCE_WORDS = 14
WORD = re.compile(r"[\w'’-]+")
# commas inside numbers ("79,000") do not separate clauses
SEGMENT_BREAK = re.compile(r",(?!\d)|[;:]|\s[-–—]\s")


def cite(
    sentence: str, quoted: list[bool], lexicon: Lexicon, aliases: AliasTable, context: Context
) -> list[Citation]:
    """Citations of one sentence, in order. `quoted[i]` is true for characters inside quotes."""
    found = _find(sentence, quoted, lexicon, aliases, context)
    context.citations.extend(found)
    context.people_cited.extend((context.offset, c) for c in found if is_one_person(c, lexicon))
    return found


def _find(
    sentence: str, quoted: list[bool], lexicon: Lexicon, aliases: AliasTable, context: Context
) -> list[Citation]:
    relay = None
    body, shift = sentence, 0
    prefix = lexicon.relay_prefix.match(sentence)
    if (
        prefix
        and len(prefix.group("relay").split()) <= 6
        and _according_to(sentence[prefix.end() :], lexicon)
    ):
        relay = prefix.group("relay")
        body, shift = sentence[prefix.end() :], prefix.end()
    mask = quoted[shift:]
    according = _according_to(body, lexicon)
    if according:
        source = _evidence_source(according, lexicon) or according
        return [citation_for(source, lexicon, aliases, context, via=relay)]
    reports = lexicon.reports_of.search(body)
    if reports:
        return [citation_for(reports.group("src"), lexicon, aliases, context, via=relay)]
    quoting = lexicon.quoted_as.search(body)
    if quoting and not (quoting.start() < len(mask) and mask[quoting.start()]):
        speaker, _ = _subject_before(body[: quoting.start()], body, lexicon)
        if speaker and _plausible(speaker, lexicon):
            relayed = citation_for(speaker, lexicon, aliases, context, via=relay)
            via = relayed.canonical or relayed.source
            return [citation_for(quoting.group("src"), lexicon, aliases, context, via=via)]
    spoken = _speech(body, mask, lexicon, aliases, context, relay)
    return [spoken] if spoken else []


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
        bare = word.rstrip(',.;:!?"”’)')
        opens_clause = words and bare in lexicon.clause_openers and words[-1] not in lexicon.prepositions
        if opens_clause and (len(words) >= 2 or bare not in lexicon.determiners):
            break
        if (
            words
            and (bare in lexicon.speech_verbs or bare in lexicon.auxiliaries)
            and bare not in lexicon.noun_or_verb
        ):
            break
        words.append(bare)
        if bare != word or len(words) > MAX_SOURCE_WORDS:
            break
    phrase = " ".join(words).strip()
    return phrase or None


def _speech(
    body: str, mask: list[bool], lexicon: Lexicon, aliases: AliasTable, context: Context, relay: str | None
) -> Citation | None:
    for match in WORD.finditer(body):
        verb = match.group(0)
        if verb not in lexicon.speech_verbs and verb not in lexicon.evidence_verbs:
            continue
        if match.start() < len(mask) and mask[match.start()]:
            continue  # inside a quotation: what was said, not who said it
        before = body[: match.start()]
        after = body[match.end() :]
        if not _is_verb(verb, before, after, lexicon):
            continue
        cited = None
        inverted = _inverted(before, lexicon, after)
        if verb.endswith(lexicon.gerund_suffix) and before.rstrip().endswith(","):
            subject = _opening_subject(body, lexicon)
        elif inverted and _source_after(after, lexicon):
            subject = _source_after(after, lexicon)  # "..., said Mr Smith" / '," said the bank'
        else:
            subject, cited = _subject_before(before, body, lexicon)
        if verb in lexicon.quoting_verbs and subject and _source_after(after, lexicon):
            cited = _source_after(after, lexicon)  # "the newspaper quotes a source close to ..."
        if not subject or not _plausible(subject, lexicon):
            continue
        if (
            verb in lexicon.evidence_verbs
            and verb not in lexicon.speech_verbs
            and subject not in lexicon.pronouns_thing
        ):
            subject = _evidence_source(subject, lexicon)
            if subject is None:
                continue
        via = relay or _trailing_relay(body, subject, lexicon, aliases)
        if verb.startswith(lexicon.recipient_verb):
            via = _media_recipient(after, lexicon, aliases) or via
        if cited:
            speaker = citation_for(subject, lexicon, aliases, context)
            return citation_for(cited, lexicon, aliases, context, via=speaker.canonical or speaker.source)
        found = citation_for(subject, lexicon, aliases, context, via=via)
        if not found.eyewitness and _described_as_eyewitness(before, subject, lexicon):
            found = replace(found, eyewitness=True)  # "A local shepherd, Muhammad Awad Hussein, told"
        return found
    return None


def _described_as_eyewitness(before: str, subject: str, lexicon: Lexicon) -> bool:
    """Whether the short description set off before a named subject makes them an eyewitness."""
    text = before.rstrip().rstrip(",").rstrip()
    if not text.endswith(subject):
        return False
    described = text[: -len(subject)].rstrip()
    if not described.endswith(","):
        return False
    words = [w.lower() for w in SEGMENT_BREAK.split(described[:-1])[-1].split()]
    return 0 < len(words) <= 5 and any(w in lexicon.eyewitness_heads for w in words)


def _is_verb(verb: str, before: str, after: str, lexicon: Lexicon) -> bool:
    words = before.split()
    previous = words[-1].lower() if words else ""
    if previous in lexicon.determiners or previous in lexicon.not_before_verb:
        return False  # a noun ("the claims"), a passive ("was told"), an infinitive ("to suggest")
    if previous in lexicon.prepositions:
        return False  # "over state aid"
    if verb in lexicon.noun_or_verb:
        rest = after.strip()
        # a verb only before what was said ("report that", "states:") or closing the sentence
        # after a short subject set off by a comma (", the FT reports.")
        if rest[:1] in {":", '"', "“"} or rest.lower().startswith(f"{lexicon.complementizer} "):
            return True
        if rest in {"", ".", "!"}:
            tail = before.rsplit(",", 1)
            subject = tail[1].split() if len(tail) == 2 else []
            return 0 < len(subject) <= 5 and not any(w in lexicon.possessives for w in subject)
        return False
    return True


def _closes_sentence(after: str, lexicon: Lexicon) -> bool:
    phrase = _source_after(after, lexicon)
    if not phrase:
        return False
    rest = after.strip()[len(phrase) :].strip()
    return rest in {"", ".", "!"} or rest.startswith(",")


def _inverted(before: str, lexicon: Lexicon, after: str | None = None) -> bool:
    """ "..., said Mr Smith": the verb follows a closing quote, or a comma after a clause that
    cannot be its subject."""
    stripped = before.rstrip()
    if not stripped:
        return False
    if stripped[-1] in '"”':
        return True
    if not stripped.endswith(",") or _parenthetical_before(before, lexicon):
        return False
    if after is not None and _closes_sentence(after, lexicon):
        return True  # "..., in particular the UK, France and Spain, said the report."
    segments = [s.strip() for s in SEGMENT_BREAK.split(stripped[:-1]) if s.strip()]
    last = _trim_leading(_trim_trailing(segments[-1], lexicon), lexicon) if segments else ""
    return len(last.split()) > 6 or bool(lexicon.inner_clause.search(last)) or not _plausible(last, lexicon)


def _parenthetical_before(before: str, lexicon: Lexicon) -> bool:
    """ "SANA, citing local sources, reported": the comma closes an aside, so the subject is before."""
    segments = [s.strip() for s in SEGMENT_BREAK.split(before.rstrip().rstrip(",").rstrip()) if s.strip()]
    if len(segments) < 2:
        return False
    first = segments[-1].split()[0]
    return (
        first.lower() in lexicon.citing
        or first.lower() in lexicon.clause_relatives
        or _is_appositive(segments[-1], segments[-2], lexicon)
    )


def _source_after(after: str, lexicon: Lexicon) -> str | None:
    """The noun phrase after an inverted reporting verb, if it can name a source."""
    phrase = _noun_phrase_after(after, lexicon)
    if not phrase:
        return None
    first = phrase.split()[0]
    if first.lower() in lexicon.not_source_openers or first in lexicon.days:
        return None
    if not (
        first[:1].isupper()
        or first.lower() in lexicon.determiners
        or first.lower() in lexicon.indefinite_articles
        or any(w[:1].isupper() for w in phrase.split()[1:])  # "say analysts Jupiter Research"
        or head_word(phrase, lexicon).lower() in lexicon.anonymous_heads
    ):
        return None
    return phrase


def _trailing_relay(body: str, subject: str, lexicon: Lexicon, aliases: AliasTable) -> str | None:
    """ "SAIC says ..., the FT reports.": the outlet at the end relays the whole sentence."""
    match = lexicon.trailing_relay.search(body.rstrip())
    if not match:
        return None
    relay = match.group("relay").strip()
    if relay == subject or classify(relay, lexicon, aliases, People()) != "media":
        return None
    return relay


def _subject_before(before: str, body: str, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """The subject of a reporting verb and, for "X, citing Y, said", the cited Y."""
    text = before
    words = text.split()
    if words and words[-1].lower() in lexicon.relative_pronouns:  # "a union leader who said"
        return _trailing_noun_phrase(" ".join(words[:-1]).rstrip(","), lexicon, after_preposition=True), None
    if words and words[-1].lower() in lexicon.conjunctions:  # "X echoed ... but admitted"
        return _opening_subject(body, lexicon), None
    last_quote = max(text.rfind(q) for q in '"“”«»')
    if last_quote >= 0 and len(text[last_quote + 1 :].split()) <= 6 and "," not in text[last_quote + 1 :]:
        text = text[last_quote + 1 :]  # '..., ” he said'
    relative = list(lexicon.relative_cut.finditer(text))
    if (
        relative
        and "," in text[relative[-1].end() :]
        and not _trim_trailing(text.rsplit(",", 1)[1].strip(), lexicon)
    ):
        text = text[: relative[-1].start()]  # "Mr Blair, who has described ..., has said"
    that = f" {lexicon.complementizer} "
    complement = text.rfind(that)
    if complement >= 0 and "," not in text[complement:]:
        text = text[complement + len(that) :]  # "was surprised that Andy Robinson said"
    segments = SEGMENT_BREAK.split(text)
    cited = None
    for index in range(len(segments) - 1, -1, -1):
        segment = _trim_trailing(segments[index].strip(), lexicon)
        if not segment:
            continue
        first = segment.split()[0]
        if first.lower() in lexicon.citing:
            cited = segment[len(first) :].strip()
            continue
        if first.lower() in lexicon.relative_pronouns:
            if segment.lower() == first.lower() and index > 0:  # "reports by X, which indicated"
                return _trailing_noun_phrase(segments[index - 1], lexicon, after_preposition=True), cited
            continue  # a relative clause set off by commas
        if index > 0 and _is_appositive(segment, segments[index - 1], lexicon):
            continue
        return _trim_leading(segment, lexicon), cited
    return None, cited


def _trim_trailing(segment: str, lexicon: Lexicon) -> str:
    while True:
        trimmed = lexicon.trailing_time.sub("", segment)
        if trimmed == segment:
            return segment
        segment = trimmed


def _trim_leading(segment: str, lexicon: Lexicon) -> str:
    while True:
        trimmed = lexicon.leading_adverbial.sub("", segment, count=1)
        if trimmed == segment:
            return segment
        segment = trimmed


def _is_appositive(segment: str, previous: str, lexicon: Lexicon) -> bool:
    """ "chief economist at X" after "Julian Jessop": a description, not the subject."""
    words = previous.strip().split()
    if not words or not _trim_leading(previous.strip(), lexicon):
        return False  # "However, the company said": the comma closes an adverbial, not a name
    participle = lexicon.participle_suffix
    if (
        len(words) > 8
        or lexicon.inner_clause.search(previous)
        or any(w.endswith(participle) for w in words[1:])
    ):
        return False  # what comes before is a clause, not a name
    first = segment.split()[0]
    if first.endswith(participle) and first[:1].islower():
        return True  # "The lawsuit, filed in Los Angeles, says"
    if not any(ch.isupper() for ch in words[-1]):
        return False
    if first in lexicon.pronouns_person or first in lexicon.pronouns_thing:
        return False
    roles = [i for i, w in enumerate(segment.split()) if w in lexicon.person_roles]
    if roles:
        after_role = segment.split()[roles[-1] + 1 :]
        named = bool(after_role) and all(w[:1].isupper() for w in after_role)
        return not named  # "Brent Bozell, PTC president, said"; not "..., elections chief Lord Rennard said"
    if head_word(segment, lexicon).lower() in lexicon.anonymous_heads:
        return False
    if first.lower() == lexicon.definite_article or first in lexicon.possessives:
        return False  # "..., the bank said"
    return first[:1].islower() or first.lower() in lexicon.indefinite_articles


def _trailing_noun_phrase(segment: str, lexicon: Lexicon, after_preposition: bool = False) -> str | None:
    """The noun phrase that ends `segment`: "a union leader" of "Brown criticised a union leader"."""
    if after_preposition:
        match = lexicon.agent_phrase.search(segment.strip())
        if match:
            return match.group("np").strip()
    words = segment.split()
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower() in lexicon.determiners:
            return " ".join(words[index:])
    return " ".join(words[-3:]) if words else None


def _opening_subject(body: str, lexicon: Lexicon) -> str | None:
    """The noun phrase that opens the sentence, for "X rejected it, saying ..."."""
    segments = SEGMENT_BREAK.split(body)
    start = segments[0]
    if (len(segments) > 1 and not _trim_leading(start.strip(), lexicon)) or lexicon.opening_participle.match(
        start
    ):
        start = segments[1]
    words: list[str] = []
    for word in _trim_leading(start.strip(), lexicon).split():
        bare = word.strip('"“”')
        if (
            words
            and bare[:1].islower()
            and (
                bare.endswith(lexicon.participle_suffix)
                or bare in lexicon.auxiliaries
                or bare in lexicon.speech_verbs
            )
        ):
            break
        words.append(bare)
    phrase = " ".join(words)
    return phrase or None


def _plausible(subject: str, lexicon: Lexicon) -> bool:
    words = subject.split()
    if not words or len(words) > MAX_SOURCE_WORDS or words[0] in lexicon.first_person:
        return False
    if subject in lexicon.pronouns_person or subject in lexicon.pronouns_thing:
        return True
    if lexicon.inner_clause.search(subject):
        return False
    return any(w[:1].isupper() or w[:1].isdigit() for w in words) or head_word(subject, lexicon).lower() in (
        lexicon.anonymous_heads
        | lexicon.institution_heads
        | lexicon.media_heads
        | lexicon.person_roles
        | lexicon.evidence_nouns
        | lexicon.spokesperson_heads
    )


def _evidence_source(subject: str, lexicon: Lexicon) -> str | None:
    """ "figures from the ONS showed" cites the ONS; "reports show" cites unnamed reports."""
    match = lexicon.evidence_from.search(subject)
    head = head_word(lexicon.evidence_split.split(subject)[0], lexicon)
    if head.lower() not in lexicon.evidence_nouns:
        return None
    return match.group("np") if match else subject


def _media_recipient(after: str, lexicon: Lexicon, aliases: AliasTable) -> str | None:
    match = lexicon.recipient.match(after)
    if not match:
        return None
    recipient = match.group("np").strip()
    if classify(recipient, lexicon, aliases, People()) == "media":
        return recipient
    return None
