"""The figures that compare jurisdictions: scores with bounds and rank intervals, the countries x
mechanisms matrix of states, and one jurisdiction's states by year (the country profile), drawn
with the same state cells and legend.

Each has an axes-level drawer that the deck reuses on its own pages (:func:`draw_rank_intervals`,
:func:`draw_state_matrix`) and a figure function for the notebooks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

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
from analysis.products.figure_base import WEAK_CONFIDENCE, plain_axes

__all__ = [
    "NOT_RANKED",
    "country_states_figure",
    "draw_rank_intervals",
    "draw_state_matrix",
    "mechanism_matrix_figure",
    "rank_interval_figure",
    "rank_legend",
    "rank_order",
    "state_legend",
]

NOT_RANKED = "not ranked (reference)"


def _text_colour(fill: str) -> str:
    return "white" if fill in DARK_FILLS else INK


def _rect(x: float, y: float, fill: str, hatch: str | None = None) -> Rectangle:
    return Rectangle((x, y), 1, 1, facecolor=fill, edgecolor="white", lw=1.5, hatch=hatch)


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
        plain_axes(ax, fs)


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
