"""Catalogue cases that state one claim are one narrative (cases.py), with a stable id.

The titles are our own, in the shapes the public EUvsDisinfo scrapes show: the same title filed
twice, a title cut short by a listing ("…"), a claim reworded, and claims that only share a topic.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from tests.conftest import SEEDS

from narratrace.model import Case
from narratrace.narratives.cases import anchors, title_key, typical_title
from narratrace.narratives.embed import encode

EVACUATED = "U.S evacuated ISIS leaders and field commanders from the Syrian city of Deir Ezzor"
TITLES = [
    EVACUATED,  # 0
    "NATO is preparing for war with Russia.",  # 1
    "U.S. evacuated ISIS leaders and field commanders from the Syrian city of Deir Ezzor",  # 2: same
    "NATO is preparing for a war against Russia",  # 3: reworded
    "NATO is encircling Russia",  # 4: the same topic, another claim
    "U.S evacuated ISIS leaders and field commanders from the Syrian…",  # 5: cut short
    "The murder of a former deputy, who had received asylum in Kyiv, shows…",  # 6: cut, lost its claim
    "The murder of a former deputy, who had received asylum in Kyiv, was organised by the SBU",  # 7
]


def _cases(titles: list[str], grouped: dict[str, str] | None = None) -> list[Case]:
    grouped = grouped or {}
    return [Case(f"c{i}", t, grouped.get(f"c{i}")) for i, t in enumerate(titles)]


def test_cases_of_one_claim_share_the_first_case_as_anchor() -> None:
    found = anchors(_cases(TITLES), encode(TITLES))
    assert found["c0"] == found["c2"] == found["c5"] == "c0"  # the same title, and cut short
    assert found["c1"] == found["c3"] == "c1"  # reworded: 0.90 or more by USE
    assert found["c4"] == "c4"  # one topic, another claim
    assert found["c6"] == "c6" and found["c7"] == "c7"  # a cut title that lost its claim links nothing


def test_ids_stay_stable_as_cases_are_added() -> None:
    vectors = encode(TITLES)
    first = anchors(_cases(TITLES[:2]), vectors[:2])
    assert first == {"c0": "c0", "c1": "c1"}
    # the next import brings a second case of each claim: the anchors stay, only the new are given
    later = anchors(_cases(TITLES[:4], first), vectors[:4])
    assert later == {"c2": "c0", "c3": "c1"}
    assert anchors(_cases(TITLES[:4], {**first, **later}), vectors[:4]) == {}


def test_a_case_that_joins_two_claims_keeps_the_older_id() -> None:
    """Two groups that a new case links become one, under the earlier group's anchor."""
    cases = [Case("a", "x", "a"), Case("b", "y", "b"), Case("b2", "y again", "b"), Case("n", "z", None)]
    vectors = np.eye(4, dtype=np.float32)
    vectors[3] = (vectors[0] + vectors[1]) / np.sqrt(2) * 1.3  # close to both a and b
    found = anchors(cases, vectors)
    assert found == {"n": "a", "b": "a", "b2": "a"}


def test_titles_compare_without_case_punctuation_or_an_ellipsis() -> None:
    assert title_key("U.S. evacuated ISIS…") == title_key("U.S evacuated isis") == "u s evacuated isis"
    assert typical_title(["A claim…", "a claim!", "A claim", "Other"]) == "a claim!"


KALKUN_CASES = (
    '"issue";"date";"outlet";"title";"summary";"disproof"\n'
    f'"90";"14.11.2017";"Outlet One";"{EVACUATED}";'
    '"A US Air Force helicopter evacuated Daesh field commanders from north-west of Deir ez-Zor.";'
    '"Recurring disinformation that the coalition against Daesh is aiding Daesh."\n'
    '"91";"02.03.2018";"Outlet Two";"NATO is preparing for war with Russia.";"NATO moves troops east.";'
    '"NATO is a defensive alliance."\n'
)
CKNABS_CASES = (
    "date,id,title,countries,keywords,languages,outlets\n"
    f"2017-11-20,https://cases.example/report/deir-ezzor/,{EVACUATED},Syria,ISIS,Russian,Outlet Three\n"
    "2017-11-21,https://cases.example/report/deir-ezzor-2/,"
    "U.S evacuated ISIS leaders and field commanders from the Syrian…,Syria,ISIS,Arabic,Outlet Four\n"
)


def test_through_the_cli_one_claim_is_one_narrative_shown_by_its_claim(tmp_path: Path) -> None:
    kalkun, cknabs = tmp_path / "kalkun.csv", tmp_path / "cknabs.csv"
    kalkun.write_text(KALKUN_CASES, encoding="utf-8")
    cknabs.write_text(CKNABS_CASES, encoding="utf-8")
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "c.db")]
    subprocess.run([*run, "catalogue", "import", str(kalkun), str(cknabs)], check=True, capture_output=True)
    subprocess.run([*run, "ingest", str(SEEDS / "004_e11d9c3c34257d13.txt")], check=True, capture_output=True)
    found = json.loads(subprocess.run([*run, "narratives", "--json"], capture_output=True, check=True).stdout)
    (narrative,) = found
    assert narrative["claim"] == narrative["label"] == EVACUATED
    assert narrative["disproof"].startswith("Recurring disinformation")
    cases = [c["id"] for c in narrative["cases"]]
    assert len(cases) == 3 and narrative["id"] == f"catalogue:{cases[0]}"
    assert "https://cases.example/report/deir-ezzor-2/" in cases
    # the seed is placed, confidently or for review, and its sentence states the claim
    assert narrative["statement"] and (narrative["articles"] or narrative["review"])
    matched = subprocess.run(
        [*run, "match", "--json", "-k", "2", str(SEEDS / "004_e11d9c3c34257d13.txt")],
        capture_output=True,
        check=True,
    )
    (row,) = json.loads(matched.stdout)
    first = row["matches"][0]
    assert first["narrative"] == narrative["id"] and first["id"] in cases and len(row["matches"]) <= 2
    # the claim's other cases are folded into its one row, never listed as rows of their own
    assert not any(m["id"] in cases for m in row["matches"][1:])
    table = subprocess.run([*run, "narratives"], capture_output=True, text=True, check=True).stdout
    assert "disproof:" in table and "3 case(s)" in table
