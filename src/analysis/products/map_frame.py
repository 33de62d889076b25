"""The figure around a map: its layout, title and subtitle, shared legend and the footnotes every
map carries.

The layout stacks a header, the panel grid, a legend band and the footer (in inches); the footer
holds the notes, the source, :data:`analysis.model.vocab.BOUNDARY_NOTE` and
:data:`analysis.model.vocab.KOSOVO_FOOTNOTE`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from analysis.model import vocab
from analysis.products.map_boundaries import projected

__all__ = [
    "FOOT_PT",
    "MAP_W",
    "MARGIN",
    "Layout",
    "add_footer",
    "add_legend",
    "decorate",
    "footer_lines",
]

# Layout of a single map, in inches. Font sizes are tuned for MAP_W and scale with the panel.
_FIG_W = 12.0
MARGIN = 0.25
MAP_W = _FIG_W - 2 * MARGIN
FOOT_PT = 7.5


def footer_lines(source: str, width_in: float, notes: Sequence[str] = ()) -> list[str]:
    """Footer lines, top to bottom: ``notes``, the source, the boundary note, the Kosovo* note."""
    chars = max(int(width_in * 72 / (FOOT_PT * 0.56)), 60)
    lines: list[str] = []
    for note in notes:
        lines += textwrap.wrap(note, chars)
    if source:
        lines += textwrap.wrap(f"Source: {source}", chars)
    lines += [vocab.BOUNDARY_NOTE, vocab.KOSOVO_FOOTNOTE]
    return lines


class Layout:
    """Vertical layout of a figure, in inches: header, panel grid, legend band, footer."""

    def __init__(
        self,
        *,
        nrows: int,
        ncols: int,
        panel_w: float,
        header_h: float,
        legend_h: float,
        source: str,
        panel_title_h: float = 0.0,
        notes: Sequence[str] = (),
    ) -> None:
        gdf = projected()
        xmin, ymin, xmax, ymax = gdf.total_bounds
        self.gap = 0.15
        self.panel_w = panel_w
        self.panel_h = panel_w * (ymax - ymin) / (xmax - xmin)
        self.panel_title_h = panel_title_h
        self.width = max(ncols * panel_w + (ncols - 1) * self.gap + 2 * MARGIN, _FIG_W)
        self.footer = footer_lines(source, self.width - 2 * MARGIN, notes)
        self.line_h = FOOT_PT * 1.45 / 72
        self.footer_h = len(self.footer) * self.line_h + 0.2
        self.header_h = header_h
        self.legend_h = legend_h
        self.nrows, self.ncols = nrows, ncols
        grid_h = nrows * (self.panel_h + panel_title_h) + (nrows - 1) * self.gap
        self.height = header_h + grid_h + legend_h + self.footer_h

    def figure(self) -> Figure:
        return Figure(figsize=(self.width, self.height), facecolor="white")

    def panel_rect(self, row: int, col: int) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        grid_w = self.ncols * self.panel_w + (self.ncols - 1) * self.gap
        left = (w - grid_w) / 2 + col * (self.panel_w + self.gap)
        top = self.header_h + row * (self.panel_h + self.panel_title_h + self.gap)
        top += self.panel_title_h
        bottom = h - top - self.panel_h
        return (left / w, bottom / h, self.panel_w / w, self.panel_h / h)

    def legend_top(self) -> float:
        """Figure y (fraction) of the top of the legend band."""
        return (self.legend_h + self.footer_h) / self.height

    def legend_rect(self, frac_w: float, height_in: float) -> tuple[float, float, float, float]:
        w, h = self.width, self.height
        left = MARGIN
        bottom = self.footer_h + self.legend_h - 0.25 - height_in
        return (left / w, bottom / h, frac_w * (w - 2 * MARGIN) / w, height_in / h)


def decorate(fig: Figure, layout: Layout, title: str, subtitle: str) -> Text:
    h, w = layout.height, layout.width
    title_artist = fig.text(
        MARGIN / w,
        1 - 0.18 / h,
        title,
        ha="left",
        va="top",
        fontsize=16,
        fontweight="bold",
        color=vocab.INK,
        gid="multisee-title",
    )
    if subtitle:
        fig.text(
            MARGIN / w,
            1 - 0.55 / h,
            subtitle,
            ha="left",
            va="top",
            fontsize=11,
            color="#333333",
            gid="multisee-subtitle",
        )
    add_footer(fig, layout.footer, layout.line_h, layout.width, layout.height)
    return title_artist


def add_footer(
    fig: Figure,
    lines: Sequence[str],
    line_h: float,
    w: float,
    h: float,
    *,
    margin: float = MARGIN,
    bottom: float = 0.12,
    fontsize: float = FOOT_PT,
) -> None:
    """Footnote lines (source, boundary note, Kosovo* footnote) at the bottom of a figure of
    ``w`` x ``h`` inches, the last line lowest; ``line_h`` and offsets in inches."""
    for i, line in enumerate(reversed(lines)):
        fig.text(
            margin / w,
            (bottom + i * line_h) / h,
            line,
            ha="left",
            va="bottom",
            fontsize=fontsize,
            color="#333333",
            gid="multisee-footnote",
            parse_math=False,
        )


def _legend_ncol(n: int) -> int:
    return n if n <= 4 else int(np.ceil(n / 2))


def add_legend(
    fig: Figure,
    layout: Layout,
    handles: list[Patch],
    *,
    loc_x: float = 0.5,
    anchor: str = "upper center",
    ncol: int | None = None,
) -> None:
    fig.legend(  # type: ignore[call-overload]  # matplotlib's stubs list no handles-only call
        handles=handles,
        loc=anchor,
        bbox_to_anchor=(loc_x, layout.legend_top()),
        ncol=ncol or _legend_ncol(len(handles)),
        frameon=False,
        fontsize=10,
        handlelength=2.2,
        handleheight=1.4,
        columnspacing=1.6,
    )
