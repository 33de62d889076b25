"""The matplotlib figures of the comparison, timeline and profile views, and of the deck: one
import for the notebooks, the explorer and the deck.

They are drawn in :mod:`analysis.products.figures_comparison` (scores, ranks and states),
:mod:`analysis.products.figures_timeline` (diffusion and events) and
:mod:`analysis.products.figure_base` (PNG output, shared styling). Each figure has an axes-level
drawer that the session deck reuses on its own pages, and a figure function for the notebooks
(plain :class:`matplotlib.figure.Figure` objects, never ``pyplot``, so they work headless):

* :func:`draw_rank_intervals` / :func:`rank_interval_figure` -- scores with bounds and rank
  intervals, ranks printed as :func:`analysis.measures.scoring.rank_labels` does ("=12" when shared);
* :func:`draw_state_matrix` / :func:`mechanism_matrix_figure` -- countries x mechanisms states;
* :func:`draw_diffusion` / :func:`diffusion_figure` -- adoption counts by year per mechanism;
* :func:`draw_events` / :func:`timeline_figure` -- dated events (:func:`analysis.measures.events.events`),
  one row per jurisdiction;
* :func:`country_states_figure` -- one jurisdiction's states by year;
* :func:`figure_png` / :func:`figure_image` -- PNG bytes, or a display object with alt text.
"""

from __future__ import annotations

from analysis.products.figure_base import WEAK_CONFIDENCE, figure_image, figure_png
from analysis.products.figures_comparison import (
    NOT_RANKED,
    country_states_figure,
    draw_rank_intervals,
    draw_state_matrix,
    mechanism_matrix_figure,
    rank_interval_figure,
    rank_legend,
    rank_order,
    state_legend,
)
from analysis.products.figures_timeline import (
    diffusion_figure,
    draw_diffusion,
    draw_events,
    event_legend,
    timeline_figure,
)

__all__ = [
    "NOT_RANKED",
    "WEAK_CONFIDENCE",
    "country_states_figure",
    "diffusion_figure",
    "draw_diffusion",
    "draw_events",
    "draw_rank_intervals",
    "draw_state_matrix",
    "event_legend",
    "figure_image",
    "figure_png",
    "mechanism_matrix_figure",
    "rank_interval_figure",
    "rank_legend",
    "rank_order",
    "state_legend",
    "timeline_figure",
]
