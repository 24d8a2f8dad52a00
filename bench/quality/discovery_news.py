"""How many candidate narratives genuine news alone would make (discovery.py), on the BBC stories.

The BBC stories carry no dates and no outlet, so each is given a random day in 2004-2005, the
years they come from, and any two stories may repeat each other: the worst case, in which a
repeat between two stories of one event is as likely to span RECUR_DAYS as any other (with one
outlet named, as they all come from the BBC, none could). No story of the set pushes a
disinformation narrative, so every candidate is a false one. Stories the set holds twice are read
once. Printed: the pairs of stories that repeat one claim (the rule without dates), the
candidates and their members, and the largest few, to read.

    .venv/bin/python -m bench.quality.discovery_news
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import bbc_rows, save
from narratrace.model import Article, Repeat
from narratrace.narratives.discovery import Candidate, Lede, candidates, repeats
from narratrace.narratives.embed import encode
from narratrace.narratives.service import encode_for_discovery
from narratrace.narratives.thresholds import LEDE_SENTENCES
from narratrace.sentences import sentences

SHOWN = 5


def _distinct(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The stories, each text once: the set holds some stories twice, copies that reuse finds
    and that, dated, would carry one date, not two random ones."""
    first = {row["text"]: row for row in reversed(rows)}  # the first of each text wins
    return [row for row in rows if first[row["text"]] is row]


@dataclass(slots=True)
class NewsCandidates:
    articles: list[Article]
    repeats: list[Repeat]
    candidates: list[Candidate]
    encoded_seconds: float
    seconds: float

    @property
    def members(self) -> int:
        return sum(len(c.articles) for c in self.candidates)


def measure(rows: list[dict[str, str]]) -> NewsCandidates:
    """Discovery over the distinct stories of `rows`, each given a random day of 2004-2005."""
    rng = random.Random(7)
    first = dt.date(2004, 1, 1)
    articles = [
        Article(
            id=str(i),
            text=row["text"],
            raw=row["text"],
            source="bbc",
            title=row["title"],
            published=(first + dt.timedelta(days=rng.randrange(731))).isoformat(),
        )
        for i, row in enumerate(_distinct(rows))
    ]
    started = time.perf_counter()
    read = [(a, sentences(a.text)[:LEDE_SENTENCES]) for a in articles]
    encoded_ledes = encode_for_discovery([(a, lede) for a, lede in read if lede], encode)
    ledes = [Lede(a, *encoded_ledes[a.id]) for a in articles if a.id in encoded_ledes]
    encoded = time.perf_counter() - started
    links = repeats(ledes)
    found = candidates(links, {a.id: i for i, a in enumerate(articles)})
    return NewsCandidates(articles, links, found, encoded, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = measure(bbc_rows())
    articles, found, members = result.articles, result.candidates, result.members
    print(
        f"{len(articles):,} BBC stories, random dates in 2004-2005: "
        f"encoded in {result.encoded_seconds:.1f} s, all in {result.seconds:.1f} s"
    )
    pairs = len(articles) * (len(articles) - 1) // 2
    print(f"pairs that repeat one claim: {len(result.repeats):,} of {pairs:,}")
    print(
        f"candidates (false, all of them): {len(found)}, "
        f"holding {members} stories ({members / len(articles):.1%})"
    )
    for candidate in found[:SHOWN]:
        titles = "; ".join(articles[int(a)].title or "" for a in candidate.articles[:4])
        print(f"  {len(candidate.articles)} stories: {titles}")
    figures = {
        "stories": len(articles),
        "repeat_pairs": len(result.repeats),
        "candidates": len(found),
        "members": members,
        "first_candidates": [c.label for c in found[:SHOWN]],
    }
    save("discovery_news", figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
