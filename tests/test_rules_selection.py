"""Rules of selections and years (``analysis.measures.selection``), one case each, on synthetic data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from builders import body, country, initiative, tables

from analysis.measures.selection import (
    complete_year,
    latest_data_year,
    resolve_range,
    resolve_year,
    select,
)
from analysis.model.errors import UserError


@pytest.fixture(scope="module")
def t():
    return tables(
        country("AA", bodies=[body("aa-c", established="2012", ended="2019-03")]),
        country("BB", igf=[initiative("bb-igf", editions=[2015, 2017])]),
        country("CH", scope_role="reference", subregion="western_europe"),
    )


def test_all_is_the_core(t):
    assert select("all", t).codes == ("AA", "BB")
    assert select(None, t).codes == ("AA", "BB")
    assert select("all", t, reference=True).codes == ("AA", "BB", "CH")


def test_codes_are_normalised(t):
    assert select("bb, aa", t).codes == ("AA", "BB")
    assert select(["aa"], t).codes == ("AA",)
    assert not select(["aa"], t).includes_reference
    assert select("CH", t).includes_reference


def test_unknown_code(t):
    with pytest.raises(UserError, match="unknown country 'ZZ'"):
        select("ZZ", t)


def test_latest_data_year_reads_body_ends(t, monkeypatch):
    monkeypatch.setenv("MULTISEE_TODAY", "2030-06-01")
    assert latest_data_year(t) == 2019


def test_latest_data_year_capped_at_today(t, monkeypatch):
    monkeypatch.setenv("MULTISEE_TODAY", "2018-06-01")
    assert latest_data_year(t) == 2018


# (today, latest complete data year): the latest data year if it has ended, else the year before
COMPLETE = [(dt.date(2030, 1, 1), 2019), (dt.date(2019, 6, 1), 2018), (dt.date(2020, 1, 1), 2019)]


@pytest.mark.parametrize("today, want", COMPLETE)
def test_complete_year(t, monkeypatch, today, want):
    monkeypatch.setenv("MULTISEE_TODAY", today.isoformat())
    assert complete_year(t, today) == want


PANEL = pd.DataFrame({"year": list(range(2000, 2011))})


@pytest.mark.parametrize("year, want", [(2000, 2000), (2010, 2010), ("2005", 2005)])
def test_resolve_year_within_the_panel(year, want):
    assert resolve_year(year, PANEL) == want


@pytest.mark.parametrize("year", [1999, 2011])
def test_resolve_year_outside_the_panel(year):
    with pytest.raises(UserError, match="no data for year"):
        resolve_year(year, PANEL)


# (start, end, latest, result or error piece)
RANGES = [
    (1985, 2020, 2020, (1985, 2020)),
    (1984, 2020, 2020, "is before 1985"),
    (2000, 2021, 2020, "is after the latest data year"),
    (2005, 2005, 2020, (2005, 2005)),
    (2006, 2005, 2020, "is before start year"),
    (2000, None, 2020, (2000, 2020)),
]


@pytest.mark.parametrize("start, end, latest, want", RANGES)
def test_resolve_range(start, end, latest, want):
    if isinstance(want, tuple):
        assert resolve_range(start, end, latest) == want
    else:
        with pytest.raises(UserError, match=want):
            resolve_range(start, end, latest)
