"""The shape of the library: layers you can see in the folders, no import cycles, and a core that
never pulls in plotting or Jupyter.

Each module of ``src/analysis`` lives in one layer sub-package; :data:`analysis.LAYERS` lists
them bottom first:

    model  <  measures  <  products (views, maps, deck, writers)  <  build  <  cli

A module may import modules of its own layer or of layers below it, never above. A module's place
in the architecture is its folder: a new module is placed, not registered.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import subprocess
import sys
from pathlib import Path

import pytest
from importgraph import SRC, graph, imports, layer, modules

from analysis import LAYERS

#: The layers that must stay free of plotting and Jupyter (the core).
CORE_LAYERS = ("model", "measures")

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


def test_the_import_reader_is_not_blind(tmp_path: Path) -> None:
    f = tmp_path / "probe.py"
    known = {
        "measures.maps",
        "products.deck",
        "measures.events",
        "measures.panel",
        "products.figures",
    }
    f.write_text(
        "from . import maps\nfrom ..products.deck import x\nfrom analysis.measures.events import y\n"
        "import analysis.measures.panel\ndef f():\n    from analysis.products import figures\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .explorer import E\n"
    )
    assert imports(f, known, package=["measures"]) == known


def test_every_module_sits_in_a_layer_folder() -> None:
    stray = sorted(p.name for p in SRC.glob("*.py") if p.name != "__init__.py")
    assert stray == [], "a module must live in one of the layer folders " + ", ".join(LAYERS)
    assert sorted({layer(m) for m in modules()}) == sorted(LAYERS)
    assert all((SRC / layer / "__init__.py").is_file() for layer in LAYERS)


def test_no_module_imports_a_module_above_its_layer() -> None:
    rank = {name: i for i, name in enumerate(LAYERS)}
    edges = graph()
    wrong = [
        f"{m} imports {i}"
        for m in sorted(edges)
        for i in sorted(edges[m])
        if rank[layer(i)] > rank[layer(m)]
    ]
    assert wrong == []


def test_only_the_deck_commands_import_the_deck() -> None:
    """A notebook view never imports the PDF deck (the deck reuses the views, not the reverse)."""
    edges = graph()
    deck = {m for m in edges if m == "products.deck" or m.startswith("products.deck_")}
    assert {"products.deck", "products.deck_slide", "products.deck_pptx"} <= deck
    users = {m for m, deps in edges.items() if deps & deck}
    assert users <= deck | {"cli.commands"}


def test_import_graph_has_no_cycle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(edges):
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
    core = [m for m in modules() if layer(m) in CORE_LAYERS]
    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        loaded = dict(zip(core, pool.map(_loaded_ui, core), strict=True))
    assert {m: ui for m, ui in loaded.items() if ui} == {}


def test_no_module_imports_another_modules_private_names() -> None:
    """Across modules only public names travel: ``from .panel import _v`` would make a private
    helper a second home of its rule (``import x as _x`` aliases of public names are fine)."""
    offenders = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and (node.level or node.module.split(".")[0] == "analysis")
            ):
                offenders += [
                    f"{name} imports {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and a.name != "__version__"
                ]
    assert offenders == []


def test_the_layer_table_lists_every_module() -> None:
    """The README's generated table (``analysis.products.layout``) covers every module once."""
    from analysis.products.layout import layers

    listed = [f"{layer.name}.{m.name}" for layer in layers() for m in layer.modules]
    assert sorted(listed) == sorted(m for m in modules() if "." in m and not m.endswith("__main__"))
    assert all(m.summary for layer in layers() for m in layer.modules)
