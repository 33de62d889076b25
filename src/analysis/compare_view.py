"""Comparison views for the notebooks: regional comparison, timeline, explorer, peer position.

Everything a comparison notebook shows is computed here, so the notebooks stay thin:

* :func:`comparison` -- the side-by-side table of :func:`analysis.comparison.compare` joined to the
  weight sensitivity (:func:`analysis.scoring.sensitivity`), the stakeholder balance and the
  BPF profiles of the selected jurisdictions, and :func:`differences`, a short plain-language
  summary of what differs;
* :func:`timeline` -- diffusion curves (:func:`analysis.panel.diffusion`) and dated events
  (:func:`events`: ccTLD delegations and redelegations, first national IGF edition, founding of
  multistakeholder bodies);
* :func:`position` / :func:`peer_positions` -- one jurisdiction's score and rank interval among
  all core jurisdictions and within each of its peer groups;
* :func:`source_citations` -- how many records cite each source, by confidence;
* figures (plain :class:`matplotlib.figure.Figure` objects, never ``pyplot``, so they work
  headless): :func:`rank_interval_figure`, :func:`mechanism_matrix_figure`,
  :func:`diffusion_figure`, :func:`timeline_figure`, :func:`country_states_figure`;
  :func:`figure_image` turns one into a PNG display object with alt text;
* :class:`Explorer` -- the ipywidgets explorer (countries, year, weights).

Parameter parsing (:func:`parse_weights`, :func:`check_year`, :func:`check_range`,
:func:`selection`) raises :class:`~analysis.errors.UserError` with a one-line message.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .comparison import compare
from .composition import balance, bpf_profile
from .errors import UserError
from .load import Tables, load
from .panel import adoption_panel, diffusion, strongest
from .scoring import DEFAULT_WEIGHTS, multisee_index, sensitivity
from .selection import core_codes, latest_data_year, resolve_range, resolve_year, select
from .vocab import (
    BLUE,
    CONFIDENCE_ORDER,
    DARK_FILLS,
    GREEN,
    GREY,
    INK,
    MECHANISM_LABELS,
    MECHANISMS,
    ORANGE,
    PURPLE,
    SEP,
    SKY,
    STATE_COLOURS,
    STATE_LABELS,
    STATES,
    VERMILLION,
)

__all__ = [
    "EVENT_KINDS",
    "MECHANISM_LABELS",
    "STATE_COLOURS",
    "STATE_LABELS",
    "Comparison",
    "Explorer",
    "Timeline",
    "comparison",
    "comparison_html",
    "country_states_figure",
    "differences",
    "diffusion_figure",
    "events",
    "figure_image",
    "figure_png",
    "jsonable_records",
    "mechanism_matrix_figure",
    "parse_weights",
    "peer_positions",
    "position",
    "rank_alt",
    "rank_interval_figure",
    "source_citations",
    "timeline",
    "timeline_figure",
]

_BLUE, _SKY, _ORANGE, _PURPLE, _GREY = BLUE, SKY, ORANGE, PURPLE, GREY
_VERMILLION, _GREEN, _INK = VERMILLION, GREEN, INK

#: Event kinds of :func:`events`: (legend label, marker, colour).
EVENT_KINDS: dict[str, tuple[str, str, str]] = {
    "cctld_delegation": ("ccTLD delegated", "^", _BLUE),
    "cctld_redelegation": ("ccTLD redelegated / transferred", "v", _VERMILLION),
    "igf_first": ("first national IGF edition", "o", _GREEN),
    "body_founded": ("MS body founded", "s", _PURPLE),
}

_DARK_FILLS = DARK_FILLS
_WEAK = frozenset({"recalled", "inferred"})


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def parse_weights(spec: str | Mapping[str, float] | None) -> dict[str, float] | None:
    """Weights from ``"cctld=0.5,igf=0.25,body=0.25"`` (or a mapping); ``None`` for the defaults.

    An empty string or ``None`` means the default weights. Mechanisms left out get weight 0.
    Names must be ``cctld``, ``igf`` or ``body``; values finite, non-negative, with a positive sum.
    """
    if spec is None:
        return None
    if isinstance(spec, Mapping):
        items = [(str(k).strip().lower(), v) for k, v in spec.items()]
    elif isinstance(spec, str):
        text = spec.strip()
        if not text:
            return None
        items = []
        for part in (p for p in re.split(r"[,;\s]+", text) if p):
            name, eq, value = part.partition("=")
            if not eq or not name.strip() or not value.strip():
                raise UserError(
                    f"bad weights {spec!r}: write name=value pairs such as "
                    "'cctld=0.5,igf=0.25,body=0.25'"
                )
            items.append((name.strip().lower(), value.strip()))
    else:
        raise UserError(f"bad weights {spec!r}: expected a string such as 'cctld=0.5,igf=0.5'")
    out: dict[str, float] = {}
    for name, value in items:
        if name not in MECHANISMS:
            raise UserError(
                f"unknown mechanism {name!r} in weights (expected {', '.join(MECHANISMS)})"
            )
        if name in out:
            raise UserError(f"mechanism {name!r} given twice in weights")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UserError(f"weight of {name} is not a number: {value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise UserError(f"weight of {name} must be a non-negative number, got {value!r}")
        out[name] = number
    if sum(out.values()) <= 0:
        raise UserError("weights must have a positive sum")
    return {m: out.get(m, 0.0) for m in MECHANISMS}


def _names(tables: Tables) -> dict[str, str]:
    c = tables.countries
    return dict(zip(c["code"].astype(str), c["name"].astype(str), strict=True))


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _py(value: Any) -> Any:
    """A plain Python value: ``None`` for missing, int/float for numpy and pandas scalars."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value


def jsonable_records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of ``df`` as plain dicts of the given columns (missing values become ``None``)."""
    return [{c: _py(row[c]) for c in columns} for _, row in df.iterrows()]


def _fmt(x: Any, digits: int = 2) -> str:
    x = _py(x)
    return "–" if x is None else f"{float(x):.{digits}f}"


def _fmt_rank(x: Any) -> str:
    x = _py(x)
    return "–" if x is None else str(round(float(x)))


def _who(codes: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names.get(c, c)} ({c})" for c in codes)


def _frac_year(date: Any) -> float | None:
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


# --------------------------------------------------------------------------------------------
# Regional comparison
# --------------------------------------------------------------------------------------------

COMPARISON_INDEX = ["country", "score", "low", "high", "rank", "rank_worst", "rank_best"]


@dataclass
class Comparison:
    """A comparison of ``codes`` in ``year``; see :func:`comparison`."""

    codes: list[str]
    label: str
    year: int
    weights: dict[str, float]
    table: pd.DataFrame
    balance: pd.DataFrame
    bpf: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)

    def states(self) -> dict[str, dict[str, str]]:
        """country -> mechanism -> state."""
        return {
            str(r["country"]): {m: str(r[m]) for m in MECHANISMS} for _, r in self.table.iterrows()
        }

    def state_matrix(self) -> pd.DataFrame:
        """Countries x mechanisms frame of states (index: country code)."""
        return self.table.set_index("country")[list(MECHANISMS)]

    def index_records(self) -> list[dict[str, Any]]:
        """country/score/low/high/rank/rank_worst/rank_best per country, as plain values."""
        return jsonable_records(self.table, COMPARISON_INDEX)

    def summary(self) -> list[str]:
        return differences(self.table, self.year, self.names)


def comparison(
    countries: str | Iterable[str] = "all",
    year: Any = None,
    weights: str | Mapping[str, float] | None = None,
    tables: Tables | None = None,
    panel: pd.DataFrame | None = None,
    n: int = 1000,
    seed: int = 0,
) -> Comparison:
    """Compare the selected jurisdictions in ``year`` (default: the latest complete data year).

    ``table`` is :func:`analysis.comparison.compare` (ranks among all core jurisdictions) plus
    the sensitivity percentiles ``score_p05``/``score_p95``/``rank_p05``/``rank_p95`` over weights
    drawn around ``weights``; ``balance`` and ``bpf`` are the balance and BPF rows of the selected
    jurisdictions, with the name of each body, initiative or ccTLD.
    """
    tables = tables or load()
    panel = adoption_panel(tables) if panel is None else panel
    w = parse_weights(weights)
    sel = select(countries, tables)
    codes, label = list(sel.codes), sel.label
    y = resolve_year(year, panel, tables)
    table = compare(codes, y, tables, weights=w)
    sens = sensitivity(panel, y, n=n, seed=seed, weights=w)
    keep = ["country", "score_p05", "score_p95", "rank_p05", "rank_p95"]
    table = table.merge(sens[keep], on="country", how="left")
    effective = dict(DEFAULT_WEIGHTS) if w is None else w
    total = sum(effective.values())
    names = _names(tables)
    bal = balance(tables)
    bal = bal[bal["country"].isin(codes)].copy()
    bal.insert(1, "name", bal["body"].map(_mechanism_names(tables)))
    bpf = bpf_profile(tables)
    bpf = bpf[bpf["country"].isin(codes)].copy()
    bpf.insert(2, "name", bpf["mechanism_id"].map(_mechanism_names(tables)))
    return Comparison(
        codes=codes,
        label=label,
        year=y,
        weights={m: v / total for m, v in effective.items()},
        table=table,
        balance=bal.reset_index(drop=True),
        bpf=bpf.reset_index(drop=True),
        names=names,
    )


def _mechanism_names(tables: Tables) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in tables.cctlds.get("tld", []):
        out[str(t)] = f".{t}"
    ini = tables.igf_initiatives
    for i, n in zip(ini.get("id", []), ini.get("name", []), strict=True):
        out[str(i)] = str(n)
    b = tables.ms_bodies
    for i, n in zip(b.get("id", []), b.get("name", []), strict=True):
        out[str(i)] = str(n)
    return out


def differences(
    table: pd.DataFrame, year: int, names: Mapping[str, str] | None = None
) -> list[str]:
    """A few plain-language sentences on what differs between the rows of a comparison table.

    ``table`` needs country, cctld, igf, body, score, low, high and rank columns; the
    sensitivity (rank_p05/rank_p95), balance (igf_evenness/body_evenness) and name columns are
    used when present.
    """
    if table.empty:
        return ["No jurisdiction selected."]
    names = dict(names or {})
    if "name" in table:
        names.update({str(c): str(n) for c, n in zip(table["country"], table["name"], strict=True)})
    t = table.copy()
    t["country"] = t["country"].astype(str)
    out: list[str] = []

    # 1. Highest and lowest scores
    scores = t["score"].astype(float).round(12)
    top = sorted(t.loc[scores == scores.max(), "country"])
    bottom = sorted(t.loc[scores == scores.min(), "country"])
    row = t.set_index("country")
    if len(t) == 1:
        c = top[0]
        out.append(
            f"{_who([c], names)} scores {_fmt(row.loc[c, 'score'])} in {year} "
            f"(bounds {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])})."
        )
    elif len(top) == len(t):
        out.append(
            f"All {len(t)} jurisdictions have the same Multi-SEE score in {year}: "
            f"{_fmt(scores.iloc[0])}."
        )
    else:
        out.append(
            f"Highest Multi-SEE score in {year}: {_extreme(top, row, names)}; "
            f"lowest: {_extreme(bottom, row, names)}."
        )

    # 2. How much of the order survives the unknowns
    if len(t) > 1:
        low = t["low"].astype(float).to_numpy()
        high = t["high"].astype(float).to_numpy()
        n = len(t)
        pairs = n * (n - 1) // 2
        ordered = sum(
            1
            for i in range(n)
            for j in range(i + 1, n)
            if low[i] > high[j] + 1e-12 or low[j] > high[i] + 1e-12
        )
        if ordered == pairs:
            out.append("Every pair is ordered the same way whatever the unknowns turn out to be.")
        else:
            out.append(
                f"Only {ordered} of the {pairs} pairs of jurisdictions are ordered the same way "
                "whatever the unknowns turn out to be; the other score intervals overlap, so "
                "their order is not settled by the data."
            )
        lead = top[0]
        others = t[t["country"] != lead]
        if len(top) == 1 and float(row.loc[lead, "low"]) > float(others["high"].max()) + 1e-12:
            out.append(f"{_who([lead], names)} leads even in the least favourable case.")

    # 3. Mechanism states
    for m in MECHANISMS:
        if m not in t:
            continue
        states = t[m].astype(str)
        if states.nunique() == 1:
            out.append(
                f"{MECHANISM_LABELS[m]}: the same state everywhere "
                f"({STATE_LABELS.get(states.iloc[0], states.iloc[0])})."
            )
            continue
        parts = []
        for s in STATES[m]:
            who = sorted(t.loc[states == s, "country"])
            if who and s != "unknown":
                parts.append(f"{STATE_LABELS.get(s, s)} in {', '.join(who)}")
        unknown = sorted(t.loc[states == "unknown", "country"])
        if unknown:
            parts.append(f"unknown in {', '.join(unknown)}")
        out.append(f"{MECHANISM_LABELS[m]}: " + "; ".join(parts) + ".")

    # 4. Data gaps
    gaps = int(sum((t[m].astype(str) == "unknown").sum() for m in MECHANISMS if m in t))
    if gaps:
        out.append(
            f"{gaps} of {len(t) * len(MECHANISMS)} mechanism states are unknown (searched "
            "and not found, or not dated); they count 0.5 in the score, 0 in the low and 1 in "
            "the high bound."
        )

    # 5. Weight sensitivity
    if {"rank_p05", "rank_p95"} <= set(t.columns):
        ranked = t.dropna(subset=["rank_p05", "rank_p95"])
        if not ranked.empty:
            width = ranked["rank_p95"].astype(float) - ranked["rank_p05"].astype(float)
            if float(width.max()) == 0:
                out.append("Ranks do not move when the weights vary around the chosen ones.")
            else:
                c = str(ranked.loc[width.idxmax(), "country"])
                r = ranked.set_index("country")
                out.append(
                    "When the weights vary (5th–95th percentile of 1000 draws), the rank moves "
                    f"most for {_who([c], names)}: {_fmt_rank(r.loc[c, 'rank_p05'])} to "
                    f"{_fmt_rank(r.loc[c, 'rank_p95'])}."
                )

    # 6. Stakeholder balance
    bal_cols = [c for c in ("body_evenness", "igf_evenness") if c in t]
    if bal_cols:
        best = t[["country", *bal_cols]].set_index("country").astype(float).max(axis=1)
        known = best.dropna()
        if known.empty:
            out.append(
                "No stakeholder composition of a national IGF committee or MS body is recorded "
                "for these jurisdictions."
            )
        else:
            c = str(known.idxmax())
            missing = sorted(set(t["country"]) - set(known.index))
            tail = f" No composition is recorded for {', '.join(missing)}." if missing else ""
            out.append(
                f"Most even stakeholder composition: {_who([c], names)} (evenness "
                f"{_fmt(known.max())} on a 0–1 scale over five stakeholder groups).{tail}"
            )
    return out


def _extreme(codes: Sequence[str], row: pd.DataFrame, names: Mapping[str, str]) -> str:
    """``Name (CODE) with 0.62 (bounds 0.50–0.75)``; for ties, each one's bounds."""
    score = _fmt(row.loc[codes[0], "score"])
    if len(codes) == 1:
        c = codes[0]
        return (
            f"{_who([c], names)} with {score} "
            f"(bounds {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])})"
        )
    bounds = ", ".join(f"{c} {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])}" for c in codes)
    return f"{_who(codes, names)} with {score} each (bounds: {bounds})"


# --------------------------------------------------------------------------------------------
# Events and timeline
# --------------------------------------------------------------------------------------------

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

_EVENT_TYPES = {
    "created": ("cctld_delegation", "ccTLD created (first delegation)"),
    "delegation": ("cctld_delegation", "ccTLD delegation"),
    "redelegation": ("cctld_redelegation", "ccTLD redelegation"),
    "administrative_transfer": ("cctld_redelegation", "ccTLD administrative transfer"),
}


def events(
    codes: Iterable[str],
    tables: Tables | None = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Dated events of the given jurisdictions, sorted by country and date.

    Kinds (:data:`EVENT_KINDS`): ``cctld_delegation`` (ccTLD ``created`` and ``delegation``
    events), ``cctld_redelegation`` (``redelegation`` and ``administrative_transfer``),
    ``igf_first`` (a national IGF initiative's first edition: ``first_year``, else its earliest
    edition) and ``body_founded`` (a body coded multistakeholder ``yes``/``partly`` established).
    Columns: :data:`EVENT_COLUMNS`; ``when`` is the date as a fractional year.
    """
    tables = tables or load()
    wanted = set(codes)
    rows: list[dict[str, Any]] = []

    ev = tables.cctld_events
    if not ev.empty:
        for _, e in ev[ev["country"].isin(wanted) & ev["type"].isin(_EVENT_TYPES)].iterrows():
            kind, label = _EVENT_TYPES[str(e["type"])]
            detail = f".{e['tld']}"
            to = _py(e.get("to_manager"))
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
            fy = _py(i.get("first_year"))
            years = [int(y) for y in mine["year"].dropna()] if not mine.empty else []
            first = int(fy) if fy is not None else (min(years) if years else None)
            if first is None:
                continue
            date: Any = str(first)
            conf = _py(i.get("first_year_confidence")) or _py(i.get("confidence"))
            src: Any = i
            same = mine[mine["year"] == first] if not mine.empty else mine
            if not same.empty:
                ed = same.iloc[0]
                date = _py(ed.get("date")) or str(first)
                if fy is None:
                    conf, src = _py(ed.get("confidence")), ed
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
        ms = b[b["country"].isin(wanted) & b["multistakeholder"].isin(["yes", "partly"])]
        for _, body in ms.iterrows():
            est = _py(body.get("established"))
            if est is None:
                continue
            conf = _py(body.get("established_confidence")) or _py(body.get("confidence"))
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
    when = _frac_year(date)
    y = year if year is not None else (math.floor(when) if when is not None else None)
    src = _py(record.get(sources_col)) or _py(record.get("sources")) or ""
    return {
        "country": str(country),
        "date": str(date),
        "year": y,
        "when": when if when is not None else (y + 0.5 if y is not None else None),
        "kind": kind,
        "event": label,
        "detail": detail,
        "confidence": _py(confidence),
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

    def diffusion_records(self) -> list[dict[str, Any]]:
        return jsonable_records(self.diffusion, ["year", "mechanism", "adopted", "unknown"])


def timeline(
    countries: str | Iterable[str] = "all",
    start: Any = 1990,
    end: Any = None,
    tables: Tables | None = None,
) -> Timeline:
    """Diffusion curves and dated events of the selected jurisdictions, ``start`` to ``end``.

    ``diffusion`` is :func:`analysis.panel.diffusion` counted over the selected
    jurisdictions (for ``"all"``: the core jurisdictions); ``end`` defaults to the latest data
    year and may not exceed it.
    """
    tables = tables or load()
    latest = latest_data_year(tables)
    s, e = resolve_range(start, end, latest)
    sel = select(countries, tables)
    codes, label = list(sel.codes), sel.label
    panel = adoption_panel(tables, start=s, end=e)
    diff = diffusion(panel, core=codes)
    return Timeline(
        codes=codes,
        label=label,
        start=s,
        end=e,
        diffusion=diff,
        events=events(codes, tables, s, e),
        names=_names(tables),
    )


# --------------------------------------------------------------------------------------------
# Position of one jurisdiction among peers
# --------------------------------------------------------------------------------------------

POSITION_KEYS = ["score", "low", "high", "rank", "rank_worst", "rank_best", "year"]


def position(
    code: str,
    panel: pd.DataFrame,
    year: int | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """score/low/high/rank/rank_worst/rank_best/year of ``code`` among all core jurisdictions.

    ``year`` defaults to the latest complete data year. Ranks are ``None`` for a jurisdiction outside the
    core (the reference case).
    """
    y = resolve_year(year, panel)
    idx = multisee_index(panel, weights=weights, year=y)
    row = idx[idx["country"] == code]
    if row.empty:
        raise UserError(f"country {code!r} is not in the panel")
    r = row.iloc[0]
    return {k: _py(r[k]) for k in POSITION_KEYS}


PEER_COLUMNS = [
    "group",
    "name",
    "n",
    "score",
    "low",
    "high",
    "rank",
    "rank_worst",
    "rank_best",
    "score_p05",
    "score_p95",
    "rank_p05",
    "rank_p95",
]


def peer_positions(
    code: str,
    tables: Tables | None = None,
    panel: pd.DataFrame | None = None,
    year: int | None = None,
    n: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """``code``'s score and rank interval among all core jurisdictions and in each peer group.

    One row for ``all`` (the core jurisdictions) and one per peer group that lists ``code``;
    ranks are recomputed among the group's members (tie rule as in
    :func:`analysis.scoring.multisee_index`) and the sensitivity percentiles come from
    :func:`analysis.scoring.sensitivity` with the same members. Columns: :data:`PEER_COLUMNS`.
    """
    tables = tables or load()
    panel = adoption_panel(tables) if panel is None else panel
    y = resolve_year(year, panel, tables)
    groups: list[tuple[str, str, list[str]]] = [
        ("all", "all core jurisdictions", core_codes(tables))
    ]
    pg = tables.peer_groups
    for _, g in pg.iterrows() if not pg.empty else []:
        members = [m for m in str(g["members"]).split(SEP) if m]
        if code in members:
            groups.append((str(g["id"]), str(g["name"]), sorted(members)))
    rows = []
    for gid, name, members in groups:
        idx = multisee_index(panel, year=y, core=members)
        r = idx[idx["country"] == code]
        sens = sensitivity(panel, y, n=n, seed=seed, core=members)
        s = sens[sens["country"] == code]
        row: dict[str, Any] = {"group": gid, "name": name, "n": len(members)}
        for col in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
            row[col] = r[col].iloc[0] if not r.empty else math.nan
        for col in ("score_p05", "score_p95", "rank_p05", "rank_p95"):
            row[col] = s[col].iloc[0] if not s.empty else math.nan
        rows.append(row)
    out = pd.DataFrame(rows, columns=PEER_COLUMNS)
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Sources by confidence
# --------------------------------------------------------------------------------------------


def source_citations(frames: Iterable[pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """For each source in ``sources``: how many records in ``frames`` cite it, by confidence.

    A record cites a source through its ``sources`` column (at the record's ``confidence``) or a
    field's ``<field>_sources`` column (at ``<field>_confidence``, else the record's). A record
    citing a source several times counts once, at the strongest confidence of those citations.
    Columns: id, title, sourced, inferred, recalled, total (sorted by id).
    """
    counts: dict[str, dict[str, int]] = {}
    levels = list(reversed(CONFIDENCE_ORDER))  # sourced, inferred, recalled
    for df in frames:
        if df is None or df.empty:
            continue
        src_cols = [c for c in df.columns if c == "sources" or c.endswith("_sources")]
        for _, rec in df.iterrows():
            best: dict[str, str | None] = {}
            for col in src_cols:
                cell = _py(rec.get(col))
                if not cell:
                    continue
                conf_col = (
                    "confidence" if col == "sources" else col[: -len("sources")] + "confidence"
                )
                conf = _py(rec.get(conf_col)) or _py(rec.get("confidence"))
                for sid in (s for s in str(cell).split(SEP) if s):
                    best[sid] = strongest(best.get(sid), conf)
            for sid, conf in best.items():
                c = counts.setdefault(sid, {lv: 0 for lv in [*levels, "total"]})
                if conf in levels:
                    c[conf] += 1
                c["total"] += 1
    cols = ["id", "title", *levels, "total"]
    rows = []
    for _, s in sources.sort_values("id").iterrows():
        c = counts.get(str(s["id"]), {lv: 0 for lv in [*levels, "total"]})
        rows.append({"id": s["id"], "title": s.get("title"), **c})
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def figure_image(fig: Figure, alt: str, dpi: int = 110) -> Any:
    """An :class:`IPython.display.Image` of the figure with alt text (kept by nbconvert)."""
    from IPython.display import Image

    return Image(data=figure_png(fig, dpi), format="png", alt=alt)


def _text_colour(fill: str) -> str:
    return "white" if fill in _DARK_FILLS else _INK


def _interval(
    ax: Any, y: float, bounds: tuple[Any, Any], band: tuple[Any, Any] | None, point: Any
) -> None:
    """One row of an interval plot: the low-high bounds (grey, with end ticks), the 5th-95th
    percentile band when known (sky), and the point estimate (dot)."""
    ax.plot(list(bounds), [y, y], color=_GREY, lw=1.5, solid_capstyle="butt")
    ax.plot(list(bounds), [y, y], "|", color=_GREY, ms=9)
    if band is not None and pd.notna(band[0]):
        ax.plot(list(band), [y, y], color=_SKY, lw=6, alpha=0.9, solid_capstyle="butt")
    ax.plot(point, y, "o", color=_BLUE, ms=7, zorder=3)


def rank_interval_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Scores with bounds and rank intervals, one row per jurisdiction, best first.

    Left: the score (dot), its bounds ``low``–``high`` (thin line) and, if present, the 5th–95th
    percentile over weights (``score_p05``–``score_p95``, thick bar). Right: the rank (dot), the
    rank interval ``rank_best``–``rank_worst`` (line) and ``rank_p05``–``rank_p95`` (bar); countries
    without a rank (the reference case) are marked "not ranked".
    """
    t = table.copy()
    t["_rank"] = pd.to_numeric(t["rank"], errors="coerce").astype(float)
    t = t.sort_values(
        ["_rank", "score", "country"], ascending=[True, False, True], na_position="last"
    ).reset_index(drop=True)
    n = len(t)
    fig = Figure(figsize=(10, 1.6 + 0.36 * max(n, 1)), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1.15, 1]})
    ys = np.arange(n)
    labels = [
        f"{r['name']} ({r['country']})" if "name" in t and pd.notna(r.get("name")) else r["country"]
        for _, r in t.iterrows()
    ]
    has_sens = {"score_p05", "score_p95"} <= set(t.columns)
    has_rank_sens = {"rank_p05", "rank_p95"} <= set(t.columns)
    for i, (_, r) in enumerate(t.iterrows()):
        band = (r["score_p05"], r["score_p95"]) if has_sens else None
        _interval(ax1, i, (r["low"], r["high"]), band, r["score"])
        rank = _py(r["rank"])
        if rank is None:
            ax2.text(
                0.5,
                i,
                "not ranked (reference)",
                va="center",
                fontsize=9,
                color=_INK,
                transform=ax2.get_yaxis_transform(),
            )
            continue
        band = (r["rank_p05"], r["rank_p95"]) if has_rank_sens else None
        _interval(ax2, i, (float(r["rank_best"]), float(r["rank_worst"])), band, rank)
    ax1.set_yticks(ys, labels, fontsize=10)
    ax1.set_ylim(n - 0.5, -0.5)
    ax1.set_xlim(-0.03, 1.03)
    ax1.set_xlabel("Multi-SEE index (0–1)", fontsize=10)
    ax1.set_title("Score and bounds", fontsize=11)
    ranks = pd.to_numeric(t["rank_worst"], errors="coerce").dropna()
    n_rank = int(max(ranks.max() if not ranks.empty else 1, 1))
    ax2.set_xlim(n_rank + 0.7, 0.3)  # best rank on the right, like the highest score
    ax2.set_xticks(sorted({1, *range(5, n_rank + 1, 5), n_rank}))
    ax2.set_xlabel("Rank among core jurisdictions (1 = best)", fontsize=10)
    ax2.set_title("Rank interval", fontsize=11)
    for ax in (ax1, ax2):
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], marker="o", ls="", color=_BLUE, label="point estimate"),
        Line2D(
            [],
            [],
            color=_GREY,
            lw=1.5,
            marker="|",
            ms=9,
            label="bounds: unknowns counted worst / best",
        ),
    ]
    if has_sens:
        handles.append(Line2D([], [], color=_SKY, lw=6, label="5th–95th percentile over weights"))
    fig.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9, frameon=False
    )
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def mechanism_matrix_figure(states: pd.DataFrame, title: str = "") -> Figure:
    """Countries (rows) x mechanisms (columns) heatmap of states, each cell labelled.

    ``states`` is indexed by country with columns ``cctld``, ``igf``, ``body`` (as
    :meth:`Comparison.state_matrix`); an index of ``"Name (CODE)"`` strings works as well.
    """
    mechs = [m for m in MECHANISMS if m in states.columns]
    n = len(states)
    fig = Figure(figsize=(7.5, 1.9 + 0.34 * max(n, 1)), layout="constrained")
    ax = fig.subplots()
    for i, (_, row) in enumerate(states.iterrows()):
        for j, m in enumerate(mechs):
            state = str(row[m])
            fill = STATE_COLOURS[m].get(state, _GREY)
            ax.add_patch(_rect(j, i, fill))
            ax.text(
                j + 0.5,
                i + 0.5,
                STATE_LABELS.get(state, state),
                ha="center",
                va="center",
                fontsize=9,
                color=_text_colour(fill),
            )
    ax.set_xlim(0, len(mechs))
    ax.set_ylim(n, 0)
    ax.set_xticks([j + 0.5 for j in range(len(mechs))], [MECHANISM_LABELS[m] for m in mechs])
    ax.xaxis.tick_top()
    ax.set_yticks([i + 0.5 for i in range(n)], [str(c) for c in states.index])
    ax.tick_params(length=0, labelsize=10)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = _state_legend()
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def _state_legend() -> list[Any]:
    """One legend entry per colour: the colours mean the same for every mechanism."""
    by_colour: dict[str, list[str]] = {}
    for m in MECHANISMS:
        for st in STATES[m]:
            fill = STATE_COLOURS[m][st]
            label = STATE_LABELS.get(st, st)
            if m == "igf" and st in ("held", "dormant"):
                label = f"IGF {label}"
            elif m == "body" and st == "active":
                label = f"body {label}"
            elif m == "cctld" and st.endswith("multistakeholder"):
                label = f"ccTLD {label}"
            if label not in by_colour.setdefault(fill, []):
                by_colour[fill].append(label)
    return [
        Patch(facecolor=fill, edgecolor="white", label=" / ".join(labels))
        for fill, labels in by_colour.items()
    ]


def _rect(x: float, y: float, fill: str, hatch: str | None = None) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x, y),
        1,
        1,
        facecolor=fill,
        edgecolor="white",
        lw=1.5,
        hatch=hatch,
    )


def diffusion_figure(diffusion: pd.DataFrame, title: str = "") -> Figure:
    """One panel per mechanism: jurisdictions that adopted it by year, with the unknown band.

    The band runs from ``adopted`` to ``adopted + unknown`` (what the count could be if every
    unknown turned out adopted); the dashed line is the number of jurisdictions counted.
    """
    fig = Figure(figsize=(11, 3.8), layout="constrained")
    axes = fig.subplots(1, len(MECHANISMS), sharey=True)
    top = max(1, int(diffusion["n"].max())) if not diffusion.empty else 1
    for ax, m in zip(axes, MECHANISMS, strict=True):
        d = diffusion[diffusion["mechanism"] == m].sort_values("year")
        x = d["year"].to_numpy(dtype=float)
        a = d["adopted"].to_numpy(dtype=float)
        u = d["unknown"].to_numpy(dtype=float)
        ax.fill_between(
            x, a, a + u, step="mid", color=_GREY, alpha=0.35, lw=0, label="adopted or unknown"
        )
        ax.step(x, a, where="mid", color=_BLUE, lw=2, label="adopted")
        if "n" in d:
            ax.step(
                x,
                d["n"].to_numpy(dtype=float),
                where="mid",
                color=_INK,
                lw=0.8,
                ls="--",
                label="jurisdictions counted",
            )
        ax.set_title(MECHANISM_LABELS[m], fontsize=11)
        ax.set_ylim(0, top + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("year", fontsize=10)
        ax.grid(color="#E5E5E5", lw=0.6)
        ax.set_axisbelow(True)
        ax.tick_params(labelsize=9)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[0].set_ylabel("jurisdictions", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def timeline_figure(
    ev: pd.DataFrame,
    codes: Sequence[str],
    start: int,
    end: int,
    names: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """One row per jurisdiction, a marker per event (:data:`EVENT_KINDS`), ``start`` to ``end``.

    ccTLD events are labelled with the TLD; weak evidence (inferred or recalled) is drawn hollow.
    """
    names = names or {}
    n = len(codes)
    fig = Figure(figsize=(11, 1.6 + 0.42 * max(n, 1)), layout="constrained")
    ax = fig.subplots()
    pos = {c: i for i, c in enumerate(codes)}
    for i in range(n):
        if i % 2 == 0:
            ax.axhspan(i - 0.5, i + 0.5, color="#F3F3F3", lw=0, zorder=0)
    placed: dict[float, list[tuple[float, str]]] = {}
    for kind, (label, marker, colour) in EVENT_KINDS.items():
        d = ev[(ev["kind"] == kind) & ev["country"].isin(pos)] if not ev.empty else ev
        if d.empty:
            continue
        y = d["country"].map(pos).to_numpy(dtype=float)
        x = d["when"].to_numpy(dtype=float)
        weak = d["confidence"].isin(_WEAK).to_numpy()
        ax.scatter(
            x[~weak],
            y[~weak],
            marker=marker,
            s=70,
            color=colour,
            edgecolor="white",
            lw=0.6,
            zorder=3,
            label=label,
        )
        if weak.any():
            ax.scatter(
                x[weak],
                y[weak],
                marker=marker,
                s=70,
                facecolor="white",
                edgecolor=colour,
                lw=1.4,
                zorder=3,
            )
        if kind.startswith("cctld"):
            for xi, yi, det in zip(x, y, d["detail"], strict=True):
                tld = str(det).split(" ")[0]
                near = [(px, pt) for px, pt in placed.get(yi, []) if abs(px - xi) < 1.6]
                if any(pt == tld for _, pt in near):
                    continue  # the same TLD is already labelled next to it
                placed.setdefault(yi, []).append((xi, tld))
                ax.annotate(
                    tld,
                    (xi, yi),
                    xytext=(0, -13 if near else 7),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7.5,
                    color=_INK,
                )
    ax.set_yticks(range(n), [f"{names.get(c, c)} ({c})" if names else c for c in codes])
    ax.set_ylim(n - 0.5, -0.7)
    ax.set_xlim(start - 0.5, end + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year", fontsize=10)
    ax.grid(axis="x", color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], marker=mk, ls="", color=col, ms=8, label=lbl)
        for lbl, mk, col in EVENT_KINDS.values()
    ]
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markerfacecolor="white",
            markeredgecolor=_INK,
            ms=8,
            label="hollow: inferred or recalled",
        )
    )
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title, fontsize=12)
    return fig


def country_states_figure(
    panel: pd.DataFrame,
    code: str,
    start: int | None = None,
    end: int | None = None,
    title: str = "",
) -> Figure:
    """The jurisdiction's state of each mechanism by year (one row per mechanism).

    Cells resting on inferred or recalled facts are hatched; unknown cells are grey.
    """
    p = panel[panel["country"] == code]
    if start is not None:
        p = p[p["year"] >= start]
    if end is not None:
        p = p[p["year"] <= end]
    years = sorted(int(y) for y in p["year"].unique())
    fig = Figure(figsize=(10, 2.9), layout="constrained")
    ax = fig.subplots()
    mechs = list(MECHANISMS)
    cells = {(str(r.mechanism), int(r.year)): (str(r.state), r.confidence) for r in p.itertuples()}
    for i, m in enumerate(mechs):
        for y in years:
            state, conf = cells.get((m, y), ("unknown", None))
            fill = STATE_COLOURS[m].get(state, _GREY)
            weak = _py(conf) in _WEAK
            ax.add_patch(_rect(y - 0.5, i, fill, hatch="////" if weak else None))
    if years:
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(len(mechs), 0)
    ax.set_yticks([i + 0.5 for i in range(len(mechs))], [MECHANISM_LABELS[m] for m in mechs])
    ax.tick_params(length=0, labelsize=9)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = _state_legend()
    handles.append(
        Patch(facecolor="white", edgecolor=_INK, hatch="////", label="inferred or recalled")
    )
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8.5, frameon=False)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


# --------------------------------------------------------------------------------------------
# Interactive explorer
# --------------------------------------------------------------------------------------------

EXPLORER_COLUMNS: dict[str, str] = {
    "country": "code",
    "name": "jurisdiction",
    "cctld": "ccTLD",
    "igf": "national IGF",
    "body": "MS body",
    "score": "score",
    "low": "low",
    "high": "high",
    "rank": "rank",
    "rank_best": "best rank",
    "rank_worst": "worst rank",
    "rank_p05": "rank p05",
    "rank_p95": "rank p95",
}


def comparison_html(c: Comparison) -> str:
    """The comparison table as escaped HTML (scores rounded to 3 decimals)."""
    from . import present

    t = c.table.copy()
    for col in ("score", "low", "high", "score_p05", "score_p95"):
        if col in t:
            t[col] = t[col].astype(float).round(3)
    for col in ("rank_p05", "rank_p95"):
        if col in t:
            t[col] = pd.to_numeric(t[col], errors="coerce").round().astype("Int64")
    return present.table(t, EXPLORER_COLUMNS)


class Explorer:
    """ipywidgets explorer: countries, year and three weights; re-renders on every change.

    ``widget`` is the whole user interface (display it in JupyterLab); :meth:`render` fills the
    output area with the comparison table and the rank-interval figure for the current choice and
    returns the countries shown; :meth:`view` does the same without widgets.
    """

    def __init__(
        self,
        tables: Tables | None = None,
        countries: str | Sequence[str] = "all",
        year: Any = None,
    ) -> None:
        import ipywidgets as w

        self.tables = tables or load()
        self.panel = adoption_panel(self.tables)
        lo, hi = int(self.panel["year"].min()), int(self.panel["year"].max())
        year = resolve_year(year, self.panel, self.tables)
        names = _names(self.tables)
        codes = sorted(names)
        default = select(countries, self.tables).codes
        self.countries = w.SelectMultiple(
            options=[(f"{names[c]} ({c})", c) for c in codes],
            value=tuple(default),
            rows=min(12, len(codes)),
            description="Countries",
        )
        self.year = w.IntSlider(
            value=year,
            min=lo,
            max=hi,
            step=1,
            description="Year",
            continuous_update=False,
        )
        self.weights = {
            m: w.FloatSlider(
                value=round(DEFAULT_WEIGHTS[m], 2),
                min=0.0,
                max=1.0,
                step=0.05,
                description=f"w {MECHANISM_LABELS[m]}",
                continuous_update=False,
                style={"description_width": "initial"},
            )
            for m in MECHANISMS
        }
        self.output = w.Output()
        for control in (self.countries, self.year, *self.weights.values()):
            control.observe(self._changed, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.countries, w.VBox([self.year, *self.weights.values()])]),
                self.output,
            ]
        )
        self.shown: list[str] = []

    def current(self) -> tuple[list[str], int, dict[str, float]]:
        return (
            list(self.countries.value),
            int(self.year.value),
            {m: float(s.value) for m, s in self.weights.items()},
        )

    def view(
        self, codes: Sequence[str], year: int, weights: Mapping[str, float] | None
    ) -> tuple[Comparison, str, Figure]:
        """(comparison, HTML table, rank-interval figure) for one choice.

        Equal weights (all three sliders alike and not all zero) mean the default weights.
        """
        if weights is not None and len(set(weights.values())) == 1 and max(weights.values()) > 0:
            weights = None
        c = comparison(list(codes), year, weights, tables=self.tables, panel=self.panel)
        fig = rank_interval_figure(
            c.table, f"Multi-SEE index {c.year}: {len(c.codes)} jurisdictions"
        )
        return c, comparison_html(c), fig

    def render(self) -> list[str]:
        """Re-render the output area for the current choice; returns the countries shown.

        The output area's content is replaced as a whole (``Output.outputs``) rather than
        written through the ``with output:`` capture, which can stall headless clients
        (nbclient/papermill) waiting for the cell to finish.
        """
        from IPython.display import HTML

        from . import present

        codes, year, weights = self.current()
        shown: list[str] = []
        if not codes:
            items: list[Any] = [HTML(present.paragraph("Select at least one jurisdiction."))]
        else:
            try:
                c, table_html, fig = self.view(codes, year, weights)
            except UserError as e:
                items = [HTML(present.paragraph(f"Cannot compare: {e}"))]
            else:
                items = [HTML(table_html), figure_image(fig, rank_alt(c))]
                shown = list(c.codes)
        self.output.outputs = tuple(_display_output(item) for item in items)
        self.shown = shown
        return shown

    def _changed(self, _change: Any) -> None:
        self.render()


def _display_output(obj: Any) -> dict[str, Any]:
    """A ``display_data`` output (as stored by an ipywidgets ``Output``) for a display object."""
    from IPython.core.formatters import format_display_data

    data, metadata = format_display_data(obj)
    return {"output_type": "display_data", "data": data, "metadata": metadata}


def rank_alt(c: Comparison) -> str:
    """Alt text for the rank-interval figure of a comparison."""
    return (
        f"Scores with bounds and rank intervals in {c.year} for {len(c.codes)} jurisdictions; "
        "the same values are in the table."
    )
