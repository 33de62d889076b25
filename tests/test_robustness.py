"""robustness: the joint Monte Carlo, rank intervals and the variance attribution, on constructed
panels whose answer is known, and its cost on the shipped data."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from conftest import synthetic

from analysis.measures.applicability import NOT_APPLICABLE, mark_not_applicable
from analysis.measures.robustness import CHOICES, aggregate, first_order, robustness
from analysis.measures.selection import Period, resolve_period
from analysis.model.errors import UserError
from analysis.model.load import Tables

YEAR = Period(2016, 1, "", False)


def one_year(states: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    return synthetic(
        {c: {"cctld": [a], "igf": [b], "body": [d]} for c, (a, b, d) in states.items()}
    )


def test_imputation_planted_as_the_only_driver() -> None:
    panel = one_year(
        {
            "AA": ("not_multistakeholder", "held", "multistakeholder"),
            "BB": ("not_multistakeholder", "unknown", "unknown"),
        }
    )
    r = robustness(panel, YEAR, n=600, seed=3)
    a = r.attribution.set_index("country")
    assert a.loc["BB", "driver"] == "imputation"
    assert a.loc["BB", "imputation"] > 0.8
    for choice in ("weights", "partial", "aggregation"):
        assert a.loc["BB", choice] < 0.05, choice
    # AA is first whatever the choices: its rank never moves, nothing drives it
    assert a.loc["AA", "driver"] == "" and (a.loc["AA", list(CHOICES)] == 0).all()
    iv = r.intervals.set_index("country")
    assert (iv.loc["AA", "rank_p05"], iv.loc["AA", "rank_p95"]) == (1, 1)
    assert (iv.loc["BB", "rank_p05"], iv.loc["BB", "rank_p95"]) == (1, 2)


def test_a_choice_that_does_not_vary_gets_no_attribution() -> None:
    # no partial state anywhere: the partial score cannot move a rank
    panel = one_year(
        {
            "AA": ("multistakeholder", "none", "unknown"),
            "BB": ("not_multistakeholder", "held", "unknown"),
            "CC": ("not_multistakeholder", "none", "multistakeholder"),
        }
    )
    r = robustness(panel, YEAR, n=800, seed=5)
    a = r.attribution.set_index("country")
    assert (a["partial"] < 0.05).all()  # ~0: estimation noise only
    assert a["weights"].max() > 0.1  # the mechanism each leads on decides: weights matter
    only = robustness(panel, YEAR, n=200, seed=5, choices=("partial",))
    assert (only.attribution[list(CHOICES)] == 0).all().all()
    assert (only.intervals["rank_p05"] == only.intervals["rank_p95"]).all()


def test_weights_planted_as_dominant() -> None:
    panel = one_year(
        {
            "AA": ("multistakeholder", "none", "none"),
            "BB": ("not_multistakeholder", "held", "none"),
        }
    )
    r = robustness(panel, YEAR, n=800, seed=7, choices=("weights", "partial", "imputation"))
    a = r.attribution.set_index("country")
    assert (a["driver"] == "weights").all()
    assert (a["weights"] > 0.9).all()


def test_partial_states_vary_and_not_applicable_stays_out() -> None:
    panel = one_year(
        {
            "AA": ("partly_multistakeholder", "none", "none"),
            "BB": (NOT_APPLICABLE, "held", "multistakeholder"),
        }
    )
    r = robustness(panel, YEAR, n=300, seed=1)
    iv = r.intervals.set_index("country")
    # BB: held and active, ccTLD left out: 1 in every draw and every aggregation
    assert iv.loc["BB", "score_p05"] == pytest.approx(1.0)
    lo, hi = iv.loc["AA", ["score_p05", "score_p95"]]
    assert 0 <= lo < hi <= 0.75 / 3 + 0.3  # the partial score moves AA's score


def test_aggregations() -> None:
    v = np.array([[1.0, 0.0, 0.0], [0.3, 0.3, np.nan]])
    w = np.array([1 / 3, 1 / 3, 1 / 3])
    assert aggregate(v, w, "arithmetic") == pytest.approx([1 / 3, 0.3])
    assert aggregate(v, w, "geometric") == pytest.approx([2 ** (1 / 3) - 1, 0.3])
    assert aggregate(v, w, "counting") == pytest.approx([1 / 3, 0.0])
    with pytest.raises(UserError):
        aggregate(v, w, "median")


def test_seeded_and_checked(tables: Tables, panel: pd.DataFrame) -> None:
    marked = mark_not_applicable(panel, tables)
    period = resolve_period(None, marked, tables)
    a = robustness(marked, period, n=50, seed=2)
    b = robustness(marked, period, n=50, seed=2)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    pd.testing.assert_frame_equal(a.attribution, b.attribution)
    core = a.intervals.dropna(subset=["rank_p50"])
    assert (core["rank_p05"] <= core["rank_p50"]).all()
    assert (core["rank_p50"] <= core["rank_p95"]).all()
    for bad in ({"n": 0}, {"concentration": 0}, {"choices": ("colour",)}):
        with pytest.raises(UserError):
            robustness(marked, period, **bad)  # type: ignore[arg-type]


def test_default_draws_are_fast(tables: Tables, panel: pd.DataFrame) -> None:
    marked = mark_not_applicable(panel, tables)
    period = resolve_period(None, marked, tables)
    start = time.perf_counter()
    r = robustness(marked, period)
    assert time.perf_counter() - start < 10
    assert r.n == 1000 and set(r.choices) == set(CHOICES)


def test_first_order_index_of_a_planted_and_an_idle_choice() -> None:
    rng = np.random.default_rng(0)
    pick = rng.integers(0, 3, 3000)
    planted = pick[:, None].astype(float)  # the rank is the level
    idle = rng.integers(1, 4, (3000, 1)).astype(float)  # the rank ignores the level
    assert first_order(planted, pick)[0] == pytest.approx(1.0, abs=1e-3)
    assert first_order(idle, pick)[0] < 0.01
    assert first_order(np.ones((10, 1)), pick[:10])[0] == 0  # a rank that never moves


def test_imputation_spans_the_bounds() -> None:
    panel = one_year({"AA": ("multistakeholder", "unknown", "unknown")})
    r = robustness(panel, YEAR, n=400, seed=0, choices=("imputation",))
    lo, hi = r.intervals.loc[0, ["score_p05", "score_p95"]]
    assert (lo, hi) == pytest.approx((1 / 3, 1.0))  # low: unknowns 0; high: unknowns 1


def test_no_applicable_mechanism_stays_unranked_in_every_draw() -> None:
    panel = one_year(
        {
            "AA": (NOT_APPLICABLE, "held", "multistakeholder"),
            "BB": ("not_multistakeholder", "held", "multistakeholder"),
        }
    )
    r = robustness(panel, YEAR, n=100, seed=0, weights={"cctld": 1, "igf": 0, "body": 0})
    iv = r.intervals.set_index("country")
    assert iv.loc[["AA"], ["score_p50", "rank_p05", "rank_p95"]].isna().all().all()
    assert (iv.loc["BB", "rank_p05"], iv.loc["BB", "rank_p95"]) == (1, 1)
