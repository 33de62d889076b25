"""figures and the explorer: the views render headless and print what the library computes."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.measures.comparison import comparison
from analysis.measures.events import timeline
from analysis.measures.narrative import rank_alt
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import resolve_year, select, year_note
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.products import figures
from analysis.products.explorer import Explorer

PNG = b"\x89PNG\r\n\x1a\n"


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


def test_figures_render(tables: Tables, panel: pd.DataFrame) -> None:
    c = comparison("CH,RS,MK,XK", 2024, "", tables, panel)
    figs = [
        figures.rank_interval_figure(c.table, "title"),
        figures.mechanism_matrix_figure(c.state_matrix(), "title"),
    ]
    tl = timeline("RS,HR", 2000, 2020, tables)
    figs.append(figures.diffusion_figure(tl.diffusion, "title"))
    figs.append(figures.timeline_figure(tl.events, tl.codes, tl.start, tl.end, tl.names, "title"))
    figs.append(figures.timeline_figure(tl.events.iloc[0:0], ["XK"], 2000, 2020))
    figs.append(figures.country_states_figure(panel, "MK", 2000, 2020, "title"))
    for fig in figs:
        assert isinstance(fig, Figure)
        assert figures.figure_png(fig).startswith(PNG)
    rank_ax = figs[0].axes[0]
    assert len(rank_ax.get_yticklabels()) == 4
    assert figures.NOT_RANKED in [t.get_text() for t in figs[0].axes[1].texts]
    matrix_labels = [t.get_text() for t in figs[1].axes[0].texts]
    assert len(matrix_labels) == 4 * 3
    img = figures.figure_image(figs[0], "alt text")
    assert img.data.startswith(PNG)
    assert img.alt == "alt text"


def test_rank_figure_prints_shared_ranks_of_all_core_jurisdictions(
    tables: Tables, panel: pd.DataFrame
) -> None:
    from analysis.measures.applicability import mark_not_applicable

    year = resolve_year(None, panel, tables)
    idx = multisee_index(mark_not_applicable(panel, tables), year=year).dropna(subset=["rank"])
    counts = idx["rank"].value_counts()
    tied = idx[idx["rank"].map(counts) > 1].sort_values("country").iloc[0]
    c = comparison([tied["country"]], year, None, tables, panel)  # shown alone
    fig = figures.rank_interval_figure(c.table)
    r = c.table.iloc[0]
    assert f"={int(tied['rank'])} ({r['rank_best']}–{r['rank_worst']})" in _texts(fig)


def test_events_figure_draws_one_marker_per_event(tables: Tables) -> None:
    tl = timeline("RS,HR,AL", 1990, 2020, tables)
    fig = figures.timeline_figure(tl.events, tl.codes, tl.start, tl.end)
    ax = fig.axes[0]
    drawn = sorted(
        (round(float(x), 6), tl.codes[round(float(y))])
        for coll in ax.collections
        for x, y in coll.get_offsets()
    )
    expected = sorted(
        (round(float(w), 6), c)
        for w, c in zip(tl.events["when"], tl.events["country"], strict=True)
    )
    assert drawn == expected and expected


def test_matrix_marks_confidence_and_hatches_weak_cells() -> None:
    states = pd.DataFrame({"cctld": ["none"], "igf": ["held"], "body": ["unknown"]}, index=["AA"])
    fig = Figure()
    ax = fig.subplots()
    figures.draw_state_matrix(
        ax, states, confidence={("AA", "igf"): "inferred"}, weak={("AA", "body")}
    )
    assert [t.get_text() for t in ax.texts] == ["none", "held ◐", "unknown"]
    assert [p.get_hatch() for p in ax.patches] == [None, None, "///"]


@pytest.mark.slow
def test_explorer_headless(tables: Tables) -> None:
    ex = Explorer(tables, countries="western-balkans", year=2020)
    codes, year, weights = ex.current()
    assert codes == list(select("western-balkans", tables).codes) and year == 2020
    assert ex.render() == codes
    note_out, table_out, figure_out = ex.output.outputs
    assert year_note(2020, False) in note_out["data"]["text/html"]
    assert "<table" in table_out["data"]["text/html"]
    assert figure_out["data"]["image/png"]  # base64 PNG, with alt text
    assert figure_out["metadata"]["image/png"]["alt"] == rank_alt(
        comparison(codes, year, None, tables, ex.panel)
    )
    c, html, fig = ex.view(codes, year, weights)
    expected = comparison("western-balkans", 2020, None, tables, ex.panel)
    pd.testing.assert_frame_equal(c.table, expected.table)  # equal sliders = default weights
    assert "<table" in html and isinstance(fig, Figure)
    ex.year.value = ex.default_year
    assert year_note(ex.default_year, True) in ex.output.outputs[0]["data"]["text/html"]
    for s in ex.weights.values():
        s.value = 0.0  # every change re-renders; all-zero weights show a message, no error
    assert ex.shown == []
    assert "Cannot compare" in ex.output.outputs[0]["data"]["text/html"]
    ex.weights["igf"].value = 1.0
    assert ex.shown == codes
    ex.countries.value = ()
    assert ex.shown == []
    with pytest.raises(UserError):
        Explorer(tables, countries="nowhere")
