"""The views import the core, never the other way round; notebook views never import the deck;
no import cycles; the text views load without matplotlib or ipywidgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
CORE = {"vocab", "selection", "panel", "scoring", "composition", "load"}
NOTEBOOK_VIEWS = {"comparison", "narrative", "events", "figures", "explorer"}
DECK = {"deck", "deck_pages"}
VIEWS = NOTEBOOK_VIEWS | DECK


def _imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports anywhere (``TYPE_CHECKING`` blocks aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
        for n in ast.walk(node)
    }
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only or not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            out.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
        elif node.module and node.module.split(".")[0] == "analysis":
            parts = node.module.split(".")
            out.update(parts[1:2] if len(parts) > 1 else [a.name for a in node.names])
    return out


def _graph() -> dict[str, set[str]]:
    modules = {p.stem for p in SRC.glob("*.py")}
    return {p.stem: _imports(p) & modules for p in SRC.glob("*.py")}


def test_the_view_modules_exist_and_compare_view_is_gone() -> None:
    graph = _graph()
    assert VIEWS <= set(graph)
    assert "compare_view" not in graph


def test_core_imports_no_view_and_notebook_views_no_deck() -> None:
    graph = _graph()
    assert {m: graph[m] & VIEWS for m in CORE if graph[m] & VIEWS} == {}
    assert {m: graph[m] & DECK for m in NOTEBOOK_VIEWS if graph[m] & DECK} == {}


def test_no_import_cycles() -> None:
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


def test_text_views_load_without_matplotlib_or_ipywidgets() -> None:
    code = (
        "import sys, runpy\n"
        "for m in ('analysis.comparison', 'analysis.narrative', 'analysis.events'):\n"
        "    runpy.run_module(m, run_name='__main__')\n"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_graph_sees_imports(tmp_path: Path) -> None:
    """The import reader is not blind: it finds relative, absolute and function-level imports."""
    f = tmp_path / "m.py"
    f.write_text(
        "from . import maps\nfrom .deck import x\nfrom analysis.events import y\n"
        "def f():\n    from .figures import z\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .explorer import E\n"
    )
    assert _imports(f) == {"maps", "deck", "events", "figures"}
