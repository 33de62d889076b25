"""The session deck's pages other than maps: title, comparison, timeline and sources.

Page layout only: the comparison page draws :func:`analysis.products.figures.draw_state_matrix` and
:func:`analysis.products.figures.draw_rank_intervals` into the page's axes, the timeline pages
:func:`analysis.products.figures.draw_diffusion` and :func:`analysis.products.figures.draw_events` with the events
of :func:`analysis.measures.events.events`, so the deck and the notebooks show the same things.

Each page is a :class:`Slide`: a function drawing onto a blank :data:`PAGE_SIZE` figure (the PDF
page) and what the editable PPTX slide holds (:mod:`analysis.products.deck_pptx`): its title and subtitle,
bullets, a table, the alt text of its picture, footnotes and speaker notes, all from the same
data. :mod:`analysis.products.deck` puts them together with the map pages. More than
:data:`ROWS_PER_SLIDE` jurisdictions are split over several comparison and event slides.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.measures.comparison import compare
from analysis.measures.events import EVENT_KINDS, events
from analysis.measures.panel import diffusion
from analysis.measures.profile import cited_sources
from analysis.measures.selection import Period, resolve_period, year_note
from analysis.model.load import Tables
from analysis.model.vocab import (
    ADOPTED_LABELS,
    BOUNDARY_NOTE,
    CONFIDENCE_MARKS,
    INK,
    KOSOVO_FOOTNOTE,
    MECHANISM_COLOURS,
    MECHANISM_LABELS,
    MECHANISM_NAMES,
    MECHANISMS,
    MUTED,
    SOURCE_LINE,
    STATE_LABELS,
    display_code,
)
from analysis.products.figures import (
    NOT_RANKED,
    draw_diffusion,
    draw_events,
    draw_rank_intervals,
    draw_state_matrix,
    event_legend,
    rank_order,
)

__all__ = [
    "NATIVE_GIDS",
    "PAGE_SIZE",
    "ROWS_PER_SLIDE",
    "Deck",
    "Page",
    "Slide",
    "chunks",
    "comparison_pages",
    "deck_events",
    "deck_sources",
    "page_number",
    "page_title",
    "qr_png",
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
WHY_PT = 15.0  # the why slide's sentences
FOOT_PT = MIN_PT
FOOT_LINE = FOOT_PT * 1.3 / 72
MONO = "DejaVu Sans Mono"
#: The page of the site listing every source (under :func:`analysis.model.release.site_url`).
SOURCES_PAGE = "sources.html"
#: Where the sources are when no public site address is set: the files ``make reports`` writes.
LOCAL_SOURCES = (
    "reports/sources.html (the site built by make reports) and reports/data/sources.csv "
    "(the data package)"
)
#: The gids of the texts the PPTX slide carries as native text (hidden from its picture): the
#: title, subtitle, year note, page number and footnotes.
TITLE_GID = "deck-title"
SUBTITLE_GID = "deck-subtitle"
NOTE_GID = "deck-year-note"
NUMBER_GID = "deck-page-number"
FOOT_GID = "multisee-footnote"
NATIVE_GIDS = frozenset({TITLE_GID, SUBTITLE_GID, NOTE_GID, NUMBER_GID, FOOT_GID})
#: At most this many jurisdictions on one comparison or events slide (rows >= 14 pt apart).
ROWS_PER_SLIDE = 11
#: The boundary credit of the map pages (the full :data:`analysis.model.vocab.BOUNDARY_NOTE` is on the
#: sources slide).
MAP_BOUNDARY_NOTE = "Boundaries: Natural Earth 1:10m (public domain), simplified; EPSG:3035."
#: The caveat every data slide's notes end with.
CAVEAT = (
    "Caveat: hatched or hollow marks rest on weak evidence (a recalled or inferred fact, or only "
    "low-reliability sources); unknown stays unknown, and a missing record is not evidence of "
    "absence."
)

Page = Callable[[Figure], None]
#: A native table: header and rows of cell texts.
Table = tuple[list[str], list[list[str]]]


@dataclass
class Slide:
    """One page of the deck. ``draw`` lays it out on a blank :data:`PAGE_SIZE` figure (the PDF
    page; calling the slide draws it). The rest is what the editable PPTX slide holds: ``title``
    and ``subtitle``, ``bullets`` (native text), ``table`` (a native table), ``alt`` (the alt text
    of its picture: ``picture``'s PNG when given, else the drawn page without its native texts;
    empty: no picture), ``footnotes`` and the speaker ``notes``."""

    draw: Page
    title: str
    subtitle: str = ""
    notes: str = ""
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None
    alt: str = ""
    picture: bytes | None = None
    footnotes: list[str] = field(default_factory=list)

    def __call__(self, fig: Figure) -> None:
        self.draw(fig)


@dataclass
class Deck:
    """What every page needs: the data, the selection, the years and the site address.

    ``site_url`` is the public address of the built site (:func:`analysis.model.release.site_url`),
    ``None`` when none is set. ``confidence`` and ``weak`` are the confidence and the
    weak-evidence cells, keyed (country, mechanism), of the deck's year.
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
    site_url: str | None = None
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
        """The year note of the deck (:func:`analysis.measures.selection.year_note`)."""
        return year_note(self.year, self.year_is_default)

    @property
    def sources_link(self) -> str | None:
        """``<site_url>/sources.html``; ``None`` without a site address."""
        return f"{self.site_url.rstrip('/')}/{SOURCES_PAGE}" if self.site_url else None

    def footnotes(self, source: bool = True, boundaries: bool = False) -> list[str]:
        """The page's footnotes: the source line, the boundary credit (map pages) and, when
        Kosovo* is selected, the Kosovo* footnote."""
        notes: list[str] = []
        if source:
            notes.append(
                "Source: multisee dataset (data/countries/*.yaml, CC BY 4.0); "
                f"data hash {self.tables.data_hash[:12]}."
            )
        if boundaries:
            notes.append(MAP_BOUNDARY_NOTE)
        if self.has_kosovo:
            notes.append(KOSOVO_FOOTNOTE)
        return notes

    def foot(self, fig: Figure, source: bool = True, boundaries: bool = False) -> float:
        """Draw :meth:`footnotes` at the foot of ``fig``, each wrapped to the page at
        :data:`MIN_PT`; return the height used (inches)."""
        w, h = fig.get_size_inches()
        room = w - 2 * MARGIN - 0.6  # the page number sits at the right
        y = 0.12
        for note in reversed(self.footnotes(source, boundaries)):
            text = wrap_to(note, FOOT_PT, room, 0.55)
            fig.text(
                MARGIN / w,
                y / h,
                text,
                ha="left",
                va="bottom",
                fontsize=FOOT_PT,
                color="#333333",
                gid=FOOT_GID,
                parse_math=False,
                linespacing=1.15,
            )
            y += (text.count("\n") + 1) * FOOT_LINE
        return y + 0.08

    def row_labels(self, codes: Sequence[str] | None = None) -> list[str]:
        return [row_label(self.tables, c) for c in (self.codes if codes is None else codes)]

    def name(self, code: str) -> str:
        """The jurisdiction's name (Kosovo* with its asterisk)."""
        return str(self.tables.countries.set_index("code")["name"].get(code, code))


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
            gid=SUBTITLE_GID,
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
        gid=NUMBER_GID,
    )


def wrap_label(text: str, width: int = 28) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _scale(row_h: float, points: float = 20.0) -> float:
    """A font scale for rows ``row_h`` inches apart (1 = the notebooks' figures)."""
    return float(np.clip(row_h * 72 / points, 0.9, 1.4))


def chunks(items: Sequence[str], size: int = ROWS_PER_SLIDE) -> list[list[str]]:
    """``items`` split into the fewest runs of at most ``size``, as even as possible (21 rows:
    11 + 10)."""
    items = list(items)
    if not items:
        return [[]]
    n = -(-len(items) // size)
    per = -(-len(items) // n)
    return [items[i : i + per] for i in range(0, len(items), per)]


def _part(title: str, i: int, n: int) -> str:
    return f"{title} ({i}/{n})" if n > 1 else title


def _count_words(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --------------------------------------------------------------------------- pages


def title_page(deck: Deck) -> Slide:
    accessed = deck.tables.sources.get("accessed")
    last_access = str(accessed.dropna().max()) if accessed is not None else ""
    facts = [
        f"{deck.note} Data up to {deck.data_year}; maps for {deck.year}",
        f"Jurisdictions: {plain_label(deck.label)}",
        f"Data hash {deck.tables.data_hash[:12]}"
        + (f"; sources accessed up to {last_access}" if last_access else ""),
    ]
    subtitle = "National multistakeholder Internet governance in SEE+: the Multi-SEE model"
    mechanisms = [f"{i}. {MECHANISM_NAMES[m]}" for i, m in enumerate(MECHANISMS, start=1)]

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
        fig.text(MARGIN * 2 / w, 1 - y / h, subtitle, ha="left", va="top", fontsize=18, color=MUTED)
        y += 0.75
        for m, line in zip(MECHANISMS, mechanisms, strict=True):
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
                line,
                ha="left",
                va="center",
                fontsize=20,
                color=INK,
            )
            y += 0.55
        y += 0.3
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

    notes = (
        f"Title. The deck compares {_count_words(len(deck.codes), 'jurisdiction')} "
        f"({plain_label(deck.label)}) on three national multistakeholder mechanisms: "
        f"{'; '.join(MECHANISM_NAMES[m] for m in MECHANISMS)}. Maps show {deck.year}; the data "
        f"run to {deck.data_year} (data hash {deck.tables.data_hash[:12]}).\n\n{CAVEAT}"
    )
    return Slide(
        draw,
        deck.session,
        subtitle,
        notes=notes,
        bullets=[*mechanisms, *facts],
        footnotes=deck.footnotes(),
    )


#: Widths (inches) of the comparison page: row labels, one mechanism column, the score axes,
#: a slim rank axes (hidden: its intervals are printed as text to its right).
_LABELS_W, _CELL_W, _SCORE_W, _RANK_W, _GAP = 3.2, 1.45, 2.6, 0.05, 0.25


def _state_cell(deck: Deck, code: str, mechanism: str, state: str) -> str:
    """A state as a table cell: its label, its confidence mark and, if weak, "(weak)"."""
    mark = CONFIDENCE_MARKS.get(str(deck.confidence.get((code, mechanism))), "")
    weak = " (weak)" if (code, mechanism) in deck.weak else ""
    return f"{STATE_LABELS.get(state, state)} {mark}".strip() + weak


def _rank_cell(row: pd.Series) -> str:
    if pd.isna(row["rank"]):
        return NOT_RANKED
    return f"{row['rank_label']} ({row['rank_best']}–{row['rank_worst']})"


def _score_cell(row: pd.Series) -> str:
    return f"{row['score']:.2f} ({row['low']:.2f}–{row['high']:.2f})"


def comparison_pages(deck: Deck) -> list[Slide]:
    """States (with confidence marks, weak evidence hatched), score intervals and ranks, best
    first, at most :data:`ROWS_PER_SLIDE` jurisdictions a slide.

    Projector layout: four columns (the three mechanism states and the index interval) and the
    rank printed beside them, ``=N`` when shared, with its best–worst range. The PPTX slide
    holds the same as a native table.
    """
    period = resolve_period(None if deck.year_is_default else deck.year, deck.panel, deck.tables)
    full = rank_order(compare(deck.codes, deck.year, deck.tables, period=period))
    n_core = int(deck.panel.loc[deck.panel["scope_role"] == "core", "country"].nunique())
    parts = chunks([str(c) for c in full["country"]])
    subtitle = (
        "● sourced  ◐ inferred  ○ recalled · hatched: weak evidence · index 0–1 with "
        f"low–high bounds · rank among {n_core} core jurisdictions (=N: shared)"
    )
    header = [
        "Jurisdiction",
        *(MECHANISM_LABELS[m] for m in MECHANISMS),
        "Multi-SEE index (low–high)",
        "Rank (best–worst)",
    ]
    slides: list[Slide] = []
    for k, codes in enumerate(parts, start=1):
        table = full[full["country"].isin(codes)].reset_index(drop=True)
        title = _part(f"Comparison, {period.label}: {plain_label(deck.label)}", k, len(parts))
        rows = [
            [
                row_label(deck.tables, str(r["country"])),
                *(_state_cell(deck, str(r["country"]), m, str(r[m])) for m in MECHANISMS),
                _score_cell(r),
                _rank_cell(r),
            ]
            for _, r in table.iterrows()
        ]
        slides.append(
            Slide(
                _comparison_draw(deck, table, title, subtitle, period),
                title,
                subtitle,
                notes=f"{_comparison_notes(deck, table, full, k, len(parts))}\n\n{period.note}",
                table=(header, rows),
                footnotes=[f"{deck.note} {period.note}", *deck.footnotes()],
            )
        )
    return slides


def _comparison_notes(deck: Deck, table: pd.DataFrame, full: pd.DataFrame, k: int, n: int) -> str:
    first = int(full.index[full["country"] == table["country"].iloc[0]][0]) + 1
    lines = [
        f"What it shows: the states of the three mechanisms in {deck.year} and the Multi-SEE "
        f"index (0–1) with its low–high bounds and rank interval, best first"
        + (
            f"; jurisdictions {first}–{first + len(table) - 1} of {len(full)} (slide {k}/{n})."
            if n > 1
            else "."
        )
    ]
    ranked = table.dropna(subset=["rank"])
    if not ranked.empty:
        top, low = ranked.iloc[0], ranked.iloc[-1]
        lines.append(
            f"Highest here: {deck.name(str(top['country']))}, index {_score_cell(top)}, rank "
            f"{_rank_cell(top)}. Lowest here: {deck.name(str(low['country']))}, index "
            f"{_score_cell(low)}, rank {_rank_cell(low)}."
        )
    wide = table.assign(width=table["high"] - table["low"]).sort_values("width").iloc[-1]
    lines.append(
        f"Widest bounds: {deck.name(str(wide['country']))} ({wide['low']:.2f}–{wide['high']:.2f}): "
        "the low bound counts every unknown as absent, the high bound as present."
    )
    lines.append(CAVEAT)
    return "\n\n".join(lines)


def _comparison_draw(
    deck: Deck, table: pd.DataFrame, title: str, subtitle: str, period: Period
) -> Page:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
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
        draw_rank_intervals(score, rank, table, labels=[""] * n, numbers=False, scale=scale)
        draw_state_matrix(
            matrix,
            table.set_index("country")[list(MECHANISMS)],
            labels=deck.row_labels(codes),
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
            gid=NOTE_GID,
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
        gid=NOTE_GID,
    )
    return foot + 0.3


def deck_events(deck: Deck) -> pd.DataFrame:
    """The events of the deck's timeline: :func:`analysis.measures.events.events` of its selection."""
    return events(deck.codes, deck.tables)


def timeline_pages(deck: Deck) -> list[Slide]:
    """The diffusion curves of the selection, and its dated events (at most
    :data:`ROWS_PER_SLIDE` jurisdictions a slide)."""
    return [_curves_slide(deck), *_event_slides(deck)]


def _curves_slide(deck: Deck) -> Slide:
    title = f"Diffusion: {plain_label(deck.label)}"
    subtitle = (
        f"How many of the {len(deck.codes)} selected jurisdictions had each mechanism, year "
        f"by year (grey: if every unknown were adopted; dotted: {deck.year})"
    )
    diff = diffusion(deck.panel, core=deck.codes)

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
        foot = _year_line(fig, deck)
        bottom, top = foot + 1.05, h - 1.55
        left, gap = MARGIN + 0.75, 0.35
        width = (w - left - MARGIN - 2 * gap) / 3
        axes: list[Axes] = []
        for i in range(len(MECHANISMS)):
            rect = ((left + i * (width + gap)) / w, bottom / h, width / w, (top - bottom) / h)
            axes.append(fig.add_axes(rect, sharey=axes[0] if axes else None))
        draw_diffusion(axes, diff, mark_year=deck.year, scale=1.4)
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

    now = diff[diff["year"] == deck.year].set_index("mechanism")
    start, end = int(diff["year"].min()), int(diff["year"].max())
    counts = [
        f"{MECHANISM_LABELS[m]} {int(now.loc[m, 'adopted'])} (+{int(now.loc[m, 'unknown'])} "
        "unknown)"
        for m in MECHANISMS
        if m in now.index
    ]
    firsts = []
    for m in MECHANISMS:
        years = diff[(diff["mechanism"] == m) & (diff["adopted"] > 0)]["year"]
        if not years.empty:
            firsts.append(f"{MECHANISM_LABELS[m]} {int(years.min())}")
    alt = (
        f"Three line charts, one per mechanism, {start}–{end}: how many of the "
        f"{len(deck.codes)} selected jurisdictions ({plain_label(deck.label)}) had each "
        f"mechanism. In {deck.year}: {', '.join(counts)}."
    )
    notes = "\n\n".join(
        [
            f"What it shows: year by year, how many of the {len(deck.codes)} selected "
            f"jurisdictions had each mechanism ({'; '.join(ADOPTED_LABELS[m] for m in MECHANISMS)})"
            "; the grey band is where the count would be if every unknown were adopted.",
            f"Numbers in {deck.year}: {', '.join(counts)}. First adopter: "
            f"{', '.join(firsts) or 'none'}.",
            CAVEAT,
        ]
    )
    return Slide(
        draw,
        title,
        subtitle,
        notes=notes,
        alt=alt,
        footnotes=[deck.note, *deck.footnotes()],
    )


def _event_slides(deck: Deck) -> list[Slide]:
    ev = deck_events(deck)
    parts = chunks(deck.codes)
    subtitle = (
        "ccTLD delegations and redelegations, first national IGF edition, MS bodies founded "
        f"(hollow: inferred or recalled; dotted: {deck.year})"
    )
    start = float(deck.panel["year"].min())
    if not ev.empty:
        start = min(start, float(np.floor(ev["when"].min())))
    slides = []
    for k, codes in enumerate(parts, start=1):
        title = _part(f"Key events: {plain_label(deck.label)}", k, len(parts))
        mine = ev[ev["country"].isin(codes)] if not ev.empty else ev
        kinds = [
            _count_words(int((mine["kind"] == kind).sum()), label.split(" / ")[0], label)
            for kind, (label, _mk, _c) in EVENT_KINDS.items()
            if not mine.empty and (mine["kind"] == kind).any()
        ]
        names = ", ".join(deck.name(c) for c in codes)
        alt = (
            f"Timeline {int(start)}–{deck.data_year}, one row per jurisdiction ({names}): "
            f"{len(mine)} dated events" + (f" ({'; '.join(kinds)})" if kinds else "") + "."
        )
        per_row = []
        for c in codes:
            rows = mine[mine["country"] == c].sort_values("when") if not mine.empty else mine
            items = [
                f"{EVENT_KINDS[str(r['kind'])][0]} {int(r['year'])}"
                + (
                    f" ({str(r['detail']).split(' ')[0]})"
                    if str(r["kind"]).startswith("cctld")
                    else ""
                )
                for _, r in rows.iterrows()
            ]
            per_row.append(f"{deck.name(c)}: {'; '.join(items) if items else 'no dated event'}.")
        notes = "\n\n".join(
            [
                "What it shows: the dated events of each jurisdiction, one row each; ccTLD "
                "events are labelled with the TLD."
                + (f" Jurisdictions {k}/{len(parts)}." if len(parts) > 1 else ""),
                "\n".join(per_row),
                CAVEAT,
            ]
        )
        slides.append(
            Slide(
                _events_draw(deck, ev, codes, start, title, subtitle),
                title,
                subtitle,
                notes=notes,
                alt=alt,
                footnotes=[deck.note, *deck.footnotes()],
            )
        )
    return slides


def _events_draw(
    deck: Deck, ev: pd.DataFrame, codes: list[str], start: float, title: str, subtitle: str
) -> Page:
    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
        foot = _year_line(fig, deck)
        bottom, top = foot + 1.45, h - 1.3
        left = MARGIN + _LABELS_W
        scale = max(_scale((top - bottom) / max(len(codes), 1), 22.0), MIN_PT / 10)
        ax = fig.add_axes((left / w, bottom / h, (w - left - MARGIN) / w, (top - bottom) / h))
        draw_events(
            ax,
            ev,
            codes,
            start,
            deck.data_year,
            labels=deck.row_labels(codes),
            mark_year=deck.year,
            scale=scale,
            label_pt=MIN_PT,
        )
        fig.legend(
            handles=event_legend(),
            loc="lower center",
            bbox_to_anchor=(0.5, foot / h),
            ncol=3,
            fontsize=MIN_PT,
            frameon=False,
        )

    return draw


def source_entries(sources: pd.DataFrame) -> list[str]:
    """Each source as one line ``id  title  URL``."""
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


def qr_png(text: str, module_px: int = 12) -> bytes:
    """The QR code of ``text`` as a black-on-white PNG, ``module_px`` pixels a module."""
    import io

    from matplotlib.image import imsave

    grid = np.kron(1.0 - qr_image(text), np.ones((module_px, module_px)))
    buf = io.BytesIO()
    imsave(buf, grid, cmap="gray", vmin=0, vmax=1, format="png")
    return buf.getvalue()


def _paragraph(
    fig: Figure, text: str, y: float, pt: float, width: float, colour: str, gap: float
) -> float:
    """``text`` wrapped to ``width`` inches at ``pt`` points, its top ``y`` inches below the
    page's top; returns where the next paragraph starts."""
    w, h = fig.get_size_inches()
    wrapped = wrap_to(text, pt, width)
    fig.text(
        MARGIN / w,
        1 - y / h,
        wrapped,
        ha="left",
        va="top",
        fontsize=pt,
        color=colour,
        parse_math=False,
    )
    return y + pt * 1.45 / 72 * (wrapped.count("\n") + 1) + gap


def why_pages(deck: Deck, sentences: Sequence[str]) -> list[Slide]:
    """ONE "why" slide: the drivers analysis's plain-language summary
    (:func:`analysis.measures.drivers.summary_sentences`), as many sentences as fit at :data:`WHY_PT`;
    all of them are the speaker notes, so a moderator can read them aloud."""
    if not sentences:
        return []
    title = "Why did some jurisdictions adopt earlier?"
    subtitle = "What the timing of adoption can and cannot tell (drivers analysis, all years)"
    w, h = PAGE_SIZE
    room = w - 2 * MARGIN - 0.35
    bottom = h - 1.25  # leave the foot to the footnotes and the "more in the notes" line
    placed: list[tuple[float, str]] = []  # (top, in inches below the page's top; wrapped text)
    y = 1.3
    for text in sentences:
        wrapped = wrap_to(text, WHY_PT, room)
        height = WHY_PT * 1.45 / 72 * (wrapped.count("\n") + 1) + 0.18
        if y + height > bottom:
            break
        placed.append((y, wrapped))
        y += height
    shown = list(sentences[: len(placed)])
    rest = len(sentences) - len(shown)

    def draw(fig: Figure) -> None:
        page_title(fig, title, subtitle)
        fw, fh = fig.get_size_inches()
        for top, wrapped in placed:
            fig.text(
                MARGIN / fw, 1 - top / fh, "\u2022", ha="left", va="top", fontsize=WHY_PT, color=INK
            )
            fig.text(
                (MARGIN + 0.3) / fw,
                1 - top / fh,
                wrapped,
                ha="left",
                va="top",
                fontsize=WHY_PT,
                color=INK,
                parse_math=False,
            )
        if rest:
            fig.text(
                (MARGIN + 0.3) / fw,
                1 - y / fh,
                f"{rest} more in the speaker notes.",
                ha="left",
                va="top",
                fontsize=MIN_PT,
                color=MUTED,
            )
        deck.foot(fig)

    more = f" {rest} more in the speaker notes." if rest else ""
    return [
        Slide(
            draw,
            title,
            subtitle,
            notes=" ".join(sentences) + more,
            bullets=list(shown) + ([f"{rest} more in the speaker notes"] if rest else []),
            footnotes=deck.footnotes(),
        )
    ]


def sources_pages(deck: Deck) -> list[Slide]:
    """ONE sources slide: how many sources and where they are listed. With a site address
    (:func:`analysis.model.release.site_url`): the link to ``<site_url>/sources.html`` (clickable)
    and its QR code; without one, where the files are, and no QR code."""
    sources = deck_sources(deck)
    link = deck.sources_link
    title = "Sources"
    subtitle = f"{len(sources)} sources cited by the records of {plain_label(deck.label)}"
    lead = "Every source, its title, link and archived copy:"
    where = link or LOCAL_SOURCES
    notes_text = [
        f"Data: {SOURCE_LINE}; data hash {deck.tables.data_hash[:12]}.",
        BOUNDARY_NOTE,
    ]

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        page_title(fig, title, subtitle)
        qr_side = 3.6
        text_w = w - 2 * MARGIN
        if link:
            ax = fig.add_axes(
                ((w - MARGIN - qr_side) / w, (h - 1.45 - qr_side) / h, qr_side / w, qr_side / h)
            )
            ax.imshow(qr_image(link), cmap="gray_r", interpolation="nearest", vmin=0, vmax=1)
            ax.set_axis_off()
            ax.images[0].set_gid(QR_GID)
            ax.images[0].set_url(link)
            text_w -= MARGIN + qr_side
        y = 1.6
        fig.text(MARGIN / w, 1 - y / h, lead, ha="left", va="top", fontsize=20, color=INK)
        y += 0.55
        if link:
            fig.text(
                MARGIN / w,
                1 - y / h,
                link,
                ha="left",
                va="top",
                fontsize=fit(link, 24, text_w, 0.62),
                color=MECHANISM_COLOURS["cctld"],
                url=link,
                gid="deck-sources-link",
                parse_math=False,
            )
            y += 0.75
        else:
            y = _paragraph(fig, where, y, 20, text_w, MECHANISM_COLOURS["cctld"], 0.35)
        for note in notes_text:
            y = _paragraph(fig, note, y, 16, text_w, INK, 0.25)
        deck.foot(fig, source=False)

    notes = (
        f"{len(sources)} sources are cited by the records of {plain_label(deck.label)}. "
        f"The full list (title, link, archived copy): {where}."
    )
    return [
        Slide(
            draw,
            title,
            subtitle,
            notes=notes,
            bullets=[f"{lead} {where}", *notes_text],
            alt=f"QR code linking to {link}" if link else "",
            picture=qr_png(link) if link else None,
            footnotes=deck.footnotes(source=False),
        )
    ]
