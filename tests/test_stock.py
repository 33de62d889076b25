"""stock, applicability and the period resolver: constructed panels with known answers, and the
default comparison's shared ranks on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import synthetic

from analysis.measures import comparison as cmp
from analysis.measures.applicability import (
    NOT_APPLICABLE,
    mark_not_applicable,
    not_applicable_cells,
)
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import DEFAULT_WINDOW, THIN_SHARE, resolve_period
from analysis.measures.stock import stock_index, window_matrix
from analysis.model.errors import UserError
from analysis.model.load import Tables

U5, H5 = ["unknown"] * 5, ["held"] * 5
NOT5 = ["not_multistakeholder"] * 5


def test_evidenced_every_year_ranks_above_nothing_known() -> None:
    panel = synthetic(
        {
            "AA": {"cctld": NOT5, "igf": H5, "body": U5},
            "BB": {"cctld": NOT5, "igf": U5, "body": U5},
            "CC": {"cctld": NOT5, "igf": ["held", "held", "none", "none", "none"], "body": U5},
        }
    )
    s = stock_index(panel, 2020, 5).set_index("country")
    assert s.loc["AA", "score"] == pytest.approx((0 + 1 + 0.5) / 3)
    assert s.loc["CC", "score"] == pytest.approx((0 + 0.4 + 0.5) / 3)
    # bounds: unknown years count 0 (low) and 1 (high)
    assert s.loc["BB", "low"] == pytest.approx(0) and s.loc["BB", "high"] == pytest.approx(2 / 3)
    assert s.loc["AA", "low"] == pytest.approx(1 / 3)
    assert list(s.loc[["AA", "BB", "CC"], "rank"]) == [1, 2, 3]


def test_ties_in_the_window_are_separated_by_the_years_before() -> None:
    before = {"AA": ["held"] * 5, "BB": U5}
    panel = synthetic(
        {c: {"cctld": NOT5 * 2, "igf": b + U5, "body": U5 * 2} for c, b in before.items()}
    )
    s = stock_index(panel, 2025, 5).set_index("country")
    assert s.loc["AA", "score"] == s.loc["BB", "score"]
    assert s.loc["AA", "prior_score"] > s.loc["BB", "prior_score"]
    assert (s.loc["AA", "rank"], s.loc["BB", "rank"]) == (1, 2)
    # equal on both windows: a shared rank
    same = synthetic({c: {"cctld": NOT5 * 2, "igf": U5 * 2, "body": U5 * 2} for c in "XY"})
    assert set(stock_index(same, 2025, 5)["rank"]) == {1}


def test_weak_cells_widen_the_stock_bounds() -> None:
    panel = synthetic({"AA": {"cctld": NOT5, "igf": H5, "body": U5}})
    panel.loc[(panel["mechanism"] == "igf") & (panel["year"] == 2020), "evidence"] = "weak"
    m = window_matrix(panel, 2020, 5).loc["AA"]
    assert (m["low_igf"], m["score_igf"], m["high_igf"]) == pytest.approx((0.8, 1.0, 1.0))


def test_not_applicable_is_excluded_not_scored_zero() -> None:
    panel = synthetic(
        {"AA": {"cctld": [NOT_APPLICABLE] * 5, "igf": H5, "body": ["multistakeholder"] * 5}}
    )
    s = stock_index(panel, 2020, 5).iloc[0]
    assert s["score"] == s["low"] == s["high"] == pytest.approx(1.0)
    idx = multisee_index(panel, year=2020).iloc[0]
    assert idx["score"] == pytest.approx(1.0)


def test_kosovo_cctld_is_not_applicable(tables: Tables, panel: pd.DataFrame) -> None:
    assert not_applicable_cells(tables) == {("XK", "cctld")}
    marked = mark_not_applicable(panel, tables)
    xk = marked[(marked["country"] == "XK") & (marked["mechanism"] == "cctld")]
    assert set(xk["state"]) == {NOT_APPLICABLE}
    others = marked[marked["country"] != "XK"]
    assert (others["state"] == panel.loc[others.index, "state"]).all()


def test_resolve_period_rules(tables: Tables, panel: pd.DataFrame) -> None:
    thin = synthetic({"AA": {"cctld": NOT5, "igf": U5, "body": U5}})
    p = resolve_period(2020, thin, tables)
    assert (p.year, p.window) == (2020, 1) and "chosen" in p.reason
    p = resolve_period(2020, thin, tables, window=3)
    assert (p.first, p.year, p.is_stock) == (2018, 2020, True)
    assert "2018-2020" in p.note
    for bad in (0, -1, "x", 2.5, True):
        with pytest.raises(UserError, match="window"):
            resolve_period(2020, thin, tables, window=bad)
    # the shipped data: the latest complete year is thinly documented, so the stock is the default
    d = resolve_period(None, panel, tables)
    assert d.default and d.window == DEFAULT_WINDOW
    assert f"{THIN_SHARE:.0%}" in d.note and str(d.year) in d.note


def _nothing_found(panel: pd.DataFrame, codes: list[str], first: int, last: int) -> set[str]:
    """Jurisdictions whose IGF and body are unknown in every year from first to last."""
    rows = panel[panel["year"].between(first, last) & panel["mechanism"].isin(["igf", "body"])]
    known = set(rows.loc[rows["state"] != "unknown", "country"])
    return {c for c in codes if c not in known}


def test_default_comparison_ties_are_few_and_justified(tables: Tables, panel: pd.DataFrame) -> None:
    c = cmp.comparison("all", tables=tables, panel=panel, n=20)
    p = c.period
    assert p is not None and p.is_stock
    t = c.table.set_index("country")
    from analysis.measures.stock import period_index

    full = period_index(mark_not_applicable(panel, tables), p).set_index("country")
    groups = {
        int(r): sorted(g.index)
        for r, g in full.dropna(subset=["rank"]).groupby("rank")
        if len(g) > 1
    }
    # The groups sharing a rank in the default comparison (they change only with the data).
    assert groups == {18: ["CY", "TR"]}
    for members in groups.values():
        assert len(members) <= 5
        ev = full.loc[members, ["score", "low", "high", "prior_score", "prior_low"]].round(9)
        assert len(ev.drop_duplicates()) == 1, f"{members} share a rank on unequal evidence"
    # GE and UA (several editions) share no rank with a jurisdiction where nothing was found, and
    # rank above those with the same ccTLD state
    ranked = list(full.dropna(subset=["rank"]).index)
    empty = _nothing_found(panel, ranked, p.first - p.window, p.year)
    assert "CY" in empty  # nothing found for its IGF or body in ten years
    for code in ("GE", "UA"):
        assert all(t.loc[code, "rank"] != full.loc[e, "rank"] for e in empty), code
        for e in empty:
            if t.loc[e, "cctld"] == t.loc[code, "cctld"]:
                assert full.loc[code, "rank"] < full.loc[e, "rank"], (code, e)


def test_no_applicable_mechanism_is_unranked_not_first() -> None:
    panel = synthetic(
        {
            "AA": {"cctld": [NOT_APPLICABLE] * 5, "igf": H5, "body": U5},
            "BB": {"cctld": NOT5, "igf": H5, "body": U5},
        }
    )
    only_cctld = {"cctld": 1.0, "igf": 0.0, "body": 0.0}
    s = stock_index(panel, 2020, 5, weights=only_cctld).set_index("country")
    assert pd.isna(s.loc["AA", "score"]) and pd.isna(s.loc["AA", "rank"])
    assert s.loc["BB", "rank"] == 1
    idx = multisee_index(panel, weights=only_cctld, year=2020).set_index("country")
    assert pd.isna(idx.loc["AA", "rank"]) and idx.loc["BB", "rank"] == 1


# --------------------------------------------------------------------------- partial ordinals
def _partial_panel() -> pd.DataFrame:
    """The 3rd edition in 2017 and the 7th in 2022, nothing found between: 3 editions for the 4
    unknown years 2018-2021 (``held_share`` 0.75)."""
    from analysis.measures.panel import adoption_panel
    from analysis.model.synthetic import TablesBuilder

    b = (
        TablesBuilder()
        .country("AA")
        .source("s2017", published=2017)
        .source("s2023", published=2023)
    )
    b.initiative("AA", "aa-igf").edition("AA", "aa-igf", 2017, ["s2017"], 3)
    b.edition("AA", "aa-igf", 2022, ["s2023"], 7)
    return adoption_panel(b.build(), start=2010, end=2023)


def test_the_stock_reads_how_many_unknown_years_the_ordinals_hold() -> None:
    from analysis.measures.stock import partial_ordinal_spans

    panel = _partial_panel()
    assert partial_ordinal_spans(panel) == [("AA", (2018, 2019, 2020, 2021), 3)]
    # the whole run in the window: 3 of its 4 years held, known exactly
    whole = window_matrix(panel, 2021, 4).loc["AA"]
    assert whole[["low_igf", "score_igf", "high_igf"]].tolist() == pytest.approx([0.75] * 3)
    # two of its years in the window: at least 3 - (4 - 2) = 1 held, at most 2, expected 1.5
    part = window_matrix(panel, 2019, 2).loc["AA"]
    assert part[["low_igf", "score_igf", "high_igf"]].tolist() == pytest.approx([0.5, 0.75, 1.0])
    # a window without the run is untouched (2022 held; 2023, after the last edition, unknown)
    after = window_matrix(panel, 2023, 2).loc["AA"]
    assert after[["low_igf", "score_igf", "high_igf"]].tolist() == pytest.approx([0.5, 0.75, 1.0])
