"""Dated events of the three mechanisms, and the timeline (diffusion + events) of a selection.

One set of event rules (:func:`events`) serves every view that shows events: the timeline
notebook, the country profile and the session deck's timeline page.

* ``cctld_delegation`` -- a ccTLD ``created`` (its first delegation) or ``delegation`` event;
* ``cctld_redelegation`` -- a ccTLD ``redelegation`` or ``administrative_transfer`` (a change of
  manager);
* ``igf_first`` -- a national IGF initiative's first edition: its ``first_year`` (dated by that
  year's edition when one is recorded), else its earliest recorded edition;
* ``body_founded`` -- a multistakeholder national body (:func:`analysis.measures.panel.is_ms_body`)
  established.

:func:`timeline` adds the diffusion curves (:func:`analysis.measures.panel.diffusion`) of the same
selection. Nothing here imports matplotlib.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.measures.panel import adoption_panel, diffusion, ms_body_mask
from analysis.measures.present import jsonable_records
from analysis.measures.selection import (
    complete_year,
    country_names,
    latest_data_year,
    resolve_range,
    select,
    year_note,
)
from analysis.model.load import Tables, load
from analysis.model.values import plain
from analysis.model.vocab import BLUE, GREEN, PURPLE, VERMILLION

__all__ = ["EVENT_COLUMNS", "EVENT_KINDS", "Timeline", "events", "frac_year", "timeline"]

#: Event kinds of :func:`events`: (legend label, marker, colour).
EVENT_KINDS: dict[str, tuple[str, str, str]] = {
    "cctld_delegation": ("ccTLD delegated", "^", BLUE),
    "cctld_redelegation": ("ccTLD redelegated / transferred", "v", VERMILLION),
    "igf_first": ("first national IGF edition", "o", GREEN),
    "body_founded": ("MS body founded", "s", PURPLE),
}

EVENT_COLUMNS = [
    "country",
    "date",
    "year",
    "when",
    "kind",
    "event",
    "detail",
    "confidence",
    "sources",
]

#: ccTLD event types that are events, with their kind and label.
_CCTLD_TYPES = {
    "created": ("cctld_delegation", "ccTLD created (first delegation)"),
    "delegation": ("cctld_delegation", "ccTLD delegation"),
    "redelegation": ("cctld_redelegation", "ccTLD redelegation"),
    "administrative_transfer": ("cctld_redelegation", "ccTLD administrative transfer"),
}


def frac_year(date: Any) -> float | None:
    """A date ``YYYY[-MM[-DD]]`` as a fractional year (mid-period when month or day is unknown)."""
    if date is None:
        return None
    m = re.match(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(date))
    if not m:
        return None
    y = int(m.group(1))
    if m.group(2) is None:
        return y + 0.5
    month = min(max(int(m.group(2)), 1), 12)
    if m.group(3) is None:
        return y + (month - 0.5) / 12
    day = min(max(int(m.group(3)), 1), 31)
    return y + (month - 1) / 12 + (day - 0.5) / 372


def events(
    codes: Iterable[str],
    tables: Tables | None = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Dated events of the given jurisdictions (see the module docstring), by country and date.

    Columns: :data:`EVENT_COLUMNS`; ``when`` is the date as a fractional year, ``year`` its year.
    ``start``/``end`` keep the events of those years only.
    """
    tables = tables or load()
    wanted = set(codes)
    rows: list[dict[str, Any]] = []

    ev = tables.cctld_events
    if not ev.empty:
        for _, e in ev[ev["country"].isin(wanted) & ev["type"].isin(_CCTLD_TYPES)].iterrows():
            kind, label = _CCTLD_TYPES[str(e["type"])]
            detail = f".{e['tld']}"
            to = plain(e.get("to_manager"))
            if to:
                detail += f" to {to}"
            rows.append(
                _event(e["country"], e["date"], kind, label, detail, e.get("confidence"), e)
            )

    ini = tables.igf_initiatives
    eds = tables.igf_editions
    if not ini.empty:
        national = ini[(ini["kind"] == "national") & ini["country"].isin(wanted)]
        for _, i in national.iterrows():
            mine = eds[eds["initiative"] == i["id"]] if not eds.empty else eds
            fy = plain(i.get("first_year"))
            years = [int(y) for y in mine["year"].dropna()] if not mine.empty else []
            first = int(fy) if fy is not None else (min(years) if years else None)
            if first is None:
                continue
            date: Any = str(first)
            conf = plain(i.get("first_year_confidence")) or plain(i.get("confidence"))
            src: Any = i
            same = mine[mine["year"] == first] if not mine.empty else mine
            if not same.empty:
                ed = same.iloc[0]
                date = plain(ed.get("date")) or str(first)
                if fy is None:
                    conf, src = plain(ed.get("confidence")), ed
            rows.append(
                _event(
                    i["country"],
                    date,
                    "igf_first",
                    "first national IGF edition",
                    str(i["name"]),
                    conf,
                    src,
                    year=first,
                )
            )

    b = tables.ms_bodies
    if not b.empty:
        ms = b[b["country"].isin(wanted) & ms_body_mask(b)]
        for _, body in ms.iterrows():
            est = plain(body.get("established"))
            if est is None:
                continue
            conf = plain(body.get("established_confidence")) or plain(body.get("confidence"))
            rows.append(
                _event(
                    body["country"],
                    est,
                    "body_founded",
                    "MS body founded",
                    str(body["name"]),
                    conf,
                    body,
                    sources_col="established_sources",
                )
            )

    out = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    if start is not None:
        out = out[out["year"] >= start]
    if end is not None:
        out = out[out["year"] <= end]
    out = out.sort_values(["country", "when", "kind"], kind="stable", ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out


def _event(
    country: Any,
    date: Any,
    kind: str,
    label: str,
    detail: str,
    confidence: Any,
    record: pd.Series,
    year: int | None = None,
    sources_col: str = "sources",
) -> dict[str, Any]:
    when = frac_year(date)
    y = year if year is not None else (math.floor(when) if when is not None else None)
    src = plain(record.get(sources_col)) or plain(record.get("sources")) or ""
    return {
        "country": str(country),
        "date": str(date),
        "year": y,
        "when": when if when is not None else (y + 0.5 if y is not None else None),
        "kind": kind,
        "event": label,
        "detail": detail,
        "confidence": plain(confidence),
        "sources": src,
    }


@dataclass
class Timeline:
    """Diffusion and events of ``codes`` between ``start`` and ``end``; see :func:`timeline`."""

    codes: list[str]
    label: str
    start: int
    end: int
    diffusion: pd.DataFrame
    events: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)
    end_is_default: bool = True

    @property
    def note(self) -> str:
        """The sentence stating the last year shown (:func:`analysis.measures.selection.year_note`)."""
        return year_note(self.end, self.end_is_default)

    def diffusion_records(self) -> list[dict[str, Any]]:
        return jsonable_records(self.diffusion, ["year", "mechanism", "adopted", "unknown"])


def timeline(
    countries: str | Iterable[str] = "all",
    start: Any = 1990,
    end: Any = None,
    tables: Tables | None = None,
) -> Timeline:
    """Diffusion curves and dated events of the selected jurisdictions, ``start`` to ``end``.

    ``diffusion`` is :func:`analysis.measures.panel.diffusion` counted over the selected jurisdictions
    (for ``"all"``: the core jurisdictions). ``end`` defaults to the latest complete data year
    (the year every page defaults to) and may not exceed the latest data year.
    """
    tables = tables or load()
    latest = latest_data_year(tables)
    s, e = resolve_range(start, min(complete_year(tables), latest) if end is None else end, latest)
    sel = select(countries, tables)
    codes, label = list(sel.codes), sel.label
    panel = adoption_panel(tables, start=s, end=e)
    return Timeline(
        codes=codes,
        label=label,
        start=s,
        end=e,
        diffusion=diffusion(panel, core=codes),
        events=events(codes, tables, s, e),
        names=country_names(tables),
        end_is_default=end is None,
    )
