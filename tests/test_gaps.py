"""The research queue (`analysis.measures.gaps`, `multisee gaps`): ranking on data where the answer is known."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.measures import gaps as gp
from analysis.measures.panel import PANEL_COLUMNS, is_weak
from analysis.measures.scoring import mechanism_bounds
from analysis.model.load import Tables
from analysis.model.vocab import MECHANISMS
from analysis.products.gaps_render import render_gaps


def _panel(cells: dict[tuple[str, str], str], year: int = 2020) -> pd.DataFrame:
    rows = []
    for (country, mech), state in cells.items():
        known = state != "unknown"
        rows.append(
            {
                "country": country,
                "scope_role": "core",
                "year": year,
                "mechanism": mech,
                "state": state,
                "confidence": "sourced" if known else None,
                "evidence": "strong" if known else None,
                "sources": "s" if known else "",
            }
        )
    panel = pd.DataFrame(rows, columns=PANEL_COLUMNS)
    return panel


def _all(country: str, cctld: str, igf: str, body: str) -> dict[tuple[str, str], str]:
    return {(country, "cctld"): cctld, (country, "igf"): igf, (country, "body"): body}


def test_impact_is_the_largest_rank_interval_change() -> None:
    # AA's unknown IGF decides whether AA or BB is ahead (ties go to the earlier code): its
    # intervals [1,2] and [1,2] become [1,1] and [2,2] (best) or [2,2] and [1,1] (worst).
    # CC's unknown body decides CC against DD in the same way, and can never touch AA or BB.
    cells = {
        **_all("AA", "multistakeholder", "unknown", "multistakeholder"),
        **_all("BB", "multistakeholder", "held", "multistakeholder"),
        **_all("CC", "not_multistakeholder", "none", "unknown"),
        **_all("DD", "not_multistakeholder", "none", "multistakeholder"),
    }
    imp = gp.cell_impacts(_panel(cells)).set_index(["country", "mechanism"])["impact"]
    assert imp[("AA", "igf")] == 1
    assert imp[("CC", "body")] == 1


def test_a_gap_that_can_jump_several_places_ranks_first() -> None:
    # EE's unknown ccTLD and body could lift it from last to first: a change of three ranks.
    cells = {
        **_all("AA", "partly_multistakeholder", "held", "none"),
        **_all("BB", "partly_multistakeholder", "held", "none"),
        **_all("CC", "partly_multistakeholder", "held", "none"),
        **_all("EE", "unknown", "held", "unknown"),
    }
    imp = gp.cell_impacts(_panel(cells)).set_index(["country", "mechanism"])["impact"]
    assert imp[("EE", "cctld")] >= 1 and imp[("EE", "body")] >= 1
    # the body alone (0 or 1) moves EE's best rank from 1 to 4 or its worst from 4 to 1
    assert imp[("EE", "body")] == 3


def test_a_gap_that_moves_nothing_scores_zero() -> None:
    # Two countries whose unknown can never change any interval: XX far ahead in every case.
    cells = {
        **_all("XX", "multistakeholder", "held", "unknown"),
        **_all("YY", "not_multistakeholder", "none", "none"),
    }
    imp = gp.cell_impacts(_panel(cells)).set_index(["country", "mechanism"])["impact"]
    assert imp[("XX", "body")] == 0


def test_reference_jurisdiction_gaps_have_no_impact() -> None:
    cells = {
        **_all("AA", "multistakeholder", "held", "multistakeholder"),
        **_all("BB", "not_multistakeholder", "none", "none"),
        **_all("ZZ", "unknown", "unknown", "unknown"),
    }
    panel = _panel(cells)
    panel.loc[panel["country"] == "ZZ", "scope_role"] = "reference"
    imp = gp.cell_impacts(panel)
    assert (imp[imp["country"] == "ZZ"]["impact"] == 0).all()


def test_queue_on_shipped_data_is_ordered_and_explains_itself(tables: Tables) -> None:
    q = gp.gaps(tables)
    assert list(q.columns) == gp.GAP_COLUMNS
    assert list(q["priority"]) == list(range(1, len(q) + 1))
    assert q["impact"].is_monotonic_decreasing
    assert (q["look_for"].str.len() > 0).all()
    # every not_found absence of a mechanism is in the queue, once
    ab = tables.absences
    nf = ab[(ab["finding"] == "not_found") & ab["mechanism"].isin(MECHANISMS)]
    got = q[q["kind"] == "not_found"][["country", "mechanism"]]
    assert sorted(map(tuple, got.to_numpy())) == sorted(
        zip(nf["country"], nf["mechanism"], strict=True)
    )
    # and a mechanism searched and not found is one row, not also a span
    keys = set(map(tuple, got.to_numpy()))
    spans = q[q["kind"] == "unknown"]
    assert not any(
        (c, m) in keys for c, m in zip(spans["country"], spans["mechanism"], strict=True)
    )


def test_searches_are_shown_for_the_gap(tables: Tables) -> None:
    searches = pd.DataFrame(
        [
            {
                "country": "XK",
                "mechanism": "body",
                "query": "Kosovo Internet council",
                "looked_at": "news",
                "date": "2026-11-29",
            }
        ]
    )
    t = dataclasses.replace(tables, searches=searches)
    q = gp.gaps(t)
    row = q[(q["country"] == "XK") & (q["mechanism"] == "body")].iloc[0]
    assert "'Kosovo Internet council' in news (2026-11-29)" in row["searched"]


def test_weak_evidence_widens_the_bounds() -> None:
    strong = mechanism_bounds("held", "sourced", "igf", "strong")
    weak = mechanism_bounds("held", "sourced", "igf", "weak")
    assert strong == (1.0, 1.0, 1.0)
    assert weak == (0.0, 1.0, 1.0)
    low = frozenset({"mirror-1"})
    assert is_weak("sourced", ["mirror-1"], low)
    assert not is_weak("sourced", ["mirror-1", "registry-1"], low)
    assert is_weak("recalled", [], low)


@pytest.mark.slow
def test_gaps_command(tmp_path) -> None:
    from conftest import multisee

    res = multisee("gaps", "--top", "3")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("priority") and len(lines) == 4
    out = tmp_path / "gaps.html"
    res = multisee("gaps", "--format", "html", "--out", str(out))
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    assert "<table>" in page and "http" not in page.split("<body>")[0]
    res = multisee("gaps", "--top", "0")
    assert res.returncode == 2
    expected = "multisee gaps: error: argument --top: must be at least 1, not 0"
    assert res.stderr.strip() == expected


def test_weak_cells_are_queued_like_unknowns() -> None:
    """A state on weak evidence widens the bounds like an unknown, so it is a gap too."""
    cells = {
        **_all("AA", "multistakeholder", "held", "multistakeholder"),
        **_all("BB", "multistakeholder", "held", "multistakeholder"),
    }
    panel = _panel(cells)
    weak = (panel["country"] == "AA") & (panel["mechanism"] == "igf")
    panel.loc[weak, "evidence"] = "weak"
    imp = gp.cell_impacts(panel).set_index(["country", "mechanism"])["impact"]
    assert list(imp.index) == [("AA", "igf")] and imp[("AA", "igf")] == 1


def _two_years(tables: Tables) -> tuple[Tables, pd.DataFrame]:
    """AA's IGF unknown in 2010 (decisive then) and BB's unknown in 2020 (decisive then)."""
    rows = []
    for year, who in ((2010, "AA"), (2020, "BB")):
        cells = {
            **_all("AA", "multistakeholder", "held", "none"),
            **_all("BB", "multistakeholder", "held", "none"),
            **_all("CC", "none", "none", "none"),
        }
        cells[(who, "igf")] = "unknown"
        rows.append(_panel(cells, year))
    panel = pd.concat(rows, ignore_index=True)
    countries = pd.DataFrame(
        [{"code": c, "name": c, "scope_role": "core"} for c in ("AA", "BB", "CC")]
    )
    t = dataclasses.replace(
        tables,
        countries=countries.reindex(columns=tables.countries.columns),
        absences=tables.absences.iloc[0:0],
        searches=tables.searches.iloc[0:0],
    )
    return t, panel


def test_impact_counts_the_default_comparison_year(tables: Tables) -> None:
    """Two equally decisive gaps: the one in the year the products compare by default comes first;
    the other keeps its impact in any year, and ranks first when its year is the one compared."""
    t, panel = _two_years(tables)
    q = gp.gaps(t, panel=panel, start=2010, end=2020, comparison_years=[2020])
    assert q.iloc[0][["country", "impact", "impact_any_year"]].tolist() == ["BB", 1, 1]
    aa = q[q["country"] == "AA"].iloc[0]
    assert aa["impact"] == 0 and aa["impact_any_year"] == 1
    q2 = gp.gaps(t, panel=panel, start=2010, end=2020, comparison_years=[2010])
    assert q2.iloc[0]["country"] == "AA"


def test_the_queue_says_what_was_searched_in_the_terminal(tables: Tables) -> None:
    q = gp.gaps(tables)
    nf = q[q["kind"] == "not_found"]
    assert (nf["searched"].str.len() > 0).all()
    text = render_gaps(nf.head(3))
    assert "[searched: " in text


def test_the_html_queue_is_a_standalone_page_in_the_site_look() -> None:
    from analysis.products.pages import CSS

    row = dict.fromkeys(gp.GAP_COLUMNS, 1) | {
        "kind": "unknown",
        "country": "AA",
        "mechanism": "igf",
        "look_for": "Editions of <AA-IGF> & its pauses",
        "searched": "'AA IGF' in <search>",
    }
    page = render_gaps(pd.DataFrame([row], columns=gp.GAP_COLUMNS), "html")
    assert page.startswith("<!DOCTYPE html>") and "<title>multisee: research queue</title>" in page
    assert CSS in page and "<link" not in page and "<script" not in page
    assert "<td>Editions of &lt;AA-IGF&gt; &amp; its pauses</td>" in page
    assert "<td>&#x27;AA IGF&#x27; in &lt;search&gt;</td></tr>" in page
    assert "<th>searched</th>" in page and "Unknown is never 'no'." in page
