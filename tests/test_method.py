"""One method text from the code: the method page, the README block and the codebook state the
numbers the library uses (weights, state scores, the evidence rule's carry-forward, the
sensitivity), and nothing else."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.measures import method
from analysis.measures.method import index_method, method_numbers, number
from analysis.measures.scoring import DEFAULT_WEIGHTS, STATE_SCORES
from analysis.products.pages import year_line

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"(?<![\w.])\d+(?:/\d+|\.\d+)?(?![\w/])")


def _text(page: Path) -> str:
    raw = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page.read_text(), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


@pytest.fixture(scope="module")
def method_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    from analysis.build.site import write_method_page

    out = write_method_page(tmp_path_factory.mktemp("reports"))
    # the page's own text, without the shared footer (dataset version, licence)
    return _text(out).split("Cite this page")[0]


def test_number_formatting() -> None:
    assert [number(x) for x in (1 / 3, 0.5, 0.25, 1.0, 0.0, 2 / 7)] == [
        "1/3",
        "0.5",
        "0.25",
        "1",
        "0",
        "2/7",
    ]


def test_every_number_of_the_method_section_comes_from_the_code(method_page: str) -> None:
    """Before the panel rules (whose worked examples are years), every number on the page is a
    number the code states: weights, scores, draws, percentiles, carry-forward, the data year."""
    intro = method_page.split("The rules of the adoption panel")[0]
    allowed = set(method_numbers().values()) | set(NUMBER.findall(year_line()))
    found = set(NUMBER.findall(intro))
    assert found, "the method page states no number"
    assert found <= allowed, sorted(found - allowed)


def test_the_method_page_states_the_weights_and_scores_of_the_code(method_page: str) -> None:
    total = sum(DEFAULT_WEIGHTS.values())
    weights = {number(w / total) for w in DEFAULT_WEIGHTS.values()}
    text = " ".join(method_page.split())
    for w in weights:
        assert f"weights {w}" in text or f" {w}" in text
    for m, scores in STATE_SCORES.items():
        for s in scores.values():
            assert f"({number(s)})" in text, (m, s)
    # every non-integer number anywhere on the page is the code's, or the held share of the
    # panel rules' worked example (3rd edition 2017, 8th 2023: 4 in 5 years)
    fractions = {n for n in NUMBER.findall(method_page) if "/" in n or "." in n}
    assert fractions <= set(method_numbers().values()) | {number(4 / 5)}, fractions
    # the old contradiction: the page said 0.5/0.25/0.25 while the code used 1/3 each
    assert "0.25" not in method_page or "0.25" in method_numbers().values()


def test_the_method_text_follows_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Change a weight and the carry-forward in the library: the text changes with them."""
    monkeypatch.setitem(method.DEFAULT_WEIGHTS, "cctld", 0.5)
    monkeypatch.setitem(method.DEFAULT_WEIGHTS, "igf", 0.25)
    monkeypatch.setitem(method.DEFAULT_WEIGHTS, "body", 0.25)
    monkeypatch.setattr(method, "CARRY_FORWARD_YEARS", 2)
    text = index_method()
    assert "ccTLD manager 0.5" in text and "national IGF 0.25" in text
    assert "carried 2 years" in text


def test_the_readme_block_is_current() -> None:
    readme = (ROOT / "README.md").read_text()
    m = re.search(
        r"<!-- generated: analysis\.measures\.method\.index_method -->\n(.*?)\n<!-- /generated -->",
        readme,
        flags=re.S,
    )
    assert m, "README lacks the generated method block"
    assert m.group(1) == index_method(), (
        "README's index block is stale: rewrite it from index_method()"
    )


def test_the_codebook_carries_the_method() -> None:
    codebook = (ROOT / "docs" / "codebook.md").read_text()
    assert index_method() in codebook


def test_the_readme_worked_examples_hold_on_the_shipped_data(panel: pd.DataFrame) -> None:
    """The worked examples of the README's panel rules, read off the shipped panel."""
    cell = panel.set_index(["country", "mechanism", "year"])
    assert cell.loc[("TR", "body", 2013), "state"] == "multistakeholder"
    assert cell.loc[("TR", "body", 2014), "state"] == "unknown"
    for code in ("AL", "AM"):
        assert cell.loc[(code, "igf", 2018), "state"] == "unknown", code
    assert cell.loc[("AZ", "igf", 2013), "state"] in ("unknown", "held")  # never none
    # the 3rd ArmIGF in 2017, the 7th in 2022: three editions for the four years between
    am = [cell.loc[("AM", "igf", y), "held_share"] for y in range(2018, 2022)]
    assert am == [pytest.approx(0.75)] * 4
    assert cell.loc[("AM", "igf", 2022), "state"] == "held"


def test_the_catalogue_descriptions_state_the_code_numbers() -> None:
    """The catalogue (below the scoring layer, so it cannot read it) types three numbers of the
    method in its descriptions; they must equal the code's."""
    from analysis.model.catalog import TABLE_SPECS

    n = method_numbers()
    score = next(c for c in TABLE_SPECS["index"].columns if c.name == "score")
    assert f"unknown = {n['unknown_score']}" in score.description
    sens = TABLE_SPECS["index_sensitivity"].description
    assert f"{n['sensitivity_draws']} draws" in sens
    assert f"{n['sensitivity_levels']} weight vectors" in sens
    assert f"concentration {n['sensitivity_concentration']}" in " ".join(sens.split())
