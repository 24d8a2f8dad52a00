"""The alias table: one canonical name per entity, whatever the spelling or language.

narratrace ships `data/aliases.csv` (columns `canonical, type, aliases`, aliases separated by `|`);
users add rows of their own with `narratrace aliases import FILE`, which are kept in the store and
take precedence. Matching is case-sensitive, because the short forms that matter most are
acronyms ("IS", "US", "SDF") that would otherwise match ordinary words.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from narratrace.errors import InputError
from narratrace.model import AliasRow, Mention

ENTITY_TYPES = ("person", "organisation", "outlet", "place")
COLUMNS = ("canonical", "type", "aliases")
# a letter, digit or joining mark on either side means the alias is part of a longer word
WORD_EDGE_BEFORE = r"(?<![\w'’-])"
WORD_EDGE_AFTER = r"(?![\w-]|['’]\w)"
SEARCH_MIN_CHARS = 3


class AliasTable:
    """Finds every known entity in a text in one regex pass, longest alias first."""

    def __init__(self, rows: Iterable[AliasRow]) -> None:
        self._by_alias: dict[str, tuple[str, str]] = {}
        for row in rows:  # later rows (the user's) override earlier ones (shipped)
            for alias in (row.canonical, *row.aliases):
                for variant in _variants(alias):
                    self._by_alias[variant] = (row.canonical, row.type)
        alternatives = sorted(self._by_alias, key=len, reverse=True)
        # a space in an alias matches any run of whitespace (articles carry no-break spaces)
        body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alternatives) or r"(?!x)x"
        self._pattern = re.compile(f"{WORD_EDGE_BEFORE}(?:{body}){WORD_EDGE_AFTER}")
        self._search: re.Pattern[str] | None = None  # built on the first search (spellings)
        self._spellings: dict[str, list[str]] = {}
        self._by_folded: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._by_alias)

    def find(self, text: str) -> list[Mention]:
        return [
            Mention(m.start(), m.end(), m.group(0), *self._by_alias[" ".join(m.group(0).split())])
            for m in self._pattern.finditer(text)
        ]

    def lookup(self, name: str) -> tuple[str, str] | None:
        """(canonical, type) of a name written exactly as one of the aliases, else None."""
        return self._by_alias.get(name.strip())

    def spellings(self, query: str) -> list[tuple[int, int, list[str]]]:
        """The entities a search query names, however it spells them (case aside, as people type
        queries): (start, end, every spelling of the entity) per name found, longest first. Only
        spellings of SEARCH_MIN_CHARS or more are searched for: "IS" and "US" would find every
        "is" and "us" to a search engine that ignores case."""
        if self._search is None:
            spellings: dict[str, set[str]] = {}
            for alias, (canonical, _) in self._by_alias.items():
                spellings.setdefault(canonical, set()).add(alias)
            self._spellings = {
                canonical: sorted({a for a in found if len(a) >= SEARCH_MIN_CHARS}, key=str.casefold)
                for canonical, found in spellings.items()
            }
            self._by_folded = {
                a.casefold(): canonical
                for a, (canonical, _) in self._by_alias.items()
                if len(a) >= SEARCH_MIN_CHARS
            }
            body = "|".join(
                re.escape(a).replace(r"\ ", r"\s+") for a in sorted(self._by_folded, key=len, reverse=True)
            )
            self._search = re.compile(
                f"{WORD_EDGE_BEFORE}(?:{body or '(?!x)x'}){WORD_EDGE_AFTER}", re.IGNORECASE
            )
        return [
            (m.start(), m.end(), self._spellings[self._by_folded[" ".join(m.group(0).casefold().split())]])
            for m in self._search.finditer(query)
        ]


def _variants(alias: str) -> Iterator[str]:
    alias = alias.strip()
    if not alias:
        return
    yield alias
    if alias.startswith("the "):
        yield "The " + alias[4:]
    if "'" in alias:
        yield alias.replace("'", "’")


def shipped_rows() -> list[AliasRow]:
    text = resources.files("narratrace").joinpath("data/aliases.csv").read_text(encoding="utf-8")
    rows = []
    for row in read_rows(text.splitlines(), "aliases.csv"):
        if isinstance(row, InputError):  # the shipped table is tested; this would be a packaging bug
            raise row
        rows.append(row)
    return rows


def read_rows(lines: Iterable[str], source: str) -> Iterator[AliasRow | InputError]:
    """Rows of an alias CSV; a bad row yields an InputError naming its line, the rest still load."""
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        yield InputError(source, f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        return
    for number, record in enumerate(reader, start=2):
        canonical = (record.get("canonical") or "").strip()
        kind = (record.get("type") or "").strip().lower()
        if not canonical:
            yield InputError(f"{source}:{number}", "empty 'canonical'")
        elif kind not in ENTITY_TYPES:
            yield InputError(f"{source}:{number}", f"type {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
        else:
            aliases = tuple(a.strip() for a in (record.get("aliases") or "").split("|") if a.strip())
            yield AliasRow(canonical, kind, aliases)


def read_file(path: Path) -> Iterator[AliasRow | InputError]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(str(path), f"cannot read: {exc}")
        return
    yield from read_rows(text.splitlines(), str(path))
