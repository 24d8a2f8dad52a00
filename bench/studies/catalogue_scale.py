"""Does the right case stay within reach when the catalogue is a real database, not one case per
narrative?

An analyst imports the whole EUvsDisinfo database, thousands of cases. realnews' figures are
measured with its nine cases only. Here its pushing articles are ranked against its nine cases
alone, then against them and every case of a real catalogue of other claims (`--distractors`,
by default the 2015-2017 EUvsDisinfo scrape in ../shared/corpus/euvsdisinfo), by the sentence
similarities the product reads: an article's lede sentences (pushes.lede) against each entry's
sentences, an entry scored by its closest pair. For each encoder:
- first right: the article's own case ranked first;
- within 5 and within 20: its case among the first 5 (the candidates an article is judged
  against, thresholds.JUDGED_CANDIDATES, chosen by USE) or 20;
- the same with a penalty on generic entry sentences (hubness): each sentence's cosine less
  half its mean cosine to the 10 closest sentences of other claims (for USE: the product's own
  discount, search.SentenceSearch.generic, which chooses the 5 entries judged) or, the same
  computation, of other entries (e5).

Of realnews' narratives only maidan_us_coup predates the end of the 2015-2017 scrape: some of its
cases state that claim in other words, so the figures without that narrative are given too.

    .venv/bin/python -m bench.studies.catalogue_scale [--distractors CSV]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.common import SCRAPE, save
from bench.data import realnews
from narratrace.narratives import pushes
from narratrace.narratives.inputs import input_sentences
from narratrace.narratives.search import SentenceSearch
from narratrace.narratives.service import load_index
from narratrace.store import Store

OVERLAPPING = "maidan_us_coup"  # the one narrative the 2015-2017 scrape has cases of
F32 = npt.NDArray[np.float32]


def measure(db: Path) -> dict[str, object]:
    labels = {x.line: x for x in realnews.labelled()}
    catalogued = realnews.catalogued()
    with Store(db) as store:
        index = load_index(store, english=False)
        articles = [a for _, a in store.article_rows()]
        labelled = [(a, labels[realnews.line_of(a.source)]) for a in articles]
        pushers = [(a, x) for a, x in labelled if x.role == "pushes" and x.narrative in catalogued]
        ledes = [pushes.lede(input_sentences(a.text)) for a, _ in pushers]
        kept = [i for i, lede in enumerate(ledes) if lede]
        flat = [s for i in kept for s in ledes[i]]
        bounds = np.cumsum([0] + [len(ledes[i]) for i in kept])
        position = {e.id: n for n, e in enumerate(index.entries)}
        wanted = [position[pushers[i][1].narrative or ""] for i in kept]
        owners = np.repeat(np.arange(len(index.entries)), index.search.last - index.search.first)
        encoders: dict[str, tuple[Callable[[list[str]], F32], F32]] = {
            "use": (index.encoder, index.search.vectors),
            "e5": (index.e5_encoder, np.vstack(index.e5_entry_vectors(list(range(len(index.entries)))))),
        }
        result: dict[str, object] = {"entries": len(index.entries), "pushers": len(kept)}
        for name, (encoder, entry_vectors) in encoders.items():
            queries = encoder(flat)
            lede_vectors = [queries[bounds[n] : bounds[n + 1]] for n in range(len(kept))]
            # USE: what the product discounts (claims as groups); e5: the same discount over entries
            generic = (
                index.search.generic()
                if name == "use"
                else SentenceSearch(entry_vectors, owners, len(index.entries)).generic()
            )
            for variant, shift in ((name, 0.0), (f"{name}, generic sentences penalised", generic)):
                ranks = _ranks(lede_vectors, entry_vectors, shift, owners, len(index.entries), wanted)
                result[variant] = _figures(ranks, [pushers[i][1] for i in kept])
    return result


def _ranks(
    ledes: list[F32],
    entries: F32,
    shift: F32 | float,
    owners: npt.NDArray[np.int64],
    n_entries: int,
    wanted: list[int],
) -> npt.NDArray[np.int64]:
    """For each article (its lede sentences' vectors), the rank of its `wanted` entry, an entry
    scored by its closest sentence pair, `shift` taken from each entry sentence's cosine."""
    ranks = []
    for lede, entry in zip(ledes, wanted, strict=True):
        best = np.full(n_entries, -9.0, dtype=np.float32)
        np.maximum.at(best, owners, (lede @ entries.T - shift).max(axis=0))
        ranks.append(int((best > best[entry]).sum()))
    return np.array(ranks)


def _figures(ranks: npt.NDArray[np.int64], items: list[realnews.Labelled]) -> dict[str, float]:
    other = np.array([x.language != "en" for x in items])
    apart = np.array([x.narrative != OVERLAPPING for x in items])
    return {
        "first_right": round(float((ranks == 0).mean()), 3),
        "first_right_other_languages": round(float((ranks[other] == 0).mean()), 3),
        "first_right_without_" + OVERLAPPING: round(float((ranks[apart] == 0).mean()), 3),
        "within_5": round(float((ranks < 5).mean()), 3),
        "within_20": round(float((ranks < 20).mean()), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", type=Path, default=SCRAPE, help="a real catalogue of other cases")
    args = parser.parse_args()
    realnews.require()
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, distractors in (
            ("realnews cases only", None),
            ("with " + args.distractors.name, args.distractors),
        ):
            db = Path(folder) / f"{len(result)}.db"
            realnews.build_store(db, distractors=distractors)
            result[name] = measure(db)
            print(name, json.dumps(result[name], indent=1), flush=True)
    print(f"saved to {save('catalogue_scale', result)}")


if __name__ == "__main__":
    main()
