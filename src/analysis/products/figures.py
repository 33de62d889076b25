"""The matplotlib figures of the comparison, timeline and profile views, and of the deck.

Each figure has an axes-level drawer that the session deck reuses on its own pages, and a
figure function for the notebooks (plain :class:`matplotlib.figure.Figure` objects, never
``pyplot``, so they work headless):

* :func:`draw_rank_intervals` / :func:`rank_interval_figure` -- scores with bounds and rank
  intervals, ranks printed as :func:`analysis.measures.scoring.rank_labels` does ("=12" when shared);
* :func:`draw_state_matrix` / :func:`mechanism_matrix_figure` -- countries x mechanisms states;
* :func:`draw_diffusion` / :func:`diffusion_figure` -- adoption counts by year per mechanism;
* :func:`draw_events` / :func:`timeline_figure` -- dated events (:func:`analysis.measures.events.events`),
  one row per jurisdiction;
* :func:`country_states_figure` -- one jurisdiction's states by year;
* :func:`figure_png` / :func:`figure_image` -- PNG bytes, or a display object with alt text.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from analysis.measures.events import EVENT_KINDS
from analysis.measures.present import plain
from analysis.measures.scoring import rank_labels
from analysis.model.vocab import (
    BLUE,
    CONFIDENCE_MARKS,
    DARK_FILLS,
    GREY,
    INK,
    MECHANISM_LABELS,
    MECHANISMS,
    SKY,
    STATE_COLOURS,
    STATE_LABELS,
    STATES,
)

__all__ = [
    "country_states_figure",
    "diffusion_figure",
    "draw_diffusion",
    "draw_events",
    "draw_rank_intervals",
    "draw_state_matrix",
    "event_legend",
    "figure_image",
    "figure_png",
    "mechanism_matrix_figure",
    "rank_interval_figure",
    "rank_legend",
    "rank_order",
    "state_legend",
    "timeline_figure",
]

#: Confidence levels drawn as weak evidence (hollow markers, hatched cells).
WEAK_CONFIDENCE = frozenset({"recalled", "inferred"})
NOT_RANKED = "not ranked (reference)"


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def figure_image(fig: Figure, alt: str, dpi: int = 110) -> Any:
    """An :class:`IPython.display.Image` of the figure with alt text (kept by nbconvert)."""
    from IPython.display import Image

    return Image(data=figure_png(fig, dpi), format="png", alt=alt)


def _text_colour(fill: str) -> str:
    return "white" if fill in DARK_FILLS else INK


def _rect(x: float, y: float, fill: str, hatch: str | None = None) -> Rectangle:
    return Rectangle((x, y), 1, 1, facecolor=fill, edgecolor="white", lw=1.5, hatch=hatch)


def _plain_axes(ax: Axes, fs: float) -> None:
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=fs)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


# --------------------------------------------------------------------------------------------
# Scores and rank intervals
# --------------------------------------------------------------------------------------------


def rank_order(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a comparison table best first (rank, then score, then code; unranked last)."""
    t = table.copy()
    t["_rank"] = pd.to_numeric(t["rank"], errors="coerce").astype(float)
    t = t.sort_values(
        ["_rank", "score", "country"], ascending=[True, False, True], na_position="last"
    )
    return t.drop(columns="_rank").reset_index(drop=True)


def _interval(
    ax: Axes,
    y: float,
    bounds: tuple[Any, Any],
    band: tuple[Any, Any] | None,
    point: Any,
    scale: float = 1.0,
) -> None:
    """One row of an interval plot: the low-high bounds (grey, with end ticks), the 5th-95th
    percentile band when known (sky), and the point estimate (dot)."""
    ax.plot(list(bounds), [y, y], color=GREY, lw=1.5 * scale, solid_capstyle="butt")
    ax.plot(list(bounds), [y, y], "|", color=GREY, ms=9 * scale)
    if band is not None and pd.notna(band[0]):
        ax.plot(list(band), [y, y], color=SKY, lw=6 * scale, alpha=0.9, solid_capstyle="butt")
    ax.plot(point, y, "o", color=BLUE, ms=7 * scale, zorder=3)


def _rank_texts(t: pd.DataFrame, numbers: bool) -> list[str]:
    """The printed rank of each row, "=12 (10–14)" (rank as printed, then best–worst)."""
    printed = (
        [str(x) for x in t["rank_label"]] if "rank_label" in t else rank_labels(list(t["rank"]))
    )
    out = []
    for (_, r), label in zip(t.iterrows(), printed, strict=True):
        ranked = plain(r["rank"]) is not None
        text = f"{label} ({r['rank_best']}–{r['rank_worst']})" if ranked else ""
        if numbers and not ranked:
            text = "not ranked"
        if numbers:
            score = f"{r['score']:.2f} ({r['low']:.2f}–{r['high']:.2f})"
            text = f"{score}   {text}" if text else score
        out.append(text)
    return out


def draw_rank_intervals(
    ax_score: Axes,
    ax_rank: Axes,
    table: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    numbers: bool = False,
    scale: float = 1.0,
) -> None:
    """Row ``i`` of ``table`` (in the given order, see :func:`rank_order`) at ``y = i``.

    ``ax_score``: the score (dot), its bounds ``low``–``high`` (thin line) and, if present, the
    5th–95th percentile over the robustness draws (thick bar); ``ax_rank``: the same for the rank, best on the
    right, and to its right the rank as printed ("=12" when shared: the ``rank_label`` column of
    :func:`analysis.measures.comparison.compare`) with its best–worst range, preceded by the score and
    bounds when ``numbers``. Jurisdictions without a rank are marked "not ranked".
    """
    t = table.reset_index(drop=True)
    n = len(t)
    fs = 9 * scale
    if labels is None:
        labels = [
            f"{r['name']} ({r['country']})"
            if "name" in t and pd.notna(r.get("name"))
            else r["country"]
            for _, r in t.iterrows()
        ]
    has_sens = {"score_p05", "score_p95"} <= set(t.columns)
    has_rank_sens = {"rank_p05", "rank_p95"} <= set(t.columns)
    for i, (_, r) in enumerate(t.iterrows()):
        band = (r["score_p05"], r["score_p95"]) if has_sens else None
        _interval(ax_score, i, (r["low"], r["high"]), band, r["score"], scale)
        rank = plain(r["rank"])
        if rank is None and numbers:
            continue  # "not ranked" is printed beside the score, right of the axes
        if rank is None:
            ax_rank.text(
                0.5,
                i,
                NOT_RANKED,
                va="center",
                fontsize=fs,
                color=INK,
                transform=ax_rank.get_yaxis_transform(),
            )
            continue
        band = (r["rank_p05"], r["rank_p95"]) if has_rank_sens else None
        _interval(ax_rank, i, (float(r["rank_best"]), float(r["rank_worst"])), band, rank, scale)
    for i, text in enumerate(_rank_texts(t, numbers)):
        if text:
            ax_rank.annotate(
                text,
                xy=(1.0, i),
                xycoords=ax_rank.get_yaxis_transform(),
                xytext=(6 * scale, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=fs,
                color=INK,
                annotation_clip=False,
            )
    ax_score.set_yticks(np.arange(n), list(labels), fontsize=10 * scale)
    ax_score.set_ylim(n - 0.5, -0.5)
    ax_rank.set_ylim(n - 0.5, -0.5)
    ax_rank.tick_params(axis="y", left=False, labelleft=False)
    ax_score.set_xlim(-0.03, 1.03)
    ax_score.set_xlabel("Multi-SEE index (0–1)", fontsize=10 * scale)
    ax_score.set_title("Score and bounds", fontsize=11 * scale)
    ranks = pd.to_numeric(t["rank_worst"], errors="coerce").dropna()
    n_rank = int(max(ranks.max() if not ranks.empty else 1, 1))
    ax_rank.set_xlim(n_rank + 0.7, 0.3)  # best rank on the right, like the highest score
    ax_rank.set_xticks(sorted({1, *range(5, n_rank + 1, 5), n_rank}))
    ax_rank.set_xlabel("Rank among core jurisdictions (1 = best)", fontsize=10 * scale)
    ax_rank.set_title("Rank interval", fontsize=11 * scale)
    for ax in (ax_score, ax_rank):
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        _plain_axes(ax, fs)


def rank_legend(has_sens: bool, scale: float = 1.0) -> list[Any]:
    """Legend handles of :func:`draw_rank_intervals`."""
    handles = [
        Line2D([], [], marker="o", ls="", color=BLUE, ms=7 * scale, label="point estimate"),
        Line2D(
            [],
            [],
            color=GREY,
            lw=1.5 * scale,
            marker="|",
            ms=9 * scale,
            label="bounds: unknowns counted worst / best",
        ),
    ]
    if has_sens:
        handles.append(
            Line2D(
                [],
                [],
                color=SKY,
                lw=6 * scale,
                label="5th–95th percentile over the robustness draws",
            )
        )
    return handles


def rank_interval_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Scores with bounds and rank intervals, one row per jurisdiction, best first
    (:func:`draw_rank_intervals`)."""
    t = rank_order(table)
    fig = Figure(figsize=(10, 1.6 + 0.36 * max(len(t), 1)), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.15, 1]})
    draw_rank_intervals(ax1, ax2, t)
    handles = rank_legend({"score_p05", "score_p95"} <= set(t.columns))
    fig.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9, frameon=False
    )
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


# --------------------------------------------------------------------------------------------
# Mechanism states
# --------------------------------------------------------------------------------------------


def draw_state_matrix(
    ax: Axes,
    states: pd.DataFrame,
    *,
    labels: Sequence[str] | None = None,
    confidence: Mapping[tuple[str, str], Any] | None = None,
    weak: Collection[tuple[str, str]] = (),
    scale: float = 1.0,
) -> None:
    """Countries (rows, ``y = i``) x mechanisms (columns) of states, each cell labelled.

    ``states`` is indexed by country with columns ``cctld``, ``igf``, ``body``. ``confidence``
    maps (country, mechanism) to a confidence level, printed as its mark after the state;
    cells in ``weak`` (country, mechanism) are hatched.
    """
    mechs = [m for m in MECHANISMS if m in states.columns]
    n = len(states)
    confidence = confidence or {}
    for i, (key, row) in enumerate(states.iterrows()):
        for j, m in enumerate(mechs):
            state = str(row[m])
            fill = STATE_COLOURS[m].get(state, GREY)
            hatched = (str(key), m) in weak
            ax.add_patch(_rect(j, i - 0.5, fill, hatch="///" if hatched else None))
            text = STATE_LABELS.get(state, state)
            mark = CONFIDENCE_MARKS.get(str(confidence.get((str(key), m))), "")
            ax.text(
                j + 0.5,
                i,
                f"{text} {mark}".strip(),
                ha="center",
                va="center",
                fontsize=9 * scale,
                color=_text_colour(fill),
                bbox={"facecolor": fill, "edgecolor": "none", "pad": 1.0} if hatched else None,
            )
    ax.set_xlim(0, len(mechs))
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xticks([j + 0.5 for j in range(len(mechs))], [MECHANISM_LABELS[m] for m in mechs])
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), list(labels) if labels is not None else [str(c) for c in states.index])
    ax.tick_params(length=0, labelsize=10 * scale)
    for side in ax.spines.values():
        side.set_visible(False)


def state_legend() -> list[Any]:
    """One legend entry per colour: the colours mean the same for every mechanism."""
    by_colour: dict[str, list[str]] = {}
    for m in MECHANISMS:
        for st in STATES[m]:
            fill = STATE_COLOURS[m][st]
            label = STATE_LABELS.get(st, st)
            if m == "igf" and st in ("held", "dormant"):
                label = f"IGF {label}"
            elif st.endswith("multistakeholder"):
                label = f"{'ccTLD' if m == 'cctld' else 'body'} {label}"
            if label not in by_colour.setdefault(fill, []):
                by_colour[fill].append(label)
    return [
        Patch(facecolor=fill, edgecolor="white", label=" / ".join(labels))
        for fill, labels in by_colour.items()
    ]


def mechanism_matrix_figure(states: pd.DataFrame, title: str = "") -> Figure:
    """Countries (rows) x mechanisms (columns) heatmap of states, each cell labelled.

    ``states`` is indexed by country with columns ``cctld``, ``igf``, ``body`` (as
    :meth:`analysis.measures.comparison.Comparison.state_matrix`); an index of ``"Name (CODE)"`` strings
    works as well.
    """
    fig = Figure(figsize=(7.5, 1.9 + 0.34 * max(len(states), 1)), layout="constrained")
    draw_state_matrix(fig.subplots(), states)
    fig.legend(
        handles=state_legend(), loc="outside lower center", ncol=3, fontsize=9, frameon=False
    )
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def country_states_figure(
    panel: pd.DataFrame,
    code: str,
    start: int | None = None,
    end: int | None = None,
    title: str = "",
) -> Figure:
    """The jurisdiction's state of each mechanism by year (one row per mechanism).

    Cells resting on inferred or recalled facts are hatched; unknown cells are grey.
    """
    p = panel[panel["country"] == code]
    if start is not None:
        p = p[p["year"] >= start]
    if end is not None:
        p = p[p["year"] <= end]
    years = sorted(int(y) for y in p["year"].unique())
    fig = Figure(figsize=(10, 2.9), layout="constrained")
    ax = fig.subplots()
    mechs = list(MECHANISMS)
    cells = {(str(r.mechanism), int(r.year)): (str(r.state), r.confidence) for r in p.itertuples()}
    for i, m in enumerate(mechs):
        for y in years:
            state, conf = cells.get((m, y), ("unknown", None))
            fill = STATE_COLOURS[m].get(state, GREY)
            weak = plain(conf) in WEAK_CONFIDENCE
            ax.add_patch(_rect(y - 0.5, i, fill, hatch="////" if weak else None))
    if years:
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(len(mechs), 0)
    ax.set_yticks([i + 0.5 for i in range(len(mechs))], [MECHANISM_LABELS[m] for m in mechs])
    ax.tick_params(length=0, labelsize=9)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = state_legend()
    handles.append(
        Patch(facecolor="white", edgecolor=INK, hatch="////", label="inferred or recalled")
    )
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8.5, frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


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
        _plain_axes(ax, 9 * scale)
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
    _plain_axes(ax, 9 * scale)


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
