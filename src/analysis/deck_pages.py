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
    rank_order,
)
from .load import Tables
from .panel import diffusion
from .profile import cited_sources
from .selection import resolve_period, year_note
from .vocab import (
    BOUNDARY_NOTE,
    INK,
    MECHANISM_COLOURS,
    MECHANISM_NAMES,
    MECHANISMS,
    MUTED,
    SOURCE_LINE,
    display_code,
)

__all__ = [
    "PAGE_SIZE",
    "Deck",
    "Page",
    "comparison_page",
    "deck_events",
    "deck_sources",
    "page_number",
    "page_title",
    "row_label",
    "source_entries",
    "sources_pages",
    "timeline_pages",
    "title_page",
]

#: Page size in inches: 16:9 landscape (a widescreen slide).
PAGE_SIZE: tuple[float, float] = (13.333, 7.5)
MARGIN = 0.3  # page margin, inches
#: The smallest type on any page: read from the back of the room (16:9 at 13.333 x 7.5 in).
MIN_PT = 14.0
FOOT_PT = MIN_PT
FOOT_LINE = FOOT_PT * 1.3 / 72
MONO = "DejaVu Sans Mono"
#: Where the sources slide points by default: the site's sources page, relative to the project.
SOURCES_URL = "reports/sources.html"
#: The gid of each page's title text (read back for the PPTX slide titles).
TITLE_GID = "deck-title"

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
    sources_url: str = SOURCES_URL
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
        return [row_label(self.tables, c) for c in self.codes]


def row_label(tables: Tables, code: str) -> str:
    """``Name (CODE)``; Kosovo*'s name carries the asterisk already: ``Kosovo* (XK)``."""
    name = str(tables.countries.set_index("code")["name"].get(code, code))
    return f"{name} ({code})" if name.endswith("*") else f"{name} ({display_code(code)})"


def plain_label(label: str) -> str:
    """A selection label without the doubled asterisk of ``Kosovo* (XK*)``."""
    return label.replace("* (XK*)", "* (XK)")


# --------------------------------------------------------------------------- page helpers


def fit(text: str, size: float, width_in: float, em: float = 0.58) -> float:
    """A font size <= ``size`` (and >= :data:`MIN_PT`) at which ``text`` fits in ``width_in``."""
    need = len(text) * em * size / 72
    return size if need <= width_in else max(size * width_in / need, MIN_PT)


def wrap_to(text: str, size: float, width_in: float, em: float = 0.56) -> str:
    """``text`` wrapped to lines fitting ``width_in`` at ``size`` points."""
    chars = max(int(width_in * 72 / (size * em)), 20)
    return "\n".join(textwrap.wrap(text, chars, break_on_hyphens=False)) or text


def page_title(fig: Figure, title: str, subtitle: str = "") -> None:
    w, h = fig.get_size_inches()
    room = w - 2 * MARGIN
    fig.text(
        MARGIN / w,
        1 - 0.22 / h,
        title,
        ha="left",
        va="top",
        fontsize=fit(title, 26, room, 0.62),
        fontweight="bold",
        color=INK,
        parse_math=False,
        gid=TITLE_GID,
    )
    if subtitle:
        fig.text(
            MARGIN / w,
            1 - 0.7 / h,
            wrap_to(subtitle, MIN_PT, room),
            ha="left",
            va="top",
            fontsize=MIN_PT,
            color=MUTED,
            parse_math=False,
        )


def page_number(fig: Figure, number: int, total: int) -> None:
    w, h = fig.get_size_inches()
    fig.text(
        1 - MARGIN / w,
        0.14 / h,
        f"{number}/{total}",
        ha="right",
        va="bottom",
        fontsize=MIN_PT,
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
            gid=TITLE_GID,
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
            f"Jurisdictions: {plain_label(deck.label)}",
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
        foot = deck.foot(fig)
        fig.text(
            1 - MARGIN * 2 / w,
            (foot + 0.1) / h,
            "multisee: open research workbench",
            ha="right",
            va="bottom",
            fontsize=20,
            fontweight="bold",
            color=MECHANISM_COLOURS["cctld"],
        )

    return draw


#: Widths (inches) of the comparison page: row labels, one mechanism column, the score axes,
#: a slim rank axes (hidden: its intervals are printed as text to its right).
_LABELS_W, _CELL_W, _SCORE_W, _RANK_W, _GAP = 3.2, 1.45, 2.6, 0.05, 0.25


def comparison_page(deck: Deck) -> Page:
    """States (with confidence marks, weak evidence hatched), score intervals and ranks.

    Projector layout: four columns (the three mechanism states and the index interval) and the
    rank printed beside them, ``=N`` when shared, with its best–worst range.
    """

    period = resolve_period(None if deck.year_is_default else deck.year, deck.panel, deck.tables)

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        n_core = int(deck.panel.loc[deck.panel["scope_role"] == "core", "country"].nunique())
        page_title(
            fig,
            f"Comparison, {period.label}: {plain_label(deck.label)}",
            "● sourced  ◐ inferred  ○ recalled · hatched: weak evidence · index 0–1 with "
            f"low–high bounds · rank among {n_core} core jurisdictions (=N: shared)",
        )
        table = rank_order(compare(deck.codes, deck.year, deck.tables, period=period))
        foot = deck.foot(fig)
        # the year note and what the ranking measures (year rule, window, reason)
        note = wrap_to(f"{deck.note} {period.note}", MIN_PT, w - 2 * MARGIN)
        top, bottom = h - 1.55, foot + 0.45 + (note.count("\n") + 1) * MIN_PT * 1.3 / 72
        n = len(table)
        row_h = min(0.42, (top - bottom) / max(n, 1))
        scale = MIN_PT / 9.0
        height = n * row_h
        y0 = top - height
        x = MARGIN + _LABELS_W
        matrix = fig.add_axes((x / w, y0 / h, 3 * _CELL_W / w, height / h))
        x += 3 * _CELL_W + _GAP
        score = fig.add_axes((x / w, y0 / h, _SCORE_W / w, height / h))
        x += _SCORE_W + _GAP
        rank = fig.add_axes((x / w, y0 / h, _RANK_W / w, height / h))
        codes = [str(c) for c in table["country"]]
        labels = [row_label(deck.tables, c) for c in codes]
        draw_rank_intervals(score, rank, table, labels=[""] * n, numbers=False, scale=scale)
        draw_state_matrix(
            matrix,
            table.set_index("country")[list(MECHANISMS)],
            labels=labels,
            confidence=deck.confidence,
            weak=deck.weak,
            scale=scale,
        )
        for artist in [*rank.lines, *rank.collections, *rank.patches]:
            artist.set_visible(False)
        rank.axis("off")
        rank.set_title("")
        score.set_title("")
        score.tick_params(axis="y", length=0)
        score.set_xticks([0, 0.5, 1], ["0", "0.5", "1"])
        matrix.xaxis.set_ticks_position("top")
        matrix.tick_params(axis="both", labelsize=MIN_PT, length=0)
        score.tick_params(axis="x", labelsize=MIN_PT)
        score.set_xlabel("Multi-SEE index", fontsize=MIN_PT)
        fig.text(
            (x + 0.1) / w,
            (top + 0.08) / h,
            "rank",
            ha="left",
            va="bottom",
            fontsize=MIN_PT,
            color=INK,
        )
        fig.text(
            MARGIN / w,
            (foot + 0.05) / h,
            note,
            ha="left",
            va="bottom",
            fontsize=MIN_PT,
            color=MUTED,
            linespacing=1.3,
        )

    return draw


def _year_line(fig: Figure, deck: Deck) -> float:
    """The footer and, above it, the deck's year note; returns the height used (inches)."""
    w, h = fig.get_size_inches()
    foot = deck.foot(fig)
    fig.text(
        MARGIN / w,
        (foot + 0.02) / h,
        deck.note,
        ha="left",
        va="bottom",
        fontsize=MIN_PT,
        color=MUTED,
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
            f"Diffusion: {plain_label(deck.label)}",
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
        draw_diffusion(axes, diffusion(deck.panel, core=deck.codes), mark_year=deck.year, scale=1.4)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="lower center",
            bbox_to_anchor=(0.5, foot / h),
            ncol=3,
            fontsize=MIN_PT,
            frameon=False,
        )

    def key_events(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        ev = deck_events(deck)
        page_title(
            fig,
            f"Key events: {plain_label(deck.label)}",
            "ccTLD delegations and redelegations, first national IGF edition, MS bodies founded "
            f"(hollow: inferred or recalled; dotted: {deck.year})",
        )
        foot = _year_line(fig, deck)
        bottom, top = foot + 1.25, h - 1.3
        left = MARGIN + _LABELS_W
        n = len(deck.codes)
        scale = max(_scale((top - bottom) / max(n, 1), 22.0), MIN_PT / 10)
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
            ncol=3,
            fontsize=MIN_PT,
            frameon=False,
        )

    return [curves, key_events]


def source_entries(sources: pd.DataFrame) -> list[str]:
    """Each source as one line ``id  title  URL`` (the PPTX notes of the sources slide)."""
    entries: list[str] = []
    for src in sources.itertuples(index=False):
        where = getattr(src, "url", None)
        if where is None or (not isinstance(where, str) and pd.isna(where)):
            repo = getattr(src, "repository", None)
            path = getattr(src, "repo_path", None) or getattr(src, "path", None)
            where = f"repository {repo}, {path}" if isinstance(repo, str) else str(path or "")
        title = re.sub(r"\s+", " ", str(src.title)).strip()
        entries.append(f"{src.id}  {title}  {where}")
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


#: The gid of the QR code image on the sources slide.
QR_GID = "deck-sources-qr"


def qr_image(text: str) -> np.ndarray:
    """A QR code of ``text`` as a 2-D array (1 = dark), with its quiet zone."""
    import qrcode  # type: ignore[import-untyped]

    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return np.array(code.get_matrix(), dtype=float)


def sources_pages(deck: Deck) -> list[Page]:
    """ONE sources slide: how many sources, the link to the sources page (clickable) and its QR
    code, the data, boundary and Kosovo* notes. The full list lives on the sources page."""
    sources = deck_sources(deck)

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        url = deck.sources_url
        page_title(
            fig,
            "Sources",
            f"{len(sources)} sources cited by the records of {plain_label(deck.label)}",
        )
        qr_side = 3.6
        ax = fig.add_axes(
            ((w - MARGIN - qr_side) / w, (h - 1.45 - qr_side) / h, qr_side / w, qr_side / h)
        )
        ax.imshow(qr_image(url), cmap="gray_r", interpolation="nearest", vmin=0, vmax=1)
        ax.set_axis_off()
        ax.images[0].set_gid(QR_GID)
        ax.images[0].set_url(url)
        text_w = w - 3 * MARGIN - qr_side
        y = 1.6
        fig.text(
            MARGIN / w,
            1 - y / h,
            "Every source, its title, link and archived copy:",
            ha="left",
            va="top",
            fontsize=20,
            color=INK,
        )
        y += 0.55
        fig.text(
            MARGIN / w,
            1 - y / h,
            url,
            ha="left",
            va="top",
            fontsize=fit(url, 24, text_w, 0.62),
            color=MECHANISM_COLOURS["cctld"],
            url=url,
            gid="deck-sources-link",
            parse_math=False,
        )
        y += 0.75
        notes = [
            f"Data: {SOURCE_LINE}; data hash {deck.tables.data_hash[:12]}.",
            BOUNDARY_NOTE,
        ]
        for note in notes:
            wrapped = wrap_to(note, 16, text_w)
            fig.text(
                MARGIN / w,
                1 - y / h,
                wrapped,
                ha="left",
                va="top",
                fontsize=16,
                color=INK,
                parse_math=False,
            )
            y += 0.32 * (wrapped.count("\n") + 1) + 0.25
        deck.foot(fig, source=False)

    return [draw]
