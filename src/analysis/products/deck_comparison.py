"""The session deck's comparison pages: the mechanism states, Multi-SEE index intervals and ranks
of the selection, best first.

The states carry their confidence marks (weak evidence hatched); the page draws
:func:`analysis.products.figures.draw_state_matrix` and
:func:`analysis.products.figures.draw_rank_intervals` into its axes, as the notebooks do.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from analysis.measures.comparison import compare
from analysis.measures.selection import Period, resolve_period
from analysis.model.vocab import (
    CONFIDENCE_MARKS,
    INK,
    MECHANISM_LABELS,
    MECHANISMS,
    MUTED,
    STATE_LABELS,
)
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
    page_title,
    part_title,
    plain_label,
    row_label,
    wrap_to,
)
from analysis.products.figures import (
    NOT_RANKED,
    draw_rank_intervals,
    draw_state_matrix,
    rank_order,
)

__all__ = ["comparison_pages"]


#: Widths (inches) of the comparison page: one mechanism column, the score axes, a slim rank axes
#: (hidden: its intervals are printed as text to its right), the gap between them; the row labels
#: take :data:`analysis.products.deck_slide.LABELS_W`.
_CELL_W, _SCORE_W, _RANK_W, _GAP = 1.45, 2.6, 0.05, 0.25


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
        title = part_title(f"Comparison, {period.label}: {plain_label(deck.label)}", k, len(parts))
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
        x = MARGIN + LABELS_W
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
