"""The deck's map pages: one choropleth page per mechanism for the chosen year and the
small-multiples pages over several years, with their alt text and speaker notes.

Each map shows the selected jurisdictions only, with weak evidence hatched
(:func:`analysis.products.adoption_map.states_for`); every map page carries the source,
:data:`analysis.model.vocab.BOUNDARY_NOTE` and :data:`analysis.model.vocab.KOSOVO_FOOTNOTE`.
:func:`cell_evidence` applies the maps' weak-evidence rule to the cells of the comparison page.
The pages are laid out on the frame of :mod:`analysis.products.deck_slide` and assembled by
:func:`analysis.products.deck.plan_deck`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.model.errors import UserError
from analysis.model.vocab import (
    MAP_TITLES,
    MECHANISM_NAMES,
    MECHANISMS,
    NOT_SELECTED_LABEL,
    PALETTES,
    SOURCE_LINE,
)
from analysis.products import choropleth
from analysis.products.adoption_map import states_for
from analysis.products.deck_slide import (
    CAVEAT,
    FOOT_GID,
    MARGIN,
    MIN_PT,
    Deck,
    Slide,
    page_title,
    plain_label,
    wrap_label,
)

__all__ = [
    "DEFAULT_SMALL_MULTIPLE_YEARS",
    "cell_evidence",
    "map_page",
    "small_multiple_years",
    "small_multiples_page",
]

DEFAULT_SMALL_MULTIPLE_YEARS: tuple[int, ...] = (2005, 2010, 2015, 2020)


def small_multiple_years(panel: pd.DataFrame, years: Sequence[int] | None = None) -> list[int]:
    """The years of the small multiples: given ones (checked), or 2005/2010/2015/2020 + latest."""
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    if years is None:
        chosen = [y for y in DEFAULT_SMALL_MULTIPLE_YEARS if lo <= y < hi] + [hi]
    else:
        chosen = [int(y) for y in years]
        if not chosen:
            raise UserError("years_small_multiples is empty: give at least one year")
        bad = [y for y in chosen if not lo <= y <= hi]
        if bad:
            raise UserError(
                f"no data for year(s) {', '.join(map(str, bad))}: the panel covers {lo}-{hi}"
            )
    return sorted(set(chosen))


def _restrict(
    panel: pd.DataFrame, mechanism: str, year: int, codes: Iterable[str]
) -> tuple[dict[str, str], set[str], dict[str, str | None]]:
    """(states, weak, confidence) of the selected jurisdictions for one mechanism and year."""
    keep = set(codes)
    states, weak = states_for(panel, mechanism, year)
    states = {c: s for c, s in states.items() if c in keep}
    rows = panel[(panel["mechanism"] == mechanism) & (panel["year"] == year)]
    conf = {
        str(c): (None if pd.isna(v) else str(v))
        for c, v in zip(rows["country"], rows["confidence"], strict=True)
        if c in keep
    }
    return states, weak & set(states), conf


def _map_layers_rasterised(ax: Axes) -> None:
    """The heavy polygon layers (fills, hatching) as images in the PDF; labels stay text."""
    for coll in ax.collections:
        coll.set_rasterized(True)


def _map_into(
    ax: Axes, deck: Deck, mechanism: str, year: int, title: str
) -> tuple[list[Any], list[str], dict[str, str], set[str]]:
    """Draw one mechanism/year map into ``ax``; return its legend (handles, labels), states,
    weak codes. The small per-axes legend of :func:`choropleth.choropleth` is removed."""
    states, weak, _conf = _restrict(deck.panel, mechanism, year, deck.codes)
    if not any(t.get_gid() == FOOT_GID for t in ax.figure.texts):
        deck.foot(ax.figure, boundaries=True)  # type: ignore[arg-type]
    choropleth.choropleth(
        states,
        palette=PALETTES[mechanism],
        weak=weak,
        title=title,
        source=f"{SOURCE_LINE}; data hash {deck.tables.data_hash[:12]}.",
        ax=ax,
    )
    legend = ax.get_legend()
    handles: list[Any] = []
    labels: list[str] = []
    if legend is not None:
        handles = list(legend.legend_handles)
        labels = [t.get_text() for t in legend.get_texts()]
        legend.remove()
    _map_layers_rasterised(ax)
    if not deck.everything:  # jurisdictions left blank are not selected, not missing data
        labels = [NOT_SELECTED_LABEL if t == choropleth.NO_DATA_LABEL else t for t in labels]
    return handles, labels, states, weak


def _state_groups(deck: Deck, mechanism: str, year: int) -> tuple[list[str], list[str], list[str]]:
    """What one map shows, from the panel: ("N <legend label>" per state drawn, "<legend label>:
    names" per state drawn, names of the hatched jurisdictions), states in legend order
    (:data:`analysis.model.vocab.PALETTES`)."""
    states, weak, _conf = _restrict(deck.panel, mechanism, year, deck.codes)
    counts: list[str] = []
    names: list[str] = []
    for value, label, _colour in PALETTES[mechanism]:
        codes = sorted(c for c, s in states.items() if s == value)
        if codes:
            counts.append(f"{len(codes)} {label}")
            names.append(f"{label}: {', '.join(deck.name(c) for c in codes)}")
    return counts, names, [deck.name(c) for c in sorted(weak)]


def _map_alt(deck: Deck, mechanism: str, years: Sequence[int]) -> str:
    """The alt text of a map slide: what it maps, where, when, and the counts per state."""
    parts = []
    for year in years:
        counts, _names, weak = _state_groups(deck, mechanism, year)
        parts.append(f"{year}: {', '.join(counts)}; {len(weak)} hatched (weak evidence)")
    kind = "Map" if len(years) == 1 else f"{len(years)} maps"
    return (
        f"{kind} of {plain_label(deck.label)}, {MAP_TITLES[mechanism]} "
        f"({MECHANISM_NAMES[mechanism]}), each jurisdiction coloured by its state. "
        + ". ".join(parts)
        + "."
    )


def _map_notes(deck: Deck, mechanism: str, years: Sequence[int]) -> str:
    lines = [
        f"What it shows: {MECHANISM_NAMES[mechanism]}: the state of each selected jurisdiction "
        f"in {', '.join(map(str, years))}, coloured as in the legend."
    ]
    for year in years:
        _counts, names, weak = _state_groups(deck, mechanism, year)
        lines.append(
            f"{year}: "
            + "; ".join(names)
            + f". Weak evidence (hatched): {', '.join(weak) or 'none'}."
        )
    lines.append(CAVEAT)
    return "\n\n".join(lines)


def map_page(deck: Deck, mechanism: str) -> Slide:
    title = MAP_TITLES[mechanism]
    subtitle = f"State in {deck.year} · {plain_label(deck.label)} · hatched: weak evidence"

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
        bottom, top = deck.foot(fig, boundaries=True) + 0.05, h - 1.15
        map_h = top - bottom
        aspect = _map_aspect()
        map_w = min(map_h / aspect, w - 2 * MARGIN - 3.6)
        map_h = map_w * aspect
        ax = fig.add_axes((MARGIN / w, bottom / h, map_w / w, map_h / h))
        handles, labels, _states, _weak = _map_into(ax, deck, mechanism, deck.year, "")
        ax.set_title("")
        left = (MARGIN + map_w + 0.3) / w
        fig.legend(
            handles=handles,
            labels=[wrap_label(t) for t in labels],
            loc="upper left",
            bbox_to_anchor=(left, top / h),
            frameon=False,
            fontsize=16,
            handlelength=2.0,
            handleheight=1.5,
            labelspacing=0.7,
            title=f"{deck.year}",
            title_fontproperties={"size": 20, "weight": "bold"},
            alignment="left",
        )

    return Slide(
        draw,
        title,
        subtitle,
        notes=_map_notes(deck, mechanism, [deck.year]),
        alt=_map_alt(deck, mechanism, [deck.year]),
        footnotes=deck.footnotes(boundaries=True),
    )


_LEGEND_W = 3.3  # inches for a legend beside the small multiples


def _grid(
    n: int, width: float, height: float, aspect: float, title_h: float
) -> tuple[int, int, float, bool]:
    """(rows, cols, panel width, legend beside?) for ``n`` panels maximising panel width.

    The legend takes either one more grid slot or a column of :data:`_LEGEND_W` on the right.
    """
    best: tuple[float, int, int, bool] = (-1.0, 1, n, True)
    for rows in range(1, n + 2):
        for beside in (True, False):
            cols = int(np.ceil((n if beside else n + 1) / rows))
            avail = width - (_LEGEND_W + 0.15 if beside else 0.0)
            pw = min((avail - (cols - 1) * 0.15) / cols, (height / rows - title_h - 0.1) / aspect)
            if pw > best[0] + 1e-9:
                best = (pw, rows, cols, beside)
    return best[1], best[2], best[0], best[3]


def small_multiples_page(deck: Deck, mechanism: str) -> Slide:
    years = deck.sm_years
    title = (
        f"{MAP_TITLES[mechanism]} ({years[0]}–{years[-1]})"
        if len(years) > 1
        else f"{MAP_TITLES[mechanism]} ({years[0]})"
    )
    subtitle = f"{', '.join(map(str, years))} · {plain_label(deck.label)} · hatched: weak evidence"

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
        bottom, top = deck.foot(fig, boundaries=True) + 0.05, h - 1.15
        grid_w, grid_h = w - 2 * MARGIN, top - bottom
        aspect = _map_aspect()
        title_h = 0.32
        rows, cols, pw, beside = _grid(len(years), grid_w, grid_h, aspect, title_h)
        ph = pw * aspect
        used = cols * pw + (cols - 1) * 0.15 + (_LEGEND_W + 0.15 if beside else 0.0)
        x0 = MARGIN + (grid_w - used) / 2
        handles: list[Any] = []
        labels: list[str] = []
        slots = [(r, c) for r in range(rows) for c in range(cols)]
        for (r, c), year in zip(slots, years, strict=False):
            left = x0 + c * (pw + 0.15)
            y_top = top - r * (grid_h / rows) - title_h
            ax = fig.add_axes((left / w, (y_top - ph) / h, pw / w, ph / h))
            handles, labels, _s, _wk = _map_into(ax, deck, mechanism, year, str(year))
            ax.set_title(str(year), loc="left", fontsize=18, fontweight="bold", pad=4)
            for label in ax.texts:  # codes on small panels: only where they stay readable
                label.set_visible(False)
            for line in ax.lines:
                line.set_visible(False)
        if beside:
            left, y_top = x0 + cols * (pw + 0.15), top - title_h
        else:
            r, c = slots[len(years)]
            left = x0 + c * (pw + 0.15)
            y_top = top - r * (grid_h / rows) - title_h
        fig.legend(
            handles=handles,
            labels=[wrap_label(t, 30) for t in labels],
            loc="upper left",
            bbox_to_anchor=(left / w, y_top / h),
            frameon=False,
            fontsize=MIN_PT,
            handlelength=1.8,
            handleheight=1.3,
            labelspacing=0.5,
        )

    return Slide(
        draw,
        title,
        subtitle,
        notes=_map_notes(deck, mechanism, years),
        alt=_map_alt(deck, mechanism, years),
        footnotes=deck.footnotes(boundaries=True),
    )


_ASPECT: list[float] = []


def _map_aspect() -> float:
    """Height / width of the map frame (the boundary layer's projected extent)."""
    if not _ASPECT:
        b = choropleth.load_boundaries().to_crs(choropleth.MAP_CRS).total_bounds
        _ASPECT.append(float((b[3] - b[1]) / (b[2] - b[0])))
    return _ASPECT[0]


def cell_evidence(
    panel: pd.DataFrame, year: int, codes: Iterable[str]
) -> tuple[dict[tuple[str, str], str | None], set[tuple[str, str]]]:
    """(confidence, weak cells) keyed (country, mechanism) of the selection in ``year``: the
    marks and hatching of the comparison page, with the maps' weak-evidence rule."""
    confidence: dict[tuple[str, str], str | None] = {}
    weak: set[tuple[str, str]] = set()
    for m in MECHANISMS:
        _states, weak_codes, conf = _restrict(panel, m, year, codes)
        confidence.update({(c, m): v for c, v in conf.items()})
        weak.update((c, m) for c in weak_codes)
    return confidence, weak
