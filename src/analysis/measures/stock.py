"""The stock measure: how much of the last few years each mechanism is evidenced.

A single year ranks how much was documented that year when the year is thinly documented
(:func:`analysis.measures.selection.resolve_period`). The *stock* over a window of ``W`` years (default
:data:`analysis.measures.selection.DEFAULT_WINDOW`) scores each mechanism by the mean of its yearly scores
over the window (:data:`analysis.measures.scoring.STATE_SCORES`; a mechanism held in 3 of 5 years and
``none`` in 2 scores 0.6), with bounds from the yearly bounds: ``low`` counts an unknown or
weak-evidence year as not held, ``high`` as held, the point score counts an unknown year 0.5, as
the index does; except where numbered editions say how many of a run of unknown IGF years were
held (``held_share`` in the panel): of its n years with k editions, the m in the window count at
least k - (n - m) and at most min(k, m) held, and m k / n in the point score
(:func:`partial_ordinal_spans`). The mechanisms are then aggregated like the index (:func:`analysis.measures.scoring.weighted`:
weighted mean over the applicable mechanisms), and ranked with the index's tie rule
(:func:`analysis.measures.scoring.rank_against`).

Ties in the window are separated by evidence, in this order (:func:`ranking_key`): the stock of
the ``W`` years before the window (a jurisdiction whose forum met every year until just before the
window ranks above one where nothing was ever found), then the window's ``low`` bound (the share
of years *evidenced*: an active body found beats a body never searched for, at the same point
score), then the previous window's ``low`` bound. They enter with the decreasing weights
:data:`TIE_BREAK`, too small to overturn a difference of 0.01 or more in the window's stock (with
the default weights, stocks differ by multiples of 1/30). Jurisdictions equal on all four share a
rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.measures.panel import core_set_of
from analysis.measures.scoring import (
    INDEX_COLUMNS,
    check_weights,
    mechanism_bounds,
    multisee_index,
    rank_against,
    score_matrix,
)
from analysis.measures.scoring import weighted as weighted_mean
from analysis.measures.selection import DEFAULT_WINDOW, Period

#: Weights of the previous window's stock, the window's low bound and the previous window's low
#: bound in the ranking key.
TIE_BREAK = (1e-3, 1e-6, 1e-9)

#: Columns of :func:`stock_index`: the index's, plus the window and the previous window's score.
STOCK_COLUMNS = [*INDEX_COLUMNS[:3], "window", *INDEX_COLUMNS[3:], "prior_score", "prior_low"]


def partial_ordinal_spans(panel: pd.DataFrame) -> list[tuple[str, tuple[int, ...], int]]:
    """The IGF years the panel leaves ``unknown`` between two numbered editions, as ``(country,
    the unknown years of the span, the editions the ordinals leave for them)``: the years of one
    jurisdiction with the same ``held_share`` and note (the span the note names; editions found
    inside the span are not among its years)."""
    if "held_share" not in panel:
        return []
    rows = panel[
        (panel["mechanism"] == "igf") & (panel["state"] == "unknown") & panel["held_share"].notna()
    ]
    out = []
    for (c, _span, share), g in rows.groupby(["country", "note", "held_share"], sort=True):
        years = tuple(sorted(int(y) for y in g["year"]))
        out.append((str(c), years, round(float(share) * len(years))))
    return out


def _tighten_partial_ordinals(
    means: pd.DataFrame, rows: pd.DataFrame, panel: pd.DataFrame, end: int, window: int
) -> pd.DataFrame:
    """The IGF scores of the window where ordinals say how many of its unknown years were held:
    of a span's n unknown years with k editions, the m inside the window hold at least
    k - (n - m) and at most min(k, m) editions (not 0 and m), and m k / n if the editions fell
    on any of the years alike (not m / 2): the point stays within the tightened bounds."""
    counts = rows.groupby("country")["year"].nunique()
    unknown_score = mechanism_bounds("unknown", None, "igf")[1]
    for c, years, k in partial_ordinal_spans(panel):
        m = sum(end - window < y <= end for y in years)
        if m == 0 or c not in means.index or pd.isna(means.loc[c, "low_igf"]):
            continue
        n = len(years)
        means.loc[c, "low_igf"] += max(0, k - (n - m)) / counts[c]
        means.loc[c, "high_igf"] -= (m - min(k, m)) / counts[c]
        means.loc[c, "score_igf"] += m * (k / n - unknown_score) / counts[c]
    return means


def window_matrix(panel: pd.DataFrame, end: int, window: int) -> pd.DataFrame:
    """Per country, the mean of each ``<bound>_<mechanism>`` over the ``window`` years to ``end``,
    the IGF bounds tightened where ordinals say how many unknown years were held
    (:func:`partial_ordinal_spans`).

    Index: country. A not-applicable mechanism stays NaN; years outside the panel are ignored.
    """
    rows = panel[(panel["year"] > end - window) & (panel["year"] <= end)]
    wide = score_matrix(rows)
    if wide.empty:
        return wide.set_index("country").drop(columns="year")
    means = wide.drop(columns="year").groupby("country").mean()
    return _tighten_partial_ordinals(means, rows, panel, end, window)


def ranking_key(
    score: np.ndarray, prior: np.ndarray, low: np.ndarray, prior_low: np.ndarray
) -> np.ndarray:
    """The stock ranked: the window's score; ties separated by the previous window's score, the
    window's low bound and the previous window's low bound (see the module docstring)."""
    key = np.asarray(score, dtype=float).copy()
    for w, x in zip(TIE_BREAK, (prior, low, prior_low), strict=True):
        key = key + w * np.nan_to_num(np.asarray(x, dtype=float))
    return key


def stock_index(
    panel: pd.DataFrame,
    end: int,
    window: int = DEFAULT_WINDOW,
    weights: Mapping[str, float] | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The stock over the ``window`` years ending in ``end``, with bounds and ranks.

    Columns :data:`STOCK_COLUMNS`: country, scope_role, year (= ``end``), window, score, low, high,
    rank, rank_best, rank_worst (as in :func:`analysis.measures.scoring.multisee_index`, ranked on
    :func:`ranking_key`), prior_score and prior_low (the stock of the ``window`` years before).
    """
    w = check_weights(weights)
    core_set = core_set_of(panel, core)
    cur = window_matrix(panel, end, window)
    before = window_matrix(panel, end - window, window)
    prior = weighted_mean(before, "score", w)
    prior_low = weighted_mean(before, "low", w)
    out = pd.DataFrame(
        {
            "country": cur.index.astype(str),
            "year": end,
            "window": window,
            "score": weighted_mean(cur, "score", w).to_numpy(dtype=float),
            "low": weighted_mean(cur, "low", w).to_numpy(dtype=float),
            "high": weighted_mean(cur, "high", w).to_numpy(dtype=float),
            "prior_score": prior.reindex(cur.index).to_numpy(dtype=float),
            "prior_low": prior_low.reindex(cur.index).to_numpy(dtype=float),
        }
    )
    out["scope_role"] = np.where(out["country"].isin(core_set), "core", "reference")
    key = ranking_key(*(out[c].to_numpy() for c in ("score", "prior_score", "low", "prior_low")))
    ranked = (out["country"].isin(core_set) & out["score"].notna()).to_numpy()
    for col in ("rank", "rank_best", "rank_worst"):
        out[col] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if ranked.any():
        low = out["low"].to_numpy(dtype=float)[ranked]
        high = out["high"].to_numpy(dtype=float)[ranked]
        k = key[ranked]
        out.loc[ranked, "rank"] = rank_against(k, k)
        out.loc[ranked, "rank_best"] = rank_against(high, low)
        out.loc[ranked, "rank_worst"] = rank_against(low, high)
    out["year"] = out["year"].astype("int64")
    return out.sort_values("country", ignore_index=True)[STOCK_COLUMNS]


def period_index(
    panel: pd.DataFrame,
    period: Period,
    weights: Mapping[str, float] | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The ranking a :class:`~analysis.measures.selection.Period` measures: :func:`stock_index` over its
    window, or the year's :func:`~analysis.measures.scoring.multisee_index` (window 1, no prior score)."""
    if period.is_stock:
        return stock_index(panel, period.year, period.window, weights, core)
    out = multisee_index(panel, weights=weights, year=period.year, core=core)
    out.insert(3, "window", 1)
    out["prior_score"] = out["prior_low"] = np.nan
    return out[STOCK_COLUMNS]
