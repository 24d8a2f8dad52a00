"""Shared fixtures: the bundled seeds, and ../shared data when the checkout has it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SHARED = REPO.parent / "shared"
BBC = SHARED / "corpus" / "bbc" / "bbc-news-2005.jsonl"


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def bbc_path() -> Path:
    if not BBC.exists():
        pytest.skip(f"BBC corpus not found at {BBC} (it lives in ../shared beside the checkout)")
    return BBC
