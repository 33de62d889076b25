"""The ipywidgets explorer of the Multi-SEE index: countries, year and weights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matplotlib.figure import Figure

from analysis.measures.comparison import Comparison, comparison, comparison_html
from analysis.measures.narrative import rank_alt
from analysis.measures.panel import adoption_panel
from analysis.measures.present import paragraph
from analysis.measures.scoring import DEFAULT_WEIGHTS
from analysis.measures.selection import country_names, resolve_year, select
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.vocab import MECHANISM_LABELS, MECHANISMS
from analysis.products.figures import figure_image, rank_interval_figure

__all__ = ["Explorer"]


class Explorer:
    """ipywidgets explorer: countries, year and three weights; re-renders on every change.

    ``widget`` is the whole user interface (display it in JupyterLab); :meth:`render` fills the
    output area with the year note, the comparison table and the rank-interval figure for the
    current choice and returns the countries shown; :meth:`view` does the same without widgets.
    """

    def __init__(
        self,
        tables: Tables | None = None,
        countries: str | Sequence[str] = "all",
        year: Any = None,
    ) -> None:
        import ipywidgets as w

        self.tables = tables or load()
        self.panel = adoption_panel(self.tables)
        lo, hi = int(self.panel["year"].min()), int(self.panel["year"].max())
        #: The year every page defaults to: the latest complete data year.
        self.default_year = resolve_year(None, self.panel, self.tables)
        year = resolve_year(year, self.panel, self.tables)
        names = country_names(self.tables)
        codes = sorted(names)
        default = select(countries, self.tables).codes
        self.countries = w.SelectMultiple(
            options=[(f"{names[c]} ({c})", c) for c in codes],
            value=tuple(default),
            rows=min(12, len(codes)),
            description="Countries",
        )
        self.year = w.IntSlider(
            value=year,
            min=lo,
            max=hi,
            step=1,
            description="Year",
            continuous_update=False,
        )
        self.weights = {
            m: w.FloatSlider(
                value=round(DEFAULT_WEIGHTS[m], 2),
                min=0.0,
                max=1.0,
                step=0.05,
                description=f"w {MECHANISM_LABELS[m]}",
                continuous_update=False,
                style={"description_width": "initial"},
            )
            for m in MECHANISMS
        }
        self.output = w.Output()
        for control in (self.countries, self.year, *self.weights.values()):
            control.observe(self._changed, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.countries, w.VBox([self.year, *self.weights.values()])]),
                self.output,
            ]
        )
        self.shown: list[str] = []

    def current(self) -> tuple[list[str], int, dict[str, float]]:
        return (
            list(self.countries.value),
            int(self.year.value),
            {m: float(s.value) for m, s in self.weights.items()},
        )

    def view(
        self, codes: Sequence[str], year: int, weights: Mapping[str, float] | None
    ) -> tuple[Comparison, str, Figure]:
        """(comparison, HTML table, rank-interval figure) for one choice.

        Equal weights (all three sliders alike and not all zero) mean the default weights.
        """
        if weights is not None and len(set(weights.values())) == 1 and max(weights.values()) > 0:
            weights = None
        # the default year ranks what the default comparison ranks (its period: year or window)
        chosen = None if year == self.default_year else year
        c = comparison(list(codes), chosen, weights, tables=self.tables, panel=self.panel)
        label = c.period.label if c.period is not None else c.year
        fig = rank_interval_figure(
            c.table, f"Multi-SEE index {label}: {len(c.codes)} jurisdictions"
        )
        return c, comparison_html(c), fig

    def render(self) -> list[str]:
        """Re-render the output area for the current choice; returns the countries shown.

        The output area's content is replaced as a whole (``Output.outputs``) rather than
        written through the ``with output:`` capture, which can stall headless clients
        (nbclient/papermill) waiting for the cell to finish.
        """
        from IPython.display import HTML

        codes, year, weights = self.current()
        shown: list[str] = []
        if not codes:
            items: list[Any] = [HTML(paragraph("Select at least one jurisdiction."))]
        else:
            try:
                c, table_html, fig = self.view(codes, year, weights)
            except UserError as e:
                items = [HTML(paragraph(f"Cannot compare: {e}"))]
            else:
                items = [HTML(paragraph(c.note)), HTML(table_html), figure_image(fig, rank_alt(c))]
                shown = list(c.codes)
        self.output.outputs = tuple(_display_output(item) for item in items)
        self.shown = shown
        return shown

    def _changed(self, _change: Any) -> None:
        self.render()


def _display_output(obj: Any) -> dict[str, Any]:
    """A ``display_data`` output (as stored by an ipywidgets ``Output``) for a display object."""
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(obj)
    return {"output_type": "display_data", "data": data, "metadata": metadata}
