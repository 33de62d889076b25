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

The map pages are laid out here; the other pages in :mod:`analysis.products.deck_text`,
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
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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
    MAP_TITLES,
    MECHANISM_NAMES,
    MECHANISMS,
    NOT_SELECTED_LABEL,
    PALETTES,
    SOURCE_LINE,
)
from analysis.products import choropleth
from analysis.products.adoption_map import states_for
from analysis.products.deck_comparison import comparison_pages
from analysis.products.deck_slide import (
    CAVEAT,
    FOOT_GID,
    MAP_BOUNDARY_NOTE,
    MARGIN,
    MIN_PT,
    NATIVE_GIDS,
    PAGE_SIZE,
    TITLE_GID,
    Deck,
    Slide,
    page_number,
    page_title,
    plain_label,
    wrap_label,
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
DEFAULT_SMALL_MULTIPLE_YEARS: tuple[int, ...] = (2005, 2010, 2015, 2020)

_Deck = Deck
_M = MARGIN
_page_title = page_title
_wrap_label = wrap_label
#: The deck's file formats, by file extension.
FORMATS = (".pdf", ".pptx")

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


def _map_layers_rasterised(ax: Axes) -> None:
    """The heavy polygon layers (fills, hatching) as images in the PDF; labels stay text."""
    for coll in ax.collections:
        coll.set_rasterized(True)


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


def _map_into(
    ax: Axes, deck: _Deck, mechanism: str, year: int, title: str
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
    _map_layers_rasterised(ax)
    if not deck.everything:  # jurisdictions left blank are not selected, not missing data
        labels = [NOT_SELECTED_LABEL if t == choropleth.NO_DATA_LABEL else t for t in labels]
    return handles, labels, states, weak


def _state_groups(deck: _Deck, mechanism: str, year: int) -> tuple[list[str], list[str], list[str]]:
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


def _map_alt(deck: _Deck, mechanism: str, years: Sequence[int]) -> str:
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


def _map_notes(deck: _Deck, mechanism: str, years: Sequence[int]) -> str:
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


# --------------------------------------------------------------------------- map pages


def _map_page(deck: _Deck, mechanism: str) -> Slide:
    title = MAP_TITLES[mechanism]
    subtitle = f"State in {deck.year} · {plain_label(deck.label)} · hatched: weak evidence"

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        _page_title(fig, title, subtitle)
        bottom, top = deck.foot(fig, boundaries=True) + 0.05, h - 1.15
        map_h = top - bottom
        aspect = _map_aspect()
        map_w = min(map_h / aspect, w - 2 * _M - 3.6)
        map_h = map_w * aspect
        ax = fig.add_axes((_M / w, bottom / h, map_w / w, map_h / h))
        handles, labels, _states, _weak = _map_into(ax, deck, mechanism, deck.year, "")
        ax.set_title("")
        left = (_M + map_w + 0.3) / w
        fig.legend(
            handles=handles,
            labels=[_wrap_label(t) for t in labels],
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


def _small_multiples_page(deck: _Deck, mechanism: str) -> Slide:
    years = deck.sm_years
    title = (
        f"{MAP_TITLES[mechanism]} ({years[0]}–{years[-1]})"
        if len(years) > 1
        else f"{MAP_TITLES[mechanism]} ({years[0]})"
    )
    subtitle = f"{', '.join(map(str, years))} · {plain_label(deck.label)} · hatched: weak evidence"

    def draw(fig: Figure) -> None:
        w, h = fig.get_size_inches()
        _page_title(fig, title, subtitle)
        bottom, top = deck.foot(fig, boundaries=True) + 0.05, h - 1.15
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
            labels=[_wrap_label(t, 30) for t in labels],
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


def _cell_evidence(
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
    confidence, weak = _cell_evidence(panel, resolved, codes)
    deck = _Deck(
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
        "maps": [_map_page(deck, m) for m in MECHANISMS],
        "small_multiples": [_small_multiples_page(deck, m) for m in MECHANISMS] if sm_years else [],
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
