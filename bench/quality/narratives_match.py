"""`match` of unseen articles against a store: the catalogue and the narratives another set made.

For each ordered pair of the three narrative sets (bench/quality/narratives.py), the first is
stored (example catalogue imported, articles ingested, narratives grouped) and the articles of
the second are matched against it as `narratrace match FILE` matches them: their text and
headline, against the catalogue entries and the stored narratives. Counted per pair:

- genuine news given any match (an article that pushes no narrative should get an empty list);
- pushers given their own narrative, as a catalogue entry or a stored narrative, and how many
  of those only through a stored narrative (the catalogue missed them, its members did not);
- pushers given another narrative.

    .venv/bin/python -m bench.quality.narratives_match
"""

from __future__ import annotations

import json
import tempfile
from itertools import permutations
from pathlib import Path

from bench.common import save
from bench.quality.narratives import CATALOGUE, SETS
from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.narratives import service
from narratrace.store import Store


def main() -> None:
    singles = {name: paths[0] for name, paths in SETS.items() if len(paths) == 1}
    result: dict[str, object] = {}
    totals = {"news": 0, "news_matched": 0, "pushers": 0, "pushers_matched": 0, "through_narrative": 0}
    for stored_name, asked_name in permutations(singles, 2):
        rows = [json.loads(line) for line in singles[asked_name].open(encoding="utf-8") if line.strip()]
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "m.db") as store:
            ingest(iter_documents([str(singles[stored_name])]), store, workers=1)
            service.import_catalogue(store, [CATALOGUE], on_error=lambda error: None)
            narratives = service.update_narratives(store)
            members = service.member_sentences(store, narratives)
            index = service.load_index(store)
        found = service.rank_with_narratives(
            index, [r["text"] for r in rows], narratives, 1, [r["title"] for r in rows], members
        )
        news = [r["id"] for r, matches in zip(rows, found, strict=True) if r["gold"] == "news" and matches]
        right, through, wrong = [], [], []
        for row, matches in zip(rows, found, strict=True):
            if not row["gold"].startswith("EVD"):
                continue
            named = {m.id.split(":", 1)[-1] for m in matches}
            if row["gold"] in named:
                right.append(row["id"])
                if not any(m.kind == "catalogue" and m.id == row["gold"] for m in matches):
                    through.append(row["id"])
            elif matches:
                wrong.append(row["id"])
        n_news = sum(r["gold"] == "news" for r in rows)
        n_pushers = sum(r["gold"].startswith("EVD") for r in rows)
        print(
            f"stored {stored_name:10} asked {asked_name:10}: news given a match {len(news)} of {n_news} "
            f"{news}; pushers given their narrative {len(right)} of {n_pushers}, through a stored "
            f"narrative only {through}; given another {wrong}",
            flush=True,
        )
        result[f"{stored_name} <- {asked_name}"] = {
            "news_matched": news,
            "news": n_news,
            "pushers_matched": len(right),
            "pushers": n_pushers,
            "through_narrative_only": through,
            "wrong_narrative": wrong,
        }
        totals["news"] += n_news
        totals["news_matched"] += len(news)
        totals["pushers"] += n_pushers
        totals["pushers_matched"] += len(right)
        totals["through_narrative"] += len(through)
    print(
        f"all pairs: news given a match {totals['news_matched']} of {totals['news']}; pushers given "
        f"their narrative {totals['pushers_matched']} of {totals['pushers']} "
        f"({totals['through_narrative']} through a stored narrative only)"
    )
    result["totals"] = totals
    print("saved", save("narratives_match", result))


if __name__ == "__main__":
    main()
