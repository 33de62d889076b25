"""One adoption map for a notebook: the map, its legend explained, the states table, files.

:func:`adoption_map` draws a mechanism's states (``cctld``, ``igf``, ``body``) for one year with
:func:`analysis.maps.choropleth`, or the Multi-SEE index score (``index``) with
:func:`analysis.maps.choropleth_continuous`, for a selection of jurisdictions (anything
:func:`analysis.deck.select_countries` accepts). Weak evidence is hatched:

* a mechanism: the state is ``unknown`` or rests on ``recalled`` or ``inferred`` facts
  (:func:`analysis.mapping.states_for`);
* the index: any of the three mechanisms is weak in that sense.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from . import maps
from .errors import UserError
from .load import Tables, load
from .mapping import TITLES, mechanism_map, states_for
from .panel import panel_for
from .scoring import multisee_index
from .selection import resolve_year, select
from .vocab import MECHANISMS, NOT_SELECTED_LABEL
from .vocab import SOURCE_LINE as SOURCE

__all__ = ["FORMATS", "MAP_KINDS", "MapView", "adoption_map", "index_weak", "parse_formats"]

#: What a map can show: one mechanism's states, or the Multi-SEE index.
MAP_KINDS: tuple[str, ...] = (*MECHANISMS, "index")
#: File formats :meth:`MapView.save` writes.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
INDEX_TITLE = "Multi-SEE index: how far the three MS mechanisms are adopted"
_HATCH_MEANING = {
    "mechanism": "the state is unknown, or rests on recalled or inferred facts or only on low-reliability sources",
    "index": "at least one of the three mechanisms is unknown or rests on recalled or inferred "
    "facts",
}


def parse_formats(formats: str | Sequence[str]) -> list[str]:
    """``"png,svg"`` (or a list) -> checked, de-duplicated formats; empty or unknown: UserError."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out: list[str] = []
    for item in items:
        fmt = str(item).strip().lower().lstrip(".")
        if not fmt:
            continue
        if fmt not in FORMATS:
            raise UserError(f"unknown format {item!r}: expected png, svg or pdf (comma-separated)")
        if fmt not in out:
            out.append(fmt)
    if not out:
        raise UserError("formats is empty: give png, svg and/or pdf (comma-separated)")
    return out


def index_weak(panel: pd.DataFrame, year: int, codes: Sequence[str] | None = None) -> set[str]:
    """Jurisdictions whose index rests on weak evidence: any mechanism weak (see module doc)."""
    weak: set[str] = set()
    for m in MECHANISMS:
        weak |= states_for(panel, m, year)[1]
    return weak if codes is None else weak & set(codes)


@dataclass
class MapView:
    """A drawn map with what it shows.

    ``states``: code -> state (a mechanism) or code -> index score (``index``); ``weak``: sorted
    hatched codes; ``table``: one row per selected jurisdiction; ``legend``: the legend in words.
    """

    mechanism: str
    year: int
    countries: list[str]
    label: str
    selection: str
    title: str
    states: dict[str, Any]
    weak: list[str]
    table: pd.DataFrame
    legend: str
    figure: Figure

    @property
    def stem(self) -> str:
        """File name stem: ``<mechanism>_<year>`` plus the selection unless it is ``all``."""
        base = f"{self.mechanism}_{self.year}"
        if self.selection.lower() == "all":
            return base
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.selection).strip("-") or "every"
        return f"{base}_{slug[:60]}"

    def png(self, dpi: int = 100) -> bytes:
        """The map as PNG bytes (for inline display)."""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi, facecolor=self.figure.get_facecolor())
        return buf.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()

    def img_html(self, dpi: int = 100) -> str:
        """An ``<img>`` with the PNG inline and an alternative text (for HTML reports)."""
        alt = html.escape(f"Map: {self.title}, {self.year}, {self.label}", quote=True)
        data = base64.b64encode(self.png(dpi)).decode("ascii")
        return f'<img alt="{alt}" src="data:image/png;base64,{data}" style="max-width:100%">'

    def save(self, out_dir: Path | str, formats: str | Sequence[str] = "png") -> list[Path]:
        """Write ``<out_dir>/<stem>.<format>`` for each format (atomically); return the paths."""
        fmts = parse_formats(formats)
        if not str(out_dir).strip():
            raise UserError("out_dir is empty: give a folder to save the map into")
        return maps.save(self.figure, Path(out_dir) / self.stem, formats=fmts)


def _relabel_no_data(fig: Figure) -> None:
    """Blank in-scope jurisdictions are outside the selection, not missing data: say so."""
    for legend in fig.legends:
        for text in legend.get_texts():
            if text.get_text() == maps.NO_DATA_LABEL:
                text.set_text(NOT_SELECTED_LABEL)


def _names(tables: Tables) -> dict[str, str]:
    c = tables.countries
    return dict(zip(c["code"].astype(str), c["name"].astype(str), strict=True))


def adoption_map(
    mechanism: str = "cctld",
    year: int | None = None,
    countries: Sequence[str] | str | None = "all",
    tables: Tables | None = None,
) -> MapView:
    """Draw one adoption map (see the module docstring) and describe it.

    ``countries``: a peer-group id, ``"all"`` (the core jurisdictions), codes, or ``""`` /
    ``None`` for every jurisdiction (the reference case included). ``year`` defaults to the
    latest complete data year. Bad values raise :class:`UserError`.
    """
    if not isinstance(mechanism, str) or mechanism not in MAP_KINDS:
        raise UserError(f"unknown mechanism {mechanism!r}: expected one of {', '.join(MAP_KINDS)}")
    tables = tables or load()
    panel = panel_for(tables)
    year = resolve_year(year, panel, tables)
    if isinstance(countries, str) and not countries.strip():
        countries = None
    sel = select(countries, tables, reference=countries is None)
    codes, label = list(sel.codes), sel.label
    selection = (
        "every"
        if countries is None
        else (countries if isinstance(countries, str) else ",".join(codes))
    )
    everything = set(codes) >= set(tables.countries["code"].astype(str))
    names = _names(tables)
    source = f"{SOURCE}; data hash {tables.data_hash[:12]}."
    keep = set(codes)

    if mechanism == "index":
        idx = multisee_index(panel, year=year)
        idx = idx[idx["country"].isin(keep)].reset_index(drop=True)
        states: dict[str, Any] = {
            str(c): float(s) for c, s in zip(idx["country"], idx["score"], strict=True)
        }
        weak = index_weak(panel, year, codes)
        fig = maps.choropleth_continuous(
            states,
            weak=weak,
            title=INDEX_TITLE,
            subtitle=f"{year} · {label} · 0 = none of the three mechanisms, 1 = all three; "
            "hatched: weak evidence",
            source=source,
            label="Multi-SEE index score (mean of the ccTLD, IGF and MS body scores)",
        )
        table = idx[["country", "score", "low", "high", "rank", "rank_best", "rank_worst"]].copy()
        table.insert(1, "name", table["country"].map(names))
        for m in MECHANISMS:
            st, _wk = states_for(panel, m, year)
            rows = panel[(panel["mechanism"] == m) & (panel["year"] == year)]
            conf = dict(zip(rows["country"], rows["confidence"], strict=True))
            table[m] = table["country"].map(st)
            table[f"{m}_confidence"] = table["country"].map(conf)
        meaning = (
            "Colour: the Multi-SEE index score, from 0 (none of the three mechanisms) to 1 (an "
            "MS ccTLD manager, a national IGF held and an active MS body). "
            f"Hatched: weak evidence ({_HATCH_MEANING['index']}); the table gives the low-high "
            "bounds and rank ranges."
        )
    else:
        fig, states, weak = mechanism_map(
            panel,
            mechanism,
            year,
            keep,
            subtitle=f"State in {year} · {label} · hatched: weak evidence",
            source=source,
        )
        rows = panel[(panel["mechanism"] == mechanism) & (panel["year"] == year)]
        rows = rows[rows["country"].isin(keep)]
        table = pd.DataFrame(
            {
                "country": rows["country"].astype(str).to_numpy(),
                "name": rows["country"].map(names).to_numpy(),
                "state": rows["state"].to_numpy(),
                "confidence": rows["confidence"].to_numpy(),
                "evidence": rows["evidence"].to_numpy(),
            }
        )
        colours = "; ".join(lab for _val, lab, _c in maps.PALETTES[mechanism])
        meaning = (
            f"Colours: {colours}. Hatched: weak evidence ({_HATCH_MEANING['mechanism']}). "
            "Unknown is never read as 'no'."
        )
    table["weak_evidence"] = table["country"].isin(weak).map({True: "yes", False: ""})
    table = table.sort_values("country", ignore_index=True)
    if not everything:
        _relabel_no_data(fig)
        meaning += f" White: {NOT_SELECTED_LABEL}."
    meaning += " Light grey: outside the study's scope."
    return MapView(
        mechanism=mechanism,
        year=year,
        countries=codes,
        label=label,
        selection=selection,
        title=INDEX_TITLE if mechanism == "index" else TITLES[mechanism],
        states=states,
        weak=sorted(weak),
        table=table,
        legend=meaning,
        figure=fig,
    )
