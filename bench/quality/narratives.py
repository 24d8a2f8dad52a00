"""Narrative grouping quality on a multilingual benchmark of our own, through the real pipeline.

tests/narratives/fixtures/narrative_bench.jsonl: 45 short articles written for this benchmark
around the six narratives of examples/catalogue.csv: 25 push one of them (in English, German,
Russian, French, Spanish, Arabic), 14 are genuine news on the same places and events (the Ghwayran
prison battle, the OPCW's Douma findings, studies of the virus's origin, the UN on Ukraine's
laboratories, the MH17 verdict, NATO exercises) or nearby topics, and 6 are fact-checks.

Ingest, catalogue import and `narratives` run as in production. Scores: BCubed precision, recall
and F1 of the narratives over all 45 articles (news and fact-checks belong to no narrative), the
share of genuine news wrongly placed in a narrative, fact-checks linked as debunks of the right
narrative, and recall per language.

    .venv/bin/python -m bench.quality.narratives [--set bench|held-out|held-out-2]

The thresholds of grouping were chosen looking at these 45 articles. `--set held-out` (or
`--held-out`) scores 16 articles written later for the same six narratives (6 push one, 9 are
genuine news on the same events, 1 is a fact-check); no threshold was chosen on them, though the
headline rule's figures on them were seen while it was chosen. `--set held-out-2` scores 20 more
(9 push one, 10 are genuine news, several on purpose close to a claim's words, 1 is a fact-check),
written and committed before the headline rule first ran on them: the honest estimate on unseen
text. `--set all` puts the three sets into one store, where an article can also join a narrative
through a member from another set (service.py's join).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.common import REPO, save
from narratrace.ingest.pipeline import ingest
from narratrace.ingest.sources import iter_documents
from narratrace.model import Narrative
from narratrace.narratives.service import discover as discover_candidates
from narratrace.narratives.service import import_catalogue, update_narratives
from narratrace.store import Store

BENCH = REPO / "tests" / "narratives" / "fixtures" / "narrative_bench.jsonl"
# 16 more articles in the same form, written later and never tuned on (see the module docstring).
HELD_OUT = REPO / "tests" / "narratives" / "fixtures" / "narrative_heldout.jsonl"
# 20 more, written (and committed) before the headline rule was first run on them.
HELD_OUT_2 = REPO / "tests" / "narratives" / "fixtures" / "narrative_heldout2.jsonl"
SETS = {
    "bench": (BENCH,),
    "held-out": (HELD_OUT,),
    "held-out-2": (HELD_OUT_2,),
    "all": (BENCH, HELD_OUT, HELD_OUT_2),  # one store: an article can join through another set's
}
CATALOGUE = REPO / "examples" / "catalogue.csv"


@dataclass(slots=True)
class NarrativeScores:
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    news: int = 0
    news_misplaced: int = 0
    fact_checks: int = 0
    fact_checks_linked: int = 0
    fact_checks_as_members: int = 0
    recall_by_language: dict[str, float] = field(default_factory=dict)
    misplaced: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def news_misplaced_share(self) -> float:
        return self.news_misplaced / self.news if self.news else 0.0


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of two clusterings of the same items (label per item)."""
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_predicted: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        by_gold[label].add(item)
    for item, label in predicted.items():
        by_predicted[label].add(item)
    precision = recall = 0.0
    for item in gold:
        mine, truth = by_predicted[predicted[item]], by_gold[gold[item]]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(
    workdir: Path,
    *benches: Path,
    without: Sequence[str] = (),
    unknown: Sequence[str] = (),
    discover: bool = False,
) -> NarrativeScores:
    """Scores of the narratives of the `benches` (the first benchmark when none is given),
    ingested together into one store, the example catalogue imported `without` those entries.
    A narrative named by a stored fact-check counts as the one that fact-check refutes.
    `unknown` entries are left out of the catalogue and their fact-checks out of the store: only
    discovery can find those narratives. With `discover`, candidates count as narratives."""
    benches = benches or (BENCH,)
    rows = [r for r in _rows(benches) if r["gold"] not in {f"factcheck:{e}" for e in unknown}]
    if unknown:
        kept = workdir / "articles.jsonl"
        kept.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        benches = (kept,)
    with Store(workdir / "bench.db") as store:
        ingest(iter_documents([str(bench) for bench in benches]), store, workers=1)
        import_catalogue(
            store, [catalogue_without(workdir, [*without, *unknown])], on_error=lambda error: None
        )
        narratives = update_narratives(store)
        if discover:
            narratives += discover_candidates(store, narratives)
        by_title = {a.title: a.id for a in store.articles()}
    stored = {row["id"]: by_title[row["title"]] for row in rows}
    refuted: dict[str, str] = {
        f"article:{stored[r['id']]}": str(r["gold"]).split(":", 1)[1]
        for r in rows
        if r["gold"].startswith("factcheck:")
    }

    gold_of = {stored[r["id"]]: r["gold"] for r in rows}

    def named(n: Narrative) -> str:
        if n.candidate:  # a candidate stands for the claim most of its members push, if one does
            claim, count = Counter(gold_of.get(a, "") for a in n.articles).most_common(1)[0]
            return claim if claim.startswith("EVD") and 2 * count > len(n.articles) else n.id
        entry = n.catalogue[0]
        return refuted.get(entry) or refuted.get(_entry_id(entry), entry)

    member_of = {a: named(n) for n in narratives for a in n.articles}
    # BCubed reads each narrative as its own cluster: two candidates of one claim are two clusters
    cluster_of = {a: n.id if n.candidate else named(n) for n in narratives for a in n.articles}
    debunk_of = {a: named(n) for n in narratives for a in n.debunks}
    gold, predicted = {}, {}
    scores = NarrativeScores()
    hits: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        key, article = row["id"], stored[row["id"]]
        pushes = not row["gold"].startswith(("news", "factcheck"))
        gold[key] = row["gold"] if pushes else f"alone:{key}"
        placed = member_of.get(article)
        predicted[key] = _entry_id(cluster_of[article]) if placed else f"alone:{key}"
        if pushes:
            right = placed is not None and _entry_id(placed) == row["gold"]
            hits[row["language"]].append(right)
            if not right:
                scores.missed.append(f"{key} ({row['language']}) {row['title']} -> {predicted[key]}")
        elif row["gold"] == "news":
            scores.news += 1
            if placed:
                scores.news_misplaced += 1
                scores.misplaced.append(f"{key} ({row['language']}) {row['title']} -> {_entry_id(placed)}")
        else:
            scores.fact_checks += 1
            target = row["gold"].split(":", 1)[1]
            scores.fact_checks_linked += _entry_id(debunk_of.get(article, "")) == target
            scores.fact_checks_as_members += placed is not None
    scores.precision, scores.recall, scores.f1 = bcubed(gold, predicted)
    scores.recall_by_language = {lang: sum(h) / len(h) for lang, h in sorted(hits.items())}
    return scores


def _rows(benches: Sequence[Path]) -> list[dict[str, Any]]:
    """The labelled articles of the `benches`, one JSON object per line."""
    return [json.loads(line) for bench in benches for line in bench.open(encoding="utf-8") if line.strip()]


def pushed_entries(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The catalogue entries the labelled rows push."""
    return sorted({r["gold"] for r in rows if r["gold"].startswith("EVD")})


def catalogue_without(workdir: Path, without: Sequence[str]) -> Path:
    """The example catalogue, or a copy of it without the entries `without` names."""
    if not without:
        return CATALOGUE
    lines = CATALOGUE.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(",", 1)[0] not in without]
    path = workdir / "catalogue.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def _entry_id(catalogue_id: str) -> str:
    """ "catalogue:EVD-0001" and "EVD-0001" name the same entry."""
    return catalogue_id.split(":", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help=f"score {HELD_OUT.name} instead")
    parser.add_argument("--set", choices=sorted(SETS), default=None, help="the article set to score")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="ID",
        help="leave this catalogue entry out (repeatable): its narrative can then only be found "
        "through a stored fact-check",
    )
    parser.add_argument(
        "--leave-one-out", action="store_true", help="score the set once without each catalogue entry"
    )
    parser.add_argument(
        "--discover",
        action="store_true",
        help="count candidate narratives (discovery.py) as narratives; with --leave-one-out, each "
        "entry's fact-checks are left out too, so that only discovery can find its narrative",
    )
    parser.add_argument(
        "--no-catalogue",
        action="store_true",
        help="with --discover: no catalogue entry and no fact-check at all, discovery alone",
    )
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    args = parser.parse_args()
    name = args.set or ("held-out" if args.held_out else "bench")
    if args.leave_one_out:
        result = leave_one_out(name, args.discover)
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
        return
    unknown = pushed_entries(_rows(SETS[name])) if args.no_catalogue else []
    with tempfile.TemporaryDirectory() as tmp:
        scores = evaluate(
            Path(tmp), *SETS[name], without=args.without, unknown=unknown, discover=args.discover
        )
    bcubed_line = f"BCubed precision {scores.precision:.3f}  recall {scores.recall:.3f}  F1 {scores.f1:.3f}"
    print(bcubed_line + " (target >= 0.85)")
    print(
        f"genuine news wrongly placed: {scores.news_misplaced} of {scores.news} "
        f"({scores.news_misplaced_share:.0%}; target <= 10%)"
    )
    print(
        f"fact-checks linked as debunks of the right narrative: {scores.fact_checks_linked} of "
        f"{scores.fact_checks}; placed as members: {scores.fact_checks_as_members}"
    )
    print("recall by language: " + ", ".join(f"{k} {v:.2f}" for k, v in scores.recall_by_language.items()))
    for line in scores.missed:
        print("  missed:", line)
    for line in scores.misplaced:
        print("  misplaced:", line)
    if args.json:
        args.json.write_text(json.dumps(asdict(scores), indent=1, ensure_ascii=False))
    if args.without:
        return  # a variant, not the figure of record
    variant = "_no_catalogue" if unknown else "_discover" if args.discover else ""
    save(
        ("narratives_quality" if name == "bench" else "narratives_quality_" + name.replace("-", "_"))
        + variant,
        {
            "bcubed_precision": scores.precision,
            "bcubed_recall": scores.recall,
            "bcubed_f1": scores.f1,
            "news_misplaced_share": scores.news_misplaced_share,
            "fact_checks_linked": scores.fact_checks_linked,
            "recall_by_language": scores.recall_by_language,
        },
    )


def leave_one_out(name: str, discover: bool = False) -> dict[str, object]:
    """For each catalogue entry: the set scored without it, and how many of the articles pushing
    its narrative were still found (only a stored fact-check can name it then; with `discover`,
    its fact-checks are left out too, and only a candidate can hold them)."""
    rows = _rows(SETS[name])
    entries = pushed_entries(rows)
    result: dict[str, object] = {}
    found_all = pushing_all = news_all = 0
    for entry in entries:
        with tempfile.TemporaryDirectory() as tmp:
            if discover:
                scores = evaluate(Path(tmp), *SETS[name], unknown=[entry], discover=True)
            else:
                scores = evaluate(Path(tmp), *SETS[name], without=[entry])
        pushing = [r["id"] for r in rows if r["gold"] == entry]
        missed = [line.split(" ", 1)[0] for line in scores.missed]
        found = [key for key in pushing if key not in missed]
        found_all, pushing_all = found_all + len(found), pushing_all + len(pushing)
        # news placed in the left-out narrative: only a stored fact-check's entry could put it there
        stand_in = [line for line in scores.misplaced if line.endswith(f"-> {entry}")]
        news_all += len(stand_in)
        checks = sum(r["gold"] == f"factcheck:{entry}" for r in rows)
        print(
            f"without {entry} ({checks} fact-check(s) of it stored): its pushers found {len(found)} of "
            f"{len(pushing)}, news placed with them {len(stand_in)}; BCubed F1 {scores.f1:.3f}; "
            f"news wrongly placed in all {scores.news_misplaced} of {scores.news}",
            flush=True,
        )
        result[entry] = {
            "fact_checks_stored": checks,
            "news_with_them": stand_in,
            "found": len(found),
            "pushing": len(pushing),
            "f1": scores.f1,
            "misplaced": scores.misplaced,
        }
    print(
        f"left-out narratives: {found_all} of {pushing_all} pushers found; "
        f"news placed with them {news_all} in all runs"
    )
    save(f"narratives_leave_one_out_{name.replace('-', '_')}", result)
    return result


if __name__ == "__main__":
    main()
