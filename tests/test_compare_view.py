"""compare_view: parameter parsing, comparison tables, events, positions and figures (no kernel)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import compare_view as cv
from analysis.comparison import compare
from analysis.errors import UserError
from analysis.load import Tables
from analysis.panel import adoption_panel, diffusion
from analysis.scoring import DEFAULT_WEIGHTS, multisee_index, sensitivity
from analysis.selection import select
from analysis.vocab import MECHANISMS

PNG = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def test_parse_weights_accepts_pairs_and_defaults() -> None:
    assert cv.parse_weights("") is None
    assert cv.parse_weights("  ") is None
    assert cv.parse_weights(None) is None
    assert cv.parse_weights("cctld=0.5,igf=0.25,body=0.25") == {
        "cctld": 0.5,
        "igf": 0.25,
        "body": 0.25,
    }
    assert cv.parse_weights("IGF=1") == {"cctld": 0.0, "igf": 1.0, "body": 0.0}
    assert cv.parse_weights({"body": 2}) == {"cctld": 0.0, "igf": 0.0, "body": 2.0}
    assert cv.parse_weights("cctld=1; igf=1 body=2") == {"cctld": 1.0, "igf": 1.0, "body": 2.0}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("cctld=0.5,foo=0.5", "unknown mechanism 'foo'"),
        ("cctld=x", "not a number"),
        ("cctld=-1,igf=2", "non-negative"),
        ("cctld=nan", "non-negative"),
        ("cctld=inf", "non-negative"),
        ("cctld=0,igf=0", "positive sum"),
        ("cctld=1,cctld=2", "given twice"),
        ("cctld", "name=value"),
        ("=1", "name=value"),
    ],
)
def test_parse_weights_rejects_bad_input_with_one_line(spec: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        cv.parse_weights(spec)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------


def test_comparison_equals_indicators(tables: Tables, panel: pd.DataFrame) -> None:
    w = {"cctld": 0.5, "igf": 0.25, "body": 0.25}
    c = cv.comparison("western-balkans", 2020, "cctld=0.5,igf=0.25,body=0.25", tables, panel)
    expected = compare("western-balkans", 2020, tables, weights=w)
    assert c.codes == list(expected["country"])
    assert c.year == 2020
    assert c.weights == w
    pd.testing.assert_frame_equal(c.table[list(expected.columns)], expected)
    assert c.index_records() == [
        {k: (None if pd.isna(r[k]) else r[k]) for k in cv.COMPARISON_INDEX}
        for _, r in expected.iterrows()
    ]
    assert c.states() == {
        r["country"]: {m: r[m] for m in MECHANISMS} for _, r in expected.iterrows()
    }
    sens = sensitivity(panel, 2020, weights=w).set_index("country")
    for _, r in c.table.iterrows():
        for col in ("score_p05", "score_p95", "rank_p05", "rank_p95"):
            assert r[col] == sens.loc[r["country"], col]
    assert set(c.balance["country"]) <= set(c.codes)
    assert set(c.bpf["country"]) <= set(c.codes)
    assert c.state_matrix().shape == (len(c.codes), 3)


def test_comparison_defaults_and_reference_case(tables: Tables, panel: pd.DataFrame) -> None:
    c = cv.comparison("all", None, "", tables, panel)
    assert c.year == int(panel["year"].max())
    assert c.weights == pytest.approx(DEFAULT_WEIGHTS)
    assert "CH" not in c.codes
    ref = cv.comparison("CH,RS", 2024, None, tables, panel)
    rec = {r["country"]: r for r in ref.index_records()}
    assert rec["CH"]["rank"] is None and rec["RS"]["rank"] is not None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"countries": "nowhere"}, "unknown selection"),
        ({"year": 1900}, "no data for year"),
        ({"weights": "cctld=2,x=1"}, "unknown mechanism"),
    ],
)
def test_comparison_bad_parameters(
    tables: Tables, panel: pd.DataFrame, kwargs: dict, message: str
) -> None:
    args = {"countries": "all", "year": 2024, "weights": "", **kwargs}
    with pytest.raises(UserError, match=message):
        cv.comparison(tables=tables, panel=panel, **args)


def _table(rows: list[tuple]) -> pd.DataFrame:
    cols = ["country", "cctld", "igf", "body", "score", "low", "high", "rank"]
    return pd.DataFrame(rows, columns=cols)


def test_differences_on_synthetic_tables() -> None:
    t = _table(
        [
            ("AA", "multistakeholder", "held", "active", 1.0, 1.0, 1.0, 1),
            ("BB", "not_multistakeholder", "unknown", "none", 1 / 6, 0.0, 1 / 3, 2),
            ("CC", "not_multistakeholder", "dormant", "none", 0.5 / 3, 0.5 / 3, 0.5 / 3, 3),
        ]
    )
    text = cv.differences(t, 2020, {"AA": "Aland", "BB": "Bland", "CC": "Cland"})
    assert text[0].startswith("Highest Multi-SEE score in 2020: Aland (AA) with 1.00")
    assert "lowest: Bland (BB), Cland (CC) with 0.17 each" in text[0]
    assert any("Only 2 of the 3 pairs" in s for s in text)
    assert any("Aland (AA) leads even in the least favourable case" in s for s in text)
    assert any(s.startswith("ccTLD manager: MS in AA; not MS in BB, CC") for s in text)
    assert any(s.startswith("national IGF: held in AA; dormant in CC; unknown in BB") for s in text)
    assert any("1 of 9 mechanism states are unknown" in s for s in text)

    same = _table([("AA", "none", "none", "none", 0.0, 0.0, 0.0, 1)] * 1)
    assert cv.differences(same, 2020)[0] == "AA (AA) scores 0.00 in 2020 (bounds 0.00–0.00)."
    equal = _table(
        [
            ("AA", "none", "none", "none", 0.0, 0.0, 0.0, 1),
            ("BB", "none", "none", "none", 0.0, 0.0, 0.0, 2),
        ]
    )
    text = cv.differences(equal, 2020)
    assert text[0] == "All 2 jurisdictions have the same Multi-SEE score in 2020: 0.00."
    assert "ccTLD manager: the same state everywhere (none)." in text
    assert cv.differences(_table([]), 2020) == ["No jurisdiction selected."]


def test_comparison_summary_mentions_every_mechanism(tables: Tables, panel: pd.DataFrame) -> None:
    text = cv.comparison("western-balkans", 2020, "", tables, panel).summary()
    assert all(isinstance(s, str) and s for s in text)
    for label in cv.MECHANISM_LABELS.values():
        assert any(s.startswith(label) for s in text)


# ---------------------------------------------------------------------------------------------
# Events, timeline, positions, sources
# ---------------------------------------------------------------------------------------------


def test_events(tables: Tables) -> None:
    ev = cv.events(["RS", "TR", "ME", "MK"], tables)
    assert list(ev.columns) == cv.EVENT_COLUMNS
    assert set(ev["kind"]) <= set(cv.EVENT_KINDS)
    assert set(ev["country"]) <= {"RS", "TR", "ME", "MK"}
    assert list(ev["country"]) == sorted(ev["country"])
    assert ev.groupby("country")["when"].apply(lambda w: w.is_monotonic_increasing).all()
    rs = ev[ev["country"] == "RS"]
    assert ((rs["date"] == "2007-09-11") & (rs["kind"] == "cctld_delegation")).any()
    assert ((rs["kind"] == "igf_first") & (rs["year"] == 2022)).any()
    # bodies coded `no` (contrast cases) are no MS-body events
    founded = set(ev.loc[ev["kind"] == "body_founded", "detail"])
    assert "Council for .me domain" not in founded
    assert "ICT Digital Forum" in founded
    assert (ev["year"] == ev["when"].astype(float).apply(math.floor)).all()
    window = cv.events(["RS"], tables, start=2008, end=2020)
    assert window["year"].between(2008, 2020).all()
    assert len(window) == int(rs["year"].between(2008, 2020).sum())
    assert cv.events([], tables).empty


def test_frac_year() -> None:
    assert cv._frac_year("2007") == 2007.5
    assert cv._frac_year("2007-07") == pytest.approx(2007 + 6.5 / 12)
    assert 2007 < cv._frac_year("2007-01-01") < cv._frac_year("2007-12-31") < 2008
    assert cv._frac_year(None) is None
    assert cv._frac_year("n.d.") is None


def test_timeline_equals_indicators(tables: Tables) -> None:
    tl = cv.timeline("RS,HR,AL", 2000, 2020, tables)
    panel = adoption_panel(tables, start=2000, end=2020)
    expected = diffusion(panel, core=["AL", "HR", "RS"])
    pd.testing.assert_frame_equal(tl.diffusion, expected)
    assert tl.diffusion_records() == expected[["year", "mechanism", "adopted", "unknown"]].to_dict(
        "records"
    )
    assert tl.events["year"].between(2000, 2020).all()
    assert set(tl.events["country"]) <= {"AL", "HR", "RS"}
    with pytest.raises(UserError, match="before start year"):
        cv.timeline("all", 2020, 2000, tables)


def test_position_and_peer_positions(tables: Tables, panel: pd.DataFrame) -> None:
    year = int(panel["year"].max())
    idx = multisee_index(panel, year=year).set_index("country")
    pos = cv.position("MK", panel)
    assert pos["year"] == year
    for k in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
        assert pos[k] == idx.loc["MK", k]
    peers = cv.peer_positions("MK", tables, panel)
    assert list(peers.columns) == cv.PEER_COLUMNS
    assert peers["group"].iloc[0] == "all"
    assert int(peers["rank"].iloc[0]) == pos["rank"]
    groups = tables.peer_groups
    containing = {g for g, m in zip(groups["id"], groups["members"], strict=True) if "MK" in m}
    assert set(peers["group"].iloc[1:]) == containing
    for _, r in peers.iterrows():
        assert 1 <= r["rank_best"] <= r["rank"] <= r["rank_worst"] <= r["n"]
        assert r["low"] <= r["score"] <= r["high"]
    ch = cv.position("CH", panel)
    assert ch["rank"] is None and ch["score"] is not None
    assert cv.peer_positions("CH", tables, panel)["rank"].isna().all()
    with pytest.raises(UserError):
        cv.position("ZZ", panel)


def test_source_citations_counts_each_record_once_at_its_strongest() -> None:
    frames = [
        pd.DataFrame(
            {
                "sources": ["s1; s2", "s1", None],
                "confidence": ["inferred", "recalled", "sourced"],
                "manager_sources": ["s1", None, "s3"],
                "manager_confidence": ["sourced", None, None],
            }
        ),
        pd.DataFrame({"sources": ["s2"], "confidence": ["sourced"]}),
    ]
    sources = pd.DataFrame({"id": ["s3", "s1", "s2", "s4"], "title": ["C", "A", "B", "D"]})
    out = cv.source_citations(frames, sources).set_index("id")
    assert list(out.index) == ["s1", "s2", "s3", "s4"]
    assert out.loc["s1", ["sourced", "inferred", "recalled", "total"]].tolist() == [1, 0, 1, 2]
    assert out.loc["s2", ["sourced", "inferred", "recalled", "total"]].tolist() == [1, 1, 0, 2]
    # a field citation without its own confidence takes the record's
    assert out.loc["s3", ["sourced", "total"]].tolist() == [1, 1]
    assert out.loc["s4", "total"] == 0


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def test_figures_render(tables: Tables, panel: pd.DataFrame) -> None:
    c = cv.comparison("CH,RS,MK,XK", 2024, "", tables, panel)
    figs = [
        cv.rank_interval_figure(c.table, "title"),
        cv.mechanism_matrix_figure(c.state_matrix(), "title"),
    ]
    tl = cv.timeline("RS,HR", 2000, 2020, tables)
    figs.append(cv.diffusion_figure(tl.diffusion, "title"))
    figs.append(cv.timeline_figure(tl.events, tl.codes, tl.start, tl.end, tl.names, "title"))
    figs.append(cv.timeline_figure(tl.events.iloc[0:0], ["XK"], 2000, 2020))
    figs.append(cv.country_states_figure(panel, "MK", 2000, 2020, "title"))
    for fig in figs:
        assert isinstance(fig, Figure)
        assert cv.figure_png(fig).startswith(PNG)
    rank_ax = figs[0].axes[0]
    assert len(rank_ax.get_yticklabels()) == 4
    assert any(t.get_text() == "not ranked (reference)" for t in figs[0].axes[1].texts)
    matrix_labels = [t.get_text() for t in figs[1].axes[0].texts]
    assert len(matrix_labels) == 4 * 3
    img = cv.figure_image(figs[0], "alt text")
    assert img.data.startswith(PNG)
    assert img.alt == "alt text"


def test_explorer_headless(tables: Tables) -> None:
    ex = cv.Explorer(tables, countries="western-balkans", year=2020)
    codes, year, weights = ex.current()
    assert codes == list(select("western-balkans", tables).codes) and year == 2020
    assert ex.render() == codes
    table_out, figure_out = ex.output.outputs
    assert "<table" in table_out["data"]["text/html"]
    assert figure_out["data"]["image/png"]  # base64 PNG, with alt text
    assert figure_out["metadata"]["image/png"]["alt"] == cv.rank_alt(
        cv.comparison(codes, year, None, tables, ex.panel)
    )
    c, html, fig = ex.view(codes, year, weights)
    expected = cv.comparison("western-balkans", 2020, None, tables, ex.panel)
    pd.testing.assert_frame_equal(c.table, expected.table)  # equal sliders = default weights
    assert "<table" in html and isinstance(fig, Figure)
    for s in ex.weights.values():
        s.value = 0.0  # every change re-renders; all-zero weights show a message, no error
    assert ex.shown == []
    assert "Cannot compare" in ex.output.outputs[0]["data"]["text/html"]
    ex.weights["igf"].value = 1.0
    assert ex.shown == codes
    ex.countries.value = ()
    assert ex.shown == []
    with pytest.raises(UserError):
        cv.Explorer(tables, countries="nowhere")
