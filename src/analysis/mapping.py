"""Maps of the adoption panel for sessions: one map per mechanism and year, written to files.

Joins :func:`analysis.panel.adoption_panel` (states) to :mod:`analysis.maps` (drawing). A
jurisdiction is hatched as weak evidence when its state is ``unknown``, rests only on
low-reliability sources, or rests on ``recalled`` or ``inferred`` facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import UserError
from .vocab import MAP_TITLES, SOURCE_LINE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TITLES = MAP_TITLES
SOURCE = SOURCE_LINE


def states_for(panel: pd.DataFrame, mechanism: str, year: int) -> tuple[dict[str, str], set[str]]:
    if mechanism not in TITLES:
        raise UserError(f"unknown mechanism {mechanism!r}: expected one of {', '.join(TITLES)}")
    rows = panel[(panel["mechanism"] == mechanism) & (panel["year"] == year)]
    if rows.empty:
        years = f"{int(panel['year'].min())}..{int(panel['year'].max())}"
        raise UserError(f"no data for year {year}: the panel covers {years}")
    states = dict(zip(rows["country"], rows["state"], strict=True))
    weak = {
        r.country
        for r in rows.itertuples()
        if r.state == "unknown"
        or r.confidence in ("recalled", "inferred")
        or getattr(r, "evidence", None) == "weak"
    }
    return states, weak


def mechanism_map(
    panel: pd.DataFrame,
    mechanism: str,
    year: int,
    countries: Iterable[str] | None = None,
    subtitle: str | None = None,
    source: str = SOURCE,
) -> tuple[Figure, dict[str, str], set[str]]:
    """The choropleth of one mechanism in one year (optionally for a selection), with the states
    and the weak-evidence set it shows."""
    from . import maps

    states, weak = states_for(panel, mechanism, year)
    if countries is not None:
        keep = set(countries)
        states = {c: s for c, s in states.items() if c in keep}
        weak &= keep
    fig = maps.choropleth(
        states,
        palette=maps.PALETTES[mechanism],
        weak=weak,
        title=TITLES[mechanism],
        subtitle=subtitle
        or f"State in {year}; hatched: weak evidence (unknown, recalled, inferred or low-reliability)",
        source=source,
    )
    return fig, states, weak


def render_map(
    mechanism: str,
    year: int | None = None,
    out: Path | None = None,
    formats: Sequence[str] = ("png", "svg", "pdf"),
    countries: Sequence[str] | None = None,
) -> list[Path]:
    from . import maps
    from .load import load
    from .panel import panel_for
    from .selection import resolve_year

    tables = load()
    panel = panel_for(tables)
    year = resolve_year(year, panel, tables)
    fig, _, _ = mechanism_map(panel, mechanism, year, countries or None)
    out = out or Path("reports") / "maps" / f"{mechanism}_{year}"
    stem = out.with_suffix("") if out.suffix in (".png", ".svg", ".pdf") else out
    if out.suffix in (".png", ".svg", ".pdf"):
        formats = [out.suffix[1:]]
    paths = maps.save(fig, stem, formats=formats)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return paths
