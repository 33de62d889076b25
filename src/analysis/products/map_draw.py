"""One map drawn into an axes: jurisdictions filled by state or value, neighbours grey, weak
evidence hatched, labels placed (with leader lines for the small jurisdictions), and the legend
entries of those colours.

What was hatched can be read back from the drawn artists (:func:`hatched_codes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import geopandas as gpd
import matplotlib as mpl
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.model import vocab
from analysis.products.map_boundaries import IN_SCOPE, lonlat, projected

__all__ = [
    "NEIGHBOUR_LABEL",
    "NO_DATA_LABEL",
    "Labels",
    "Palette",
    "check_codes",
    "draw_map",
    "hatched_codes",
    "legend_handles",
    "state_fills",
]

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
#: Short display names for labels (``labels="name"``).
_LABEL_NAMES: dict[str, str] = {
    "BA": "Bosnia and\nHerzegovina",
    "MK": "North\nMacedonia",
    "XK": "Kosovo*",
}


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


def check_codes(codes: Iterable[str], what: str) -> set[str]:
    codes = set(codes)
    unknown = sorted(codes - set(IN_SCOPE))
    if unknown:
        raise ValueError(f"{what}: not SEE+ jurisdictions: {', '.join(unknown)}")
    return codes


def state_fills(states: Mapping[str, str], palette: Palette) -> dict[str, str]:
    colours = _palette_colours(palette)
    check_codes(states, "states")
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


def draw_map(
    ax: Axes,
    fills: Mapping[str, Any],
    weak: Iterable[str],
    labels: Labels,
    scale: float,
) -> list[str]:
    """Draw the map into ``ax``; return the sorted codes that were hatched."""
    gdf = projected()
    weak_codes = check_codes(weak, "weak")
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
        pos = lonlat(*callouts[code])
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


def legend_handles(palette: Palette | None, *, no_data_label: str = NO_DATA_LABEL) -> list[Patch]:
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
