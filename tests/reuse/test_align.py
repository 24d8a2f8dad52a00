"""Shingling and alignment: robust to case, punctuation, quotes, whitespace and small edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from narratrace.reuse.align import align_tokens
from narratrace.reuse.shingle import fingerprints, fingerprints_many, tokenize, tokenize_many

TEXT = (
    "The committee said on Tuesday that the new rules would take effect in March, after a "
    "consultation with industry groups and consumer organisations that lasted almost a year. "
    "Officials expect the changes to cut average bills by about four percent."
)


def test_tokens_ignore_case_punctuation_quotes_and_spacing() -> None:
    a = tokenize("Syria’s “US-led” coalition,   said")
    b = tokenize('SYRIA\'s "us led" Coalition said')
    assert (a.hashes == b.hashes).all()
    assert [("Syria’s “US-led” coalition,   said")[s:e] for s, e in zip(a.starts, a.ends, strict=True)][
        :2
    ] == ["Syria", "s"]


def test_fingerprints_are_stable_and_shared_by_copies() -> None:
    assert (fingerprints(TEXT) == fingerprints(TEXT.upper())).all()
    assert len(set(fingerprints(TEXT).tolist()) & set(fingerprints("Intro. " + TEXT).tolist())) >= 5


def test_alignment_bridges_small_edits_and_reports_offsets() -> None:
    edited = TEXT.replace("almost a year", "nearly a year").replace("four percent", "4 percent")
    wrapped = "Readers sent us this. " + edited + " Comments are welcome below."
    (passage,) = align_tokens(tokenize(TEXT), tokenize(wrapped))
    assert passage.a_start <= 1 and passage.a_end >= len(tokenize(TEXT)) - 3


def test_unrelated_texts_do_not_align() -> None:
    other = "The football club announced a new manager on Friday after a poor run of results this season."
    assert align_tokens(tokenize(TEXT), tokenize(other)) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cd’éж\n.,")), max_size=120), max_size=8))
def test_batch_tokenising_and_fingerprinting_match_one_text_at_a_time(texts: list[str]) -> None:
    for one, many in zip([tokenize(t) for t in texts], tokenize_many(texts), strict=True):
        assert (one.hashes == many.hashes).all() and (one.starts == many.starts).all()
        assert (one.ends == many.ends).all()
    for one, many in zip([fingerprints(t) for t in texts], fingerprints_many(texts), strict=True):
        assert one.tolist() == many.tolist()
