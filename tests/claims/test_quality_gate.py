"""Evaluation gate: cited sources on the hand-labelled attributions (bench/quality/claims.py).
Pinned floors fail CI when quality drops; the targets are 0.85 (precision, recall) and 0.90 (kind)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_bench

FLOOR = 0.85
KIND_FLOOR = 0.90


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every set's figures, from one run of the bench script."""
    return run_bench("bench.quality.claims", tmp_path_factory.mktemp("claims") / "claims.json")


@pytest.mark.parametrize("subset", ["development", "held-out", "held-out-2"])
def test_cited_sources_gate(subset: str, bbc_path: Path, figures: dict[str, Any]) -> None:
    scores = figures[subset]
    assert scores["labelled"] >= (150 if subset == "development" else 50)
    assert scores["precision"] >= FLOOR, scores["false"]
    assert scores["recall"] >= FLOOR, scores["misses"]
    assert scores["kind_accuracy"] >= KIND_FLOOR, scores["wrong_kind"]


def test_seed_attributions_alone_are_found(figures: dict[str, Any]) -> None:
    scores = figures["seeds"]
    assert scores["labelled"] >= 50
    assert scores["recall"] >= 0.95, scores["misses"]
    assert scores["precision"] >= 0.95, scores["false"]
