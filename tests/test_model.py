"""Records come back whole from the JSON they are kept in (the Ray engine's shards, stored
candidates): one `from_dict` per record, used by every reader."""

from __future__ import annotations

import json
from dataclasses import asdict

from narratrace.model import CatalogueEntry, Narrative, Passage, Repeat, Reuse


def _through_json(record: object) -> dict[str, object]:
    return json.loads(json.dumps(asdict(record)))  # type: ignore[call-overload, no-any-return]


def test_a_pair_comes_back_with_its_passages() -> None:
    pair = Reuse(
        "a", "b", "partial", 0.4, 0.5, "a_to_b", "a is earlier",
        (Passage(0, 10, 5, 15, "same words", "same words", 1.0, 3),), stock=True, syndicated=True,
    )  # fmt: skip
    assert Reuse.from_dict(_through_json(pair)) == pair


def test_a_narrative_comes_back_with_its_repeats_and_cases() -> None:
    case = CatalogueEntry("EVD-1", "euvsdisinfo", "A claim", "A claim", outlets=("RT",), countries=("Syria",))
    narrative = Narrative(
        "catalogue:EVD-1", "A claim", ["Islamic State"], ["EVD-1"], articles=["x", "y"],
        repeats=[Repeat("x", "y", "one", "two", 0.7, 3)], cases=[case], probability={"x": 0.9},
    )  # fmt: skip
    assert Narrative.from_dict(_through_json(narrative)) == narrative
