"""Cleaning rules one by one, on the seeds and on cases of our own."""

from __future__ import annotations

from narratrace.ingest.clean import clean
from narratrace.ingest.normalise import normalise
from narratrace.model import rebuild
from tests.conftest import seed_path


def cleaned_seed(prefix: str):  # type: ignore[no-untyped-def]
    return clean(normalise(seed_path(prefix).read_text()))


def test_nested_entity_debris_leaves_no_trace() -> None:
    result = cleaned_seed("000")
    assert "&" not in result.text and "<br" not in result.text and "lt;" not in result.text
    assert any(s.reason == "markup" for s in result.removed)


def test_real_ampersand_and_less_than_survive() -> None:
    result = clean(normalise("AT&amp;amp;T said profits rose when costs &lt; revenue, as in Q&A.\n"))
    assert result.text.strip() == "AT&T said profits rose when costs < revenue, as in Q&A."


def test_mojibake_is_repaired() -> None:
    assert normalise("Itâ€™s a cafÃ© in SÃ£o Paulo") == "It’s a café in São Paulo"


def test_comment_section_of_seed_001_is_cut_whole_and_body_kept() -> None:
    result = cleaned_seed("001")
    comments = [s for s in result.removed if s.reason == "comments"]
    assert len(comments) == 1
    assert comments[0].text.lstrip().startswith("1. Trump is the commander")
    assert comments[0].text.rstrip().endswith("Learn how your comment data is processed.")
    assert result.text.rstrip().endswith("using it as an excuse to stay there longer.")


def test_site_chrome_of_the_seeds_is_cut() -> None:
    reasons_000 = {s.text.split(":")[0]: s.reason for s in cleaned_seed("000").removed}
    assert reasons_000["READ MORE"] == "chrome: cross-link"
    cut_001 = {s.text.strip(): s.reason for s in cleaned_seed("001").removed}
    assert cut_001["Fact checked"].startswith("chrome")
    assert cut_001["Latest Videos"].startswith("chrome")
    cut_003 = " ".join(s.text for s in cleaned_seed("003").removed)
    assert "alternate addresses" in cut_003 and "SHARE THIS ARTICLE" in cut_003 and "Syria\n" in cut_003


def test_embedded_facebook_post_is_kept_and_marked() -> None:
    result = cleaned_seed("001")
    (mark,) = result.marks
    marked = result.text[mark.start : mark.end]
    assert mark.reason == "embedded_post"
    assert marked.startswith("مروحية") and marked.endswith("February 19, 2018")


def test_dateline_gives_the_date_and_is_cut() -> None:
    result = cleaned_seed("002")
    assert result.dateline == "2021-03-01"
    assert result.text.startswith("The US military airlifted")
    assert result.removed[0].reason == "dateline"


def test_title_is_taken_from_a_title_like_first_line_only() -> None:
    assert cleaned_seed("003").title == "Report: 750 Daesh terrorists relocated in Syria under US air cover"
    assert cleaned_seed("004").title is None


def test_known_title_repeated_at_the_top_is_cut() -> None:
    result = clean(
        "Grain prices rise\n\nGrain prices rose 4% on Monday, traders said.\n",
        title="Grain prices rise",
    )
    assert result.text.startswith("Grain prices rose")


def test_a_word_like_comments_inside_a_story_is_not_a_comment_section() -> None:
    text = (
        "The minister answered questions from reporters for more than an hour on Monday.\n\n"
        "Her office later published a full transcript of the briefing online.\n\n"
        "Comments\n\n"
        "The minister's comments drew criticism from opposition parties within hours of the briefing.\n"
    )
    assert "drew criticism" in clean(text).text


def test_bulleted_list_in_the_story_is_kept() -> None:
    text = (
        "The plan has three parts, the ministry said in a statement on Tuesday morning:\n"
        "  • new rail links between the two largest cities\n"
        "  • lower fares for students and pensioners\n"
        "The ministry did not say how the plan would be paid for, or when work would start.\n"
    )
    assert clean(text).text == text.rstrip("\n")


def test_every_cut_can_be_put_back() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        source = normalise(seed_path(prefix).read_text())
        result = clean(source)
        assert rebuild(result.text, result.removed) == source


# Shapes of real pages an analyst saw survive cleaning (the words are our own): a WordPress blog's
# donation appeal, fundraising meter and wpDiscuz comment form; a news agency's "Check Also" label
# with the linked story's title under it, which once became a claim of that story's speaker.
WORDPRESS_WIDGETS = """Fighters regroup near the river crossing, activists say

Local activists said on Tuesday that fighters had regrouped near the river crossing after the raid.

The report could not be confirmed independently, and officials in the province declined to comment.

Do you like this content? Consider helping us!
0 $ 2,500 $
Please enter your comment!
Notify of
Inline Feedbacks
View all comments
"""
AGENCY_CROSS_LINK = """Governor inaugurates the rebuilt water station in the northern district

The governor inaugurated the rebuilt water station on Sunday, which serves some 40,000 residents.

Check Also
Minister: the sanctions are behind the shortage of medicines in the country

Work on a second station in the eastern district will begin next month, the governor said.
"""


def test_donation_widgets_and_a_comment_form_are_cut() -> None:
    cleaned = clean(WORDPRESS_WIDGETS)
    assert cleaned.text.endswith("declined to comment.")
    for debris in ("Consider helping us", "2,500", "enter your comment", "Notify of", "Feedbacks"):
        assert debris not in cleaned.text


def test_a_cross_link_label_alone_takes_the_linked_title_with_it_and_nothing_more() -> None:
    cleaned = clean(AGENCY_CROSS_LINK)
    assert "Check Also" not in cleaned.text and "sanctions" not in cleaned.text
    assert "40,000 residents." in cleaned.text and "second station" in cleaned.text
    (cut,) = [r for r in cleaned.removed if r.reason == "chrome: cross-link"]
    assert cut.text.startswith("Check Also\nMinister:")
