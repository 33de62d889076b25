"""Generated sentences: what differs in a comparison, and the alt text of each figure.

Plain functions of tables and numbers (no matplotlib, no ipywidgets), so the notebooks and the
deck say the same things in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.model.values import plain
from analysis.model.vocab import MECHANISM_LABELS, MECHANISMS, STATE_LABELS, STATES, label

__all__ = [
    "country_states_alt",
    "differences",
    "diffusion_alt",
    "events_alt",
    "matrix_alt",
    "rank_alt",
]


def _fmt(x: Any, digits: int = 2) -> str:
    x = plain(x)
    return "–" if x is None else f"{float(x):.{digits}f}"


def _fmt_rank(x: Any) -> str:
    x = plain(x)
    return "–" if x is None else str(round(float(x)))


def _who(codes: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names.get(c, c)} ({c})" for c in codes)


def _names(codes: Sequence[str], names: Mapping[str, str]) -> str:
    """Jurisdictions by name in a list ("Albania, Kosovo*, Serbia"), in the order given."""
    return ", ".join(names.get(c, c) for c in codes)


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
    scores = t["score"].astype(float).round(12)
    top = sorted(t.loc[scores == scores.max(), "country"])
    return [
        _scores_sentence(t, scores, top, year, names),
        *_order_sentences(t, top, names),
        *_mechanism_sentences(t, names),
        *_gap_sentences(t),
        *_robustness_sentences(t, names),
        *_balance_sentences(t, names),
    ]


def _scores_sentence(
    t: pd.DataFrame, scores: pd.Series, top: list[str], year: int, names: Mapping[str, str]
) -> str:
    """1. The highest and lowest scores (``top``: the countries with the highest)."""
    bottom = sorted(t.loc[scores == scores.min(), "country"])
    row = t.set_index("country")
    if len(t) == 1:
        c = top[0]
        return (
            f"{_who([c], names)} scores {_fmt(row.loc[c, 'score'])} in {year} "
            f"(bounds {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])})."
        )
    if len(top) == len(t):
        return (
            f"All {len(t)} jurisdictions have the same Multi-SEE score in {year}: "
            f"{_fmt(scores.iloc[0])}."
        )
    return (
        f"Highest Multi-SEE score in {year}: {_extreme(top, row, names)}; "
        f"lowest: {_extreme(bottom, row, names)}."
    )


def _order_sentences(t: pd.DataFrame, top: list[str], names: Mapping[str, str]) -> list[str]:
    """2. How much of the order survives the unknowns, and whether the leader leads regardless."""
    if len(t) <= 1:
        return []
    out: list[str] = []
    row = t.set_index("country")
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
    return out


def _mechanism_sentences(t: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """3. The states of each mechanism, grouped by state (unknown last)."""
    out: list[str] = []
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
                parts.append(f"{STATE_LABELS.get(s, s)} in {_names(who, names)}")
        unknown = sorted(t.loc[states == "unknown", "country"])
        if unknown:
            parts.append(f"unknown in {_names(unknown, names)}")
        out.append(f"{MECHANISM_LABELS[m]}: " + "; ".join(parts) + ".")
    return out


def _gap_sentences(t: pd.DataFrame) -> list[str]:
    """4. How many mechanism states are unknown, and how they count."""
    gaps = int(sum((t[m].astype(str) == "unknown").sum() for m in MECHANISMS if m in t))
    if not gaps:
        return []
    return [
        f"{gaps} of {len(t) * len(MECHANISMS)} mechanism states are unknown (searched "
        "and not found, or not dated); they count 0.5 in the score, 0 in the low and 1 in "
        "the high bound."
    ]


def _robustness_sentences(t: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """5. Robustness: the joint Monte Carlo of :mod:`analysis.measures.robustness`, if present."""
    if not {"rank_p05", "rank_p95"} <= set(t.columns):
        return []
    ranked = t.dropna(subset=["rank_p05", "rank_p95"])
    if ranked.empty:
        return []
    width = ranked["rank_p95"].astype(float) - ranked["rank_p05"].astype(float)
    if float(width.max()) == 0:
        return [
            "Ranks do not move when the weights, the imputation of unknowns, the scores"
            " of partial states and the aggregation vary."
        ]
    c = str(ranked.loc[width.idxmax(), "country"])
    r = ranked.set_index("country")
    return [
        "When the weights, the imputation of unknowns, the scores of partial states "
        "and the aggregation vary (5th–95th percentile of the draws), the rank moves "
        f"most for {_who([c], names)}: {_fmt_rank(r.loc[c, 'rank_p05'])} to "
        f"{_fmt_rank(r.loc[c, 'rank_p95'])}."
    ]


def _balance_sentences(t: pd.DataFrame, names: Mapping[str, str]) -> list[str]:
    """6. Stakeholder balance: the most even composition, if the evenness columns are present."""
    bal_cols = [c for c in ("body_evenness", "igf_evenness") if c in t]
    if not bal_cols:
        return []
    best = t[["country", *bal_cols]].set_index("country").astype(float).max(axis=1)
    known = best.dropna()
    if known.empty:
        return [
            "No stakeholder composition of a national IGF committee or MS body is recorded "
            "for these jurisdictions."
        ]
    c = str(known.idxmax())
    missing = sorted(set(t["country"]) - set(known.index))
    tail = f" No composition is recorded for {_names(missing, names)}." if missing else ""
    return [
        f"Most even stakeholder composition: {_who([c], names)} (evenness "
        f"{_fmt(known.max())} on a 0–1 scale over five stakeholder groups).{tail}"
    ]


def _extreme(codes: Sequence[str], row: pd.DataFrame, names: Mapping[str, str]) -> str:
    """``Name (CODE) with 0.62 (bounds 0.50–0.75)``; for ties, each one's bounds."""
    score = _fmt(row.loc[codes[0], "score"])
    if len(codes) == 1:
        c = codes[0]
        return (
            f"{_who([c], names)} with {score} "
            f"(bounds {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])})"
        )
    bounds = ", ".join(
        f"{names.get(c, c)} {_fmt(row.loc[c, 'low'])}–{_fmt(row.loc[c, 'high'])}" for c in codes
    )
    return f"{_who(codes, names)} with {score} each (bounds: {bounds})"


# --------------------------------------------------------------------------------------------
# Alt texts
# --------------------------------------------------------------------------------------------


def rank_alt(c: Any) -> str:
    """Alt text for the rank-interval figure of a comparison (anything with year and codes)."""
    return (
        f"Scores with bounds and rank intervals in {c.year} for {len(c.codes)} jurisdictions; "
        "the same values are in the table."
    )


def matrix_alt(c: Any) -> str:
    """Alt text for the mechanism matrix of a comparison."""
    return (
        f"State of each mechanism in {c.year} for {len(c.codes)} jurisdictions (as in the table)."
    )


def diffusion_alt(tl: Any) -> str:
    """Alt text for the diffusion figure of a timeline (anything with codes, start and end)."""
    return (
        f"Diffusion of the three mechanisms among {len(tl.codes)} jurisdictions, "
        f"{tl.start}-{tl.end}."
    )


def events_alt(tl: Any) -> str:
    """Alt text for the events figure of a timeline."""
    return (
        f"{len(tl.events)} dated events of {len(tl.codes)} jurisdictions "
        "(listed in the table below)."
    )


def country_states_alt(
    name: str, panel: pd.DataFrame | None = None, code: str | None = None
) -> str:
    """Alt text for a jurisdiction's states-by-year figure; given the panel and the code, with
    the years it covers and the states of the last one, in words (from the figure's data)."""
    text = f"States of the ccTLD manager, national IGF and MS body of {name} by year"
    rows = panel[panel["country"] == code] if panel is not None and code else None
    if rows is None or rows.empty:
        return text + "."
    first, last = int(rows["year"].min()), int(rows["year"].max())
    now = rows[rows["year"] == last].set_index("mechanism")["state"]
    states = "; ".join(
        f"{MECHANISM_LABELS[m]} {label(str(now[m]))}" for m in MECHANISMS if m in now.index
    )
    return f"{text}, {first}-{last}. In {last}: {states}."
