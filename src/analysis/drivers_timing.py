"""When each mechanism appeared, and whether adoption follows neighbours, regional initiatives or
groupings (issue 13: "why did some countries succeed?"). Core layer: pandas and numpy only.

* :func:`first_adoptions` -- per jurisdiction and mechanism, the first year the mechanism is
  *adopted* (:data:`analysis.vocab.ADOPTED`) in the adoption panel, and how sure that year is:
  ``status`` ``known`` (every earlier year is known not adopted), ``by`` (adopted by
  ``first_year``; earlier years unknown, back to ``earliest``), ``not_adopted`` (every year known,
  none adopted) or ``unknown`` (never seen adopted, some years unknown). Unknown is never read as
  "no".
* Three *variants* of every timing result: ``known`` (only the jurisdictions whose first year is
  determined; the others are left out and counted), ``pessimistic`` (unknown -> not adopted: the
  first year seen adopted) and ``optimistic`` (unknown -> adopted: the first year adopted *or
  unknown*).
* :func:`sequences`, :func:`order_counts`, :func:`precedence` -- the order in which the three
  mechanisms appeared, with only the pairwise relations the possible years allow.
* :func:`adjacency` -- shared borders from ``data/boundaries/see_plus.geojson`` (shapely, imported
  inside the function; the result is cached per file).
* :func:`exposure_test` -- a permutation test of whether adoptions happen more often than chance
  in years a jurisdiction is *exposed* (a neighbour adopted earlier; it hosted a SEEDIG or EuroDIG
  edition; it belongs to a group). The statistic is O - E: adoptions in exposed years minus those
  expected from each year's overall adoption rate among the jurisdictions at risk. The null
  shuffles the first-adoption years across jurisdictions, keeping the borders (or memberships),
  the multiset of years and the window. :func:`neighbour_tests`, :func:`regional_tests` and
  :func:`group_tests` apply it; :func:`regional_timing` is descriptive only.

At n = 20 core jurisdictions, with few adoptions and many unknown years, these tests have little
power: a large p-value means "not detectable with these data", never "no effect"; a small one
among many tests may be chance (the tables carry Holm-adjusted p-values for that).
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import UserError
from .load import Tables
from .panel import _ids, _v, _year
from .paths import BOUNDARIES
from .selection import as_year
from .vocab import ADOPTED, MECHANISMS, SEP, display_code

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
TEST_COLUMNS = [
    "test",
    "mechanism",
    "variant",
    "n",
    "n_left_out",
    "n_events",
    "observed",
    "expected",
    "statistic",
    "p_value",
    "n_permutations",
    "alternative",
    "note",
    "p_holm",
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
    first, earliest = _v(first), _v(earliest)
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
    panel does not reach further back. ``weak_as_unknown``: cells on weak evidence (recalled, or
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
        unknown_before = [years[i] for i in range(limit) if states[i] == "unknown"]
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
                confidence=_v(cell["confidence"]),
                evidence=_v(cell["evidence"]),
                sources=str(_v(cell["sources"]) or ""),
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


def _possible(
    row: Mapping[str, Any], panel_years: Mapping[tuple[str, str], list[int]]
) -> set[float]:
    """Every year the first adoption may fall in (``NEVER`` included when it may not have)."""
    status = row["status"]
    first = _v(row["first_year"])
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
    vals = [NEVER if _v(v) is None else float(v) for v in f[col]]
    return pd.Series(vals, index=f["country"].astype(str).to_list(), dtype=float)


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


def _unknown_years(panel: pd.DataFrame) -> dict[tuple[str, str], list[int]]:
    u = panel[panel["state"] == "unknown"]
    return {
        (str(c), str(m)): sorted(int(y) for y in g["year"])
        for (c, m), g in u.groupby(["country", "mechanism"])
    }


def sequences(fa: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """One row per jurisdiction: each mechanism's first year, and the order they appeared in.

    ``order`` is the order when every pair is determined by the possible years (else
    ``undetermined``); ``relations`` the pairs that are determined; ``order_pessimistic`` and
    ``order_optimistic`` the order under each bound.
    """
    unknown = _unknown_years(panel)
    rows = []
    for code, g in fa.groupby("country", sort=True):
        by = {r["mechanism"]: r for _, r in g.iterrows()}
        mechs = [m for m in MECHANISMS if m in by]
        poss = {m: _possible(by[m], unknown) for m in mechs}
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
            m: NEVER if _v(by[m]["first_year"]) is None else float(by[m]["first_year"])
            for m in mechs
        }
        opt = {
            m: NEVER if _v(by[m]["earliest"]) is None else float(by[m]["earliest"]) for m in mechs
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
    unknown = _unknown_years(panel)
    rels = ("before", "after", "same", "neither")
    rows = []
    for a, b in itertools.combinations(MECHANISMS, 2):
        counts = {v: dict.fromkeys([*rels, "undetermined"], 0) for v in VARIANTS}
        for _, g in fa.groupby("country"):
            by = {r["mechanism"]: r for _, r in g.iterrows()}
            if a not in by or b not in by:
                continue
            rel = _relations(_possible(by[a], unknown), _possible(by[b], unknown))
            counts["known"][next(iter(rel)) if len(rel) == 1 else "undetermined"] += 1
            for v, col in (("pessimistic", "first_year"), ("optimistic", "earliest")):
                ya = NEVER if _v(by[a][col]) is None else float(by[a][col])
                yb = NEVER if _v(by[b][col]) is None else float(by[b][col])
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


# --------------------------------------------------------------------------------------------
# 4. Shared borders
# --------------------------------------------------------------------------------------------


def adjacency(path: Path | str | None = None) -> dict[str, frozenset[str]]:
    """Each in-scope jurisdiction's neighbours: a shared border of positive length in the boundary
    file (single-point contacts do not count). Jurisdictions without one (Cyprus, and Switzerland
    among the in-scope ones) map to an empty set. Cached per file and modification time."""
    p = Path(path) if path is not None else BOUNDARIES
    return dict(_adjacency(str(p.resolve()), p.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _adjacency(path: str, mtime_ns: int) -> tuple[tuple[str, frozenset[str]], ...]:
    from shapely.geometry import shape
    from shapely.ops import unary_union

    data = json.loads(Path(path).read_text(encoding="utf-8"))
    parts: dict[str, list[Any]] = {}
    for f in data.get("features", []):
        props = f.get("properties") or {}
        if props.get("in_scope") and f.get("geometry"):
            parts.setdefault(str(props["code"]), []).append(shape(f["geometry"]))
    geoms = {c: unary_union(g) for c, g in parts.items()}
    out: dict[str, set[str]] = {c: set() for c in geoms}
    for a, b in itertools.combinations(sorted(geoms), 2):
        ga, gb = geoms[a], geoms[b]
        if not (ga.touches(gb) or ga.intersects(gb)):
            continue
        shared = ga.intersection(gb)
        if shared.length > 0 or shared.area > 0:
            out[a].add(b)
            out[b].add(a)
    return tuple((c, frozenset(n)) for c, n in sorted(out.items()))


def adjacency_matrix(adj: Mapping[str, Iterable[str]], codes: Sequence[str]) -> np.ndarray:
    """Boolean matrix of shared borders among ``codes`` (in that order)."""
    idx = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(codes), len(codes)), dtype=bool)
    for c in codes:
        for n in adj.get(c, ()):
            if n in idx:
                m[idx[c], idx[n]] = True
    return m


# --------------------------------------------------------------------------------------------
# 5. The permutation test
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermutationResult:
    """O - E of adoptions in exposed years, and its permutation p-value."""

    n: int
    n_events: int
    observed: int
    expected: float
    statistic: float
    p_value: float
    n_permutations: int
    alternative: str
    n_at_risk: int
    n_exposed: int
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _o_minus_e(
    y: np.ndarray, years: np.ndarray, neighbours: np.ndarray | None, exposure: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(O, E, events, at-risk years, exposed at-risk years) for each row of ``y`` (P x n)."""
    t = years[None, :, None]
    yy = y[:, None, :]
    at_risk = yy >= t  # P x T x n
    event = yy == t
    if neighbours is not None:
        before = (yy < t).astype(np.float64)
        exposed = (before @ neighbours.astype(np.float64)) > 0
    else:
        assert exposure is not None
        exposed = np.broadcast_to(exposure.T[None, :, :], at_risk.shape)
    n_event_t = event.sum(axis=2)
    n_risk_t = at_risk.sum(axis=2)
    hazard = np.divide(n_event_t, n_risk_t, out=np.zeros(n_event_t.shape), where=n_risk_t > 0)
    risk_exposed = at_risk & exposed
    o = (event & exposed).sum(axis=(1, 2))
    e = (hazard * risk_exposed.sum(axis=2)).sum(axis=1)
    return o, e, n_event_t.sum(axis=1), n_risk_t.sum(axis=1), risk_exposed.sum(axis=(1, 2))


def exposure_test(
    first_years: Sequence[float] | np.ndarray,
    start: int,
    end: int,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    n_permutations: int = 999,
    seed: int = 0,
    alternative: str = "greater",
) -> PermutationResult:
    """Do adoptions fall in *exposed* years more often than chance?

    ``first_years``: each unit's first adoption year (``inf``: not adopted). Years ``start`` to
    ``end`` are observed: a unit is at risk in a year if it has not adopted before, and adopts in
    it if its first year equals it; units adopted before ``start`` are not at risk but expose
    their neighbours. Exposure is either *network* (``neighbours``, an n x n boolean matrix: a
    neighbour adopted in an earlier year) or *given* (``exposure``, n x T booleans for the years
    ``start..end``: a group membership, a hosted event).

    Statistic: O - E, the adoptions in exposed years minus those expected if each at-risk unit
    adopted at that year's overall rate. Null: the first years are shuffled across units
    (``n_permutations`` random permutations, ``seed``), keeping the matrix, the multiset of years
    and the window. ``alternative``: ``greater`` (exposure speeds adoption), ``less`` or
    ``two-sided`` (on ``|O - E|``). p = (1 + #{permuted >= observed}) / (1 + n_permutations).
    """
    if (neighbours is None) == (exposure is None):
        raise UserError("give exactly one of neighbours (a matrix) or exposure (units x years)")
    if alternative not in ("greater", "less", "two-sided"):
        raise UserError(f"unknown alternative {alternative!r} (greater, less, two-sided)")
    if n_permutations < 1:
        raise UserError(f"n_permutations must be at least 1, got {n_permutations}")
    y = np.asarray(first_years, dtype=float)
    n = len(y)
    years = np.arange(start, end + 1)
    if neighbours is not None and neighbours.shape != (n, n):
        raise UserError(f"neighbours must be {n} x {n}, got {neighbours.shape}")
    if exposure is not None and exposure.shape != (n, len(years)):
        raise UserError(f"exposure must be {n} x {len(years)}, got {exposure.shape}")
    o, e, events, risk, exposed = (
        a[0] for a in _o_minus_e(y[None, :], years, neighbours, exposure)
    )
    obs = float(o - e)
    note = ""
    if n == 0 or events == 0:
        note = "no adoption in the window: nothing to test"
    elif exposed == 0:
        note = "no exposed year at risk: nothing to compare"
    rng = np.random.default_rng(seed)
    stats = np.empty(n_permutations)
    done = 0
    chunk = max(1, min(n_permutations, 2_000_000 // max(1, n * len(years))))
    while done < n_permutations:
        k = min(chunk, n_permutations - done)
        perm = rng.permuted(np.tile(y, (k, 1)), axis=1)
        po, pe, *_ = _o_minus_e(perm, years, neighbours, exposure)
        stats[done : done + k] = po - pe
        done += k
    tol = 1e-9
    if alternative == "greater":
        hits = int((stats >= obs - tol).sum())
    elif alternative == "less":
        hits = int((stats <= obs + tol).sum())
    else:
        hits = int((np.abs(stats) >= abs(obs) - tol).sum())
    p = (1 + hits) / (1 + n_permutations)
    if not note and bool(np.all(np.abs(stats - obs) <= tol)):
        note = "the statistic is the same under every permutation: nothing to test"
    if note.startswith("no adoption"):
        p = math.nan
    return PermutationResult(
        n=n,
        n_events=int(events),
        observed=int(o),
        expected=float(e),
        statistic=obs,
        p_value=float(p),
        n_permutations=n_permutations,
        alternative=alternative,
        n_at_risk=int(risk),
        n_exposed=int(exposed),
        note=note,
    )


def holm(p_values: Sequence[Any]) -> list[float | None]:
    """Holm-adjusted p-values (``None`` stays ``None``): the chance that the smallest of several
    p-values is small by luck alone is taken into account."""
    idx = [i for i, p in enumerate(p_values) if _v(p) is not None]
    order = sorted(idx, key=lambda i: float(p_values[i]))
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * float(p_values[i])))
        out[i] = round(running, 4)
    return out


def with_holm(df: pd.DataFrame) -> pd.DataFrame:
    """``p_holm``: Holm-adjusted within each variant (the tests of one table under one reading of
    the unknowns form one family)."""
    df = df.copy()
    df["p_holm"] = None
    for _, g in df.groupby("variant", sort=False):
        df.loc[g.index, "p_holm"] = pd.Series(holm(list(g["p_value"])), index=g.index, dtype=object)
    return df


def _variant_years(
    fa: pd.DataFrame, mechanism: str, variant: str, codes: Sequence[str]
) -> tuple[list[str], np.ndarray, int]:
    """(codes kept, their first years, how many left out) for a variant."""
    ys = years_of(fa, mechanism, variant)
    kept = [c for c in codes if c in ys.index]
    return kept, ys.loc[kept].to_numpy(dtype=float), len(codes) - len(kept)


def _row(test: str, mech: str, variant: str, left_out: int, r: PermutationResult) -> dict[str, Any]:
    return {
        "test": test,
        "mechanism": mech,
        "variant": variant,
        "n": r.n,
        "n_left_out": left_out,
        "n_events": r.n_events,
        "observed": r.observed,
        "expected": round(r.expected, 3),
        "statistic": round(r.statistic, 3),
        "p_value": None if math.isnan(r.p_value) else round(r.p_value, 4),
        "n_permutations": r.n_permutations,
        "alternative": r.alternative,
        "note": r.note,
    }


def neighbour_tests(
    fa: pd.DataFrame,
    codes: Sequence[str],
    window: tuple[int, int],
    adj: Mapping[str, Iterable[str]] | None = None,
    mechanisms: Sequence[str] = MECHANISMS,
    n_permutations: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Does adoption follow neighbours? One test per mechanism and variant (see
    :func:`exposure_test`): exposed = a jurisdiction sharing a border adopted in an earlier year."""
    adj = adjacency() if adj is None else adj
    rows = []
    for mech in mechanisms:
        for variant in VARIANTS:
            kept, y, left = _variant_years(fa, mech, variant, codes)
            r = exposure_test(
                y, *window, neighbours=adjacency_matrix(adj, kept),
                n_permutations=n_permutations, seed=seed, alternative="greater",
            )  # fmt: skip
            rows.append(_row("neighbour adopted earlier", mech, variant, left, r))
    return with_holm(pd.DataFrame(rows, columns=TEST_COLUMNS))


def event_history(
    fa: pd.DataFrame,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanism: str,
    adj: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Year by year, for one mechanism: how many jurisdictions have adopted by then (under each
    bound and among determined cases), how many are undetermined, how many are at risk and
    exposed to an adopted neighbour, and how many adopt (pessimistic bound)."""
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
        est = _year(r.get("established"))
        start: int | None
        if est is not None:
            start, src, conf = est, _ids(r.get("sources")), _v(r.get("confidence"))
        else:
            start = _year(r.get("first_year"))
            src, conf = _ids(r.get("first_year_sources")), _v(r.get("first_year_confidence"))
        rows.append(
            {
                "id": str(r["id"]),
                "acronym": str(_v(r.get("acronym")) or r["id"]),
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
            "year": eds["year"].map(_year),
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


def regional_tests(
    fa: pd.DataFrame,
    tables: Tables,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanisms: Sequence[str] = MECHANISMS,
    n_permutations: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Do jurisdictions adopt after hosting a SEEDIG or EuroDIG edition? (:func:`exposure_test`
    with the hosting as exposure, from the year after the first hosting.)"""
    rows = []
    for mech in mechanisms:
        for variant in VARIANTS:
            kept, y, left = _variant_years(fa, mech, variant, codes)
            x = host_exposure(tables, kept, window)
            r = exposure_test(y, *window, exposure=x, n_permutations=n_permutations, seed=seed)
            rows.append(_row("hosted a regional edition earlier", mech, variant, left, r))
    return with_holm(pd.DataFrame(rows, columns=TEST_COLUMNS))


# --------------------------------------------------------------------------------------------
# 7. EU status and peer groups
# --------------------------------------------------------------------------------------------


def group_memberships(
    tables: Tables, codes: Sequence[str], window: tuple[int, int]
) -> list[dict[str, Any]]:
    """Each peer group of ``data/peer_groups.yaml`` (membership fixed over time), and EU
    membership at the time (accession year from each jurisdiction's ``eu_status.since``):
    id, name, n x T exposure, members, sources."""
    years = np.arange(window[0], window[1] + 1)
    out: list[dict[str, Any]] = []
    pg = tables.peer_groups
    for _, g in pg.iterrows() if not pg.empty else iter(()):
        members = {m for m in str(g["members"]).split(SEP) if m}
        x = np.array([[c in members] * len(years) for c in codes], dtype=bool).reshape(
            len(codes), len(years)
        )
        out.append(
            {
                "id": str(g["id"]),
                "name": str(g["name"]),
                "exposure": x,
                "members": sorted(members & set(codes)),
                "sources": str(_v(g.get("sources")) or ""),
            }
        )
    c = tables.countries.set_index("code")
    x = np.zeros((len(codes), len(years)), dtype=bool)
    src: list[str] = []
    for i, code in enumerate(codes):
        if (
            code in c.index
            and c.loc[code, "eu_status"] == "member"
            and _v(c.loc[code, "eu_since"]) is not None
        ):
            x[i] = years >= int(c.loc[code, "eu_since"])
            src.extend(_ids(c.loc[code, "eu_status_sources"]))
    out.append(
        {
            "id": "eu-member-at-the-time",
            "name": "EU member at the time (accession year)",
            "exposure": x,
            "members": [c for i, c in enumerate(codes) if x[i].any()],
            "sources": SEP.join(dict.fromkeys(src)),
        }
    )
    return out


def group_tests(
    fa: pd.DataFrame,
    tables: Tables,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanisms: Sequence[str] = MECHANISMS,
    n_permutations: int = 999,
    seed: int = 0,
) -> pd.DataFrame:
    """Adoption timing by group: members' first years against the others', O - E of adoptions
    while a member, two-sided permutation p (the same shuffle as :func:`exposure_test`). Groups
    containing all or none of the jurisdictions are reported without a test."""
    rows = []
    for g in group_memberships(tables, codes, window):
        for mech in mechanisms:
            for variant in VARIANTS:
                kept, y, left = _variant_years(fa, mech, variant, codes)
                idx = [codes.index(c) for c in kept]
                x = (
                    g["exposure"][idx]
                    if idx
                    else np.zeros((0, window[1] - window[0] + 1), dtype=bool)
                )
                member = np.asarray(x.any(axis=1), dtype=bool)
                first = dict(zip(kept, y, strict=True))

                def years_text(which: Sequence[str], first: Mapping[str, float] = first) -> str:
                    return ", ".join(
                        f"{display_code(c)} {int(first[c])}"
                        if first[c] != NEVER
                        else f"{display_code(c)} -"
                        for c in which
                    )

                ins = [c for c, m in zip(kept, member.tolist(), strict=True) if m]
                outs = [c for c, m in zip(kept, member.tolist(), strict=True) if not m]
                base = {
                    "group": g["id"],
                    "group_name": g["name"],
                    "mechanism": mech,
                    "variant": variant,
                    "members": len(ins),
                    "others": len(outs),
                    "n_left_out": left,
                    "members_adopted": int(sum(first[c] <= window[1] for c in ins)),
                    "others_adopted": int(sum(first[c] <= window[1] for c in outs)),
                    "members_years": years_text(ins),
                    "others_years": years_text(outs),
                    "group_sources": g["sources"],
                }
                if not ins or not outs:
                    rows.append(
                        {
                            **base,
                            "observed": None,
                            "expected": None,
                            "p_value": None,
                            "n_permutations": 0,
                            "note": "all or none of the jurisdictions are members: nothing to compare",
                        }
                    )
                    continue
                r = exposure_test(
                    y,
                    *window,
                    exposure=x,
                    n_permutations=n_permutations,
                    seed=seed,
                    alternative="two-sided",
                )
                rows.append(
                    {
                        **base,
                        "observed": r.observed,
                        "expected": round(r.expected, 3),
                        "p_value": None if math.isnan(r.p_value) else round(r.p_value, 4),
                        "n_permutations": r.n_permutations,
                        "note": r.note,
                    }
                )
    return with_holm(pd.DataFrame(rows))
