"""Fit the claim-match re-ranker (src/narratrace/data/reranker.json) on CheckThat! 2020 tweets.

For every tweet of the 2020 training and development sets (997 tweets), the first stage of
matching (BM25, USE and the English encoder, fused) proposes its candidates among the 10,375
verified claims, and each candidate gets the re-ranker's features (narrative/rerank.py); a
candidate is positive when it is the claim the tweet repeats. The model learns to order: a logistic
regression is fitted on pairs of one tweet's candidates (the right claim's features minus a wrong
one's, and the reverse), not on candidates one by one, so it learns what sets the right claim above
the others of the same tweet rather than what makes a candidate likely in general (pairwise:
CheckThat! 2020 development MAP@5 0.838 against 0.830 one by one, both with exact query vectors).

Before the features, the English query map (rerank.py): a linear map of a tweet's English-encoder
vector, fitted so that the mapped vector comes closest to the claim the tweet repeats among all the
verified claims (softmax cross-entropy over every claim at a temperature), with a pull towards the
identity. The map changes the English ranking, and so the candidates and their features. A tweet's
features must not come from a map fitted on that very tweet, or the re-ranker would learn to trust
the English score more than it deserves on unseen tweets: each tweet's features come from a map
fitted on the other four fifths of the tweets (cross-fitting).

The map's settings (none at all among them) and the regularisation strength are chosen together by
MAP@5 over all 997 tweets, each re-ranked by a model fitted on the other folds: five times as many
tweets to judge by as the development set alone. The chosen model and map are refitted on all the
tweets and written for narratrace to ship. No test set is read.

    .venv/bin/pip install -e '.[training]'  # torch, for the query map
    .venv/bin/python -m bench.training.train_reranker [--out src/narratrace/data/reranker.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from bench.common import REPO
from bench.data.checkthat import Gold, Queries, load_2020, map_at_5
from narratrace.narratives.inputs import clean_input
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.narratives.rerank import QUERY_MAP, Reranker, mapped

STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
# The query map's settings tried: (pull, temperature), where pull weighs the squared distance of
# the map from the identity and temperature divides the cosines in the softmax; None: no map.
MapSettings = tuple[float, float] | None
MAP_SETTINGS: tuple[MapSettings, ...] = (
    None,
    (0.001, 0.02),
    (0.01, 0.02),
    (0.001, 0.05),
    (0.01, 0.05),
)
MAP_EPOCHS = 20
MAP_BATCH = 64
FOLDS = 5
Examples = list[tuple[list[str], np.ndarray]]  # per tweet: candidate ids and their feature rows


def query_vectors(index: CatalogueIndex, queries: Queries) -> np.ndarray:
    """The English encoder's vector of each cleaned tweet, before any query map."""
    return index.english_encoder([clean_input(tweet) for _, tweet in queries])


def fit_query_map(
    index: CatalogueIndex, vectors: np.ndarray, queries: Queries, gold: Gold, settings: MapSettings
) -> np.ndarray | None:
    """The map that brings each tweet's vector closest to its claims' vectors among all claims
    (None when `settings` is None: no map)."""
    if settings is None:
        return None
    import torch

    assert index.english is not None
    position = {entry.id: i for i, entry in enumerate(index.entries)}
    rows, targets = [], []
    for row, (query, _) in enumerate(queries):
        for claim in sorted(gold.get(query, ())):
            if claim in position:
                rows.append(row)
                targets.append(position[claim])
    pull, temperature = settings
    torch.manual_seed(0)
    claims = torch.from_numpy(index.english)
    asked = torch.from_numpy(vectors[rows])
    wanted = torch.tensor(targets)
    identity = torch.eye(vectors.shape[1])
    weights = identity.clone().requires_grad_(True)
    optimiser = torch.optim.Adam([weights], lr=1e-3)
    for _ in range(MAP_EPOCHS):
        order = torch.randperm(len(asked))
        for start in range(0, len(asked), MAP_BATCH):
            batch = order[start : start + MAP_BATCH]
            moved = torch.nn.functional.normalize(asked[batch] @ weights.T, dim=1)
            loss = torch.nn.functional.cross_entropy(moved @ claims.T / temperature, wanted[batch])
            loss = loss + pull * ((weights - identity) ** 2).sum()
            optimiser.zero_grad()
            backward: Any = loss.backward  # typed alike with torch installed or not (an extra)
            backward()
            optimiser.step()
    fitted: np.ndarray = np.asarray(weights.detach().numpy(), dtype=np.float32)
    return fitted


def folds(count: int, seed: int) -> Iterator[tuple[set[int], list[int]]]:
    """FOLDS splits of `count` items in a random order fixed by `seed`: (held out, the rest)."""
    order = np.random.default_rng(seed).permutation(count)
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS].tolist())
        yield held, [i for i in range(count) if i not in held]


def cross_fitted(
    index: CatalogueIndex, vectors: np.ndarray, queries: Queries, gold: Gold, settings: MapSettings
) -> Examples:
    """Each tweet's candidates and features, with a query map fitted on the other folds' tweets."""
    found: list[tuple[list[str], np.ndarray] | None] = [None] * len(queries)
    for held, rest in folds(len(queries), seed=0):
        index.query_map = fit_query_map(index, vectors[rest], [queries[i] for i in rest], gold, settings)
        for i in sorted(held):
            entries, rows = index.candidates_with_features(queries[i][1])
            found[i] = ([e.id for e in entries], rows)
    return [f for f in found if f is not None]


def english_map(index: CatalogueIndex, vectors: np.ndarray, queries: Queries, gold: Gold) -> float:
    """MAP@5 of the English ranking alone (the query map, if any, applied)."""
    assert index.english is not None
    scores = mapped(vectors, index.query_map) @ index.english.T
    top = np.argsort(-scores, axis=1)[:, :5]
    return map_at_5([[index.entries[e].id for e in row] for row in top], queries, gold)


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


def fitted(
    found: Examples, queries: Queries, gold: Gold, strength: float, query_map: np.ndarray | None = None
) -> Reranker:
    scaler = StandardScaler().fit(np.vstack([rows for _, rows in found]))
    differences, labels = pairs(found, queries, gold, scaler)
    model = LogisticRegression(C=strength, max_iter=5000, fit_intercept=False).fit(differences, labels)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return Reranker(scaler.mean_, scale, model.coef_[0].astype(np.float64), query_map)


def described(settings: MapSettings) -> str:
    if settings is None:
        return "no query map"
    return f"query map pull={settings[0]:g} temperature={settings[1]:g}"


def cross_validated_map(found: Examples, queries: Queries, gold: Gold, strength: float) -> float:
    """MAP@5 of the re-ranker over all the tweets, each ranked by a model fitted on the other folds."""
    rankings: list[list[str]] = [[] for _ in queries]
    for held, rest in folds(len(queries), seed=1):
        model = fitted([found[i] for i in rest], [queries[i] for i in rest], gold, strength)
        for i in held:
            ids, rows = found[i]
            rankings[i] = [ids[j] for j in np.argsort(-model.score(rows), kind="stable")]
    return map_at_5(rankings, queries, gold)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=REPO / "src" / "narratrace" / "data" / "reranker.json")
    args = parser.parse_args()
    entries, train, train_gold = load_2020("train")
    _, dev, dev_gold = load_2020("dev")
    both, both_gold = train + dev, {**train_gold, **dev_gold}
    started = time.perf_counter()
    index = CatalogueIndex.build(entries)
    train_vectors, dev_vectors = query_vectors(index, train), query_vectors(index, dev)
    both_vectors = np.vstack([train_vectors, dev_vectors])
    scores: dict[tuple[MapSettings, float], float] = {}
    found: dict[MapSettings, Examples] = {}
    for settings in MAP_SETTINGS:
        index.query_map = fit_query_map(index, train_vectors, train, train_gold, settings)
        alone = english_map(index, dev_vectors, dev, dev_gold)
        found[settings] = cross_fitted(index, both_vectors, both, both_gold, settings)
        took = time.perf_counter() - started
        print(
            f"{described(settings)} ({took:.0f}s): dev MAP@5 of the English ranking alone (fitted on "
            f"the training tweets) {alone:.3f}; cross-validated MAP@5",
            flush=True,
        )
        for strength in STRENGTHS:
            scores[settings, strength] = cross_validated_map(found[settings], both, both_gold, strength)
            print(f"  re-ranked, C={strength:g}: {scores[settings, strength]:.3f}")
    # Ties: the first settings listed, then the stronger regularisation.
    (settings, chosen) = max(scores, key=lambda key: (scores[key], -key[1]))
    query_map = fit_query_map(index, both_vectors, both, both_gold, settings)
    model = fitted(found[settings], both, both_gold, chosen, query_map)
    chosen_settings = {"strength": chosen, "query_map_settings": settings}
    args.out.write_text(json.dumps({**model.to_json(), **chosen_settings}, indent=1) + "\n")
    if query_map is not None:
        np.save(args.out.with_name(QUERY_MAP), query_map)
    else:
        args.out.with_name(QUERY_MAP).unlink(missing_ok=True)
    print(f"{described(settings)} and C={chosen:g} refitted on training and development tweets")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
