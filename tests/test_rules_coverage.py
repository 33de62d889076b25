"""Rules of research coverage (``analysis.measures.coverage``), one case per cell state, on synthetic data."""

from __future__ import annotations

import pytest
from builders import absence, body, cctld, country, initiative, tables

from analysis.measures.coverage import confidence_shares, coverage


@pytest.fixture(scope="module")
def t():
    return tables(
        # a record, whatever its coding, makes the cell known (the absence beside it is older)
        country("AA", cctlds=[cctld("aa", multistakeholder="no")], absences=[absence("cctld")]),
        # a sourced absence and a searched, not-found one
        country("BB", absences=[absence("igf", "none"), absence("body", "not_found")]),
        # a youth IGF is not a national IGF
        country("CC", igf=[initiative("cc-youth", kind="youth")], bodies=[body("cc-c")]),
        regional=[initiative("seedig", kind="regional", confidence="inferred")],
    )


# (country, mechanism, state)
CELLS = [
    ("AA", "cctld", "known"),
    ("AA", "igf", "unresearched"),
    ("BB", "igf", "none"),
    ("BB", "body", "not found"),
    ("BB", "cctld", "unresearched"),
    ("CC", "igf", "unresearched"),
    ("CC", "youth_igf", "known"),
    ("CC", "body", "known"),
]


@pytest.mark.parametrize("code, mechanism, state", CELLS)
def test_cell_state(t, code, mechanism, state):
    grid = coverage(t, mechanisms=("cctld", "igf", "youth_igf", "body"))
    assert grid.loc[code, mechanism] == state


def test_jurisdiction_without_a_file_is_unresearched(t):
    grid = coverage(t, jurisdictions=["AA", "ZZ"])
    assert list(grid.loc["ZZ"]) == ["unresearched"] * len(grid.columns)


def test_confidence_shares(t):
    shares = confidence_shares(t)
    # BB: two absences, both counted as fact records
    assert shares.loc["BB", "records"] == 2
    assert shares.loc["regional", "records"] == 1
    assert shares.loc["regional", "inferred"] == 1.0
    # all: AA 2 (ccTLD, absence), BB 2, CC 2, regional 1
    assert shares.loc["all", "records"] == 7
    assert shares.loc["all", "sourced"] == pytest.approx(6 / 7)
