"""Indicators: the adoption panel on the shipped data, index invariants on synthetic panels."""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.measures.comparison import compare
from analysis.measures.composition import GROUPS, balance, bpf_profile
from analysis.measures.panel import (
    PANEL_COLUMNS,
    adoption_panel,
    body_evidenced_until,
    body_grade,
    bridged_years,
    diffusion,
    earlier_starts,
    initiative_cells,
    ordinal_spans,
    plan_only,
    source_years,
)
from analysis.measures.robustness import robustness
from analysis.measures.scoring import (
    INDEX_COLUMNS,
    STATE_SCORES,
    mechanism_bounds,
    multisee_index,
    rank_labels,
)
from analysis.measures.selection import Period, core_codes, latest_data_year
from analysis.model.catalog import TABLE_SPECS
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.model.vocab import BPF_DIMENSIONS, CONFIDENCE_ORDER, MECHANISMS, STATES


def _ids(x: Any) -> list[str]:
    return [s for s in str(x).split("; ") if s] if pd.notna(x) else []


def _states(panel: pd.DataFrame, country: str, mechanism: str) -> dict[int, str]:
    p = panel[(panel["country"] == country) & (panel["mechanism"] == mechanism)]
    return dict(zip(p["year"], p["state"], strict=True))


# ---------------------------------------------------------------------------------------------
# The adoption panel on the shipped data
# ---------------------------------------------------------------------------------------------


def test_panel_shape(panel: pd.DataFrame, tables: Tables) -> None:
    assert list(panel.columns) == PANEL_COLUMNS
    assert not panel.duplicated(["country", "year", "mechanism"]).any()
    assert panel["year"].min() == 1990
    assert panel["year"].max() == latest_data_year(tables)
    n_years = panel["year"].nunique()
    assert len(panel) == len(tables.countries) * n_years * 3
    for m in MECHANISMS:
        assert set(panel.loc[panel["mechanism"] == m, "state"]) <= set(STATES[m])
    unknown = panel["state"] == "unknown"
    assert panel.loc[unknown, "confidence"].isna().all()
    assert panel.loc[~unknown, "confidence"].isin(CONFIDENCE_ORDER).all()
    assert sorted(set(panel.loc[panel["scope_role"] == "core", "country"])) == core_codes(tables)
    assert set(panel.loc[panel["scope_role"] == "reference", "country"]) == {"CH"}


def test_panel_start_end(tables: Tables) -> None:
    p = adoption_panel(tables, start=2000, end=2005)
    assert sorted(p["year"].unique()) == list(range(2000, 2006))
    with pytest.raises(UserError):
        adoption_panel(tables, start=2010, end=2000)


def test_rs_cctld_multistakeholder_from_2007(panel: pd.DataFrame) -> None:
    s = _states(panel, "RS", "cctld")
    assert s[2007] == "multistakeholder"
    assert all(v == "multistakeholder" for y, v in s.items() if y >= 2007)
    # Before .rs, Serbia used the historical .yu (delegated 1989), whose manager coding is not
    # assessed: unknown, not "no ccTLD"
    assert all(v == "unknown" for y, v in s.items() if y < 2007)


def test_xk_cctld_none_every_year(panel: pd.DataFrame) -> None:
    p = panel[(panel["country"] == "XK") & (panel["mechanism"] == "cctld")]
    assert (p["state"] == "none").all()
    assert (p["confidence"] == "sourced").all()


def test_igf_held_in_sourced_edition_year(panel: pd.DataFrame, tables: Tables) -> None:
    """Held in the year of a sourced edition, unless only sources published before that year
    report it (a plan: unknown, with a note)."""
    dated = source_years(tables)
    eds = tables.igf_editions
    eds = eds[(eds["kind"] == "national") & (eds["confidence"] == "sourced")]
    assert not eds.empty
    for _, e in eds.iterrows():
        row = panel[
            (panel["country"] == e["country"])
            & (panel["year"] == e["year"])
            & (panel["mechanism"] == "igf")
        ]
        if row.empty:  # edition before the panel's start
            continue
        if plan_only(_ids(e["sources"]), int(e["year"]), dated):
            assert row["state"].iloc[0] == "unknown"
            assert "planned" in row["note"].iloc[0]
            continue
        assert row["state"].iloc[0] == "held"
        if str(row["note"].iloc[0]).startswith(
            "ordinals of"
        ):  # a weak record a sound bridge proves
            assert row["confidence"].iloc[0] == "inferred" and row["evidence"].iloc[0] == "strong"
            assert set(_ids(e["sources"])) <= set(_ids(row["sources"].iloc[0]))
        else:
            assert row["confidence"].iloc[0] == "sourced"


def test_igf_states_follow_the_rules(panel: pd.DataFrame, tables: Tables) -> None:
    """Held where an edition is recorded or ordinals bridge the year; dormant/none only with a
    pause record, ordinals leaving no edition, or before a sourced start; ordinal spans carry
    their share; every other year unknown, never dormant."""
    dated = source_years(tables)
    ini = tables.igf_initiatives
    national = ini[ini["kind"] == "national"]
    for country, group in national.groupby("country"):
        if len(group) != 1:
            continue
        i = group.iloc[0]
        eds = tables.igf_editions[tables.igf_editions["initiative"] == i["id"]]
        announced = [
            plan_only(_ids(x), int(y), dated)
            for x, y in zip(eds["sources"], eds["year"], strict=True)
        ]
        eds = eds.loc[~pd.Series(announced, index=eds.index, dtype=bool)]
        held = {int(y) for y in eds["year"]}
        numbered = [
            (int(y), int(n)) for y, n in zip(eds["year"], eds["number"], strict=True) if pd.notna(n)
        ]
        bridged = bridged_years(numbered, held)
        spans = {y: sp for sp in ordinal_spans(numbered, held) for y in sp.years}
        pauses = tables.igf_pauses[tables.igf_pauses["initiative"] == i["id"]]
        starts = [y for y, n in numbered if n == 1]
        if pd.notna(i["established"]):
            starts.append(int(i["established"]))
        earliest = [y - n + 1 for y, n in numbered]
        earliest += earlier_starts(tables, "igf_initiatives", str(i["id"]))
        p = panel[(panel["country"] == country) & (panel["mechanism"] == "igf")]
        for y, v, share in zip(p["year"], p["state"], p["held_share"], strict=True):
            paused = any(
                (p.type == "ended" and y >= p.start)
                or (p.type != "ended" and p.start <= y <= (p.end if pd.notna(p.end) else 10_000))
                for p in pauses.itertuples()
            )
            if y in held or y in bridged:
                assert v == "held", (i["id"], y, v)
            elif paused:
                assert v in ("dormant", "none"), (i["id"], y, v)
            elif y in spans:
                sp = spans[y]
                if sp.editions == 0:
                    assert v == "none", (i["id"], y, v)
                else:
                    assert v == "unknown" and share == pytest.approx(sp.editions / len(sp.years))
            elif starts and y < min(starts + earliest):
                assert v == "none", (i["id"], y, v)
            else:
                assert v == "unknown", (i["id"], y, v)


def test_no_dormant_or_none_without_a_source(panel: pd.DataFrame) -> None:
    """Nothing derived from a missing record is a claim: every dormant or none cell names the
    sources it rests on, and nothing bridged by ordinals claims `sourced`."""
    claims = panel[panel["state"].isin(["dormant", "none"])]
    assert (claims["sources"].str.len() > 0).all(), claims[claims["sources"] == ""].head()
    assert panel.loc[panel["state"] == "unknown", "confidence"].isna().all()


def test_initiative_status_agrees_with_the_panel(tables: Tables) -> None:
    """Every initiative's status and its year-by-year cells tell the same story."""
    for _, i in tables.igf_initiatives.iterrows():
        if pd.isna(i["status_confirmed"]):
            assert i["status"] in ("planned", "unknown"), i["id"]
            continue
        y = int(i["status_confirmed"])
        state = initiative_cells(tables, i, [y])[y][0]
        expected = {"active": "held", "dormant": "dormant", "ended": "none"}.get(i["status"])
        if expected:
            assert state == expected, (i["id"], i["status"], y, state)


def test_ordinals_bridge_only_gapless_runs() -> None:
    assert bridged_years([(2011, 2), (2017, 8)]) == set(range(2012, 2017))
    assert bridged_years([(2019, 10), (2021, 11)]) == set()
    assert bridged_years([(2015, 1), (2016, 2)]) == set()
    assert bridged_years([(2017, 8), (2011, 2), (2019, 10)]) == {*range(2012, 2017), 2018}


def test_not_found_absence_is_never_none(panel: pd.DataFrame, tables: Tables) -> None:
    ab = tables.absences
    for _, a in ab[(ab["finding"] == "not_found") & ab["mechanism"].isin(MECHANISMS)].iterrows():
        s = _states(panel, a["country"], a["mechanism"])
        if a["mechanism"] == "igf":
            national = tables.igf_initiatives
            has = ((national["country"] == a["country"]) & (national["kind"] == "national")).any()
            if not has:
                assert set(s.values()) == {"unknown"}, a["country"]
        if a["mechanism"] == "body":
            b = tables.ms_bodies
            ended = ((b["country"] == a["country"]) & b["ended"].notna()).any()
            if not ended:  # only a sourced end of a recorded body makes a year none
                assert "none" not in set(s.values()), a["country"]
            if not (b["country"] == a["country"]).any():
                assert set(s.values()) == {"unknown"}, a["country"]


def test_body_contrast_case_is_graded_not_multistakeholder(tables: Tables) -> None:
    """A jurisdiction whose only body is coded `no`, with a not_found absence: the body's
    evidenced years are `not_multistakeholder` (government-led), the others unknown, never none.

    Built on a copy of the data (whatever the shipped data say about any country): RS keeps one
    contrast body only and a `body`/`not_found` absence.
    """
    b = tables.ms_bodies
    early = [str(x)[:4] <= "2020" for x in b["established"].fillna("9999")]
    dated = b[(b["multistakeholder"] == "no") & pd.Series(early, index=b.index, dtype=bool)]
    contrast = dated.iloc[[0]].assign(
        country="RS", id="rs-contrast", scope="national_policy", ended=None, last_evidenced=None
    )
    bodies = pd.concat([b[b["country"] != "RS"], contrast], ignore_index=True)
    ab = tables.absences
    absent = ab[ab["mechanism"] == "body"].iloc[[0]].assign(country="RS", finding="not_found")
    absences = pd.concat([ab[ab["country"] != "RS"], absent], ignore_index=True)
    copy = dataclasses.replace(tables, ms_bodies=bodies, absences=absences)
    states = _states(adoption_panel(copy, start=1990, end=2024), "RS", "body")
    founded = int(str(contrast["established"].iloc[0])[:4])
    last = body_evidenced_until(contrast.iloc[0], source_years(tables))
    assert last is not None
    for y, v in states.items():
        expected = "not_multistakeholder" if founded <= y <= last else "unknown"
        assert v == expected, (y, v)
    # the same body coded `yes` is multistakeholder over the same years; coded single-issue it
    # does not count at all
    for ms, scope, state in (
        ("yes", "national_policy", "multistakeholder"),
        ("yes", "single_issue", "unknown"),
    ):
        one = bodies.assign(
            multistakeholder=bodies["multistakeholder"].where(bodies["id"] != "rs-contrast", ms),
            scope=bodies["scope"].where(bodies["id"] != "rs-contrast", scope),
        )
        got = _states(
            adoption_panel(dataclasses.replace(copy, ms_bodies=one), start=2000, end=2024),
            "RS",
            "body",
        )
        assert got[max(founded, 2000)] == state, (ms, scope)


def test_body_states_follow_the_evidence(panel: pd.DataFrame, tables: Tables) -> None:
    """Each national body holds its grade from its founding to the last year its sources date
    it; before the first body and after the evidence, unknown unless an absence says none."""
    dated = source_years(tables)
    b = tables.ms_bodies
    ab = tables.absences
    for _, body in b.iterrows():
        grade = body_grade(body)
        if grade is None or pd.isna(body["established"]) or grade == "unknown":
            continue
        y0 = int(str(body["established"])[:4])
        y1 = body_evidenced_until(body, dated)
        s = _states(panel, body["country"], "body")
        for y in range(y0, (y1 or y0) + 1):
            if y in s:
                # another body of the same year may grade higher; never lower than unknown
                assert s[y] != "none", (body["id"], y)
                if grade == "multistakeholder":
                    assert s[y] == grade, (body["id"], y, s[y])
        none_sourced = (
            (ab["country"] == body["country"])
            & (ab["mechanism"] == "body")
            & (ab["finding"] == "none")
        ).any()
        if not none_sourced and body["country"] not in set(b.loc[b["ended"].notna(), "country"]):
            assert "none" not in s.values(), body["country"]


def test_body_not_active_past_its_evidence(panel: pd.DataFrame, tables: Tables) -> None:
    """Done-when of issue 18: the TR body is not multistakeholder in 2020 unless a source dates
    its activity after 2012; SI, MK and BG bodies of unknown status do not run to the last year."""
    tr = panel[(panel["country"] == "TR") & (panel["mechanism"] == "body")].set_index("year")
    if tr.loc[2020, "state"] != "unknown":
        srcs = _ids(tr.loc[2020, "sources"])
        assert any(source_years(tables).get(i, 0) > 2012 for i in srcs)
    last = int(panel["year"].max())
    for code in ("SI", "MK", "BG"):
        s = _states(panel, code, "body")
        assert s[last] == "unknown", code


def test_no_cell_rests_only_on_a_source_published_before_its_year(
    panel: pd.DataFrame, tables: Tables
) -> None:
    """Done-when of issue 18: a known cell whose every source is dated before its year would
    rest on a plan (or on absence read as evidence after the sources end)."""
    dated = source_years(tables)
    known = panel[(panel["state"] != "unknown") & (panel["state"] != "none")]
    bad = [
        (r.country, r.year, r.mechanism, r.state)
        for r in known.itertuples()
        if plan_only(_ids(r.sources), int(r.year), dated)
    ]
    assert bad == []


def test_az_igf_2013_is_not_none(panel: pd.DataFrame) -> None:
    """The 2nd edition in 2014 implies a 1st in 2013 (since found: held); never `none`."""
    s = _states(panel, "AZ", "igf")
    assert s[2013] in ("unknown", "held")


# ---------------------------------------------------------------------------------------------
# Index on the shipped data
# ---------------------------------------------------------------------------------------------


def test_index_on_shipped_data(panel: pd.DataFrame, tables: Tables) -> None:
    year = int(panel["year"].max())
    ix = multisee_index(panel, year=year)
    assert list(ix.columns) == INDEX_COLUMNS
    core = core_codes(tables)
    ranked = ix[ix["country"].isin(core)]
    scores = ranked["score"].to_numpy()
    expected = [1 + int((scores > s + 1e-12).sum()) for s in scores]
    assert ranked["rank"].astype(int).tolist() == expected  # competition ranking: ties share
    assert set(ranked["scope_role"]) == {"core"}
    ref = ix[~ix["country"].isin(core)]
    assert set(ref["scope_role"]) == {"reference"}
    assert ref["rank"].isna().all() and ref["score"].notna().all()
    assert (ix["low"] <= ix["score"] + 1e-12).all() and (ix["score"] <= ix["high"] + 1e-12).all()
    full = multisee_index(panel)
    assert len(full) == panel[["country", "year"]].drop_duplicates().shape[0]


def sensitivity(panel: pd.DataFrame, year: int, **kw: Any) -> pd.DataFrame:
    """The weights-only Monte Carlo of one year (what the export's index_sensitivity lists)."""
    return robustness(panel, Period(year, 1, "", False), choices=("weights",), **kw).intervals


def test_sensitivity_bounds(panel: pd.DataFrame, tables: Tables) -> None:
    year = int(panel["year"].max())
    s = sensitivity(panel, year, n=300, seed=1)
    assert (s["score_p05"] <= s["score_p50"] + 1e-12).all()
    assert (s["score_p50"] <= s["score_p95"] + 1e-12).all()
    core = s["country"].isin(core_codes(tables))
    r = s[core]
    assert (r["rank_p05"] <= r["rank_p50"]).all() and (r["rank_p50"] <= r["rank_p95"]).all()
    assert r["rank_p05"].min() >= 1 and r["rank_p95"].max() <= core.sum()
    assert s.loc[~core, "rank_p50"].isna().all()
    again = sensitivity(panel, year, n=300, seed=1)
    pd.testing.assert_frame_equal(s, again)


def test_diffusion(panel: pd.DataFrame, tables: Tables) -> None:
    d = diffusion(panel)
    assert list(d.columns) == ["year", "mechanism", "adopted", "unknown", "n"]
    n_core = len(core_codes(tables))
    assert (d["n"] == n_core).all()
    assert (d["adopted"] + d["unknown"] <= d["n"]).all()
    last = d[d["year"] == d["year"].max()].set_index("mechanism")
    assert last.loc["cctld", "adopted"] >= 1  # RS at least


def test_bpf_profile(tables: Tables) -> None:
    b = bpf_profile(tables)
    coded = b[b["n_coded"] > 0]
    assert ((coded["share"] >= 0) & (coded["share"] <= 1)).all()
    assert b.loc[b["n_coded"] == 0, "share"].isna().all()
    assert (b["n_coded"] + b["n_unknown"] == len(BPF_DIMENSIONS)).all()


def test_balance_on_shipped_data(tables: Tables) -> None:
    b = balance(tables)
    assert set(b["basis"]) <= {"seats", "presence"}
    ok = b["evenness"].dropna()
    assert ((ok >= 0) & (ok <= 1 + 1e-12)).all()
    assert b["n_groups"].between(0, 5).all()


def test_schemas_describe_the_frames(panel: pd.DataFrame) -> None:
    ps = TABLE_SPECS["adoption_panel"].table_schema()
    assert [f["name"] for f in ps["fields"]] == PANEL_COLUMNS
    assert ps["primaryKey"] == ["country", "year", "mechanism"]
    state = next(f for f in ps["fields"] if f["name"] == "state")
    assert set(panel["state"]) <= set(state["categories"])
    xs = TABLE_SPECS["index"].table_schema()
    assert [f["name"] for f in xs["fields"]] == INDEX_COLUMNS
    assert xs["primaryKey"] == ["country", "year"]
    frictionless = pytest.importorskip("frictionless")
    frictionless.Schema.from_descriptor(ps)
    frictionless.Schema.from_descriptor(xs)


def test_compare(tables: Tables, panel: pd.DataFrame) -> None:
    year = int(panel["year"].max())
    c = compare(["RS", "XK", "CH"], year, tables)
    assert list(c["country"]) == ["CH", "RS", "XK"]
    row = c.set_index("country")
    assert row.loc["XK", "cctld"] == "none"
    assert row.loc["RS", "cctld"] == "multistakeholder"
    assert pd.isna(row.loc["CH", "rank"])
    for col in ("score", "low", "high", "bpf_igf", "body_evenness"):
        assert col in c.columns
    with pytest.raises(UserError):
        compare(["RS"], 1800, tables)


# ---------------------------------------------------------------------------------------------
# Synthetic panels: index invariants (hypothesis)
# ---------------------------------------------------------------------------------------------

CODES = ["AA", "BB", "CC", "DD", "EE", "FF", "GG"]
CONF = ["sourced", "inferred", "recalled"]


@st.composite
def panels(draw: Any) -> tuple[pd.DataFrame, list[str]]:
    codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=len(CODES), unique=True))
    years = draw(st.lists(st.integers(2000, 2003), min_size=1, max_size=2, unique=True))
    rows = []
    for c in codes:
        for y in years:
            for m in MECHANISMS:
                state = draw(st.sampled_from(STATES[m]))
                conf = None if state == "unknown" else draw(st.sampled_from(CONF))
                rows.append(
                    {"country": c, "year": y, "mechanism": m, "state": state, "confidence": conf}
                )
    core = draw(st.lists(st.sampled_from(codes), unique=True))
    return pd.DataFrame(rows, columns=PANEL_COLUMNS), core


weights_st = st.one_of(
    st.none(),
    st.fixed_dictionaries({m: st.floats(0.01, 10, allow_nan=False) for m in MECHANISMS}),
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(panels(), weights_st)
def test_bounds_and_ranks(data: tuple[pd.DataFrame, list[str]], w: dict[str, float] | None) -> None:
    panel, core = data
    ix = multisee_index(panel, weights=w, core=core)
    assert (ix["low"] <= ix["score"]).all()
    assert (ix["score"] <= ix["high"]).all()
    assert ((ix["low"] >= 0) & (ix["high"] <= 1 + 1e-12)).all()
    for _, g in ix.groupby("year"):
        c = g[g["country"].isin(core)]
        sc = c["score"].to_numpy()
        assert c["rank"].astype(int).tolist() == [1 + int((sc > v + 1e-9).sum()) for v in sc]
        assert (c["rank_best"] <= c["rank"]).all() and (c["rank"] <= c["rank_worst"]).all()
        assert c["rank_best"].min() >= 1 if len(c) else True
        assert g.loc[~g["country"].isin(core), "rank"].isna().all()
        # ties share a rank, whatever the country codes
        for a, b in itertools.combinations(c.itertuples(), 2):
            if math.isclose(a.score, b.score, abs_tol=1e-12):
                assert a.rank == b.rank


def _raise(mechanism: str, state: str) -> list[str]:
    """Known states of ``mechanism`` scoring strictly higher than ``state``."""
    scores = STATE_SCORES[mechanism]
    return [s for s, v in scores.items() if v > scores[state]]


@SETTINGS
@given(panels(), weights_st, st.data())
def test_more_multistakeholder_never_lowers(
    data: tuple[pd.DataFrame, list[str]], w: dict[str, float] | None, pick: st.DataObject
) -> None:
    panel, core = data
    known = panel[
        [
            s in STATE_SCORES[m] and bool(_raise(m, s))
            for s, m in zip(panel["state"], panel["mechanism"], strict=True)
        ]
    ]
    if known.empty:
        return
    i = pick.draw(st.sampled_from(list(known.index)))
    m, s = panel.loc[i, "mechanism"], panel.loc[i, "state"]
    better = panel.copy()
    better.loc[i, "state"] = pick.draw(st.sampled_from(_raise(m, s)))
    before = multisee_index(panel, weights=w, core=core).set_index(["country", "year"])
    after = multisee_index(better, weights=w, core=core).set_index(["country", "year"])
    for col in ("score", "low", "high"):
        assert (after[col] >= before[col]).all(), col


@SETTINGS
@given(panels(), st.integers(0, 2**16), st.floats(0.5, 100))
def test_sensitivity_percentiles_ordered(
    data: tuple[pd.DataFrame, list[str]], seed: int, conc: float
) -> None:
    panel, core = data
    year = int(panel["year"].iloc[0])
    s = sensitivity(panel, year, n=50, seed=seed, concentration=conc, core=core)
    assert (s["score_p05"] <= s["score_p50"] + 1e-12).all()
    assert (s["score_p50"] <= s["score_p95"] + 1e-12).all()
    assert ((s["score_p05"] >= -1e-12) & (s["score_p95"] <= 1 + 1e-12)).all()
    r = s[s["country"].isin(core)]
    assert (r["rank_p05"] <= r["rank_p50"]).all() and (r["rank_p50"] <= r["rank_p95"]).all()
    assert s.loc[~s["country"].isin(core), "rank_p50"].isna().all()


def test_unknown_is_midpoint_and_recalled_is_interval() -> None:
    assert mechanism_bounds("unknown", None, "igf") == (0.0, 0.5, 1.0)
    assert mechanism_bounds("dormant", "recalled", "igf") == (0.0, 0.5, 1.0)
    assert mechanism_bounds("held", "sourced", "igf") == (1.0, 1.0, 1.0)
    rows = [
        {"country": "AA", "year": 2020, "mechanism": "cctld", "state": "multistakeholder"},
        {"country": "AA", "year": 2020, "mechanism": "igf", "state": "held"},
    ]
    panel = pd.DataFrame(rows).assign(confidence="sourced")
    ix = multisee_index(panel).iloc[0]  # the body row is missing: unknown
    assert ix["score"] == pytest.approx(2.5 / 3)
    assert ix["low"] == pytest.approx(2 / 3) and ix["high"] == pytest.approx(1.0)


def test_weights_validated() -> None:
    panel = pd.DataFrame(
        [{"country": "AA", "year": 2020, "mechanism": "igf", "state": "held", "confidence": None}]
    )
    with pytest.raises(UserError):
        multisee_index(panel, weights={"cctld": 1, "nope": 1})
    with pytest.raises(UserError):
        multisee_index(panel, weights={"cctld": 0, "igf": 0, "body": 0})
    only_igf = multisee_index(panel, weights={"igf": 1})
    assert only_igf["score"].iloc[0] == 1.0


# ---------------------------------------------------------------------------------------------
# Balance on synthetic compositions
# ---------------------------------------------------------------------------------------------


def _with_composition(tables: Tables, rows: list[dict[str, Any]]) -> Tables:
    comp = pd.DataFrame(rows, columns=["body", "country", "kind", "group", "seats", "note"])
    return dataclasses.replace(tables, body_composition=comp)


def test_balance_synthetic(tables: Tables) -> None:
    rows = [
        {"body": "even", "country": "AA", "kind": "body", "group": g, "seats": 3} for g in GROUPS
    ]
    rows += [
        {"body": "mixed", "country": "AA", "kind": "body", "group": "government", "seats": 4},
        {"body": "mixed", "country": "AA", "kind": "body", "group": "academia", "seats": None},
        {"body": "mixed", "country": "AA", "kind": "body", "group": "unknown", "seats": 2},
        {"body": "solo", "country": "AA", "kind": "igf_committee", "group": "government"},
        {"body": "skew", "country": "AA", "kind": "body", "group": "government", "seats": 3},
        {"body": "skew", "country": "AA", "kind": "body", "group": "academia", "seats": 1},
    ]
    b = balance(_with_composition(tables, rows)).set_index("body")
    assert b.loc["even", "evenness"] == pytest.approx(1.0)
    assert b.loc["even", "largest_share"] == pytest.approx(0.2)
    assert b.loc["even", "basis"] == "seats" and b.loc["even", "n_groups"] == 5
    assert b.loc["mixed", "basis"] == "presence"
    assert b.loc["mixed", "n_groups"] == 2 and b.loc["mixed", "n_other"] == 1
    assert b.loc["mixed", "evenness"] == pytest.approx(math.log(2) / math.log(5))
    assert b.loc["solo", "evenness"] == 0.0 and b.loc["solo", "largest_share"] == 1.0
    p = np.array([0.75, 0.25])
    assert b.loc["skew", "evenness"] == pytest.approx(-(p * np.log(p)).sum() / math.log(5))
    assert b.loc["skew", "largest_share"] == pytest.approx(0.75)


def test_diffusion_core_given_as_a_string_is_not_split_into_letters() -> None:
    from analysis.measures.panel import (
        adoption_panel,
        diffusion,
    )

    panel = adoption_panel()
    one = diffusion(panel, core="RS")
    assert set(one["n"]) == {1}
    two = diffusion(panel, core="RS,HR")
    assert set(two["n"]) == {2}


def test_predecessor_tld_years_are_unknown_not_none() -> None:
    """Serbia used .yu (recorded as historical) before .rs: those years are not 'no ccTLD'."""

    p = adoption_panel()
    rs = p[(p["country"] == "RS") & (p["mechanism"] == "cctld")].set_index("year")["state"]
    assert rs[2000] == "unknown" and rs[2007] == "multistakeholder"
    me = p[(p["country"] == "ME") & (p["mechanism"] == "cctld")].set_index("year")["state"]
    assert me[2000] == "none", "Montenegro had no ccTLD of its own before .me (2007)"


def test_ties_share_a_rank_and_print_with_an_equals_sign() -> None:
    rows = [
        {
            "country": c,
            "scope_role": "core",
            "year": 2020,
            "mechanism": m,
            "state": st,
            "confidence": "sourced",
            "evidence": "strong",
            "sources": "s",
        }
        for c, st3 in {
            "ZZ": ("multistakeholder", "held", "multistakeholder"),
            "AA": ("none", "none", "none"),
            "MM": ("none", "none", "none"),
            "BB": ("not_multistakeholder", "held", "none"),
        }.items()
        for m, st in zip(MECHANISMS, st3, strict=True)
    ]
    ix = multisee_index(pd.DataFrame(rows, columns=PANEL_COLUMNS)).set_index("country")
    assert ix.loc[["ZZ", "BB", "AA", "MM"], "rank"].tolist() == [1, 2, 3, 3]
    assert rank_labels(ix.loc[["ZZ", "BB", "AA", "MM"], "rank"]) == ["1", "2", "=3", "=3"]
    assert rank_labels([1, None, 2]) == ["1", "", "2"]


def test_a_start_year_read_only_in_weak_sources_makes_the_early_cells_weak(tables: Tables) -> None:
    """A ccTLD coding held from a "no later than" year that only a low-reliability page gives is
    weak evidence until the coding's own sources date it (built on a copy of the data)."""
    c = tables.cctlds.copy()
    row = c.index[(c["country"] == "RS") & (c["tld"] == "rs")][0]
    c.loc[row, ["manager_since", "manager_by"]] = [None, 2005]
    c.loc[row, "manager_by_sources"] = "weak-mirror"
    c.loc[row, "manager_by_confidence"] = "sourced"
    weak = tables.sources.iloc[[0]].assign(id="weak-mirror", reliability="low")
    copy = dataclasses.replace(
        tables, cctlds=c, sources=pd.concat([tables.sources, weak], ignore_index=True)
    )
    p = adoption_panel(copy, start=2000, end=2024)
    rs = p[(p["country"] == "RS") & (p["mechanism"] == "cctld")].set_index("year")
    assert rs.loc[2005, "state"] == "multistakeholder"
    assert rs.loc[2005, "evidence"] == "weak" and "weak-mirror" in rs.loc[2005, "sources"]
    # the same bound read in a reliable source is strong
    strong = dataclasses.replace(copy, sources=tables.sources.assign())
    c2 = c.copy()
    c2.loc[row, "manager_by_sources"] = str(tables.sources["id"].iloc[0])
    p2 = adoption_panel(dataclasses.replace(strong, cctlds=c2), start=2000, end=2024)
    rs2 = p2[(p2["country"] == "RS") & (p2["mechanism"] == "cctld")].set_index("year")
    reliable = tables.sources["reliability"].iloc[0] != "low"
    assert rs2.loc[2005, "evidence"] == ("strong" if reliable else "weak")
