"""The library's import graph, read from the source (nothing imported): one reader for every
test that checks who imports whom (``test_architecture``, ``test_build_list``, ``test_adoption_map``)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"


def module_name(path: Path) -> str:
    """``measures/panel.py`` -> ``measures.panel``; a sub-package's ``__init__`` is the package."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the library by dotted name below ``analysis`` (the top ``__init__`` aside)."""
    return {module_name(p): p for p in sorted(SRC.rglob("*.py")) if p.parent != SRC}


def layer(module: str) -> str:
    return module.split(".")[0]


def imports(
    path: Path, known: set[str] | None = None, package: list[str] | None = None
) -> set[str]:
    """Library modules ``path`` imports anywhere (top level or inside functions; typing-only
    imports under ``if TYPE_CHECKING:`` aside), as dotted names below ``analysis``. ``from
    analysis.x import y`` counts ``x.y`` when that is a module of ``known``, else ``x``."""
    known = set(modules()) if known is None else known
    if package is None:
        name = module_name(path).split(".")
        package = name if path.name == "__init__.py" else name[:-1]
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
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.split(".")[0] == "analysis":
                mod = ".".join(node.module.split(".")[1:])
            else:
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}" if mod else a.name
                out.add(sub if sub in known else mod)
        elif isinstance(node, ast.Import):
            out.update(
                ".".join(a.name.split(".")[1:])
                for a in node.names
                if a.name.startswith("analysis.")
            )
    return {m for m in out if m} - {".".join([*package, path.stem])}


@functools.cache
def _graph_cached() -> dict[str, frozenset[str]]:
    found = modules()
    known = set(found)
    return {m: frozenset(imports(p, known) & known) for m, p in found.items()}


def graph() -> dict[str, set[str]]:
    """Who imports whom, by dotted name below ``analysis`` (read once per test process: the
    library's files do not change while the tests run)."""
    return {m: set(deps) for m, deps in _graph_cached().items()}


def imports_by_stem() -> dict[str, set[str]]:
    """The graph with modules named by their file stem (stems are unique across the layers):
    ``{"adoption_map": {"choropleth", "panel", ...}, ...}``."""
    stem = {m: m.split(".")[-1] for m in modules()}
    return {stem[m]: {stem[i] for i in deps} for m, deps in graph().items() if m in stem}
