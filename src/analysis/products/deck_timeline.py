"""The session deck's timeline pages: the diffusion curves of the selection and its dated events.

The pages draw :func:`analysis.products.figures.draw_diffusion` and
:func:`analysis.products.figures.draw_events` (with :func:`analysis.measures.events.events`), at
most :data:`analysis.products.deck_slide.ROWS_PER_SLIDE` jurisdictions an events slide.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.measures.events import EVENT_KINDS, events
from analysis.measures.panel import diffusion
from analysis.model.vocab import ADOPTED_LABELS, MECHANISM_LABELS, MECHANISMS, MUTED
from analysis.products.deck_slide import (
    CAVEAT,
    LABELS_W,
    MARGIN,
    MIN_PT,
    NOTE_GID,
    Deck,
    Page,
    Slide,
    chunks,
    count_words,
    page_title,
    part_title,
    plain_label,
    row_scale,
)
from analysis.products.figures import draw_diffusion, draw_events, event_legend

__all__ = ["deck_events", "timeline_pages"]


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
        title = part_title(f"Key events: {plain_label(deck.label)}", k, len(parts))
        mine = ev[ev["country"].isin(codes)] if not ev.empty else ev
        kinds = [
            count_words(int((mine["kind"] == kind).sum()), label.split(" / ")[0], label)
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
        left = MARGIN + LABELS_W
        scale = max(row_scale((top - bottom) / max(len(codes), 1), 22.0), MIN_PT / 10)
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
