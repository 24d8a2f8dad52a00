"""A planted text-reuse benchmark built from the BBC corpus, with its ground truth.

From 2,225 real BBC articles (../shared/corpus/bbc), deterministically:
- full copies: a new prefix, 2-8 % of words edited, and a reader comment section appended;
- partial copies: 30-70 % of a source (whole sentences, in order) inside another article;
- shared passages: 2-3 consecutive sentences of one article inserted into an unrelated one;
- every other article untouched.
Each planted article replaces its host, so a true pair is (source, planted article). The BBC
set already holds near-duplicate stories and shared quotes. Articles that share three or more
6-word runs with another are never planted into; and any pair of benchmark articles whose
original BBC text shares a 6-word run (found independently of narratrace, prefixes and
comment sections left out) is left unjudged, counted neither right nor wrong.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BBC

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
PREFIXES = [
    "Breaking:",
    "Republished from our partners:",
    "Via wire services:",
    "Readers sent us this report.",
    "From our news desk:",
    "EXCLUSIVE REPOST",
    "As reported today:",
    "This story first ran elsewhere.",
]
COMMENTS = [
    "Great article, thanks for sharing this with us.",
    "I don't believe a word of it, the media never tells the truth.",
    "Google pays $95 per hour for simple work from home tasks, see http://cash-jobs.example/start",
    "Who funds these people? Follow the money.",
    "Shared on my page, everyone needs to read this!!!",
]


@dataclass(slots=True)
class Truth:
    source: str
    copy: str
    kind: str  # copy | partial | shared_passage
    passage: str  # the source text planted into the copy (before edits)


@dataclass(slots=True)
class Planted:
    articles: list[dict[str, str]] = field(default_factory=list)  # id, url, title, text, published
    truths: list[Truth] = field(default_factory=list)
    unjudged: set[tuple[str, str]] = field(default_factory=set)  # pairs already sharing text


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(" ".join(text.split())) if s.strip()]


def _six_grams(text: str) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {hash(tuple(words[i : i + 6])) for i in range(len(words) - 5)}


def natural_overlaps(rows: list[dict[str, str]]) -> dict[tuple[str, str], int]:
    """Pairs of BBC articles sharing 6-word runs, with how many they share."""
    postings: dict[int, list[str]] = {}
    for row in rows:
        for gram in _six_grams(row["text"]):
            postings.setdefault(gram, []).append(row["id"])
    hits: dict[tuple[str, str], int] = {}
    for ids in postings.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                key = (min(a, b), max(a, b))
                hits[key] = hits.get(key, 0) + 1
    return hits


def _edit(words: list[str], share: float, rng: random.Random, vocabulary: list[str]) -> list[str]:
    out = list(words)
    for _ in range(max(1, round(len(words) * share))):
        i = rng.randrange(len(out))
        action = rng.random()
        if action < 0.5:
            out[i] = rng.choice(vocabulary)
        elif action < 0.75 and len(out) > 10:
            del out[i]
        else:
            out.insert(i, rng.choice(vocabulary))
    return out


def build(rows: list[dict[str, str]], *, n_each: int = 150, seed: int = 7) -> Planted:
    rng = random.Random(seed)
    natural = natural_overlaps(rows)
    overlapping = {x for pair, shared in natural.items() if shared >= 3 for x in pair}
    pool = [r for r in rows if r["id"] not in overlapping and len(sentences(r["text"])) >= 8]
    rng.shuffle(pool)
    planted = Planted()
    core: dict[str, str] = {}  # benchmark id -> its text without planted prefix and comments
    vocabulary = sorted({w for r in pool[:200] for w in r["text"].split() if w.isalpha()})
    take = iter(pool)
    articles: dict[str, dict[str, str]] = {}
    absorbed: set[str] = set()  # articles whose text went into a planted one

    def add(row: dict[str, str], text: str, day: int) -> str:
        articles[row["id"]] = {
            "id": row["id"],
            "url": f"https://bbc.example/2005/{day:03d}/{row['id']}",
            "title": row["title"],
            "text": text,
            "published": f"2005-{1 + day // 28:02d}-{1 + day % 28:02d}",
        }
        return row["id"]

    for _ in range(n_each):  # full copies
        source, host = next(take), next(take)
        add(source, source["text"], rng.randrange(0, 150))
        words = _edit(" ".join(source["text"].split()).split(" "), rng.uniform(0.02, 0.08), rng, vocabulary)
        comments = "\n".join(f"  {i + 1}. {c}" for i, c in enumerate(rng.sample(COMMENTS, 3)))
        form = "Leave a Reply\n\nYour email address will not be published."
        text = f"{rng.choice(PREFIXES)}\n\n{' '.join(words)}\n\n{comments}\n\n{form}"
        copy_row = {**host, "id": host["id"] + "-copy", "title": source["title"]}
        add(copy_row, text, 160 + rng.randrange(0, 150))
        core[copy_row["id"]] = " ".join(words)
        planted.truths.append(Truth(source["id"], copy_row["id"], "copy", source["text"]))

    for _ in range(n_each):  # partial copies
        source, host = next(take), next(take)
        add(source, source["text"], rng.randrange(0, 150))
        parts = sentences(source["text"])
        size = max(2, round(len(parts) * rng.uniform(0.3, 0.7)))
        start = rng.randrange(0, len(parts) - size + 1)
        excerpt = " ".join(parts[start : start + size])
        host_parts = sentences(host["text"])
        while len(" ".join(host_parts)) < len(excerpt):  # the host keeps at least as much of its own
            extra = next(take)
            absorbed.add(extra["id"])
            host_parts += sentences(extra["text"])
        cut = rng.randrange(1, len(host_parts))
        text = " ".join(host_parts[:cut]) + "\n\n" + excerpt + "\n\n" + " ".join(host_parts[cut:])
        add({**host, "id": host["id"] + "-partial"}, text, 160 + rng.randrange(0, 150))
        planted.truths.append(Truth(source["id"], host["id"] + "-partial", "partial", excerpt))

    for _ in range(n_each):  # shared passages
        donor, host = next(take), next(take)
        add(donor, donor["text"], rng.randrange(0, 150))
        parts = sentences(donor["text"])
        size = rng.choice((2, 3))
        start = rng.randrange(0, len(parts) - size + 1)
        passage = " ".join(parts[start : start + size])
        host_parts = sentences(host["text"])
        cut = rng.randrange(1, len(host_parts))
        text = " ".join(host_parts[:cut]) + " " + passage + " " + " ".join(host_parts[cut:])
        add({**host, "id": host["id"] + "-passage"}, text, 160 + rng.randrange(0, 150))
        planted.truths.append(Truth(donor["id"], host["id"] + "-passage", "shared_passage", passage))

    used = set(articles) | absorbed | {t.copy.rsplit("-", 1)[0] for t in planted.truths}
    for row in rows:  # untouched: the rest of the pool and every naturally overlapping article
        if row["id"] not in used and row["id"] not in articles:
            add(row, row["text"], rng.randrange(0, 300))
    planted.articles = list(articles.values())
    texts = [{"id": a["id"], "text": core.get(a["id"], a["text"])} for a in planted.articles]
    truth = {tuple(sorted((t.source, t.copy))) for t in planted.truths}
    planted.unjudged = {pair for pair in natural_overlaps(texts) if pair not in truth}
    return planted


def load_bbc(path: Path = BBC) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.open()]


def _sentence_index(text: str, position: int) -> int:
    return sum(1 for m in SENTENCE.finditer(text) if m.start() < position)


def evaluate(
    planted: Planted, found: Sequence[tuple[str, str, str, list[tuple[int, int]]]], texts: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Precision, recall and boundary accuracy per kind.

    `found` holds (id, id, kind, passage spans in the second id's text) per reported pair; ids
    are the benchmark's, in either order."""
    truth = {tuple(sorted((t.source, t.copy))): t for t in planted.truths}
    by_pair = {tuple(sorted((a, b))): (a, b, kind, spans) for a, b, kind, spans in found}
    scores: dict[str, dict[str, float]] = {}
    for kind in ("copy", "partial", "shared_passage"):
        wanted = {k for k, t in truth.items() if t.kind == kind}
        reported = {k for k, v in by_pair.items() if v[2] == kind and k not in planted.unjudged}
        hits = wanted & reported
        boundary_ok = boundary_total = 0
        for key in wanted & set(by_pair):
            if kind == "copy":
                continue
            t = truth[key]
            _, b, _, spans = by_pair[key]
            copy_text = texts[t.copy]
            spans_in_copy = spans if b == t.copy else None
            if spans_in_copy is None or not spans_in_copy:
                continue
            start = copy_text.find(t.passage[:60])
            end = copy_text.find(t.passage[-60:]) + min(60, len(t.passage))
            if start < 0 or end < 0:
                continue
            boundary_total += 1
            found_start = min(s for s, _ in spans_in_copy)
            found_end = max(e for _, e in spans_in_copy)
            ok_start = abs(_sentence_index(copy_text, found_start) - _sentence_index(copy_text, start)) <= 1
            ok_end = abs(_sentence_index(copy_text, found_end) - _sentence_index(copy_text, end)) <= 1
            boundary_ok += ok_start and ok_end
        scores[kind] = {
            "truth": len(wanted),
            "reported": len(reported),
            "correct": len(hits),
            "precision": len(hits) / len(reported) if reported else 1.0,
            "recall": len(hits) / len(wanted) if wanted else 1.0,
            "found_any_kind": len(wanted & set(by_pair)) / len(wanted) if wanted else 1.0,
            "boundaries_within_one_sentence": boundary_ok / boundary_total if boundary_total else 1.0,
        }
    false = [k for k in by_pair if k not in truth and k not in planted.unjudged]
    scores["all"] = {
        "false_pairs": len(false),
        "unjudged_reported": sum(k in planted.unjudged for k in by_pair),
    }
    return scores
