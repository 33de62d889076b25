"""The adoption panel: each jurisdiction's state of each mechanism, year by year.

:func:`adoption_panel` turns the coded facts into a long table with one row per jurisdiction, year
and mechanism (``cctld``, ``igf``, ``body``) giving the mechanism's *state* that year and the
*confidence* of the weakest fact the state rests on (``sourced`` > ``inferred`` > ``recalled``;
``None`` for ``unknown`` states). Unknowns stay unknown: missing data never becomes ``none``
unless a sourced absence (``finding: none``) says so, or the timeline of a known mechanism implies
it (the years before its first known date).

The rules, with a worked example each, are in the codebook (section 3.5); in short:

``cctld`` -- the jurisdiction's *main* ccTLD: the active ASCII ccTLD (the one matching the code
first; a historical TLD such as ``.yu`` is never main).

* ``none`` every year if an absence ``cctld``/``none`` exists (Kosovo*);
* the current manager's ``multistakeholder`` coding from ``manager_since``; without it, from the
  sourced bound ``manager_by`` (``inferred``); without either, from the earliest publication year
  of the coding's own sources (``inferred``);
* before that, the coding carried by the latest manager-change event (``delegation``,
  ``redelegation``, ``administrative_transfer``; other events count only when they carry a
  ``manager_multistakeholder`` coding). A manager change without a coding is ``unknown``;
* before the first known delegation date: ``none``; any other year: ``unknown``.

``igf`` -- national IGF initiatives only (youth and regional initiatives are left out).

* ``held`` in a year with an edition found (the edition's confidence), and ``held``/``inferred``
  in years bridged by ordinals (:func:`bridged_years`);
* ``dormant`` in the years of a sourced pause, ``none`` from a sourced end (``igf_pauses``);
* ``none``/``inferred`` before a sourced start (an edition numbered 1, or ``established``);
* ``unknown`` in every other year: an edition not found is not an edition not held.

``body`` -- national bodies coded ``multistakeholder: yes`` or ``partly``.

* ``active`` from ``established`` to ``ended`` (or to the last data year when not ended; to the
  year before ``status_as_of`` when ``inactive``);
* ``none`` only with an absence ``body``/``none``; every other year ``unknown`` (another body may
  exist unseen).

Each cell also carries ``evidence`` (``weak`` when it rests on a recalled fact or only on
low-reliability sources) and the ids of its ``sources``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from .catalog import TABLE_SPECS
from .errors import UserError
from .load import Tables, load
from .selection import latest_data_year
from .vocab import ADOPTED, CONFIDENCE_ORDER, MECHANISMS, SEP
from .vocab import CCTLD_CODING as _CCTLD_CODING

_MANAGER_CHANGE = frozenset({"delegation", "redelegation", "administrative_transfer"})
_FIRST_DELEGATION = frozenset({"created", "delegation"})

PANEL_COLUMNS = TABLE_SPECS["adoption_panel"].column_names

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _v(x: Any) -> Any:
    """``None`` for missing values (NaN, NA, None), the value otherwise."""
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
    except (TypeError, ValueError):
        pass
    return x


def _year(x: Any) -> int | None:
    """The year of a ``YYYY[-MM[-DD]]`` string or a number, ``None`` if missing."""
    x = _v(x)
    if x is None:
        return None
    if isinstance(x, str):
        m = re.match(r"^\s*(\d{4})", x)
        return int(m.group(1)) if m else None
    return int(x)


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
    """A panel cell: the state, the confidence and source ids it rests on, and whether one part
    of it (e.g. the year from which a coding holds) rests only on low-reliability sources."""

    state: str
    confidence: str | None
    sources: tuple[str, ...]
    weak_part: bool = False


_UNKNOWN = Cell("unknown", None, ())


def _ids(x: Any) -> tuple[str, ...]:
    """Source ids of a joined ``sources`` value (``"a; b"``), in order, without blanks."""
    x = _v(x)
    if not x:
        return ()
    return tuple(s for s in str(x).split(SEP) if s)


def _field(rec: Mapping[str, Any] | pd.Series, name: str) -> tuple[str | None, tuple[str, ...]]:
    """(confidence, sources) of one field of a record (its own provenance columns if any)."""
    conf = _v(rec.get(f"{name}_confidence")) or _v(rec.get("confidence"))
    src = rec.get(f"{name}_sources")
    return conf, _ids(src) if _v(src) is not None else _ids(rec.get("sources"))


def _merge(*parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for p in parts for s in p))


def _published_years(tables: Tables, ids: Iterable[str]) -> list[int]:
    """Publication (or archived-copy) years of the given sources, where known."""
    src = tables.sources
    if src.empty:
        return []
    rows = src[src["id"].isin(list(ids))]
    years: list[int] = []
    for col in ("published", "archived"):
        if col in rows:
            years.extend(y for y in (_year(x) for x in rows[col]) if y is not None)
    return years


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


def _cctld_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    absence = _absence_row(tables, country, "cctld")
    if absence is not None and absence[0] == "none":
        return {y: Cell("none", absence[1], absence[2]) for y in years}
    tld = main_cctld(tables, country)
    if tld is None:
        return {y: _UNKNOWN for y in years}

    events = _rows(tables.cctld_events, country=country, tld=tld["tld"])
    # The first known delegation: the `delegated` field and created/delegation events.
    firsts: list[tuple[int, str | None, tuple[str, ...]]] = []
    y0 = _year(tld.get("delegated"))
    if y0 is not None:
        firsts.append((y0, *_field(tld, "delegated")))
    # Codings in force from a year on: (year, date, coding or None, confidence, sources).
    codings: list[tuple[int, str, str | None, str | None, tuple[str, ...]]] = []
    for _, e in events.iterrows():
        ey = _year(e["date"])
        if ey is None:
            continue
        etype = e["type"]
        coding = _v(e.get("manager_multistakeholder"))
        esrc = _ids(e.get("sources"))
        if etype in _FIRST_DELEGATION:
            firsts.append((ey, _v(e.get("confidence")), esrc))
        if etype in _MANAGER_CHANGE or coding is not None:
            codings.append((ey, str(e["date"]), coding, _v(e.get("confidence")), esrc))
    codings.sort(key=lambda c: (c[0], c[1]))
    first: Cell | None = None
    first_year: int | None = None
    if firsts:
        first_year = min(y for y, _, _ in firsts)
        at = [(c, s) for y, c, s in firsts if y == first_year]
        first = Cell("none", strongest(*(c for c, _ in at)), _merge(*(s for _, s in at)))

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
        dated = _published_years(tables, ms_src)
        hold_from = min(dated) if dated else None
        hold_conf, hold_src = weakest(ms_conf, "inferred"), ms_src

    dated_coding = _published_years(tables, ms_src)
    coded_from = min(dated_coding) if dated_coding else None
    out: dict[int, Cell] = {}
    for y in years:
        if hold_from is not None and y >= hold_from and current in _CCTLD_CODING:
            # a weak start year weakens the years before the coding's own sources date it
            out[y] = Cell(
                _CCTLD_CODING[current],
                hold_conf,
                hold_src,
                timing_weak and (coded_from is None or y < coded_from),
            )
            continue
        in_force = [c for c in codings if c[0] <= y]
        if in_force:
            _, _, coding, c_conf, c_src = in_force[-1]
            out[y] = (
                Cell(_CCTLD_CODING[coding], c_conf, c_src) if coding in _CCTLD_CODING else _UNKNOWN
            )
        elif first is not None and first_year is not None and y < first_year:
            out[y] = first
        else:
            out[y] = _UNKNOWN
    # A predecessor TLD recorded for the jurisdiction (e.g. .yu for Serbia) covers the years
    # before the main TLD: the jurisdiction was not without a ccTLD then, and the predecessor's
    # manager coding is not assessed, so those years are unknown rather than none.
    rows = _rows(tables.cctlds, country=country)
    for _, old in rows[rows["status"] == "historical"].iterrows():
        start = _year(old.get("delegated"))
        if start is None:
            continue
        for y in years:
            if y >= start and out[y][0] == "none":
                out[y] = _UNKNOWN
    return out


def bridged_years(numbered: Iterable[tuple[int, int]]) -> set[int]:
    """Years between two numbered editions whose ordinals leave no gap.

    With the n-th edition in year Y and the (n+k)-th in year Y+k, and at most one edition a year,
    every year between held an edition. ``numbered`` holds (year, number) pairs.
    """
    pairs = sorted(numbered)
    out: set[int] = set()
    for (y1, n1), (y2, n2) in itertools.pairwise(pairs):
        if y2 - y1 > 1 and n2 - n1 == y2 - y1:
            out.update(range(y1 + 1, y2))
    return out


def initiative_cells(
    tables: Tables, ini: Mapping[str, Any] | pd.Series, years: Sequence[int]
) -> dict[int, Cell]:
    """Year-by-year state of one IGF initiative (see the module docstring for the rules)."""
    eds = _rows(tables.igf_editions, initiative=ini["id"])
    held: dict[int, tuple[str | None, tuple[str, ...]]] = {}
    numbered: list[tuple[int, int]] = []
    first_numbered: tuple[int, str | None, tuple[str, ...]] | None = None
    for _, e in eds.iterrows():
        ey = _year(e["year"])
        if ey is None:
            continue
        conf, src = _v(e.get("confidence")), _ids(e.get("sources"))
        old = held.get(ey)
        held[ey] = (strongest(old[0] if old else None, conf), _merge(old[1] if old else (), src))
        n = _v(e.get("number"))
        if n is not None:
            numbered.append((ey, int(n)))
            if int(n) == 1:
                first_numbered = (ey, conf, src)
    bridge = bridged_years(numbered)
    # The ordinals the bridge rests on: the sources of the numbered editions (computed once).
    bridge_src = _merge(*(held[a][1] for a, _ in numbered if a in held)) if bridge else ()

    # The start: the year a source says the initiative began (its first, numbered edition, or
    # the year it was established). Years before it are `none` (an inference from that source).
    starts: list[tuple[int, tuple[str, ...]]] = []
    if first_numbered is not None:
        starts.append((first_numbered[0], first_numbered[2]))
    est = _year(ini.get("established"))
    if est is not None:
        starts.append((est, _ids(ini.get("sources"))))
    start = min((y for y, _ in starts), default=None)
    start_src = _merge(*(s for y, s in starts if y == start))

    pauses = _rows(tables.igf_pauses, initiative=ini["id"])
    confirmed = _year(ini.get("status_confirmed"))
    out: dict[int, Cell] = {}
    for y in years:
        if y in held:
            out[y] = Cell("held", held[y][0], held[y][1])
            continue
        if y in bridge:
            out[y] = Cell("held", "inferred", bridge_src)
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
        elif start is not None and y < start:
            out[y] = Cell("none", "inferred", start_src)
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
                    out[y] = _UNKNOWN
                else:
                    conf = strongest(*(c[1] for c in hits))
                    src = _merge(*(c[2] for c in hits if c[1] == conf))
                    out[y] = Cell(state, conf, src)
                break
    return out


def _body_states(tables: Tables, country: str, years: Sequence[int], end: int) -> dict[int, Cell]:
    bodies = _rows(tables.ms_bodies, country=country)
    if not bodies.empty:
        bodies = bodies[bodies["multistakeholder"].isin(["yes", "partly"])]
    absence = _absence_row(tables, country, "body")
    if absence is not None and absence[0] == "none" and bodies.empty:
        return {y: Cell("none", absence[1], absence[2]) for y in years}
    if bodies.empty:
        return {y: _UNKNOWN for y in years}

    # Each body: (first active year or None, last active year or None, confidence, sources).
    spans: list[tuple[int | None, int | None, str | None, tuple[str, ...]]] = []
    for _, b in bodies.iterrows():
        est = _year(b.get("established"))
        ended = _year(b.get("ended"))
        status = _v(b.get("status"))
        as_of = _year(b.get("status_as_of"))
        e_conf, e_src = _field(b, "established")
        m_conf, m_src = _field(b, "multistakeholder")
        conf = weakest(e_conf, m_conf)
        src = _merge(e_src, m_src)
        if ended is not None:
            last: int | None = ended
            conf = weakest(conf, _v(b.get("confidence")))
        elif status == "inactive" and as_of is not None:
            last = as_of - 1
        elif status == "ended":
            last = est
        else:
            last = end
        spans.append((est, last, conf, src))

    out: dict[int, Cell] = {}
    for y in years:
        active = [
            (c, s)
            for s0, last, c, s in spans
            if s0 is not None and last is not None and s0 <= y <= last
        ]
        if active:
            conf = strongest(*(c for c, _ in active))
            out[y] = Cell("active", conf, _merge(*(s for c, s in active if c == conf)))
        else:
            # Before the first body or after the last one: another body may exist unseen, so the
            # year is unknown; only an absence record that says `none` makes it none.
            out[y] = _UNKNOWN
    return out


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
    tables: Tables | None = None, start: int = 1990, end: int | None = None
) -> pd.DataFrame:
    """Long panel (country, scope_role, year, mechanism, state, confidence, evidence, sources).

    ``end`` defaults to :func:`latest_data_year`. Rows are sorted by country, year and mechanism
    (in the order cctld, igf, body). ``scope_role`` (``core`` or ``reference``) says which
    jurisdictions :func:`index` ranks; it travels with the table, so a panel read back from the
    export ranks the same jurisdictions. See the module docstring for the state rules.
    """
    tables = tables or load()
    end = latest_data_year(tables) if end is None else end
    if end < start:
        raise UserError(f"end year {end} is before start year {start}")
    years = list(range(start, end + 1))
    low = weak_sources(tables)
    roles = dict(
        zip(tables.countries["code"].astype(str), tables.countries["scope_role"], strict=True)
    )
    rows: list[dict[str, Any]] = []
    for code in sorted(roles):
        by_mech = {
            "cctld": _cctld_states(tables, code, years),
            "igf": _igf_states(tables, code, years),
            "body": _body_states(tables, code, years, end),
        }
        for y in years:
            for m in MECHANISMS:
                state, conf, src, weak_part = by_mech[m][y]
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
                    }
                )
    panel = pd.DataFrame(rows, columns=PANEL_COLUMNS)
    panel["year"] = panel["year"].astype("int64")
    return panel


_PANELS: dict[str, pd.DataFrame] = {}


def panel_for(tables: Tables) -> pd.DataFrame:
    """The adoption panel of ``tables``, computed once per data hash (do not modify it)."""
    panel = _PANELS.get(tables.data_hash)
    if panel is None:
        if len(_PANELS) >= 4:
            _PANELS.clear()
        panel = _PANELS[tables.data_hash] = adoption_panel(tables)
    return panel


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
