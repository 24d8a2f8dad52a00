"""How sentences are split in each language of ../shared/corpus/realnews, beside another revision.

For each language: articles, sentences per article, sentences over 400 characters, and
terminators left inside a sentence (。！？؟ followed by more text: a boundary missed). The
other revision's `sentences.py` is read from git (default: the commit before sentencex).

    python -m bench.studies.sentence_split [--base REV]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.common import REPO, SHARED, save
from narratrace.sentences import sentences

REALNEWS = SHARED / "corpus" / "realnews" / "articles.jsonl"
LONG = 400
INNER_TERMINATOR = re.compile(r"[。！？؟](?=\s*\S)")
BASE = "91d4c7d"  # the last commit that split by the hand-written rule


def _revision_splitter(revision: str) -> Callable[[str], list[str]]:
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:src/narratrace/sentences.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_sentences.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_sentences", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    splitter: Callable[[str], list[str]] = module.sentences
    return splitter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the revision to compare with")
    args = parser.parse_args()
    if not REALNEWS.exists():
        sys.exit(f"skipped: the realnews corpus is not at {REALNEWS}")
    rows = [json.loads(line) for line in REALNEWS.open()]
    old = _revision_splitter(args.base)
    splitters: dict[str, Callable[[str, str], list[str]]] = {
        args.base: lambda text, _language: old(text),
        "now": lambda text, language: sentences(text, language),
    }
    result: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    print(f"{'language':8} {'articles':>8}  " + "  ".join(f"{n:>30}" for n in splitters))
    print(f"{'':8} {'':>8}  " + "  ".join(f"{'per article  >400 ch  inner stop':>30}" for _ in splitters))
    by_language: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_language[row["language"]].append(row)
    for language, group in sorted(by_language.items(), key=lambda kv: -len(kv[1])):
        cells = []
        for name, split in splitters.items():
            found = [split(row["text"], language) for row in group]
            flat = [s for sentences_of in found for s in sentences_of]
            figures = {
                "per_article": len(flat) / len(group),
                "long": sum(len(s) > LONG for s in flat),
                "inner_terminators": sum(len(INNER_TERMINATOR.findall(s)) for s in flat),
            }
            result[language][name] = figures
            cells.append(
                f"{figures['per_article']:11.1f} {figures['long']:8} {figures['inner_terminators']:11}"
            )
        print(f"{language:8} {len(group):8}  " + "  ".join(f"{c:>30}" for c in cells))
    print(f"saved to {save('sentence_split', {'base': args.base, 'languages': result})}")


if __name__ == "__main__":
    main()
