"""The layers contract: imports run one way, from views down to the records; views do not import
each other (export and report hold what they share).

    records (model, errors, settings) <- sentences, aliases <- store <- ingest <- reuse <- claims
        <- narratives <- engine <- views

An analysis may read the analyses before it (narratives read reuse's copy families), never one
after it, and nothing below the views imports a view. `make lint` runs this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "narratrace"
RANKS = {
    "model": 0, "errors": 0, "settings": 0, "__init__": 0,
    "sentences": 1, "aliases": 1,
    "store": 2,
    "ingest": 3,
    "reuse": 4,
    "claims": 5,
    "narratives": 6,
    "engine": 7,
    "cli": 8, "export": 8, "report": 8, "web": 8,
    "__main__": 8,
}  # fmt: skip


def _rank(module: str) -> int:
    parts = module.split(".")
    return RANKS[parts[1]] if len(parts) > 1 else 0


def _imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("narratrace"):
            found += (
                [node.module] if node.module != "narratrace" else [f"narratrace.{a.name}" for a in node.names]
            )
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("narratrace")]
    return found


def test_every_layer_is_ranked() -> None:
    layers = {p.stem if p.is_file() else p.name for p in SOURCE.iterdir() if p.suffix == ".py" or p.is_dir()}
    assert layers - {"data", "__pycache__", "py"} <= set(RANKS), layers - set(RANKS)


def test_imports_run_one_way() -> None:
    upward = []
    for path in sorted(SOURCE.rglob("*.py")):
        module = "narratrace." + ".".join(path.relative_to(SOURCE).with_suffix("").parts)
        for imported in _imports(path):
            if _rank(imported) > _rank(module):
                upward.append(f"{module} imports {imported}")
    assert not upward, "\n".join(upward)


# What each view may import of the others: the CLI starts the web app (`serve`) and writes the
# report; the web app draws with the report's drawings; every view turns records into dicts
# through export. Nothing else crosses, so the web app never borrows the CLI's tables.
VIEWS_MAY_IMPORT = {
    "cli": {"web", "report", "export"},
    "web": {"report", "export"},
    "report": {"export"},
    "export": set(),
}


def test_views_share_rows_and_drawings_only() -> None:
    crossing = []
    for path in sorted(SOURCE.rglob("*.py")):
        own = path.relative_to(SOURCE).parts[0].removesuffix(".py")
        if own not in VIEWS_MAY_IMPORT:
            continue
        for imported in _imports(path):
            layer = imported.split(".")[1] if "." in imported else ""
            if layer in VIEWS_MAY_IMPORT and layer != own and layer not in VIEWS_MAY_IMPORT[own]:
                crossing.append(f"{own}: imports {imported}")
    assert not crossing, "\n".join(crossing)


def test_tests_import_nothing_from_bench() -> None:
    """Gates run the bench scripts as a user runs them (tests.conftest.run_bench) and read the
    figures they write; they never call into bench/ code."""
    tests = Path(__file__).parent
    found = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if isinstance(node, ast.Import) else []
            )  # fmt: skip
            found += [f"{path.relative_to(tests)}: {n}" for n in names if n.split(".")[0] == "bench"]
    assert not found, "\n".join(found)


def test_the_web_app_holds_no_sql() -> None:
    """The web app asks the store and the analyses' services; its modules run no query."""
    web = SOURCE / "web"
    found = [p.name for p in web.glob("*.py") if ".execute(" in p.read_text(encoding="utf-8")]
    assert not found, found
