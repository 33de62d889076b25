"""The timeline figures: adoption counts by year per mechanism with the unknown band, and the
dated events of each jurisdiction, one row each, with every TLD labelled once where it does not
collide with another marker or label.

Each has an axes-level drawer that the deck reuses on its own pages (:func:`draw_diffusion`,
:func:`draw_events`) and a figure function for the notebooks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analysis.measures.events import EVENT_KINDS
from analysis.model.vocab import BLUE, GREY, INK, MECHANISM_LABELS, MECHANISMS
from analysis.products.figure_base import WEAK_CONFIDENCE, plain_axes

__all__ = ["diffusion_figure", "draw_diffusion", "draw_events", "event_legend", "timeline_figure"]


# --------------------------------------------------------------------------------------------
# Diffusion and events
# --------------------------------------------------------------------------------------------


def draw_diffusion(
    axes: Sequence[Axes],
    diffusion: pd.DataFrame,
    *,
    mark_year: int | None = None,
    scale: float = 1.0,
) -> None:
    """One axes per mechanism: jurisdictions that adopted it by year, with the unknown band.

    The band runs from ``adopted`` to ``adopted + unknown`` (what the count could be if every
    unknown turned out adopted); the dashed line is the number of jurisdictions counted.
    ``mark_year`` draws a dotted line at that year.
    """
    top = max(1, int(diffusion["n"].max())) if not diffusion.empty else 1
    for ax, m in zip(axes, MECHANISMS, strict=True):
        d = diffusion[diffusion["mechanism"] == m].sort_values("year")
        x = d["year"].to_numpy(dtype=float)
        a = d["adopted"].to_numpy(dtype=float)
        u = d["unknown"].to_numpy(dtype=float)
        ax.fill_between(
            x, a, a + u, step="mid", color=GREY, alpha=0.35, lw=0, label="adopted or unknown"
        )
        ax.step(x, a, where="mid", color=BLUE, lw=2 * scale, label="adopted")
        if "n" in d:
            ax.step(
                x,
                d["n"].to_numpy(dtype=float),
                where="mid",
                color=INK,
                lw=0.8 * scale,
                ls="--",
                label="jurisdictions counted",
            )
        if mark_year is not None:
            ax.axvline(mark_year, color="#888888", lw=1.0, ls=":")
        ax.set_title(MECHANISM_LABELS[m], fontsize=11 * scale)
        ax.set_ylim(0, top + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("year", fontsize=10 * scale)
        ax.grid(color="#E5E5E5", lw=0.6)
        plain_axes(ax, 9 * scale)
    axes[0].set_ylabel("jurisdictions", fontsize=10 * scale)


def diffusion_figure(diffusion: pd.DataFrame, title: str = "") -> Figure:
    """One panel per mechanism (:func:`draw_diffusion`)."""
    fig = Figure(figsize=(11, 3.8), layout="constrained")
    axes = fig.subplots(1, len(MECHANISMS), sharey=True)
    draw_diffusion(axes, diffusion)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def draw_events(
    ax: Axes,
    ev: pd.DataFrame,
    codes: Sequence[str],
    start: float,
    end: float,
    *,
    labels: Sequence[str] | None = None,
    mark_year: int | None = None,
    scale: float = 1.0,
    label_pt: float | None = None,
) -> None:
    """One row per jurisdiction (``codes[i]`` at ``y = i``), a marker per event of ``ev``
    (:func:`analysis.measures.events.events`) at its fractional year, ``start`` to ``end``.

    Markers and colours per kind: :data:`analysis.measures.events.EVENT_KINDS`. Each TLD of a row is
    labelled once (``label_pt`` points, default ``7.5 * scale``), on its row beside its first
    event: right of the marker, or left where the right is taken by another marker or label
    (:func:`_tld_labels`). Weak evidence (inferred or recalled) is drawn hollow.
    """
    n = len(codes)
    ax.set_label("events")
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(start - 0.5, end + 1)
    pos = {c: i for i, c in enumerate(codes)}
    for i in range(n):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#F3F3F3", lw=0, zorder=0)
    size = 70 * scale**2
    tlds: list[tuple[float, float, str]] = []
    markers: list[tuple[float, float]] = []
    for kind, (label, marker, colour) in EVENT_KINDS.items():
        d = ev[(ev["kind"] == kind) & ev["country"].isin(pos)] if not ev.empty else ev
        if d.empty:
            continue
        y = d["country"].map(pos).to_numpy(dtype=float)
        x = d["when"].to_numpy(dtype=float)
        markers.extend(zip(x.tolist(), y.tolist(), strict=True))
        weak = d["confidence"].isin(WEAK_CONFIDENCE).to_numpy()
        ax.scatter(
            x[~weak],
            y[~weak],
            marker=marker,
            s=size,
            color=colour,
            edgecolor="white",
            lw=0.6,
            zorder=3,
            label=label,
        )
        if weak.any():
            ax.scatter(
                x[weak],
                y[weak],
                marker=marker,
                s=size,
                facecolor="white",
                edgecolor=colour,
                lw=1.4,
                zorder=3,
            )
        if kind.startswith("cctld"):
            tlds.extend(
                (float(xi), float(yi), str(det).split(" ")[0])
                for xi, yi, det in zip(x, y, d["detail"], strict=True)
            )
    _tld_labels(ax, tlds, markers, size, label_pt or 7.5 * scale)
    if mark_year is not None:
        ax.axvline(mark_year + 0.5, color="#888888", lw=1.0, ls=":")
    ax.set_yticks(range(n), list(labels) if labels is not None else list(codes))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year", fontsize=10 * scale)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    plain_axes(ax, 9 * scale)


def _tld_labels(
    ax: Axes,
    tlds: list[tuple[float, float, str]],
    markers: list[tuple[float, float]],
    size: float,
    pt: float,
) -> None:
    """Label each (row, TLD) once, at its first event, vertically centred on its row: right of
    the marker when that span is free of other markers and labels, else left, else right of
    the run of markers that blocks both."""
    width_in = ax.bbox.width / ax.figure.dpi
    lo, hi = ax.get_xlim()
    per_pt = (hi - lo) / max(width_in * 72, 1.0)  # years per point
    radius = (size**0.5) / 2 * per_pt  # marker half-width, years
    gap = 3 * per_pt
    taken: dict[float, list[tuple[float, float]]] = {}
    for mx, my in markers:
        taken.setdefault(my, []).append((mx - radius, mx + radius))
    done: set[tuple[float, str]] = set()
    for x, y, tld in sorted(tlds):
        if (y, tld) in done:
            continue
        done.add((y, tld))
        w = len(tld) * 0.62 * pt * per_pt  # the label's width, years
        right = (x + radius + gap, x + radius + gap + w)
        left = (x - radius - gap - w, x - radius - gap)
        row = taken.setdefault(y, [])

        def free(span: tuple[float, float], row: list[tuple[float, float]] = row) -> bool:
            return all(span[1] <= a or span[0] >= b for a, b in row)

        span, ha = right, "left"
        if not free(right):
            span, ha = (left, "right") if free(left) else (_slide_right(right, row, gap), "left")
        row.append(span)
        anchor = span[0] if ha == "left" else span[1]
        ax.annotate(
            tld,
            (x, y),
            xytext=((anchor - x) / per_pt, 0),
            textcoords="offset points",
            ha=ha,
            va="center_baseline",
            fontsize=pt,
            color=INK,
            gid="tld-label",
            zorder=4,
        )


def _slide_right(
    span: tuple[float, float], row: list[tuple[float, float]], gap: float
) -> tuple[float, float]:
    """``span`` moved right past every span of ``row`` it overlaps, until it overlaps none."""
    lo, hi = span
    moved = True
    while moved:
        moved = False
        for a, b in row:
            if not (hi <= a or lo >= b):
                lo, hi = b + gap, b + gap + (hi - lo)
                moved = True
    return lo, hi


def event_legend(scale: float = 1.0) -> list[Any]:
    """Legend handles of :func:`draw_events`."""
    handles = [
        Line2D([], [], marker=mk, ls="", color=col, ms=8 * scale, label=lbl)
        for lbl, mk, col in EVENT_KINDS.values()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="white",
            markeredgecolor=INK,
            ms=8 * scale,
            label="hollow: inferred or recalled",
        )
    )
    return handles


def timeline_figure(
    ev: pd.DataFrame,
    codes: Sequence[str],
    start: int,
    end: int,
    names: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """One row per jurisdiction, a marker per event, ``start`` to ``end`` (:func:`draw_events`)."""
    names = names or {}
    fig = Figure(figsize=(11, 1.6 + 0.42 * max(len(codes), 1)), layout="constrained")
    labels = [f"{names.get(c, c)} ({c})" if names else c for c in codes]
    draw_events(fig.subplots(), ev, codes, start, end, labels=labels)
    fig.legend(
        handles=event_legend(), loc="outside lower center", ncol=3, fontsize=9, frameon=False
    )
    if title:
        fig.suptitle(title, fontsize=12)
    return fig
