"""Cleaning evaluation gate: on the seeds and our labelled set, no debris, comment, spam or
footer text survives, and every sentence of the article body does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from narratrace.ingest.clean import Cleaned, clean
from narratrace.ingest.normalise import normalise
from tests.conftest import SEEDS

HERE = Path(__file__).parent
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


@dataclass
class Case:
    name: str
    source: str  # normalised text before cleaning
    label: dict[str, object]


def _cases() -> list[Case]:
    cases = []
    seed_labels = json.loads((HERE / "seed_labels.json").read_text())
    for prefix, label in seed_labels.items():
        path = next(SEEDS.glob(f"{prefix}_*.txt"))
        cases.append(Case(f"seed {prefix}", normalise(path.read_text()), label))
    for path in sorted((HERE / "cleaning_set").glob("*.txt")):
        label = json.loads(path.with_suffix(".json").read_text())
        cases.append(Case(path.stem, normalise(path.read_text()), label))
    return cases


def squash(text: str) -> str:
    return " ".join(text.split())


def body_sentences(case: Case) -> list[str]:
    """Sentences of every line a human labelled as body: not dropped, not title, not optional."""
    drop = [str(d) for d in case.label.get("drop", [])]  # type: ignore[union-attr]
    optional = [str(o) for o in case.label.get("optional", [])]  # type: ignore[union-attr]
    title = case.label.get("title")
    sentences = [str(s) for s in case.label.get("keep_exact", [])]  # type: ignore[union-attr]
    for line in case.source.splitlines():
        text = line.strip()
        if not text or text == title or any(d in line for d in drop) or text in optional:
            continue
        sentences += [s for s in SENTENCE_SPLIT.split(text) if s.strip()]
    return sentences


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gate_case(case: Case) -> None:
    result: Cleaned = clean(case.source)
    kept = squash(result.text)
    survivors = [d for d in case.label.get("drop", []) if str(d) in result.text]  # type: ignore[union-attr]
    assert not survivors, f"junk survived cleaning: {survivors}"
    lost = [s for s in body_sentences(case) if squash(s) not in kept]
    assert not lost, f"body sentences lost: {lost}"
    assert result.title == case.label.get("title")
    for expected in case.label.get("marks", []):  # type: ignore[union-attr]
        assert any(str(expected) in result.text[m.start : m.end] for m in result.marks), (
            f"not marked as embedded: {expected!r}"
        )


def test_gate_totals() -> None:
    """The pinned floor over the whole set: zero junk kept, every body sentence kept."""
    junk_total = junk_kept = body_total = body_kept = 0
    for case in CASES:
        result = clean(case.source)
        drops = [str(d) for d in case.label.get("drop", [])]  # type: ignore[union-attr]
        junk_total += len(drops)
        junk_kept += sum(d in result.text for d in drops)
        body = body_sentences(case)
        body_total += len(body)
        body_kept += sum(squash(s) in squash(result.text) for s in body)
    assert junk_total >= 60 and body_total >= 100, "the labelled set shrank"
    assert junk_kept == 0
    assert body_kept == body_total
