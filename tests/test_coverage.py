"""Research coverage: every jurisdiction x mechanism researched; confidence shares."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures.coverage import (
    KNOWN,
    NONE,
    NOT_FOUND,
    UNRESEARCHED,
    confidence_shares,
    coverage,
    render_coverage,
)

JURISDICTIONS = "AL AM AZ BA BG CH CY GE GR HR HU MD ME MK RO RS RU SI TR UA XK".split()


def test_every_jurisdiction_researched(tables):
    grid = coverage(tables, jurisdictions=JURISDICTIONS)
    assert list(grid.index) == sorted(JURISDICTIONS)
    assert list(grid.columns) == ["cctld", "igf", "body"]
    open_cells = [(c, m) for c, row in grid.iterrows() for m, v in row.items() if v == UNRESEARCHED]
    assert not open_cells
    assert set(grid.to_numpy().ravel()) <= {KNOWN, NONE, NOT_FOUND}


def test_kosovo_has_no_cctld(tables):
    assert coverage(tables).loc["XK", "cctld"] == NONE


def test_confidence_shares(tables):
    shares = confidence_shares(tables)
    levels = ["sourced", "inferred", "recalled"]
    assert list(shares.columns) == ["records", *levels]
    assert shares.index[-1] == "all"
    assert set(tables.countries["code"]) <= set(shares.index)
    populated = shares[shares["records"] > 0]
    assert (populated[levels].sum(axis=1).round(9) == 1).all()
    assert shares.loc["all", "records"] == shares.drop(index="all")["records"].sum()


def test_render(tables):
    text = render_coverage(tables)
    md = render_coverage(tables, markdown=True)
    for code in tables.countries["code"]:
        assert f"\n{code} " in text
        assert f"| {code} |" in md
    assert md.startswith("| code | jurisdiction |")


def _synthetic() -> dict[str, pd.DataFrame]:
    return {
        "countries": pd.DataFrame({"code": ["AA", "BB", "CC"], "name": ["A", "B", "C"]}),
        "cctlds": pd.DataFrame({"country": ["AA"], "confidence": ["sourced"]}),
        "igf_initiatives": pd.DataFrame(
            {
                "country": ["AA", "BB", None],
                "kind": ["national", "youth", "regional"],
                "confidence": ["sourced", "inferred", "sourced"],
            }
        ),
        "ms_bodies": pd.DataFrame({"country": ["BB"], "confidence": ["recalled"]}),
        "absences": pd.DataFrame(
            {
                "country": ["BB", "CC", "AA"],
                "mechanism": ["cctld", "cctld", "body"],
                "finding": ["none", "not_found", "not_found"],
                "confidence": ["sourced", "sourced", "sourced"],
            }
        ),
    }


def test_coverage_states_synthetic():
    grid = coverage(_synthetic(), mechanisms=("cctld", "igf", "youth_igf", "body"))
    assert grid.loc["AA"].tolist() == [KNOWN, KNOWN, UNRESEARCHED, NOT_FOUND]
    assert grid.loc["BB"].tolist() == [NONE, UNRESEARCHED, KNOWN, KNOWN]
    assert grid.loc["CC"].tolist() == [NOT_FOUND, UNRESEARCHED, UNRESEARCHED, UNRESEARCHED]


def test_confidence_shares_synthetic():
    shares = confidence_shares(_synthetic())
    assert list(shares.index) == ["AA", "BB", "CC", "regional", "all"]
    assert shares.loc["AA", "records"] == 3 and shares.loc["AA", "sourced"] == 1.0
    assert shares.loc["BB", "records"] == 3
    assert shares.loc["BB", "recalled"] == pytest.approx(1 / 3)
    assert shares.loc["regional", "records"] == 1
    assert shares.loc["all", "records"] == 8
    assert shares.loc["all", "sourced"] == pytest.approx(6 / 8)
