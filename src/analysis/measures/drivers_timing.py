"""When each mechanism appeared and in which order (issue 13: "why did some countries succeed?"),
and the regional initiatives' calendar. Core layer: pandas and numpy only.

* :func:`first_adoptions` -- per jurisdiction and mechanism, the first year the mechanism is
  *adopted* (:data:`analysis.model.vocab.ADOPTED`) in the adoption panel, and how sure that year is:
  ``status`` ``known`` (every earlier year is known not adopted), ``by`` (adopted by
  ``first_year``; earlier years unknown, back to ``earliest``), ``not_adopted`` (every year known,
  none adopted) or ``unknown`` (never seen adopted, some years unknown). Unknown is never read as
  "no". No year before a mechanism's substantive start (:data:`SUBSTANTIVE_START`: no national
  IGF before the global IGF of :data:`GLOBAL_IGF_START`) counts as possible.
* Three readings of the unknown years (:data:`VARIANTS`): ``known`` (only the jurisdictions whose
  first year is determined), ``pessimistic`` (unknown -> not adopted: the first year seen
  adopted) and ``optimistic`` (unknown -> adopted: the earliest possible year). The bounds are
  descriptive; the tests of :mod:`analysis.measures.drivers_model` impute the unknown years instead
  (:func:`possible_years` gives the years each may fall in).
* :func:`sequences`, :func:`order_counts`, :func:`precedence` -- the order in which the three
  mechanisms appeared, with only the pairwise relations the possible years allow.
* :func:`event_history` -- year by year, adopted, at risk and exposed counts.
* :func:`regional_initiatives`, :func:`hostings`, :func:`host_exposure`,
  :func:`regional_timing` -- SEEDIG and EuroDIG: starts, editions hosted, and adoptions before and
  from each start (descriptive only).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.borders import adjacency, adjacency_matrix
from analysis.measures.selection import as_year
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.model.values import source_ids, value_or_none, year_of
from analysis.model.vocab import ADOPTED, MECHANISMS, SEP

#: The timing variants, in the order they are shown.
VARIANTS: tuple[str, ...] = ("known", "pessimistic", "optimistic")
VARIANT_LABELS: dict[str, str] = {
    "known": "determined cases only",
    "pessimistic": "unknown -> not adopted",
    "optimistic": "unknown -> adopted",
}
#: First-adoption statuses.
STATUSES: dict[str, str] = {
    "known": "first year determined",
    "by": "adopted by this year; earlier years unknown",
    "not_adopted": "not adopted in any year (every year known)",
    "unknown": "never seen adopted; some years unknown",
}
NEVER = math.inf
#: The first global IGF (Athens, 2006): no national IGF can be older.
GLOBAL_IGF_START = 2006
#: Per mechanism, the first year an adoption is possible at all (none for ccTLDs and bodies: the
#: panel's own bounds apply).
SUBSTANTIVE_START: dict[str, int] = {"igf": GLOBAL_IGF_START}

FIRST_COLUMNS = [
    "country",
    "mechanism",
    "status",
    "first_year",
    "earliest",
    "label",
    "state",
    "confidence",
    "evidence",
    "sources",
]


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def mechanisms_of(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"all"``/``None`` -> every mechanism; ``"igf"`` or ``"cctld,igf"`` -> those, in order."""
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("all", "")):
        return MECHANISMS
    parts = [p.strip() for p in re.split(r"[,\s;]+", spec)] if isinstance(spec, str) else spec
    wanted = {str(p) for p in parts if str(p)}
    bad = sorted(wanted - set(MECHANISMS))
    if bad or not wanted:
        raise UserError(
            f"unknown mechanism {', '.join(bad) or repr(spec)} (known: all, {', '.join(MECHANISMS)})"
        )
    return tuple(m for m in MECHANISMS if m in wanted)


def window_of(panel: pd.DataFrame, start: Any = None, end: Any = None) -> tuple[int, int]:
    """(start, end) checked against the panel's years (defaults: the panel's first and last)."""
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    s = lo if start is None else as_year(start, "start")
    e = hi if end is None else as_year(end, "end")
    if s < lo or e > hi:
        raise UserError(f"the panel covers {lo}-{hi}; {s}-{e} is outside it")
    if e < s:
        raise UserError(f"end year {e} is before start year {s}")
    return s, e


# --------------------------------------------------------------------------------------------
# 1. First adoptions
# --------------------------------------------------------------------------------------------


def first_label(status: str, first: Any, earliest: Any, end: int) -> str:
    """How a first-adoption year is printed: ``2007``, ``by 2000 (maybe from 1994)``, ..."""
    first, earliest = value_or_none(first), value_or_none(earliest)
    if status == "known":
        return str(int(first))
    if status == "by":
        return f"by {int(first)} (maybe from {int(earliest)})"
    if status == "not_adopted":
        return f"not adopted (to {end})"
    return f"unknown (possible from {int(earliest)})" if earliest is not None else "unknown"


def first_adoptions(
    panel: pd.DataFrame, codes: Iterable[str] | None = None, weak_as_unknown: bool = False
) -> pd.DataFrame:
    """Per jurisdiction and mechanism: the first adoption year and how sure it is.

    ``first_year`` is the first year seen adopted (``NA`` if none); ``earliest`` the first year
    adopted *or unknown* before it (``NA`` if every year is known not adopted). ``state``,
    ``confidence``, ``evidence`` and ``sources`` are those of the panel cell of ``first_year``. The
    panel's first year counts as possibly preceded by unknown years (status ``by``), since the
    panel does not reach further back. Unknown years before the mechanism's substantive start
    (:data:`SUBSTANTIVE_START`) are not possible first years. ``weak_as_unknown``: cells on weak evidence (recalled, or
    only low-reliability sources) count as unknown, as the index's bounds count them.
    """
    p = panel if codes is None else panel[panel["country"].astype(str).isin(set(codes))]
    if weak_as_unknown and "evidence" in p:
        weak = p["evidence"] == "weak"
        p = p.assign(
            state=p["state"].where(~weak, "unknown"),
            confidence=p["confidence"].where(~weak, None),
            evidence=p["evidence"].where(~weak, None),
            sources=p["sources"].where(~weak, ""),
        )
    start, end = int(panel["year"].min()), int(panel["year"].max())
    rows: list[dict[str, Any]] = []
    for (code, mech), g in p.groupby(["country", "mechanism"], sort=True):
        g = g.sort_values("year")
        years = g["year"].astype(int).tolist()
        states = g["state"].astype(str).tolist()
        adopted = ADOPTED.get(str(mech), frozenset())
        first_i = next((i for i, s in enumerate(states) if s in adopted), None)
        limit = len(states) if first_i is None else first_i
        lo = SUBSTANTIVE_START.get(str(mech), start)
        unknown_before = [
            years[i] for i in range(limit) if states[i] == "unknown" and years[i] >= lo
        ]
        row: dict[str, Any] = {"country": str(code), "mechanism": str(mech)}
        if first_i is not None:
            first = years[first_i]
            cell = g.iloc[first_i]
            earliest = min([*unknown_before, first])
            status = "known" if earliest == first and first > start else "by"
            row.update(
                status=status,
                first_year=first,
                earliest=earliest,
                state=cell["state"],
                confidence=value_or_none(cell["confidence"]),
                evidence=value_or_none(cell["evidence"]),
                sources=str(value_or_none(cell["sources"]) or ""),
            )
        else:
            status = "unknown" if unknown_before else "not_adopted"
            row.update(
                status=status,
                first_year=None,
                earliest=min(unknown_before) if unknown_before else None,
                state=None,
                confidence=None,
                evidence=None,
                sources="",
            )
        row["label"] = first_label(row["status"], row["first_year"], row["earliest"], end)
        rows.append(row)
    out = pd.DataFrame(rows, columns=FIRST_COLUMNS)
    for col in ("first_year", "earliest"):
        out[col] = out[col].astype("Int64")
    order = {m: i for i, m in enumerate(MECHANISMS)}
    return out.sort_values(
        ["country", "mechanism"], key=lambda s: s.map(order) if s.name == "mechanism" else s
    ).reset_index(drop=True)


def possible_years(
    row: Mapping[str, Any], panel_years: Mapping[tuple[str, str], list[int]]
) -> set[float]:
    """Every year the first adoption may fall in (``NEVER`` included when it may not have)."""
    status = row["status"]
    first = value_or_none(row["first_year"])
    if status == "known":
        return {float(first)}
    if status == "not_adopted":
        return {NEVER}
    unknown = panel_years.get((row["country"], row["mechanism"]), [])
    out = {float(y) for y in unknown if first is None or y < first}
    if first is not None:
        out.add(float(first))
        if status == "by" and not unknown:  # adopted in the panel's first year
            out.add(float(first) - 1)
    else:
        out.add(NEVER)
    return out


def years_of(fa: pd.DataFrame, mechanism: str, variant: str) -> pd.Series:
    """First-adoption year per jurisdiction (``inf`` = not adopted) under a variant.

    ``known`` keeps only the determined cases (``known`` and ``not_adopted``); ``pessimistic``
    reads unknown as not adopted (``first_year``); ``optimistic`` as adopted (``earliest``).
    """
    if variant not in VARIANTS:
        raise UserError(f"unknown variant {variant!r} (known: {', '.join(VARIANTS)})")
    f = fa[fa["mechanism"] == mechanism]
    if variant == "known":
        f = f[f["status"].isin(["known", "not_adopted"])]
        col = "first_year"
    else:
        col = "first_year" if variant == "pessimistic" else "earliest"
    vals = [NEVER if value_or_none(v) is None else float(v) for v in f[col]]
    return pd.Series(vals, index=f["country"].astype(str).to_list(), dtype=float)


def _variant_years(
    fa: pd.DataFrame, mechanism: str, variant: str, codes: Sequence[str]
) -> tuple[list[str], np.ndarray, int]:
    """(codes kept, their first years, how many left out) for a variant."""
    ys = years_of(fa, mechanism, variant)
    kept = [c for c in codes if c in ys.index]
    return kept, ys.loc[kept].to_numpy(dtype=float), len(codes) - len(kept)


# --------------------------------------------------------------------------------------------
# 2. Sequences
# --------------------------------------------------------------------------------------------


def order_string(years: Mapping[str, float]) -> str:
    """``cctld → igf = body`` (same year joined by ``=``), not adopted ones in brackets."""
    adopted = sorted((y, MECHANISMS.index(m), m) for m, y in years.items() if y != NEVER)
    parts: list[str] = []
    for _, grp in itertools.groupby(adopted, key=lambda t: t[0]):
        parts.append(" = ".join(m for _, _, m in grp))
    never = [m for m in MECHANISMS if m in years and years[m] == NEVER]
    text = " → ".join(parts) if parts else "none adopted"
    if never and parts:
        text += f" (not adopted: {', '.join(never)})"
    return text


def _relations(pa: set[float], pb: set[float]) -> set[str]:
    """Which of ``before``/``same``/``after`` (``neither`` for both never) the sets allow."""
    out: set[str] = set()
    for a in pa:
        for b in pb:
            if a == NEVER and b == NEVER:
                out.add("neither")
            elif a < b:
                out.add("before")
            elif a > b:
                out.add("after")
            else:
                out.add("same")
    return out


def unknown_years(panel: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    """Per (jurisdiction, mechanism): the panel's unknown years from the substantive start on."""
    u = panel[panel["state"] == "unknown"]
    return {
        (str(c), str(m)): sorted(
            int(y) for y in g["year"] if int(y) >= SUBSTANTIVE_START.get(str(m), int(y))
        )
        for (c, m), g in u.groupby(["country", "mechanism"])
    }


def sequences(fa: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """One row per jurisdiction: each mechanism's first year, and the order they appeared in.

    ``order`` is the order when every pair is determined by the possible years (else
    ``undetermined``); ``relations`` the pairs that are determined; ``order_pessimistic`` and
    ``order_optimistic`` the order under each bound.
    """
    unknown = unknown_years(panel)
    rows = []
    for code, g in fa.groupby("country", sort=True):
        by = {r["mechanism"]: r for _, r in g.iterrows()}
        mechs = [m for m in MECHANISMS if m in by]
        poss = {m: possible_years(by[m], unknown) for m in mechs}
        known_pairs: list[str] = []
        determined = True
        for a, b in itertools.combinations(mechs, 2):
            rel = _relations(poss[a], poss[b])
            if len(rel) != 1:
                determined = False
                continue
            r = next(iter(rel))
            known_pairs.append(
                {
                    "before": f"{a} before {b}",
                    "after": f"{b} before {a}",
                    "same": f"{a} same year as {b}",
                    "neither": f"neither {a} nor {b}",
                }[r]
            )
        pess = {
            m: NEVER if value_or_none(by[m]["first_year"]) is None else float(by[m]["first_year"])
            for m in mechs
        }
        opt = {
            m: NEVER if value_or_none(by[m]["earliest"]) is None else float(by[m]["earliest"])
            for m in mechs
        }
        row: dict[str, Any] = {"country": str(code)}
        for m in mechs:
            row[m] = by[m]["label"]
        row["order"] = order_string(pess) if determined else "undetermined"
        row["relations"] = "; ".join(known_pairs)
        row["order_pessimistic"] = order_string(pess)
        row["order_optimistic"] = order_string(opt)
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=[
            "country",
            *MECHANISMS,
            "order",
            "relations",
            "order_pessimistic",
            "order_optimistic",
        ],
    )


def order_counts(seq: pd.DataFrame) -> pd.DataFrame:
    """How often each order occurs: among determined cases, and under each bound."""
    known = seq.loc[seq["order"] != "undetermined", "order"].value_counts()
    pess = seq["order_pessimistic"].value_counts()
    opt = seq["order_optimistic"].value_counts()
    orders = sorted(set(known.index) | set(pess.index) | set(opt.index))
    out = pd.DataFrame(
        {
            "order": orders,
            "known": [int(known.get(o, 0)) for o in orders],
            "pessimistic": [int(pess.get(o, 0)) for o in orders],
            "optimistic": [int(opt.get(o, 0)) for o in orders],
        }
    )
    undetermined = int((seq["order"] == "undetermined").sum())
    out = pd.concat(
        [
            out.sort_values(["known", "pessimistic", "order"], ascending=[False, False, True]),
            pd.DataFrame(
                [
                    {
                        "order": "undetermined",
                        "known": undetermined,
                        "pessimistic": 0,
                        "optimistic": 0,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    return out


def precedence(fa: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Per pair of mechanisms (a, b): in how many jurisdictions a came first, b first, both in the
    same year, neither, or the data cannot tell; determined cases and each bound."""
    unknown = unknown_years(panel)
    rels = ("before", "after", "same", "neither")
    rows = []
    for a, b in itertools.combinations(MECHANISMS, 2):
        counts = {v: dict.fromkeys([*rels, "undetermined"], 0) for v in VARIANTS}
        for _, g in fa.groupby("country"):
            by = {r["mechanism"]: r for _, r in g.iterrows()}
            if a not in by or b not in by:
                continue
            rel = _relations(possible_years(by[a], unknown), possible_years(by[b], unknown))
            counts["known"][next(iter(rel)) if len(rel) == 1 else "undetermined"] += 1
            for v, col in (("pessimistic", "first_year"), ("optimistic", "earliest")):
                ya = NEVER if value_or_none(by[a][col]) is None else float(by[a][col])
                yb = NEVER if value_or_none(by[b][col]) is None else float(by[b][col])
                counts[v][next(iter(_relations({ya}, {yb})))] += 1
        for key, label in (
            ("before", f"{a} first (or only {a})"),
            ("after", f"{b} first (or only {b})"),
            ("same", "same year"),
            ("neither", "neither adopted"),
            ("undetermined", "cannot be told"),
        ):
            rows.append(
                {
                    "pair": f"{a} / {b}",
                    "relation": label,
                    **{v: counts[v][key] for v in VARIANTS},
                }
            )
    return pd.DataFrame(rows, columns=["pair", "relation", *VARIANTS])


def event_history(
    fa: pd.DataFrame,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanism: str,
    adj: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Year by year, for one mechanism: how many jurisdictions have adopted by then (under each
    bound and among determined cases), how many are undetermined, how many are at risk and
    exposed to an adopted neighbour (:func:`analysis.measures.borders.adjacency`), and how many adopt
    (pessimistic bound)."""
    adj = adjacency() if adj is None else adj
    codes = list(codes)
    known = years_of(fa, mechanism, "known").reindex(codes).to_numpy(dtype=float)
    pess = years_of(fa, mechanism, "pessimistic").reindex(codes).fillna(NEVER).to_numpy(dtype=float)
    opt = years_of(fa, mechanism, "optimistic").reindex(codes).fillna(NEVER).to_numpy(dtype=float)
    a = adjacency_matrix(adj, codes).astype(float)
    determined = ~np.isnan(known)
    rows = []
    for t in range(window[0], window[1] + 1):
        at_risk = pess >= t
        exposed = at_risk & ((a @ (pess < t).astype(float)) > 0)
        rows.append(
            {
                "year": t,
                "n": len(codes),
                "adopted_known": int((known[determined] <= t).sum()),
                "undetermined": int((~determined).sum()),
                "adopted_pessimistic": int((pess <= t).sum()),
                "adopted_optimistic": int((opt <= t).sum()),
                "at_risk": int(at_risk.sum()),
                "exposed": int(exposed.sum()),
                "adoptions": int((pess == t).sum()),
                "adoptions_exposed": int((exposed & (pess == t)).sum()),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# 6. Regional initiatives
# --------------------------------------------------------------------------------------------


def regional_initiatives(tables: Tables) -> pd.DataFrame:
    """SEEDIG, EuroDIG, ...: id, acronym, start (established, else first year) and its sources."""
    ini = tables.igf_initiatives
    reg = ini[ini["kind"] == "regional"] if not ini.empty else ini
    rows = []
    for _, r in reg.iterrows():
        est = year_of(r.get("established"))
        start: int | None
        if est is not None:
            start, src, conf = est, source_ids(r.get("sources")), value_or_none(r.get("confidence"))
        else:
            start = year_of(r.get("first_year"))
            src, conf = (
                source_ids(r.get("first_year_sources")),
                value_or_none(r.get("first_year_confidence")),
            )
        rows.append(
            {
                "id": str(r["id"]),
                "acronym": str(value_or_none(r.get("acronym")) or r["id"]),
                "start": start,
                "sources": SEP.join(src),
                "confidence": conf,
            }
        )
    out = pd.DataFrame(rows, columns=["id", "acronym", "start", "sources", "confidence"])
    out["start"] = out["start"].astype("Int64")
    return out.sort_values("start", ignore_index=True)


def hostings(tables: Tables, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Editions of regional initiatives hosted by the jurisdictions (coded ``host_country``)."""
    reg = regional_initiatives(tables)
    eds = tables.igf_editions
    eds = eds[eds["initiative"].isin(set(reg["id"]))] if not eds.empty else eds
    if "host_country" not in eds:
        return pd.DataFrame(
            columns=["country", "initiative", "year", "city", "sources", "confidence"]
        )
    eds = eds[eds["host_country"].notna()]
    if codes is not None:
        eds = eds[eds["host_country"].isin(set(codes))]
    acr = dict(zip(reg["id"], reg["acronym"], strict=True))
    out = pd.DataFrame(
        {
            "country": eds["host_country"].astype(str),
            "initiative": eds["initiative"].map(acr),
            "year": eds["year"].map(year_of),
            "city": eds["city"] if "city" in eds else None,
            "sources": eds["sources"],
            "confidence": eds["confidence"],
        }
    )
    return out.sort_values(["year", "country"], ignore_index=True)


def host_exposure(tables: Tables, codes: Sequence[str], window: tuple[int, int]) -> np.ndarray:
    """n x T: the jurisdiction hosted an edition of a regional initiative in an earlier year."""
    h = hostings(tables, codes)
    years = np.arange(window[0], window[1] + 1)
    out = np.zeros((len(codes), len(years)), dtype=bool)
    for i, c in enumerate(codes):
        first = h.loc[h["country"] == c, "year"].min()
        if pd.notna(first):
            out[i] = years > int(first)
    return out


def regional_timing(
    fa: pd.DataFrame,
    tables: Tables,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanisms: Sequence[str] = MECHANISMS,
) -> pd.DataFrame:
    """Adoptions and at-risk years before and from each regional initiative's start, per mechanism
    and variant. Descriptive only: every jurisdiction meets the same calendar, so a break in time
    cannot be told apart from the general trend with these data (no p-value is given for it)."""
    reg = regional_initiatives(tables)
    rows = []
    for mech in mechanisms:
        for variant in VARIANTS:
            kept, y, left = _variant_years(fa, mech, variant, codes)
            for _, r in reg.iterrows():
                s = int(r["start"])
                cut = [(window[0], min(s - 1, window[1])), (max(s, window[0]), window[1])]
                counts = []
                for lo, hi in cut:
                    if hi < lo:
                        counts.append((0, 0))
                        continue
                    risk = sum(
                        int(max(0, min(hi, yi) - max(lo, window[0]) + 1)) if yi >= lo else 0
                        for yi in y
                    )
                    ev = int(((y >= lo) & (y <= hi)).sum())
                    counts.append((ev, risk))
                (eb, rb), (ea, ra) = counts
                rows.append(
                    {
                        "mechanism": mech,
                        "variant": variant,
                        "initiative": r["acronym"],
                        "start": s,
                        "start_sources": r["sources"],
                        "n": len(kept),
                        "n_left_out": left,
                        "adoptions_before": eb,
                        "at_risk_years_before": rb,
                        "rate_before": round(eb / rb, 4) if rb else None,
                        "adoptions_from": ea,
                        "at_risk_years_from": ra,
                        "rate_from": round(ea / ra, 4) if ra else None,
                    }
                )
    return pd.DataFrame(rows)
