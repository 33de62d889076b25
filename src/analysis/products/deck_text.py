"""The session deck's text pages: the title page and the "why" page.

The why page shows the drivers analysis's plain-language summary
(:func:`analysis.measures.drivers.summary_sentences`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.model.vocab import INK, MECHANISM_COLOURS, MECHANISM_NAMES, MECHANISMS, MUTED
from analysis.products.deck_slide import (
    CAVEAT,
    MARGIN,
    MIN_PT,
    PAGE_SIZE,
    TITLE_GID,
    Deck,
    Slide,
    count_words,
    page_title,
    plain_label,
    wrap_to,
)

__all__ = ["title_page", "why_pages"]


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
        f"Title. The deck compares {count_words(len(deck.codes), 'jurisdiction')} "
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


WHY_PT = 15.0  # the why slide's sentences


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
