"""Issue 13 ("why did some countries succeed?"): the permutation test on synthetic data where the
answer is known, first adoptions and sequences on a synthetic panel, shared borders on the shipped
boundary file, name matching, the honesty of the generated notes, and the notebook under papermill.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.drivers import drivers, plain
from analysis.drivers_cases import actor_links, aliases, matches
from analysis.drivers_timing import (
    NEVER,
    adjacency,
    adjacency_matrix,
    exposure_test,
    first_adoptions,
    holm,
    order_counts,
    precedence,
    regional_initiatives,
    sequences,
    years_of,
)
from analysis.errors import UserError
from analysis.vocab import MECHANISMS

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
    weak = (p["country"] == "AA") & (p["mechanism"] == "igf") & (p["year"] == 1995)
    p.loc[weak, "evidence"] = "weak"
    as_coded = first_adoptions(p).set_index(["country", "mechanism"])
    assert as_coded.loc[("AA", "igf"), "first_year"] == 1995
    strict = first_adoptions(p, weak_as_unknown=True).set_index(["country", "mechanism"])
    assert strict.loc[("AA", "igf"), "status"] == "by"
    assert (strict.loc[("AA", "igf"), "earliest"], strict.loc[("AA", "igf"), "first_year"]) == (
        1995,
        1996,
    )


# --------------------------------------------------------------------------------------------
# Shared borders, regional initiatives, name matching (shipped data)
# --------------------------------------------------------------------------------------------


def test_adjacency_on_the_shipped_boundary_file() -> None:
    adj = adjacency()
    assert "HR" in adj["RS"] and "RS" in adj["HR"]
    assert adj["CY"] == frozenset()
    assert adj["CH"] == frozenset()  # its neighbours are outside the scope
    assert {"RS", "ME", "MK", "AL"} <= adj["XK"]
    assert all(a in adj[b] for a, ns in adj.items() for b in ns)  # symmetric
    assert len(adj) == 21
    m = adjacency_matrix(adj, ["RS", "HR", "CY"])
    assert m.tolist() == [[False, True, False], [True, False, False], [False, False, False]]
    assert adjacency() is not adj and adjacency() == adj  # cached, copied


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
    return drivers(n_permutations=99)


def test_counts_add_up_and_unknowns_are_kept(result: Any) -> None:
    c = result.counts()
    assert (c["n"] == len(result.codes)).all()
    assert len(result.first) == len(result.codes) * len(MECHANISMS)
    t = result.neighbour_tests.set_index(["mechanism", "variant"])
    for m in MECHANISMS:
        assert t.loc[(m, "pessimistic"), "n"] == len(result.codes)
        assert t.loc[(m, "known"), "n"] + t.loc[(m, "known"), "n_left_out"] == len(result.codes)
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

    from analysis.record import recorded

    params = {
        "countries": "eu-candidates",
        "mechanism": "igf",
        "start": 2000,
        "end": 2024,
        "n_permutations": 99,
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
        "eu-candidates", "igf", 2000, 2024, n_permutations=99, seed=3, weak_as_unknown=False
    )
    expected = d.records()
    assert values["countries"] == expected["countries"] == list(d.codes)
    assert values["mechanisms"] == ["igf"]
    assert values["window"] == [2000, 2024]
    for key in ("first_adoptions", "order_counts", "neighbour_tests", "regional_tests"):
        assert values[key] == expected[key], key
    assert values["group_tests"] == expected["group_tests"]
    assert values["links"] == expected["links"]
    assert values["notes"] == expected["notes"] and values["notes"]
    assert {r["variant"] for r in values["neighbour_tests"]} == {
        "known",
        "pessimistic",
        "optimistic",
    }
    assert [r["p_value"] for r in values["neighbour_tests"]] == [
        r["p_value"] for r in plain(d.neighbour_tests, ["p_value"])
    ]


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
