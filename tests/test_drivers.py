"""Issues 13 and 20 ("why did some countries succeed?"): the permutation test and the Firth
event-history model on synthetic data where the answer is known (size and planted effects), first
adoptions, sequences and imputations on a synthetic panel, the neighbours file, name matching, the
honesty of the generated notes and summary, the README block, and the notebook under papermill.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.measures.borders import adjacency, adjacency_matrix, load_neighbours
from analysis.measures.drivers import drivers
from analysis.measures.drivers_actors import actor_links, aliases, matches
from analysis.measures.drivers_model import imputations, model_years
from analysis.measures.drivers_timing import (
    GLOBAL_IGF_START,
    first_adoptions,
    order_counts,
    precedence,
    regional_initiatives,
    sequences,
    years_of,
)
from analysis.measures.stats import (
    NEVER,
    exposure_test,
    firth_logit,
    hazard_fit,
    hazard_test,
    holm,
    minimum_detectable,
    person_years,
    power,
    shuffle_within,
    simulate_first_years,
    wald_reject,
)
from analysis.model.errors import UserError
from analysis.model.load import load
from analysis.model.vocab import MECHANISMS

# --------------------------------------------------------------------------------------------
# The permutation test on synthetic data
# --------------------------------------------------------------------------------------------


def _random_graph(rng: np.random.Generator, n: int, p: float = 0.12) -> np.ndarray:
    a = np.triu(rng.random((n, n)) < p, 1)
    return a | a.T


def _random_tree(n: int, draws: list[int]) -> tuple[np.ndarray, list[int]]:
    """A tree in which node i hangs from one of the three nodes before it (so chains are long
    and adoption years spread out); returns (adjacency, depths)."""
    a = np.zeros((n, n), dtype=bool)
    depth = [0] * n
    for i in range(1, n):
        j = i - 1 - draws[i - 1] % min(i, 3)
        a[i, j] = a[j, i] = True
        depth[i] = depth[j] + 1
    return a, depth


def test_p_values_are_roughly_uniform_without_an_effect() -> None:
    """Years drawn independently of the borders (and of group membership): over many seeds, about
    5% of the p-values fall below 0.05 and about half below 0.5."""
    p_net, p_group = [], []
    for s in range(250):
        rng = np.random.default_rng(1000 + s)
        n = 30
        years = rng.integers(2000, 2020, n).astype(float)
        years[rng.random(n) < 0.3] = NEVER
        r = exposure_test(
            years, 2000, 2019, neighbours=_random_graph(rng, n), n_permutations=199, seed=s
        )
        p_net.append(r.p_value)
        member = np.repeat((rng.random(n) < 0.4)[:, None], 20, axis=1)
        r = exposure_test(
            years, 2000, 2019, exposure=member, n_permutations=199, seed=s, alternative="two-sided"
        )
        p_group.append(r.p_value)
    for ps in (np.array(p_net), np.array(p_group)):
        assert 0.01 <= (ps < 0.05).mean() <= 0.10
        assert 0.40 <= (ps <= 0.5).mean() <= 0.60


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(min_value=10, max_value=30),
    parents=st.lists(st.integers(min_value=0, max_value=10_000), min_size=29, max_size=29),
    start=st.integers(min_value=1990, max_value=2005),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_a_planted_contagion_is_found(n: int, parents: list[int], start: int, seed: int) -> None:
    """Each jurisdiction adopts the year after its parent in a tree of shared borders: every
    adoption but the first follows a neighbour's, and the test says so. (Where all but the first
    adopt in one year, as in a star, the timing carries no information and no test can tell:
    the trees here are chain-like.)"""
    a, depth = _random_tree(n, parents)
    years = np.array([start + d for d in depth], dtype=float)
    r = exposure_test(years, start - 1, start + n, neighbours=a, n_permutations=199, seed=seed)
    assert r.observed == n - 1
    assert r.n_events == n
    assert r.p_value < 0.05


def test_a_planted_group_effect_is_found() -> None:
    rng = np.random.default_rng(7)
    members = np.array([True] * 8 + [False] * 12)
    years = np.where(members, rng.integers(2000, 2004, 20), rng.integers(2010, 2016, 20))
    x = np.repeat(members[:, None], 2020 - 1995 + 1, axis=1)
    r = exposure_test(
        years.astype(float), 1995, 2020, exposure=x, n_permutations=499, alternative="two-sided"
    )
    assert r.observed == 8
    assert r.p_value < 0.01


@settings(max_examples=40, deadline=None)
@given(
    years=st.lists(
        st.one_of(st.integers(min_value=1995, max_value=2020), st.just(9999)),
        min_size=2,
        max_size=15,
    ),
    edges=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)), max_size=30),
    seed=st.integers(0, 1000),
    order=st.randoms(use_true_random=False),
)
def test_permutation_test_properties(
    years: list[int], edges: list[tuple[int, int]], seed: int, order: Any
) -> None:
    """p lies in [1/(P+1), 1]; the one-sided p-values overlap (their sum exceeds 1); relabelling
    the jurisdictions changes neither O nor E."""
    n = len(years)
    y = np.array([NEVER if v == 9999 else float(v) for v in years])
    a = np.zeros((n, n), dtype=bool)
    for i, j in edges:
        if i < n and j < n and i != j:
            a[i, j] = a[j, i] = True
    kw: dict[str, Any] = {"neighbours": a, "n_permutations": 99, "seed": seed}
    greater = exposure_test(y, 1995, 2020, **kw)
    less = exposure_test(y, 1995, 2020, alternative="less", **kw)
    if math.isnan(greater.p_value):
        assert greater.n_events == 0
        return
    assert 1 / 100 <= greater.p_value <= 1
    assert greater.p_value + less.p_value > 1
    perm = list(range(n))
    order.shuffle(perm)
    relabelled = exposure_test(
        y[perm], 1995, 2020, neighbours=a[np.ix_(perm, perm)], n_permutations=9, seed=seed
    )
    assert relabelled.observed == greater.observed
    assert relabelled.expected == pytest.approx(greater.expected)


def test_exposure_test_rejects_bad_input() -> None:
    y = np.array([2000.0, 2001.0])
    with pytest.raises(UserError, match="exactly one"):
        exposure_test(y, 2000, 2001)
    with pytest.raises(UserError, match="must be 2 x 2"):
        exposure_test(y, 2000, 2001, neighbours=np.zeros((3, 3), dtype=bool))
    with pytest.raises(UserError, match="unknown alternative"):
        exposure_test(y, 2000, 2001, neighbours=np.zeros((2, 2), dtype=bool), alternative="up")


def test_no_adoption_in_the_window_is_not_tested() -> None:
    r = exposure_test(
        np.array([NEVER, NEVER, 1980.0]), 2000, 2010, neighbours=np.ones((3, 3), bool)
    )
    assert math.isnan(r.p_value)
    assert "nothing to test" in r.note


def test_holm() -> None:
    assert holm([0.01, 0.04, None, 0.03]) == [0.03, 0.06, None, 0.06]
    assert holm([]) == []


# --------------------------------------------------------------------------------------------
# Firth's penalised logit and the event-history model on synthetic data
# --------------------------------------------------------------------------------------------


def test_firth_on_a_separated_two_by_two_table() -> None:
    """Complete separation: maximum likelihood diverges, Firth's estimate is finite and, for a
    2 x 2 table, equals the log odds ratio with 1/2 added to every cell (Haldane)."""
    x = np.array([0, 0, 0, 0, 1, 1, 1, 1.0])
    X = np.column_stack([np.ones(8), x])
    fit = firth_logit(X, x)  # y == x: separated
    assert fit.converged
    assert fit.coef[1] == pytest.approx(math.log(4.5 * 4.5 / (0.5 * 0.5)), abs=1e-6)
    assert fit.coef[0] == pytest.approx(math.log(0.5 / 4.5), abs=1e-6)
    y = np.array([1, 0, 0, 0, 1, 1, 1, 0.0])  # not separated: 1 of 4 vs 3 of 4
    fit = firth_logit(X, y)
    assert fit.coef[1] == pytest.approx(math.log(3.5 * 3.5 / (1.5 * 1.5)), abs=1e-6)
    # grouped rows (trials and shares) give the same fit as the rows one by one
    g = firth_logit(np.array([[1, 0], [1, 1.0]]), np.array([0.25, 0.75]), np.array([4, 4.0]))
    assert g.coef == pytest.approx(fit.coef, abs=1e-6)
    assert g.se == pytest.approx(fit.se, abs=1e-6)


def test_the_grouped_design_fits_as_the_person_years() -> None:
    rng = np.random.default_rng(5)
    n, years = 25, np.arange(2000, 2020)
    a = _random_graph(rng, n, 0.15)
    first = simulate_first_years(
        rng, 4, np.full(n, NEVER), years, (-3.0, 0.6), math.log(2), neighbours=a
    )
    X, y, w = person_years(first, years, neighbours=a)
    slow = firth_logit(X, y, w)
    fast = hazard_fit(first, years, neighbours=a)
    assert fast.coef == pytest.approx(slow.coef, abs=1e-8)
    assert fast.se == pytest.approx(slow.se, abs=1e-8)


def test_an_adjusted_model_fits_as_the_person_years_and_shuffles_within_strata() -> None:
    """With a fixed covariate to adjust for, the grouped design (4 rows a year) fits as the
    person-years with that column, and the permutations keep each unit in its stratum. A group
    effect that is only the covariate's vanishes once adjusted for."""
    rng = np.random.default_rng(6)
    n, years = 200, np.arange(2000, 2020)
    z = rng.random(n) < 0.3  # e.g. former Soviet republics
    member = z & (rng.random(n) < 0.8)  # e.g. the Eastern Partnership: almost all of them
    x = np.repeat(member[:, None], len(years), axis=1)
    first = simulate_first_years(
        rng,
        1,
        np.full(n, NEVER),
        years,
        (-3.5, 0.3),
        math.log(4),
        exposure=np.repeat(z[:, None], len(years), axis=1),
    )  # the hazard depends on z, not on membership
    X, y, w = person_years(first, years, exposure=x)
    zc = np.repeat(z.astype(float), len(years))[None, :, None]
    slow = firth_logit(np.concatenate([X[..., :2], zc, X[..., 2:]], axis=-1), y, w)
    fast = hazard_fit(first, years, exposure=x, adjust=z)
    assert fast.coef == pytest.approx(slow.coef, abs=1e-8)
    crude = hazard_test(first, years, exposure=x, n_permutations=199, alternative="two-sided")
    adjusted = hazard_test(
        first, years, exposure=x, n_permutations=199, alternative="two-sided", adjust=z
    )
    assert crude.p_value < 0.01 and crude.odds_ratio > 2
    assert adjusted.ci_low < 1 < adjusted.ci_high and adjusted.p_value > 0.05
    perm = shuffle_within(np.random.default_rng(0), n, z)
    assert (z[perm] == z).all() and sorted(perm) == list(range(n))


def test_a_planted_time_varying_group_effect_is_recovered() -> None:
    """Members join the group in staggered years; while members their yearly odds of adopting are
    four times the others'. The model finds the odds ratio (interval covering 4, p small); with
    the exposure switched off in the simulation it finds nothing."""
    rng = np.random.default_rng(11)
    n, years = 300, np.arange(1995, 2021)
    joins = rng.integers(1995, 2030, n)  # some join after the window: never members
    x = years[None, :] >= joins[:, None]
    first = simulate_first_years(
        rng, 1, np.full(n, NEVER), years, (-3.5, 0.3), math.log(4), exposure=x
    )
    r = hazard_test(first, years, exposure=x, n_permutations=199, alternative="two-sided")
    assert r.ci_low < 4 < r.ci_high
    assert r.odds_ratio > 2
    assert r.p_value < 0.01
    null = simulate_first_years(rng, 1, np.full(n, NEVER), years, (-3.5, 0.3), 0.0, exposure=x)
    r0 = hazard_test(null, years, exposure=x, n_permutations=199, alternative="two-sided")
    assert r0.ci_low < 1 < r0.ci_high


def test_the_hazard_model_holds_its_size_without_an_effect() -> None:
    """No effect, real-sized data (n = 20, 20 years, a random border graph): the permutation
    p-value falls below 0.05 in about 5% of data sets, and so does the penalised Wald test that
    the power simulation uses."""
    rng = np.random.default_rng(2)
    n, years = 20, np.arange(2006, 2026)
    a = _random_graph(rng, n, 0.2)
    ps = []
    for s in range(120):
        first = simulate_first_years(
            np.random.default_rng(s), 1, np.full(n, NEVER), years, (-2.5, 0.5), 0.0, neighbours=a
        )
        r = hazard_test(first, years, neighbours=a, n_permutations=99, seed=s)
        if not math.isnan(r.p_value):
            ps.append(r.p_value)
    ps_arr = np.array(ps)
    assert len(ps_arr) > 100
    assert 0.01 <= (ps_arr < 0.05).mean() <= 0.11
    assert 0.35 <= (ps_arr <= 0.5).mean() <= 0.65
    wald = power(np.full(n, NEVER), years, (-2.5, 0.5), [1.0], neighbours=a, n_sim=400, seed=1)
    assert 0.01 <= wald[1.0] <= 0.10


def test_the_wald_power_does_not_overstate_the_permutation_tests_power() -> None:
    """The power printed with each result is the penalised Wald test's (fast); on simulated data
    with an effect the permutation test rejects at least about as often, so the printed power is,
    if anything, an underestimate."""
    rng = np.random.default_rng(8)
    n, years = 20, np.arange(2006, 2026)
    a = _random_graph(rng, n, 0.2)
    sims = simulate_first_years(rng, 100, np.full(n, NEVER), years, (-2.5, 0.5), math.log(4),
                                neighbours=a)  # fmt: skip
    wald = wald_reject(hazard_fit(sims, years, neighbours=a)).mean()
    perm = np.mean(
        [
            hazard_test(s[None, :], years, neighbours=a, n_permutations=99, seed=i).p_value < 0.05
            for i, s in enumerate(sims)
        ]
    )
    assert perm >= wald - 0.05, (perm, wald)


def test_power_grows_with_the_effect_and_gives_a_minimum_detectable_effect() -> None:
    rng = np.random.default_rng(4)
    n, years = 40, np.arange(2000, 2020)
    a = _random_graph(rng, n, 0.15)
    pw = power(np.full(n, NEVER), years, (-3.0, 0.5), [1.0, 3.0, 10.0], neighbours=a, n_sim=200)
    assert pw[1.0] < pw[3.0] < pw[10.0]
    assert minimum_detectable({2.0: 0.5, 4.0: 0.9}) == pytest.approx(2 ** (1 + 3 / 4))
    assert minimum_detectable({2.0: 0.85}) == 2.0
    assert minimum_detectable({2.0: 0.1, 3.0: 0.3}) is None


# --------------------------------------------------------------------------------------------
# First adoptions and sequences on a synthetic panel
# --------------------------------------------------------------------------------------------

YEARS = range(1990, 2001)


def _cells(country: str, mechanism: str, states: dict[int, str]) -> list[dict[str, Any]]:
    rows = []
    for y in YEARS:
        s = states.get(y, "unknown")
        rows.append(
            {
                "country": country,
                "scope_role": "core",
                "year": y,
                "mechanism": mechanism,
                "state": s,
                "confidence": None if s == "unknown" else "sourced",
                "evidence": None if s == "unknown" else "strong",
                "sources": "" if s == "unknown" else f"src-{country}-{mechanism}",
            }
        )
    return rows


def _span(first: int, adopted: str, before: str = "none", start: int = 1990) -> dict[int, str]:
    return {y: (adopted if y >= first else before) for y in YEARS if y >= start}


@pytest.fixture()
def synthetic() -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    # AA: every year known; ccTLD 1992, IGF 1995, body 1998: a determined order.
    rows += _cells("AA", "cctld", _span(1992, "multistakeholder", "not_multistakeholder"))
    rows += _cells("AA", "igf", _span(1995, "held"))
    rows += _cells("AA", "body", _span(1998, "multistakeholder"))
    # BB: IGF 1994 known; ccTLD unknown throughout; body known none: pairs partly determined.
    rows += _cells("BB", "cctld", {})
    rows += _cells("BB", "igf", _span(1994, "held"))
    rows += _cells("BB", "body", {y: "none" for y in YEARS})
    # CC: all three in 1996, ccTLD unknown before 1993 (so adopted "by" 1996 from 1990 on).
    rows += _cells("CC", "cctld", _span(1996, "partly_multistakeholder", "none", start=1993))
    rows += _cells("CC", "igf", _span(1996, "dormant"))
    rows += _cells("CC", "body", _span(1996, "multistakeholder"))
    return pd.DataFrame(rows)


def test_first_adoptions_statuses(synthetic: pd.DataFrame) -> None:
    fa = first_adoptions(synthetic).set_index(["country", "mechanism"])
    assert fa.loc[("AA", "cctld"), "status"] == "known"
    assert fa.loc[("AA", "cctld"), "first_year"] == 1992
    assert fa.loc[("AA", "cctld"), "sources"] == "src-AA-cctld"
    assert fa.loc[("BB", "cctld"), "status"] == "unknown"
    assert fa.loc[("BB", "cctld"), "earliest"] == 1990
    assert pd.isna(fa.loc[("BB", "cctld"), "first_year"])
    assert fa.loc[("BB", "body"), "status"] == "not_adopted"
    assert fa.loc[("CC", "cctld"), "status"] == "by"
    assert (fa.loc[("CC", "cctld"), "earliest"], fa.loc[("CC", "cctld"), "first_year"]) == (
        1990,
        1996,
    )
    assert fa.loc[("CC", "igf"), "status"] == "known"  # dormant counts as adopted


def test_years_under_each_variant(synthetic: pd.DataFrame) -> None:
    fa = first_adoptions(synthetic)
    assert years_of(fa, "cctld", "known").to_dict() == {"AA": 1992.0}
    assert years_of(fa, "cctld", "pessimistic").to_dict() == {
        "AA": 1992.0,
        "BB": NEVER,
        "CC": 1996.0,
    }
    assert years_of(fa, "cctld", "optimistic").to_dict() == {
        "AA": 1992.0,
        "BB": 1990.0,
        "CC": 1990.0,
    }
    with pytest.raises(UserError):
        years_of(fa, "cctld", "hopeful")


def test_sequences_and_their_counts(synthetic: pd.DataFrame) -> None:
    fa = first_adoptions(synthetic)
    seq = sequences(fa, synthetic).set_index("country")
    assert seq.loc["AA", "order"] == "cctld → igf → body"
    assert seq.loc["BB", "order"] == "undetermined"
    assert "igf before body" in seq.loc["BB", "relations"]
    assert seq.loc["BB", "order_pessimistic"] == "igf (not adopted: cctld, body)"
    assert seq.loc["BB", "order_optimistic"] == "cctld → igf (not adopted: body)"
    assert seq.loc["CC", "order"] == "undetermined"  # the ccTLD may come first
    assert seq.loc["CC", "order_pessimistic"] == "cctld = igf = body"
    counts = order_counts(seq.reset_index()).set_index("order")
    assert counts.loc["cctld → igf → body", "known"] == 1
    assert counts.loc["undetermined", "known"] == 2
    assert counts["pessimistic"].sum() == 3
    pr = precedence(fa, synthetic).set_index(["pair", "relation"])
    assert pr.loc[("cctld / igf", "cctld first (or only cctld)"), "known"] == 1
    assert pr.loc[("cctld / igf", "cannot be told"), "known"] == 2
    assert pr.loc[("igf / body", "igf first (or only igf)"), "known"] == 2  # AA and BB
    assert pr.groupby("pair")["known"].sum().eq(3).all()


def test_weak_evidence_can_count_as_unknown(synthetic: pd.DataFrame) -> None:
    p = synthetic.copy()
    weak = (p["country"] == "AA") & (p["mechanism"] == "body") & (p["year"] == 1998)
    p.loc[weak, "evidence"] = "weak"
    as_coded = first_adoptions(p).set_index(["country", "mechanism"])
    assert as_coded.loc[("AA", "body"), "first_year"] == 1998
    strict = first_adoptions(p, weak_as_unknown=True).set_index(["country", "mechanism"])
    assert strict.loc[("AA", "body"), "status"] == "by"
    assert (
        strict.loc[("AA", "body"), "earliest"],
        strict.loc[("AA", "body"), "first_year"],
    ) == (1998, 1999)
    # IGF years before the first global IGF (2006) are never possible: a weak 1995 edition
    # counted as unknown leaves 1996 the determined first year in this synthetic panel
    weak = (p["country"] == "AA") & (p["mechanism"] == "igf") & (p["year"] == 1995)
    p.loc[weak, "evidence"] = "weak"
    strict = first_adoptions(p, weak_as_unknown=True).set_index(["country", "mechanism"])
    assert strict.loc[("AA", "igf"), "status"] == "known"
    assert strict.loc[("AA", "igf"), "first_year"] == 1996


def test_imputations_draw_only_possible_years_from_the_substantive_start() -> None:
    """Unknown IGF years before the first global IGF (2006) are not possible first years; the
    imputations keep determined years and draw the others from the years they may fall in."""
    years = range(2000, 2021)
    rows: list[dict[str, Any]] = []
    for code, states in (
        ("DD", {}),  # never seen: unknown throughout
        ("EE", {y: "held" for y in range(2015, 2021)}),  # by 2015, unknown before
        ("FF", {y: ("held" if y >= 2010 else "none") for y in years}),  # 2010, determined
        ("GG", {y: "none" for y in years}),  # never adopted, every year known
    ):
        for y in years:
            st = states.get(y, "unknown")
            rows.append(
                {"country": code, "scope_role": "core", "year": y, "mechanism": "igf",
                 "state": st, "confidence": None if st == "unknown" else "sourced",
                 "evidence": None if st == "unknown" else "strong",
                 "sources": "" if st == "unknown" else f"src-{code}"}
            )  # fmt: skip
    panel = pd.DataFrame(rows)
    fa = first_adoptions(panel)
    f = fa.set_index("country")
    assert f.loc["DD", "earliest"] == GLOBAL_IGF_START == 2006
    assert f.loc["EE", "label"] == "by 2015 (maybe from 2006)"
    imp = imputations(fa, panel, ["DD", "EE", "FF", "GG"], "igf", (2000, 2020), m=300, seed=1)
    dd, ee, ff, gg = imp.T
    finite = dd[np.isfinite(dd)]
    assert finite.min() >= 2006 and finite.max() <= 2020 and np.isinf(dd).any()
    assert ee.min() >= 2006 and ee.max() == 2015 and np.isfinite(ee).all()
    assert (ff == 2010).all() and np.isinf(gg).all()
    assert list(model_years("igf", (2000, 2020))) == list(range(2006, 2021))


# --------------------------------------------------------------------------------------------
# Shared borders, regional initiatives, name matching (shipped data)
# --------------------------------------------------------------------------------------------


def test_adjacency_on_the_shipped_neighbours_file() -> None:
    adj = adjacency()
    assert "HR" in adj["RS"] and "RS" in adj["HR"]
    assert {"TR"} <= adj["CY"]  # a sea link (70 km)
    assert {"AT", "IT", "FR", "DE"} <= adj["CH"]  # its neighbours are outside the scope
    assert {"RS", "ME", "MK", "AL"} <= adj["XK"]
    assert {"IT", "AT", "PL", "BY", "KZ", "IR", "SK"} <= set(adj)  # out of scope, listed
    assert "TR" not in adj["AM"] and "AZ" not in adj["AM"]  # closed borders left out
    assert {"TR", "AZ"} <= adjacency(matrix="with_closed")["AM"]
    assert all(a in adj[b] for a, ns in adj.items() for b in ns)  # symmetric
    m = adjacency_matrix(adj, ["RS", "HR", "CY"])
    assert m.tolist() == [[False, True, False], [True, False, False], [False, False, False]]
    nb = load_neighbours()
    assert {(c.a, c.b) for c in nb.closed} == {("AM", "TR"), ("AM", "AZ")}
    assert all(c.sources for c in nb.closed if c.confidence == "sourced")
    assert nb.confidence("post-soviet") == "recalled" and nb.confidence("land") == "derived"
    lang = nb.matrix(["RS", "HR", "BA", "ME", "AL"], "language")
    assert lang[:4, :4].sum() == 12 and not lang[4].any()
    assert len(nb.pairs("ripe-ncc")) == 21 * 20 // 2


def test_the_neighbours_file_is_not_a_data_record() -> None:
    """Files under data/boundaries/ are geometry and what is derived from it: neither validated
    as records nor part of the data hash."""
    from analysis.model.datafiles import data_files
    from analysis.model.paths import NEIGHBOURS
    from analysis.model.validate import discover

    assert NEIGHBOURS.exists()
    assert NEIGHBOURS not in data_files() and NEIGHBOURS not in discover()
    assert any(p.parent.name == "countries" for p in discover())


def test_the_neighbours_file_matches_the_boundary_geometry() -> None:
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_neighbours.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("near_km: 250\nborders:\n- {pair: [AL, GR], kind: road}\n", r"borders\[0\]\.kind"),
        ("near_km: 250\nborders:\n- {pair: [AL]}\n", r"borders\[0\]\.pair"),
        (
            "near_km: 250\nborders: []\nclosed:\n- {pair: [AM, TR], confidence: recalled}\n",
            r"closed\[0\]\.pair: AM-TR is not a border",
        ),
        (
            "near_km: 250\nborders:\n- {pair: [AM, TR], kind: land}\nclosed:\n"
            "- {pair: [AM, TR], confidence: sourced}\n",
            r"closed\[0\]\.sources",
        ),
        ("borders: []\n", "near_km"),
    ],
)
def test_a_bad_neighbours_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "neighbours.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match=message) as err:
        load_neighbours(p)
    assert "neighbours.yaml" in str(err.value)


def test_regional_initiatives_start_as_coded(tables: Any) -> None:
    reg = regional_initiatives(tables).set_index("acronym")
    assert reg.loc["EuroDIG", "start"] == 2008
    assert reg.loc["SEEDIG", "start"] == 2015
    assert all(reg["sources"].str.len() > 0)


def test_aliases_and_matches() -> None:
    names = aliases("Serbian National Internet Domain Registry (RNIDS)")
    assert "rnids" in names and "serbian national internet domain registry" in names
    assert matches("RNIDS", names) == "rnids"
    assert matches("RNIDSX", names) == ""
    assert "icann" not in aliases("ICANN")  # too generic to identify a manager
    assert matches("Internet Society Armenia (ISOC AM)", aliases('"Internet Society" NGO'))


def test_actor_links_on_shipped_data(tables: Any) -> None:
    links = actor_links(tables)
    rs = links[(links["country"] == "RS") & (links["registry_match"] != "")]
    assert set(rs["actor"]) == {"RNIDS"}
    assert rs["registry_earlier"].tolist() == [True]
    assert all(links["sources"].str.len() > 0)
    isoc = links[links["isoc"].astype(bool)]
    assert isoc["actor"].str.contains("ISOC|Internet Society", regex=True).all()


# --------------------------------------------------------------------------------------------
# The bundle on the shipped data: counts add up, notes cite sources
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> Any:
    """The defaults of the notebook and the README (measured: about 10-15 s)."""
    return drivers()


def test_counts_add_up_and_unknowns_are_kept(result: Any) -> None:
    c = result.counts()
    assert (c["n"] == len(result.codes)).all()
    assert len(result.first) == len(result.codes) * len(MECHANISMS)
    t = result.tests
    assert (t["n"] == len(result.codes)).all()
    # 8 neighbour definitions, hosting, 6 groups, the Eastern Partnership adjusted
    assert len(t) == len(MECHANISMS) * 16
    main = t[t["role"] == "main"]
    assert main["p_holm"].notna().sum() == main["p_value"].notna().sum()
    tested = t[t["p_value"].notna()]
    assert (tested["ci_low"] <= tested["odds_ratio"]).all()
    assert (tested["odds_ratio"] <= tested["ci_high"]).all()
    assert tested["power_or2"].between(0, 1).all() and tested["power_or3"].between(0, 1).all()
    assert "CH" not in result.codes  # the reference case is not in the core selection


def test_notes_cite_sources_and_mark_derivations(result: Any) -> None:
    assert {("RS", "cctld"), ("AM", "igf")} <= {(n.country, n.mechanism) for n in result.notes}
    known_ids = set(result.source_table["id"])
    for note in result.notes:
        assert note.statements[0].sources, note.country  # the first year rests on its cell
        for s in note.statements:
            assert s.sources or s.derived, s.text
            assert set(s.sources) <= known_ids, s.text
            if s.confidence == "sourced":
                assert s.sources, s.text
    rs = next(n for n in result.notes if (n.country, n.mechanism) == ("RS", "cctld"))
    text = " ".join(s.text for s in rs.statements)
    assert "foundation" in text and "RNIDS" in text and "2007" in text


def test_external_roles_quote_sourced_text(result: Any) -> None:
    roles = result.roles
    assert {"ICANN", "CoE", "IGF"} <= set(roles["actor"])
    assert (roles["text"].str.len() > 0).all()
    assert (roles.loc[roles["confidence"] != "recalled", "sources"].str.len() > 0).all()
    assert set(roles["outcome"]) <= {"adopted", "not adopted", "unknown", "n/a"}
    assert roles["assessment"].nunique() == len(result.roles.drop_duplicates(["assessment"]))


def test_case_narratives_trace_the_coded_events_in_order(result: Any) -> None:
    narr = {n.country: n for n in result.narratives}
    assert set(narr) == {"AM", "RS", "RU", "HU"}
    known_ids = set(result.source_table["id"])
    for n in narr.values():
        years = [s.year for s in n.steps]
        assert years == sorted(years) and None not in years
        for s in [*n.steps, *n.undated]:
            assert s.sources, s.text  # every step rests on sources
            assert set(s.sources) <= known_ids, s.text
        assert n.tests and all(t.derived for t in n.tests)
    rs = " ".join(t.text for t in narr["RS"].tests)
    assert "Registry seeded the IGF: consistent" in rs and "RNIDS" in rs
    assert "hosted EuroDIG 2011" in rs  # Belgrade 2011, before the first IGF (2022)
    am = " ".join(s.text for s in narr["AM"].steps)
    assert "2014" in " ".join(str(s.year) for s in narr["AM"].steps) and "IGC" in am


def test_summary_sentences_carry_numbers_and_caveats(result: Any) -> None:
    sentences = result.summary_sentences()
    assert 3 <= len(sentences) <= 5
    for s in sentences:
        assert re.search(r"\d", s), s
    text = " ".join(sentences)
    assert f"n = {len(result.codes)}" in text or f"Of the {len(result.codes)}" in text
    r = result.test_row("igf", "neighbours-borders")
    assert f"p = {r['p_value']:.2f}" in text
    assert f"{r['power_or2']:.0%}" in text  # the power is read with the result
    assert "chance" in text and "not causes" in text


#: Codes that must not reach the page: parameter names, snake_case vocabulary, group and
#: exposure ids, bare mechanism codes.
def _raw_codes(result: Any) -> list[str]:
    from analysis.model.vocab import coded_labels

    ids = {str(g) for g in result.tests["exposure_id"]} | set(load().peer_groups["id"])
    words = {"weak_as_unknown", "n_permutations", "n_imputations", *coded_labels(), *ids}
    return sorted(words | {"cctld", "igf"})


def _codes_on(text: str, codes: list[str]) -> list[str]:
    text = re.sub(r"<code>.*?</code>", " ", text, flags=re.S)  # source ids
    text = re.sub(r"<[^>]+>", " ", text)  # tags and their attributes (links)
    return [c for c in codes if re.search(rf"(?<![\w/.-]){re.escape(c)}(?![\w-])", text)]


def test_no_raw_code_on_the_page_fragments(result: Any) -> None:
    from analysis.products import drivers_figures as dfig

    d = result
    parts = [
        dfig.parameters_text(d),
        dfig.summary_html(d),
        dfig.findings_html(d),
        dfig.tables_html(d, "counts", "first", "sequences", "order_counts", "precedence"),
        dfig.tables_html(d, "seeding", "regional", "regional_timing", "hostings"),
        *(dfig.tests_html(d, f) for f in ("neighbours", "regional", "groups")),
        dfig.neighbours_note(d),
        dfig.notes_html(d.notes),
        dfig.narratives_html(d),
        dfig.roles_html(d.roles),
    ]
    from analysis.measures import present

    found = _codes_on(present.humanise("".join(parts)), _raw_codes(d))
    assert found == []


def test_bad_parameters() -> None:
    with pytest.raises(UserError, match="unknown mechanism"):
        drivers(mechanism="dns", n_permutations=9)
    with pytest.raises(UserError, match="outside"):
        drivers(start=1900, n_permutations=9)
    with pytest.raises(UserError, match="unknown selection"):
        drivers("nowhere-land", n_permutations=9)


# --------------------------------------------------------------------------------------------
# The notebook
# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_notebook_runs_with_parameters_and_records_the_library(tmp_path: Path) -> None:
    import papermill

    from analysis.products.record import recorded

    params = {
        "countries": "eu-candidates",
        "mechanism": "igf",
        "start": 2000,
        "end": 2024,
        "n_permutations": 99,
        "n_imputations": 5,
        "seed": 3,
    }
    out = tmp_path / "drivers.out.ipynb"
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "drivers.ipynb"),
        str(out),
        parameters=params,
        kernel_name="multisee",
        cwd=str(tmp_path),
        progress_bar=False,
        execution_timeout=300,
    )
    values = recorded(out)
    d = drivers(
        "eu-candidates", "igf", 2000, 2024, n_permutations=99, n_imputations=5, seed=3,
        weak_as_unknown=False,
    )  # fmt: skip
    expected = d.records()
    assert values["countries"] == expected["countries"] == list(d.codes)
    assert values["mechanisms"] == ["igf"]
    assert values["window"] == [2000, 2024]
    for key in ("first_adoptions", "order_counts", "tests", "summary"):
        assert values[key] == expected[key], key
    assert values["links"] == expected["links"]
    assert values["notes"] == expected["notes"] and values["notes"]
    assert {r["reading"] for r in values["tests"]} == {"imputed", "pessimistic"}
    # the executed page opens with the summary and shows no raw code
    import nbformat

    nb = nbformat.read(out, as_version=4)
    texts = [
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    ]
    page = "".join(t if isinstance(t, str) else "".join(t) for t in texts)
    assert page.index("summary") < page.index("<table")
    from analysis.measures import present

    # the shared sources list names publisher kinds by their own labels ("igf secretariat")
    sources = present.sources_list(d.cited_sources())
    assert sources in page
    page = page.replace(sources, "")
    assert _codes_on(page, _raw_codes(d)) == []


@pytest.mark.slow
def test_notebook_stops_with_a_user_error_on_a_bad_mechanism(tmp_path: Path) -> None:
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as err:
        papermill.execute_notebook(
            str(ROOT / "notebooks" / "drivers.ipynb"),
            str(tmp_path / "bad.ipynb"),
            parameters={"mechanism": "dns", "n_permutations": 9},
            kernel_name="multisee",
            cwd=str(tmp_path),
            progress_bar=False,
            execution_timeout=300,
        )
    assert err.value.ename == "UserError"
    assert "unknown mechanism" in str(err.value)


def test_rubin_pools_within_and_between_imputation_variance() -> None:
    from analysis.measures.stats import rubin

    est, se = rubin(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    # within 1, between var([1, 3]) = 2, total 1 + (1 + 1/2) * 2 = 4
    assert est == 2.0 and se == pytest.approx(2.0)
    assert rubin(np.array([0.5]), np.array([0.3])) == (0.5, pytest.approx(0.3))


def test_minimum_detectable_interpolates_on_the_log_scale() -> None:
    from analysis.measures.stats import minimum_detectable

    assert minimum_detectable({2.0: 0.6, 8.0: 1.0}) == pytest.approx(2.0 * 4.0**0.5)
    assert minimum_detectable({2.0: 0.9}) == 2.0
    assert minimum_detectable({2.0: 0.1, 3.0: 0.2}) is None


def test_permutation_p_counts_ties_as_extreme() -> None:
    from analysis.measures.stats import permutation_p

    null = np.array([1.0, 2.0, 3.0])
    assert permutation_p(2.0, null) == pytest.approx(3 / 4)  # 2 and 3 are at least as large
    assert permutation_p(2.0, null, "less") == pytest.approx(3 / 4)
    assert permutation_p(-3.0, null, "two-sided") == pytest.approx(2 / 4)
    assert permutation_p(9.0, null) == pytest.approx(1 / 4)  # never 0
