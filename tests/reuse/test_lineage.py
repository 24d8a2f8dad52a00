"""Which of two articles came first, said as an analyst would say it, never claimed without cause."""

from __future__ import annotations

from narratrace.model import Article
from narratrace.reuse.lineage import direction


def _article(outlet: str | None, published: str | None, text: str = "Shared text of the story.") -> Article:
    return Article(id=outlet or "x", text=text, raw=text, source="s", outlet=outlet, published=published)


def test_reasons_name_the_outlets_and_say_what_is_known() -> None:
    dated = direction(_article("Sputnik", "2018-02-16"), _article("NewsPunch", "2018-02-19"))
    assert dated.direction == "a_to_b"
    assert dated.reason == "Sputnik published it on 2018-02-16, NewsPunch on 2018-02-19"
    credited = direction(
        _article("Sputnik", None),
        _article("NewsPunch", None, "Sputnik news reports: shared text of the story."),
    )
    assert credited.direction == "a_to_b" and credited.reason.startswith("NewsPunch credits Sputnik")
    one_dated = direction(_article("Press TV", "2021-03-01"), _article(None, None))
    assert one_dated.direction == "unknown"
    assert one_dated.reason == "only Press TV's copy is dated (2021-03-01), and neither credits the other"
    assert (
        direction(_article("A", None), _article("B", None)).reason
        == "neither is dated, and neither credits the other"
    )


def test_dates_are_compared_only_as_far_as_both_are_known() -> None:
    """A date known to the month only (a blog's /2018/03/ address) says nothing of the order
    within that month, and is still earlier than a later month."""
    within = direction(_article("le-blog", "2018-03"), _article("Sputnik", "2018-03-05"))
    assert within.direction == "unknown"
    assert within.reason == (
        "le-blog is dated 2018-03 and Sputnik 2018-03-05: the dates cannot tell which came first, "
        "and neither credits the other"
    )
    earlier = direction(_article("le-blog", "2018-04"), _article("Sputnik", "2018-03-05"))
    assert earlier.direction == "b_to_a"
    assert earlier.reason == "Sputnik published it on 2018-03-05, le-blog on 2018-04"
