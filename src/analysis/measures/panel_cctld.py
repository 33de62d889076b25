"""The ccTLD rules of the adoption panel: the jurisdiction's main ccTLD and its state year by year,
from the current manager's coding, the manager changes before it and the first delegation.

See :mod:`analysis.measures.panel` for the rules in full; the evidence rule they rest on is
:mod:`analysis.measures.panel_evidence`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd

from analysis.measures.panel_evidence import (
    UNKNOWN,
    Cell,
    absence_row,
    earlier_starts,
    field_evidence,
    is_weak,
    merge_ids,
    plan_only,
    published_years,
    rows_where,
    source_years,
    strongest,
    unknown_cell,
    weak_sources,
    weakest,
)
from analysis.model.load import Tables
from analysis.model.values import source_ids as _ids
from analysis.model.values import value_or_none as _v
from analysis.model.values import year_of as _year
from analysis.model.vocab import CCTLD_CODING as _CCTLD_CODING

_MANAGER_CHANGE = frozenset({"delegation", "redelegation", "administrative_transfer"})
_FIRST_DELEGATION = frozenset({"created", "delegation"})


def main_cctld(tables: Tables, country: str) -> pd.Series | None:
    """The jurisdiction's main ccTLD row: active, ASCII, preferring the TLD equal to its code."""
    rows = rows_where(tables.cctlds, country=country)
    if rows.empty:
        return None
    ascii_active = rows[(~rows["idn"].astype(bool)) & (rows["status"] != "historical")]
    if ascii_active.empty:
        ascii_active = rows[rows["status"] != "historical"]
    if ascii_active.empty:
        return None
    own = ascii_active[ascii_active["tld"] == country.lower()]
    pick = own if not own.empty else ascii_active.sort_values("tld")
    return pick.iloc[0]


#: A manager coding in force from a year on: (year, date, coding or None, confidence, sources).
_Coding = tuple[int, str, str | None, str | None, tuple[str, ...]]


class _CctldHistory(NamedTuple):
    """What the dated records of a ccTLD say: its first delegation and the codings over time."""

    first: Cell | None  # the state before the first known delegation (none), if one is known
    first_year: int | None  # the year of the first known delegation
    none_until: int | None  # `none` holds only before this year (a conflict may date it earlier)
    codings: list[_Coding]  # the codings in force from a year on, in date order
    last: int | None  # the latest year a source of the TLD dates (the evidence rule)


class _CctldHolding(NamedTuple):
    """The current manager's coding and from when it holds."""

    current: str | None  # the TLD's `multistakeholder` coding
    hold_from: int | None  # the first year it holds
    confidence: str | None
    sources: tuple[str, ...]
    timing_weak: bool  # the year it holds from rests only on weak evidence
    coded_from: int | None  # the earliest year the coding's own sources date


def cctld_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    """The jurisdiction's ``cctld`` cell per year: its main ccTLD's (:func:`main_cctld`), or
    ``none`` every year from an absence record."""
    absence = absence_row(tables, country, "cctld")
    if absence is not None and absence[0] == "none":
        return {y: Cell("none", absence[1], absence[2]) for y in years}
    tld = main_cctld(tables, country)
    if tld is None:
        return {y: UNKNOWN for y in years}
    history = _cctld_history(tables, country, tld)
    holding = _cctld_holding(tables, tld)
    out = {y: _cctld_year(y, tld, history, holding) for y in years}
    _predecessor_years(tables, country, years, out)
    return out


def _cctld_history(tables: Tables, country: str, tld: pd.Series) -> _CctldHistory:
    """The first delegation and the manager codings the TLD's ``delegated`` field and its events
    give (events only announced by earlier sources are plans, not events)."""
    dated = source_years(tables)

    events = rows_where(tables.cctld_events, country=country, tld=tld["tld"])
    # The first known delegation: the `delegated` field and created/delegation events.
    firsts: list[tuple[int, str | None, tuple[str, ...]]] = []
    y0 = _year(tld.get("delegated"))
    if y0 is not None:
        firsts.append((y0, *field_evidence(tld, "delegated")))
    # Years a recorded conflict gives for an earlier start: never `none` from them on.
    early = earlier_starts(tables, "cctlds", str(tld["tld"]))
    # Codings in force from a year on: (year, date, coding or None, confidence, sources).
    codings: list[_Coding] = []
    all_src: list[tuple[str, ...]] = [_ids(tld.get("sources"))]
    for _, e in events.iterrows():
        ey = _year(e["date"])
        if ey is None:
            continue
        etype = e["type"]
        coding = _v(e.get("manager_multistakeholder"))
        esrc = _ids(e.get("sources"))
        if plan_only(esrc, ey, dated):  # an announced delegation or transfer, not an event
            continue
        all_src.append(esrc)
        if etype in _FIRST_DELEGATION:
            firsts.append((ey, _v(e.get("confidence")), esrc))
            key = f"{tld['tld']}/{e['date']}"
            early += earlier_starts(tables, "cctld_events", key)
        if etype in _MANAGER_CHANGE or coding is not None:
            codings.append((ey, str(e["date"]), coding, _v(e.get("confidence")), esrc))
    codings.sort(key=lambda c: (c[0], c[1]))
    first: Cell | None = None
    first_year: int | None = None
    if firsts:
        first_year = min(y for y, _, _ in firsts)
        at = [(c, s) for y, c, s in firsts if y == first_year]
        first = Cell("none", strongest(*(c for c, _ in at)), merge_ids(*(s for _, s in at)))
    none_until = min([first_year, *early]) if first_year is not None else None
    # The evidence rule: the states hold up to the latest year a source of the TLD dates.
    last = max((dated[i] for p in all_src for i in p if i in dated), default=None)
    return _CctldHistory(first, first_year, none_until, codings, last)


def _cctld_holding(tables: Tables, tld: pd.Series) -> _CctldHolding:
    """The current manager's coding and the year from which it holds."""
    current = _v(tld.get("multistakeholder"))
    ms_conf, ms_src = field_evidence(tld, "multistakeholder")
    # From when the current manager's coding holds: its take-over year; else a sourced "no
    # later than" bound; else the earliest date of the coding's own sources (the coding is at
    # least known from then on). The last two are inferences.
    since = _year(tld.get("manager_since"))
    timing_weak = False
    if since is not None:
        s_conf, s_src = field_evidence(tld, "manager_since")
        hold_from: int | None = since
        hold_conf, hold_src = weakest(ms_conf, s_conf), merge_ids(ms_src, s_src)
        timing_weak = is_weak(s_conf, s_src, weak_sources(tables))
    elif _year(tld.get("manager_by")) is not None:
        b_conf, b_src = field_evidence(tld, "manager_by")
        hold_from = _year(tld.get("manager_by"))
        hold_conf = weakest(ms_conf, b_conf, "inferred")
        hold_src = merge_ids(ms_src, b_src)
        # the bound's own evidence: a "no later than" year read only in weak sources is weak
        timing_weak = is_weak(b_conf, b_src, weak_sources(tables))
    else:
        coded = published_years(tables, ms_src)
        hold_from = min(coded) if coded else None
        hold_conf, hold_src = weakest(ms_conf, "inferred"), ms_src

    dated_coding = published_years(tables, ms_src)
    coded_from = min(dated_coding) if dated_coding else None
    return _CctldHolding(current, hold_from, hold_conf, hold_src, timing_weak, coded_from)


def _cctld_year(y: int, tld: pd.Series, history: _CctldHistory, holding: _CctldHolding) -> Cell:
    """The ccTLD's cell in year ``y``: the current coding from when it holds, else the coding in
    force then, else `none` before the first delegation, else unknown."""
    last, codings = history.last, history.codings
    current, hold_from = holding.current, holding.hold_from
    if last is not None and y > last:
        return unknown_cell(f"no source of .{tld['tld']} is dated after {last}")
    if hold_from is not None and y >= hold_from and current in _CCTLD_CODING:
        # a weak start year weakens the years before the coding's own sources date it
        coded_from = holding.coded_from
        return Cell(
            _CCTLD_CODING[current],
            holding.confidence,
            holding.sources,
            holding.timing_weak and (coded_from is None or y < coded_from),
        )
    in_force = [i for i, c in enumerate(codings) if c[0] <= y]
    if in_force:
        i = in_force[-1]
        _, _, coding, c_conf, c_src = codings[i]
        # the span to the next manager change rests on both ends (the next change, or the
        # current coding, attests who managed the TLD until then)
        nxt = codings[i + 1][4] if i + 1 < len(codings) else holding.sources
        return (
            Cell(_CCTLD_CODING[coding], c_conf, merge_ids(c_src, nxt))
            if coding in _CCTLD_CODING
            else UNKNOWN
        )
    first, first_year, none_until = history.first, history.first_year, history.none_until
    if first is not None and none_until is not None and y < none_until:
        return first
    if first_year is not None and y < first_year:
        return unknown_cell("a recorded conflict dates the delegation earlier")
    return UNKNOWN


def _predecessor_years(
    tables: Tables, country: str, years: Sequence[int], out: dict[int, Cell]
) -> None:
    """A predecessor TLD recorded for the jurisdiction (e.g. .yu for Serbia) covers the years
    before the main TLD: the jurisdiction was not without a ccTLD then, and the predecessor's
    manager coding is not assessed, so those years (``none`` in ``out``) become unknown."""
    rows = rows_where(tables.cctlds, country=country)
    for _, old in rows[rows["status"] == "historical"].iterrows():
        start = _year(old.get("delegated"))
        if start is None:
            continue
        for y in years:
            if y >= start and out[y][0] == "none":
                out[y] = UNKNOWN
