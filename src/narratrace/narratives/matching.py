"""`match`: inputs ranked against the catalogue, a claim once, each entry with its stored
narrative folded in, then the narratives an input repeats through their members."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from narratrace.model import Match, Narrative, SentencePair
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.inputs import input_sentences
from narratrace.narratives.joining import closest_row
from narratrace.narratives.judge import Input, judge
from narratrace.narratives.matcher import CatalogueIndex, headline_agrees
from narratrace.narratives.thresholds import (
    CLAIM_REVIEW_FLOOR,
    JOIN_THRESHOLD,
    LEDE_SENTENCES,
    MATCH_THRESHOLD,
)
from narratrace.store import Store
from narratrace.store import catalogue as stored

# A claim is asked for this many of its closest entries per result wanted, so that k claims remain
# once the cases of one claim are one result (the Deir Ezzor claim has 4 cases, the largest 21).
CASES_PER_RESULT = 3


@dataclass(slots=True, frozen=True)
class MemberSentences:
    """The stored lede sentences of the articles pushing each narrative, with their vectors: what
    an unseen input is compared with to find the stored narratives it repeats."""

    narratives: list[str]  # the narrative of each sentence
    articles: list[str]  # the member stating it
    sentences: list[str]
    vectors: F32


def member_sentences(store: Store, narratives: Sequence[Narrative]) -> MemberSentences:
    """Lede sentences of the narratives' members, as stored when they matched (reads only; a
    member matched before ledes were kept, or joined as a copy, has none and is left out)."""
    owner = {article: n.id for n in narratives for article in n.articles}
    found = stored.ledes(store.db, list(owner))
    names: list[str] = []
    articles: list[str] = []
    texts: list[str] = []
    blocks: list[F32] = []
    for article, (lede, vectors) in found.items():
        names += [owner[article]] * len(lede)
        articles += [article] * len(lede)
        texts += lede
        blocks.append(vectors)
    matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
    return MemberSentences(names, articles, texts, matrix)


def rank_with_narratives(
    index: CatalogueIndex,
    texts: Sequence[str],
    narratives: Sequence[Narrative],
    k: int = 5,
    headlines: Sequence[str | None] | None = None,
    members: MemberSentences | None = None,
    ids: Sequence[str | None] | None = None,
    given: Sequence[str] | None = None,
) -> list[list[Match]]:
    """Catalogue matches for each text, each followed by the stored narrative anchored on it,
    then the stored narratives the text repeats without the catalogue (see `with_narratives`).
    A claim (an English post or quote: `CatalogueIndex.is_claim`) is ranked by the re-ranker; any
    other text is judged as an article is in grouping (judge.py), on its lede and `headlines`,
    and given the entries judged `confident` or `review`, most probable first. `ids`: each input's
    article id, if it has one (a stored article is not its own evidence). `given`: each input's
    text as given, for a row of an export: a claim-sized row is matched as it is, headline aside
    (cleaning is for articles, and the re-ranker reads what a post carries, such as the quoted
    author in its trailer)."""
    headlines = list(headlines or [None] * len(texts))
    texts = list(texts)
    decided: dict[str, bool] = {}  # is_claim cleans, splits and detects the language: once a text

    def claim_sized(text: str) -> bool:
        if text not in decided:
            decided[text] = index.is_claim(text)
        return decided[text]

    for i, raw in enumerate(given or []):
        if raw and claim_sized(raw):
            texts[i], headlines[i] = raw, None
    claims = [i for i, text in enumerate(texts) if not headlines[i] and claim_sized(text)]
    found: dict[int, tuple[list[Match], dict[str, F32]]] = {}
    # cases of one claim are one result: ask for more, so that k claims remain
    wanted = k * CASES_PER_RESULT if index.claims else k
    ranked = index.rank_encoded_many([texts[i] for i in claims], wanted, threshold=CLAIM_REVIEW_FLOOR)
    for i, (matches, vectors) in zip(claims, ranked, strict=True):
        statuses = ["confident" if m.score >= MATCH_THRESHOLD else "review" for m in matches]
        found[i] = ([replace(m, status=s) for m, s in zip(matches, statuses, strict=True)], vectors)
    others = [i for i in range(len(texts)) if i not in found]
    if others:
        found.update(
            zip(
                others,
                _judged_matches(index, [texts[i] for i in others], [headlines[i] for i in others], k),
                strict=True,
            )
        )
    found = {i: (_claims_once(matches, index.claims), vectors) for i, (matches, vectors) in found.items()}
    return [
        with_narratives(found[i][0], narratives, found[i][1], index.encoder, members, k, itself, headlines[i])
        for i, itself in zip(range(len(texts)), ids or [None] * len(texts), strict=True)
    ]


def _claims_once(found: list[Match], claims: dict[str, str]) -> list[Match]:
    """One result per claim: the best case of a claim stands for it, listing the cases matched."""
    out: list[Match] = []
    row_of: dict[str, int] = {}
    for match in found:
        claim = claims.get(match.id, match.id)
        if claim in row_of:
            first = out[row_of[claim]]
            out[row_of[claim]] = replace(first, cases=(*first.cases, match.id))
        else:
            row_of[claim] = len(out)
            out.append(replace(match, cases=(match.id,)))
    return out


def _judged_matches(
    index: CatalogueIndex, texts: Sequence[str], headlines: Sequence[str | None], k: int
) -> list[tuple[list[Match], dict[str, F32]]]:
    """Articles judged as grouping judges them: the entries judged confident or review, the
    first `k` of them, with the USE vectors of the lede sentences read. The entries judged are the
    same whatever `k` (thresholds.JUDGED_CANDIDATES): asking for fewer shows fewer, never others."""
    inputs = [
        Input.read(input_sentences(text), headline, text)
        for text, headline in zip(texts, headlines, strict=True)
    ]
    judged, read = judge(index, inputs)
    results = []
    for found, lede_vectors in zip(judged, read, strict=True):
        matches = [
            Match(
                "catalogue",
                index.entries[j.entry].id,
                j.probability,
                index.entries[j.entry].title,
                j.evidence,
                j.probability,
                j.status,
            )
            for j in found
            if j.status is not None
        ][:k]
        results.append((matches, lede_vectors))
    return results


def with_narratives(
    found: list[Match],
    narratives: Sequence[Narrative],
    input_vectors: dict[str, F32] | None = None,
    encoder: Callable[[Sequence[str]], F32] = encode,
    members: MemberSentences | None = None,
    k: int = 5,
    itself: str | None = None,
    headline: str | None = None,
) -> list[Match]:
    """Each catalogue match with the stored narrative anchored on its entry, if any, folded into
    it (its id, and its closest member sentence as the last evidence pair); then the other
    narratives whose members' ledes come within JOIN_THRESHOLD of one of the input's lede
    sentences or of a sentence by which it matched an entry (the rule by which a stored article
    joins a narrative; for review, as such a join is). At most `k` results, in the matcher's
    order, then by score.

    A narrative's evidence is the closest pair of such an input sentence and a lede sentence of
    one of its members (other than the input `itself`, when it is stored), and its score is that
    pair's. A narrative whose members have no stored lede is represented by its label; one whose
    only stored member is the input itself holds nothing more to show. An input with a `headline`
    repeats a narrative without the catalogue only if its headline agrees too (`headline_agrees`),
    and the headline's pair joins the evidence."""
    vectors = dict(input_vectors or {})
    if not vectors:  # a caller without the input's vectors: its evidence sentences stand for it
        given = list(dict.fromkeys(e.input_sentence for m in found for e in m.evidence[:1]))
        vectors = dict(zip(given, encoder(given), strict=True)) if given else {}
    matched = [e.input_sentence for m in found for e in m.evidence[:1] if e.input_sentence in vectors]
    asked = list(dict.fromkeys(list(vectors)[:LEDE_SENTENCES] + matched))
    known = _known_sentences(narratives, members, itself, encoder)
    closest = _closest_sentences(asked, vectors, known)
    by_entry = {c: n for n in narratives for c in n.catalogue}
    out: list[Match] = []
    shown: set[str] = set()
    for match in found:
        narrative = by_entry.get(f"catalogue:{match.id}") or by_entry.get(match.id)
        if narrative is None or narrative.id in shown:
            out.append(match)
            continue
        folded = match.evidence + ((closest[narrative.id],) if narrative.id in closest else ())
        out.append(replace(match, evidence=folded, narrative=narrative.id))
        shown.add(narrative.id)
    labels = {n.id: n.label for n in narratives}
    repeated = sorted(
        ((e.score, name) for name, e in closest.items() if name not in shown and e.score >= JOIN_THRESHOLD),
        reverse=True,
    )
    headline = (headline or "").strip()
    headline_vector = encoder([headline])[0] if headline and repeated else None
    added = 0
    for _, name in repeated:
        evidence: tuple[SentencePair, ...] = (closest[name],)
        if headline_vector is not None:
            names, texts, matrix = known
            column, score = closest_row(headline_vector, matrix, names, name)
            said = SentencePair(headline, texts[column], round(score, 3))
            if not headline_agrees(closest[name].score, said.score):
                continue
            evidence += (said,)
        # the rule by which a stored article joins a narrative through its members, and a
        # join is for review (joining.py): so is this result
        score = closest[name].score
        out.append(Match("narrative", name, score, labels[name], evidence, status="review", narrative=name))
        added += 1
        if added >= k:
            break
    # the catalogue matches keep the matcher's order (a claim's is the re-ranker's, which its
    # first-stage score does not follow: sorting by it cost CheckThat! 2022 0.944 -> 0.822), the
    # narratives found without the catalogue come after them, best first
    return out[:k]


def _known_sentences(
    narratives: Sequence[Narrative],
    members: MemberSentences | None,
    itself: str | None,
    encoder: Callable[[Sequence[str]], F32],
) -> tuple[list[str], list[str], F32]:
    """(narrative, sentence) of each sentence an input is compared with, and their vectors:
    members' stored lede sentences, except those of `itself`; the label of a narrative none of
    whose members has a stored lede."""
    names: list[str] = []
    texts: list[str] = []
    blocks: list[F32] = []
    stored_for: set[str] = set()
    if members is not None and len(members.sentences):
        keep = [i for i, article in enumerate(members.articles) if article != itself]
        stored_for = set(members.narratives)
        names = [members.narratives[i] for i in keep]
        texts = [members.sentences[i] for i in keep]
        blocks.append(members.vectors[keep])
    for narrative in narratives:
        if narrative.id not in stored_for:
            names.append(narrative.id)
            texts.append(narrative.label)
            blocks.append(_label_vector(narrative.label, encoder)[None, :])
    vectors = np.vstack(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
    return names, texts, vectors


def _closest_sentences(
    asked: list[str], vectors: dict[str, F32], known: tuple[list[str], list[str], F32]
) -> dict[str, SentencePair]:
    """Per narrative, the closest pair of an asked input sentence and one of its known sentences."""
    names, texts, matrix = known
    if not asked or not names:
        return {}
    scores = np.vstack([vectors[s] for s in asked]) @ matrix.T  # asked sentences x known sentences
    top, rows = scores.max(axis=0), scores.argmax(axis=0)
    best: dict[str, int] = {}  # narrative -> the column of its closest known sentence
    for column, name in enumerate(names):
        if name not in best or top[column] > top[best[name]]:
            best[name] = column
    return {
        name: SentencePair(asked[int(rows[column])], texts[column], round(float(top[column]), 3))
        for name, column in best.items()
    }


@lru_cache(maxsize=1024)
def _label_vector(label: str, encoder: Callable[[Sequence[str]], F32]) -> F32:
    """Narrative labels are few and asked for often: each is encoded once."""
    vector: F32 = encoder([label])[0]
    return vector
