"""What every page of the session deck is built on: the slide and deck objects, the page and type
sizes, and the title, page number and footnotes every page carries.

Each page is a :class:`Slide`: a function drawing onto a blank :data:`PAGE_SIZE` figure (the PDF
page) and what the editable PPTX slide holds (:mod:`analysis.products.deck_pptx`): its title and
subtitle, bullets, a table, the alt text of its picture, footnotes and speaker notes, all from the
same data. The pages: :mod:`analysis.products.deck_text` (title, why),
:mod:`analysis.products.deck_comparison`, :mod:`analysis.products.deck_timeline`,
:mod:`analysis.products.deck_sources`; :mod:`analysis.products.deck` puts them together with the
map pages. More than :data:`ROWS_PER_SLIDE` jurisdictions are split over several slides
(:func:`chunks`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.measures.selection import year_note
from analysis.model.load import Tables
from analysis.model.vocab import INK, KOSOVO_FOOTNOTE, MUTED, display_code

__all__ = [
    "CAVEAT",
    "FOOT_GID",
    "LABELS_W",
    "MAP_BOUNDARY_NOTE",
    "MARGIN",
    "MIN_PT",
    "NATIVE_GIDS",
    "NOTE_GID",
    "PAGE_SIZE",
    "ROWS_PER_SLIDE",
    "TITLE_GID",
    "Deck",
    "Page",
    "Slide",
    "chunks",
    "count_words",
    "fit",
    "page_number",
    "page_title",
    "part_title",
    "plain_label",
    "row_label",
    "row_scale",
    "wrap_label",
    "wrap_to",
]

#: Page size in inches: 16:9 landscape (a widescreen slide).
PAGE_SIZE: tuple[float, float] = (13.333, 7.5)
MARGIN = 0.3  # page margin, inches
#: The smallest type on any page: read from the back of the room (16:9 at 13.333 x 7.5 in).
MIN_PT = 14.0
FOOT_PT = MIN_PT
FOOT_LINE = FOOT_PT * 1.3 / 72
MONO = "DejaVu Sans Mono"
#: The page of the site listing every source (under :func:`analysis.model.release.site_url`).
SOURCES_PAGE = "sources.html"
#: The gids of the texts the PPTX slide carries as native text (hidden from its picture): the
#: title, subtitle, year note, page number and footnotes.
TITLE_GID = "deck-title"
SUBTITLE_GID = "deck-subtitle"
NOTE_GID = "deck-year-note"
NUMBER_GID = "deck-page-number"
FOOT_GID = "multisee-footnote"
NATIVE_GIDS = frozenset({TITLE_GID, SUBTITLE_GID, NOTE_GID, NUMBER_GID, FOOT_GID})
#: Width (inches) of the row labels of the comparison and events pages.
LABELS_W = 3.2
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


def row_scale(row_h: float, points: float = 20.0) -> float:
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


def part_title(title: str, i: int, n: int) -> str:
    return f"{title} ({i}/{n})" if n > 1 else title


def count_words(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
