"""How close the ledes of articles come, by relation: could narratives be found without a catalogue?

Narratives that no catalogue knows yet would have to be found by clustering articles whose ledes
come close. This measures whether closeness separates a claim from its topic: for every pair of
articles among the two narrative benchmarks (45 + 16 articles) and the 2,225 BBC stories, the
best cosine between a lede sentence of one and a lede sentence of the other (USE, the first
LEDE_SENTENCES sentences, as grouping reads them), by relation:

- same narrative: two articles that push the same claim (across languages);
- pusher / other: a pusher and a news article or fact-check of the benchmarks;
- news / news: two genuine news articles or fact-checks of the benchmarks (same events);
- BBC / BBC: two BBC stories, all genuine news (counted above thresholds).

    .venv/bin/python -m bench.studies.lede_similarity
"""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np

from bench.common import bbc_rows, distribution_row, save
from bench.quality.narratives import BENCH, HELD_OUT
from narratrace.narratives.embed import encode
from narratrace.narratives.thresholds import LEDE_SENTENCES
from narratrace.sentences import sentences

THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def relation(a: str, b: str) -> str:
    pushes_a, pushes_b = a.startswith("EVD"), b.startswith("EVD")
    if a == "bbc" and b == "bbc":
        return "BBC / BBC"
    if pushes_a and pushes_b:
        return "same narrative" if a == b else "different narratives"
    if "bbc" in (a, b):
        return "benchmark / BBC"
    return "pusher / other" if pushes_a or pushes_b else "news / news"


def main() -> None:
    rows = [
        json.loads(line) for path in (BENCH, HELD_OUT) for line in path.open(encoding="utf-8") if line.strip()
    ]
    items = [(r["gold"], r["text"]) for r in rows] + [("bbc", r["text"]) for r in bbc_rows()]
    ledes = [sentences(text)[:LEDE_SENTENCES] or [text] for _, text in items]
    first = np.cumsum([0] + [len(lede) for lede in ledes[:-1]])
    vectors = encode([s for lede in ledes for s in lede])
    # best sentence pair of every article pair: max over one side's sentences, then the other's
    best = np.maximum.reduceat(np.maximum.reduceat(vectors @ vectors.T, first, axis=0), first, axis=1)
    labels = [gold for gold, _ in items]
    scores: dict[str, list[float]] = defaultdict(list)
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            scores[relation(labels[i], labels[j])].append(float(best[i, j]))
    header = f"{'relation':22} {'pairs':>9}  min    5%   50%   95%   max   "
    print(header + "  ".join(f">={t}" for t in THRESHOLDS))
    result: dict[str, object] = {}
    for name in ("same narrative", "different narratives", "pusher / other", "news / news", "BBC / BBC"):
        result[name] = distribution_row(name, scores[name], [0, 5, 50, 95, 100], THRESHOLDS)
    save("lede_similarity", result)


if __name__ == "__main__":
    main()
