"""`match` ranks stored narratives beside catalogue entries: each matched entry is followed by the
narrative anchored on it, with evidence from that narrative."""

from __future__ import annotations

from narratrace.narratives.grouping import Narrative
from narratrace.narratives.matcher import Evidence, Match
from narratrace.narratives.service import with_narratives


def test_a_matched_entry_brings_its_stored_narrative() -> None:
    entry = Match(
        "catalogue",
        "EVD-0001",
        0.8,
        "US helicopters evacuate ISIS members in Syria",
        (Evidence("US helicopters took ISIS fighters away", "US helicopters evacuate ISIS members", 0.8),),
    )
    other = Match("catalogue", "EVD-0009", 0.6, "Another", (Evidence("x", "y", 0.6),))
    narrative = Narrative(
        "catalogue:EVD-0001",
        "US helicopters moved Daesh members from Hasakah",
        [],
        ["catalogue:EVD-0001"],
        articles=["a1", "a2"],
    )
    found = with_narratives([entry, other], [narrative])
    assert [(m.kind, m.id) for m in found] == [
        ("catalogue", "EVD-0001"),
        ("narrative", "catalogue:EVD-0001"),
        ("catalogue", "EVD-0009"),
    ]
    evidence = found[1].evidence[0]
    assert evidence.input_sentence == "US helicopters took ISIS fighters away"
    assert evidence.matched_sentence == narrative.label and 0 < evidence.score <= 1
