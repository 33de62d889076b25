"""Rules stated by generated sentences (``analysis.measures.narrative``) and the country profile
(``analysis.measures.profile``), one case each, on synthetic data."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import body, cctld, country, edition, initiative, source, tables

from analysis.measures.narrative import differences
from analysis.measures.profile import check_country, country_profile


def _table(rows):
    cols = ["country", "cctld", "igf", "body", "score", "low", "high"]
    return pd.DataFrame(rows, columns=cols)


# (name, rows, sentence piece expected, piece that must be absent)
DIFFS = [
    (
        "touching bounds do not order a pair",
        [
            ("AA", "multistakeholder", "held", "active", 0.8, 0.5, 0.9),
            ("BB", "multistakeholder", "held", "active", 0.4, 0.2, 0.5),
        ],
        "Only 0 of the 1 pairs",
        "leads even",
    ),
    (
        "separate bounds order a pair",
        [
            ("AA", "multistakeholder", "held", "active", 0.8, 0.6, 0.9),
            ("BB", "multistakeholder", "held", "active", 0.4, 0.2, 0.5),
        ],
        "Every pair is ordered",
        None,
    ),
    (
        "the leader must beat the highest upper bound",
        [
            ("AA", "multistakeholder", "held", "active", 0.8, 0.6, 0.9),
            ("BB", "multistakeholder", "held", "active", 0.4, 0.2, 0.5),
            ("CC", "multistakeholder", "held", "active", 0.5, 0.3, 0.7),
        ],
        "Only 1 of the 3 pairs",
        "leads even",
    ),
    (
        "the leader above every upper bound",
        [
            ("AA", "multistakeholder", "held", "active", 0.8, 0.6, 0.9),
            ("BB", "multistakeholder", "held", "active", 0.4, 0.2, 0.5),
            ("CC", "multistakeholder", "held", "active", 0.5, 0.3, 0.55),
        ],
        "Country AA (AA) leads even in the least favourable case.",
        None,
    ),
    (
        "unknown states counted",
        [
            ("AA", "unknown", "held", "unknown", 0.5, 0.3, 0.8),
            ("BB", "multistakeholder", "unknown", "active", 0.6, 0.4, 0.9),
        ],
        "3 of 6 mechanism states are unknown",
        None,
    ),
]


@pytest.mark.parametrize("name, rows, want, absent", DIFFS, ids=[d[0] for d in DIFFS])
def test_differences(name, rows, want, absent):
    names = {r[0]: f"Country {r[0]}" for r in rows}
    text = " ".join(differences(_table(rows), 2020, names))
    assert want in text
    if absent:
        assert absent not in text


@pytest.fixture(scope="module")
def t():
    return tables(
        country(
            "AA",
            cctlds=[cctld("aa"), cctld("old", status="historical", multistakeholder="no")],
            igf=[
                initiative("aa-igf", editions=[edition(2014), 2016], first_year=2013),
                initiative("aa-igf2", editions=[2018]),
                initiative("aa-youth", kind="youth", editions=[2011]),
            ],
            bodies=[
                body(
                    "aa-a",
                    multistakeholder="yes",
                    established="2014",
                    field_sources={"established": ["founding-page"]},
                ),
                body("aa-b", multistakeholder="partly"),
                body("aa-c", multistakeholder="no"),
                body("aa-d", multistakeholder="unknown", confidence="inferred"),
            ],
        ),
        country("BB"),
        sources=[source(), source("founding-page"), source("uncited")],
    )


def test_profile_summary(t):
    s = country_profile("AA", t).summary()
    assert s["n_cctlds"] == 1  # active ccTLDs only
    assert s["cctld_multistakeholder"] == ["yes"]
    assert s["national_igf_first_year"] == 2013  # the earliest national first_year, not youth
    assert s["n_igf_initiatives"] == 3
    assert s["n_ms_bodies"] == 2  # yes or partly
    assert s["n_sources"] == 2  # cited by a record or by one of its fields; not the uncited one


def test_profile_confidence_shares(t):
    s = country_profile("AA", t).summary()
    # 2 ccTLDs + 3 initiatives + 4 editions + 4 bodies = 13 records, one inferred
    assert s["confidence"] == {
        "sourced": round(12 / 13, 4),
        "inferred": round(1 / 13, 4),
        "recalled": 0.0,
    }


@pytest.mark.parametrize(
    "code, piece",
    [("aa", "two-letter code"), ("ZZ", "unknown country 'ZZ'"), (12, "two-letter code")],
)
def test_check_country(t, code, piece):
    with pytest.raises(Exception, match=piece):
        check_country(code, t)
    assert check_country("BB", t) == "BB"
