"""Indicators of multistakeholder adoption: the adoption panel, the Multi-SEE index and friends.

The adoption panel
------------------
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

The Multi-SEE index
-------------------
Each state maps to a mechanism score in [0, 1] (:data:`STATE_SCORES`): ccTLD multistakeholder 1,
partly 0.5, not multistakeholder 0, none 0; IGF held 1, dormant 0.5, none 0; body active 1,
none 0. For jurisdiction *c* in year *t* with weights *w_m* (default 1/3 each,
:data:`DEFAULT_WEIGHTS`) the index is the weighted mean::

    score(c, t) = sum_m w_m * s_m(c, t) / sum_m w_m

Uncertainty is carried as an interval ``[low, high]`` computed with the same formula from
per-mechanism bounds:

* a known state resting on ``sourced`` or ``inferred`` facts: ``low = s = high``;
* a known state on weak evidence (a ``recalled`` fact, or only low-reliability sources): ``low = 0``,
  ``high = 1`` (the mechanism's maximum), the point ``score`` keeps the face value ``s``;
* an ``unknown`` state (or a missing panel row): ``low = 0``, ``high = 1`` and the point score
  takes their mean, 0.5.

Hence ``low <= score <= high`` always, and moving a mechanism to a more multistakeholder state never
lowers ``score``, ``low`` or ``high``.

Ranks (1 = best) are computed per year among the *core* jurisdictions only (``scope_role ==
"core"``; the reference case, Switzerland, keeps its score with rank ``NaN``). A rank is 1 + the
number of jurisdictions strictly above, so ties share a rank (1, 2, 2, 4; printed "=2" by
:func:`rank_labels`), never broken by alphabetical order. ``rank_best`` is the best rank attainable
(the country's ``high`` against every other country's ``low``), ``rank_worst`` the worst (its
``low`` against the others' ``high``), so ``rank_best <= rank <= rank_worst``.

:func:`sensitivity` redraws the weights from a Dirichlet distribution centred on the default
weights (``alpha = concentration * w``) and reports percentiles of scores and ranks.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import UserError
from .load import Tables, load
from .selection import latest_data_year, select
from .vocab import ADOPTED, BPF_DIMENSIONS, CODES, CONFIDENCE_ORDER, MECHANISMS, SEP, STATES
from .vocab import CCTLD_CODING as _CCTLD_CODING

#: Score of each known state, per mechanism (``unknown`` is handled as an interval, see above).
STATE_SCORES: dict[str, dict[str, float]] = {
    "cctld": {
        "multistakeholder": 1.0,
        "partly_multistakeholder": 0.5,
        "not_multistakeholder": 0.0,
        "none": 0.0,
    },
    "igf": {"held": 1.0, "dormant": 0.5, "none": 0.0},
    "body": {"active": 1.0, "none": 0.0},
}

DEFAULT_WEIGHTS: dict[str, float] = {"cctld": 1 / 3, "igf": 1 / 3, "body": 1 / 3}

#: The five stakeholder groups used for balance.
GROUPS: tuple[str, ...] = (
    "government",
    "private_sector",
    "civil_society",
    "academia",
    "technical_community",
)

_MANAGER_CHANGE = frozenset({"delegation", "redelegation", "administrative_transfer"})
_FIRST_DELEGATION = frozenset({"created", "delegation"})

PANEL_COLUMNS = [
    "country",
    "scope_role",
    "year",
    "mechanism",
    "state",
    "confidence",
    "evidence",
    "sources",
]
INDEX_COLUMNS = [
    "country",
    "scope_role",
    "year",
    "score",
    "low",
    "high",
    "rank",
    "rank_best",
    "rank_worst",
]


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

#: A panel cell: (state, confidence, source ids it rests on).
Cell = tuple[str, str | None, tuple[str, ...]]
_UNKNOWN: Cell = ("unknown", None, ())


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
        return {y: ("none", absence[1], absence[2]) for y in years}
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
        first = ("none", strongest(*(c for c, _ in at)), _merge(*(s for _, s in at)))

    current = _v(tld.get("multistakeholder"))
    ms_conf, ms_src = _field(tld, "multistakeholder")
    # From when the current manager's coding holds: its take-over year; else a sourced "no
    # later than" bound; else the earliest date of the coding's own sources (the coding is at
    # least known from then on). The last two are inferences.
    since = _year(tld.get("manager_since"))
    if since is not None:
        s_conf, s_src = _field(tld, "manager_since")
        hold_from, hold_conf, hold_src = since, weakest(ms_conf, s_conf), _merge(ms_src, s_src)
    elif _year(tld.get("manager_by")) is not None:
        b_conf, b_src = _field(tld, "manager_by")
        hold_from = _year(tld.get("manager_by"))
        hold_conf = weakest(ms_conf, b_conf, "inferred")
        hold_src = _merge(ms_src, b_src)
    else:
        dated = _published_years(tables, ms_src)
        hold_from = min(dated) if dated else None
        hold_conf, hold_src = weakest(ms_conf, "inferred"), ms_src

    out: dict[int, Cell] = {}
    for y in years:
        if hold_from is not None and y >= hold_from and current in _CCTLD_CODING:
            out[y] = (_CCTLD_CODING[current], hold_conf, hold_src)
            continue
        in_force = [c for c in codings if c[0] <= y]
        if in_force:
            _, _, coding, c_conf, c_src = in_force[-1]
            out[y] = (_CCTLD_CODING[coding], c_conf, c_src) if coding in _CCTLD_CODING else _UNKNOWN
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
            out[y] = ("held", held[y][0], held[y][1])
            continue
        if y in bridge:
            out[y] = ("held", "inferred", bridge_src)
            continue
        cell: Cell | None = None
        for _, p in pauses.iterrows():
            ptype, p0, p1 = p["type"], int(p["start"]), _year(p.get("end"))
            last = p1 if p1 is not None else confirmed
            if ptype == "ended" and y >= p0:
                cell = ("none", _v(p.get("confidence")), _ids(p.get("sources")))
            elif ptype != "ended" and p0 <= y and (last is None or y <= last):
                cell = ("dormant", _v(p.get("confidence")), _ids(p.get("sources")))
        if cell is not None:
            out[y] = cell
        elif start is not None and y < start:
            out[y] = ("none", "inferred", start_src)
        else:
            out[y] = _UNKNOWN
    return out


def _igf_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    inis = _rows(tables.igf_initiatives, country=country, kind="national")
    if inis.empty:
        absence = _absence_row(tables, country, "igf")
        if absence is not None and absence[0] == "none":
            return {y: ("none", absence[1], absence[2]) for y in years}
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
                    out[y] = (state, conf, src)
                break
    return out


def _body_states(tables: Tables, country: str, years: Sequence[int], end: int) -> dict[int, Cell]:
    bodies = _rows(tables.ms_bodies, country=country)
    if not bodies.empty:
        bodies = bodies[bodies["multistakeholder"].isin(["yes", "partly"])]
    absence = _absence_row(tables, country, "body")
    if absence is not None and absence[0] == "none" and bodies.empty:
        return {y: ("none", absence[1], absence[2]) for y in years}
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
            out[y] = ("active", conf, _merge(*(s for c, s in active if c == conf)))
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
                state, conf, src = by_mech[m][y]
                known = state != "unknown"
                rows.append(
                    {
                        "country": code,
                        "scope_role": roles[code],
                        "year": y,
                        "mechanism": m,
                        "state": state,
                        "confidence": conf if known else None,
                        "evidence": (
                            ("weak" if is_weak(conf, src, low) else "strong") if known else None
                        ),
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


# --------------------------------------------------------------------------------------------
# 2. The Multi-SEE index
# --------------------------------------------------------------------------------------------


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(w) - set(MECHANISMS)
    if unknown:
        raise UserError(f"unknown mechanism(s) in weights: {', '.join(sorted(unknown))}")
    w = {m: float(w.get(m, 0.0)) for m in MECHANISMS}
    if any(v < 0 or math.isnan(v) for v in w.values()) or sum(w.values()) <= 0:
        raise UserError("weights must be non-negative numbers with a positive sum")
    return w


def mechanism_bounds(
    state: Any, confidence: Any, mechanism: str, evidence: Any = None
) -> tuple[float, float, float]:
    """(low, score, high) of one mechanism state (see the module docstring)."""
    scores = STATE_SCORES[mechanism]
    state = _v(state)
    if state not in scores:
        return 0.0, 0.5, 1.0
    s = scores[state]
    if _v(confidence) == "recalled" or _v(evidence) == "weak":
        return 0.0, s, max(scores.values())
    return s, s, s


def _score_matrix(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, year), columns ``<bound>_<mechanism>`` for bound in low/score/high."""
    if panel.empty:
        cols = [f"{b}_{m}" for b in ("low", "score", "high") for m in MECHANISMS]
        return pd.DataFrame(columns=["country", "year", *cols])
    conf = panel["confidence"] if "confidence" in panel else pd.Series(None, index=panel.index)
    evid = panel["evidence"] if "evidence" in panel else pd.Series(None, index=panel.index)
    bounds = [
        mechanism_bounds(s, c, m, e)
        for s, c, m, e in zip(panel["state"], conf, panel["mechanism"], evid, strict=True)
    ]
    long = pd.DataFrame(
        {
            "country": panel["country"].astype(str).to_numpy(),
            "year": panel["year"].astype("int64").to_numpy(),
            "mechanism": panel["mechanism"].astype(str).to_numpy(),
            "low": [b[0] for b in bounds],
            "score": [b[1] for b in bounds],
            "high": [b[2] for b in bounds],
        }
    )
    long = long[long["mechanism"].isin(MECHANISMS)]
    wide = long.pivot_table(
        index=["country", "year"],
        columns="mechanism",
        values=["low", "score", "high"],
        aggfunc="first",
    )
    wide.columns = [f"{b}_{m}" for b, m in wide.columns]
    for m in MECHANISMS:  # missing rows are unknown
        for b, fill in (("low", 0.0), ("score", 0.5), ("high", 1.0)):
            col = f"{b}_{m}"
            if col not in wide:
                wide[col] = fill
            wide[col] = wide[col].fillna(fill).astype(float)
    return wide.reset_index()


def _weighted(wide: pd.DataFrame, bound: str, w: Mapping[str, float]) -> pd.Series:
    total = sum(w.values())
    acc = pd.Series(0.0, index=wide.index)
    for m in MECHANISMS:
        acc = acc + w[m] * wide[f"{bound}_{m}"]
    return acc / total


def rank_against(own: np.ndarray, others: np.ndarray) -> np.ndarray:
    """1 + the number of others strictly above each country (ties share a rank: 1, =2, =2, 4).

    ``own[i]`` is compared with ``others[j]`` for every ``j != i``.
    """
    n = len(own)
    if n == 0:
        return np.zeros(0, dtype=int)
    o = np.round(own, 12)[:, None]
    t = np.round(others, 12)[None, :]
    beats = t > o
    np.fill_diagonal(beats, False)
    return 1 + beats.sum(axis=1)


def rank_labels(ranks: Sequence[Any]) -> list[str]:
    """Ranks as printed: ``"=12"`` when another jurisdiction shares the rank, ``""`` when missing."""
    vals = [None if pd.isna(r) else int(r) for r in ranks]
    counts: dict[int, int] = {}
    for v in vals:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return ["" if v is None else (f"={v}" if counts[v] > 1 else str(v)) for v in vals]


def _core(panel: pd.DataFrame, core: Iterable[str] | None) -> set[str]:
    if isinstance(core, str):  # one code, or "RS,HR" — never split a string into letters
        return {c.strip() for c in core.split(",") if c.strip()}
    if core is not None:
        return set(core)
    if "scope_role" in panel:
        return set(panel.loc[panel["scope_role"] == "core", "country"].astype(str))
    return set(panel["country"].astype(str))


def index(
    panel: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    year: int | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The Multi-SEE index per country and year, with its bounds and ranks.

    Columns: country, scope_role, year, score, low, high, rank, rank_best, rank_worst.
    ``weights`` default to :data:`DEFAULT_WEIGHTS` (normalised to sum 1); ``year`` restricts to one
    year. Ranks are among the ``core`` jurisdictions (default: the panel's rows with ``scope_role``
    ``core``, else every country in the panel); the others get rank ``NaN`` and ``scope_role``
    ``reference``.
    """
    w = _weights(weights)
    core_set = _core(panel, core)
    if year is not None:
        panel = panel[panel["year"] == year]
    wide = _score_matrix(panel)
    out = pd.DataFrame(
        {
            "country": wide["country"].astype(str),
            "year": wide["year"].astype("int64"),
            "score": _weighted(wide, "score", w),
            "low": _weighted(wide, "low", w),
            "high": _weighted(wide, "high", w),
        }
    )
    out["scope_role"] = np.where(out["country"].isin(core_set), "core", "reference")
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = pd.Series(np.nan, index=out.index, dtype="Float64")
    for _, grp in out[out["country"].isin(core_set)].groupby("year"):
        score = grp["score"].to_numpy(dtype=float)
        low = grp["low"].to_numpy(dtype=float)
        high = grp["high"].to_numpy(dtype=float)
        out.loc[grp.index, "rank"] = rank_against(score, score)
        out.loc[grp.index, "rank_best"] = rank_against(high, low)
        out.loc[grp.index, "rank_worst"] = rank_against(low, high)
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["year", "country"], ignore_index=True)[INDEX_COLUMNS]


def sensitivity(
    panel: pd.DataFrame,
    year: int,
    n: int = 1000,
    seed: int = 0,
    concentration: float = 20,
    weights: Mapping[str, float] | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Monte Carlo over weights ~ Dirichlet(concentration * w), w the default (or given) weights.

    Returns one row per country with score_p05/p50/p95 and rank_p05/p50/p95 (ranks among the
    core jurisdictions, tie rule as in :func:`index`; ``NaN`` for others).
    """
    if n < 1:
        raise UserError(f"n must be at least 1, got {n}")
    if concentration <= 0:
        raise UserError(f"concentration must be positive, got {concentration}")
    w = _weights(weights)
    total = sum(w.values())
    mechs = [m for m in MECHANISMS if w[m] > 0]
    alpha = np.array([concentration * w[m] / total for m in mechs])
    wide = _score_matrix(panel[panel["year"] == year])
    cols = [
        "country",
        "score_p05",
        "score_p50",
        "score_p95",
        "rank_p05",
        "rank_p50",
        "rank_p95",
    ]
    if wide.empty:
        return pd.DataFrame(columns=cols)
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(alpha, size=n)  # n x k
    s = wide[[f"score_{m}" for m in mechs]].to_numpy(dtype=float)  # c x k
    scores = draws @ s.T  # n x c
    codes = wide["country"].to_numpy(dtype=str)
    core_set = _core(panel, core)
    is_core = np.array([c in core_set for c in codes])
    ranks = np.full(scores.shape, np.nan)
    if is_core.any():
        sc = np.round(scores[:, is_core], 12)
        beats = sc[:, None, :] > sc[:, :, None]  # [draw, i, j]: j strictly above i
        idx = np.arange(sc.shape[1])
        beats[:, idx, idx] = False
        ranks[:, is_core] = 1 + beats.sum(axis=2)
    q = [5, 50, 95]
    sp = np.percentile(scores, q, axis=0)
    out = pd.DataFrame({"country": codes})
    for i, p in enumerate(("p05", "p50", "p95")):
        out[f"score_{p}"] = sp[i]
    if is_core.any():
        rp = np.full((3, len(codes)), np.nan)
        rp[:, is_core] = np.percentile(ranks[:, is_core], q, axis=0)
    else:
        rp = np.full((3, len(codes)), np.nan)
    for i, p in enumerate(("p05", "p50", "p95")):
        out[f"rank_{p}"] = rp[i]
    return out.sort_values("country", ignore_index=True)[cols]


# --------------------------------------------------------------------------------------------
# 3. Balance of composition
# --------------------------------------------------------------------------------------------


def balance_of(groups: Sequence[str], seats: Sequence[Any]) -> dict[str, Any]:
    """Balance of one composition: n_groups, evenness, largest_share, basis.

    Only the five groups of :data:`GROUPS` count. Seats are used when every row of those groups
    has a seat count (and they sum above zero), otherwise presence (1 per group present).
    Evenness is Shannon's H over the five groups divided by ln(5) (0 when a single group is
    present, ``NaN`` when none is).
    """
    per: dict[str, float] = {}
    all_seats = True
    for g, s in zip(groups, seats, strict=True):
        if g not in GROUPS:
            continue
        s = _v(s)
        if s is None:
            all_seats = False
            per.setdefault(g, 0.0)
        else:
            per[g] = per.get(g, 0.0) + float(s)
    if all_seats and per and sum(per.values()) > 0:
        basis = "seats"
        counts = {g: v for g, v in per.items() if v > 0}
    else:
        basis = "presence"
        counts = {g: 1.0 for g in per}
    total = sum(counts.values())
    if total <= 0:
        return {"n_groups": 0, "evenness": math.nan, "largest_share": math.nan, "basis": basis}
    shares = [v / total for v in counts.values()]
    h = max(0.0, -sum(p * math.log(p) for p in shares if p > 0))
    return {
        "n_groups": len(counts),
        "evenness": h / math.log(len(GROUPS)),
        "largest_share": max(shares),
        "basis": basis,
    }


def balance(tables: Tables | None = None) -> pd.DataFrame:
    """Stakeholder balance of every body and IGF committee with a known composition.

    Columns: body, country, kind (``body`` / ``igf_committee``), n_groups, groups (joined with
    ``"; "``), evenness, largest_share, basis (``seats`` or ``presence``), n_other (rows in
    groups outside the five, e.g. unknown or intergovernmental).
    """
    tables = tables or load()
    comp = tables.body_composition
    cols = [
        "body",
        "country",
        "kind",
        "n_groups",
        "groups",
        "evenness",
        "largest_share",
        "basis",
        "n_other",
    ]
    if comp.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (body, kind), grp in comp.groupby(["body", "kind"], sort=True, dropna=False):
        b = balance_of(
            list(grp["group"]), list(grp["seats"]) if "seats" in grp else [None] * len(grp)
        )
        present = sorted({g for g in grp["group"] if g in GROUPS}, key=GROUPS.index)
        rows.append(
            {
                "body": body,
                "country": _v(grp["country"].iloc[0]),
                "kind": kind,
                **b,
                "groups": SEP.join(present),
                "n_other": int((~grp["group"].isin(GROUPS)).sum()),
            }
        )
    return pd.DataFrame(rows)[cols]


# --------------------------------------------------------------------------------------------
# 4. BPF profile
# --------------------------------------------------------------------------------------------


def _mechanism_kinds(tables: Tables) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for t in tables.cctlds.get("tld", []):
        kinds[str(t)] = "cctld"
    ini = tables.igf_initiatives
    for i, k in zip(ini.get("id", []), ini.get("kind", []), strict=True):
        kinds[str(i)] = "igf" if k == "national" else ("youth_igf" if k == "youth" else str(k))
    for b in tables.ms_bodies.get("id", []):
        kinds[str(b)] = "body"
    return kinds


def bpf_profile(tables: Tables | None = None) -> pd.DataFrame:
    """Share of the seven BPF 2014 characteristics coded yes, per country and mechanism.

    ``share = (n_yes + 0.5 * n_partly) / n_coded`` where ``n_coded`` counts characteristics coded
    yes, partly or no; ``n_unknown = 7 - n_coded`` (coded ``unknown`` or not assessed). ``share``
    is ``NaN`` when nothing is coded. Columns: country, mechanism_id, mechanism_kind, share, n_yes,
    n_partly, n_no, n_coded, n_unknown.
    """
    tables = tables or load()
    cols = [
        "country",
        "mechanism_id",
        "mechanism_kind",
        "share",
        "n_yes",
        "n_partly",
        "n_no",
        "n_coded",
        "n_unknown",
    ]
    a = tables.assessments
    if a.empty:
        return pd.DataFrame(columns=cols)
    a = a[a["dimension"].isin(BPF_DIMENSIONS)]
    kinds = _mechanism_kinds(tables)
    rows = []
    for (country, mech), grp in a.groupby(["country", "mechanism_id"], dropna=False, sort=True):
        # one value per characteristic: the last one listed wins
        vals = grp.drop_duplicates("dimension", keep="last")["value"]
        n_yes = int((vals == "yes").sum())
        n_partly = int((vals == "partly").sum())
        n_no = int((vals == "no").sum())
        n_coded = n_yes + n_partly + n_no
        rows.append(
            {
                "country": _v(country),
                "mechanism_id": mech,
                "mechanism_kind": kinds.get(str(mech)),
                "share": (n_yes + 0.5 * n_partly) / n_coded if n_coded else math.nan,
                "n_yes": n_yes,
                "n_partly": n_partly,
                "n_no": n_no,
                "n_coded": n_coded,
                "n_unknown": len(BPF_DIMENSIONS) - n_coded,
            }
        )
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# 5. Peer groups and comparison
# --------------------------------------------------------------------------------------------


def compare(
    codes: str | Iterable[str],
    year: int,
    tables: Tables | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Side-by-side table, one row per country, for ``year``.

    Columns: country, name, scope_role, cctld, igf, body (states), score, low, high, rank,
    rank_worst, rank_best (ranks among all core jurisdictions), igf_evenness / igf_groups (national
    IGF committee), body_evenness / body_groups (most even multistakeholder body), and
    bpf_cctld / bpf_igf / bpf_body (pooled BPF share of the country's ccTLDs, national IGFs and
    multistakeholder bodies: yes-equivalents over coded characteristics).
    """
    tables = tables or load()
    members = list(select(codes, tables).codes)
    panel = adoption_panel(tables)
    years = set(panel["year"])
    if year not in years:
        raise UserError(f"year {year} is outside the panel ({min(years)}-{max(years)})")
    py = panel[panel["year"] == year]
    idx = index(panel, weights=weights, year=year).set_index("country")
    bal = balance(tables)
    bpf = bpf_profile(tables)
    ini = tables.igf_initiatives
    national = set(ini.loc[ini["kind"] == "national", "id"]) if not ini.empty else set()
    bodies = tables.ms_bodies
    ms_bodies = (
        set(bodies.loc[bodies["multistakeholder"].isin(["yes", "partly"]), "id"])
        if not bodies.empty
        else set()
    )
    countries = tables.countries.set_index("code")
    rows = []
    for code in members:
        row: dict[str, Any] = {
            "country": code,
            "name": countries.loc[code, "name"],
            "scope_role": countries.loc[code, "scope_role"],
        }
        for m in MECHANISMS:
            s = py[(py["country"] == code) & (py["mechanism"] == m)]["state"]
            row[m] = s.iloc[0] if not s.empty else "unknown"
        for col in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
            row[col] = idx.loc[code, col] if code in idx.index else math.nan
        for label, ids in (("igf", national), ("body", ms_bodies)):
            b = bal[(bal["country"] == code) & (bal["body"].isin(ids))]
            b = b.sort_values("evenness", ascending=False, na_position="last")
            row[f"{label}_evenness"] = b["evenness"].iloc[0] if not b.empty else math.nan
            row[f"{label}_groups"] = int(b["n_groups"].iloc[0]) if not b.empty else pd.NA
        for kind in MECHANISMS:
            f = bpf[(bpf["country"] == code) & (bpf["mechanism_kind"] == kind)]
            if kind == "body":  # contrast cases (bodies coded `no`) do not count
                f = f[f["mechanism_id"].isin(ms_bodies)]
            coded = int(f["n_coded"].sum())
            row[f"bpf_{kind}"] = (
                float((f["n_yes"].sum() + 0.5 * f["n_partly"].sum()) / coded) if coded else math.nan
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("rank", "rank_worst", "rank_best", "igf_groups", "body_groups"):
        out[col] = out[col].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# 6. Diffusion
# --------------------------------------------------------------------------------------------


def diffusion(panel: pd.DataFrame, core: Iterable[str] | None = None) -> pd.DataFrame:
    """Per year and mechanism, how many core jurisdictions have adopted it, and how many unknown.

    Adopted: ccTLD multistakeholder or partly; IGF held or dormant; body active. Columns: year,
    mechanism, adopted, unknown, n (core jurisdictions in the panel that year).
    """
    core_set = _core(panel, core)
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


# --------------------------------------------------------------------------------------------
# 7. Frictionless Table Schemas
# --------------------------------------------------------------------------------------------

_ALL_STATES: list[str] = list(dict.fromkeys(s for m in MECHANISMS for s in STATES[m]))


_COUNTRY_YEAR_FIELDS: tuple[dict[str, Any], ...] = (
    {
        "name": "country",
        "type": "string",
        "description": "ISO 3166-1 alpha-2 code (XK for Kosovo*).",
        "constraints": {"required": True, "pattern": "[A-Z]{2}"},
    },
    {
        "name": "year",
        "type": "integer",
        "description": "Calendar year.",
        "constraints": {"required": True},
    },
)


#: The `mechanism` field of the derived tables (panel, research queue).
MECHANISM_FIELD: dict[str, Any] = {
    "name": "mechanism",
    "type": "string",
    "description": "ccTLD manager, national IGF or national multistakeholder body.",
    "categories": list(MECHANISMS),
    "constraints": {"required": True, "enum": list(MECHANISMS)},
}


def country_field() -> dict[str, Any]:
    """The `country` field of the derived tables (a fresh copy)."""
    return copy.deepcopy(_COUNTRY_YEAR_FIELDS[0])


def _scope_role_field() -> dict[str, Any]:
    roles = list(CODES["scope_role"])
    return {
        "name": "scope_role",
        "type": "string",
        "description": (
            "core: ranked with the SEE+ jurisdictions; reference: an outside reference case,"
            " shown but not ranked."
        ),
        "categories": roles,
        "constraints": {"required": True, "enum": roles},
    }


def panel_schema() -> dict[str, Any]:
    """Frictionless Table Schema of :func:`adoption_panel`."""
    return {
        "fields": [
            country_field(),
            _scope_role_field(),
            copy.deepcopy(_COUNTRY_YEAR_FIELDS[1]),
            copy.deepcopy(MECHANISM_FIELD),
            {
                "name": "state",
                "type": "string",
                "description": (
                    "State of the mechanism that year; unknown where the data do not tell."
                ),
                "categories": _ALL_STATES,
                "constraints": {"required": True, "enum": _ALL_STATES},
            },
            {
                "name": "confidence",
                "type": "string",
                "description": "Weakest confidence of the facts the state rests on (empty if unknown).",
                "categories": list(reversed(CONFIDENCE_ORDER)),
                "constraints": {"enum": list(reversed(CONFIDENCE_ORDER))},
            },
            {
                "name": "evidence",
                "type": "string",
                "description": (
                    "weak: the state rests on a recalled fact or only on low-reliability sources"
                    " (counted pessimistically and optimistically in the index bounds, hatched on"
                    " maps); strong otherwise; empty if unknown."
                ),
                "categories": ["strong", "weak"],
                "constraints": {"enum": ["strong", "weak"]},
            },
            {
                "name": "sources",
                "type": "string",
                "description": "Ids of the sources the state rests on, separated by '; '.",
            },
        ],
        "primaryKey": ["country", "year", "mechanism"],
        "missingValues": [""],
    }


def index_schema() -> dict[str, Any]:
    """Frictionless Table Schema of :func:`index`."""

    def num(name: str, desc: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "number",
            "description": desc,
            "constraints": {"required": True, "minimum": 0, "maximum": 1},
        }

    def rank(name: str, desc: str) -> dict[str, Any]:
        return {"name": name, "type": "integer", "description": desc, "constraints": {"minimum": 1}}

    return {
        "fields": [
            country_field(),
            _scope_role_field(),
            copy.deepcopy(_COUNTRY_YEAR_FIELDS[1]),
            num("score", "Multi-SEE index: weighted mean of mechanism scores (unknown = 0.5)."),
            num("low", "Pessimistic bound: unknown and weak-evidence states scored 0."),
            num("high", "Optimistic bound: unknown and weak-evidence states scored 1."),
            rank(
                "rank",
                "Rank among core jurisdictions (1 = best; 1 + the number strictly above, so ties"
                " share a rank); empty for the reference case.",
            ),
            rank("rank_best", "Best attainable rank (own high against the others' low)."),
            rank("rank_worst", "Worst attainable rank (own low against the others' high)."),
        ],
        "primaryKey": ["country", "year"],
        "missingValues": [""],
    }
