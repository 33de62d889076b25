"""The IGF rules of the adoption panel: the editions found, the spans the ordinals of numbered
editions bridge or bound, the pairs that prove an edition a weak record reports, pauses, ends and
starts, for each national initiative and for the jurisdiction.

See :mod:`analysis.measures.panel` for the rules in full; the evidence rule they rest on is
:mod:`analysis.measures.panel_evidence`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from analysis.measures.panel_evidence import (
    UNKNOWN,
    Cell,
    absence_row,
    earlier_starts,
    is_weak,
    joined_notes,
    merge_ids,
    plan_only,
    rows_where,
    source_years,
    strongest,
    unknown_cell,
    weak_sources,
)
from analysis.model.load import Tables
from analysis.model.values import source_ids as _ids
from analysis.model.values import value_or_none as _v
from analysis.model.values import year_of as _year
from analysis.model.vocab import SEP


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
    years: the ordinals alone prove an edition in each of them (the bridged spans of
    :func:`ordinal_spans`, counted without the editions found)."""
    return {
        y: (sp.before[0], sp.after[0])
        for sp in ordinal_spans(numbered)
        if sp.editions == len(sp.years)
        for y in sp.years
    }


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
        pair_src = merge_ids(*(held[x][1] for x in pair if x in held))
        if pair_src and not is_weak("inferred", pair_src, low):
            note = f"ordinals of {pair[0]} and {pair[1]} prove it; its own record is weak evidence"
            return Cell("held", "inferred", merge_ids(pair_src, src), note=note)
    return Cell("held", conf, src)


def initiative_cells(
    tables: Tables, ini: Mapping[str, Any] | pd.Series, years: Sequence[int]
) -> dict[int, Cell]:
    """Year-by-year state of one IGF initiative (the rules: :mod:`analysis.measures.panel`)."""
    dated = source_years(tables)
    eds = rows_where(tables.igf_editions, initiative=ini["id"])
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
            planned[ey] = merge_ids(planned.get(ey, ()), src)
            continue
        old = held.get(ey)
        held[ey] = (strongest(old[0] if old else None, conf), merge_ids(old[1] if old else (), src))
        n = _v(e.get("number"))
        if n is not None:
            numbered.append((ey, int(n)))
            if int(n) == 1:
                first_numbered = (ey, conf, src)
    # The ordinals the spans rest on: the sources of the numbered editions.
    spans = ordinal_spans(numbered, held)
    ord_src = merge_ids(*(held[a][1] for a, _ in numbered if a in held)) if spans else ()
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
    start_src = merge_ids(*(s for y, s in starts if y == start))
    earliest = [y - n + 1 for y, n in numbered] + earlier_starts(
        tables, "igf_initiatives", str(ini["id"])
    )
    none_until = min([start, *earliest]) if start is not None else None

    pauses = rows_where(tables.igf_pauses, initiative=ini["id"])
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
                out[y] = unknown_cell(note, held_share=round(k / n, 6))
        elif plan:
            out[y] = unknown_cell(plan)
        elif none_until is not None and y < none_until:
            out[y] = Cell("none", "inferred", start_src)
        elif start is not None and y < start:
            out[y] = unknown_cell("an ordinal or a recorded conflict allows an earlier start")
        else:
            out[y] = UNKNOWN
    return out


def igf_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    """The jurisdiction's ``igf`` cell per year: the first state among its national initiatives'
    in the order held > dormant > unknown > none; without an initiative, ``none`` from an absence
    record, else ``unknown``."""
    inis = rows_where(tables.igf_initiatives, country=country, kind="national")
    if inis.empty:
        absence = absence_row(tables, country, "igf")
        if absence is not None and absence[0] == "none":
            return {y: Cell("none", absence[1], absence[2]) for y in years}
        return {y: UNKNOWN for y in years}

    per_initiative = [initiative_cells(tables, ini, years) for _, ini in inis.iterrows()]
    out: dict[int, Cell] = {}
    for y in years:
        cells = [p[y] for p in per_initiative]
        for state in ("held", "dormant", "unknown", "none"):
            hits = [c for c in cells if c[0] == state]
            if hits:
                if state == "unknown":
                    shares = [c.held_share for c in hits if c.held_share is not None]
                    out[y] = unknown_cell(joined_notes(hits), max(shares) if shares else None)
                else:
                    conf = strongest(*(c[1] for c in hits))
                    src = merge_ids(*(c[2] for c in hits if c[1] == conf))
                    out[y] = Cell(state, conf, src, note=joined_notes(hits))
                break
    return out
