"""Slide decks and animations for discussion sessions (EuroDIG, SEEDIG, national IGFs).

:func:`make_deck` writes ONE multi-page PDF in 16:9 landscape with fonts sized for a projector:

1. a title page (session, latest data year, short data hash, the three mechanisms);
2. one choropleth page per mechanism (``cctld``, ``igf``, ``body``) for the chosen year, with
   weak evidence hatched (:func:`analysis.mapping.states_for`);
3. one small-multiples page per mechanism over several years;
4. a comparison page: the selected jurisdictions' mechanism states (with confidence) and their
   Multi-SEE index score with its low-high interval and rank interval
   (:func:`analysis.comparison.compare`);
5. a timeline page: diffusion curves (:func:`analysis.panel.diffusion`) over the selected
   jurisdictions and their key dated events (ccTLD manager changes, first national IGF, MS body
   foundings);
6. the sources cited by the selected jurisdictions' records (as many pages as needed).

Every map page carries the source, :data:`analysis.vocab.BOUNDARY_NOTE` and
:data:`analysis.vocab.KOSOVO_FOOTNOTE`; the other content pages carry the source and, when Kosovo*
is among the selected jurisdictions, the Kosovo* footnote. The PDF carries no creation date, so
the same data and parameters give the same file.

:func:`make_animation` writes an animated GIF of one mechanism's adoption, year by year.
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from . import maps
from .atomic import atomic_path
from .comparison import compare
from .errors import UserError
from .load import Tables, load
from .mapping import states_for
from .panel import diffusion, panel_for
from .profile import cited_sources
from .selection import resolve_year, select
from .vocab import (
    ADOPTED_LABELS,
    CONFIDENCE_MARKS,
    GREY,
    INK,
    KOSOVO_FOOTNOTE,
    MAP_TITLES,
    MECHANISM_COLOURS,
    MECHANISM_NAMES,
    MECHANISMS,
    MUTED,
    PALETTES,
    SOURCE_LINE,
    STATE_COLOURS,
    STATE_LABELS,
    display_code,
)

__all__ = [
    "MECHANISM_NAMES",
    "PAGE_SIZE",
    "SOURCE",
    "draw_page",
    "key_events",
    "make_animation",
    "make_deck",
    "plan_deck",
    "small_multiple_years",
]

#: Page size in inches: 16:9 landscape (a widescreen slide).
PAGE_SIZE: tuple[float, float] = (13.333, 7.5)
SOURCE = SOURCE_LINE
#: Legend label of the jurisdictions left blank because they are not in the selection.
NOT_SELECTED_LABEL = "not in the selection"
DEFAULT_SMALL_MULTIPLE_YEARS: tuple[int, ...] = (2005, 2010, 2015, 2020)

_INK = INK
_MUTED = MUTED
_M = 0.3  # page margin, inches
_FOOT_PT = 8.0
_FOOT_LINE = _FOOT_PT * 1.45 / 72
_SRC_PT = 7.5  # sources list (monospaced)
_MONO = "DejaVu Sans Mono"
_CONF_MARK = CONFIDENCE_MARKS
_CCTLD_CHANGES = {
    "delegation": "delegation",
    "redelegation": "redelegation",
    "administrative_transfer": "transfer",
}

# --------------------------------------------------------------------------- data helpers


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


# --------------------------------------------------------------------------- page helpers


@dataclass
class _Deck:
    tables: Tables
    panel: pd.DataFrame
    session: str
    codes: list[str]
    label: str
    year: int
    sm_years: list[int]
    data_year: int
    pages: list[tuple[str, Callable[[Figure], None]]] = field(default_factory=list)

    @property
    def everything(self) -> bool:
        """Whether every jurisdiction of the data is selected."""
        return set(self.codes) >= set(self.tables.countries["code"].astype(str))

    @property
    def has_kosovo(self) -> bool:
        return "XK" in self.codes


def _fit(text: str, size: float, width_in: float, em: float = 0.58) -> float:
    """A font size <= ``size`` at which ``text`` fits in ``width_in`` (average glyph ``em``)."""
    need = len(text) * em * size / 72
    return size if need <= width_in else max(size * width_in / need, 9.0)


def _page_title(fig: Figure, title: str, subtitle: str = "") -> None:
    w, h = fig.get_size_inches()
    room = w - 2 * _M
    fig.text(
        _M / w,
        1 - 0.22 / h,
        title,
        ha="left",
        va="top",
        fontsize=_fit(title, 24, room, 0.62),
        fontweight="bold",
        color=_INK,
        parse_math=False,
    )
    if subtitle:
        fig.text(
            _M / w,
            1 - 0.74 / h,
            subtitle,
            ha="left",
            va="top",
            fontsize=_fit(subtitle, 14, room, 0.56),
            color=_MUTED,
            parse_math=False,
        )


def _page_number(fig: Figure, number: int, total: int) -> None:
    w, h = fig.get_size_inches()
    fig.text(
        1 - _M / w,
        0.14 / h,
        f"multisee · {number}/{total}",
        ha="right",
        va="bottom",
        fontsize=10,
        color="#888888",
    )


def _footer(fig: Figure, deck: _Deck, *, source: bool = True) -> float:
    """Source and (when Kosovo* is selected) the Kosovo* footnote; returns the height used."""
    w, h = fig.get_size_inches()
    lines: list[str] = []
    if source:
        lines.append(f"Source: {SOURCE}; data hash {deck.tables.data_hash[:12]}.")
    if deck.has_kosovo:
        lines.append(KOSOVO_FOOTNOTE)
    maps.add_footer(fig, lines, _FOOT_LINE, w, h, margin=_M, bottom=0.14, fontsize=_FOOT_PT)
    return 0.14 + len(lines) * _FOOT_LINE + 0.1


def _wrap_label(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _map_into(
    ax: Axes, deck: _Deck, mechanism: str, year: int, title: str
) -> tuple[list[Any], list[str], dict[str, str], set[str]]:
    """Draw one mechanism/year map into ``ax``; return its legend (handles, labels), states,
    weak codes. The small per-axes legend of :func:`maps.choropleth` is removed."""
    states, weak, _conf = _restrict(deck.panel, mechanism, year, deck.codes)
    maps.choropleth(
        states,
        palette=PALETTES[mechanism],
        weak=weak,
        title=title,
        source=f"{SOURCE}; data hash {deck.tables.data_hash[:12]}.",
        ax=ax,
    )
    legend = ax.get_legend()
    handles: list[Any] = []
    labels: list[str] = []
    if legend is not None:
        handles = list(legend.legend_handles)
        labels = [t.get_text() for t in legend.get_texts()]
        legend.remove()
    if not deck.everything:  # jurisdictions left blank are not selected, not missing data
        labels = [NOT_SELECTED_LABEL if t == maps.NO_DATA_LABEL else t for t in labels]
    return handles, labels, states, weak


def _counts_text(mechanism: str, states: dict[str, str], weak: set[str]) -> str:
    lines = [f"{len(states)} jurisdictions:"]
    for value, _label, _colour in PALETTES[mechanism]:
        n = sum(1 for s in states.values() if s == value)
        if n:
            lines.append(f"{n:>3}  {STATE_LABELS.get(value, value)}")
    lines.append(f"{len(weak):>3}  weak evidence")
    return "\n".join(lines)


# --------------------------------------------------------------------------- pages


def _title_page(deck: _Deck) -> Callable[[Figure], None]:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        title = "\n".join(textwrap.wrap(deck.session, 40))
        fig.text(
            _M * 2 / w,
            1 - 0.9 / h,
            title,
            ha="left",
            va="top",
            fontsize=36,
            fontweight="bold",
            color=_INK,
            parse_math=False,
            linespacing=1.15,
        )
        n_title = title.count("\n") + 1
        y = 0.9 + n_title * 36 * 1.3 / 72 + 0.25
        fig.text(
            _M * 2 / w,
            1 - y / h,
            "National multistakeholder Internet governance in SEE+: the Multi-SEE model",
            ha="left",
            va="top",
            fontsize=18,
            color=_MUTED,
        )
        y += 0.75
        for i, m in enumerate(MECHANISMS, start=1):
            fig.add_artist(
                Rectangle(
                    (_M * 2 / w, 1 - (y + 0.3) / h),
                    0.28 / w,
                    0.28 / h,
                    facecolor=MECHANISM_COLOURS[m],
                    edgecolor="none",
                    transform=fig.transFigure,
                )
            )
            fig.text(
                (_M * 2 + 0.45) / w,
                1 - (y + 0.16) / h,
                f"{i}. {MECHANISM_NAMES[m]}",
                ha="left",
                va="center",
                fontsize=20,
                color=_INK,
            )
            y += 0.55
        y += 0.3
        accessed = deck.tables.sources.get("accessed")
        last_access = str(accessed.dropna().max()) if accessed is not None else ""
        facts = [
            f"Data up to {deck.data_year}; maps for {deck.year}",
            f"Jurisdictions: {deck.label}",
            f"Data hash {deck.tables.data_hash[:12]}"
            + (f"; sources accessed up to {last_access}" if last_access else ""),
        ]
        for line in facts:
            wrapped = "\n".join(textwrap.wrap(line, 95))
            fig.text(
                _M * 2 / w,
                1 - y / h,
                wrapped,
                ha="left",
                va="top",
                fontsize=16,
                color=_INK,
                parse_math=False,
            )
            y += 0.4 * (wrapped.count("\n") + 1)
        fig.text(
            1 - _M * 2 / w,
            0.55 / h + (_FOOT_LINE if deck.has_kosovo else 0) / h,
            "multisee: open research workbench",
            ha="right",
            va="bottom",
            fontsize=20,
            fontweight="bold",
            color=MECHANISM_COLOURS["cctld"],
        )
        _footer(fig, deck)

    return draw


def _map_page(deck: _Deck, mechanism: str) -> Callable[[Figure], None]:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        _page_title(
            fig,
            MAP_TITLES[mechanism],
            f"State in {deck.year} · {deck.label} · hatched: weak evidence",
        )
        bottom, top = 0.72, h - 1.2
        map_h = top - bottom
        aspect = _map_aspect()
        map_w = min(map_h / aspect, w - 2 * _M - 3.3)
        map_h = map_w * aspect
        ax = fig.add_axes((_M / w, bottom / h, map_w / w, map_h / h))
        handles, labels, states, weak = _map_into(ax, deck, mechanism, deck.year, "")
        ax.set_title("")
        left = (_M + map_w + 0.3) / w
        fig.legend(
            handles=handles,
            labels=[_wrap_label(t) for t in labels],
            loc="upper left",
            bbox_to_anchor=(left, top / h),
            frameon=False,
            fontsize=13,
            handlelength=2.0,
            handleheight=1.5,
            labelspacing=0.8,
            title=f"{deck.year}",
            title_fontproperties={"size": 15, "weight": "bold"},
            alignment="left",
        )
        fig.text(
            left,
            (bottom + 0.05) / h,
            _counts_text(mechanism, states, weak),
            ha="left",
            va="bottom",
            fontsize=12,
            color=_INK,
            family=_MONO,
            linespacing=1.4,
        )

    return draw


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


def _small_multiples_page(deck: _Deck, mechanism: str) -> Callable[[Figure], None]:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        years = deck.sm_years
        _page_title(
            fig,
            f"{MAP_TITLES[mechanism]} ({years[0]}–{years[-1]})"
            if len(years) > 1
            else f"{MAP_TITLES[mechanism]} ({years[0]})",
            f"{', '.join(map(str, years))} · {deck.label} · hatched: weak evidence",
        )
        bottom, top = 0.72, h - 1.15
        grid_w, grid_h = w - 2 * _M, top - bottom
        aspect = _map_aspect()
        title_h = 0.32
        rows, cols, pw, beside = _grid(len(years), grid_w, grid_h, aspect, title_h)
        ph = pw * aspect
        used = cols * pw + (cols - 1) * 0.15 + (_LEGEND_W + 0.15 if beside else 0.0)
        x0 = _M + (grid_w - used) / 2
        handles: list[Any] = []
        labels: list[str] = []
        slots = [(r, c) for r in range(rows) for c in range(cols)]
        for (r, c), year in zip(slots, years, strict=False):
            left = x0 + c * (pw + 0.15)
            y_top = top - r * (grid_h / rows) - title_h
            ax = fig.add_axes((left / w, (y_top - ph) / h, pw / w, ph / h))
            handles, labels, _s, _wk = _map_into(ax, deck, mechanism, year, str(year))
            ax.set_title(str(year), loc="left", fontsize=16, fontweight="bold", pad=4)
        if beside:
            left, y_top = x0 + cols * (pw + 0.15), top - title_h
        else:
            r, c = slots[len(years)]
            left = x0 + c * (pw + 0.15)
            y_top = top - r * (grid_h / rows) - title_h
        fig.legend(
            handles=handles,
            labels=[_wrap_label(t, 30) for t in labels],
            loc="upper left",
            bbox_to_anchor=(left / w, y_top / h),
            frameon=False,
            fontsize=11,
            handlelength=1.8,
            handleheight=1.3,
            labelspacing=0.5,
        )

    return draw


def _state_text(mechanism: str, state: str, conf: str | None) -> str:
    text = STATE_LABELS.get(state, state)
    mark = _CONF_MARK.get(conf or "", "")
    return f"{text} {mark}".strip()


def _lighten(colour: str, amount: float = 0.5) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _comparison_page(deck: _Deck) -> Callable[[Figure], None]:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        _page_title(
            fig,
            f"Comparison, {deck.year}: {deck.label}",
            "Multi-SEE index: mean of the three mechanism scores (weights 1/3); "
            "low–high: unknown and recalled facts scored 0 / 1",
        )
        table = compare(deck.codes, deck.year, deck.tables)
        table = table.assign(_r=table["rank"].astype("Float64").fillna(999)).sort_values(
            ["_r", "score", "country"], ascending=[True, False, True]
        )
        info = {m: _restrict(deck.panel, m, deck.year, deck.codes) for m in MECHANISMS}
        foot = _footer(fig, deck)
        notes_h = 0.45
        top, bottom = h - 1.25, foot + notes_h
        n = len(table) + 1
        row_h = min(0.34, (top - bottom) / n)
        font = float(np.clip(row_h * 72 * 0.55, 7.0, 13.0))
        cols: list[tuple[str, float]] = [
            ("Jurisdiction", 2.75),
            ("ccTLD", 2.15),
            ("national IGF", 1.5),
            ("MS body", 1.4),
            ("index 0 ─── 1", 1.9),
            ("score (low–high)", 1.85),
            ("rank (range)", 1.15),
        ]
        total_w = sum(c[1] for c in cols)
        ax = fig.add_axes((_M / w, (top - n * row_h) / h, total_w / w, n * row_h / h))
        ax.set_xlim(0, total_w)
        ax.set_ylim(n * row_h, 0)
        ax.axis("off")
        xs = np.cumsum([0.0] + [c[1] for c in cols])
        for (name, _cw), x in zip(cols, xs, strict=False):
            ax.text(
                x + 0.08,
                row_h / 2,
                name,
                ha="left",
                va="center",
                fontsize=font * 0.9,
                fontweight="bold",
                color=_INK,
            )
        ax.axhline(row_h, color=_INK, linewidth=1.0)
        names = deck.tables.countries.set_index("code")["name"]
        for i, row in enumerate(table.itertuples(index=False)):
            y0 = (i + 1) * row_h
            yc = y0 + row_h / 2
            code = str(row.country)
            if i % 2:
                ax.add_patch(Rectangle((0, y0), total_w, row_h, color="#F3F3F3", zorder=0))
            ax.text(
                0.08,
                yc,
                f"{names.get(code, code)} ({display_code(code)})",
                ha="left",
                va="center",
                fontsize=font,
                color=_INK,
                parse_math=False,
            )
            for j, m in enumerate(MECHANISMS, start=1):
                states, weak, conf = info[m]
                state = states.get(code, "unknown")
                colour = STATE_COLOURS[m].get(state, GREY)
                cell = Rectangle(
                    (xs[j] + 0.04, y0 + 0.03),
                    cols[j][1] - 0.08,
                    row_h - 0.06,
                    facecolor=_lighten(colour, 0.45),
                    edgecolor="none",
                    zorder=1,
                )
                ax.add_patch(cell)
                if code in weak:
                    with mpl.rc_context({"hatch.color": "#555555", "hatch.linewidth": 0.6}):
                        ax.add_patch(
                            Rectangle(
                                (xs[j] + 0.04, y0 + 0.03),
                                cols[j][1] - 0.08,
                                row_h - 0.06,
                                facecolor="none",
                                edgecolor="#555555",
                                linewidth=0,
                                hatch="///",
                                zorder=2,
                            )
                        )
                ax.text(
                    xs[j] + 0.12,
                    yc,
                    _state_text(m, state, conf.get(code)),
                    ha="left",
                    va="center",
                    fontsize=font,
                    color=_INK,
                    zorder=3,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.0}
                    if code in weak
                    else None,
                )
            # index bar: low-high interval with the score as a dot
            bx0, bw = xs[4] + 0.15, cols[4][1] - 0.3
            ax.plot([bx0, bx0 + bw], [yc, yc], color="#CCCCCC", linewidth=1.0, zorder=1)
            low, high, score = float(row.low), float(row.high), float(row.score)
            ax.plot(
                [bx0 + low * bw, bx0 + high * bw],
                [yc, yc],
                color="#0072B2",
                linewidth=max(row_h * 72 * 0.25, 2.0),
                solid_capstyle="butt",
                alpha=0.45,
                zorder=2,
            )
            ax.plot(
                bx0 + score * bw,
                yc,
                marker="o",
                markersize=max(row_h * 72 * 0.3, 3.0),
                color="#0072B2",
                markeredgecolor="white",
                zorder=3,
            )
            ax.text(
                xs[5] + 0.08,
                yc,
                f"{score:.2f} ({low:.2f}–{high:.2f})",
                ha="left",
                va="center",
                fontsize=font,
                color=_INK,
            )
            if pd.isna(row.rank):
                rank = "ref."
            else:
                rank = f"{int(row.rank)} ({int(row.rank_best)}–{int(row.rank_worst)})"
            ax.text(xs[6] + 0.08, yc, rank, ha="left", va="center", fontsize=font, color=_INK)
        n_core = int(deck.panel.loc[deck.panel["scope_role"] == "core", "country"].nunique())
        note = (
            "Confidence of each state: ● sourced  ◐ inferred  ○ recalled.  Hatched cell: weak "
            "evidence (unknown, recalled or inferred).  Ranks (1 = best) among the "
            f"{n_core} core jurisdictions, range = best to worst attainable; ref. = reference "
            "case, not ranked."
        )
        fig.text(
            _M / w,
            (foot + 0.05) / h,
            "\n".join(textwrap.wrap(note, 150)),
            ha="left",
            va="bottom",
            fontsize=10,
            color=_MUTED,
        )

    return draw


def _year_frac(value: Any) -> float | None:
    """A date (``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD`` or a number) as a fractional year."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return year + 0.5
    month = int(m.group(2))
    day = int(m.group(3) or 15)
    try:
        doy = _dt.date(year, month, day).timetuple().tm_yday
    except ValueError:
        return year + 0.5
    return year + (doy - 0.5) / 366


def key_events(tables: Tables, codes: Iterable[str]) -> pd.DataFrame:
    """Key dated events of the selected jurisdictions: ccTLD manager changes (delegation,
    redelegation, transfer), first national IGF (the earliest edition or first year) and MS body
    foundings. Columns: mechanism, country, when (fractional year), date, what."""
    keep = set(codes)
    rows: list[dict[str, Any]] = []
    ev = tables.cctld_events
    if not ev.empty:
        ev = ev[ev["country"].isin(keep) & ev["type"].isin(list(_CCTLD_CHANGES))]
        for r in ev.itertuples(index=False):
            when = _year_frac(r.date)
            if when is not None:
                what = f".{r.tld} {_CCTLD_CHANGES[str(r.type)]}"
                rows.append(
                    {
                        "mechanism": "cctld",
                        "country": r.country,
                        "when": when,
                        "date": str(r.date),
                        "what": what,
                    }
                )
    ini = tables.igf_initiatives
    if not ini.empty:
        ini = ini[ini["country"].isin(keep) & (ini["kind"] == "national")]
        eds = tables.igf_editions
        for r in ini.itertuples(index=False):
            years = [int(y) for y in eds.loc[eds["initiative"] == r.id, "year"].dropna()]
            if pd.notna(r.first_year):
                years.append(int(r.first_year))
            if years:
                first = min(years)
                rows.append(
                    {
                        "mechanism": "igf",
                        "country": r.country,
                        "when": first + 0.5,
                        "date": str(first),
                        "what": f"first {r.id}",
                    }
                )
    bodies = tables.ms_bodies
    if not bodies.empty:
        bodies = bodies[
            bodies["country"].isin(keep) & bodies["multistakeholder"].isin(["yes", "partly"])
        ]
        for r in bodies.itertuples(index=False):
            when = _year_frac(r.established)
            if when is not None:
                rows.append(
                    {
                        "mechanism": "body",
                        "country": r.country,
                        "when": when,
                        "date": str(r.established),
                        "what": f"{r.id} founded",
                    }
                )
    cols = ["mechanism", "country", "when", "date", "what"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["mechanism", "when", "country"], ignore_index=True)


def _timeline_page(deck: _Deck) -> Callable[[Figure], None]:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        n = len(deck.codes)
        _page_title(
            fig,
            f"Diffusion and key events: {deck.label}",
            f"How many of the {n} selected jurisdictions had each mechanism, year by year "
            "(dashed: if every unknown were adopted)",
        )
        foot = _footer(fig, deck)
        d = diffusion(deck.panel, core=deck.codes)
        events = key_events(deck.tables, deck.codes)
        x0 = float(
            min(deck.panel["year"].min(), np.floor(events["when"].min()))
            if not events.empty
            else deck.panel["year"].min()
        )
        x1 = float(deck.panel["year"].max()) + 1.0
        left, right = 1.75, w - _M - 0.1
        top = h - 1.6
        curves_h = 2.3
        ax = fig.add_axes((left / w, (top - curves_h) / h, (right - left) / w, curves_h / h))
        for m in MECHANISMS:
            dm = d[d["mechanism"] == m]
            xs = dm["year"].to_numpy(dtype=float) + 0.5
            adopted = dm["adopted"].to_numpy(dtype=float)
            upper = adopted + dm["unknown"].to_numpy(dtype=float)
            colour = MECHANISM_COLOURS[m]
            ax.fill_between(xs, adopted, upper, color=colour, alpha=0.10, linewidth=0)
            ax.plot(xs, upper, color=colour, linewidth=1.2, linestyle="--", alpha=0.8)
            ax.plot(xs, adopted, color=colour, linewidth=3.0, label=ADOPTED_LABELS[m])
        ax.axvline(deck.year + 0.5, color="#888888", linewidth=1.0, linestyle=":")
        ax.set_xlim(x0, x1)
        ax.set_ylim(0, max(n, 1) + 0.5)
        ax.set_ylabel("jurisdictions", fontsize=13)
        ax.tick_params(labelsize=12)
        ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, nbins=6))
        ax.grid(axis="y", color="#E5E5E5")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            ncol=3,
            fontsize=12,
            frameon=False,
            borderaxespad=0.0,
            handlelength=1.6,
            columnspacing=1.5,
        )
        ax.set_xticklabels([])

        ev_top = top - curves_h - 0.15
        ev_h = ev_top - foot - 0.35
        ex = fig.add_axes((left / w, (ev_top - ev_h) / h, (right - left) / w, ev_h / h))
        ex.set_xlim(x0, x1)
        years_per_in = (x1 - x0) / (right - left)
        lanes: list[tuple[str, list[tuple[float, str, int]]]] = []
        for m in MECHANISMS:
            em = events[events["mechanism"] == m]
            ends: list[float] = []  # per row: x where the last label ends
            placed: list[tuple[float, str, int]] = []
            for r in em.itertuples(index=False):
                text = display_code(str(r.country))
                width = (0.12 + len(text) * 0.6 * 11 / 72 + 0.08) * years_per_in
                row = next((i for i, e in enumerate(ends) if e <= r.when), len(ends))
                if row == len(ends):
                    ends.append(0.0)
                ends[row] = r.when + width
                placed.append((float(r.when), text, row))
            lanes.append((m, placed))
        n_rows = sum(max(1, 1 + max((p[2] for p in placed), default=0)) for _m, placed in lanes)
        step = min(0.4, ev_h / (n_rows + len(lanes) * 0.6))
        y = 0.0
        ex.set_ylim(ev_h, 0)
        for m, placed in lanes:
            rows = max(1, 1 + max((p[2] for p in placed), default=0))
            lane_h = (rows + 0.6) * step
            colour = MECHANISM_COLOURS[m]
            ex.add_patch(
                Rectangle(
                    (x0, y),
                    x1 - x0,
                    lane_h,
                    facecolor=_lighten(colour, 0.9),
                    edgecolor="none",
                    zorder=0,
                )
            )
            label = {
                "cctld": "ccTLD manager\nchanges",
                "igf": "first national\nIGF",
                "body": "MS body\nfounded",
            }[m]
            ex.text(
                x0 - 0.15 * years_per_in,
                y + lane_h / 2,
                label,
                ha="right",
                va="center",
                fontsize=11,
                color=colour,
                fontweight="bold",
            )
            for when, text, row in placed:
                yc = y + (row + 0.8) * step
                ex.plot(when, yc, marker="o", markersize=6, color=colour, zorder=3)
                ex.text(
                    when + 0.1 * years_per_in,
                    yc,
                    text,
                    ha="left",
                    va="center",
                    fontsize=11,
                    color=_INK,
                    zorder=3,
                )
            if not placed:
                ex.text(
                    x0 + 0.2,
                    y + lane_h / 2,
                    "no dated event recorded",
                    ha="left",
                    va="center",
                    fontsize=11,
                    color=_MUTED,
                    style="italic",
                )
            y += lane_h
        ex.set_ylim(max(y, ev_h), 0)
        ex.axvline(deck.year + 0.5, color="#888888", linewidth=1.0, linestyle=":")
        ex.set_yticks([])
        ex.tick_params(labelsize=12)
        ex.xaxis.set_major_locator(mpl.ticker.MultipleLocator(5))
        ex.spines[["top", "right", "left"]].set_visible(False)

    return draw


def _source_entries(sources: pd.DataFrame, width: int) -> list[list[str]]:
    """Each source as wrapped lines ``id  title  URL`` (continuation lines indented)."""
    entries: list[list[str]] = []
    for s in sources.itertuples(index=False):
        where = getattr(s, "url", None)
        if where is None or (not isinstance(where, str) and pd.isna(where)):
            repo = getattr(s, "repository", None)
            path = getattr(s, "repo_path", None) or getattr(s, "path", None)
            where = f"repository {repo}, {path}" if isinstance(repo, str) else str(path or "")
        title = re.sub(r"\s+", " ", str(s.title)).strip()
        entry = f"{s.id}  {title}  {where}"
        wrapped = textwrap.wrap(entry, width, subsequent_indent="      ", break_on_hyphens=False)
        entries.append(wrapped or [entry])
    return entries


def _sources_pages(deck: _Deck) -> list[Callable[[Figure], None]]:
    tables = deck.tables
    keep = set(deck.codes)
    frames = [
        df[df["country"].isin(keep)]
        for df in tables.as_dict().values()
        if not df.empty and "country" in df.columns
    ]
    c = tables.countries
    frames.append(c[c["code"].isin(keep)])
    sources = cited_sources(frames, tables)
    w, h = PAGE_SIZE
    chars = int((w - 2 * _M) * 72 / (_SRC_PT * 0.602))
    entries = _source_entries(sources, chars) if not sources.empty else [["No sources cited."]]
    line_h = _SRC_PT * 1.28 / 72
    top, bottom = h - 1.15, 0.5 + (_FOOT_LINE if deck.has_kosovo else 0.0)
    per_page = max(int((top - bottom) / line_h), 1)
    # Pages of whole entries: an entry never straddles two pages.
    chunks: list[list[str]] = [[]]
    for entry in entries:
        if chunks[-1] and len(chunks[-1]) + len(entry) > per_page:
            chunks.append([])
        chunks[-1].extend(entry)
    total = len(chunks)
    pages: list[Callable[[Figure], None]] = []
    for k, chunk in enumerate(chunks, start=1):

        def draw(fig: Figure, chunk: list[str] = chunk, k: int = k) -> None:
            more = f" ({k}/{total})" if total > 1 else ""
            _page_title(
                fig,
                f"Sources{more}",
                f"{len(sources)} sources cited by the records of {deck.label}: id, title, URL "
                "as archived",
            )
            for i, line in enumerate(chunk):
                fig.text(
                    _M / w,
                    (top - i * line_h) / h,
                    line,
                    ha="left",
                    va="top",
                    fontsize=_SRC_PT,
                    family=_MONO,
                    color=_INK,
                    parse_math=False,
                )
            _footer(fig, deck, source=False)

        pages.append(draw)
    return pages


_ASPECT: list[float] = []


def _map_aspect() -> float:
    """Height / width of the map frame (the boundary layer's projected extent)."""
    if not _ASPECT:
        b = maps.load_boundaries().to_crs(maps.MAP_CRS).total_bounds
        _ASPECT.append(float((b[3] - b[1]) / (b[2] - b[0])))
    return _ASPECT[0]


# --------------------------------------------------------------------------- public API


def plan_deck(
    session: str,
    countries: Sequence[str] | str | None = None,
    year: int | None = None,
    years_small_multiples: Sequence[int] | None = None,
) -> tuple[dict[str, Any], dict[str, list[Callable[[Figure], None]]]]:
    """Check the parameters and lay the deck out without drawing: (info, sections).

    ``info`` has ``session``, ``countries``, ``label``, ``year``, ``years_small_multiples``,
    ``data_year`` and ``data_hash``; ``sections`` maps each part (title, maps, small_multiples,
    comparison, timeline, sources) to its pages, each a function drawing onto a blank
    :data:`PAGE_SIZE` figure. Bad parameters raise :class:`UserError`.
    """
    if not isinstance(session, str) or not session.strip():
        raise UserError("session must be a non-empty title, e.g. 'SEEDIG 2025: MS at home'")
    tables = load()
    panel = panel_for(tables)
    sel = select(countries, tables, reference=countries is None)
    codes, label = list(sel.codes), sel.label
    year = resolve_year(year, panel, tables)
    sm_years = small_multiple_years(panel, years_small_multiples)
    deck = _Deck(
        tables=tables,
        panel=panel,
        session=session.strip(),
        codes=codes,
        label=label,
        year=year,
        sm_years=sm_years,
        data_year=int(panel["year"].max()),
    )
    sections: dict[str, list[Callable[[Figure], None]]] = {
        "title": [_title_page(deck)],
        "maps": [_map_page(deck, m) for m in MECHANISMS],
        "small_multiples": [_small_multiples_page(deck, m) for m in MECHANISMS],
        "comparison": [_comparison_page(deck)],
        "timeline": [_timeline_page(deck)],
        "sources": _sources_pages(deck),
    }
    info = {
        "session": deck.session,
        "countries": codes,
        "label": label,
        "year": year,
        "years_small_multiples": sm_years,
        "data_year": deck.data_year,
        "data_hash": tables.data_hash,
    }
    return info, sections


def draw_page(draw: Callable[[Figure], None], number: int, total: int) -> Figure:
    """One deck page as a :data:`PAGE_SIZE` figure, numbered ``number/total``."""
    fig = Figure(figsize=PAGE_SIZE, facecolor="white")
    with mpl.rc_context(_RC):
        draw(fig)
        _page_number(fig, number, total)
    return fig


_RC: dict[str, Any] = {"pdf.fonttype": 42, "font.family": "DejaVu Sans"}


def make_deck(
    out: Path,
    session: str,
    countries: Sequence[str] | str | None = None,
    year: int | None = None,
    years_small_multiples: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Write the session deck as ONE multi-page PDF at ``out`` (atomically) and describe it.

    ``countries``: ``None`` for every jurisdiction (the reference case included), or a peer-group
    id, ``"all"`` (the core jurisdictions), a code list (see :func:`select_countries`); maps show
    the selected jurisdictions only. ``year`` defaults to the latest data year;
    ``years_small_multiples`` to 2005, 2010, 2015, 2020 and the latest data year.

    Returns ``{"pages", "path", "countries", "year", "years_small_multiples", "sections",
    "seconds"}``; ``sections`` maps each part (title, maps, small_multiples, comparison,
    timeline, sources) to its page count, in page order.
    """
    started = time.perf_counter()
    info, sections = plan_deck(session, countries, year, years_small_multiples)
    pages = [p for ps in sections.values() for p in ps]

    out = Path(out)
    metadata = {
        "Title": info["session"],
        "Author": "multisee",
        "Subject": f"Multi-SEE adoption maps, {info['year']}; {info['label']}; "
        f"data {info['data_hash'][:12]}",
        "Keywords": "multistakeholder; Internet governance; ccTLD; IGF; SEE",
        "Creator": "multisee",
        "CreationDate": None,
        "ModDate": None,
    }
    with atomic_path(out) as tmp, mpl.rc_context(_RC), PdfPages(tmp, metadata=metadata) as pdf:
        for i, draw in enumerate(pages, start=1):
            pdf.savefig(draw_page(draw, i, len(pages)))
    return {
        "pages": len(pages),
        "path": out,
        "countries": info["countries"],
        "year": info["year"],
        "years_small_multiples": info["years_small_multiples"],
        "sections": {k: len(v) for k, v in sections.items()},
        "seconds": round(time.perf_counter() - started, 2),
    }


def make_animation(out: Path, mechanism: str, start: int, end: int) -> Path:
    """Write an animated GIF of ``mechanism``'s adoption, one frame per year ``start..end``.

    Every jurisdiction is drawn; weak evidence is hatched. Written atomically by
    :func:`analysis.maps.animate`. Returns the path.
    """
    tables = load()
    panel = panel_for(tables)
    if mechanism not in MAP_TITLES:
        raise UserError(f"unknown mechanism {mechanism!r}: expected one of {', '.join(MAP_TITLES)}")
    start, end = resolve_year(start, panel, tables), resolve_year(end, panel, tables)
    if start > end:
        raise UserError(f"start year {start} is after end year {end}")
    states_by_year: dict[int, dict[str, str]] = {}
    weak_by_year: dict[int, set[str]] = {}
    for y in range(start, end + 1):
        states_by_year[y], weak_by_year[y] = states_for(panel, mechanism, y)
    return maps.animate(
        states_by_year,
        palette=PALETTES[mechanism],
        weak_by_year=weak_by_year,
        title=MAP_TITLES[mechanism],
        source=f"{SOURCE}; data hash {tables.data_hash[:12]}.",
        path=Path(out),
    )
