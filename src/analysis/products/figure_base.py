"""What the matplotlib figures share: PNG bytes and display images with alt text, plain axes,
and the confidence levels drawn as weak evidence.

Figures are plain :class:`matplotlib.figure.Figure` objects, never ``pyplot``, so they work
headless.
"""

from __future__ import annotations

import io
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["WEAK_CONFIDENCE", "figure_image", "figure_png", "plain_axes"]

#: Confidence levels drawn as weak evidence (hollow markers, hatched cells).
WEAK_CONFIDENCE = frozenset({"recalled", "inferred"})


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def figure_image(fig: Figure, alt: str, dpi: int = 110) -> Any:
    """An :class:`IPython.display.Image` of the figure with alt text (kept by nbconvert)."""
    from IPython.display import Image

    return Image(data=figure_png(fig, dpi), format="png", alt=alt)


def plain_axes(ax: Axes, fs: float) -> None:
    """Quiet axes: the grid below the data, tick labels of ``fs`` points, no top or right spine."""
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=fs)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
