"""Syndication apart from boilerplate, through the CLI: a passage several outlets carry from one
source is a chain of republication; a passage one outlet repeats on its own pages is stock text.

The shape is that of a real case (issue 25): a SANA sentence relayed by Mehr, Siasat and SMM Syria
was reported as "stock text or boilerplate". The texts are our own, in that shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html

RELAYED = (
    "Local sources told the agency that US helicopters landed near the prison in the city of Hasakah "
    "on Sunday night and flew twenty detained militants to an unknown destination. The sources added "
    "that the operation lasted about three hours under heavy guard."
)
STOCK = (
    "Washington and its allies have been bombing what they call Daesh positions inside Syria since "
    "September 2014 without any authorization from the Syrian government or a United Nations mandate."
)
# text of each article around the shared passage, no two alike
AROUND = [
    (
        "Farmers in the eastern countryside said the harvest of wheat was the smallest in a decade after "
        "a dry spring and a late frost ruined most of the fields around the river.",
        "Prices of bread in the provincial markets rose by a third during the month, traders said, while "
        "the ministry promised to import more grain before the winter.",
    ),
    (
        "A delegation of parliamentarians visited Tehran on Monday to discuss trade routes, electricity "
        "lines and the reopening of a border crossing closed for six years.",
        "The talks are expected to continue next week in Damascus, where officials will sign several "
        "memoranda on transport and tourism between the two countries.",
    ),
    (
        "Hyderabad newspapers carried the report on their world pages beside coverage of the state "
        "assembly elections and a strike by municipal workers over unpaid salaries.",
        "Editors said readers had asked for more reporting from the Middle East since the war began and "
        "that the paper would open a bureau in Beirut next year.",
    ),
    (
        "Residents of the northern villages described long queues at the fuel stations and power cuts "
        "lasting up to twenty hours a day during the cold season.",
        "Aid groups warned that the shortage of heating oil would hit displaced families hardest, many "
        "of whom live in tents and unfinished buildings.",
    ),
]
PRESS_TV = [
    "Iraqi forces retook a village west of Mosul after a week of clashes with militants hiding in tunnels "
    "under the houses, a military spokesman said.",
    "Turkish artillery shelled positions of Kurdish fighters near Afrin on Thursday, and residents reported "
    "that dozens of families fled toward Aleppo along the main road.",
    "The Syrian army opened a humanitarian corridor for civilians leaving the besieged district of "
    "eastern Ghouta, state television reported on Tuesday morning.",
]


def rows() -> list[dict[str, str]]:
    relays = [
        ("SANA", "2017-11-12"),
        ("Mehr News", "2017-11-12"),
        ("Siasat", "2017-11-13"),
        ("SMM Syria", "2017-11-14"),
    ]
    found = [
        {
            "url": f"https://{outlet.lower().replace(' ', '')}.example/{n}",
            "outlet": outlet,
            "published": day,
            "title": f"Report {n}",
            "text": f"{before} {RELAYED} {after}",
        }
        for n, ((outlet, day), (before, after)) in enumerate(zip(relays, AROUND, strict=True))
    ]
    found += [
        {"url": f"https://presstv.example/{n}", "outlet": "Press TV", "published": f"2018-0{n + 1}-01",
         "title": f"Press TV {n}", "text": f"{story} {STOCK}"}
        for n, story in enumerate(PRESS_TV)
    ]  # fmt: skip
    return found


def test_a_passage_several_outlets_carry_is_a_syndication_chain(tmp_path: Path) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in rows()))
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "s.db")]
    env = {**os.environ, "COLUMNS": "250"}
    done = subprocess.run(
        [*run, "analyze", str(export), "--report", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    # the summary names the chain in order of publication, SANA first
    (line,) = [x for x in done.stdout.splitlines() if "syndication" in x]
    assert line.index("SANA") < line.index("Mehr News") < line.index("Siasat") < line.index("SMM Syria")
    listed = json.loads(subprocess.run([*run, "list", "--json"], capture_output=True, text=True).stdout)
    outlet = {a["id"]: a["outlet"] for a in listed}
    pairs = json.loads(subprocess.run([*run, "reuse", "--json"], capture_output=True, text=True).stdout)
    relayed = [p for p in pairs if outlet[p["a"]] != "Press TV"]
    assert len(relayed) == 6 and all(p["syndicated"] and not p["stock"] for p in relayed)
    assert all("syndication" in p["stock_reason"] for p in relayed)
    # the paragraph Press TV repeats on its own pages stays stock text
    own = [p for p in pairs if outlet[p["a"]] == outlet[p["b"]] == "Press TV"]
    assert own and all(p["stock"] and not p["syndicated"] for p in own)
    # the report shows one chain of four, not six copy cards
    page = lxml.html.fromstring((tmp_path / "r.html").read_text())
    (chain,) = page.xpath("//section[contains(@class, 'chain')]")
    carried = [li.text_content() for li in chain.xpath(".//ol/li")]
    assert [c.split(" · ")[0] for c in carried] == ["SANA", "Mehr News", "Siasat", "SMM Syria"]
    assert "helicopters landed near the prison" in chain.text_content()
    assert not page.xpath("//section[contains(@class, 'copy')]")
