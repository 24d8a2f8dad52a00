"""Reuse evaluation gate on the planted BBC benchmark (bench/data/planted.py), through the real
ingest, store and reuse run: pinned floors that fail CI when quality drops."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_bench

FLOORS = {"copy": 0.95, "partial": 0.90, "shared_passage": 0.90}


@pytest.mark.parametrize("seed", [7, 11], ids=["calibration-seed-7", "held-out-seed-11"])
def test_reuse_gate(seed: int, bbc_path: Path, tmp_path: Path) -> None:
    scores = run_bench("bench.quality.reuse", tmp_path / "scores.json", "--seed", str(seed))
    for kind, floor in FLOORS.items():
        assert scores[kind]["precision"] >= floor, (kind, scores[kind])
        assert scores[kind]["recall"] >= floor, (kind, scores[kind])
        assert scores[kind]["boundaries_within_one_sentence"] >= 0.95, (kind, scores[kind])
    assert scores["all"]["false_pairs"] == 0
