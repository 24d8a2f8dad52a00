"""Can an article's own words tell a pusher from news that reports the claim at a distance?

The decision model (narratives/pushes.py) reads how close an article comes to a catalogue entry,
which says what the article is about, not whether it pushes the claim. This study asks whether a
classifier of the article alone, whatever entry it comes near, could add that: "pushes" against
everything else (debunks, news of the narrative, news of the same events), fitted with folds that
leave a whole narrative out, on

- the mean e5 or USE vector of the lede (and USE of the first 40 sentences);
- TF-IDF of words (1-2 grams) or of characters (2-5 grams, within words) of the headline and the
  first 3,000 characters (`Article.opening`).

It reports ROC AUC over every article, over pushers against the news of their narratives (the
hard pairs), and the same in English only. 0.5 is chance. Measured (session of 2026-12-07): the
best is TF-IDF of characters, 0.69 over all and 0.64 on the hard pairs (0.61 in English); the
sentence vectors stay at 0.46-0.61, at or below chance on the hard pairs in English. With a few
hundred labelled articles, what an article's words say of its stance does not carry over to a
narrative it was not fitted on, so the decision model reads none of it.

    python -m bench.studies.stance
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from bench.common import save
from bench.data import realnews
from bench.studies.push_features import read_realnews

STRENGTHS = (0.3, 3.0, 30.0)  # inverse regularisation tried for each representation


def _unit_mean(vectors: np.ndarray, width: int) -> np.ndarray:
    if not len(vectors):
        return np.zeros(width)
    mean = vectors.mean(axis=0)
    return np.asarray(mean / (np.linalg.norm(mean) + 1e-9))


Features = Callable[[np.ndarray], Any]  # the held-out mask -> a row per article


def _fixed(matrix: np.ndarray) -> Features:
    return lambda held: matrix


def _tfidf(documents: list[str], settings: dict[str, object]) -> Features:
    """TF-IDF whose vocabulary and weights are learned without the held-out articles."""

    def features(held: np.ndarray) -> Any:
        kept = [d for d, h in zip(documents, held, strict=True) if not h]
        return TfidfVectorizer(**settings).fit(kept).transform(documents)

    return features


def main() -> None:
    realnews.require()
    _, articles, _ = read_realnews()
    labels = {x.line: x for x in realnews.labelled()}
    items = [labels[a.line] for a in articles]
    pushes = np.array([x.role == "pushes" for x in items], dtype=int)
    folds = np.array([realnews.fold(x) for x in items])
    hard = np.array([x.role != "debunk" and x.narrative is not None for x in items])
    english = np.array([x.language == "en" for x in items])
    documents = [a.opening for a in articles]
    dense = {
        "e5 lede": np.array([_unit_mean(a.lede["e5"], 384) for a in articles]),
        "USE lede": np.array([_unit_mean(a.lede["use"], 512) for a in articles]),
        "USE first 40 sentences": np.array([_unit_mean(a.body, 512) for a in articles]),
    }
    sparse: dict[str, dict[str, object]] = {
        "words 1-2": {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True},
        "characters 2-5": {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 3, "sublinear_tf": True},
    }

    def out_of_fold(features: Features) -> dict[float, np.ndarray]:
        """Per strength, each article's probability from a model fitted without its fold."""
        probability = {strength: np.zeros(len(items)) for strength in STRENGTHS}
        for name in sorted(set(folds)):
            held = folds == name
            matrix = features(held)
            for strength in STRENGTHS:
                model = LogisticRegression(C=strength, max_iter=5000).fit(matrix[~held], pushes[~held])
                probability[strength][held] = model.predict_proba(matrix[held])[:, 1]
        return probability

    result: dict[str, object] = {}
    representations = {name: _fixed(matrix) for name, matrix in dense.items()}
    representations.update({f"TF-IDF {name}": _tfidf(documents, s) for name, s in sparse.items()})
    for name, features in representations.items():
        for strength, p in out_of_fold(features).items():
            found = {
                "all": roc_auc_score(pushes, p),
                "pushers_against_narrative_news": roc_auc_score(pushes[hard], p[hard]),
                "same_in_english": roc_auc_score(pushes[hard & english], p[hard & english]),
            }
            rounded = {k: round(float(v), 3) for k, v in found.items()}
            result[f"{name}, C={strength}"] = rounded
            print(f"  {name:24} C={strength:<5} {rounded}", flush=True)
    print(f"saved to {save('stance', result)}")


if __name__ == "__main__":
    main()
