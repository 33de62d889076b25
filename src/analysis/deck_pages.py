"""The session deck's pages other than maps: title, comparison, timeline and sources.

Page layout only: the comparison page draws :func:`analysis.figures.draw_state_matrix` and
:func:`analysis.figures.draw_rank_intervals` into the page's axes, the timeline pages
:func:`analysis.figures.draw_diffusion` and :func:`analysis.figures.draw_events` with the events
of :func:`analysis.events.events`, so the deck and the notebooks show the same things. Each page
is a function drawing onto a blank :data:`PAGE_SIZE` figure; :mod:`analysis.deck` puts them
together with the map pages.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .comparison import compare
from .events import events
from .figures import (
    draw_diffusion,
    draw_events,
    draw_rank_intervals,
    draw_state_matrix,
    event_legend,
    rank_legend,
    rank_order,
)
from .load import Tables
from .panel import diffusion
from .profile import cited_sources
from .selection import year_note
from .vocab import INK, MECHANISM_COLOURS, MECHANISM_NAMES, MECHANISMS, MUTED, display_code

__all__ = [
    "PAGE_SIZE",
    "Deck",
    "Page",
    "comparison_page",
    "deck_events",
    "deck_sources",
    "page_number",
    "page_title",
    "sources_pages",
    "timeline_pages",
    "title_page",
]

#: Page size in inches: 16:9 landscape (a widescreen slide).
PAGE_SIZE: tuple[float, float] = (13.333, 7.5)
MARGIN = 0.3  # page margin, inches
FOOT_PT = 8.0
FOOT_LINE = FOOT_PT * 1.45 / 72
_SRC_PT = 7.5  # sources list (monospaced)
MONO = "DejaVu Sans Mono"

Page = Callable[[Figure], None]


@dataclass
class Deck:
    """What every page needs: the data, the selection, the years and the page footer.

    ``footer(fig, deck, source)`` draws the source line (when ``source``) and, when Kosovo* is
    selected, the Kosovo* footnote, and returns the height it used in inches. ``confidence`` and
    ``weak`` are the confidence and the weak-evidence cells, keyed (country, mechanism), of the
    deck's year.
    """

    tables: Tables
    panel: pd.DataFrame
    session: str
    codes: list[str]
    label: str
    year: int
    year_is_default: bool
    sm_years: list[int]
    data_year: int
    footer: Callable[[Figure, Deck, bool], float]
    confidence: dict[tuple[str, str], str | None] = field(default_factory=dict)
    weak: set[tuple[str, str]] = field(default_factory=set)

    @property
    def everything(self) -> bool:
        """Whether every jurisdiction of the data is selected."""
        return set(self.codes) >= set(self.tables.countries["code"].astype(str))

    @property
    def has_kosovo(self) -> bool:
        return "XK" in self.codes

    @property
    def note(self) -> str:
        """The year note of the deck (:func:`analysis.selection.year_note`)."""
        return year_note(self.year, self.year_is_default)

    def foot(self, fig: Figure, source: bool = True) -> float:
        return self.footer(fig, self, source)

    def row_labels(self) -> list[str]:
        names = self.tables.countries.set_index("code")["name"]
        return [f"{names.get(c, c)} ({display_code(c)})" for c in self.codes]


# --------------------------------------------------------------------------- page helpers


def fit(text: str, size: float, width_in: float, em: float = 0.58) -> float:
    """A font size <= ``size`` at which ``text`` fits in ``width_in`` (average glyph ``em``)."""
    need = len(text) * em * size / 72
    return size if need <= width_in else max(size * width_in / need, 9.0)


def page_title(fig: Figure, title: str, subtitle: str = "") -> None:
    w, h = fig.get_size_inches()
    room = w - 2 * MARGIN
    fig.text(
        MARGIN / w,
        1 - 0.22 / h,
        title,
        ha="left",
        va="top",
        fontsize=fit(title, 24, room, 0.62),
        fontweight="bold",
        color=INK,
        parse_math=False,
    )
    if subtitle:
        fig.text(
            MARGIN / w,
            1 - 0.74 / h,
            subtitle,
            ha="left",
            va="top",
            fontsize=fit(subtitle, 14, room, 0.56),
            color=MUTED,
            parse_math=False,
        )


def page_number(fig: Figure, number: int, total: int) -> None:
    w, h = fig.get_size_inches()
    fig.text(
        1 - MARGIN / w,
        0.14 / h,
        f"multisee · {number}/{total}",
        ha="right",
        va="bottom",
        fontsize=10,
        color="#888888",
    )


def wrap_label(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _scale(row_h: float, points: float = 20.0) -> float:
    """A font scale for rows ``row_h`` inches apart (1 = the notebooks' figures)."""
    return float(np.clip(row_h * 72 / points, 0.9, 1.4))


# --------------------------------------------------------------------------- pages


def title_page(deck: Deck) -> Page:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        title = "\n".join(textwrap.wrap(deck.session, 40))
        fig.text(
            MARGIN * 2 / w,
            1 - 0.9 / h,
            title,
            ha="left",
            va="top",
            fontsize=36,
            fontweight="bold",
            color=INK,
            parse_math=False,
            linespacing=1.15,
        )
        n_title = title.count("\n") + 1
        y = 0.9 + n_title * 36 * 1.3 / 72 + 0.25
        fig.text(
            MARGIN * 2 / w,
            1 - y / h,
            "National multistakeholder Internet governance in SEE+: the Multi-SEE model",
            ha="left",
            va="top",
            fontsize=18,
            color=MUTED,
        )
        y += 0.75
        for i, m in enumerate(MECHANISMS, start=1):
            fig.add_artist(
                Rectangle(
                    (MARGIN * 2 / w, 1 - (y + 0.3) / h),
                    0.28 / w,
                    0.28 / h,
                    facecolor=MECHANISM_COLOURS[m],
                    edgecolor="none",
                    transform=fig.transFigure,
                )
            )
            fig.text(
                (MARGIN * 2 + 0.45) / w,
                1 - (y + 0.16) / h,
                f"{i}. {MECHANISM_NAMES[m]}",
                ha="left",
                va="center",
                fontsize=20,
                color=INK,
            )
            y += 0.55
        y += 0.3
        accessed = deck.tables.sources.get("accessed")
        last_access = str(accessed.dropna().max()) if accessed is not None else ""
        facts = [
            f"{deck.note} Data up to {deck.data_year}; maps for {deck.year}",
            f"Jurisdictions: {deck.label}",
            f"Data hash {deck.tables.data_hash[:12]}"
            + (f"; sources accessed up to {last_access}" if last_access else ""),
        ]
        for line in facts:
            wrapped = "\n".join(textwrap.wrap(line, 95))
            fig.text(
                MARGIN * 2 / w,
                1 - y / h,
                wrapped,
                ha="left",
                va="top",
                fontsize=16,
                color=INK,
                parse_math=False,
            )
            y += 0.4 * (wrapped.count("\n") + 1)
        fig.text(
            1 - MARGIN * 2 / w,
            0.55 / h + (FOOT_LINE if deck.has_kosovo else 0) / h,
            "multisee: open research workbench",
            ha="right",
            va="bottom",
            fontsize=20,
            fontweight="bold",
            color=MECHANISM_COLOURS["cctld"],
        )
        deck.foot(fig)

    return draw


#: Widths (inches) of the comparison page: row labels, one mechanism column, score and rank
#: axes, the printed score and rank to the right.
_LABELS_W, _CELL_W, _SCORE_W, _RANK_W, _GAP = 2.7, 1.2, 1.7, 1.4, 0.25


def comparison_page(deck: Deck) -> Page:
    """States (with confidence marks, weak evidence hatched), scores and rank intervals."""

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(
            fig,
            f"Comparison, {deck.year}: {deck.label}",
            "Multi-SEE index: mean of the three mechanism scores (weights 1/3); "
            "low–high: unknown and recalled facts scored 0 / 1",
        )
        table = rank_order(compare(deck.codes, deck.year, deck.tables))
        foot = deck.foot(fig)
        notes_h = 0.5
        top, bottom = h - 1.55, foot + notes_h + 0.85
        n = len(table)
        row_h = min(0.45, (top - bottom) / max(n, 1))
        scale = min(_scale(row_h), 1.2)
        height = n * row_h
        x = MARGIN + _LABELS_W
        matrix = fig.add_axes(((x) / w, (top - height) / h, 3 * _CELL_W / w, height / h))
        x += 3 * _CELL_W + _GAP
        score = fig.add_axes((x / w, (top - height) / h, _SCORE_W / w, height / h))
        x += _SCORE_W + _GAP
        rank = fig.add_axes((x / w, (top - height) / h, _RANK_W / w, height / h))
        names = deck.tables.countries.set_index("code")["name"]
        codes = [str(c) for c in table["country"]]
        labels = [f"{names.get(c, c)} ({display_code(c)})" for c in codes]
        draw_rank_intervals(score, rank, table, labels=[""] * n, numbers=True, scale=scale)
        draw_state_matrix(
            matrix,
            table.set_index("country")[list(MECHANISMS)],
            labels=labels,
            confidence=deck.confidence,
            weak=deck.weak,
            scale=scale,
        )
        score.tick_params(axis="y", length=0)
        matrix.tick_params(axis="x", labelsize=10)
        score.set_xlabel("index (0–1)", fontsize=11)
        rank.set_xlabel("rank (1 = best)", fontsize=11)
        fig.legend(
            handles=rank_legend(False),
            loc="lower right",
            bbox_to_anchor=(1 - MARGIN / w, (foot + notes_h - 0.05) / h),
            ncol=2,
            fontsize=10,
            frameon=False,
        )
        n_core = int(deck.panel.loc[deck.panel["scope_role"] == "core", "country"].nunique())
        note = (
            f"{deck.note} Confidence of each state: ● sourced  ◐ inferred  ○ recalled.  Hatched "
            "cell: weak evidence (unknown, recalled, inferred or low-reliability).  Ranks "
            f"(1 = best) among the {n_core} core jurisdictions: =N when shared, (best–worst "
            "attainable); reference cases are not ranked."
        )
        fig.text(
            MARGIN / w,
            (foot + 0.05) / h,
            "\n".join(textwrap.wrap(note, 150)),
            ha="left",
            va="bottom",
            fontsize=10,
            color=MUTED,
        )

    return draw


def _year_line(fig: Figure, deck: Deck) -> float:
    """The footer and, above it, the deck's year note; returns the height used (inches)."""
    w, h = fig.get_size_inches()
    foot = deck.foot(fig)
    fig.text(
        MARGIN / w, (foot + 0.02) / h, deck.note, ha="left", va="bottom", fontsize=10, color=MUTED
    )
    return foot + 0.3


def deck_events(deck: Deck) -> pd.DataFrame:
    """The events of the deck's timeline: :func:`analysis.events.events` of its selection."""
    return events(deck.codes, deck.tables)


def timeline_pages(deck: Deck) -> list[Page]:
    """Two pages: the diffusion curves of the selection, and its dated events."""

    def curves(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(
            fig,
            f"Diffusion: {deck.label}",
            f"How many of the {len(deck.codes)} selected jurisdictions had each mechanism, year "
            f"by year (grey: if every unknown were adopted; dotted: {deck.year})",
        )
        foot = _year_line(fig, deck)
        bottom, top = foot + 1.05, h - 1.55
        left, gap = MARGIN + 0.75, 0.35
        width = (w - left - MARGIN - 2 * gap) / 3
        axes: list[Axes] = []
        for i in range(len(MECHANISMS)):
            rect = ((left + i * (width + gap)) / w, bottom / h, width / w, (top - bottom) / h)
            axes.append(fig.add_axes(rect, sharey=axes[0] if axes else None))
        draw_diffusion(axes, diffusion(deck.panel, core=deck.codes), mark_year=deck.year, scale=1.3)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, foot / h),
            ncol=3,
            fontsize=12,
            frameon=False,
        )

    def key_events(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        ev = deck_events(deck)
        page_title(
            fig,
            f"Key events: {deck.label}",
            "ccTLD delegations and redelegations, first national IGF edition, MS bodies founded "
            f"(hollow: inferred or recalled; dotted: {deck.year})",
        )
        foot = _year_line(fig, deck)
        bottom, top = foot + 1.0, h - 1.3
        left = MARGIN + _LABELS_W
        n = len(deck.codes)
        scale = _scale((top - bottom) / max(n, 1), 22.0)
        ax = fig.add_axes((left / w, bottom / h, (w - left - MARGIN) / w, (top - bottom) / h))
        start = float(deck.panel["year"].min())
        if not ev.empty:
            start = min(start, float(np.floor(ev["when"].min())))
        draw_events(
            ax,
            ev,
            deck.codes,
            start,
            deck.data_year,
            labels=deck.row_labels(),
            mark_year=deck.year,
            scale=scale,
        )
        fig.legend(
            handles=event_legend(),
            loc="lower center",
            bbox_to_anchor=(0.5, foot / h),
            ncol=5,
            fontsize=11,
            frameon=False,
        )

    return [curves, key_events]


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


def deck_sources(deck: Deck) -> pd.DataFrame:
    """The sources cited by the records of the selected jurisdictions."""
    keep = set(deck.codes)
    frames = [
        df[df["country"].isin(keep)]
        for df in deck.tables.as_dict().values()
        if not df.empty and "country" in df.columns
    ]
    c = deck.tables.countries
    frames.append(c[c["code"].isin(keep)])
    return cited_sources(frames, deck.tables)


def sources_pages(deck: Deck) -> list[Page]:
    sources = deck_sources(deck)
    w, h = PAGE_SIZE
    chars = int((w - 2 * MARGIN) * 72 / (_SRC_PT * 0.602))
    entries = _source_entries(sources, chars) if not sources.empty else [["No sources cited."]]
    line_h = _SRC_PT * 1.28 / 72
    top, bottom = h - 1.15, 0.5 + (FOOT_LINE if deck.has_kosovo else 0.0)
    per_page = max(int((top - bottom) / line_h), 1)
    # Pages of whole entries: an entry never straddles two pages.
    chunks: list[list[str]] = [[]]
    for entry in entries:
        if chunks[-1] and len(chunks[-1]) + len(entry) > per_page:
            chunks.append([])
        chunks[-1].extend(entry)
    total = len(chunks)
    pages: list[Page] = []
    for k, chunk in enumerate(chunks, start=1):

        def draw(fig: Figure, chunk: list[str] = chunk, k: int = k) -> None:
            more = f" ({k}/{total})" if total > 1 else ""
            page_title(
                fig,
                f"Sources{more}",
                f"{len(sources)} sources cited by the records of {deck.label}: id, title, URL "
                "as archived",
            )
            for i, line in enumerate(chunk):
                fig.text(
                    MARGIN / w,
                    (top - i * line_h) / h,
                    line,
                    ha="left",
                    va="top",
                    fontsize=_SRC_PT,
                    family=MONO,
                    color=INK,
                    parse_math=False,
                )
            deck.foot(fig, source=False)

        pages.append(draw)
    return pages
