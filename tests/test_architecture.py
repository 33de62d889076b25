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
    "atomic": 0,
    "datafiles": 0,
    # the data model and its loading
    "schema": 1,
    "validate": 2,
    "catalog": 2,
    "load": 3,
    # selections and derived tables
    "selection": 4,
    "panel": 5,
    "scoring": 6,
    "composition": 6,
    "comparison": 7,
    "events": 6,
    "narrative": 8,
    "gaps": 7,
    "coverage": 7,
    "profile": 5,
    # contributing: versions and revisions, scaffolding, the fact-level diff
    "release": 0,
    "scaffold": 3,
    "datadiff": 8,
}
PRODUCTS = [
    "figures",
    "explorer",
    "choropleth",
    "adoption_map",
    "deck",
    "deck_pages",
    "present",
    "record",
    "export",
    "codebook",
]
BUILD = ["buildlist", "provenance", "execute", "build", "site"]
CLI = ["cli", "commands", "__init__", "__main__"]
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


def _imports(name: str) -> set[str]:
    """Sibling modules ``name`` imports anywhere in its body (top level or inside functions)."""
    tree = ast.parse((SRC / f"{name}.py").read_text(encoding="utf-8"))
    out: set[str] = set()
    siblings = set(_modules())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                out.add(node.module.split(".")[0])
            elif node.level == 1:
                out.update(a.name for a in node.names if a.name in siblings)
            elif node.module and node.module.startswith("analysis."):
                out.add(node.module.split(".")[1])
            elif node.module == "analysis":
                out.update(a.name for a in node.names if a.name in siblings)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis."):
                    out.add(a.name.split(".")[1])
    return out - {name}


def test_every_module_has_a_layer() -> None:
    assert [m for m in _modules() if m not in LAYERS] == []


def test_no_module_imports_a_module_above_its_layer() -> None:
    wrong = [
        f"{m} (layer {LAYERS[m]}) imports {i} (layer {LAYERS.get(i)})"
        for m in _modules()
        for i in sorted(_imports(m))
        if i in LAYERS and m in LAYERS and LAYERS[i] > LAYERS[m]
    ]
    assert wrong == []


def test_import_graph_has_no_cycle() -> None:
    graph = {m: _imports(m) & set(_modules()) for m in _modules()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, stack: list[str]) -> bool:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle.extend([*stack[stack.index(n) :], n] if n in stack else [m, n])
                return True
            if state.get(n) is None and visit(n, [*stack, n]):
                return True
        state[m] = 2
        return False

    for m in graph:
        if state.get(m) is None and visit(m, [m]):
            break
    assert cycle == []


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
