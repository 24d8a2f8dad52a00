"""Narratives anchored on the catalogue: stored articles grouped by the known claim they push.

An article joins the narrative of the catalogue entry it matches best (see matcher.py: one of
its sentences must come close to one of the entry's), and the copies of a member join with it.
An article that quotes the claim in order to refute it (a fact-check) is linked as a debunk,
not counted as pushing it. Genuine news about the same places stays out because it does not
state the claim closely enough: an article with a headline is judged on its headline and its
lede together (matcher.py, HEADLINE_THRESHOLD: a pusher's headline states the claim, a news
headline states the event).

Narratives that no catalogue knows yet are not grouped here, because closeness of ledes does
not tell a claim from its topic (bench/studies/lede_similarity.py): a cosine of 0.6 links 48 of the 65
pairs of articles that push the same claim in the benchmarks, and also 3,009 pairs of BBC
stories, all genuine news; at 0.8 it links 7 of the 65 and still 261 BBC pairs. Telling them
apart needs a signal of stance, which no offline model here gives. discovery.py lists claims
that resurface among the articles no narrative holds, as candidates for an analyst to review.
"""

from __future__ import annotations

import re
from collections import Counter

from narratrace.aliases import AliasTable, shipped_rows
from narratrace.model import Article, ArticleMatch, CatalogueEntry, EntryOrigin, Narrative, Reuse
from narratrace.narratives import pushes, thresholds
from narratrace.narratives.cases import typical_title
from narratrace.narratives.embed import F32
from narratrace.narratives.judge import Input, Judged, judge
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.reuse.families import FAMILY_KINDS
from narratrace.reuse.families import families as copy_families
from narratrace.sentences import sentences

# A fact-check names itself: these cues mark an article as refuting what it quotes.
FACT_CHECK_CUE = re.compile(
    r"\bfact[- ]?check|\bdebunk|\bno evidence (?:to support|that|for)|\bfalse claim|"
    r"\bmisleading claim|\bdisinformation (?:case|campaign|narrative)|\bour (?:rating|verdict)\b|"
    r"\brated (?:it )?(?:false|misleading)",
    re.IGNORECASE,
)
# Key entities of a label: the entities its articles name most, under the alias table's canonical
# names (Daesh, ISIS and IS are one), and, in English articles, other capitalised names as written
# (in German every noun is capitalised). Sentence openers are not names.
NAME = re.compile(r"\b[A-Z][\w'’-]+(?: (?:al-)?[A-Z][\w'’-]+)*")
NOT_NAMES = frozenset(
    """The A An In On At It Its This That These Those He She They We His Her Their According But And Or
    If As After Before Since While When Meanwhile Then There Other Some Speaking Former Several Many
    Most All Both Each Every Few""".split()
)
LABEL_ENTITIES = 5
# The origin of a catalogue entry made from a stored fact-check (fact_checks.py): its narrative is
# listed once an article pushes the claim, not for the fact-check alone.
STORED_FACT_CHECK: EntryOrigin = "stored-fact-check"
# The origin of a catalogue entry promoted from a candidate narrative (service.promote): named by
# an analyst, not rated by a fact-checker.
DISCOVERED: EntryOrigin = "discovered"


def is_fact_check(article: Article) -> bool:
    return bool(FACT_CHECK_CUE.search(article.title or "") or FACT_CHECK_CUE.search(article.text))


def best_matches(articles: list[Article], index: CatalogueIndex) -> list[ArticleMatch | None]:
    """The catalogue entry each article is judged to push (or refute), if any."""
    return [found for found, _ in lede_matches(articles, index)]


def lede_matches(
    articles: list[Article], index: CatalogueIndex
) -> list[tuple[ArticleMatch | None, dict[str, F32]]]:
    """Each article judged against the catalogue (judge.py), with the USE vectors of the lede
    sentences it was read on. A fact-check is linked as a debunk of the entry it would push were
    it not refuting it (its refutation cues set aside)."""
    model = pushes.model()
    judged, lede_vectors = judge_articles(articles, index, model)
    found: list[tuple[ArticleMatch | None, dict[str, F32]]] = []
    for i, article in enumerate(articles):
        if not judged.get(i):
            found.append((None, lede_vectors[i]))
            continue
        top = judged[i][0]
        probability, status = top.probability, top.status
        check = is_fact_check(article)
        if check:  # judged as if it did not refute: would it push the claim?
            probability = model.without_refutation(top.features)
            status = model.status(probability)
        if status is None:
            found.append((None, lede_vectors[i]))
            continue
        entry = index.entries[top.entry].id
        sentence = top.evidence[0].input_sentence if top.evidence else ""
        found.append(
            (
                ArticleMatch(
                    article.id, entry, top.score, sentence, check, None, round(probability, 4), status
                ),
                lede_vectors[i],
            )
        )
    return found


def judge_articles(
    articles: list[Article], index: CatalogueIndex, model: pushes.PushModel, gate: float | None = None
) -> tuple[dict[int, list[Judged]], list[dict[str, F32]]]:
    """Each article's judged entries (by position; none for an article whose opening comes no
    closer than `gate`, else thresholds.GATE, to the catalogue), and the USE vectors of the lede
    sentences read of each."""
    opening_gate = thresholds.GATE if gate is None else gate
    if not index.entries:
        return {}, [{} for _ in articles]
    ledes = [pushes.lede(sentences(a.text, a.language)) for a in articles]
    read: list[int] = list(range(len(articles)))
    vectors_of: list[dict[str, F32]] = [{} for _ in articles]  # sentence -> vector, per article
    if index.search.exact:  # a catalogue small enough to score every sentence exactly
        best, vectors_of = index.opening_scores(
            [" ".join(lede) for lede in ledes], thresholds.OPENING_SENTENCES
        )
        read = [i for i in read if best[i] >= opening_gate]
    known = {sentence: vector for opening in vectors_of for sentence, vector in opening.items()}
    # a lede read again is the same lede
    inputs = [Input.read(ledes[i], articles[i].title, articles[i].text) for i in read]
    judged, lede_vectors = judge(index, inputs, known, model=model, gate=opening_gate)
    for i, vectors in zip(read, lede_vectors, strict=True):
        vectors_of[i] = vectors
    return dict(zip(read, judged, strict=True)), vectors_of


def group(
    articles: list[Article],
    entries: list[CatalogueEntry],
    matches: list[ArticleMatch],
    pairs: list[Reuse],
    aliases: AliasTable | None = None,
    claims: dict[str, str] | None = None,
) -> list[Narrative]:
    """Narratives of the stored articles, one per claim that any article pushes: the catalogue
    entries of one claim (`claims`: entry id -> the first entry stated it, cases.py; an entry not
    in it is a claim of its own) are one narrative. `aliases` names their key entities (the
    shipped table when not given)."""
    aliases = aliases or AliasTable(shipped_rows())
    claims = claims or {}
    by_entry = {e.id: e for e in entries}
    cases_of: dict[str, list[CatalogueEntry]] = {}
    for entry in entries:
        cases_of.setdefault(claims.get(entry.id, entry.id), []).append(entry)
    by_id = {a.id: a for a in articles}
    narratives: dict[str, Narrative] = {}
    representative: dict[str, ArticleMatch] = {}
    placed: dict[str, str] = {}
    for match in sorted(matches, key=lambda m: m.article):
        if match.entry not in by_entry or match.article not in by_id:
            continue
        claim = claims.get(match.entry, match.entry)
        if claim not in narratives:
            narratives[claim] = _new(claim, cases_of[claim])
        narrative = narratives[claim]
        if match.fact_check:
            narrative.debunks.append(match.article)
            continue
        if match.probability is not None:
            narrative.probability[match.article] = match.probability
        if _strength(match) > _strength(representative.get(claim)):
            representative[claim] = match
        if match.status == "review":
            narrative.review.append(match.article)
            continue
        narrative.articles.append(match.article)
        placed[match.article] = claim
    _join_copies(narratives, placed, pairs, by_id)
    for key, narrative in narratives.items():
        describe(narrative, by_id, pairs, getattr(representative.get(key), "sentence", ""), aliases)
    shown = [
        n
        for n in narratives.values()
        if n.articles or n.review or any(by_entry[c].origin != STORED_FACT_CHECK for c in n.catalogue)
    ]
    return sorted(shown, key=lambda n: (-len(n.articles), n.id))


def _strength(match: ArticleMatch | None) -> tuple[bool, float, float]:
    """How well a match states its claim: a confident member before any near miss."""
    if match is None:
        return (False, -1.0, -1.0)
    probability = match.probability if match.probability is not None else 0.0
    return (match.status == "confident", probability, match.score)


def _new(claim: str, cases: list[CatalogueEntry]) -> Narrative:
    """The narrative of a claim stated by `cases` (in the order stored), named after the first
    case stored that states it. An imported claim is shown by its cases' typical title; a stored
    fact-check's by the sentence that reports the claim it refutes."""
    if cases[0].origin == STORED_FACT_CHECK:
        label = cases[0].claim or cases[0].title
    else:
        label = typical_title([c.title for c in cases if c.title] or [cases[0].claim])
    return Narrative(
        id=f"catalogue:{claim}",
        label=label,
        entities=[],
        catalogue=[c.id for c in cases],
        cases=list(cases),
        disproof=next((c.disproof for c in cases if c.disproof), ""),
    )


def _join_copies(
    narratives: dict[str, Narrative], placed: dict[str, str], pairs: list[Reuse], known: dict[str, Article]
) -> None:
    """A copy of a member pushes what the member pushes, even where its own text was cut short."""
    changed = True
    while changed:
        changed = False
        for pair in pairs:
            if pair.kind not in FAMILY_KINDS:
                continue
            for member, other in ((pair.a, pair.b), (pair.b, pair.a)):
                if member in placed and other not in placed and other in known:
                    placed[other] = placed[member]
                    narrative = narratives[placed[member]]
                    narrative.articles.append(other)
                    for elsewhere in narratives.values():  # placed: no longer a near miss anywhere
                        if other in elsewhere.review:
                            elsewhere.review.remove(other)
                    narrative.probability.setdefault(other, narrative.probability.get(member, 1.0))
                    changed = True


def describe(
    narrative: Narrative,
    by_id: dict[str, Article],
    pairs: list[Reuse],
    representative: str,
    aliases: AliasTable,
) -> None:
    """Fill in what a narrative's members show: dates, outlets, languages, the member sentence that
    states the claim best (`representative`, when given), key entities, and the copy families."""
    members = [by_id[i] for i in narrative.articles]
    inside = set(narrative.articles)
    links = [p for p in pairs if p.a in inside and p.b in inside]
    narrative.families = [list(f.members) for f in copy_families(links, by_id)]
    dates = sorted(a.published for a in members if a.published)
    narrative.dated = len(dates)
    narrative.first_seen = dates[0] if dates else None
    narrative.last_seen = dates[-1] if dates else None
    narrative.outlets = sorted({a.outlet for a in members if a.outlet})
    narrative.languages = sorted({a.language for a in members if a.language})
    if representative:
        narrative.statement = representative
    names: Counter[str] = Counter()
    for article in members:
        known = aliases.find(article.text)
        names.update(m.canonical for m in known if m.type != "number")
        if article.language not in (None, "en"):  # German capitalises every noun: the table's names only
            continue
        spans = [(m.start, m.end) for m in known]
        for m in NAME.finditer(article.text):
            outside = all(m.end() <= start or m.start() >= end for start, end in spans)
            if outside and m.group(0).split()[0] not in NOT_NAMES:
                names[m.group(0)] += 1
    narrative.entities = [name for name, _ in names.most_common(LABEL_ENTITIES)]
