"""The README's table of the library's layers and modules, generated from :data:`analysis.LAYERS`
and the docstrings (read as text, nothing imported), so the table cannot drift from the folders."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from analysis import LAYERS
from analysis.model import paths


@dataclass(frozen=True)
class Module:
    name: str
    summary: str


@dataclass(frozen=True)
class Layer:
    name: str
    summary: str
    modules: tuple[Module, ...]


def first_sentence(doc: str | None) -> str:
    """The docstring's first sentence on one line (up to the first ". " or the first blank line)."""
    text = " ".join((doc or "").strip().split("\n\n")[0].split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def _docstring(path: Path) -> str | None:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))


def layers(package: Path | None = None) -> list[Layer]:
    """Each layer, bottom first, with its sub-package's summary and its modules' summaries."""
    root = package or paths.PACKAGE
    out = []
    for name in LAYERS:
        folder = root / name
        mods = tuple(
            Module(p.stem, first_sentence(_docstring(p)))
            for p in sorted(folder.glob("*.py"))
            if p.stem not in {"__init__", "__main__"}
        )
        out.append(Layer(name, first_sentence(_docstring(folder / "__init__.py")), mods))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_layers() -> str:
    """The README block: one table row per module, grouped by layer, bottom first."""
    rows = ["| layer | module | what it holds |", "|---|---|---|"]
    for layer in layers():
        rows.append(f"| **`{layer.name}/`** | | {_cell(layer.summary)} |")
        rows += [f"| | `{m.name}` | {_cell(m.summary)} |" for m in layer.modules]
    return "\n".join(rows)
