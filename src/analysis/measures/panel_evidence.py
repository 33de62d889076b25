"""The evidence rule of the adoption panel, the same for its three mechanisms: how a source dates a
cell, plans, weak evidence, the carry-forward, conflicts that move a start, and the panel cell.

Every rule of the panel yields a :class:`Cell` per year. A state holds over the years its
sources date, and no further (:data:`CARRY_FORWARD_YEARS`). A source is dated by
:func:`source_year`; a source dated before the event it reports is evidence of a plan
(:func:`plan_only`); a recorded conflict whose alternative dates a start earlier keeps the years in
between from ``none`` (:func:`earlier_starts`); a cell resting on a recalled fact or only on
low-reliability sources is weak evidence (:func:`is_weak`). The mechanism rules
(:mod:`analysis.measures.panel_cctld`, :mod:`analysis.measures.panel_igf`,
:mod:`analysis.measures.panel_body`) build on these; :mod:`analysis.measures.panel` assembles them
and states the rules as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from analysis.model.load import Tables
from analysis.model.values import source_ids as _ids
from analysis.model.values import value_or_none as _v
from analysis.model.values import year_of as _year
from analysis.model.vocab import CONFIDENCE_ORDER, SEP

#: Years a state is carried past the last year its sources date, for the three mechanisms alike
#: (``inferred``; 0: a state holds only over the years its sources date).
CARRY_FORWARD_YEARS = 0
#: Source kinds that are live registers: a copy read on a date attests the register's entry then.
LIVE_REGISTER_KINDS = frozenset({"iana_data", "registry"})
#: Fields of a recorded conflict whose alternative value can date a mechanism's start earlier.
START_FIELDS = {
    "cctlds": ("delegated", "manager_since"),
    "cctld_events": ("date",),
    "igf_initiatives": ("established", "first_year"),
    "ms_bodies": ("established",),
}


def weakest(*levels: Any) -> str | None:
    """The weakest of the given confidence levels (missing ones ignored), ``None`` if none."""
    known = [c for c in (_v(x) for x in levels) if c in CONFIDENCE_ORDER]
    return min(known, key=CONFIDENCE_ORDER.index) if known else None


def strongest(*levels: Any) -> str | None:
    """The strongest of the given confidence levels (missing ones ignored), ``None`` if none."""
    known = [c for c in (_v(x) for x in levels) if c in CONFIDENCE_ORDER]
    return max(known, key=CONFIDENCE_ORDER.index) if known else None


def rows_where(df: pd.DataFrame, **eq: Any) -> pd.DataFrame:
    """Rows of ``df`` whose columns equal the given values (empty if a column is missing)."""
    if df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    for col, value in eq.items():
        if col not in df:
            return df.iloc[0:0]
        mask &= df[col] == value
    return df[mask]


class Cell(NamedTuple):
    """A panel cell: the state, the confidence and source ids it rests on, whether one part
    of it (e.g. the year from which a coding holds) rests only on low-reliability sources, a note
    saying why a rule left it ``unknown``, and the share of years held an ordinal span implies."""

    state: str
    confidence: str | None
    sources: tuple[str, ...]
    weak_part: bool = False
    note: str = ""
    held_share: float | None = None


#: The plain ``unknown`` cell: no state, no confidence, no sources, no note.
UNKNOWN = Cell("unknown", None, ())


def unknown_cell(note: str = "", held_share: float | None = None) -> Cell:
    """An ``unknown`` cell with the note saying why a rule left it so (and an ordinal span's
    ``held_share``)."""
    return Cell("unknown", None, (), False, note, held_share)


def field_evidence(
    rec: Mapping[str, Any] | pd.Series, name: str
) -> tuple[str | None, tuple[str, ...]]:
    """(confidence, sources) of one field of a record (its own provenance columns if any)."""
    conf = _v(rec.get(f"{name}_confidence")) or _v(rec.get("confidence"))
    src = rec.get(f"{name}_sources")
    return conf, _ids(src) if _v(src) is not None else _ids(rec.get("sources"))


def merge_ids(*parts: tuple[str, ...]) -> tuple[str, ...]:
    """The source ids of several parts, in order, each once."""
    return tuple(dict.fromkeys(s for p in parts for s in p))


def source_year(source: Mapping[str, Any] | pd.Series) -> int | None:
    """The year a source is dated: ``published``, else ``archived``, else -- for a live register
    (:data:`LIVE_REGISTER_KINDS`: IANA root-zone data, a registry's own pages) -- ``accessed``,
    the year the register was read. ``None`` for an undated source."""
    for col in ("published", "archived"):
        y = _year(source.get(col))
        if y is not None:
            return y
    if _v(source.get("kind")) in LIVE_REGISTER_KINDS:
        return _year(source.get("accessed"))
    return None


def source_years(tables: Tables) -> dict[str, int]:
    """The year of each dated source (:func:`source_year`), by id."""
    out: dict[str, int] = {}
    for _, s in tables.sources.iterrows():
        y = source_year(s)
        if y is not None:
            out[str(s["id"])] = y
    return out


def published_years(tables: Tables, ids: Iterable[str]) -> list[int]:
    """Dated years (:func:`source_year`) of the given sources, where known."""
    dated = source_years(tables)
    return [dated[i] for i in ids if i in dated]


def plan_only(ids: Iterable[str], year: int, dated: Mapping[str, int]) -> bool:
    """True when every one of ``ids`` is dated, and dated before ``year``: such sources report a
    plan for that year, not an event (an undated source is not counted as a plan)."""
    ids = [i for i in ids if i]
    return bool(ids) and all(i in dated and dated[i] < year for i in ids)


def earlier_starts(tables: Tables, table: str, key: str) -> list[int]:
    """Years an alternative value of a recorded conflict gives for the start of ``key``
    (:data:`START_FIELDS`): the years from one of them to the accepted start are never ``none``."""
    c = tables.conflicts
    if c.empty:
        return []
    rows = c[(c["table"] == table) & (c["key"].astype(str) == str(key))]
    rows = rows[rows["field"].isin(START_FIELDS.get(table, ()))]
    return [y for y in (_year(v) for v in rows["alternative_value"]) if y is not None]


def carry_forward(cells: dict[int, Cell], years: Sequence[int], k: int) -> dict[int, Cell]:
    """Each ``unknown`` year within ``k`` years after a known state takes that state, ``inferred``
    (the one carry-forward rule of the three mechanisms; ``k = 0`` changes nothing)."""
    if k <= 0:
        return cells
    out = dict(cells)
    last: tuple[int, Cell] | None = None
    for y in sorted(years):
        cell = cells[y]
        if cell.state != "unknown":
            last = (y, cell)
        elif last is not None and y - last[0] <= k and cell.held_share is None:
            c = last[1]
            note = f"carried forward from {last[0]} (carry-forward {k} years)"
            out[y] = Cell(c.state, weakest(c.confidence, "inferred"), c.sources, c.weak_part, note)
    return out


def absence_row(
    tables: Tables, country: str, mechanism: str
) -> tuple[str, str | None, tuple[str, ...]] | None:
    """(finding, confidence, sources) of the country's absence record for a mechanism, if any."""
    rows = rows_where(tables.absences, country=country, mechanism=mechanism)
    if rows.empty:
        return None
    pick = rows[rows["finding"] == "none"] if (rows["finding"] == "none").any() else rows
    conf = strongest(*pick["confidence"])
    src = merge_ids(*(_ids(s) for s in pick["sources"]))
    return str(pick["finding"].iloc[0]), conf, src


def weak_sources(tables: Tables) -> frozenset[str]:
    """Ids of the sources of ``low`` reliability (AI-generated pages, mirrors of unknown fidelity)."""
    src = tables.sources
    if src.empty or "reliability" not in src:
        return frozenset()
    return frozenset(src.loc[src["reliability"] == "low", "id"].astype(str))


def is_weak(confidence: Any, sources: Iterable[str], low: frozenset[str]) -> bool:
    """Weak evidence: recalled, or resting only on low-reliability sources."""
    ids = [s for s in sources if s]
    return _v(confidence) == "recalled" or (bool(ids) and all(s in low for s in ids))


def joined_notes(cells: Iterable[Cell]) -> str:
    """The distinct notes of some cells, joined."""
    return SEP.join(dict.fromkeys(c.note for c in cells if c.note))
