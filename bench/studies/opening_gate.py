"""Where may grouping stop reading an article? The opening gate, measured on real articles.

Grouping reads an article's two opening sentences first and judges it (the e5 encoder, the
decision model) only when one of them comes within GATE of some catalogue sentence
(grouping.py); `judge` stops at the same bar for the best of its lede sentences. Encoding
with e5 is most of grouping's time, so the higher the gate, the faster; the gate must stay below
every article the decision model would give a status.

For each candidate gate this shows, on ../shared/corpus/realnews with its catalogue (each article
judged with no gate, by the product's own functions):
- how many articles open below it, how many of them push a narrative;
- how many of those below it get a status (`review` or `confident`), and the highest
  probability among them, against the model's review bar: with the shipped model, and with
  `--folds DIR` (bench.training.train_pushes --folds) with the model fitted without each
  article's narrative;
- the share of the 2,225 BBC stories whose opening clears it, against the realnews catalogue and
  the example catalogue: the share grouping judges.

    .venv/bin/python -m bench.studies.opening_gate [--folds DIR]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from bench.common import REPO, bbc_rows, save
from bench.data import realnews
from narratrace.model import CatalogueEntry
from narratrace.narratives import pushes
from narratrace.narratives.catalogue import read_catalogue
from narratrace.narratives.judge import Input, judge
from narratrace.narratives.matcher import CatalogueIndex
from narratrace.narratives.service import load_index
from narratrace.narratives.thresholds import GATE, OPENING_SENTENCES
from narratrace.sentences import sentences
from narratrace.store import Store

GATES = (0.25, 0.26, 0.27, 0.28, 0.29, 0.30, 0.32)
EXAMPLE_CATALOGUE = REPO / "examples" / "catalogue.csv"


def _ledes(texts: list[str], languages: list[str | None]) -> list[list[str]]:
    return [pushes.lede(sentences(t, language)) for t, language in zip(texts, languages, strict=True)]


def _opening(index: CatalogueIndex, ledes: list[list[str]]) -> np.ndarray:
    scores, _ = index.opening_scores([" ".join(lede) for lede in ledes], OPENING_SENTENCES)
    return np.asarray(scores, dtype=np.float64)


def _judged(
    index: CatalogueIndex, inputs: list[Input], models: dict[str, pushes.PushModel], model_of: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Each input's highest probability, and whether it gets a status, judged with no gate by
    its own model (`models[model_of[i]]`)."""
    top = np.zeros(len(inputs))
    status = np.zeros(len(inputs), dtype=bool)
    for key, model in models.items():
        mine = [i for i, k in enumerate(model_of) if k == key]
        found, _ = judge(index, [inputs[i] for i in mine], model=model, gate=-1.0)
        for i, judged in zip(mine, found, strict=True):
            if judged:
                top[i] = judged[0].probability
                status[i] = judged[0].status is not None
    return top, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=Path, help="fold models (bench.training.train_pushes --folds DIR)")
    args = parser.parse_args()
    realnews.require()
    labels = {x.line: x for x in realnews.labelled()}
    shipped = pushes.model()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "realnews.db"
        realnews.build_store(db)
        with Store(db) as store:
            articles = [article for _, article in store.article_rows()]
            index = load_index(store, english=False)
            items = [labels[realnews.line_of(a.source)] for a in articles]
            ledes = _ledes([a.text for a in articles], [a.language for a in articles])
            opening = _opening(index, ledes)
            inputs = [Input.read(lede, a.title, a.text) for lede, a in zip(ledes, articles, strict=True)]
            judged = {"shipped": _judged(index, inputs, {"": shipped}, ["" for _ in items])}
            if args.folds:
                folds = {
                    p.stem: pushes.PushModel.from_json(json.loads(p.read_text()), str(p))
                    for p in args.folds.glob("*.json")
                }
                judged["left out"] = _judged(index, inputs, folds, [realnews.fold(x) for x in items])
            bbc = bbc_rows()
            bbc_ledes = _ledes([r["text"] for r in bbc], ["en"] * len(bbc))
            bbc_scores = {"realnews catalogue": _opening(index, bbc_ledes)}
    result: dict[str, object] = {"gate": GATE, "opening_sentences": OPENING_SENTENCES}
    for name, (top, status) in judged.items():
        review = shipped.review if name == "shipped" else None
        print(f"\nrealnews, {name} model (review bar {review or 'per fold'}):")
        print(f"{'gate':>5} {'below':>6} {'pushers':>8} {'status':>7} {'max p':>6}")
        rows = {}
        for gate in GATES:
            below = opening < gate
            pushers = sum(1 for i in np.flatnonzero(below) if items[i].role == "pushes")
            max_p = float(top[below].max()) if below.any() else 0.0
            print(f"{gate:5.2f} {int(below.sum()):6} {pushers:8} {int(status[below].sum()):7} {max_p:6.3f}")
            rows[gate] = {
                "below": int(below.sum()),
                "pushers_below": pushers,
                "with_status_below": int(status[below].sum()),
                "max_probability_below": round(max_p, 4),
            }
        result[f"realnews ({name} model)"] = rows
    example = CatalogueIndex.build(
        [e for e in read_catalogue(EXAMPLE_CATALOGUE) if isinstance(e, CatalogueEntry)], english=False
    )
    bbc_scores["example catalogue"] = _opening(example, bbc_ledes)
    print(f"\nBBC stories ({len(bbc)}) whose opening clears the gate:")
    for name, scores in bbc_scores.items():
        shares = {gate: round(float((scores >= gate).mean()), 4) for gate in GATES}
        print(f"  {name:20} " + "  ".join(f"{g:.2f}: {s:6.1%}" for g, s in shares.items()))
        result[f"BBC clearing ({name})"] = shares
    save("opening_gate", result)


if __name__ == "__main__":
    main()
