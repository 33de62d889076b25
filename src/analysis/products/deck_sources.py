"""The session deck's sources page: how many sources the selection's records cite and where they
are listed (the site's sources page, clickable and as a QR code, or the local files).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.measures.profile import cited_sources
from analysis.model.vocab import BOUNDARY_NOTE, INK, MECHANISM_COLOURS, SOURCE_LINE
from analysis.products.deck_slide import (
    MARGIN,
    Deck,
    Slide,
    fit,
    page_title,
    plain_label,
    wrap_to,
)

__all__ = ["LOCAL_SOURCES", "QR_GID", "deck_sources", "qr_png", "source_entries", "sources_pages"]


#: Where the sources are when no public site address is set: the files ``make reports`` writes.
LOCAL_SOURCES = (
    "reports/sources.html (the site built by make reports) and reports/data/sources.csv "
    "(the data package)"
)


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
