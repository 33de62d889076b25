"""Adoption maps: the state of one mechanism, or the Multi-SEE index, in a year, from the panel.

The one adoption-map module of multisee: ``multisee map`` (:func:`write_maps`), the ``--gif`` of
``multisee deck`` (:func:`animation`) and the ``adoption_map`` notebook (:func:`adoption_map`)
all draw through it, so the same parameters give the same figure. Drawing is
:mod:`analysis.products.choropleth`; this module adds what the panel says:

* :func:`states_for`: the states of a mechanism (``cctld``, ``igf``, ``body``) in a year and
  the *weak-evidence* set, hatched on every map: the state is ``unknown``, or rests on
  ``recalled`` or ``inferred`` facts, or only on low-reliability sources (the panel's
  ``evidence`` is ``weak``);
* :func:`index_weak`: for the index, a jurisdiction is weak when any of the three mechanisms is;
* the selection (:func:`analysis.measures.selection.select`): ``None`` or ``""`` for every jurisdiction
  (the reference case included), ``"all"`` for the core jurisdictions, a peer-group id or codes;
  jurisdictions left out are drawn white and labelled :data:`NOT_SELECTED_LABEL`;
* the year (:func:`analysis.measures.selection.resolve_year`; default: the latest complete data year).

Every map states its year (:func:`analysis.measures.selection.year_note`), the source line with the data
hash, the boundary note and the Kosovo* footnote.
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

from analysis.measures.applicability import mark_not_applicable
from analysis.measures.panel import panel_for
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import country_names, resolve_year, select, year_note
from analysis.model import paths
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.vocab import MAP_TITLES, MECHANISMS, NOT_SELECTED_LABEL, PALETTES, SOURCE_LINE
from analysis.products import choropleth

__all__ = [
    "FORMATS",
    "INDEX_TITLE",
    "MAP_KINDS",
    "MapView",
    "adoption_map",
    "animation",
    "index_weak",
    "parse_formats",
    "states_for",
    "write_maps",
]

#: What a map can show: one mechanism's states, or the Multi-SEE index.
MAP_KINDS: tuple[str, ...] = (*MECHANISMS, "index")
#: File formats a map is saved in.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
INDEX_TITLE = "Multi-SEE index: how far the three MS mechanisms are adopted"
#: Legend label of the jurisdictions left blank because they are not in the selection.
_HATCH_MEANING = {
    "mechanism": "the state is unknown, or rests on recalled or inferred facts or only on "
    "low-reliability sources",
    "index": "at least one of the three mechanisms is unknown, or rests on recalled or inferred "
    "facts or only on low-reliability sources",
}


# --------------------------------------------------------------------------- the panel


def _check_kind(mechanism: Any, kinds: Sequence[str]) -> str:
    if not isinstance(mechanism, str) or mechanism not in kinds:
        raise UserError(f"unknown mechanism {mechanism!r}: expected one of {', '.join(kinds)}")
    return mechanism


def states_for(panel: pd.DataFrame, mechanism: str, year: int) -> tuple[dict[str, str], set[str]]:
    """(code -> state, weak-evidence codes) of ``mechanism`` in ``year``, every jurisdiction."""
    _check_kind(mechanism, MECHANISMS)
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


def index_weak(panel: pd.DataFrame, year: int, codes: Sequence[str] | None = None) -> set[str]:
    """Jurisdictions whose index rests on weak evidence: any mechanism weak (see module doc)."""
    weak: set[str] = set()
    for m in MECHANISMS:
        weak |= states_for(panel, m, year)[1]
    return weak if codes is None else weak & set(codes)


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


def _source(tables: Tables) -> str:
    return f"{SOURCE_LINE}; data hash {tables.data_hash[:12]}."


# --------------------------------------------------------------------------- one map


@dataclass
class MapView:
    """A drawn map with what it shows.

    ``states``: code -> state (a mechanism) or code -> index score (``index``); ``weak``: sorted
    hatched codes; ``table``: one row per selected jurisdiction; ``legend``: the legend in words;
    ``year_note``: the sentence about the year (also on the map).
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
    year_note: str
    figure: Figure

    @property
    def stem(self) -> str:
        """File name stem: ``<mechanism>_<year>`` for every jurisdiction (the command line's
        default), plus the selection otherwise (``cctld_2024_all``, ``igf_2019_RS-AM``)."""
        base = f"{self.mechanism}_{self.year}"
        if self.selection == "every":
            return base
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.selection).strip("-") or "selection"
        return f"{base}_{slug[:60]}"

    def describe(self) -> dict[str, Any]:
        """What the figure states (see :func:`analysis.products.choropleth.describe`)."""
        return choropleth.describe(self.figure)

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
        if not str(out_dir).strip():
            raise UserError("out_dir is empty: give a folder to save the map into")
        return self.save_as(Path(out_dir) / self.stem, formats)

    def save_as(self, stem: Path | str, formats: str | Sequence[str] = "png") -> list[Path]:
        """Write ``<stem>.<format>`` for each format (atomically); return the paths."""
        return choropleth.save(self.figure, stem, formats=parse_formats(formats))


def confine_out_dir(out_dir: Path | str) -> Path:
    """The folder an ``out_dir`` parameter (of the ``adoption_map`` notebook) names, inside the
    project's ``reports/``: a relative path is taken under ``reports/`` (``maps`` and
    ``reports/maps`` are the same folder); an absolute path must lie inside ``reports/``; ``..``
    is refused. Anything else is a one-line :class:`UserError`."""
    text = str(out_dir).strip()
    if not text:
        raise UserError("out_dir is empty: give a folder under reports/ to save the map into")
    path = Path(text)
    if ".." in path.parts:
        raise UserError(f"out_dir {text!r} contains '..': give a folder under reports/")
    reports = paths.REPORTS.resolve()
    if not path.is_absolute():
        parts = path.parts[1:] if path.parts[:1] == ("reports",) else path.parts
        path = reports.joinpath(*parts)
    resolved = path.resolve()
    if resolved != reports and reports not in resolved.parents:
        raise UserError(f"out_dir {text!r} is outside the project's reports/ folder")
    return resolved


def adoption_map(
    mechanism: str = "cctld",
    year: int | None = None,
    countries: Sequence[str] | str | None = "all",
    tables: Tables | None = None,
) -> MapView:
    """Draw one adoption map (see the module docstring) and describe it.

    ``mechanism``: ``cctld``, ``igf``, ``body`` or ``index``. ``countries``: a peer-group id,
    ``"all"`` (the core jurisdictions), codes, or ``""`` / ``None`` for every jurisdiction (the
    reference case included). ``year`` defaults to the latest complete data year. Bad values
    raise :class:`UserError`.
    """
    _check_kind(mechanism, MAP_KINDS)
    tables = tables or load()
    panel = panel_for(tables)
    default_year = year is None
    year = resolve_year(year, panel, tables)
    note = year_note(year, default=default_year)
    if countries is None or (isinstance(countries, str) and not countries.strip()):
        countries = None
    sel = select(countries, tables, reference=countries is None)
    codes, label = list(sel.codes), sel.label
    keep = set(codes)
    selection = (
        "every"
        if countries is None
        else (countries.strip() if isinstance(countries, str) else ",".join(codes))
    )
    everything = keep >= set(tables.countries["code"].astype(str))
    blank = choropleth.NO_DATA_LABEL if everything else NOT_SELECTED_LABEL
    names = country_names(tables)
    common: dict[str, Any] = {"source": _source(tables), "notes": [note], "no_data_label": blank}

    if mechanism == "index":
        idx = multisee_index(mark_not_applicable(panel, tables), year=year)
        idx = idx[idx["country"].isin(keep)].reset_index(drop=True)
        states: dict[str, Any] = {
            str(c): float(s) for c, s in zip(idx["country"], idx["score"], strict=True)
        }
        weak = index_weak(panel, year, codes)
        title = INDEX_TITLE
        fig = choropleth.choropleth_continuous(
            states,
            weak=weak,
            title=title,
            subtitle=f"{year} · {label} · 0 = none of the three mechanisms, 1 = all three; "
            "hatched: weak evidence",
            label="Multi-SEE index score (mean of the ccTLD, IGF and MS body scores)",
            **common,
        )
        table = idx[["country", "score", "low", "high", "rank", "rank_best", "rank_worst"]].copy()
        table.insert(1, "name", table["country"].map(names))
        for m in MECHANISMS:
            rows = panel[(panel["mechanism"] == m) & (panel["year"] == year)]
            table[m] = table["country"].map(dict(zip(rows["country"], rows["state"], strict=True)))
            conf = dict(zip(rows["country"], rows["confidence"], strict=True))
            table[f"{m}_confidence"] = table["country"].map(conf)
        meaning = (
            "Colour: the Multi-SEE index score, from 0 (none of the three mechanisms) to 1 (an "
            "MS ccTLD manager, a national IGF held and a multistakeholder national body). "
            f"Hatched: weak evidence ({_HATCH_MEANING['index']}); the table gives the low-high "
            "bounds and rank ranges."
        )
    else:
        all_states, all_weak = states_for(panel, mechanism, year)
        states = {c: s for c, s in all_states.items() if c in keep}
        weak = all_weak & keep
        title = MAP_TITLES[mechanism]
        fig = choropleth.choropleth(
            states,
            palette=PALETTES[mechanism],
            weak=weak,
            title=title,
            subtitle=f"State in {year} · {label} · hatched: weak evidence",
            **common,
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
        colours = "; ".join(lab for _val, lab, _c in PALETTES[mechanism])
        meaning = (
            f"Colours: {colours}. Hatched: weak evidence ({_HATCH_MEANING['mechanism']}). "
            "Unknown is never read as 'no'."
        )
    table["weak_evidence"] = table["country"].isin(weak).map({True: "yes", False: ""})
    table = table.sort_values("country", ignore_index=True)
    if not everything:
        meaning += f" White: {NOT_SELECTED_LABEL}."
    meaning += " Light grey: outside the study's scope."
    return MapView(
        mechanism=mechanism,
        year=year,
        countries=codes,
        label=label,
        selection=selection,
        title=title,
        states=states,
        weak=sorted(weak),
        table=table,
        legend=meaning,
        year_note=note,
        figure=fig,
    )


# --------------------------------------------------------------------------- files


_SUFFIXES = tuple(f".{f}" for f in FORMATS)


def write_maps(
    mechanisms: Sequence[str] = MECHANISMS,
    year: int | None = None,
    countries: Sequence[str] | str | None = None,
    formats: str | Sequence[str] = FORMATS,
    out: Path | str | None = None,
    tables: Tables | None = None,
) -> list[Path]:
    """Write the adoption maps of ``mechanisms`` (what ``multisee map`` does); return the paths.

    ``countries`` defaults to every jurisdiction. ``out``: a directory (``<out>/<stem>.<fmt>``,
    see :attr:`MapView.stem`; the default is ``reports/maps``, or any existing directory); with
    one mechanism also a file name, whose suffix (``.png``, ``.svg``, ``.pdf``) is then the only
    format written.
    """
    mechanisms = [_check_kind(m, MAP_KINDS) for m in mechanisms]
    if not mechanisms:
        raise UserError("no mechanism given")
    fmts = parse_formats(formats)
    tables = tables or load()
    target = Path(out) if out is not None and str(out).strip() else Path("reports") / "maps"
    as_dir = out is None or len(mechanisms) > 1 or target.is_dir()
    if not as_dir and target.suffix.lower() in _SUFFIXES:
        fmts = [target.suffix.lower()[1:]]
        target = target.with_suffix("")
    written: list[Path] = []
    for mech in mechanisms:
        view = adoption_map(mech, year, countries, tables)
        written += view.save(target, fmts) if as_dir else view.save_as(target, fmts)
    return written


def animation(
    out: Path | str,
    mechanism: str = "cctld",
    start: int = 1995,
    end: int | None = None,
    *,
    tables: Tables | None = None,
    fps: int = 1,
    dpi: int = 80,
) -> Path:
    """Write an animated GIF of ``mechanism``'s adoption, one frame per year ``start..end``.

    Every jurisdiction is drawn; weak evidence is hatched. ``end`` defaults to the latest
    complete data year; the footer states the years (:func:`analysis.measures.selection.year_note` of the
    last frame). Written atomically by :func:`analysis.products.choropleth.animate`. Returns the path.
    """
    _check_kind(mechanism, MECHANISMS)
    tables = tables or load()
    panel = panel_for(tables)
    first, last = resolve_year(start, panel, tables), resolve_year(end, panel, tables)
    if first > last:
        raise UserError(f"start year {first} is after end year {last}")
    states_by_year: dict[int, dict[str, str]] = {}
    weak_by_year: dict[int, set[str]] = {}
    for y in range(first, last + 1):
        states_by_year[y], weak_by_year[y] = states_for(panel, mechanism, y)
    note = f"One frame per year, {first}-{last}. {year_note(last, default=end is None)}"
    return choropleth.animate(
        states_by_year,
        palette=PALETTES[mechanism],
        weak_by_year=weak_by_year,
        title=MAP_TITLES[mechanism],
        source=_source(tables),
        notes=[note],
        path=Path(out),
        fps=fps,
        dpi=dpi,
    )
