"""`match` ranks stored narratives beside catalogue entries: each matched entry carries the
narrative anchored on it, with evidence from what its members say (one result, not two); an
input the catalogue does not match is given the narratives whose members it repeats, by the rule
of the join. At most k results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS
from tests.narratives.team_sets import BENCH, CATALOGUE, HELD_OUT_2

from narratrace.model import Match, Narrative, SentencePair
from narratrace.narratives.embed import encode
from narratrace.narratives.matcher import headline_agrees
from narratrace.narratives.service import MemberSentences, with_narratives
from narratrace.narratives.thresholds import JOIN_THRESHOLD, LEDE_SENTENCES
from narratrace.sentences import sentences


def test_a_matched_entry_brings_its_stored_narrative() -> None:
    entry = Match(
        "catalogue",
        "EVD-0001",
        0.8,
        "US helicopters evacuate ISIS members in Syria",
        (
            SentencePair(
                "US helicopters took ISIS fighters away", "US helicopters evacuate ISIS members", 0.8
            ),
        ),
    )
    other = Match("catalogue", "EVD-0009", 0.6, "Another", (SentencePair("x", "y", 0.6),))
    narrative = Narrative(
        "catalogue:EVD-0001",
        "US helicopters moved Daesh members from Hasakah",
        [],
        ["catalogue:EVD-0001"],
        articles=["a1", "a2"],
    )
    found = with_narratives([entry, other], [narrative])
    assert [(m.kind, m.id, m.narrative) for m in found] == [
        ("catalogue", "EVD-0001", "catalogue:EVD-0001"),
        ("catalogue", "EVD-0009", None),
    ]
    assert found[0].evidence[0] == entry.evidence[0]
    evidence = found[0].evidence[-1]
    assert evidence.input_sentence == "US helicopters took ISIS fighters away"
    assert evidence.matched_sentence == narrative.label and 0 < evidence.score <= 1


def _pushers_of_the_su25_claim() -> tuple[Narrative, MemberSentences]:
    """EVD-0005's narrative with the stored ledes of two benchmark articles that push it."""
    rows = {row["id"]: row for row in map(json.loads, BENCH.read_text(encoding="utf-8").splitlines())}
    ledes = [(article, sentences(rows[article]["text"])[:LEDE_SENTENCES]) for article in ("nb-030", "nb-032")]
    said = [sentence for _, lede in ledes for sentence in lede]
    members = MemberSentences(
        ["catalogue:EVD-0005"] * len(said), [a for a, lede in ledes for _ in lede], said, encode(said)
    )
    narrative = Narrative(
        "catalogue:EVD-0005", said[0], [], ["catalogue:EVD-0005"], articles=["nb-030", "nb-032"]
    )
    return narrative, members


def test_a_stored_input_is_shown_what_the_other_members_say() -> None:
    narrative, members = _pushers_of_the_su25_claim()
    lede = members.sentences[: members.articles.count("nb-030")]  # the input is stored article nb-030
    pair = SentencePair(lede[0], "MH17 was downed by a Ukrainian jet", 0.7)
    entry = Match("catalogue", "EVD-0005", 0.7, "MH17 was downed by a Ukrainian jet", (pair,))
    vectors = dict(zip(lede, encode(lede), strict=True))
    (found,) = with_narratives([entry], [narrative], vectors, members=members, itself="nb-030")
    assert found.narrative == "catalogue:EVD-0005"
    evidence = found.evidence[-1]
    others = [s for s, a in zip(members.sentences, members.articles, strict=True) if a == "nb-032"]
    assert evidence.matched_sentence in others and evidence.input_sentence in lede
    assert evidence.score < 1.0
    # without knowing that the input is stored, its own sentence is the closest
    (alone,) = with_narratives([entry], [narrative], vectors, members=members)
    mine = alone.evidence[-1]
    assert mine.score > 0.99 and mine.matched_sentence == mine.input_sentence


def test_an_input_that_repeats_members_is_given_their_narrative_unless_its_headline_names_news() -> None:
    """A news lede ("The Boeing was hit by a Russian-made Buk missile ...") comes within the join
    threshold of a pusher's sentence; the catalogue matched nothing. Its own headline names the
    event and keeps it out; the same lede under a headline that states the claim is given the
    narrative, with the headline's pair as evidence."""
    narrative, members = _pushers_of_the_su25_claim()
    rows = {row["id"]: row for row in map(json.loads, HELD_OUT_2.read_text(encoding="utf-8").splitlines())}
    lede = sentences(rows["h2-014"]["text"])[:LEDE_SENTENCES]
    vectors = dict(zip(lede, encode(lede), strict=True))

    (alone,) = with_narratives([], [narrative], vectors, members=members)
    assert alone.kind == "narrative" and alone.score >= JOIN_THRESHOLD and len(alone.evidence) == 1
    assert alone.status == "review"  # joined through members, as grouping joins: for review

    news = rows["h2-014"]["title"]  # "Dutch prosecutors will not appeal MH17 verdict"
    assert with_narratives([], [narrative], vectors, members=members, headline=news) == []

    claim = "New evidence shows a Ukrainian jet shot down MH17"
    (pushed,) = with_narratives([], [narrative], vectors, members=members, headline=claim)
    assert pushed.evidence[0] == alone.evidence[0]
    assert pushed.evidence[-1].input_sentence == claim
    assert headline_agrees(pushed.score, pushed.evidence[-1].score)


def test_match_of_a_stored_seed_shows_what_the_other_seeds_say(tmp_path: Path) -> None:
    """Through the command, on the seeds' narrative: seed 003 is stored, so its narrative's
    evidence is another seed's sentence, and the narrative's score is that pair's."""
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "s.db")]
    for step in (["catalogue", "import", str(CATALOGUE)], ["ingest", str(SEEDS)], ["narratives"]):
        subprocess.run([*run, *step], check=True, capture_output=True, text=True)
    seed = next(SEEDS.glob("003_*.txt"))
    out = subprocess.run(
        [*run, "match", "--json", str(seed)], check=True, capture_output=True, text=True
    ).stdout
    (result,) = json.loads(out)
    first = result["matches"][0]
    assert (first["kind"], first["id"], first["narrative"]) == ("catalogue", "EVD-0001", "catalogue:EVD-0001")
    assert len(result["matches"]) <= 5
    judged = [m["probability"] for m in result["matches"] if m["kind"] == "catalogue"]
    assert judged == sorted(judged, reverse=True)  # an article's entries, most probable first
    evidence = first["evidence"][-1]
    assert evidence["score"] < 0.99
    own = " ".join(seed.read_text(encoding="utf-8").split())
    others = " ".join(
        " ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt") if p != seed
    )
    assert evidence["input_sentence"] in own
    assert evidence["matched_sentence"] in others and evidence["matched_sentence"] not in own
