"""Cited-source quality on the hand-labelled attributions in tests/claims/labelled/.

Precision: of the citations `claims` reports in the labelled articles, the share naming a labelled
source of that sentence. Recall: of the labelled attributions, the share found. Kind accuracy: of
the found ones, the share with the labelled kind. Every attribution of each labelled article is
labelled, so a citation on an unlabelled sentence counts against precision.

    .venv/bin/python -m bench.quality.claims [--misses]
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.common import BBC, REPO
from bench.data import realnews
from narratrace.aliases import AliasTable, shipped_rows
from narratrace.claims.extract import analyse
from narratrace.ingest.prepare import prepare
from narratrace.model import ArticleEvidence, Citation, RawDocument

LABELS = REPO / "tests" / "claims" / "labelled" / "attributions.jsonl"
SEEDS = REPO / "examples" / "seeds"
DROPPED = re.compile(r"^(?:the|a|an|mr|mrs|ms|dr|sir)\s+")


@dataclass(slots=True)
class Scores:
    predicted: int = 0
    correct_predicted: int = 0
    labelled: int = 0
    found: int = 0
    kind_right: int = 0
    via_labelled: int = 0
    via_right: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong_kind: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_right / self.found if self.found else 0.0

    @property
    def via_accuracy(self) -> float:
        return self.via_right / self.via_labelled if self.via_labelled else 0.0


def labels() -> list[dict[str, str | None]]:
    return [json.loads(line) for line in LABELS.open(encoding="utf-8") if line.strip()]


def texts(with_bbc: bool = True) -> dict[str, str]:
    """Clean text of every labelled article: seeds and realnews pages (`realnews-LINE`) through
    the ingest cleaner, BBC as given."""
    out: dict[str, str] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        out["seed-" + path.name[:3]] = _cleaned(str(path), path.read_text(encoding="utf-8"))
    wanted = {str(item["article"]) for item in labels()}
    if realnews.ARTICLES.exists():
        for number, row in enumerate(realnews.ARTICLES.open(encoding="utf-8"), start=1):
            if f"realnews-{number}" in wanted:
                out[f"realnews-{number}"] = _cleaned(f"realnews-{number}", json.loads(row)["text"])
    if with_bbc and BBC.exists():
        for line in BBC.open(encoding="utf-8"):
            row = json.loads(line)
            if row["id"] in wanted:
                out[row["id"]] = row["text"]
    return out


def _cleaned(source: str, text: str) -> str:
    return prepare(RawDocument(source=source, line=None, raw=text, kind="text", body=text)).text


def _norm(text: str) -> str:
    text = re.sub(r"[\"“”‘’'(),.:]", " ", text.lower().replace("’s", "").replace("'s", ""))
    text = " ".join(text.split())
    while True:
        dropped = DROPPED.sub("", text)
        if dropped == text:
            return text
        text = dropped


def names(citation: Citation) -> list[str | None]:
    """What a citation may be compared by: its source and, when resolved, the words it resolved."""
    return [citation.source, citation.mention] if citation.mention else [citation.source]


def matches(citation: Citation, labelled: str | None, aliases: AliasTable) -> bool:
    """A label may list alternative names of one source, separated by "|"."""
    options = (labelled or "").split("|")
    return any(same_source(name, option, aliases) for name in names(citation) for option in options)


def same_source(predicted: str | None, labelled: str | None, aliases: AliasTable) -> bool:
    if not predicted or not labelled:
        return predicted == labelled
    a, b = _norm(predicted), _norm(labelled)
    if not a or not b:
        return False
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    canon_a = {m.canonical for m in aliases.find(predicted)}
    canon_b = {m.canonical for m in aliases.find(labelled)}
    if canon_a & canon_b:
        return True
    return a.split()[-1] == b.split()[-1] and a.split()[-1][:1].isalpha() and len(a.split()[-1]) > 3


def evaluate(
    extract: Callable[[str, str], ArticleEvidence] | None = None,
    with_bbc: bool = True,
    subset: str | None = None,
) -> Scores:
    """Scores over the labelled articles; `subset` keeps one set ("development" or "held-out")."""
    aliases = AliasTable(shipped_rows())
    run = extract or (lambda key, text: analyse(key, text, "en", aliases))
    by_article: dict[str, list[dict[str, str | None]]] = {}
    for item in labels():
        if subset and item.get("set") != subset:
            continue
        by_article.setdefault(str(item["article"]), []).append(item)
    available = texts(with_bbc)
    scores = Scores()
    for key, items in by_article.items():
        if key not in available:
            continue
        evidence = run(key, available[key])
        predicted = [
            (claim.text, citation)
            for claim in evidence.claims
            for citation in claim.citations
            if citation.kind != "unsourced"
        ]
        used: set[int] = set()
        for item in items:
            scores.labelled += 1
            prefix = " ".join(str(item["sentence"]).split())
            hit = None
            for index, (sentence, citation) in enumerate(predicted):
                if prefix in " ".join(sentence.split()) and matches(citation, item["source"], aliases):
                    hit = index
                    break
            if hit is None:
                scores.misses.append(f"{key}: {prefix[:60]} -> {item['source']} [{item['kind']}]")
                continue
            used.add(hit)
            scores.found += 1
            citation = predicted[hit][1]
            if citation.kind == item["kind"]:
                scores.kind_right += 1
            else:
                scores.wrong_kind.append(f"{key}: {citation.source} is {item['kind']}, said {citation.kind}")
            if item["via"]:
                scores.via_labelled += 1
                if same_source(citation.via, item["via"], aliases):
                    scores.via_right += 1
        for index, (sentence, citation) in enumerate(predicted):
            scores.predicted += 1
            if index in used or any(
                " ".join(str(i["sentence"]).split()) in " ".join(sentence.split())
                and matches(citation, i["source"], aliases)
                for i in items
            ):
                scores.correct_predicted += 1
            else:
                scores.false.append(f"{key}: {sentence[:60]} -> {citation.source} [{citation.kind}]")
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list misses, false citations, wrong kinds")
    parser.add_argument("--set", dest="subset", help="list misses of one set only: development or held-out")
    parser.add_argument("--json", type=Path, help="also write every set's figures to this file")
    args = parser.parse_args()
    if not BBC.exists():
        print(f"note: the BBC corpus is not at {BBC}; scoring the seeds only")
    figures: dict[str, object] = {}
    for subset in ("development", "held-out", "held-out-2", "held-out-real", None, "seeds"):
        # the seeds alone: the development rows of the articles there are without the BBC corpus
        scores = (
            evaluate(with_bbc=False, subset="development") if subset == "seeds" else evaluate(subset=subset)
        )
        name = subset or "all"
        figures[name] = {
            **asdict(scores),
            "precision": scores.precision,
            "recall": scores.recall,
            "kind_accuracy": scores.kind_accuracy,
            "via_accuracy": scores.via_accuracy,
        }
        print(f"{name}: labelled attributions {scores.labelled}, citations reported {scores.predicted}")
        print(f"  precision {scores.precision:.3f}  recall {scores.recall:.3f}  (targets >= 0.85)")
        print(f"  kind accuracy {scores.kind_accuracy:.3f} (target >= 0.90)", end="")
        print(f"  via accuracy {scores.via_accuracy:.3f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    if args.misses:
        scores = evaluate(subset=args.subset)
        for title, rows in (
            ("missed", scores.misses),
            ("false", scores.false),
            ("wrong kind", scores.wrong_kind),
        ):
            print(f"\n{title} ({len(rows)}):")
            for row in rows:
                print("  ", row)


if __name__ == "__main__":
    main()
