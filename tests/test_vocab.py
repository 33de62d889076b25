"""The vocabulary is defined once, imports nothing heavy, and covers every state the panel emits."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.model import vocab

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"

#: Ideas that must be assigned at module level in exactly one module (their home).
HOMES = {
    "CODES": "vocab",
    "MECHANISMS": "vocab",
    "STATES": "vocab",
    "STATE_COLOURS": "vocab",
    "STATE_LABELS": "vocab",
    "PALETTES": "vocab",
    "MECHANISM_LABELS": "vocab",
    "MECHANISM_COLOURS": "vocab",
    "CONFIDENCE_ORDER": "vocab",
    "CONFIDENCE_MARKS": "vocab",
    "KOSOVO_FOOTNOTE": "vocab",
    "BOUNDARY_NOTE": "vocab",
    "MIN_YEAR": "vocab",
    "SEP": "vocab",
    "BPF_DIMENSIONS": "vocab",
    "ADOPTED": "vocab",
}


def _assigned(path: Path) -> set[str]:
    """Names given a value (not merely imported or aliased from another name) at module level."""
    out: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if isinstance(value, (ast.Name, ast.Attribute)):
            continue  # an alias of a definition elsewhere
        for t in targets:
            for n in ast.walk(t):
                if isinstance(n, ast.Name):
                    out.add(n.id)
    return out


def test_each_idea_is_defined_in_exactly_one_module() -> None:
    where: dict[str, list[str]] = {name: [] for name in HOMES}
    for path in sorted(SRC.rglob("*.py")):
        for name in _assigned(path) & set(HOMES):
            where[name].append(path.stem)
    assert {n: w for n, w in where.items() if w != [HOMES[n]]} == {}


def test_vocab_imports_nothing_heavy() -> None:
    code = (
        "import sys, analysis.model.vocab; "
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'pydantic', 'yaml') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_states_are_in_legend_order_with_a_colour_and_label_each() -> None:
    assert vocab.MECHANISMS == ("cctld", "igf", "body")
    for m in vocab.MECHANISMS:
        states = vocab.STATES[m]
        assert states[-1] == "unknown"
        assert set(vocab.STATE_COLOURS[m]) == set(states)
        assert set(states) <= set(vocab.STATE_LABELS)
        assert vocab.ADOPTED[m] < set(states)
    assert set(vocab.CCTLD_CODING.values()) < set(vocab.STATES["cctld"])
    assert list(vocab.CONFIDENCE_MARKS) == list(reversed(vocab.CONFIDENCE_ORDER))
    assert tuple(vocab.CODES["confidence"]) == tuple(reversed(vocab.CONFIDENCE_ORDER))


@pytest.mark.usefixtures("tables")
def test_every_state_the_panel_emits_is_in_the_vocabulary(panel: pd.DataFrame) -> None:
    for m, grp in panel.groupby("mechanism"):
        assert set(grp["state"]) <= set(vocab.STATES[str(m)]), m
    assert set(panel["evidence"].dropna()) <= set(vocab.EVIDENCE)


def test_kosovo_is_displayed_with_its_asterisk() -> None:
    assert vocab.display_code("XK") == "XK*"
    assert vocab.display_code("RS") == "RS"
