"""Choropleth drawing over the SEE+ boundary file (the drawing layer of multisee's maps).

Pure drawing: this module and the three it puts together -- :mod:`analysis.products.map_boundaries`
(the boundary file), :mod:`analysis.products.map_draw` (one map in an axes) and
:mod:`analysis.products.map_frame` (the figure around it) -- know the boundaries, the layout and the
notes every map carries, not the adoption panel (that is :mod:`analysis.products.adoption_map`).
They import only :mod:`analysis.model.vocab`, :mod:`analysis.model.paths`,
:mod:`analysis.model.atomic`, each other and the plotting libraries; callers use this module.

The boundaries are ``data/boundaries/see_plus.geojson`` (built by ``scripts/build_boundaries.py``
from Natural Earth, German point of view). Every map is drawn in the equal-area projection
ETRS89-LAEA Europe (EPSG:3035), fills the 21 in-scope jurisdictions by category (or by value),
draws the neighbours light grey for context, hatches the jurisdictions whose evidence is weak and
carries, at the bottom, any extra notes (e.g. the year note), the source,
:data:`analysis.model.vocab.BOUNDARY_NOTE` and :data:`analysis.model.vocab.KOSOVO_FOOTNOTE`.

Nothing here calls ``pyplot``: figures are plain :class:`matplotlib.figure.Figure` objects, so the
module works headless (Agg) and from papermill. What a figure shows can be read back from its
artists: :func:`hatched_codes` (also the ``multisee_hatched`` attribute of the returned figure)
and :func:`describe` (title, subtitle, footer lines, legend entries, hatched codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import colormaps
from matplotlib.animation import PillowWriter
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure

from analysis.model.atomic import atomic_path
from analysis.products.map_boundaries import IN_SCOPE, MAP_CRS, load_boundaries
from analysis.products.map_draw import (
    NEIGHBOUR_LABEL,
    NO_DATA_LABEL,
    Labels,
    Palette,
    check_codes,
    draw_map,
    hatched_codes,
    legend_handles,
    state_fills,
)
from analysis.products.map_frame import (
    FOOT_PT,
    MAP_W,
    MARGIN,
    Layout,
    add_footer,
    add_legend,
    decorate,
    footer_lines,
)

__all__ = [
    "IN_SCOPE",
    "MAP_CRS",
    "NEIGHBOUR_LABEL",
    "NO_DATA_LABEL",
    "add_footer",
    "animate",
    "choropleth",
    "choropleth_continuous",
    "describe",
    "hatched_codes",
    "load_boundaries",
    "save",
    "small_multiples",
]


def _years(
    states_by_year: Mapping[int, Mapping[str, str]],
    weak_by_year: Mapping[int, Iterable[str]] | None,
) -> tuple[list[int], Mapping[int, Iterable[str]]]:
    """The years of a map series, sorted (none is an error), and the weak codes by year."""
    years = sorted(states_by_year)
    if not years:
        raise ValueError("states_by_year is empty")
    return years, weak_by_year or {}


def _tag(fig: Figure, hatched: Sequence[str]) -> Figure:
    fig.multisee_hatched = sorted(hatched)  # type: ignore[attr-defined]
    return fig


# --------------------------------------------------------------------------- public API


def choropleth(
    states: Mapping[str, str],
    *,
    palette: Palette,
    weak: Iterable[str] = (),
    title: str,
    subtitle: str = "",
    source: str = "",
    notes: Sequence[str] = (),
    no_data_label: str = NO_DATA_LABEL,
    labels: Labels = "code",
    ax: Axes | None = None,
) -> Figure:
    """A categorical map: each in-scope jurisdiction filled by ``palette`` colour of its state.

    ``states`` maps codes (``XK`` for Kosovo*) to palette values; jurisdictions missing from it
    are drawn white, labelled ``no_data_label`` in the legend (e.g. "not in the selection" when
    they were left out on purpose; ``""`` drops the entry). Jurisdictions in ``weak`` are
    hatched. ``notes`` are footer lines above the source (e.g. the year note). With ``ax`` the
    map is drawn into that axes (title as the axes title, legend inside, notes at the bottom of
    its figure). The returned figure has ``multisee_hatched`` (sorted codes); see
    :func:`hatched_codes`.
    """
    fills = state_fills(states, palette)
    handles = legend_handles(palette, no_data_label=no_data_label)
    if ax is not None:
        fig = ax.get_figure()
        assert isinstance(fig, Figure)
        w, h = fig.get_size_inches()
        scale = ax.get_position().width * w / MAP_W
        hatched = draw_map(ax, fills, weak, labels, scale)
        ax.set_title(f"{title}\n{subtitle}" if subtitle else title, loc="left", fontsize=12)
        ax.legend(handles=handles, loc="lower left", fontsize=max(8 * scale, 5), framealpha=0.9)
        if not any(t.get_gid() == "multisee-footnote" for t in fig.texts):
            lines = footer_lines(source, w - 2 * MARGIN, notes)
            add_footer(fig, lines, FOOT_PT * 1.45 / 72, w, h)
        return _tag(fig, hatched)

    fig, layout, hatched = _single_map(fills, weak, labels, title, subtitle, source, notes, 0.8)
    add_legend(fig, layout, handles)
    return _tag(fig, hatched)


def _single_map(
    fills: Mapping[str, Any],
    weak: Iterable[str],
    labels: Labels,
    title: str,
    subtitle: str,
    source: str,
    notes: Sequence[str],
    legend_h: float,
) -> tuple[Figure, Layout, list[str]]:
    """A one-panel map figure with title, subtitle and footer; the caller adds its legend."""
    layout = Layout(
        nrows=1,
        ncols=1,
        panel_w=MAP_W,
        header_h=1.0 if subtitle else 0.7,
        legend_h=legend_h,
        source=source,
        notes=notes,
    )
    fig = layout.figure()
    ax = fig.add_axes(layout.panel_rect(0, 0))
    hatched = draw_map(ax, fills, weak, labels, 1.0)
    decorate(fig, layout, title, subtitle)
    return fig, layout, hatched


def choropleth_continuous(
    values: Mapping[str, float],
    *,
    weak: Iterable[str] = (),
    title: str,
    subtitle: str = "",
    source: str = "",
    notes: Sequence[str] = (),
    no_data_label: str = NO_DATA_LABEL,
    cmap: str | Colormap = "viridis",
    vmin: float = 0.0,
    vmax: float = 1.0,
    label: str = "",
    labels: Labels = "code",
) -> Figure:
    """A map of an indicator (e.g. an index 0..1) with a colourbar; NaN or missing = no data.

    ``notes`` and ``no_data_label`` as for :func:`choropleth`.
    """
    check_codes(values, "values")
    colormap = colormaps[cmap] if isinstance(cmap, str) else cmap
    norm = Normalize(vmin=vmin, vmax=vmax)
    fills: dict[str, Any] = {
        code: colormap(norm(float(v))) for code, v in values.items() if np.isfinite(float(v))
    }
    fig, layout, hatched = _single_map(fills, weak, labels, title, subtitle, source, notes, 1.05)
    cax = fig.add_axes(layout.legend_rect(0.42, 0.16))
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=colormap)
    bar = Colorbar(cax, mappable=sm, orientation="horizontal")
    bar.ax.tick_params(labelsize=9)
    if label:
        bar.set_label(label, fontsize=10)
    handles = legend_handles(None, no_data_label=no_data_label)
    add_legend(fig, layout, handles, loc_x=0.5, anchor="upper left", ncol=1)
    return _tag(fig, hatched)


def small_multiples(
    states_by_year: Mapping[int, Mapping[str, str]],
    *,
    palette: Palette,
    weak_by_year: Mapping[int, Iterable[str]] | None = None,
    title: str,
    subtitle: str = "",
    source: str = "",
    notes: Sequence[str] = (),
    no_data_label: str = NO_DATA_LABEL,
    labels: Labels = "code",
    ncols: int | None = None,
) -> Figure:
    """One panel per year (sorted), a shared legend and the notes at the bottom.

    The figure has ``multisee_hatched_by_year`` ({year: sorted codes}) and ``multisee_hatched``
    (the union). ``notes`` and ``no_data_label`` as for :func:`choropleth`.
    """
    years, weak_by_year = _years(states_by_year, weak_by_year)
    ncols = ncols or (2 if len(years) == 4 else min(len(years), 3))
    nrows = int(np.ceil(len(years) / ncols))
    panel_w = 5.0 if ncols > 1 else MAP_W
    layout = Layout(
        nrows=nrows,
        ncols=ncols,
        panel_w=panel_w,
        header_h=1.0 if subtitle else 0.7,
        legend_h=0.8,
        source=source,
        panel_title_h=0.3,
        notes=notes,
    )
    fig = layout.figure()
    by_year: dict[int, list[str]] = {}
    for i, year in enumerate(years):
        ax = fig.add_axes(layout.panel_rect(i // ncols, i % ncols))
        fills = state_fills(states_by_year[year], palette)
        by_year[year] = draw_map(
            ax, fills, weak_by_year.get(year, ()), labels, panel_w / MAP_W * 1.35
        )
        ax.set_title(str(year), loc="left", fontsize=12, fontweight="bold", pad=4)
    decorate(fig, layout, title, subtitle)
    add_legend(fig, layout, legend_handles(palette, no_data_label=no_data_label))
    fig.multisee_hatched_by_year = by_year  # type: ignore[attr-defined]
    return _tag(fig, sorted({c for codes in by_year.values() for c in codes}))


def animate(
    states_by_year: Mapping[int, Mapping[str, str]],
    *,
    palette: Palette,
    weak_by_year: Mapping[int, Iterable[str]] | None = None,
    title: str,
    source: str = "",
    notes: Sequence[str] = (),
    no_data_label: str = NO_DATA_LABEL,
    path: Path | str,
    fps: int = 1,
    dpi: int = 80,
    labels: Labels = "code",
) -> Path:
    """Write an animated GIF, one frame per year (sorted); the title carries the year.

    ``notes`` and ``no_data_label`` as for :func:`choropleth`. Written atomically (temporary
    name, then :func:`os.replace`). Returns the path.
    """
    years, weak_by_year = _years(states_by_year, weak_by_year)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout = Layout(
        nrows=1,
        ncols=1,
        panel_w=MAP_W,
        header_h=0.7,
        legend_h=0.8,
        source=source,
        notes=notes,
    )
    fig = layout.figure()
    ax = fig.add_axes(layout.panel_rect(0, 0))
    title_artist = decorate(fig, layout, title, "")
    add_legend(fig, layout, legend_handles(palette, no_data_label=no_data_label))
    writer = PillowWriter(fps=fps)
    with atomic_path(path, suffix=".gif") as tmp, writer.saving(fig, str(tmp), dpi):
        for year in years:
            ax.clear()
            draw_map(
                ax,
                state_fills(states_by_year[year], palette),
                weak_by_year.get(year, ()),
                labels,
                1.0,
            )
            title_artist.set_text(f"{title}, {year}")
            writer.grab_frame()
    return path


def save(
    fig: Figure,
    path_stem: Path | str,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` as ``<path_stem>.<format>`` for each format, atomically; return the paths.

    SVG text stays text (``svg.fonttype = "none"``) and SVG/PDF carry no date, so the output is
    searchable and reproducible.
    """
    path_stem = Path(path_stem)
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rc: dict[Any, Any] = {"svg.fonttype": "none", "svg.hashsalt": "multisee", "pdf.fonttype": 42}
    metadata: dict[str, dict[str, Any]] = {
        "svg": {"Date": None},
        "pdf": {"CreationDate": None, "ModDate": None},
        "png": {"Software": None},
    }
    with mpl.rc_context(rc):
        for fmt in formats:
            fmt = fmt.lower().lstrip(".")
            out = path_stem.parent / f"{path_stem.name}.{fmt}"
            with atomic_path(out) as tmp:
                fig.savefig(
                    tmp,
                    format=fmt,
                    dpi=dpi,
                    facecolor=fig.get_facecolor(),
                    metadata=metadata.get(fmt),
                )
            written.append(out)
    return written


def describe(fig: Figure) -> dict[str, Any]:
    """What a map figure shows, read from its artists: ``title``, ``subtitle``, ``footer``
    (lines, top to bottom), ``legend`` (entries of the figure and axes legends, in order),
    ``colorbar`` (labels of colourbars) and ``hatched`` (:func:`hatched_codes`).

    Two figures with equal descriptions state the same things; used to check that every path
    to a map (command line, notebook) draws the same one.
    """

    def texts(gid: str) -> list[str]:
        return [t.get_text() for t in fig.texts if t.get_gid() == gid]

    legends = list(fig.legends) + [lg for ax in fig.axes if (lg := ax.get_legend()) is not None]
    footer = texts("multisee-footnote")
    footer.reverse()  # drawn bottom-up
    return {
        "title": texts("multisee-title"),
        "subtitle": texts("multisee-subtitle"),
        "footer": footer,
        "legend": [t.get_text() for lg in legends for t in lg.get_texts()],
        "colorbar": [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()],
        "hatched": hatched_codes(fig),
    }
