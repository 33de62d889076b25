"""events: one set of event rules, and the timeline (diffusion + events) of a selection."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.measures import events as ev_mod
from analysis.measures.panel import adoption_panel, diffusion, ms_body_mask
from analysis.measures.selection import complete_year, year_note
from analysis.model.errors import UserError
from analysis.model.load import Tables


def test_events(tables: Tables) -> None:
    ev = ev_mod.events(["RS", "TR", "ME", "MK"], tables)
    assert list(ev.columns) == ev_mod.EVENT_COLUMNS
    assert set(ev["kind"]) <= set(ev_mod.EVENT_KINDS)
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
    window = ev_mod.events(["RS"], tables, start=2008, end=2020)
    assert window["year"].between(2008, 2020).all()
    assert len(window) == int(rs["year"].between(2008, 2020).sum())
    assert ev_mod.events([], tables).empty


def test_event_rules_follow_the_records(tables: Tables) -> None:
    """Every ccTLD created/delegation/redelegation/transfer record, every national IGF with a
    first year or an edition and every multistakeholder body with a founding date is one event."""
    codes = sorted(tables.countries["code"])
    ev = ev_mod.events(codes, tables)
    cc = tables.cctld_events
    kinds = ev["kind"].value_counts()
    assert kinds.get("cctld_delegation", 0) == cc["type"].isin(["created", "delegation"]).sum()
    assert kinds.get("cctld_redelegation", 0) == (
        cc["type"].isin(["redelegation", "administrative_transfer"]).sum()
    )
    ini = tables.igf_initiatives
    national = ini[ini["kind"] == "national"]
    with_editions = set(tables.igf_editions["initiative"])
    started = national["first_year"].notna() | national["id"].isin(with_editions)
    assert kinds.get("igf_first", 0) == int(started.sum())
    b = tables.ms_bodies
    ms = ms_body_mask(b) & b["established"].notna()
    assert kinds.get("body_founded", 0) == int(ms.sum())


def test_frac_year() -> None:
    assert ev_mod.frac_year("2007") == 2007.5
    assert ev_mod.frac_year("2007-07") == pytest.approx(2007 + 6.5 / 12)
    assert 2007 < ev_mod.frac_year("2007-01-01") < ev_mod.frac_year("2007-12-31") < 2008
    assert ev_mod.frac_year(None) is None
    assert ev_mod.frac_year("n.d.") is None


def test_timeline_equals_panel_diffusion(tables: Tables) -> None:
    tl = ev_mod.timeline("RS,HR,AL", 2000, 2020, tables)
    panel = adoption_panel(tables, start=2000, end=2020)
    expected = diffusion(panel, core=["AL", "HR", "RS"])
    pd.testing.assert_frame_equal(tl.diffusion, expected)
    assert tl.diffusion_records() == expected[["year", "mechanism", "adopted", "unknown"]].to_dict(
        "records"
    )
    assert tl.events["year"].between(2000, 2020).all()
    assert set(tl.events["country"]) <= {"AL", "HR", "RS"}
    assert not tl.end_is_default and tl.note == year_note(2020, False)
    with pytest.raises(UserError, match="before start year"):
        ev_mod.timeline("all", 2020, 2000, tables)


def test_timeline_ends_by_default_in_the_latest_complete_data_year(tables: Tables) -> None:
    tl = ev_mod.timeline("RS", 2015, None, tables)
    assert tl.end == complete_year(tables)
    assert tl.end_is_default and tl.note == year_note(tl.end, True)
