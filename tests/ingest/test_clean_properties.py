"""Property tests: cleaning never crashes and never removes text outside the spans it records."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from narratrace.ingest.clean import clean
from narratrace.ingest.normalise import normalise
from narratrace.model import rebuild

# Lines that trigger the rules, mixed with arbitrary text, so rules fire and interact.
TRIGGERS = [
    "Leave a Reply",
    "3 Comments",
    "  1. first comment here",
    "    • reply to it",
    "Share this:",
    "READ MORE: another story",
    "News / World",
    "Advertisement",
    "© 2020 Some Site. All rights reserved.",
    "Posted by Page on Monday, May 4, 2020",
    "date 2021-03-01 Body starts",
    "&amp;amp;lt;br&amp;amp;gt;",
    "<p>markup</p>",
    "Earn $90 per hour from home http://spam.example",
    "",
    "   ",
    "A normal sentence of the article body that goes on for a while and ends properly.",
]
lines = st.lists(st.one_of(st.sampled_from(TRIGGERS), st.text(max_size=80)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(lines)
def test_cuts_account_for_every_removed_character(parts: list[str]) -> None:
    source = normalise("\n".join(parts))
    result = clean(source)
    previous_end = 0
    for span in result.removed:
        assert previous_end <= span.start < span.end <= len(source)
        assert source[span.start : span.end] == span.text
        previous_end = span.end
    assert rebuild(result.text, result.removed) == source
    for mark in result.marks:
        assert 0 <= mark.start <= mark.end <= len(result.text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaning_any_text_never_crashes(text: str) -> None:
    result = clean(normalise(text))
    assert rebuild(result.text, result.removed) == normalise(text)
