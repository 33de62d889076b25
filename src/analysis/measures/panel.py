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
  years of its sources dated after its founding; a year only ``last_evidenced`` dates carries
  that field's own confidence and sources); a body of unknown composition is ``unknown``
  with a note; after a sourced ``ended`` the body is ``none``;
* several bodies: multistakeholder > partly > unknown > not multistakeholder > none;
* ``none`` only after a sourced end or with an absence ``body``/``none``; every other year
  ``unknown`` (another body may exist unseen).

Each cell also carries ``evidence`` (``weak`` when it rests on a recalled fact or only on
low-reliability sources), the ids of its ``sources``, a ``note`` where a rule left it ``unknown``
for a stated reason (a plan, a conflict, the end of the evidence) and, for IGF years between
numbered editions, the ``held_share`` the ordinals imply.

The rules live in one module each, importing downward: the evidence rule and the
:class:`Cell` in :mod:`analysis.measures.panel_evidence`; the ccTLD rules in
:mod:`analysis.measures.panel_cctld`; the IGF rules in :mod:`analysis.measures.panel_igf`; the
body rules in :mod:`analysis.measures.panel_body`. This module assembles them
(:func:`adoption_panel`, the cache :func:`panel_for`, :func:`diffusion`) and is the public home of
their names (:data:`__all__`): import them from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.measures.panel_body import (
    body_evidenced_from,
    body_evidenced_until,
    body_grade,
    body_states,
    is_ms_body,
    ms_body_mask,
)
from analysis.measures.panel_cctld import cctld_states, main_cctld
from analysis.measures.panel_evidence import (
    CARRY_FORWARD_YEARS,
    LIVE_REGISTER_KINDS,
    Cell,
    carry_forward,
    earlier_starts,
    is_weak,
    plan_only,
    source_year,
    source_years,
    strongest,
    weak_sources,
    weakest,
)
from analysis.measures.panel_igf import (
    OrdinalSpan,
    bridged_years,
    bridging_pairs,
    igf_states,
    initiative_cells,
    ordinal_spans,
)
from analysis.measures.selection import latest_data_year
from analysis.model.catalog import TABLE_SPECS
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.vocab import ADOPTED, MECHANISMS, SEP

__all__ = [
    "CARRY_FORWARD_YEARS",
    "LIVE_REGISTER_KINDS",
    "PANEL_COLUMNS",
    "Cell",
    "OrdinalSpan",
    "adoption_panel",
    "body_evidenced_from",
    "body_evidenced_until",
    "body_grade",
    "bridged_years",
    "bridging_pairs",
    "carry_forward",
    "core_set_of",
    "diffusion",
    "earlier_starts",
    "initiative_cells",
    "is_ms_body",
    "is_weak",
    "main_cctld",
    "ms_body_mask",
    "ordinal_spans",
    "panel_for",
    "plan_only",
    "source_year",
    "source_years",
    "strongest",
    "weak_sources",
    "weakest",
]

PANEL_COLUMNS = TABLE_SPECS["adoption_panel"].column_names


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
                ("cctld", cctld_states(tables, code, years)),
                ("igf", igf_states(tables, code, years)),
                ("body", body_states(tables, code, years)),
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
