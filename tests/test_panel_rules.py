"""One constructed case per rule of the adoption panel (codebook section 3.5), table-driven.

Each case builds the few records the rule reads (:mod:`builders`), computes the panel over a few
years and states the expected cell of each year; a mutation of the rule changes at least one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd
import pytest
from builders import TablesBuilder

from analysis.measures import panel_examples as pe
from analysis.measures.panel import adoption_panel, body_grade, is_ms_body, ms_body_mask, panel_for
from analysis.model.load import Tables, load

START, END = 2010, 2020


def _base() -> TablesBuilder:
    return (
        TablesBuilder()
        .country("AA")
        .source("s2009", published=2009)
        .source("s2012", published=2012)
        .source("s2014", published=2014)
        .source("s2016", published=2016)
        .source("s2017", published=2017)
        .source("s2019", published=2019)
        .source("s2023", published=2023)
        .source("undated")
    )


def _cells(t: Tables, mechanism: str, carry: int | None = None) -> pd.DataFrame:
    p = adoption_panel(t, start=START, end=END, carry=carry)
    return p[(p["country"] == "AA") & (p["mechanism"] == mechanism)].set_index("year")


def _span(state: str, a: int, b: int) -> dict[int, str]:
    return dict.fromkeys(range(a, b + 1), state)


# Each case: (name, builder, mechanism, expected states by year for START..END).
Case = tuple[str, Callable[[], TablesBuilder], str, dict[int, str]]

CASES: list[Case] = [
    (
        "body holds its grade from its founding to the last year a source dates it",
        lambda: _base().body("AA", "b", "2012", sources=["s2012", "s2016"]),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("multistakeholder", 2012, 2016),
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "body: last_evidenced extends the evidence",
        lambda: _base().body("AA", "b", "2012", sources=["undated"], last_evidenced=2018),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("multistakeholder", 2012, 2018),
            **_span("unknown", 2019, 2020),
        },
    ),
    (
        "body: status active as of a year extends the evidence; inactive does not",
        lambda: (
            _base()
            .body("AA", "b", "2012", sources=["undated"], status="active", status_as_of=2015)
            .country("BB")
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("multistakeholder", 2012, 2015),
            **_span("unknown", 2016, 2020),
        },
    ),
    (
        "body: a status of inactive as of a year does not extend the evidence",
        lambda: _base().body(
            "AA", "b", "2012", sources=["undated"], status="inactive", status_as_of=2015
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            2012: "multistakeholder",
            **_span("unknown", 2013, 2020),
        },
    ),
    (
        "body: a partly multistakeholder body outranks a government-led one in the same year",
        lambda: (
            _base()
            .body("AA", "gov", "2012", multistakeholder="no", sources=["s2012"])
            .body("AA", "partly", "2012", multistakeholder="partly", sources=["s2012"])
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            2012: "partly_multistakeholder",
            **_span("unknown", 2013, 2020),
        },
    ),
    (
        "body: without a founding date, from the earliest year its record dates it",
        lambda: _base().body("AA", "b", None, sources=["s2016"], last_evidenced=2015),
        "body",
        {
            **_span("unknown", 2010, 2014),
            **_span("multistakeholder", 2015, 2016),
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "body: after a sourced end, none",
        lambda: _base().body("AA", "b", "2012", sources=["s2014"], ended="2014"),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("multistakeholder", 2012, 2014),
            **_span("none", 2015, 2020),
        },
    ),
    (
        "body: a single-issue body does not count",
        lambda: _base().body("AA", "b", "2012", scope="single_issue", sources=["s2019"]),
        "body",
        _span("unknown", 2010, 2020),
    ),
    (
        "body: a government-led body is not multistakeholder",
        lambda: _base().body("AA", "b", "2012", multistakeholder="no", sources=["s2014"]),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("not_multistakeholder", 2012, 2014),
            **_span("unknown", 2015, 2020),
        },
    ),
    (
        "body: partly multistakeholder",
        lambda: _base().body("AA", "b", "2012", multistakeholder="partly", sources=["s2012"]),
        "body",
        {
            **_span("unknown", 2010, 2011),
            2012: "partly_multistakeholder",
            **_span("unknown", 2013, 2020),
        },
    ),
    (
        "body: unknown composition (or a body past its evidence) outranks a government-led"
        " body; multistakeholder wins",
        lambda: (
            _base()
            .body("AA", "gov", "2012", multistakeholder="no", sources=["s2019"])
            .body("AA", "unk", "2014", multistakeholder="unknown", sources=["s2016"])
            .body("AA", "ms", "2016", multistakeholder="yes", sources=["s2016"])
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            **_span("not_multistakeholder", 2012, 2013),
            **_span("unknown", 2014, 2015),
            2016: "multistakeholder",
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "body: an undated year of a government-led body cannot make a dated government-led year"
        " unknown (it could be no better)",
        lambda: (
            _base()
            .body("AA", "old", "2012", multistakeholder="no", sources=["s2012"])
            .body("AA", "new", "2014", multistakeholder="no", sources=["s2016"])
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            2012: "not_multistakeholder",
            2013: "unknown",
            **_span("not_multistakeholder", 2014, 2016),
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "body: but an undated year of a multistakeholder body keeps a dated partly year unknown",
        lambda: (
            _base()
            .body("AA", "old", "2012", multistakeholder="yes", sources=["s2012"])
            .body("AA", "new", "2014", multistakeholder="partly", sources=["s2016"])
        ),
        "body",
        {
            **_span("unknown", 2010, 2011),
            2012: "multistakeholder",
            **_span("unknown", 2013, 2020),
        },
    ),
    (
        "body: a body only announced (sources dated before its founding) is a plan",
        lambda: _base().body("AA", "b", "2015", sources=["s2014"]),
        "body",
        _span("unknown", 2010, 2020),
    ),
    (
        "body: an absence `none` speaks for the years no body speaks to",
        lambda: (
            _base()
            .absence("AA", "body", "none", ["s2019"])
            .body("AA", "b", "2014", sources=["s2016"])
        ),
        "body",
        {
            **_span("none", 2010, 2013),
            **_span("multistakeholder", 2014, 2016),
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "igf: an edition reported only before its year is a plan; a later source makes it held",
        lambda: (
            _base()
            .initiative("AA", "i", established=2011, sources=["s2012"])
            .edition("AA", "i", 2012, ["s2012"])
            .edition("AA", "i", 2018, ["s2017"])
            .edition("AA", "i", 2019, ["s2017", "s2019"])
        ),
        "igf",
        {
            2010: "none",
            2011: "unknown",
            2012: "held",
            **_span("unknown", 2013, 2018),
            2019: "held",
            2020: "unknown",
        },
    ),
    (
        "igf: a recorded conflict dating the start earlier keeps those years unknown",
        lambda: (
            _base()
            .initiative("AA", "i", established=2014, sources=["s2014"])
            .edition("AA", "i", 2014, ["s2014"])
            .conflict("igf_initiatives", "i", "established", 2014, 2012)
        ),
        "igf",
        {
            **_span("none", 2010, 2011),
            **_span("unknown", 2012, 2013),
            2014: "held",
            **_span("unknown", 2015, 2020),
        },
    ),
    (
        "igf: the n-th edition in Y allows a first edition in Y - n + 1",
        lambda: (
            _base()
            .initiative("AA", "i", established=2014, sources=["s2014"])
            .edition("AA", "i", 2014, ["s2014"], number=3)
        ),
        "igf",
        {
            **_span("none", 2010, 2011),
            **_span("unknown", 2012, 2013),
            2014: "held",
            **_span("unknown", 2015, 2020),
        },
    ),
    (
        "igf: ordinals leaving k editions for n > k years keep them unknown",
        lambda: (
            _base()
            .initiative("AA", "i", sources=["s2012"])
            .edition("AA", "i", 2012, ["s2012"], number=1)
            .edition("AA", "i", 2017, ["s2017"], number=4)
        ),
        "igf",
        {
            **_span("none", 2010, 2011),
            2012: "held",
            **_span("unknown", 2013, 2016),
            2017: "held",
            **_span("unknown", 2018, 2020),
        },
    ),
    (
        "igf: ordinals leaving an edition for every year bridge them; none leave none",
        lambda: (
            _base()
            .initiative("AA", "i", sources=["s2012"])
            .edition("AA", "i", 2012, ["s2012"], number=1)
            .edition("AA", "i", 2014, ["s2014"], number=3)
            .edition("AA", "i", 2016, ["s2016"], number=4)
            .edition("AA", "i", 2019, ["s2019"], number=5)
        ),
        "igf",
        {
            **_span("none", 2010, 2011),
            **_span("held", 2012, 2014),
            2015: "none",
            2016: "held",
            **_span("none", 2017, 2018),
            2019: "held",
            2020: "unknown",
        },
    ),
    (
        "cctld: the coding holds to the latest year the TLD's sources date",
        lambda: _base().cctld("AA", "aa", "yes", ["s2016"], manager_since=2012, delegated="2012"),
        "cctld",
        {
            **_span("none", 2010, 2011),
            **_span("multistakeholder", 2012, 2016),
            **_span("unknown", 2017, 2020),
        },
    ),
    (
        "cctld: a live register read in a year dates the entry then",
        lambda: (
            _base()
            .source("iana", kind="iana_data", accessed="2019-05-01")
            .cctld("AA", "aa", "no", ["iana"], manager_since=2012, delegated="2012")
        ),
        "cctld",
        {
            **_span("none", 2010, 2011),
            **_span("not_multistakeholder", 2012, 2019),
            2020: "unknown",
        },
    ),
    (
        "cctld: a conflict dating the delegation earlier keeps those years unknown",
        lambda: (
            _base()
            .cctld("AA", "aa", "yes", ["s2023"], manager_since=2013, delegated="2013")
            .conflict("cctlds", "aa", "delegated", "2013", "2011")
        ),
        "cctld",
        {2010: "none", **_span("unknown", 2011, 2012), **_span("multistakeholder", 2013, 2020)},
    ),
]


def _case(prefix: str) -> Callable[[], TablesBuilder]:
    return next(build for name, build, _, _ in CASES if name.startswith(prefix))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(case: Case) -> None:
    _, build, mechanism, expected = case
    got = _cells(build().build(), mechanism)["state"].to_dict()
    assert got == expected


def test_partial_ordinals_carry_the_share_held() -> None:
    t = _case("igf: ordinals leaving k editions")().build()  # 1st 2012, 4th 2017: 2 in 2013-2016
    cells = _cells(t, "igf")
    assert cells.loc[2013:2016, "held_share"].tolist() == [0.5] * 4
    assert cells["held_share"].drop(range(2013, 2017)).isna().all()
    assert "2 edition(s) in 4 year(s)" in cells.loc[2014, "note"]


def test_plans_carry_a_note() -> None:
    cells = _cells(_case("igf: an edition reported only before its year")().build(), "igf")
    assert "planned" in cells.loc[2018, "note"] and "s2017" in cells.loc[2018, "note"]
    assert "s2019" in cells.loc[2019, "sources"]


def test_carry_forward_applies_to_the_three_mechanisms_alike() -> None:
    t = (
        _base()
        .body("AA", "b", "2012", sources=["s2014"])
        .cctld("AA", "aa", "yes", ["s2014"], manager_since=2012, delegated="2012")
        .initiative("AA", "i", sources=["s2012"])
        .edition("AA", "i", 2012, ["s2012"], number=1)
        .edition("AA", "i", 2014, ["s2014"], number=2)
        .build()
    )
    for mech, state in (
        ("body", "multistakeholder"),
        ("cctld", "multistakeholder"),
        ("igf", "held"),
    ):
        zero = _cells(t, mech, carry=0)
        two = _cells(t, mech, carry=2)
        assert zero.loc[2015, "state"] == "unknown", mech
        assert two.loc[2015, "state"] == two.loc[2016, "state"] == state, mech
        assert two.loc[2016, "confidence"] == "inferred", mech
        assert two.loc[2017, "state"] == "unknown", mech


def test_one_home_for_which_body_counts() -> None:
    t = (
        _base()
        .body("AA", "ms", "2012", multistakeholder="yes")
        .body("AA", "partly", "2012", multistakeholder="partly")
        .body("AA", "gov", "2012", multistakeholder="no")
        .body("AA", "unk", "2012", multistakeholder="unknown")
        .body("AA", "child", "2012", scope="single_issue")
        .build()
    )
    b = t.ms_bodies.set_index("id", drop=False)
    assert [body_grade(b.loc[i]) for i in b.index] == [
        "multistakeholder",
        "partly_multistakeholder",
        "not_multistakeholder",
        "unknown",
        None,
    ]
    assert [is_ms_body(b.loc[i]) for i in b.index] == [True, True, False, False, False]
    assert ms_body_mask(t.ms_bodies).tolist() == [True, True, False, False, False]
    assert ms_body_mask(t.ms_bodies.iloc[0:0]).tolist() == []


# ---------------------------------------------------------------------------------------------
# Caches that cannot lie (issue 23 item 2)
# ---------------------------------------------------------------------------------------------


def test_a_modified_tables_never_gets_a_stale_panel() -> None:
    t = load()
    before = panel_for(t)
    assert (before["mechanism"] == "body").any()
    no_bodies = dataclasses.replace(t, ms_bodies=t.ms_bodies.iloc[0:0])
    after = panel_for(no_bodies)
    body = after[after["mechanism"] == "body"]
    assert not body["state"].isin(["multistakeholder", "partly_multistakeholder"]).any()
    # an edit in place of the same object is seen too
    t.ms_bodies.loc[:, "scope"] = "single_issue"
    edited = panel_for(t)
    assert edited.equals(after) or not edited.equals(before)
    assert not edited.loc[edited["mechanism"] == "body", "state"].isin(["multistakeholder"]).any()


def test_cached_objects_are_not_shared() -> None:
    a = load()
    a.ms_bodies.loc[:, "multistakeholder"] = "no"
    b = load()
    assert not (b.ms_bodies["multistakeholder"] == "no").all()
    p = panel_for(b)
    p.loc[:, "state"] = "none"
    assert not (panel_for(b)["state"] == "none").all()


def test_a_body_is_evidenced_no_later_than_its_end() -> None:
    """A source dated after a body's end does not date it as existing then."""
    from analysis.measures.panel import body_evidenced_until, source_years

    t = _base().body("AA", "b", "2012", sources=["s2019"], ended="2014").build()
    (b,) = (r for _, r in t.ms_bodies.iterrows())
    assert body_evidenced_until(b, source_years(t)) == 2014


# --------------------------------------------------------------------------- codebook examples


@pytest.mark.parametrize("example", pe.EXAMPLES, ids=[e.key for e in pe.EXAMPLES])
def test_each_worked_example_of_the_codebook_holds(example: pe.PanelExample) -> None:
    """The codebook (section 3.5) prints each example with the verdict the panel computes; the
    verdict stated in ``panel_examples`` must be that one, year by year."""
    assert pe.computed(example) == pe.expected(example)


def test_the_codebook_prints_every_worked_example_with_its_computed_verdict() -> None:
    from analysis.products.codebook import render_codebook

    text = render_codebook()
    section = text[text.index("### 3.5") : text.index("### 3.6")]
    missing = [e.key for e in pe.EXAMPLES if pe.example_sentence(e.key) not in section]
    assert missing == []


def test_a_wrong_verdict_is_caught() -> None:
    """The comparison is not blind: a stated verdict that differs from the computed one fails."""
    e = pe.BY_KEY["igf-ordinals"]
    wrong = dataclasses.replace(e, expect=((2012, 2016, pe.Verdict("held", "sourced")),))
    assert pe.computed(wrong) != pe.expected(wrong)
    assert "2012-2016 `held`, `inferred`" in pe.verdict_text(e)


def test_years_dated_only_by_an_inferred_last_evidenced_are_inferred() -> None:
    """A year only ``last_evidenced`` dates carries that field's own evidence: an inferred
    ``last_evidenced`` resting on other pages makes those years ``inferred`` with those pages,
    while the years the record's own dated sources cover stay ``sourced``."""
    t = _base().body(
        "AA",
        "b",
        "2012",
        sources=["s2014"],
        last_evidenced=2017,
        last_evidenced_confidence="inferred",
        last_evidenced_sources="s2016",
    )
    cells = _cells(t.build(), "body")
    assert cells.loc[2014, "confidence"] == "sourced"
    for y in (2015, 2016, 2017):
        assert cells.loc[y, "state"] == "multistakeholder"
        assert cells.loc[y, "confidence"] == "inferred", y
        assert "s2016" in cells.loc[y, "sources"], y  # beside the founding record's s2014
    assert cells.loc[2018, "state"] == "unknown"
