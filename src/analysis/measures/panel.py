"""The adoption panel: each jurisdiction's state of each mechanism, year by year.

:func:`adoption_panel` turns the coded facts into a long table with one row per jurisdiction, year
and mechanism (``cctld``, ``igf``, ``body``) giving the mechanism's *state* that year and the
*confidence* of the weakest fact the state rests on (``sourced`` > ``inferred`` > ``recalled``;
``None`` for ``unknown`` states). Unknowns stay unknown: missing data never becomes ``none``
unless a sourced absence (``finding: none``) says so, or the timeline of a known mechanism implies
it (the years before its first known date).

The rules, with a worked example each, are in the codebook (section 3.5); in short:

**The evidence rule, the same for the three mechanisms.** A state holds over the years its
sources date, and no further: after the last year a source attests it, a cell is ``unknown``
(unless :data:`CARRY_FORWARD_YEARS` > 0 carries it that many years, ``inferred``). A source is
dated by its ``published`` year, else its ``archived`` year, else -- for a live register (IANA
root-zone data, a registry's own pages) -- the year it was read (``accessed``)
(:func:`source_year`). A source dated before the event it reports is evidence of a *plan*: such
a cell is ``unknown`` with a note. A recorded ``conflict`` whose alternative dates the start
earlier keeps the years in between ``unknown``, never ``none``.

``cctld`` -- the jurisdiction's *main* ccTLD: the active ASCII ccTLD (the one matching the code
first; a historical TLD such as ``.yu`` is never main).

* ``none`` every year if an absence ``cctld``/``none`` exists (Kosovo*);
* the current manager's ``multistakeholder`` coding from ``manager_since``; without it, from the
  sourced bound ``manager_by`` (``inferred``); without either, from the earliest publication year
  of the coding's own sources (``inferred``); up to the latest year the TLD's sources date;
* before that, the coding carried by the latest manager-change event (``delegation``,
  ``redelegation``, ``administrative_transfer``; other events count only when they carry a
  ``manager_multistakeholder`` coding). A manager change without a coding is ``unknown``;
* before the first known delegation date: ``none``; any other year: ``unknown``.

``igf`` -- national IGF initiatives only (youth and regional initiatives are left out).

* ``held`` in a year with an edition found (the edition's confidence) whose sources do not all
  pre-date it; ``held``/``inferred`` in years bridged by ordinals (:func:`ordinal_spans`), also
  where the year's own edition record is weak evidence but the ordinals of two editions that are
  not prove an edition that year (:func:`bridging_pairs`);
* a span between two numbered editions that leaves k editions for n > k unfound years keeps
  those years ``unknown`` with ``held_share`` = k/n (``none``/``inferred`` when k = 0);
* ``dormant`` in the years of a sourced pause, ``none`` from a sourced end (``igf_pauses``);
* ``none``/``inferred`` before a sourced start (an edition numbered 1, or ``established``), but
  never before the earliest start an ordinal or a recorded conflict allows;
* ``unknown`` in every other year: an edition not found is not an edition not held.

``body`` -- national bodies of ``scope: national_policy`` (single-issue bodies are excluded by
rule), graded like ccTLDs by their ``multistakeholder`` coding (:func:`body_grade`):

* each body holds its grade from ``established`` (without it, the earliest year its record
  dates it, ``inferred``) to the last year its sources date
  (:func:`body_evidenced_until`: ``last_evidenced``, ``status_as_of`` when ``active``, the
  years of its sources dated after its founding); a body of unknown composition is ``unknown``
  with a note; after a sourced ``ended`` the body is ``none``;
* several bodies: multistakeholder > partly > unknown > not multistakeholder > none;
* ``none`` only after a sourced end or with an absence ``body``/``none``; every other year
  ``unknown`` (another body may exist unseen).

Each cell also carries ``evidence`` (``weak`` when it rests on a recalled fact or only on
low-reliability sources), the ids of its ``sources``, a ``note`` where a rule left it ``unknown``
for a stated reason (a plan, a conflict, the end of the evidence) and, for IGF years between
numbered editions, the ``held_share`` the ordinals imply.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from analysis.measures.selection import latest_data_year
from analysis.model.catalog import TABLE_SPECS
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.values import source_ids as _ids
from analysis.model.values import value_or_none as _v
from analysis.model.values import year_of as _year
from analysis.model.vocab import ADOPTED, BODY_CODING, CONFIDENCE_ORDER, MECHANISMS, SEP
from analysis.model.vocab import CCTLD_CODING as _CCTLD_CODING

#: Years a state is carried past the last year its sources date, for the three mechanisms alike
#: (``inferred``; 0: a state holds only over the years its sources date).
CARRY_FORWARD_YEARS = 0
#: Source kinds that are live registers: a copy read on a date attests the register's entry then.
LIVE_REGISTER_KINDS = frozenset({"iana_data", "registry"})
#: Fields of a recorded conflict whose alternative value can date a mechanism's start earlier.
_START_FIELDS = {
    "cctlds": ("delegated", "manager_since"),
    "cctld_events": ("date",),
    "igf_initiatives": ("established", "first_year"),
    "ms_bodies": ("established",),
}

_MANAGER_CHANGE = frozenset({"delegation", "redelegation", "administrative_transfer"})
_FIRST_DELEGATION = frozenset({"created", "delegation"})

PANEL_COLUMNS = TABLE_SPECS["adoption_panel"].column_names

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _rank_conf(c: Any) -> int:
    c = _v(c)
    return CONFIDENCE_ORDER.index(c) if c in CONFIDENCE_ORDER else len(CONFIDENCE_ORDER)


def weakest(*levels: Any) -> str | None:
    """The weakest of the given confidence levels (missing ones ignored), ``None`` if none."""
    known = [c for c in (_v(x) for x in levels) if c in CONFIDENCE_ORDER]
    return min(known, key=CONFIDENCE_ORDER.index) if known else None


def strongest(*levels: Any) -> str | None:
    """The strongest of the given confidence levels (missing ones ignored), ``None`` if none."""
    known = [c for c in (_v(x) for x in levels) if c in CONFIDENCE_ORDER]
    return max(known, key=CONFIDENCE_ORDER.index) if known else None


def _rows(df: pd.DataFrame, **eq: Any) -> pd.DataFrame:
    """Rows of ``df`` whose columns equal the given values (empty if a column is missing)."""
    if df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    for col, value in eq.items():
        if col not in df:
            return df.iloc[0:0]
        mask &= df[col] == value
    return df[mask]


# --------------------------------------------------------------------------------------------
# 1. The adoption panel
# --------------------------------------------------------------------------------------------


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


_UNKNOWN = Cell("unknown", None, ())


def _unknown(note: str = "", held_share: float | None = None) -> Cell:
    return Cell("unknown", None, (), False, note, held_share)


def _field(rec: Mapping[str, Any] | pd.Series, name: str) -> tuple[str | None, tuple[str, ...]]:
    """(confidence, sources) of one field of a record (its own provenance columns if any)."""
    conf = _v(rec.get(f"{name}_confidence")) or _v(rec.get("confidence"))
    src = rec.get(f"{name}_sources")
    return conf, _ids(src) if _v(src) is not None else _ids(rec.get("sources"))


def _merge(*parts: tuple[str, ...]) -> tuple[str, ...]:
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


def _published_years(tables: Tables, ids: Iterable[str]) -> list[int]:
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
    (:data:`_START_FIELDS`): the years from one of them to the accepted start are never ``none``."""
    c = tables.conflicts
    if c.empty:
        return []
    rows = c[(c["table"] == table) & (c["key"].astype(str) == str(key))]
    rows = rows[rows["field"].isin(_START_FIELDS.get(table, ()))]
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


def main_cctld(tables: Tables, country: str) -> pd.Series | None:
    """The jurisdiction's main ccTLD row: active, ASCII, preferring the TLD equal to its code."""
    rows = _rows(tables.cctlds, country=country)
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


def _cctld_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    absence = _absence_row(tables, country, "cctld")
    if absence is not None and absence[0] == "none":
        return {y: Cell("none", absence[1], absence[2]) for y in years}
    tld = main_cctld(tables, country)
    if tld is None:
        return {y: _UNKNOWN for y in years}
    history = _cctld_history(tables, country, tld)
    holding = _cctld_holding(tables, tld)
    out = {y: _cctld_year(y, tld, history, holding) for y in years}
    _predecessor_years(tables, country, years, out)
    return out


def _cctld_history(tables: Tables, country: str, tld: pd.Series) -> _CctldHistory:
    """The first delegation and the manager codings the TLD's ``delegated`` field and its events
    give (events only announced by earlier sources are plans, not events)."""
    dated = source_years(tables)

    events = _rows(tables.cctld_events, country=country, tld=tld["tld"])
    # The first known delegation: the `delegated` field and created/delegation events.
    firsts: list[tuple[int, str | None, tuple[str, ...]]] = []
    y0 = _year(tld.get("delegated"))
    if y0 is not None:
        firsts.append((y0, *_field(tld, "delegated")))
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
        first = Cell("none", strongest(*(c for c, _ in at)), _merge(*(s for _, s in at)))
    none_until = min([first_year, *early]) if first_year is not None else None
    # The evidence rule: the states hold up to the latest year a source of the TLD dates.
    last = max((dated[i] for p in all_src for i in p if i in dated), default=None)
    return _CctldHistory(first, first_year, none_until, codings, last)


def _cctld_holding(tables: Tables, tld: pd.Series) -> _CctldHolding:
    """The current manager's coding and the year from which it holds."""
    current = _v(tld.get("multistakeholder"))
    ms_conf, ms_src = _field(tld, "multistakeholder")
    # From when the current manager's coding holds: its take-over year; else a sourced "no
    # later than" bound; else the earliest date of the coding's own sources (the coding is at
    # least known from then on). The last two are inferences.
    since = _year(tld.get("manager_since"))
    timing_weak = False
    if since is not None:
        s_conf, s_src = _field(tld, "manager_since")
        hold_from: int | None = since
        hold_conf, hold_src = weakest(ms_conf, s_conf), _merge(ms_src, s_src)
        timing_weak = is_weak(s_conf, s_src, weak_sources(tables))
    elif _year(tld.get("manager_by")) is not None:
        b_conf, b_src = _field(tld, "manager_by")
        hold_from = _year(tld.get("manager_by"))
        hold_conf = weakest(ms_conf, b_conf, "inferred")
        hold_src = _merge(ms_src, b_src)
        # the bound's own evidence: a "no later than" year read only in weak sources is weak
        timing_weak = is_weak(b_conf, b_src, weak_sources(tables))
    else:
        coded = _published_years(tables, ms_src)
        hold_from = min(coded) if coded else None
        hold_conf, hold_src = weakest(ms_conf, "inferred"), ms_src

    dated_coding = _published_years(tables, ms_src)
    coded_from = min(dated_coding) if dated_coding else None
    return _CctldHolding(current, hold_from, hold_conf, hold_src, timing_weak, coded_from)


def _cctld_year(y: int, tld: pd.Series, history: _CctldHistory, holding: _CctldHolding) -> Cell:
    """The ccTLD's cell in year ``y``: the current coding from when it holds, else the coding in
    force then, else `none` before the first delegation, else unknown."""
    last, codings = history.last, history.codings
    current, hold_from = holding.current, holding.hold_from
    if last is not None and y > last:
        return _unknown(f"no source of .{tld['tld']} is dated after {last}")
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
            Cell(_CCTLD_CODING[coding], c_conf, _merge(c_src, nxt))
            if coding in _CCTLD_CODING
            else _UNKNOWN
        )
    first, first_year, none_until = history.first, history.first_year, history.none_until
    if first is not None and none_until is not None and y < none_until:
        return first
    if first_year is not None and y < first_year:
        return _unknown("a recorded conflict dates the delegation earlier")
    return _UNKNOWN


def _predecessor_years(
    tables: Tables, country: str, years: Sequence[int], out: dict[int, Cell]
) -> None:
    """A predecessor TLD recorded for the jurisdiction (e.g. .yu for Serbia) covers the years
    before the main TLD: the jurisdiction was not without a ccTLD then, and the predecessor's
    manager coding is not assessed, so those years (``none`` in ``out``) become unknown."""
    rows = _rows(tables.cctlds, country=country)
    for _, old in rows[rows["status"] == "historical"].iterrows():
        start = _year(old.get("delegated"))
        if start is None:
            continue
        for y in years:
            if y >= start and out[y][0] == "none":
                out[y] = _UNKNOWN


class OrdinalSpan(NamedTuple):
    """Years between two numbered editions with no edition found, and the editions left for them."""

    years: tuple[int, ...]
    editions: int
    before: tuple[int, int]  # (year, number) of the numbered edition before the span
    after: tuple[int, int]  # (year, number) of the numbered edition after it

    def describe(self) -> str:
        (y1, n1), (y2, n2) = self.before, self.after
        return (
            f"{self.editions} edition(s) in {len(self.years)} year(s)"
            f" ({self.years[0]}-{self.years[-1]}: no. {n1} in {y1}, no. {n2} in {y2})"
        )


def ordinal_spans(
    numbered: Iterable[tuple[int, int]], held: Iterable[int] = ()
) -> list[OrdinalSpan]:
    """Spans between consecutive numbered editions: (the years in between with no edition found,
    the number of editions the ordinals leave for them).

    With the n-th edition in year Y1 and the m-th in Y2 (at most one edition a year), m - n - 1
    editions fell in the years between; those found (``held``) are subtracted. A span whose
    count equals its years is bridged (every year held); a smaller count bounds the share held;
    0 means none was held. Inconsistent ordinals (more editions than years) give no span.
    ``numbered`` holds (year, number) pairs.
    """
    found = set(held)
    pairs = sorted(set(numbered))
    out: list[OrdinalSpan] = []
    for (y1, n1), (y2, n2) in itertools.pairwise(pairs):
        if y2 <= y1 or n2 <= n1:
            continue
        gap = tuple(y for y in range(y1 + 1, y2) if y not in found)
        k = n2 - n1 - 1 - sum(1 for y in range(y1 + 1, y2) if y in found)
        if gap and 0 <= k <= len(gap):
            out.append(OrdinalSpan(gap, k, (y1, n1), (y2, n2)))
    return out


def bridged_years(numbered: Iterable[tuple[int, int]], held: Iterable[int] = ()) -> set[int]:
    """Years between two numbered editions whose ordinals leave no gap.

    With the n-th edition in year Y and the (n+k)-th in year Y+k, and at most one edition a year,
    every year between held an edition. ``numbered`` holds (year, number) pairs; editions found
    without a number (``held``) count among those between.
    """
    spans = ordinal_spans(numbered, held)
    return {y for sp in spans if sp.editions == len(sp.years) for y in sp.years}


def bridging_pairs(numbered: Sequence[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """The years strictly between two consecutive numbered editions whose numbers leave exactly one
    edition for each year between (the n-th in Y, the (n+k)-th in Y+k), each with that pair's
    years: the ordinals alone prove an edition in each of them."""
    ordered = sorted(set(numbered))
    out: dict[int, tuple[int, int]] = {}
    for (a, na), (b, nb) in itertools.pairwise(ordered):
        if b > a + 1 and nb - na == b - a:
            out.update(dict.fromkeys(range(a + 1, b), (a, b)))
    return out


def _held_cell(
    y: int,
    held: Mapping[int, tuple[str | None, tuple[str, ...]]],
    bridges: Mapping[int, tuple[int, int]],
    low: frozenset[str],
) -> Cell:
    """A year with an edition found. When the edition's own record is weak evidence but the
    ordinals of two better-sourced editions prove an edition that year, the cell rests on both
    (``held``, ``inferred``, not weak): weak evidence never outranks a sound inference."""
    conf, src = held[y]
    pair = bridges.get(y)
    if pair is not None and is_weak(conf, src, low):
        pair_src = _merge(*(held[x][1] for x in pair if x in held))
        if pair_src and not is_weak("inferred", pair_src, low):
            note = f"ordinals of {pair[0]} and {pair[1]} prove it; its own record is weak evidence"
            return Cell("held", "inferred", _merge(pair_src, src), note=note)
    return Cell("held", conf, src)


def initiative_cells(
    tables: Tables, ini: Mapping[str, Any] | pd.Series, years: Sequence[int]
) -> dict[int, Cell]:
    """Year-by-year state of one IGF initiative (see the module docstring for the rules)."""
    dated = source_years(tables)
    eds = _rows(tables.igf_editions, initiative=ini["id"])
    held: dict[int, tuple[str | None, tuple[str, ...]]] = {}
    planned: dict[int, tuple[str, ...]] = {}
    numbered: list[tuple[int, int]] = []
    first_numbered: tuple[int, str | None, tuple[str, ...]] | None = None
    for _, e in eds.iterrows():
        ey = _year(e["year"])
        if ey is None:
            continue
        conf, src = _v(e.get("confidence")), _ids(e.get("sources"))
        if plan_only(src, ey, dated):  # announced before the year: a plan, not an edition
            planned[ey] = _merge(planned.get(ey, ()), src)
            continue
        old = held.get(ey)
        held[ey] = (strongest(old[0] if old else None, conf), _merge(old[1] if old else (), src))
        n = _v(e.get("number"))
        if n is not None:
            numbered.append((ey, int(n)))
            if int(n) == 1:
                first_numbered = (ey, conf, src)
    # The ordinals the spans rest on: the sources of the numbered editions.
    spans = ordinal_spans(numbered, held)
    ord_src = _merge(*(held[a][1] for a, _ in numbered if a in held)) if spans else ()
    by_span = {y: sp for sp in spans for y in sp.years}

    # The start: the year a source says the initiative began (its first, numbered edition, or
    # the year it was established). Years before it are `none` (an inference from that source),
    # but not the years an ordinal (the n-th edition in Y: the first by Y - n + 1) or a
    # recorded conflict allow for an earlier start.
    starts: list[tuple[int, tuple[str, ...]]] = []
    if first_numbered is not None:
        starts.append((first_numbered[0], first_numbered[2]))
    est = _year(ini.get("established"))
    if est is not None:
        starts.append((est, _ids(ini.get("sources"))))
    start = min((y for y, _ in starts), default=None)
    start_src = _merge(*(s for y, s in starts if y == start))
    earliest = [y - n + 1 for y, n in numbered] + earlier_starts(
        tables, "igf_initiatives", str(ini["id"])
    )
    none_until = min([start, *earliest]) if start is not None else None

    pauses = _rows(tables.igf_pauses, initiative=ini["id"])
    confirmed = _year(ini.get("status_confirmed"))
    low = weak_sources(tables)
    # the ordinals that prove editions, from the numbered editions that are not weak evidence
    bridges = bridging_pairs([(y, n) for y, n in numbered if not is_weak(*held[y], low)])
    out: dict[int, Cell] = {}
    for y in years:
        if y in held:
            out[y] = _held_cell(y, held, bridges, low)
            continue
        cell: Cell | None = None
        for _, p in pauses.iterrows():
            ptype, p0, p1 = p["type"], int(p["start"]), _year(p.get("end"))
            last = p1 if p1 is not None else confirmed
            if ptype == "ended" and y >= p0:
                cell = Cell("none", _v(p.get("confidence")), _ids(p.get("sources")))
            elif ptype != "ended" and p0 <= y and (last is None or y <= last):
                cell = Cell("dormant", _v(p.get("confidence")), _ids(p.get("sources")))
        if cell is not None:
            out[y] = cell
            continue
        plan = ""
        if y in planned:
            pub = ", ".join(f"{i} ({dated[i]})" for i in planned[y])
            plan = f"planned: only sources published before {y} report it: {pub}"
        if y in by_span:
            sp = by_span[y]
            k, n = sp.editions, len(sp.years)
            note = SEP.join(x for x in (f"ordinals: {sp.describe()}", plan) if x)
            if k == n:
                out[y] = Cell("held", "inferred", ord_src, note=note)
            elif k == 0:
                out[y] = Cell("none", "inferred", ord_src, note=note)
            else:
                out[y] = _unknown(note, held_share=round(k / n, 6))
        elif plan:
            out[y] = _unknown(plan)
        elif none_until is not None and y < none_until:
            out[y] = Cell("none", "inferred", start_src)
        elif start is not None and y < start:
            out[y] = _unknown("an ordinal or a recorded conflict allows an earlier start")
        else:
            out[y] = _UNKNOWN
    return out


def _igf_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    inis = _rows(tables.igf_initiatives, country=country, kind="national")
    if inis.empty:
        absence = _absence_row(tables, country, "igf")
        if absence is not None and absence[0] == "none":
            return {y: Cell("none", absence[1], absence[2]) for y in years}
        return {y: _UNKNOWN for y in years}

    per_initiative = [initiative_cells(tables, ini, years) for _, ini in inis.iterrows()]
    out: dict[int, Cell] = {}
    for y in years:
        cells = [p[y] for p in per_initiative]
        for state in ("held", "dormant", "unknown", "none"):
            hits = [c for c in cells if c[0] == state]
            if hits:
                if state == "unknown":
                    shares = [c.held_share for c in hits if c.held_share is not None]
                    out[y] = _unknown(_notes(hits), max(shares) if shares else None)
                else:
                    conf = strongest(*(c[1] for c in hits))
                    src = _merge(*(c[2] for c in hits if c[1] == conf))
                    out[y] = Cell(state, conf, src, note=_notes(hits))
                break
    return out


def _notes(cells: Iterable[Cell]) -> str:
    """The distinct notes of some cells, joined."""
    return SEP.join(dict.fromkeys(c.note for c in cells if c.note))


def body_grade(body: Mapping[str, Any] | pd.Series) -> str | None:
    """The panel state a body record stands for, or ``None`` when it is not part of the
    national-body mechanism.

    The one home of the rule "which body counts and how it grades": only bodies of ``scope:
    national_policy`` count (single-issue bodies are excluded by rule); they grade like ccTLD
    managers, ``multistakeholder`` yes / partly / no giving ``multistakeholder`` /
    ``partly_multistakeholder`` / ``not_multistakeholder`` (a government-led body); a body whose
    composition is not established is ``unknown`` (it exists, but may be either).
    """
    if _v(body.get("scope")) != "national_policy":
        return None
    return BODY_CODING.get(_v(body.get("multistakeholder")), "unknown")


def is_ms_body(body: Mapping[str, Any] | pd.Series) -> bool:
    """A body that adopts the mechanism: national scope, coded multistakeholder yes or partly."""
    return body_grade(body) in ADOPTED["body"]


def ms_body_mask(bodies: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows of ``bodies`` that are multistakeholder bodies (:func:`is_ms_body`)."""
    return pd.Series([is_ms_body(b) for _, b in bodies.iterrows()], index=bodies.index, dtype=bool)


def _body_attested(body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]) -> list[int]:
    """Years a body's record dates it as existing, besides its founding: ``last_evidenced``,
    ``status_as_of`` when ``status`` is ``active``, and the years of its dated sources."""
    ys = [y for y in (_year(body.get("last_evidenced")),) if y is not None]
    as_of = _year(body.get("status_as_of"))
    if _v(body.get("status")) == "active" and as_of is not None:
        ys.append(as_of)
    return ys + [dated[i] for i in _ids(body.get("sources")) if i in dated]


def body_evidenced_from(
    body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]
) -> int | None:
    """The first year a body is evidenced: ``established``; without it, the earliest year its
    record dates it (:func:`body_evidenced_until`'s attestations; an inference). ``None`` when
    nothing dates it."""
    est = _year(body.get("established"))
    if est is not None:
        return est
    return min(_body_attested(body, dated), default=None)


def body_evidenced_until(
    body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]
) -> int | None:
    """The last year a body's sources date it as existing: the greatest of ``established``,
    ``last_evidenced``, ``status_as_of`` when ``status`` is ``active``, and the years of its cited
    sources dated after its founding; capped at ``ended``. ``None`` when nothing dates it."""
    start = body_evidenced_from(body, dated)
    if start is None:
        return None
    last = max([start, *(y for y in _body_attested(body, dated) if y >= start)])
    ended = _year(body.get("ended"))
    return min(last, ended) if ended is not None else last


def _one_body(
    b: pd.Series, years: Sequence[int], dated: Mapping[str, int]
) -> dict[int, Cell | None]:
    """One body's cell per year (``None`` before it was founded: it does not speak to the year).
    How an ``unknown`` cell weighs in the year's state depends on the body's grade
    (:func:`_body_ceiling`, :func:`_body_states`)."""
    grade = body_grade(b)
    est = body_evidenced_from(b, dated)
    out: dict[int, Cell | None] = dict.fromkeys(years)
    if grade is None or est is None:
        return out
    bid = str(b["id"])
    e_conf, e_src = _field(b, "established")
    if _year(b.get("established")) is None:  # the start is the earliest dated attestation
        e_conf, e_src = weakest(e_conf, "inferred"), ()
    m_conf, m_src = _field(b, "multistakeholder")
    rec_src = _ids(b.get("sources"))
    if plan_only(rec_src, est, dated):  # only announced: a plan, not a body
        for y in years:
            if y >= est:
                out[y] = _unknown(f"{bid}: planned (only sources published before {est})")
        return out
    last = body_evidenced_until(b, dated) or est
    ended = _year(b.get("ended"))
    conf = weakest(e_conf, m_conf)
    _, s_src = _field(b, "status")
    for y in years:
        if y < est:
            continue
        if ended is not None and y > ended:
            if rec_src and _v(b.get("confidence")) != "recalled":
                out[y] = Cell("none", _v(b.get("confidence")), rec_src, note=f"{bid} ended {ended}")
            else:
                out[y] = _unknown(f"{bid} ended {ended} (no source)")
        elif y > last:
            out[y] = _unknown(f"{bid}: no source dates activity after {last}")
        elif grade == "unknown":
            out[y] = _unknown(f"{bid} exists; its composition is not established")
        else:
            # the sources that date the body through this year
            later = tuple(i for i in rec_src if dated.get(i, -1) >= y)
            as_of = _year(b.get("status_as_of"))
            if _v(b.get("status")) == "active" and as_of is not None and as_of >= y:
                later = _merge(later, s_src)
            if not later and y > est:  # dated only by `last_evidenced`: the record's sources
                later = rec_src
            out[y] = Cell(grade, conf, _merge(e_src, m_src, later))
    return out


#: Body grades from best to worst (the order in which a year's bodies are compared).
_GRADE_RANK = {
    "multistakeholder": 3,
    "partly_multistakeholder": 2,
    "not_multistakeholder": 1,
    "none": 0,
}


def _body_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    """The year's state is the best grade among the bodies its sources date that year, unless a
    body whose activity that year is not dated could be better: a body of unknown composition
    could be multistakeholder, one coded (say) government-led could be no better than that. So a
    government-led council dated in 2009 gives ``not_multistakeholder`` even while an older
    government-led council's activity is undated, but ``unknown`` while a body of unknown
    composition, or an undated multistakeholder one, may still be at work."""
    bodies = _rows(tables.ms_bodies, country=country)
    absence = _absence_row(tables, country, "body")
    dated = source_years(tables)
    grades = [body_grade(b) for _, b in bodies.iterrows()]
    per_body = [_one_body(b, years, dated) for _, b in bodies.iterrows()]
    out: dict[int, Cell] = {}
    for y in years:
        pairs = [(c, g) for p, g in zip(per_body, grades, strict=True) if (c := p[y]) is not None]
        known = [c for c, _ in pairs if c.state in _GRADE_RANK]
        open_ = [(c, g) for c, g in pairs if c.state == "unknown"]
        best = max((_GRADE_RANK[c.state] for c in known), default=None)
        ceiling = max((_body_ceiling(g) for _, g in open_), default=-1)
        pick: Cell | None = None
        if open_ and (best is None or ceiling > best):
            pick = _unknown(_notes([c for c, _ in open_]))
        elif best is not None:
            state = next(k for k, v in _GRADE_RANK.items() if v == best)
            hits = [c for c in known if c.state == state]
            conf = strongest(*(c.confidence for c in hits))
            src = _merge(*(c.sources for c in hits if c.confidence == conf))
            pick = Cell(state, conf, src, note=_notes([*hits, *(c for c, _ in open_)]))
        if pick is None and absence is not None and absence[0] == "none":
            pick = Cell("none", absence[1], absence[2])
        # Before the first body, or with no body known: another body may exist unseen, so the
        # year is unknown; only an absence record that says `none` or a sourced end makes it none.
        out[y] = pick if pick is not None else _UNKNOWN
    return out


def _body_ceiling(grade: str | None) -> int:
    """The best grade an undated year of a body could have: its coded grade, or
    multistakeholder when its composition is unknown."""
    return _GRADE_RANK.get(grade or "unknown", _GRADE_RANK["multistakeholder"])


def _absence_row(
    tables: Tables, country: str, mechanism: str
) -> tuple[str, str | None, tuple[str, ...]] | None:
    """(finding, confidence, sources) of the country's absence record for a mechanism, if any."""
    rows = _rows(tables.absences, country=country, mechanism=mechanism)
    if rows.empty:
        return None
    pick = rows[rows["finding"] == "none"] if (rows["finding"] == "none").any() else rows
    conf = strongest(*pick["confidence"])
    src = _merge(*(_ids(s) for s in pick["sources"]))
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


def adoption_panel(
    tables: Tables | None = None,
    start: int = 1990,
    end: int | None = None,
    carry: int | None = None,
) -> pd.DataFrame:
    """Long panel (country, scope_role, year, mechanism, state, confidence, evidence, sources,
    note, held_share).

    ``end`` defaults to :func:`latest_data_year`. Rows are sorted by country, year and mechanism
    (in the order cctld, igf, body). ``scope_role`` (``core`` or ``reference``) says which
    jurisdictions :func:`index` ranks; it travels with the table, so a panel read back from the
    export ranks the same jurisdictions. See the module docstring for the state rules;
    ``carry`` (default :data:`CARRY_FORWARD_YEARS`) is the number of years a state is
    carried past the last year its sources date, for the three mechanisms alike.
    """
    tables = tables or load()
    end = latest_data_year(tables) if end is None else end
    if end < start:
        raise UserError(f"end year {end} is before start year {start}")
    years = list(range(start, end + 1))
    k = CARRY_FORWARD_YEARS if carry is None else carry
    if k < 0:
        raise UserError(f"carry-forward must be 0 or more years, got {k}")
    low = weak_sources(tables)
    roles = dict(
        zip(tables.countries["code"].astype(str), tables.countries["scope_role"], strict=True)
    )
    rows: list[dict[str, Any]] = []
    for code in sorted(roles):
        by_mech = {
            m: carry_forward(cells, years, k)
            for m, cells in (
                ("cctld", _cctld_states(tables, code, years)),
                ("igf", _igf_states(tables, code, years)),
                ("body", _body_states(tables, code, years)),
            )
        }
        for y in years:
            for m in MECHANISMS:
                state, conf, src, weak_part, note, share = by_mech[m][y]
                known = state != "unknown"
                weak = weak_part or is_weak(conf, src, low)
                rows.append(
                    {
                        "country": code,
                        "scope_role": roles[code],
                        "year": y,
                        "mechanism": m,
                        "state": state,
                        "confidence": conf if known else None,
                        "evidence": (("weak" if weak else "strong") if known else None),
                        "sources": SEP.join(src) if known else "",
                        "note": note or None,
                        "held_share": share,
                    }
                )
    panel = pd.DataFrame(rows, columns=PANEL_COLUMNS)
    panel["year"] = panel["year"].astype("int64")
    panel["held_share"] = panel["held_share"].astype("float64")
    return panel


_PANELS: dict[str, pd.DataFrame] = {}


def panel_for(tables: Tables) -> pd.DataFrame:
    """The adoption panel of ``tables``, computed once per *content* (:meth:`Tables.content_hash`,
    not the hash of the files they were loaded from, so edited tables never get a stale panel).
    Each call returns a copy: editing it does not change the cache."""
    key = tables.content_hash()
    panel = _PANELS.get(key)
    if panel is None:
        if len(_PANELS) >= 4:
            _PANELS.clear()
        panel = _PANELS[key] = adoption_panel(tables)
    return panel.copy()


def core_set_of(panel: pd.DataFrame, core: Iterable[str] | None = None) -> set[str]:
    """The jurisdictions ranked: ``core`` if given, else the panel's ``scope_role == "core"`` rows."""
    if isinstance(core, str):  # one code, or "RS,HR" — never split a string into letters
        return {c.strip() for c in core.split(",") if c.strip()}
    if core is not None:
        return set(core)
    if "scope_role" in panel:
        return set(panel.loc[panel["scope_role"] == "core", "country"].astype(str))
    return set(panel["country"].astype(str))


# --------------------------------------------------------------------------------------------
# 6. Diffusion
# --------------------------------------------------------------------------------------------


def diffusion(panel: pd.DataFrame, core: Iterable[str] | None = None) -> pd.DataFrame:
    """Per year and mechanism, how many core jurisdictions have adopted it, and how many unknown.

    Adopted: ccTLD multistakeholder or partly; IGF held or dormant; body active. Columns: year,
    mechanism, adopted, unknown, n (core jurisdictions in the panel that year).
    """
    core_set = core_set_of(panel, core)
    p = panel[panel["country"].astype(str).isin(core_set)]
    rows = []
    for (y, m), grp in p.groupby(["year", "mechanism"], sort=True):
        rows.append(
            {
                "year": int(y),
                "mechanism": m,
                "adopted": int(grp["state"].isin(ADOPTED.get(str(m), frozenset())).sum()),
                "unknown": int((grp["state"] == "unknown").sum()),
                "n": int(grp["country"].nunique()),
            }
        )
    out = pd.DataFrame(rows, columns=["year", "mechanism", "adopted", "unknown", "n"])
    order = {m: i for i, m in enumerate(MECHANISMS)}
    out = out.sort_values(
        ["year", "mechanism"], key=lambda s: s.map(order) if s.name == "mechanism" else s
    )
    return out.reset_index(drop=True)
