"""Sentence splitting, on text with a paragraph per line and on hard-wrapped text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narratrace.aliases import AliasTable, shipped_rows
from narratrace.claims.extract import analyse
from narratrace.sentences import hard_wrapped, sentences, split

PARAGRAPHS = (
    "Report: Daesh terrorists relocated in Syria under US air cover\n"
    "The US military has transferred a large number of Daesh members from a camp in Hasakah, a report "
    "says. Syria's official news agency, SANA, citing local sources, reported on Thursday that American "
    "forces relocated hundreds of them.\n"
    "Mr. Smith said the convoy had more than 200 vehicles.\n"
)
# The same article as a plain-text export wraps it, at 72 columns.
WRAPPED = """Report: Daesh terrorists relocated in Syria under US air cover

The US military has transferred a large number of Daesh members from a
camp in Hasakah, a report says. Syria's official news agency, SANA,
citing local sources, reported on Thursday that American forces
relocated hundreds of them.

Mr. Smith said the convoy had more than 200 vehicles.
"""
EXPECTED = [
    "Report: Daesh terrorists relocated in Syria under US air cover",
    "The US military has transferred a large number of Daesh members from a camp in Hasakah, a report says.",
    "Syria's official news agency, SANA, citing local sources, reported on Thursday that American "
    "forces relocated hundreds of them.",
    "Mr. Smith said the convoy had more than 200 vehicles.",
]


def test_a_line_break_ends_a_sentence_in_text_with_a_paragraph_per_line() -> None:
    assert not hard_wrapped(PARAGRAPHS)
    assert sentences(PARAGRAPHS) == EXPECTED
    assert sentences("Headline without a stop\nThe body starts here.") == [
        "Headline without a stop",
        "The body starts here.",
    ]


def test_hard_wrapped_text_gives_the_same_sentences() -> None:
    assert hard_wrapped(WRAPPED)
    assert sentences(WRAPPED) == EXPECTED
    for start, end in split(WRAPPED):  # offsets still point into the text as stored
        assert " ".join(WRAPPED[start:end].split()) in {" ".join(s.split()) for s in EXPECTED}


def test_claims_read_an_attribution_broken_across_lines() -> None:
    aliases = AliasTable(shipped_rows())
    for text in (PARAGRAPHS, WRAPPED):
        claims = analyse("x", text, "en", aliases).claims
        relayed = [(c.text, t.source, t.via) for c in claims for t in c.citations if t.via]
        assert relayed == [(EXPECTED[2], "local sources", "SANA")], claims


@pytest.mark.parametrize("lines", [["Syria", "Iraq", "Hasakah", "Deir ez-Zor"], ["short"] * 5])
def test_lists_and_short_lines_are_not_taken_for_wrapped_text(lines: list[str]) -> None:
    assert not hard_wrapped("\n".join(lines))


def test_no_bbc_story_reads_as_hard_wrapped(bbc_path: Path) -> None:
    with bbc_path.open() as rows:
        assert not any(hard_wrapped(json.loads(row)["text"]) for row in rows)
