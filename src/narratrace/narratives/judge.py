"""Judge articles against the catalogue: which entry each pushes, with a probability and a status.

Grouping and `match` both call `judge`, so a stored article and the same article given to
`match` get the same answer. The features and the model are pushes.py's; this module finds the
candidate entries (USE, the catalogue index), encodes what the model reads (e5 for the few
articles past the gate) and keeps the evidence: the lede sentence and the entry sentence that
come closest, and the headline's pair.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from narratrace.model import SentencePair
from narratrace.narratives import pushes, thresholds
from narratrace.narratives.embed import F32
from narratrace.narratives.matcher import CatalogueIndex


@dataclass(slots=True, frozen=True)
class Judged:
    """One catalogue entry an input was judged against."""

    entry: int  # its position in the index
    probability: float
    status: pushes.Status | None
    score: float  # the closest pair's e5 cosine
    evidence: tuple[SentencePair, ...]  # the closest lede pair, then the headline's pair
    features: tuple[float, ...]  # pushes.FEATURES, what the model read (for fitting it)


@dataclass(slots=True, frozen=True)
class Input:
    """What an input is judged on: its lede sentences, headline and refutation cues."""

    lede: list[str]
    headline: str | None = None
    cues: int = 0

    @classmethod
    def read(cls, sentences: Sequence[str], headline: str | None, text: str) -> Input:
        """The lede of `sentences` (pushes.lede), and the refutation cues of `text`."""
        return cls(pushes.lede(sentences), headline, pushes.refutation_cues(headline, text))


def judge(
    index: CatalogueIndex,
    inputs: Sequence[Input],
    known: Mapping[str, F32] | None = None,
    candidates: int = thresholds.JUDGED_CANDIDATES,
    model: pushes.PushModel | None = None,
    gate: float | None = None,
) -> tuple[list[list[Judged]], list[dict[str, F32]]]:
    """For each input, the `candidates` entries its lede comes closest to (generic entry sentences
    discounted: search.py), each judged, most probable first (an input that none of those entries'
    sentences comes within `gate`, else thresholds.GATE, of gets none), and the USE vectors of its
    lede sentences. `known`: vectors encoded already."""
    model = model or pushes.model()
    gate = thresholds.GATE if gate is None else gate
    if not index.entries:
        return [[] for _ in inputs], [{} for _ in inputs]
    flat = [s for item in inputs for s in item.lede]
    vectors = index.sentence_vectors(flat, known or {})
    bounds = np.cumsum([0] + [len(item.lede) for item in inputs])
    read = [
        dict(zip(item.lede, vectors[bounds[i] : bounds[i + 1]], strict=True)) for i, item in enumerate(inputs)
    ]
    chosen: dict[int, tuple[np.ndarray, F32]] = {}  # input -> (candidate entries, USE lede best)
    for i in range(len(inputs)):
        queries = vectors[bounds[i] : bounds[i + 1]]
        if not len(queries):
            continue
        entries, best = index.closest_entries(queries, candidates)
        if len(entries) and float(best.max()) >= gate:
            chosen[i] = (entries, best)
    if not chosen:
        return [[] for _ in inputs], read
    headlines = {i: h for i in chosen if (h := (inputs[i].headline or "").strip())}
    use_headlines = (
        dict(zip(headlines, index.encoder(list(headlines.values())), strict=True)) if headlines else {}
    )
    e5_texts = [s for i in chosen for s in inputs[i].lede] + list(headlines.values())
    e5_vectors = index.e5_encoder(e5_texts)
    e5_bounds = np.cumsum([0] + [len(inputs[i].lede) for i in chosen])
    e5_headlines = {i: e5_vectors[e5_bounds[-1] + n] for n, i in enumerate(headlines)}
    wanted = sorted({int(e) for entries, _ in chosen.values() for e in entries})
    entry_e5 = dict(zip(wanted, index.e5_entry_vectors(wanted), strict=True))
    found: list[list[Judged]] = [[] for _ in inputs]
    for n, (i, (entries, use_best)) in enumerate(chosen.items()):
        lede_e5 = e5_vectors[e5_bounds[n] : e5_bounds[n + 1]]
        blocks = [lede_e5 @ entry_e5[int(e)].T for e in entries]  # lede sentences x entry sentences
        e5_best = np.array([float(b.max()) for b in blocks])
        use_head = None
        e5_head = None
        said: list[F32] = []  # per candidate, the e5 cosine of the headline with each entry sentence
        if i in headlines:
            use_head = np.array(
                [float((index.entry_vectors(int(e)) @ use_headlines[i]).max()) for e in entries]
            )
            said = [entry_e5[int(e)] @ e5_headlines[i] for e in entries]
            e5_head = np.array([float(scores.max()) for scores in said])
        rows = pushes.feature_rows(use_best.astype(np.float64), use_head, e5_best, e5_head, inputs[i].cues)
        probabilities = model.probability(rows)
        judged = []
        for position, entry in enumerate(entries):
            block = blocks[position]
            row, column = divmod(int(np.argmax(block)), block.shape[1])
            closest = round(float(block[row, column]), 3)
            evidence = [SentencePair(inputs[i].lede[row], index.entry_text(int(entry), column), closest)]
            if said:
                nearest = int(np.argmax(said[position]))
                matched = index.entry_text(int(entry), nearest)
                evidence.append(SentencePair(headlines[i], matched, round(float(said[position][nearest]), 3)))
            probability = float(probabilities[position])
            judged.append(
                Judged(
                    int(entry),
                    round(probability, 4),
                    model.status(probability),
                    round(float(e5_best[position]), 3),
                    tuple(evidence),
                    tuple(float(x) for x in rows[position]),
                )
            )
        found[i] = sorted(judged, key=lambda j: -j.probability)
    return found, read
