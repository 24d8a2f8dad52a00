"""`claims`, `sources` and `aliases` as a user runs them (a real process, a real database)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS
from tests.web.conftest import CATALOGUE

EXE = [sys.executable, "-m", "narratrace"]


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXE, "--db", str(db), *args], capture_output=True, text=True, timeout=300)


def test_claims_sources_and_aliases_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert run(db, "catalogue", "import", str(CATALOGUE)).returncode == 0
    assert run(db, "ingest", str(SEEDS)).returncode == 0
    every = json.loads(run(db, "claims", "--json").stdout)
    assert len(every) == 5
    claim = every[0]["claims"][0]
    assert set(claim) >= {"text", "start", "end", "citations"}
    assert set(claim["citations"][0]) >= {"source", "kind", "via"}
    first = every[0]["article"]
    one = json.loads(run(db, "claims", first[:8], "--json").stdout)
    assert [a["article"] for a in one] == [first]
    assert run(db, "claims", "nosuchid").returncode == 1
    (summary,) = json.loads(run(db, "sources", "--json").stdout)
    assert summary["named_eyewitnesses"] == 0 and summary["anonymous_or_unsourced_share"] > 0.5
    only = json.loads(run(db, "sources", "--narrative", summary["narrative"], "--json").stdout)
    assert only == [summary]
    table = run(db, "sources")
    assert table.returncode == 0 and "local sources" in table.stdout


def test_alias_import_reports_bad_rows_and_keeps_the_good_ones(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("canonical,type,aliases\nAleppo,place,Halab\nBad,planet,x\n")
    done = run(db, "aliases", "import", str(aliases))
    assert done.returncode == 1
    assert f"{aliases}:3: type 'planet'" in done.stderr
    listed = json.loads(run(db, "aliases", "list", "--json").stdout)
    assert {"canonical": "Aleppo", "type": "place", "aliases": ["Halab"], "origin": "user"} in listed
    assert any(r["canonical"] == "Islamic State" and r["origin"] == "shipped" for r in listed)
