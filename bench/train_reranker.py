"""Fit the claim-match re-ranker (src/narratrace/data/reranker.json) on CheckThat! 2020 tweets.

For every tweet of the 2020 training and development sets, the first stage of matching
(BM25, USE and the English encoder, fused) proposes its candidates among the 10,375 verified
claims, and each candidate gets the re-ranker's features (narrative/rerank.py); a candidate is
positive when it is the claim the tweet repeats. The model learns to order: a logistic regression
is fitted on pairs of one tweet's candidates (the right claim's features minus a wrong one's, and
the reverse), not on candidates one by one, so it learns what sets the right claim above the others
of the same tweet rather than what makes a candidate likely in general (pairwise: CheckThat! 2020
development MAP@5 0.838 against 0.830 one by one, both with exact query vectors; 0.846 since
queries are encoded in 8 bits, english.py). It is fitted on the training set for a few
regularisation strengths, the one with the best MAP@5 on the development set is refitted on both,
and its standardisation and weights are written for narratrace to ship. No test set is read.

    .venv/bin/python -m bench.train_reranker [--out src/narratrace/data/reranker.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from bench.checkthat import Gold, Queries, load_2020, map_at_5
from bench.common import REPO
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.narratives.rerank import Reranker

STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
Examples = list[tuple[list[str], np.ndarray]]  # per tweet: candidate ids and their feature rows


def examples(index: CatalogueIndex, queries: Queries) -> Examples:
    found = []
    for _, tweet in queries:
        entries, rows = index.candidates_with_features(tweet)
        found.append(([e.id for e in entries], rows))
    return found


def pairs(
    found: Examples, queries: Queries, gold: Gold, scaler: StandardScaler
) -> tuple[np.ndarray, np.ndarray]:
    """Standardised feature differences of every (right, wrong) pair of candidates of one tweet,
    both ways round: label 1 when the right claim comes first."""
    differences, labels = [], []
    for (ids, rows), (query, _) in zip(found, queries, strict=True):
        scaled = scaler.transform(rows)
        right = np.array([i in gold.get(query, ()) for i in ids])
        for better in scaled[right]:
            ahead = better - scaled[~right]
            differences += [ahead, -ahead]
            labels += [np.ones(len(ahead)), np.zeros(len(ahead))]
    return np.vstack(differences), np.concatenate(labels).astype(int)


def fitted(found: Examples, queries: Queries, gold: Gold, strength: float) -> Reranker:
    scaler = StandardScaler().fit(np.vstack([rows for _, rows in found]))
    differences, labels = pairs(found, queries, gold, scaler)
    model = LogisticRegression(C=strength, max_iter=5000, fit_intercept=False).fit(differences, labels)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return Reranker(scaler.mean_, scale, model.coef_[0].astype(np.float64))


def reranked_map(model: Reranker, found: Examples, queries: Queries, gold: Gold) -> float:
    rankings = [[ids[i] for i in np.argsort(-model.score(rows), kind="stable")] for ids, rows in found]
    return map_at_5(rankings, queries, gold)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=REPO / "src" / "narratrace" / "data" / "reranker.json")
    args = parser.parse_args()
    entries, train, train_gold = load_2020("train")
    _, dev, dev_gold = load_2020("dev")
    started = time.perf_counter()
    index = CatalogueIndex.build(entries)
    train_found, dev_found = examples(index, train), examples(index, dev)
    print(f"features of {len(train)} + {len(dev)} tweets in {time.perf_counter() - started:.0f}s", flush=True)
    first_stage = map_at_5([ids for ids, _ in dev_found], dev, dev_gold)
    print(f"dev MAP@5, first stage only: {first_stage:.3f}")
    scores = {}
    for strength in STRENGTHS:
        model = fitted(train_found, train, train_gold, strength)
        scores[strength] = reranked_map(model, dev_found, dev, dev_gold)
        print(f"dev MAP@5, re-ranked, C={strength:g}: {scores[strength]:.3f}")
    chosen = max(STRENGTHS, key=lambda s: (scores[s], -s))  # ties: the stronger regularisation
    model = fitted(train_found + dev_found, train + dev, {**train_gold, **dev_gold}, chosen)
    args.out.write_text(json.dumps({**model.to_json(), "strength": chosen}, indent=1) + "\n")
    print(f"C={chosen:g} refitted on training and development tweets; wrote {args.out}")


if __name__ == "__main__":
    main()
