"""The README's "How much the comparison can tell" figures are the library's output."""

from __future__ import annotations

import re

from conftest import ROOT

from analysis.measures.robustness import comparison_figures
from analysis.model.load import Tables

START = "<!-- generated: analysis.measures.robustness.comparison_figures -->\n"
END = "\n<!-- /generated -->"


def test_readme_comparison_figures_are_the_librarys(tables: Tables) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert START in text and END in text, "README lacks the comparison-figures block"
    block = text.split(START, 1)[1].split(END, 1)[0]
    expected = comparison_figures(tables).rstrip("\n")
    assert block == expected, "README 'How much the comparison can tell' is stale: run make readme"
    # the figures the issue asks for are there
    for phrase in ("Ties.", "median width of the 5-95% rank interval", "What moves ranks most"):
        assert phrase in block
    assert re.search(r"is \d+\.\d ranks of \d+", block)
