"""Choropleth drawing over the SEE+ boundary file (the drawing layer of multisee's maps).

Pure drawing: this module knows the boundaries, the layout and the notes every map carries, not
the adoption panel (that is :mod:`analysis.products.adoption_map`). It imports only :mod:`analysis.model.vocab`,
:mod:`analysis.model.paths`, :mod:`analysis.model.atomic` and the plotting libraries.

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

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import shapely
from matplotlib import colormaps, patheffects
from matplotlib.animation import PillowWriter
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.colors import Colormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from pyproj import Transformer

from analysis.model import paths, vocab
from analysis.model.atomic import atomic_path

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

#: The 21 jurisdictions of the study (ISO 3166-1 alpha-2; XK = Kosovo*).
IN_SCOPE: tuple[str, ...] = (
    "AL", "AM", "AZ", "BA", "BG", "CH", "CY", "GE", "GR", "HR", "HU",
    "MD", "ME", "MK", "RO", "RS", "RU", "SI", "TR", "UA", "XK",
)  # fmt: skip

MAP_CRS = "EPSG:3035"

Palette = Sequence[tuple[str, str, str]]
Labels = Literal["code", "name", "none"]

NO_DATA_LABEL = "no data"
NEIGHBOUR_LABEL = "outside scope"

_SEA = "#E6EFF5"
_NEIGHBOUR = "#DDDDDD"
_NEIGHBOUR_EDGE = "#FFFFFF"
_NO_DATA = "#FFFFFF"
_EDGE = "#3C3C3C"
_HATCH = "///"
_HATCH_COLOUR = "#1A1A1A"
_INK = vocab.INK
_HATCH_GID = "multisee-hatch-"

# Layout of a single map, in inches. Font sizes are tuned for _MAP_W and scale with the panel.
_FIG_W = 12.0
_MARGIN = 0.25
_MAP_W = _FIG_W - 2 * _MARGIN
_FOOT_PT = 7.5

#: Label positions (lon, lat) for small jurisdictions, drawn offset with a leader line to the
#: jurisdiction's label point. Placed in the sea or over grey neighbours so that the Western
#: Balkans labels never overlap.
_CALLOUTS: dict[str, tuple[float, float]] = {
    "SI": (12.75, 44.95),
    "BA": (15.0, 43.3),
    "ME": (17.55, 41.8),
    "AL": (18.55, 40.55),
    # MK and XK: labelled inside their own polygons (every spot nearby is in another
    # jurisdiction of the study, or the Aegean islands).
    "CY": (30.9, 34.45),
    "AM": (45.6, 38.0),  # in Iran (grey), south of Armenia: not inside Türkiye
}
#: Extra callouts used only with full names (the name would not fit inside).
_NAME_CALLOUTS: dict[str, tuple[float, float]] = {
    "MD": (31.2, 45.0),
    "MK": (23.95, 40.35),
}
#: Label points (lon, lat) that replace the computed one (pole of inaccessibility).
_ANCHORS: dict[str, tuple[float, float]] = {
    "RU": (41.5, 49.0),
    "UA": (31.5, 49.2),
}
#: Short display names for labels (``labels="name"``).
_LABEL_NAMES: dict[str, str] = {
    "BA": "Bosnia and\nHerzegovina",
    "MK": "North\nMacedonia",
    "XK": "Kosovo*",
}


# --------------------------------------------------------------------------- boundaries


def load_boundaries(path: Path | str | None = None) -> gpd.GeoDataFrame:
    """The SEE+ boundary layer (EPSG:4326): columns ``code``, ``name``, ``in_scope``, geometry.

    ``path`` defaults to :data:`analysis.model.paths.BOUNDARIES`. The file is read once per path and
    modification time; a fresh copy is returned each call, so callers may modify it.
    """
    resolved = Path(path if path is not None else paths.BOUNDARIES).resolve()
    return _read_boundaries(str(resolved), resolved.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _read_boundaries(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    del mtime_ns  # part of the cache key only
    gdf = gpd.read_file(path, engine="pyogrio")
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    gdf["in_scope"] = gdf["in_scope"].astype(bool)
    return gdf[["code", "name", "in_scope", "geometry"]]


@lru_cache(maxsize=4)
def _projected_cached(path: str, mtime_ns: int) -> gpd.GeoDataFrame:
    gdf = _read_boundaries(path, mtime_ns).to_crs(MAP_CRS)
    anchors = [
        _label_point(code, geom) for code, geom in zip(gdf["code"], gdf.geometry, strict=True)
    ]
    gdf["label_x"] = [a[0] for a in anchors]
    gdf["label_y"] = [a[1] for a in anchors]
    return gdf


def _projected(path: Path | str | None = None) -> gpd.GeoDataFrame:
    resolved = Path(path if path is not None else paths.BOUNDARIES).resolve()
    return _projected_cached(str(resolved), resolved.stat().st_mtime_ns)


@lru_cache(maxsize=1)
def _to_map() -> Transformer:
    return Transformer.from_crs(4326, MAP_CRS, always_xy=True)


def _lonlat(lon: float, lat: float) -> tuple[float, float]:
    x, y = _to_map().transform(lon, lat)
    return float(x), float(y)


def _label_point(code: str, geom: shapely.Geometry) -> tuple[float, float]:
    """Where a jurisdiction's label (or leader line) points: its largest part's pole of
    inaccessibility (centre of the largest inscribed circle), unless overridden."""
    if code in _ANCHORS:
        return _lonlat(*_ANCHORS[code])
    parts = shapely.get_parts(geom)
    largest = max(parts, key=lambda p: p.area)
    centre = shapely.get_point(shapely.maximum_inscribed_circle(largest, 500.0), 0)
    return float(shapely.get_x(centre)), float(shapely.get_y(centre))


# --------------------------------------------------------------------------- drawing helpers


def _palette_colours(palette: Palette) -> dict[str, str]:
    colours: dict[str, str] = {}
    for entry in palette:
        if len(entry) != 3:
            raise ValueError(f"palette entries are (value, label, colour), got {entry!r}")
        value, _label, colour = entry
        if value in colours:
            raise ValueError(f"palette value {value!r} listed twice")
        colours[value] = colour
    return colours


def _check_codes(codes: Iterable[str], what: str) -> set[str]:
    codes = set(codes)
    unknown = sorted(codes - set(IN_SCOPE))
    if unknown:
        raise ValueError(f"{what}: not SEE+ jurisdictions: {', '.join(unknown)}")
    return codes


def _fills(states: Mapping[str, str], palette: Palette) -> dict[str, str]:
    colours = _palette_colours(palette)
    _check_codes(states, "states")
    fills: dict[str, str] = {}
    for code, value in states.items():
        if value not in colours:
            raise ValueError(
                f"states[{code!r}] = {value!r} is not in the palette ({', '.join(colours)})"
            )
        fills[code] = colours[value]
    return fills


def _halo(width: float) -> list[patheffects.AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _draw_map(
    ax: Axes,
    fills: Mapping[str, Any],
    weak: Iterable[str],
    labels: Labels,
    scale: float,
) -> list[str]:
    """Draw the map into ``ax``; return the sorted codes that were hatched."""
    gdf = _projected()
    weak_codes = _check_codes(weak, "weak")
    ax.set_facecolor(_SEA)
    neighbours = gdf[~gdf["in_scope"]]
    scope = gdf[gdf["in_scope"]]
    neighbours.plot(
        ax=ax, color=_NEIGHBOUR, edgecolor=_NEIGHBOUR_EDGE, linewidth=0.5 * scale, zorder=1
    )
    scope.plot(
        ax=ax,
        color=[to_rgba(fills.get(code, _NO_DATA)) for code in scope["code"]],
        edgecolor=_EDGE,
        linewidth=0.6 * scale,
        zorder=2,
    )
    hatched: list[str] = []
    for code in sorted(weak_codes):
        geom = scope.loc[scope["code"] == code].geometry
        # A white hatch under a dark one: the stripes stay visible on dark and light fills alike.
        for colour, width in (("white", 1.8), (_HATCH_COLOUR, 0.8)):
            _hatch(ax, geom, code, colour, width * max(scale, 0.6))
        hatched.append(code)

    xmin, ymin, xmax, ymax = gdf.total_bounds
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#888888")
    if labels != "none":
        _draw_labels(ax, scope, labels, scale)
    ax.multisee_hatched = hatched  # type: ignore[attr-defined]
    return hatched


def _hatch(ax: Axes, geom: gpd.GeoSeries, code: str, colour: str, width: float) -> None:
    before = len(ax.collections)
    with mpl.rc_context({"hatch.linewidth": width, "hatch.color": colour}):
        geom.plot(ax=ax, facecolor="none", edgecolor=colour, linewidth=0.0, hatch=_HATCH, zorder=3)
    for coll in ax.collections[before:]:
        coll.set_gid(f"{_HATCH_GID}{code}")
        if hasattr(coll, "set_hatchcolor"):  # matplotlib >= 3.10
            coll.set_hatchcolor(colour)
        if hasattr(coll, "set_hatch_linewidth"):
            coll.set_hatch_linewidth(width)


def _draw_labels(ax: Axes, scope: gpd.GeoDataFrame, labels: Labels, scale: float) -> None:
    callouts = dict(_CALLOUTS)
    if labels == "name":
        callouts.update(_NAME_CALLOUTS)
    size = max((11.0 if labels == "code" else 9.5) * scale, 5.0)
    halo = _halo(max(2.6 * scale, 1.2))
    for row in scope.itertuples(index=False):
        code = str(row.code)
        if labels == "code":
            text = "XK*" if code == "XK" else code
        else:
            text = _LABEL_NAMES.get(code, str(row.name))
        anchor = (float(row.label_x), float(row.label_y))
        style: dict[str, Any] = {
            "fontsize": size,
            "fontweight": "bold",
            "color": _INK,
            "path_effects": halo,
            "zorder": 6,
            "gid": f"multisee-label-{code}",
        }
        if code not in callouts:
            ax.text(*anchor, text, ha="center", va="center", **style)
            continue
        pos = _lonlat(*callouts[code])
        dx = pos[0] - anchor[0]
        ha = "center" if abs(dx) < 40_000 else ("right" if dx < 0 else "left")
        ax.plot(
            *anchor,
            marker="o",
            markersize=max(4.0 * scale, 2.0),
            color=_INK,
            markeredgecolor="white",
            markeredgewidth=max(0.8 * scale, 0.4),
            zorder=7,
        )
        ax.annotate(
            text,
            xy=anchor,
            xytext=pos,
            ha=ha,
            va="center",
            multialignment=ha if ha != "center" else "center",
            arrowprops={
                "arrowstyle": "-",
                "color": _INK,
                "linewidth": max(0.8 * scale, 0.4),
                "shrinkA": 1.5,
                "shrinkB": 0.0,
                "path_effects": _halo(max(2.0 * scale, 1.0)),
            },
            **style,
        )


def _legend_handles(palette: Palette | None, *, no_data_label: str = NO_DATA_LABEL) -> list[Patch]:
    handles: list[Patch] = []
    for _value, label, colour in palette or ():
        handles.append(Patch(facecolor=colour, edgecolor=_EDGE, linewidth=0.5, label=label))
    if no_data_label:
        handles.append(
            Patch(facecolor=_NO_DATA, edgecolor=_EDGE, linewidth=0.5, label=no_data_label)
        )
    handles.append(
        Patch(facecolor=_NEIGHBOUR, edgecolor="#AAAAAA", linewidth=0.5, label=NEIGHBOUR_LABEL)
    )
    handles.append(
        Patch(
            facecolor="white",
            edgecolor=_HATCH_COLOUR,
            linewidth=0.5,
            hatch=_HATCH,
            label=vocab.WEAK_LABEL,
        )
    )
    return handles


def _footer_lines(source: str, width_in: float, notes: Sequence[str] = ()) -> list[str]:
    """Footer lines, top to bottom: ``notes``, the source, the boundary note, the Kosovo* note."""
    chars = max(int(width_in * 72 / (_FOOT_PT * 0.56)), 60)
    lines: list[str] = []
    for note in notes:
        lines += textwrap.wrap(note, chars)
    if source:
        lines += textwrap.wrap(f"Source: {source}", chars)
    lines += [vocab.BOUNDARY_NOTE, vocab.KOSOVO_FOOTNOTE]
    return lines


class _Layout:
    """Vertical layout of a figure, in inches: header, panel grid, legend band, footer."""

    def __init__(
        self,
        *,
        nrows: int,
        ncols: int,
        panel_w: float,
        header_h: float,
        legend_h: float,
        source: str,
        panel_title_h: float = 0.0,
        notes: Sequence[str] = (),
    ) -> None:
        gdf = _projected()
        xmin, ymin, xmax, ymax = gdf.total_bounds
        self.gap = 0.15
        self.panel_w = panel_w
        self.panel_h = panel_w * (ymax - ymin) / (xmax - xmin)
        self.panel_title_h = panel_title_h
        self.width = max(ncols * panel_w + (ncols - 1) * self.gap + 2 * _MARGIN, _FIG_W)
        self.footer = _footer_lines(source, self.width - 2 * _MARGIN, notes)
        self.line_h = _FOOT_PT * 1.45 / 72
        self.footer_h = len(self.footer) * self.line_h + 0.2
        self.header_h = header_h
        self.legend_h = legend_h
        self.nrows, self.ncols = nrows, ncols
        grid_h = nrows * (self.panel_h + panel_title_h) + (nrows - 1) * self.gap
        self.height = header_h + grid_h + legend_h + self.footer_h

    def figure(self) -> Figure:
        return Figure(figsize=(self.width, self.height), facecolor="white")

    def panel_rect(self, row: int, col: int) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        grid_w = self.ncols * self.panel_w + (self.ncols - 1) * self.gap
        left = (w - grid_w) / 2 + col * (self.panel_w + self.gap)
        top = self.header_h + row * (self.panel_h + self.panel_title_h + self.gap)
        top += self.panel_title_h
        bottom = h - top - self.panel_h
        return (left / w, bottom / h, self.panel_w / w, self.panel_h / h)

    def legend_top(self) -> float:
        """Figure y (fraction) of the top of the legend band."""
        return (self.legend_h + self.footer_h) / self.height

    def legend_rect(self, frac_w: float, height_in: float) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        left = _MARGIN
        bottom = self.footer_h + self.legend_h - 0.25 - height_in
        return (left / w, bottom / h, frac_w * (w - 2 * _MARGIN) / w, height_in / h)


def _decorate(fig: Figure, layout: _Layout, title: str, subtitle: str) -> Text:
    h, w = layout.height, layout.width
    title_artist = fig.text(
        _MARGIN / w,
        1 - 0.18 / h,
        title,
        ha="left",
        va="top",
        fontsize=16,
        fontweight="bold",
        color=_INK,
        gid="multisee-title",
    )
    if subtitle:
        fig.text(
            _MARGIN / w,
            1 - 0.55 / h,
            subtitle,
            ha="left",
            va="top",
            fontsize=11,
            color="#333333",
            gid="multisee-subtitle",
        )
    add_footer(fig, layout.footer, layout.line_h, layout.width, layout.height)
    return title_artist


def add_footer(
    fig: Figure,
    lines: Sequence[str],
    line_h: float,
    w: float,
    h: float,
    *,
    margin: float = _MARGIN,
    bottom: float = 0.12,
    fontsize: float = _FOOT_PT,
) -> None:
    """Footnote lines (source, boundary note, Kosovo* footnote) at the bottom of a figure of
    ``w`` x ``h`` inches, the last line lowest; ``line_h`` and offsets in inches."""
    for i, line in enumerate(reversed(lines)):
        fig.text(
            margin / w,
            (bottom + i * line_h) / h,
            line,
            ha="left",
            va="bottom",
            fontsize=fontsize,
            color="#333333",
            gid="multisee-footnote",
            parse_math=False,
        )


def _legend_ncol(n: int) -> int:
    return n if n <= 4 else int(np.ceil(n / 2))


def _add_legend(
    fig: Figure,
    layout: _Layout,
    handles: list[Patch],
    *,
    loc_x: float = 0.5,
    anchor: str = "upper center",
    ncol: int | None = None,
) -> None:
    fig.legend(  # type: ignore[call-overload]  # matplotlib's stubs list no handles-only call
        handles=handles,
        loc=anchor,
        bbox_to_anchor=(loc_x, layout.legend_top()),
        ncol=ncol or _legend_ncol(len(handles)),
        frameon=False,
        fontsize=10,
        handlelength=2.2,
        handleheight=1.4,
        columnspacing=1.6,
    )


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
    fills = _fills(states, palette)
    handles = _legend_handles(palette, no_data_label=no_data_label)
    if ax is not None:
        fig = ax.get_figure()
        assert isinstance(fig, Figure)
        w, h = fig.get_size_inches()
        scale = ax.get_position().width * w / _MAP_W
        hatched = _draw_map(ax, fills, weak, labels, scale)
        ax.set_title(f"{title}\n{subtitle}" if subtitle else title, loc="left", fontsize=12)
        ax.legend(handles=handles, loc="lower left", fontsize=max(8 * scale, 5), framealpha=0.9)
        if not any(t.get_gid() == "multisee-footnote" for t in fig.texts):
            lines = _footer_lines(source, w - 2 * _MARGIN, notes)
            add_footer(fig, lines, _FOOT_PT * 1.45 / 72, w, h)
        return _tag(fig, hatched)

    fig, layout, hatched = _single_map(fills, weak, labels, title, subtitle, source, notes, 0.8)
    _add_legend(fig, layout, handles)
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
) -> tuple[Figure, _Layout, list[str]]:
    """A one-panel map figure with title, subtitle and footer; the caller adds its legend."""
    layout = _Layout(
        nrows=1,
        ncols=1,
        panel_w=_MAP_W,
        header_h=1.0 if subtitle else 0.7,
        legend_h=legend_h,
        source=source,
        notes=notes,
    )
    fig = layout.figure()
    ax = fig.add_axes(layout.panel_rect(0, 0))
    hatched = _draw_map(ax, fills, weak, labels, 1.0)
    _decorate(fig, layout, title, subtitle)
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
    _check_codes(values, "values")
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
    handles = _legend_handles(None, no_data_label=no_data_label)
    _add_legend(fig, layout, handles, loc_x=0.5, anchor="upper left", ncol=1)
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
    years = sorted(states_by_year)
    if not years:
        raise ValueError("states_by_year is empty")
    weak_by_year = weak_by_year or {}
    ncols = ncols or (2 if len(years) == 4 else min(len(years), 3))
    nrows = int(np.ceil(len(years) / ncols))
    panel_w = 5.0 if ncols > 1 else _MAP_W
    layout = _Layout(
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
        fills = _fills(states_by_year[year], palette)
        by_year[year] = _draw_map(
            ax, fills, weak_by_year.get(year, ()), labels, panel_w / _MAP_W * 1.35
        )
        ax.set_title(str(year), loc="left", fontsize=12, fontweight="bold", pad=4)
    _decorate(fig, layout, title, subtitle)
    _add_legend(fig, layout, _legend_handles(palette, no_data_label=no_data_label))
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
    years = sorted(states_by_year)
    if not years:
        raise ValueError("states_by_year is empty")
    weak_by_year = weak_by_year or {}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    layout = _Layout(
        nrows=1,
        ncols=1,
        panel_w=_MAP_W,
        header_h=0.7,
        legend_h=0.8,
        source=source,
        notes=notes,
    )
    fig = layout.figure()
    ax = fig.add_axes(layout.panel_rect(0, 0))
    title_artist = _decorate(fig, layout, title, "")
    _add_legend(fig, layout, _legend_handles(palette, no_data_label=no_data_label))
    writer = PillowWriter(fps=fps)
    with atomic_path(path, suffix=".gif") as tmp, writer.saving(fig, str(tmp), dpi):
        for year in years:
            ax.clear()
            _draw_map(
                ax,
                _fills(states_by_year[year], palette),
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


def hatched_codes(fig_or_ax: Figure | Axes) -> list[str]:
    """The codes hatched as weak evidence in a map axes, or in all map axes of a figure.

    Read from the drawn artists (their ``gid``), not from bookkeeping, so it reflects what is
    actually on the figure.
    """
    axes = fig_or_ax.axes if isinstance(fig_or_ax, Figure) else [fig_or_ax]
    codes = {
        str(coll.get_gid())[len(_HATCH_GID) :]
        for ax in axes
        for coll in ax.collections
        if str(coll.get_gid() or "").startswith(_HATCH_GID)
    }
    return sorted(codes)


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
