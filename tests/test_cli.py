"""The narratrace command end to end, as a user runs it (a real process, a real database)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from tests.conftest import SEEDS

EXE = [sys.executable, "-m", "narratrace"]
# Enough rows that an ingest is still running when the tests interrupt it (about 20 s here).
ROWS_TO_INTERRUPT = 60_000


def run(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EXE, "--db", str(db), *args],
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_list_show_stats_on_the_seeds(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first = run("ingest", str(SEEDS), db=db)
    assert first.returncode == 0, first.stderr
    assert "5 new" in first.stderr
    again = run("ingest", str(SEEDS), db=db)
    assert "0 new, 5 already stored" in again.stderr
    listed = json.loads(run("list", "--json", db=db).stdout)
    assert len(listed) == 5
    for item in listed:
        assert {"id", "title", "outlet", "url", "published", "language", "text", "source"} <= set(item)
        assert item["language"] == "en"
    by_file = {Path(a["source"]).name[:3]: a for a in listed}
    assert by_file["002"]["published"] == "2021-03-01"
    shown = json.loads(run("show", by_file["001"]["id"], "--removed", "--json", db=db).stdout)
    assert any(r["reason"] == "comments" and "Akismet" in r["text"] for r in shown["removed"])
    assert shown["marks"][0]["reason"] == "embedded_post"
    table = run("show", by_file["000"]["id"][:8], "--removed", db=db)
    assert table.returncode == 0 and "chrome: cross-link" in table.stdout
    stats = json.loads(run("stats", "--json", db=db).stdout)
    assert stats["articles"] == 5 and stats["languages"] == {"en": 5}


def test_bad_input_is_one_line_each_and_exit_code_one(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("A story that is long enough to be stored as one article.")
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "rows.jsonl").write_text(
        '{"text": "Another story long enough to keep as well."}\n{oops\n'
    )
    result = run("ingest", str(tmp_path / "in"), db=tmp_path / "t.db")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert any("empty.txt: empty file" in e for e in errors)
    assert any("rows.jsonl:2: malformed JSON" in e for e in errors)
    assert "2 new" in result.stderr and "2 failed" in result.stderr


def test_stdin_and_field_mapping(tmp_path: Path) -> None:
    rows = b'{"story": "A story told only through standard input, long enough."}\n'
    result = run("ingest", "-", "--field", "text=story", db=tmp_path / "t.db", stdin=rows)
    assert result.returncode == 0, result.stderr
    assert json.loads(run("list", "--json", db=tmp_path / "t.db").stdout)[0]["source"] == "<stdin>:1"
    bad = run("ingest", "-", "--field", "txt=story", db=tmp_path / "t.db", stdin=rows)
    assert bad.returncode == 2 and "--field 'txt=story'" in bad.stderr


def large_export(tmp_path: Path) -> Path:
    """A JSONL export big enough that an ingest of it is still running when interrupted."""
    export = tmp_path / "big.jsonl"
    with export.open("w") as out:
        for i in range(ROWS_TO_INTERRUPT):
            out.write(
                json.dumps({"url": f"https://e.example/{i}", "text": f"Story number {i}. " * 30}) + "\n"
            )
    return export


def wait_for_rows(db: Path, count: int, timeout: float = 60) -> None:
    """Poll the database (as another reader would) until it holds `count` articles."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.05)
        try:
            with closing(sqlite3.connect(db)) as reader:
                if reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= count:
                    return
        except sqlite3.Error:
            continue


def test_a_killed_run_leaves_a_consistent_database_and_rerun_completes(tmp_path: Path) -> None:
    export = large_export(tmp_path)
    db = tmp_path / "t.db"
    process = subprocess.Popen(
        [*EXE, "--db", str(db), "ingest", str(export), "--workers", "1"], stderr=subprocess.DEVNULL
    )
    wait_for_rows(db, 512)  # some batches are committed: now kill hard
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = check.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    check.close()
    assert 0 < partial < ROWS_TO_INTERRUPT
    rerun = run("ingest", str(export), db=db)
    assert rerun.returncode == 0
    assert f"{ROWS_TO_INTERRUPT - partial:,} new" in rerun.stderr
    assert json.loads(run("stats", "--json", db=db).stdout)["articles"] == ROWS_TO_INTERRUPT


def test_ctrl_c_stops_cleanly_with_workers_and_rerun_completes(tmp_path: Path) -> None:
    export = large_export(tmp_path)
    db = tmp_path / "t.db"
    # a shell starts background jobs with Ctrl-C ignored, and children inherit that: undo it
    process = subprocess.Popen(
        [*EXE, "--db", str(db), "ingest", str(export), "--workers", "2"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_rows(db, 512)
    assert process.poll() is None, "the run ended before it could be interrupted; raise ROWS_TO_INTERRUPT"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rerun = run("ingest", str(export), db=db)
    assert rerun.returncode == 0
    assert json.loads(run("stats", "--json", db=db).stdout)["articles"] == ROWS_TO_INTERRUPT


def test_text_that_looks_like_terminal_markup_is_shown_as_it_is(tmp_path: Path) -> None:
    """Titles, outlets, text and catalogue entries come from untrusted input: "[/update]" is an
    unmatched closing tag to the terminal's markup, which stopped `list` with a traceback."""
    db = tmp_path / "m.db"
    text = (
        "US helicopters evacuated ISIS commanders from Deir ez-Zor, [/sources] said on Monday. "
        "The operation lasted an hour, according to [bold]residents[/bold] of the area."
    )
    rows = [
        {"title": "Breaking [/update] helicopters evacuate ISIS", "outlet": "[/x] Wire", "text": text},
        {"title": "Copy [/update] helicopters evacuate ISIS", "outlet": "Other [red]", "text": text},
    ]
    articles = tmp_path / "m.jsonl"
    articles.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    catalogue = tmp_path / "c.csv"
    catalogue.write_text(
        "id,date,title,summary,disproof,outlets,countries,url\n"
        'X-[/1],2017-11-14,US helicopters [/evacuate] ISIS,"US helicopters evacuate ISIS commanders '
        'from Deir ez-Zor.",None.,[/o],Syria,https://example.org/x\n',
        encoding="utf-8",
    )
    assert run("catalogue", "import", str(catalogue), db=db).returncode == 0
    assert run("ingest", str(articles), db=db).returncode == 0
    article_id = json.loads(run("list", "--json", db=db).stdout)[0]["id"]
    for args in (
        ["list"],
        ["show", article_id, "--removed"],
        ["stats"],
        ["reuse"],
        ["families"],
        ["narratives", "--discover"],
        ["catalogue", "list"],
        ["match", "--text", "[/q] US helicopters evacuate ISIS commanders from Deir ez-Zor"],
        ["claims"],
        ["sources"],
        ["analyze", str(articles), "--report", str(tmp_path / "r.html")],
    ):
        done = run(*args, db=db)
        assert done.returncode == 0, (args, done.stderr[-600:])
        assert "Traceback" not in done.stderr
    assert "[/update]" in run("list", db=db).stdout
    assert "[/x] Wire" in run("show", article_id, db=db).stdout
    assert "[/evacuate]" in run("catalogue", "list", db=db).stdout


def test_show_an_id_no_article_can_have_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "s.db"), "show", "\U0010ffff"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr and "no article" in done.stderr


def test_stats_counts_the_catalogue_and_names_no_outlet_question_mark(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "narratrace", "--db", str(tmp_path / "s.db")]
    catalogue = Path(__file__).parent / "narratives" / "fixtures" / "euvsdisinfo.csv"
    subprocess.run([*run, "catalogue", "import", str(catalogue)], check=True, capture_output=True)
    subprocess.run([*run, "ingest", str(SEEDS)], check=True, capture_output=True)
    figures = json.loads(subprocess.run([*run, "stats", "--json"], capture_output=True, check=True).stdout)
    assert "?" not in figures["by_outlet"] and figures["unknown_outlet"] >= 0
    assert figures["catalogue_entries"] == figures["catalogue_claims"] > 0
    said = subprocess.run([*run, "narratives", "--discover"], capture_output=True, text=True)
    assert "Discovery: 0 candidate narrative(s)" in said.stderr


def test_the_analysis_summary_lists_each_narratives_debunks() -> None:
    """Not only "1 debunks": which fact-check, by outlet, date and headline."""
    from rich.console import Console

    from narratrace.cli.tables import analysis_summary
    from narratrace.model import Article, Narrative

    check = Article(
        id="f" * 16,
        text="Claims that US helicopters evacuated ISIS members are false.",
        raw="",
        source="checks.jsonl:1",
        outlet="FactCheck Desk",
        title="Fact check: no evidence US helicopters evacuated ISIS fighters",
        published="2022-02-03",
    )
    narrative = Narrative("catalogue:EVD-0001", "US helicopters evacuate ISIS members", [], ["EVD-0001"])
    narrative.debunks.append(check.id)
    stats = {"articles": 1, "outlets": 1, "first_published": None, "last_published": None}
    console = Console(width=200, record=True)
    console.print(analysis_summary(stats, [], [narrative], {check.id: check}))
    shown = console.export_text()
    assert (
        "its debunks" in shown
        and "FactCheck Desk 2022-02-03: Fact check: no evidence US helicopters" in shown
    )
