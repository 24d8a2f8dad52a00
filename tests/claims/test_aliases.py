"""The alias table: every spelling of an entity maps to one canonical name."""

from __future__ import annotations

from pathlib import Path

import pytest

from narratrace.aliases import AliasTable, read_file, shipped_rows
from narratrace.errors import InputError
from narratrace.model import AliasRow

SAME_ENTITY = [
    ("Daesh", "ISIS", "ISIL", "IS", "Islamic State", "داعش"),
    ("Deir ez-Zor", "Dayr al-Zawr", "Deir Ezzor"),
    ("al-Hasakah", "Hasakah", "Hasaka"),
    ("al-Shaddadi", "al-Shadadi"),
    ("SDF", "Syrian Democratic Forces"),
    ("Ghwayran", "al-Sina'a prison", "al-Sina’a prison"),
]


@pytest.fixture(scope="module")
def table() -> AliasTable:
    return AliasTable(shipped_rows())


@pytest.mark.parametrize("spellings", SAME_ENTITY, ids=[s[0] for s in SAME_ENTITY])
def test_spellings_share_one_canonical_name(table: AliasTable, spellings: tuple[str, ...]) -> None:
    names = set()
    for spelling in spellings:
        found = table.find(f"Reports from {spelling} said so.")
        assert [m.text for m in found] == [spelling], spelling
        names.add(found[0].canonical)
    assert len(names) == 1, names


def test_acronyms_match_case_sensitively_and_whole_words(table: AliasTable) -> None:
    assert [m.canonical for m in table.find("It is what IS claims.")] == ["Islamic State"]
    assert table.find("This island is the US-led zone") == []  # "is", "US-led" are not entities


def test_no_break_spaces_do_not_hide_an_alias(table: AliasTable) -> None:
    assert [m.canonical for m in table.find("the Syrian\u00a0Democratic\u00a0Forces")] == [
        "Syrian Democratic Forces"
    ]


def test_user_rows_extend_and_override_the_shipped_table() -> None:
    table = AliasTable(
        [*shipped_rows(), AliasRow("Islamic State Khorasan", "organisation", ("ISIS-K", "IS-K"))]
    )
    assert [m.canonical for m in table.find("ISIS-K claimed it")] == ["Islamic State Khorasan"]
    override = AliasTable([*shipped_rows(), AliasRow("Daesh (IS)", "organisation", ("Daesh",))])
    assert [m.canonical for m in override.find("Daesh fighters")] == ["Daesh (IS)"]


def test_a_bad_row_names_its_line_and_the_rest_still_load(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("canonical,type,aliases\nAleppo,place,Halab\n,place,x\nBad,planet,y\nIdlib,place,Idleb\n")
    items = list(read_file(path))
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [
        f"{path}:3: empty 'canonical'",
        f"{path}:4: type 'planet' is not one of person, organisation, outlet, place",
    ]
    assert [i.canonical for i in items if isinstance(i, AliasRow)] == ["Aleppo", "Idlib"]


def test_a_file_without_the_columns_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("name,kind\nAleppo,place\n")
    (error,) = read_file(path)
    assert isinstance(error, InputError)
    assert "missing column(s) canonical, type, aliases" in str(error)
