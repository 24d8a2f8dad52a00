"""Narratives and matching on real articles, through the CLI, with a whole narrative left out.

../shared/corpus/realnews is given to narratrace as a user gives it (`ingest export.jsonl`,
`catalogue import catalogue.csv`, `narratives --json`, `match --json export.jsonl`). The
figures reported first are cross-validated: for each narrative, the commands run with the
decision model fitted without it (NARRATRACE_PUSH_MODEL, the fold models of
bench.training.train_pushes --folds) and only its articles (and the news of no narrative
that falls to its fold) are scored. `--in-sample` scores every article with the shipped model.
`--distractors CSV` imports a real catalogue of other cases after realnews' (the EUvsDisinfo
scrape of 2015-2017, say), as a user who imports a whole database would: a first match on one of
its cases counts as wrong.

- BCubed precision, recall and F1 over pushing articles: an article's cluster is the narrative
  it is a member of (confident, or with --review also review), an unplaced one its own singleton.
- genuine news placed: neutral_news articles that are members of any narrative.
- first match right: pushing articles of a catalogued narrative whose first `match` result is
  their catalogue entry (English and other languages apart).
- unrelated news unmatched: news of no narrative given no match at all.
- confident precision: confident members that push the narrative they are placed in.

    python -m bench.quality.realnews [--folds DIR] [--in-sample] [--distractors CSV]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import save
from bench.data import realnews

NARRATRACE = str(Path(sys.executable).with_name("narratrace"))


@dataclass(slots=True)
class Outcome:
    """What the CLI said of each scored article (keyed by export line)."""

    member_of: dict[int, str] = field(default_factory=dict)  # narrative id, confident members
    review_of: dict[int, str] = field(default_factory=dict)
    # the realnews narratives each narrative stands for: its catalogue entries' ids (catalogue.csv's
    # are the narratives'), and for an entry made from a stored fact-check, that article's narrative
    narrative_labels: dict[str, set[str]] = field(default_factory=dict)
    first_match: dict[int, str | None] = field(default_factory=dict)
    matched: dict[int, bool] = field(default_factory=dict)


def run_cli(base: Path, work: Path, model: Path | None, scored: set[int]) -> Outcome:
    """Copy the prepared store, run `narratives --json` and `match --json` with `model`, and
    read what they say of the `scored` articles."""
    db = work / "run.db"
    shutil.copy(base, db)
    env = {**os.environ, "COLUMNS": "200"}
    if model is not None:
        env["NARRATRACE_PUSH_MODEL"] = str(model)
    else:
        env.pop("NARRATRACE_PUSH_MODEL", None)

    def cli(*args: str) -> str:
        done = subprocess.run([NARRATRACE, "--db", str(db), *args], capture_output=True, text=True, env=env)
        if done.returncode not in (0, 1):
            sys.exit(f"narratrace {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    listed = json.loads(cli("list", "--json"))
    line = {a["id"]: realnews.line_of(a["source"]) for a in listed}
    outcome = Outcome()
    labels = {x.line: x for x in realnews.labelled()}
    for narrative in json.loads(cli("narratives", "--json")):
        names = set(narrative["catalogue"])
        for entry in narrative["catalogue"]:
            made_from = line.get(entry.removeprefix("article:"))
            if entry.startswith("article:") and made_from is not None:
                names.add(labels[made_from].narrative or "")
        outcome.narrative_labels[narrative["id"]] = names
        for article in narrative["articles"]:
            if line[article] in scored:
                outcome.member_of[line[article]] = narrative["id"]
        for article in narrative.get("review", []):
            if line[article] in scored:
                outcome.review_of[line[article]] = narrative["id"]
    for row in json.loads(cli("match", "--json", str(realnews.EXPORT))):
        at = realnews.line_of(row["input"])
        if at in scored:
            catalogue = [m for m in row["matches"] if m["kind"] == "catalogue"]
            outcome.matched[at] = bool(row["matches"])
            outcome.first_match[at] = catalogue[0]["id"] if catalogue else None
    return outcome


def bcubed(items: Iterable[realnews.Labelled], cluster: dict[int, str]) -> tuple[float, float, float]:
    pushers = [x for x in items if x.role == "pushes"]
    of = {x.line: cluster.get(x.line, f"alone:{x.line}") for x in pushers}
    precision = recall = 0.0
    for x in pushers:
        same_cluster = [y for y in pushers if of[y.line] == of[x.line]]
        same_label = [y for y in pushers if y.narrative == x.narrative]
        precision += sum(y.narrative == x.narrative for y in same_cluster) / len(same_cluster)
        recall += sum(of[y.line] == of[x.line] for y in same_label) / len(same_label)
    precision /= len(pushers)
    recall /= len(pushers)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(items: list[realnews.Labelled], outcome: Outcome, with_review: bool) -> dict[str, object]:
    catalogued = realnews.catalogued()
    cluster = dict(outcome.member_of)
    if with_review:
        cluster.update({k: v for k, v in outcome.review_of.items() if k not in cluster})
    precision, recall, f1 = bcubed(items, cluster)
    news = [x for x in items if x.role == "neutral_news"]
    unrelated = [x for x in news if x.narrative is None]
    pushers = [x for x in items if x.role == "pushes" and x.narrative in catalogued]
    right = [x for x in pushers if outcome.first_match.get(x.line) == x.narrative]
    english = [x for x in pushers if x.language == "en"]
    confident = [x for x in items if x.line in outcome.member_of]
    confident_right = [
        x
        for x in confident
        if x.role == "pushes" and x.narrative in _labels_of(outcome, outcome.member_of[x.line])
    ]
    return {
        "bcubed": {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)},
        "news_placed": f"{sum(x.line in cluster for x in news)} of {len(news)}",
        "news_placed_share": round(sum(x.line in cluster for x in news) / len(news), 3),
        "first_right": round(len(right) / len(pushers), 3),
        "first_right_english": round(sum(x.language == "en" for x in right) / max(1, len(english)), 3),
        "first_right_other": round(
            sum(x.language != "en" for x in right) / max(1, len(pushers) - len(english)), 3
        ),
        "unrelated_unmatched": round(
            sum(not outcome.matched.get(x.line, False) for x in unrelated) / len(unrelated), 3
        ),
        "confident_precision": round(len(confident_right) / len(confident), 3) if confident else None,
        "confident_placed": len(confident),
    }


def _labels_of(outcome: Outcome, narrative: str) -> set[str]:
    return outcome.narrative_labels.get(narrative, set())


def per_group(items: list[realnews.Labelled], outcome: Outcome, key: str) -> dict[str, dict[str, int]]:
    """Pushers placed right and first matches right, by language or by narrative."""
    groups: dict[str, list[realnews.Labelled]] = defaultdict(list)
    for x in items:
        if x.role == "pushes":
            groups[getattr(x, key) or "-"].append(x)
    table = {}
    for name, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        placed = sum(
            x.narrative in _labels_of(outcome, outcome.member_of[x.line])
            for x in group
            if x.line in outcome.member_of
        )
        review = sum(
            x.narrative in _labels_of(outcome, outcome.review_of[x.line])
            for x in group
            if x.line in outcome.review_of
        )
        first = sum(outcome.first_match.get(x.line) == x.narrative for x in group)
        table[name] = {
            "pushers": len(group),
            "confident_right": placed,
            "review_right": review,
            "first_right": first,
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=Path, help="fold models (bench.training.train_pushes --folds DIR)")
    parser.add_argument("--in-sample", action="store_true", help="score every article with the shipped model")
    parser.add_argument("--distractors", type=Path, help="a real catalogue of other cases, imported too")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    realnews.require()
    items = realnews.labelled()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        folds = args.folds
        if folds is None and not args.in_sample:
            folds = work / "folds"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.training.train_pushes",
                    "--folds",
                    str(folds),
                    "--out",
                    str(work / "all.json"),
                ],
                check=True,
                capture_output=True,
            )
        base = work / "base.db"
        realnews.build_store(base, NARRATRACE, args.distractors)
        # one run with the shipped model keeps the e5 vectors of every sentence it reads, so
        # that each fold's run (a copy of this store) encodes nothing again
        subprocess.run([NARRATRACE, "--db", str(base), "narratives"], check=True, capture_output=True)
        outcome = Outcome()
        runs = (
            {"in-sample": (None, items)}
            if args.in_sample
            else {
                name: (folds / f"{name}.json", [x for x in items if realnews.fold(x) == name])
                for name in realnews.narratives()
            }
        )
        for name, (model, scored) in runs.items():
            found = run_cli(base, work, model, {x.line for x in scored})
            for part in ("member_of", "review_of", "first_match", "matched"):
                getattr(outcome, part).update(getattr(found, part))
            for narrative, names in found.narrative_labels.items():
                outcome.narrative_labels.setdefault(narrative, set()).update(names)
            print(f"  {name}: {len(scored)} articles scored", flush=True)
    kind = "in sample (the shipped model)" if args.in_sample else "cross-validated, a narrative left out"
    if args.distractors:
        kind += f", with the cases of {args.distractors.name}"
    result: dict[str, object] = {
        "kind": kind,
        "confident": score(items, outcome, with_review=False),
        "confident_and_review": score(items, outcome, with_review=True),
        "by_language": per_group(items, outcome, "language"),
        "by_narrative": per_group(items, outcome, "narrative"),
    }
    print(f"\n{kind}")
    for name in ("confident", "confident_and_review"):
        print(f"  members {name.replace('_', ' ')}: {json.dumps(result[name])}")
    print(f"\n  {'':24} {'pushers':>7} {'confident':>9} {'review':>6} {'first':>5}")
    for key in ("by_language", "by_narrative"):
        table: dict[str, dict[str, int]] = result[key]  # type: ignore[assignment]
        for name, row in table.items():
            cells = (row["pushers"], row["confident_right"], row["review_right"], row["first_right"])
            print(f"  {name:24} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, (7, 9, 6, 5), strict=True)))
        print()
    name = "realnews_in_sample" if args.in_sample else "realnews"
    print(f"saved to {save(name + ('_distractors' if args.distractors else ''), result)}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
