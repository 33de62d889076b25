"""Rules of the dated events (``analysis.measures.events``), one case each, on synthetic data."""

from __future__ import annotations

import pytest
from builders import body, cctld, country, edition, event, initiative, source, tables

from analysis.measures.events import events, frac_year

# (date, fractional year): mid-period when the month or day is unknown
FRAC = [
    ("2015", 2015.5),
    ("2015-01", 2015 + 0.5 / 12),
    ("2015-12", 2015 + 11.5 / 12),
    ("2015-03-01", 2015 + 2 / 12 + 0.5 / 372),
    (None, None),
    ("unknown", None),
]


@pytest.mark.parametrize("date, want", FRAC)
def test_frac_year(date, want):
    got = frac_year(date)
    assert got == (pytest.approx(want) if want is not None else None)


def _one(c, **kw):
    return events([c["code"]], tables(c), **kw)


def test_cctld_event_kinds():
    c = country(
        "AA",
        cctlds=[
            cctld(
                "aa",
                events=[
                    event("1993-04", "created"),
                    event("1999", "delegation"),
                    event("2003-06-01", "redelegation", to_manager="New registry"),
                    event("2008", "administrative_transfer"),
                    event("2010", "operator_change"),
                    event("2012", "policy_change"),
                ],
            )
        ],
    )
    ev = _one(c)
    assert list(ev["kind"]) == [
        "cctld_delegation",
        "cctld_delegation",
        "cctld_redelegation",
        "cctld_redelegation",
    ]
    assert list(ev["year"]) == [1993, 1999, 2003, 2008]
    assert ev.loc[2, "detail"] == ".aa to New registry"


# (name, initiative, expected year, date, confidence)
IGF_FIRST = [
    (
        "first_year with its edition: the edition's date",
        initiative("aa-igf", editions=[edition(2012, date="2012-10-05"), 2014]),
        2012,
        "2012-10-05",
    ),
    (
        "first_year before any recorded edition: the first_year",
        initiative("aa-igf", editions=[2014, 2015], first_year=2011),
        2011,
        "2011",
    ),
    ("no edition, no first_year: no event", initiative("aa-igf"), None, None),
]


@pytest.mark.parametrize("name, ini, year, date", IGF_FIRST, ids=[c[0] for c in IGF_FIRST])
def test_igf_first(name, ini, year, date):
    ev = _one(country("AA", igf=[ini]))
    ev = ev[ev["kind"] == "igf_first"]
    if year is None:
        assert ev.empty
    else:
        assert list(ev["year"]) == [year]
        assert list(ev["date"]) == [date]


def test_igf_first_confidence_from_the_initiative_when_first_year_is_given():
    ini = initiative(
        "aa-igf",
        editions=[edition(2012, confidence="inferred")],
        field_confidence={"first_year": "recalled"},
    )
    ev = _one(country("AA", igf=[ini]))
    assert list(ev["confidence"]) == ["recalled"]


def test_igf_first_national_only():
    c = country("AA", igf=[initiative("aa-youth", kind="youth", editions=[2016])])
    assert _one(c).empty


def test_body_founded_yes_and_partly_only():
    c = country(
        "AA",
        bodies=[
            body("aa-a", multistakeholder="yes", established="2014-03"),
            body("aa-b", multistakeholder="partly", established="2016"),
            body("aa-c", multistakeholder="no", established="2017"),
            body("aa-d", multistakeholder="unknown", established="2018"),
            body("aa-e", multistakeholder="yes"),
        ],
    )
    ev = _one(c)
    assert list(ev["detail"]) == ["Council aa-a", "Council aa-b"]
    assert list(ev["year"]) == [2014, 2016]


def test_year_filters_are_inclusive():
    c = country("AA", bodies=[body(f"aa-{y}", established=str(y)) for y in range(2010, 2016)])
    ev = _one(c, start=2011, end=2014)
    assert list(ev["year"]) == [2011, 2012, 2013, 2014]


def test_other_jurisdictions_left_out():
    t = tables(
        country("AA", bodies=[body("aa-c", established="2014")]),
        country("BB", bodies=[body("bb-c", established="2015")]),
    )
    assert list(events(["BB"], t)["country"]) == ["BB"]


def test_body_founded_cites_the_sources_of_its_founding_date():
    b = body("aa-a", established="2014", field_sources={"established": ["founding-page"]})
    t = tables(country("AA", bodies=[b]), sources=[source(), source("founding-page")])
    assert list(events(["AA"], t)["sources"]) == ["founding-page"]
