"""comparison: weights, the comparison table, shared ranks, positions among peers, citations."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.measures import comparison as cmp
from analysis.measures.applicability import mark_not_applicable
from analysis.measures.comparison import compare
from analysis.measures.robustness import robustness
from analysis.measures.scoring import (
    DEFAULT_WEIGHTS,
    multisee_index,
    parse_weights,
    rank_labels,
)
from analysis.measures.selection import resolve_period, resolve_year, year_note
from analysis.measures.stock import period_index
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.model.vocab import MECHANISMS

# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------


def test_parse_weights_accepts_pairs_and_defaults() -> None:
    assert parse_weights("") is None
    assert parse_weights("  ") is None
    assert parse_weights(None) is None
    assert parse_weights("cctld=0.5,igf=0.25,body=0.25") == {
        "cctld": 0.5,
        "igf": 0.25,
        "body": 0.25,
    }
    assert parse_weights("IGF=1") == {"cctld": 0.0, "igf": 1.0, "body": 0.0}
    assert parse_weights({"body": 2}) == {"cctld": 0.0, "igf": 0.0, "body": 2.0}
    assert parse_weights("cctld=1; igf=1 body=2") == {"cctld": 1.0, "igf": 1.0, "body": 2.0}


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
        parse_weights(spec)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------


def test_comparison_equals_compare_and_sensitivity(tables: Tables, panel: pd.DataFrame) -> None:
    w = {"cctld": 0.5, "igf": 0.25, "body": 0.25}
    c = cmp.comparison("western-balkans", 2020, "cctld=0.5,igf=0.25,body=0.25", tables, panel)
    expected = compare("western-balkans", 2020, tables, weights=w)
    assert c.codes == list(expected["country"])
    assert c.year == 2020
    assert c.weights == w
    pd.testing.assert_frame_equal(c.table[list(expected.columns)], expected)
    assert c.index_records() == [
        {k: (None if pd.isna(r[k]) else r[k]) for k in cmp.COMPARISON_INDEX}
        for _, r in expected.iterrows()
    ]
    assert c.states() == {
        r["country"]: {m: r[m] for m in MECHANISMS} for _, r in expected.iterrows()
    }
    marked = mark_not_applicable(panel, tables)
    sens = robustness(marked, c.period, weights=w).intervals.set_index("country")
    assert c.period is not None and c.period.window == 1
    for _, r in c.table.iterrows():
        for col in ("score_p05", "score_p95", "rank_p05", "rank_p95"):
            assert r[col] == sens.loc[r["country"], col]
    assert set(c.balance["country"]) <= set(c.codes)
    assert set(c.bpf["country"]) <= set(c.codes)
    assert c.state_matrix().shape == (len(c.codes), 3)


def test_comparison_defaults_year_note_and_reference_case(
    tables: Tables, panel: pd.DataFrame
) -> None:
    c = cmp.comparison("all", None, "", tables, panel)
    default = resolve_year(None, panel, tables)
    assert c.year == default
    period = resolve_period(None, panel, tables)
    assert c.year_is_default and c.note == f"{year_note(default, True)} {period.note}"
    assert c.weights == pytest.approx(DEFAULT_WEIGHTS)
    assert "CH" not in c.codes
    chosen = cmp.comparison("CH,RS", 2024, None, tables, panel)
    assert not chosen.year_is_default and chosen.note.startswith(year_note(2024, False))
    assert "states of 2024 alone" in chosen.note
    assert "chosen" in chosen.note
    rec = {r["country"]: r for r in chosen.index_records()}
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
        cmp.comparison(tables=tables, panel=panel, **args)


def _tied_alone(panel: pd.DataFrame, year: int, tables: Tables) -> tuple[str, int]:
    """A core jurisdiction whose rank is shared in ``year``. Scores lie on a grid of 1/6, so
    with more than seven core jurisdictions some rank is always shared."""
    marked = mark_not_applicable(panel, tables)
    idx = multisee_index(marked, year=year).dropna(subset=["rank"])
    counts = idx["rank"].value_counts()
    shared = idx[idx["rank"].map(counts) > 1].sort_values("country")
    assert not shared.empty, "no shared rank: the pigeonhole argument no longer holds"
    r = shared.iloc[0]
    return str(r["country"]), int(r["rank"])


def test_shared_rank_printed_against_all_core_jurisdictions(
    tables: Tables, panel: pd.DataFrame
) -> None:
    year = resolve_year(None, panel, tables)
    code, rank = _tied_alone(panel, year, tables)
    # Shown alone, the rank is still shared with jurisdictions that are not shown.
    alone = cmp.comparison([code], year, None, tables, panel)
    assert list(alone.table["rank_label"]) == [f"={rank}"]
    assert rank_labels(list(alone.table["rank"])) == [str(rank)]  # what a subset would print
    assert f"<td>={rank}</td>" in cmp.comparison_html(alone)
    # Every row of a larger comparison prints the full ranking's label.
    full = multisee_index(mark_not_applicable(panel, tables), year=year)
    labels = dict(zip(full["country"], rank_labels(list(full["rank"])), strict=True))
    wb = cmp.comparison("western-balkans", year, None, tables, panel)
    assert dict(zip(wb.table["country"], wb.table["rank_label"], strict=True)) == {
        c: labels[c] for c in wb.codes
    }


# ---------------------------------------------------------------------------------------------
# Positions, sources
# ---------------------------------------------------------------------------------------------


def test_position_and_peer_positions(tables: Tables, panel: pd.DataFrame) -> None:
    year = resolve_year(None, panel, tables)
    period = resolve_period(None, panel, tables)
    idx = period_index(mark_not_applicable(panel, tables), period).set_index("country")
    pos = cmp.position("MK", panel)
    assert pos["year"] == year
    for k in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
        assert pos[k] == idx.loc["MK", k]
    peers = cmp.peer_positions("MK", tables, panel)
    assert list(peers.columns) == cmp.PEER_COLUMNS
    assert peers["group"].iloc[0] == "all"
    assert int(peers["rank"].iloc[0]) == pos["rank"]
    groups = tables.peer_groups
    containing = {g for g, m in zip(groups["id"], groups["members"], strict=True) if "MK" in m}
    assert set(peers["group"].iloc[1:]) == containing
    for _, r in peers.iterrows():
        assert 1 <= r["rank_best"] <= r["rank"] <= r["rank_worst"] <= r["n"]
        assert r["low"] <= r["score"] <= r["high"]
        assert r["rank_label"].lstrip("=") == str(r["rank"])
    ch = cmp.position("CH", panel)
    assert ch["rank"] is None and ch["score"] is not None
    ch_peers = cmp.peer_positions("CH", tables, panel)
    assert ch_peers["rank"].isna().all() and (ch_peers["rank_label"] == "").all()
    with pytest.raises(UserError):
        cmp.position("ZZ", panel)


def test_peer_rank_label_is_shared_within_the_group(tables: Tables, panel: pd.DataFrame) -> None:
    year = resolve_year(None, panel, tables)
    code, rank = _tied_alone(panel, year, tables)
    peers = cmp.peer_positions(code, tables, panel, year=year, n=10).set_index("group")
    assert peers.loc["all", "rank_label"] == f"={rank}"


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
    out = cmp.source_citations(frames, sources).set_index("id")
    assert list(out.index) == ["s1", "s2", "s3", "s4"]
    assert out.loc["s1", ["sourced", "inferred", "recalled", "total"]].tolist() == [1, 0, 1, 2]
    assert out.loc["s2", ["sourced", "inferred", "recalled", "total"]].tolist() == [1, 1, 0, 2]
    # a field citation without its own confidence takes the record's
    assert out.loc["s3", ["sourced", "total"]].tolist() == [1, 1]
    assert out.loc["s4", "total"] == 0
