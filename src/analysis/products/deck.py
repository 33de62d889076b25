"""Slide decks and animations for discussion sessions (EuroDIG, SEEDIG, national IGFs).

:func:`make_deck` writes ONE multi-page PDF in 16:9 landscape with fonts sized for a projector
and/or the same slides as an editable PPTX (:mod:`analysis.products.deck_pptx`: native titles, text,
tables and speaker notes; maps and charts as pictures with alt text):

1. a title page (session, the year note, short data hash, the three mechanisms);
2. one choropleth page per mechanism (``cctld``, ``igf``, ``body``) for the chosen year, with
   weak evidence hatched (:func:`analysis.products.adoption_map.states_for`);
3. one small-multiples page per mechanism over several years;
4. comparison pages: the selected jurisdictions' mechanism states (with confidence) and their
   Multi-SEE index score with its low-high interval and rank interval, drawn by
   :mod:`analysis.products.figures` (:func:`analysis.products.deck_comparison.comparison_pages`), at most
   :data:`analysis.products.deck_slide.ROWS_PER_SLIDE` jurisdictions a page;
5. timeline pages: the diffusion curves of the selected jurisdictions and their dated events
   (:func:`analysis.measures.events.events`, the rules of the timeline notebook), split like the
   comparison;
6. one sources slide: how many sources the selected records cite and where they are listed --
   ``<site_url>/sources.html`` with its QR code when a public site address is set
   (:func:`analysis.model.release.site_url`), else the local files, and no QR code.

This module plans, draws and writes the deck; its pages are laid out in
:mod:`analysis.products.deck_maps` (the map pages), :mod:`analysis.products.deck_text`,
:mod:`analysis.products.deck_comparison`, :mod:`analysis.products.deck_timeline` and
:mod:`analysis.products.deck_sources`, on the frame of :mod:`analysis.products.deck_slide`. Every map page
carries the source, :data:`analysis.model.vocab.BOUNDARY_NOTE` and :data:`analysis.model.vocab.KOSOVO_FOOTNOTE`;
the other content pages carry the source and, when Kosovo* is among the selected jurisdictions,
the Kosovo* footnote. The PDF carries no creation date, so the same data and parameters give the
same file.

:func:`analysis.products.adoption_map.animation` writes the animated GIF of one mechanism's adoption.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.measures.panel import panel_for
from analysis.measures.selection import resolve_year, select
from analysis.model.atomic import atomic_path
from analysis.model.errors import UserError
from analysis.model.load import load
from analysis.model.release import site_url as configured_site_url
from analysis.model.vocab import (
    MECHANISM_NAMES,
    MECHANISMS,
    SOURCE_LINE,
)
from analysis.products.deck_comparison import comparison_pages
from analysis.products.deck_maps import (
    cell_evidence,
    map_page,
    small_multiple_years,
    small_multiples_page,
)
from analysis.products.deck_slide import (
    MAP_BOUNDARY_NOTE,
    MIN_PT,
    NATIVE_GIDS,
    PAGE_SIZE,
    TITLE_GID,
    Deck,
    Slide,
    page_number,
    plain_label,
)
from analysis.products.deck_sources import deck_sources, source_entries, sources_pages
from analysis.products.deck_text import title_page, why_pages
from analysis.products.deck_timeline import timeline_pages

__all__ = [
    "FORMATS",
    "MAP_BOUNDARY_NOTE",
    "MAX_PAGES",
    "MECHANISM_NAMES",
    "MIN_PT",
    "PAGE_SIZE",
    "SOURCE",
    "draw_page",
    "floor_fonts",
    "make_deck",
    "page_title_of",
    "plan_deck",
    "small_multiple_years",
    "text_sizes",
]

SOURCE = SOURCE_LINE

#: The deck's file formats, by file extension.
FORMATS = (".pdf", ".pptx")

# --------------------------------------------------------------------------- page text


def floor_fonts(fig: Figure, minimum: float = MIN_PT) -> None:
    """Raise every text of ``fig`` below ``minimum`` points to ``minimum`` (tick labels too)."""
    for ax in fig.axes:
        if ax.get_xticklabels() and min(_pt(t) for t in ax.get_xticklabels()) < minimum:
            ax.tick_params(axis="x", labelsize=minimum)
        if ax.get_yticklabels() and min(_pt(t) for t in ax.get_yticklabels()) < minimum:
            ax.tick_params(axis="y", labelsize=minimum)
    for text in fig.findobj(Text):
        if _pt(text) < minimum:
            text.set_fontsize(minimum)


def _pt(text: Text) -> float:
    return float(text.get_fontsize())


def text_sizes(fig: Figure) -> list[tuple[float, str]]:
    """(size, text) of every visible non-empty text of ``fig`` as drawn (ticks included)."""
    fig.draw_without_rendering()
    return [
        (float(t.get_fontsize()), t.get_text())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and _shown(t)
    ]


def _shown(t: Text) -> bool:
    ax = t.axes
    return ax is None or (ax.get_visible() and (ax.axison or t not in ax.get_xticklabels()))


# --------------------------------------------------------------------------- public API


_UNSET = object()


def plan_deck(
    session: str,
    countries: Sequence[str] | str | None = None,
    year: int | None = None,
    years_small_multiples: Sequence[int] | None = None,
    site_url: Any = _UNSET,
) -> tuple[dict[str, Any], dict[str, list[Slide]]]:
    """Check the parameters and lay the deck out without drawing: (info, sections).

    ``info`` has ``session``, ``countries``, ``label``, ``year``, ``year_is_default``,
    ``years_small_multiples``, ``data_year``, ``data_hash``, ``site_url``, ``sources_link`` and
    ``sources``; ``sections`` maps each part (title, maps, small_multiples, comparison,
    timeline, why, sources) to its slides (:class:`analysis.products.deck_slide.Slide`), each drawing onto a
    blank :data:`PAGE_SIZE` figure. ``site_url``: the public address of the built site (default:
    :func:`analysis.model.release.site_url`, the project setting; ``None``: none). Bad parameters
    raise :class:`UserError`.
    """
    if not isinstance(session, str) or not session.strip():
        raise UserError("session must be a non-empty title, e.g. 'SEEDIG 2025: MS at home'")
    url = configured_site_url() if site_url is _UNSET else site_url
    if url is not None and (
        not isinstance(url, str) or not url.strip().startswith(("https://", "http://"))
    ):
        raise UserError(f"site_url {url!r} is not an http(s) address, e.g. https://host/multisee")
    tables = load()
    panel = panel_for(tables)
    sel = select(countries, tables, reference=countries is None)
    codes, label = list(sel.codes), sel.label
    resolved = resolve_year(year, panel, tables)
    # Small multiples only on request: the default deck stays within :data:`MAX_PAGES`.
    sm_years = small_multiple_years(panel, years_small_multiples) if years_small_multiples else []
    if years_small_multiples is not None and not years_small_multiples:
        raise UserError("years_small_multiples is empty: give at least one year")
    confidence, weak = cell_evidence(panel, resolved, codes)
    deck = Deck(
        tables=tables,
        panel=panel,
        session=session.strip(),
        codes=codes,
        label=label,
        year=resolved,
        year_is_default=year is None,
        sm_years=sm_years,
        data_year=int(panel["year"].max()),
        site_url=url.strip().rstrip("/") if url else None,
        confidence=confidence,
        weak=weak,
    )
    sections: dict[str, list[Slide]] = {
        "title": [title_page(deck)],
        "maps": [map_page(deck, m) for m in MECHANISMS],
        "small_multiples": [small_multiples_page(deck, m) for m in MECHANISMS] if sm_years else [],
        "comparison": comparison_pages(deck),
        "timeline": timeline_pages(deck),
        "why": why_pages(deck, _why_sentences(tables, codes)),
        "sources": sources_pages(deck),
    }
    info = {
        "session": deck.session,
        "countries": codes,
        "label": plain_label(label),
        "year": resolved,
        "year_is_default": year is None,
        "years_small_multiples": sm_years,
        "data_year": deck.data_year,
        "data_hash": tables.data_hash,
        "site_url": deck.site_url,
        "sources_link": deck.sources_link,
        "sources": source_entries(deck_sources(deck)),
    }
    return info, sections


def _why_sentences(tables: Any, codes: Sequence[str]) -> list[str]:
    """The drivers analysis's plain-language summary for the selection (the "why" slide)."""
    from analysis.measures.drivers import drivers

    return drivers(countries=list(codes), tables=tables).summary_sentences()


def draw_page(draw: Callable[[Figure], None], number: int, total: int) -> Figure:
    """One deck page as a :data:`PAGE_SIZE` figure, numbered ``number/total``."""
    fig = Figure(figsize=PAGE_SIZE, facecolor="white")
    with mpl.rc_context(_RC):
        draw(fig)
        page_number(fig, number, total)
        floor_fonts(fig)
    return fig


def page_title_of(fig: Figure) -> str:
    """The title of a drawn page (the PPTX slide title)."""
    for t in fig.findobj(Text):
        if t.get_gid() == TITLE_GID:
            return " ".join(t.get_text().split())
    return ""


def chart_png(fig: Figure, dpi: int = 150) -> bytes:
    """A drawn page without the texts the PPTX slide holds natively (title, subtitle, year note,
    page number, footnotes: :data:`analysis.products.deck_slide.NATIVE_GIDS`), cropped to what is left:
    the picture of a map or chart slide."""
    hidden = [t for t in fig.findobj(Text) if t.get_gid() in NATIVE_GIDS and t.get_visible()]
    for t in hidden:
        t.set_visible(False)
    buf = io.BytesIO()
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.08)
    for t in hidden:
        t.set_visible(True)
    return buf.getvalue()


_RC: dict[Any, Any] = {"pdf.fonttype": 42, "font.family": "DejaVu Sans"}


def deck_format(path: Path) -> str:
    """The deck's file format from ``path``'s extension (``.pdf`` or ``.pptx``); any other is a
    :class:`UserError` (never a PDF under another name)."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise UserError(
            f"{path}: the deck is written as {' or '.join(FORMATS)}, not "
            f"{ext or 'a file without extension'}; name the file deck.pdf or deck.pptx"
        )
    return ext


def make_deck(
    out: Path,
    session: str,
    countries: Sequence[str] | str | None = None,
    year: int | None = None,
    years_small_multiples: Sequence[int] | None = None,
    *,
    site_url: Any = _UNSET,
    pptx: Path | None = None,
) -> dict[str, Any]:
    """Write the session deck at ``out`` (atomically): ONE multi-page PDF when it ends in
    ``.pdf``, the editable PPTX when it ends in ``.pptx`` (any other extension: UserError).

    ``countries``: ``None`` for every jurisdiction (the reference case included), or a peer-group
    id, ``"all"`` (the core jurisdictions), a code list (see :func:`analysis.measures.selection.select`);
    maps show the selected jurisdictions only. ``year`` defaults to the latest complete data year
    (:func:`analysis.measures.selection.resolve_year`); ``years_small_multiples`` adds one small-multiples
    page per mechanism for those years (none by default). ``site_url``: see :func:`plan_deck`.
    ``pptx``: also write the PPTX there (with a PDF ``out``).

    Returns ``{"pages", "path", "pptx", "countries", "year", "years_small_multiples",
    "sections", "titles", "seconds"}``; ``path`` is the PDF (``None`` when only a PPTX was
    written); ``sections`` maps each part (title, maps, small_multiples, comparison, timeline,
    sources) to its page count, in page order.
    """
    from analysis.products.deck_pptx import write_pptx

    started = time.perf_counter()
    out = Path(out)
    pdf_out: Path | None = out
    if deck_format(out) == ".pptx":
        if pptx is not None and Path(pptx) != out:
            raise UserError(f"{out} is already the PPTX; give --pptx only with a .pdf --out")
        pdf_out, pptx = None, out
    elif pptx is not None and Path(pptx).suffix.lower() != ".pptx":
        raise UserError(f"{pptx}: the PowerPoint file must end in .pptx")
    info, sections = plan_deck(session, countries, year, years_small_multiples, site_url)
    pages = [p for ps in sections.values() for p in ps]

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
    titles: list[str] = []
    pictures: list[bytes | None] = []
    with ExitStack() as stack:
        pdf = None
        if pdf_out is not None:
            tmp = stack.enter_context(atomic_path(pdf_out))
            stack.enter_context(mpl.rc_context(_RC))
            pdf = stack.enter_context(PdfPages(tmp, metadata=metadata))
        for i, slide in enumerate(pages, start=1):
            fig = draw_page(slide, i, len(pages))
            titles.append(page_title_of(fig))
            if pdf is not None:
                pdf.savefig(fig, dpi=_RASTER_DPI)
            if pptx is not None:
                picture = slide.picture
                if picture is None and slide.alt:
                    picture = chart_png(fig, _PPTX_DPI)
                pictures.append(picture)
    if pptx is not None:
        write_pptx(Path(pptx), pages, pictures, core_properties=metadata)
    return {
        "pages": len(pages),
        "path": pdf_out,
        "pptx": Path(pptx) if pptx is not None else None,
        "countries": info["countries"],
        "year": info["year"],
        "years_small_multiples": info["years_small_multiples"],
        "sections": {k: len(v) for k, v in sections.items()},
        "titles": titles,
        "seconds": round(time.perf_counter() - started, 2),
    }


#: Resolution of the rasterised map layers in the PDF and of the PPTX slide pictures.
_RASTER_DPI = 150
_PPTX_DPI = 150
#: The default deck's page budget (small multiples on request may add three).
MAX_PAGES = 12
