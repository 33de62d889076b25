"""Numbers in the README come from the code: every ``<!-- generated: ... -->`` block is current."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location(
        "update_readme", ROOT / "scripts/update_readme.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["update_readme"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_generated_block_is_current() -> None:
    mod = _script()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [m.group(2) for m in mod.BLOCK.finditer(text)]
    for name in (
        "analysis.measures.coverage.render_sources",
        "analysis.measures.coverage.render_panel_figures",
        "analysis.measures.method.index_method",
    ):
        assert name in names, name
    _, stale = mod.update(text)
    assert stale == [], f"stale README blocks (run scripts/update_readme.py): {stale}"


def test_a_stale_block_is_caught() -> None:
    mod = _script()
    text = "x\n<!-- generated: analysis.measures.method.index_method -->\nSTALE-BODY\n<!-- /generated -->\ny"
    new, stale = mod.update(text)
    assert stale == ["analysis.measures.method.index_method"] and "STALE-BODY" not in new


def test_sources_block_counts_match_the_registry(tables) -> None:
    from analysis.measures.coverage import source_table, weak_only_facts

    table = source_table(tables)
    assert table.loc["all", "total"] == len(tables.sources)
    low = set(tables.sources.loc[tables.sources["reliability"] == "low", "id"])
    weak = weak_only_facts(tables)
    assert all(set(s.split("; ")) <= low for s in weak["sources"])
