"""The Multi-SEE index: scores, bounds and shared ranks.

Each state maps to a mechanism score in [0, 1] (:data:`STATE_SCORES`): ccTLD multistakeholder 1,
partly 0.5, not multistakeholder 0, none 0; IGF held 1, dormant 0.5, none 0; national body
graded like the ccTLD (multistakeholder 1, partly 0.5, government-led 0, none 0). For jurisdiction *c* in year *t* with weights *w_m* (default 1/3 each,
:data:`DEFAULT_WEIGHTS`) the index is the weighted mean::

    score(c, t) = sum_m w_m * s_m(c, t) / sum_m w_m

Uncertainty is carried as an interval ``[low, high]`` computed with the same formula from
per-mechanism bounds:

* a known state resting on ``sourced`` or ``inferred`` facts: ``low = s = high``;
* a known state on weak evidence (a ``recalled`` fact, or only low-reliability sources): ``low = 0``,
  ``high = 1`` (the mechanism's maximum), the point ``score`` keeps the face value ``s``;
* an ``unknown`` state (or a missing panel row): ``low = 0``, ``high = 1`` and the point score
  takes their mean, 0.5.

A cell that is *not applicable* (:data:`analysis.measures.applicability.NOT_APPLICABLE`, e.g. the ccTLD of
a jurisdiction to which no ccTLD is delegated) is left out: the weighted mean runs over the
applicable mechanisms only (their weights renormalised), never scoring the cell 0.

Hence ``low <= score <= high`` always, and moving a mechanism to a more multistakeholder state never
lowers ``score``, ``low`` or ``high``.

Ranks (1 = best) are computed per year among the *core* jurisdictions only (``scope_role ==
"core"``; the reference case, Switzerland, keeps its score with rank ``NaN``). A rank is 1 + the
number of jurisdictions strictly above, so ties share a rank (1, 2, 2, 4; printed "=2" by
:func:`rank_labels`), never broken by alphabetical order. ``rank_best`` is the best rank attainable
(the country's ``high`` against every other country's ``low``), ``rank_worst`` the worst (its
``low`` against the others' ``high``), so ``rank_best <= rank <= rank_worst``.

How far the ranks rest on the weights, the imputation of unknowns, the scores of partial states
and the aggregation is :mod:`analysis.measures.robustness` (a joint Monte Carlo ranked with
:func:`rank_against`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures.applicability import NOT_APPLICABLE
from analysis.measures.panel import core_set_of
from analysis.model.catalog import TABLE_SPECS
from analysis.model.errors import UserError
from analysis.model.values import value_or_none
from analysis.model.vocab import MECHANISMS

#: Score of each known state, per mechanism (``unknown`` is handled as an interval, see above).
STATE_SCORES: dict[str, dict[str, float]] = {
    "cctld": {
        "multistakeholder": 1.0,
        "partly_multistakeholder": 0.5,
        "not_multistakeholder": 0.0,
        "none": 0.0,
    },
    "igf": {"held": 1.0, "dormant": 0.5, "none": 0.0},
    "body": {
        "multistakeholder": 1.0,
        "partly_multistakeholder": 0.5,
        "not_multistakeholder": 0.0,
        "none": 0.0,
    },
}

DEFAULT_WEIGHTS: dict[str, float] = {"cctld": 1 / 3, "igf": 1 / 3, "body": 1 / 3}

INDEX_COLUMNS = TABLE_SPECS["index"].column_names


# --------------------------------------------------------------------------------------------
# 2. The Multi-SEE index
# --------------------------------------------------------------------------------------------


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The weights per mechanism (default :data:`DEFAULT_WEIGHTS`), checked: one-line error if bad."""
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
    """(low, score, high) of one mechanism state (see the module docstring); NaN if not
    applicable."""
    scores = STATE_SCORES[mechanism]
    state = value_or_none(state)
    if state == NOT_APPLICABLE:
        return math.nan, math.nan, math.nan
    if state not in scores:
        return 0.0, 0.5, 1.0
    s = scores[state]
    if value_or_none(confidence) == "recalled" or value_or_none(evidence) == "weak":
        return 0.0, s, max(scores.values())
    return s, s, s


_NA = -1.0  # stands for a not-applicable cell while missing rows are filled in


def score_matrix(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, year), columns ``<bound>_<mechanism>`` for bound in low/score/high
    (a missing row is unknown; a not-applicable cell is NaN)."""
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
            "low": [_NA if math.isnan(b[0]) else b[0] for b in bounds],
            "score": [_NA if math.isnan(b[1]) else b[1] for b in bounds],
            "high": [_NA if math.isnan(b[2]) else b[2] for b in bounds],
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
            wide[col] = wide[col].fillna(fill).astype(float).replace(_NA, math.nan)
    return wide.reset_index()


def weighted(wide: pd.DataFrame, bound: str, w: Mapping[str, float]) -> pd.Series:
    """Weighted mean of the ``<bound>_<mechanism>`` columns over the applicable (non-NaN) ones."""
    acc = pd.Series(0.0, index=wide.index)
    total = pd.Series(0.0, index=wide.index)
    for m in MECHANISMS:
        col = wide[f"{bound}_{m}"]
        acc = acc + w[m] * col.fillna(0.0)
        total = total + w[m] * col.notna()
    return acc / total.where(total > 0)


def rank_against(own: np.ndarray, others: np.ndarray) -> np.ndarray:
    """1 + the number of others strictly above each country (ties share a rank: 1, =2, =2, 4).

    ``own[i]`` is compared with ``others[j]`` for every ``j != i``. Works along the last axis, so
    a stack of draws ``[draw, country]`` is ranked draw by draw.
    """
    own, others = np.asarray(own, dtype=float), np.asarray(others, dtype=float)
    n = own.shape[-1]
    if n == 0:
        return np.zeros(own.shape, dtype=int)
    o = np.round(own, 12)[..., :, None]
    t = np.round(others, 12)[..., None, :]
    beats = t > o
    idx = np.arange(n)
    beats[..., idx, idx] = False
    return 1 + beats.sum(axis=-1)


def rank_labels(ranks: Sequence[Any]) -> list[str]:
    """Ranks as printed: ``"=12"`` when another jurisdiction shares the rank, ``""`` when missing."""
    vals = [None if pd.isna(r) else int(r) for r in ranks]
    counts: dict[int, int] = {}
    for v in vals:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return ["" if v is None else (f"={v}" if counts[v] > 1 else str(v)) for v in vals]


def multisee_index(
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
    w = check_weights(weights)
    core_set = core_set_of(panel, core)
    if year is not None:
        panel = panel[panel["year"] == year]
    wide = score_matrix(panel)
    out = pd.DataFrame(
        {
            "country": wide["country"].astype(str),
            "year": wide["year"].astype("int64"),
            "score": weighted(wide, "score", w),
            "low": weighted(wide, "low", w),
            "high": weighted(wide, "high", w),
        }
    )
    out["scope_role"] = np.where(out["country"].isin(core_set), "core", "reference")
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = pd.Series(np.nan, index=out.index, dtype="Float64")
    rankable = (
        out["country"].isin(core_set) & out["score"].notna()
    )  # no applicable mechanism: unranked
    for _, grp in out[rankable].groupby("year"):
        score = grp["score"].to_numpy(dtype=float)
        low = grp["low"].to_numpy(dtype=float)
        high = grp["high"].to_numpy(dtype=float)
        out.loc[grp.index, "rank"] = rank_against(score, score)
        out.loc[grp.index, "rank_best"] = rank_against(high, low)
        out.loc[grp.index, "rank_worst"] = rank_against(low, high)
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["year", "country"], ignore_index=True)[INDEX_COLUMNS]


# --------------------------------------------------------------------------------------------
# Weights as users write them
# --------------------------------------------------------------------------------------------


def parse_weights(spec: str | Mapping[str, float] | None) -> dict[str, float] | None:
    """Weights from ``"cctld=0.5,igf=0.25,body=0.25"`` (or a mapping); ``None`` for the defaults.

    An empty string or ``None`` means the default weights. Mechanisms left out get weight 0.
    Names must be ``cctld``, ``igf`` or ``body``; values finite, non-negative, with a positive sum.
    Bad input raises a one-line :class:`UserError`.
    """
    if spec is None:
        return None
    items: list[tuple[str, Any]]
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
