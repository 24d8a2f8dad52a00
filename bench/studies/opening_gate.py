"""How close an article's opening comes to the catalogue: where grouping may stop reading.

Grouping reads an article's two opening sentences first and the rest of its lede only when one of
them comes within OPENING_GATE of some catalogue sentence (grouping.py). This shows, for the
example catalogue, the opening score (best cosine of the first OPENING_SENTENCES sentences with
any catalogue sentence, as `CatalogueIndex.opening_scores` computes it) of:

- the articles that push a narrative in the two narrative benchmarks and the five seeds, which
  must all clear the gate;
- the fact-checks and the genuine news of the benchmarks (read on or not, either is fine: the
  match threshold decides);
- the 2,225 BBC stories: the share that clears the gate is the share grouping reads in full.

    .venv/bin/python -m bench.studies.opening_gate
"""

from __future__ import annotations

import json

from bench.common import REPO, bbc_rows, distribution_row, save
from bench.quality.narratives import BENCH, CATALOGUE, HELD_OUT
from narratrace.ingest.pipeline import prepare_or_error
from narratrace.ingest.sources import iter_documents
from narratrace.model import Article, CatalogueEntry
from narratrace.narratives.catalogue import read_catalogue
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.narratives.thresholds import LEDE_SENTENCES, OPENING_GATE, OPENING_SENTENCES
from narratrace.sentences import sentences

SEEDS = REPO / "examples" / "seeds"
GATES = (0.2, 0.25, 0.3, 0.35)


def _ledes(texts: list[str]) -> list[str]:
    return [" ".join(sentences(text)[:LEDE_SENTENCES]) for text in texts]


def main() -> None:
    entries = [e for e in read_catalogue(CATALOGUE) if isinstance(e, CatalogueEntry)]
    index = CatalogueIndex.build(entries, english=False)
    lines = [line for path in (BENCH, HELD_OUT) for line in path.open(encoding="utf-8")]
    rows = [json.loads(line) for line in lines if line.strip()]
    seeds = [a for a in map(prepare_or_error, iter_documents([str(SEEDS)])) if isinstance(a, Article)]
    groups = {
        "pushers (benchmarks)": [r["text"] for r in rows if r["gold"].startswith("EVD")],
        "seeds": [a.text for a in seeds],
        "fact-checks": [r["text"] for r in rows if r["gold"].startswith("factcheck")],
        "genuine news": [r["text"] for r in rows if r["gold"] == "news"],
        "BBC stories": [r["text"] for r in bbc_rows()],
    }
    print(f"opening: first {OPENING_SENTENCES} sentences; the gate is {OPENING_GATE}")
    print(f"{'articles':22} {'n':>9}   min    1%   50%   99%   max  " + "  ".join(f">={g}" for g in GATES))
    result: dict[str, object] = {"gate": OPENING_GATE, "opening_sentences": OPENING_SENTENCES}
    for name, texts in groups.items():
        scores, _ = index.opening_scores(_ledes(texts), OPENING_SENTENCES)
        result[name] = distribution_row(name, scores, [0, 1, 50, 99, 100], GATES, as_share=True)
    save("opening_gate", result)


if __name__ == "__main__":
    main()
