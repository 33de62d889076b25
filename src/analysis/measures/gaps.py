"""The research queue: which unknowns matter most for the comparison.

Every ``unknown`` cell of the adoption panel, every cell resting on weak evidence (which widens
the index bounds exactly like an unknown) and every ``not_found`` absence is a gap. Consecutive
years of one jurisdiction and mechanism of the same kind form one gap (one research task: "find
the editions of 2012-2016"). Each gap is ranked by how much resolving it could move the Multi-SEE
ranks: for each of its years, the cell is set to the mechanism's best and to its worst known state
(on strong evidence), and the largest change in any core jurisdiction's rank interval (its best or
its worst attainable rank) is the year's impact. The gap's ``impact`` is the largest over its years
*in the comparison the products show by default* (the default comparison year,
:func:`analysis.measures.selection.complete_year`; ``comparison_years`` widens it, e.g. to a window), and 0
for a gap outside it; ``impact_any_year``, the largest over all its years, breaks ties. Each row
says what to look for and what was already searched (the recorded searches and absences).

The measure reuses the index's own bounds and rank rule (:mod:`analysis.measures.scoring`), so a gap
ranked first is one whose answer could reorder the published comparison.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.panel import adoption_panel, core_set_of
from analysis.measures.scoring import (
    DEFAULT_WEIGHTS,
    STATE_SCORES,
    check_weights,
    rank_against,
    score_matrix,
    weighted,
)
from analysis.measures.selection import complete_year, latest_data_year
from analysis.model.catalog import TABLE_SPECS
from analysis.model.load import Tables, load
from analysis.model.vocab import MECHANISM_LABELS, MECHANISMS, SEP

#: The columns of the queue (its Table Schema: ``analysis.model.catalog.TABLE_SPECS["gaps"]``).
GAP_COLUMNS = TABLE_SPECS["gaps"].column_names


def _intervals(low: np.ndarray, high: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """(best, worst) attainable rank of each jurisdiction, as in :func:`multisee_index`."""
    return np.stack([rank_against(high, low), rank_against(low, high)])


def cell_impacts(
    panel: pd.DataFrame,
    weights: dict[str, float] | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Impact of resolving each unknown (or weak-evidence) panel cell of a core jurisdiction.

    Returns one row per such cell (country, year, mechanism, impact): the largest change in any
    core jurisdiction's best or worst attainable rank when the cell takes the mechanism's best or
    worst known state. Cells of jurisdictions outside the core (the reference case) get impact 0.
    """
    w = check_weights(weights or DEFAULT_WEIGHTS)
    total = sum(w.values())
    core_set = core_set_of(panel, core)
    wide = score_matrix(panel)
    rows: list[dict[str, Any]] = []
    evidence = panel["evidence"] if "evidence" in panel else pd.Series(None, index=panel.index)
    unknown = panel[(panel["state"] == "unknown") | (evidence == "weak")]
    by_year = {int(y): g for y, g in wide.groupby("year")}
    for (year, country), cells in unknown.groupby(["year", "country"]):
        grp = by_year[int(year)]
        grp = grp[grp["country"].isin(core_set)]
        codes = grp["country"].to_numpy(dtype=str)
        low = weighted(grp, "low", w).to_numpy(dtype=float)
        high = weighted(grp, "high", w).to_numpy(dtype=float)
        base = _intervals(low, high, codes) if len(codes) else None
        where = np.flatnonzero(codes == country)
        for mech in cells["mechanism"]:
            impact = 0
            if base is not None and len(where):
                i = int(where[0])
                best, worst = max(STATE_SCORES[mech].values()), min(STATE_SCORES[mech].values())
                lo_m = float(grp[f"low_{mech}"].iloc[i])
                hi_m = float(grp[f"high_{mech}"].iloc[i])
                for value in (best, worst):
                    new_low, new_high = low.copy(), high.copy()
                    new_low[i] += w[mech] * (value - lo_m) / total
                    new_high[i] += w[mech] * (value - hi_m) / total
                    moved = np.abs(_intervals(new_low, new_high, codes) - base).max()
                    impact = max(impact, int(moved))
            rows.append(
                {"country": country, "year": int(year), "mechanism": mech, "impact": impact}
            )
    return pd.DataFrame(rows, columns=["country", "year", "mechanism", "impact"])


def _spans(years: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def _years_text(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def _look_for(tables: Tables, country: str, mechanism: str, a: int, b: int) -> str:
    """What a researcher should look for to resolve the gap, from the records at hand."""
    years = _years_text(a, b)
    if mechanism == "igf":
        inis = tables.igf_initiatives
        inis = inis[(inis["country"] == country) & (inis["kind"] == "national")]
        if not inis.empty:
            names = []
            for r in inis.itertuples():
                site = f" ({r.website})" if isinstance(r.website, str) and r.website else ""
                names.append(f"{r.name}{site}")
            return (
                f"Editions of {' / '.join(names)} in {years} (date, city, ordinal), or a source"
                " saying it did not meet, paused or ended."
            )
        return (
            f"A national IGF in {years}: the IGF Secretariat's NRI pages, EuroDIG/SEEDIG pages,"
            " registries' and regulators' news."
        )
    if mechanism == "cctld":
        tl = tables.cctlds
        tl = tl[(tl["country"] == country) & (tl["status"] != "historical")]
        if not tl.empty:
            r = tl.sort_values("idn").iloc[0]
            return (
                f"The year {r['manager']} took over .{r['tld']} (or a dated 'no later than'"
                f" statement), and who managed it before, for {years}."
            )
        return f"Whether a ccTLD was delegated in {years}, and its manager."
    return (
        f"A national multistakeholder body guiding Internet policy active in {years}: its founding"
        " act, composition and end."
    )


def _searched(tables: Tables, country: str, mechanism: str) -> str:
    """What was already searched for this jurisdiction and mechanism: the recorded searches, then
    what the absence records say was looked at."""
    parts: list[str] = []
    s = tables.searches
    if not s.empty:
        for r in s[(s["country"] == country) & (s["mechanism"] == mechanism)].itertuples():
            parts.append(f"'{r.query}' in {r.looked_at} ({r.date})")
    ab = tables.absences
    if not ab.empty:
        for r in ab[(ab["country"] == country) & (ab["mechanism"] == mechanism)].itertuples():
            if isinstance(r.text, str) and r.text:
                parts.append(f"{r.finding}: {r.text}")
    return SEP.join(dict.fromkeys(parts))


def _top(span: Mapping[int, int], shown: set[int]) -> tuple[int, int, int]:
    """(impact in the comparison years ``shown``, its year, impact in any year) of a span of
    years (year → impact)."""
    now = {y: v for y, v in span.items() if y in shown}
    anyv = max(span.values(), default=0)
    if not now:
        return 0, max(y for y, v in span.items() if v == anyv), anyv
    top = max(now.values())
    return top, max(y for y, v in now.items() if v == top), anyv


def _not_found_rows(
    tables: Tables, impacts: pd.DataFrame, shown: set[int], start: int, end: int
) -> list[dict[str, Any]]:
    """One gap per ``not_found`` absence of a mechanism: the whole window, ranked by the impact
    of its unknown cells."""
    ab = tables.absences
    if ab.empty:
        return []
    rows: list[dict[str, Any]] = []
    for r in ab[(ab["finding"] == "not_found") & ab["mechanism"].isin(MECHANISMS)].itertuples():
        cell = impacts[
            (impacts["country"] == r.country)
            & (impacts["mechanism"] == r.mechanism)
            & (impacts["kind"] == "unknown")
        ]
        top, top_year, anyv = (
            _top(dict(zip(cell["year"], cell["impact"], strict=True)), shown)
            if not cell.empty
            else (0, end, 0)
        )
        rows.append(
            {
                "kind": "not_found",
                "country": r.country,
                "mechanism": r.mechanism,
                "from_year": start,
                "to_year": end,
                "n_years": end - start + 1,
                "impact": top,
                "impact_year": top_year,
                "impact_any_year": anyv,
                "look_for": (
                    f"Whether {tables.countries.set_index('code').loc[r.country, 'name']} has a"
                    f" {MECHANISM_LABELS[r.mechanism]} at all (searched, not found)."
                ),
                "searched": _searched(tables, str(r.country), str(r.mechanism)),
            }
        )
    return rows


def gaps(
    tables: Tables | None = None,
    panel: pd.DataFrame | None = None,
    start: int | None = None,
    end: int | None = None,
    weights: dict[str, float] | None = None,
    comparison_years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The research queue: unknown and weak-evidence spans and not-found absences, most
    consequential for the default comparison first.

    ``start``/``end`` limit the panel years considered (default: 2000 to the latest data year).
    ``comparison_years`` are the years whose impact ranks the queue (default: the default
    comparison year, :func:`analysis.measures.selection.complete_year`).
    Columns: see :data:`GAP_COLUMNS`; ``priority`` 1 is the gap to research first.
    """
    tables = tables or load()
    if panel is None:
        panel = adoption_panel(tables)
    end = end if end is not None else min(int(panel["year"].max()), latest_data_year(tables))
    start = start if start is not None else max(2000, int(panel["year"].min()))
    shown = set(comparison_years) if comparison_years is not None else {complete_year(tables)}
    window = panel[(panel["year"] >= start) & (panel["year"] <= end)]
    impacts = cell_impacts(window, weights)
    evidence = window["evidence"] if "evidence" in window else pd.Series(None, index=window.index)
    weak_cells = set(
        zip(
            window.loc[evidence == "weak", "country"],
            window.loc[evidence == "weak", "mechanism"],
            window.loc[evidence == "weak", "year"].astype(int),
            strict=True,
        )
    )
    impacts["kind"] = [
        "weak" if (c, m, int(y)) in weak_cells else "unknown"
        for c, m, y in zip(impacts["country"], impacts["mechanism"], impacts["year"], strict=True)
    ]

    rows: list[dict[str, Any]] = []
    ab = tables.absences
    searched_absent: set[tuple[str, str]] = set()
    if not ab.empty:
        nf = ab[(ab["finding"] == "not_found") & ab["mechanism"].isin(MECHANISMS)]
        searched_absent = {
            (str(c), str(m)) for c, m in zip(nf["country"], nf["mechanism"], strict=True)
        }
    for (country, mech, kind), grp in impacts.groupby(["country", "mechanism", "kind"]):
        if kind == "unknown" and (str(country), str(mech)) in searched_absent:
            continue  # one row for the whole mechanism: the not_found absence below
        by_year = dict(zip(grp["year"], grp["impact"], strict=True))
        for a, b in _spans(list(by_year)):
            span = {y: by_year[y] for y in range(a, b + 1)}
            top, top_year, anyv = _top(span, shown)
            rows.append(
                {
                    "kind": kind,
                    "country": country,
                    "mechanism": mech,
                    "from_year": a,
                    "to_year": b,
                    "n_years": b - a + 1,
                    "impact": top,
                    "impact_year": top_year,
                    "impact_any_year": anyv,
                    "look_for": _look_for(tables, str(country), str(mech), a, b),
                    "searched": _searched(tables, str(country), str(mech)),
                }
            )
    rows += _not_found_rows(tables, impacts, shown, start, end)
    out = pd.DataFrame(rows, columns=GAP_COLUMNS[1:])
    if out.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    out = out.sort_values(
        ["impact", "impact_any_year", "n_years", "country", "mechanism", "from_year", "kind"],
        ascending=[False, False, False, True, True, True, True],
        ignore_index=True,
    )
    out.insert(0, "priority", range(1, len(out) + 1))
    ints = ("priority", "from_year", "to_year", "n_years", "impact", "impact_year")
    for col in (*ints, "impact_any_year"):
        out[col] = out[col].astype("int64")
    return out[GAP_COLUMNS]
