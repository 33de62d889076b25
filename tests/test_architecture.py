"""The shape of the library: layers, no import cycles, and a core that never pulls in plotting or Jupyter.

Each module of ``src/analysis`` belongs to one layer. A module may import modules of its own layer
or of layers below it, never above:

    core  <  products (views, maps, deck, writers)  <  build  <  cli

A new module must be added to :data:`LAYERS` (the test fails until it is), so that its place in
the architecture is a decision, not an accident.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"

LAYERS: dict[str, int] = {}
CORE = {
    # vocabulary, paths and errors
    "errors": 0,
    "paths": 0,
    "vocab": 0,
    "clock": 0,
    "values": 1,
    "atomic": 0,
    "datafiles": 0,
    # the data model and its loading
    "schema": 1,
    "schema_examples": 2,
    "validate": 2,
    "research_log": 2,
    "data_warnings": 3,
    "fieldtypes": 1,
    "catalog": 2,
    "load": 3,
    # selections and derived tables
    "selection": 4,
    "panel": 5,
    "scoring": 6,
    "applicability": 4,
    "stock": 7,
    "robustness": 7,
    "quality": 7,
    "composition": 6,
    "present": 4,
    "narrative": 5,
    "comparison": 7,
    "events": 8,
    "gaps": 7,
    "method": 7,
    "coverage": 7,
    "profile": 5,
    # generic statistics; neighbours as data beside the boundaries
    "stats": 1,
    "borders": 1,
    # issues 13 and 20: why did some jurisdictions succeed?
    "drivers_timing": 6,
    "drivers_model": 7,
    "drivers_cases": 7,
    "drivers_tracing": 8,
    "drivers": 8,
    # contributing: versions and revisions, scaffolding, the fact-level diff
    "release": 0,
    "scaffold": 3,
    "datadiff": 8,
}
PRODUCTS = [
    "drivers_figures",
    "figures",
    "explorer",
    "interactive",
    "choropleth",
    "adoption_map",
    "deck",
    "deck_pages",
    "deck_pptx",
    "record",
    "export",
    "codebook",
    "pages",
    "importer",
]
BUILD = ["buildlist", "provenance", "execute", "build", "site"]
CLI = ["cli", "commands", "cliargs", "__init__", "__main__"]
LAYERS.update(CORE)
LAYERS.update(dict.fromkeys(PRODUCTS, 10))
LAYERS.update(dict.fromkeys(BUILD, 20))
LAYERS.update(dict.fromkeys(CLI, 30))

#: Modules a core module must never import, even lazily.
HEAVY_UI = (
    "matplotlib",
    "ipywidgets",
    "IPython",
    "nbformat",
    "nbconvert",
    "papermill",
    "geopandas",
)


def _modules() -> list[str]:
    return sorted(p.stem for p in SRC.glob("*.py"))


def _imports(path: Path) -> set[str]:
    """Sibling modules ``path`` imports anywhere (top level or inside functions; typing-only
    imports under ``if TYPE_CHECKING:`` aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
        for n in ast.walk(node)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                out.update(
                    [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                )
            elif node.module and node.module.split(".")[0] == "analysis":
                parts = node.module.split(".")
                out.update(parts[1:2] if len(parts) > 1 else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("analysis."))
    return out - {path.stem}


def _graph() -> dict[str, set[str]]:
    modules = set(_modules())
    return {m: _imports(SRC / f"{m}.py") & modules for m in modules}


def test_the_import_reader_is_not_blind(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text(
        "from . import maps\nfrom .deck import x\nfrom analysis.events import y\n"
        "import analysis.panel\ndef f():\n    from .figures import z\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .explorer import E\n"
    )
    assert _imports(f) == {"maps", "deck", "events", "panel", "figures"}


def test_every_module_has_a_layer() -> None:
    assert [m for m in _modules() if m not in LAYERS] == []


def test_no_module_imports_a_module_above_its_layer() -> None:
    graph = _graph()
    wrong = [
        f"{m} (layer {LAYERS[m]}) imports {i} (layer {LAYERS[i]})"
        for m in sorted(graph)
        for i in sorted(graph[m])
        if m in LAYERS and i in LAYERS and LAYERS[i] > LAYERS[m]
    ]
    assert wrong == []


def test_only_the_deck_commands_import_the_deck() -> None:
    """A notebook view never imports the PDF deck (the deck reuses the views, not the reverse)."""
    graph = _graph()
    users = {m for m, deps in graph.items() if deps & {"deck", "deck_pages", "deck_pptx"}}
    assert users <= {"deck", "deck_pages", "deck_pptx", "commands"}


def test_import_graph_has_no_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def _loaded_ui(module: str) -> list[str]:
    code = (
        f"import sys, analysis.{module}; print(sorted(m for m in {HEAVY_UI!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m.strip("'\" ") for m in out.stdout.strip()[1:-1].split(",") if m.strip()]


@pytest.mark.slow
def test_core_modules_import_no_plotting_or_jupyter() -> None:
    core = [m for m in _modules() if m in CORE]
    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        loaded = dict(zip(core, pool.map(_loaded_ui, core), strict=True))
    assert {m: ui for m, ui in loaded.items() if ui} == {}


def test_no_module_imports_another_modules_private_names() -> None:
    """Across modules only public names travel: ``from .panel import _v`` would make a private
    helper a second home of its rule (``import x as _x`` aliases of public names are fine)."""
    import ast

    offenders = []
    for path in sorted(SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                offenders += [
                    f"{path.stem} imports {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and a.name != "__version__"
                ]
    assert offenders == []
