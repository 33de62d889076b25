"""The Multi-SEE index: scores, bounds, shared ranks and weight sensitivity.

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

Hence ``low <= score <= high`` always, and moving a mechanism to a more multistakeholder state never
lowers ``score``, ``low`` or ``high``.

Ranks (1 = best) are computed per year among the *core* jurisdictions only (``scope_role ==
"core"``; the reference case, Switzerland, keeps its score with rank ``NaN``). A rank is 1 + the
number of jurisdictions strictly above, so ties share a rank (1, 2, 2, 4; printed "=2" by
:func:`rank_labels`), never broken by alphabetical order. ``rank_best`` is the best rank attainable
(the country's ``high`` against every other country's ``low``), ``rank_worst`` the worst (its
``low`` against the others' ``high``), so ``rank_best <= rank <= rank_worst``.

:func:`sensitivity` redraws the weights from a Dirichlet distribution centred on the default
weights (``alpha = concentration * w``) and reports percentiles of scores and ranks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .catalog import TABLE_SPECS
from .errors import UserError
from .panel import _v, core_set_of
from .vocab import MECHANISMS

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


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
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
    """(low, score, high) of one mechanism state (see the module docstring)."""
    scores = STATE_SCORES[mechanism]
    state = _v(state)
    if state not in scores:
        return 0.0, 0.5, 1.0
    s = scores[state]
    if _v(confidence) == "recalled" or _v(evidence) == "weak":
        return 0.0, s, max(scores.values())
    return s, s, s


def _score_matrix(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per (country, year), columns ``<bound>_<mechanism>`` for bound in low/score/high."""
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
            "low": [b[0] for b in bounds],
            "score": [b[1] for b in bounds],
            "high": [b[2] for b in bounds],
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
            wide[col] = wide[col].fillna(fill).astype(float)
    return wide.reset_index()


def _weighted(wide: pd.DataFrame, bound: str, w: Mapping[str, float]) -> pd.Series:
    total = sum(w.values())
    acc = pd.Series(0.0, index=wide.index)
    for m in MECHANISMS:
        acc = acc + w[m] * wide[f"{bound}_{m}"]
    return acc / total


def rank_against(own: np.ndarray, others: np.ndarray) -> np.ndarray:
    """1 + the number of others strictly above each country (ties share a rank: 1, =2, =2, 4).

    ``own[i]`` is compared with ``others[j]`` for every ``j != i``.
    """
    n = len(own)
    if n == 0:
        return np.zeros(0, dtype=int)
    o = np.round(own, 12)[:, None]
    t = np.round(others, 12)[None, :]
    beats = t > o
    np.fill_diagonal(beats, False)
    return 1 + beats.sum(axis=1)


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
    w = _weights(weights)
    core_set = core_set_of(panel, core)
    if year is not None:
        panel = panel[panel["year"] == year]
    wide = _score_matrix(panel)
    out = pd.DataFrame(
        {
            "country": wide["country"].astype(str),
            "year": wide["year"].astype("int64"),
            "score": _weighted(wide, "score", w),
            "low": _weighted(wide, "low", w),
            "high": _weighted(wide, "high", w),
        }
    )
    out["scope_role"] = np.where(out["country"].isin(core_set), "core", "reference")
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = pd.Series(np.nan, index=out.index, dtype="Float64")
    for _, grp in out[out["country"].isin(core_set)].groupby("year"):
        score = grp["score"].to_numpy(dtype=float)
        low = grp["low"].to_numpy(dtype=float)
        high = grp["high"].to_numpy(dtype=float)
        out.loc[grp.index, "rank"] = rank_against(score, score)
        out.loc[grp.index, "rank_best"] = rank_against(high, low)
        out.loc[grp.index, "rank_worst"] = rank_against(low, high)
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["year", "country"], ignore_index=True)[INDEX_COLUMNS]


def sensitivity(
    panel: pd.DataFrame,
    year: int,
    n: int = 1000,
    seed: int = 0,
    concentration: float = 20,
    weights: Mapping[str, float] | None = None,
    core: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Monte Carlo over weights ~ Dirichlet(concentration * w), w the default (or given) weights.

    Returns one row per country with score_p05/p50/p95 and rank_p05/p50/p95 (ranks among the
    core jurisdictions, tie rule as in :func:`index`; ``NaN`` for others).
    """
    if n < 1:
        raise UserError(f"n must be at least 1, got {n}")
    if concentration <= 0:
        raise UserError(f"concentration must be positive, got {concentration}")
    w = _weights(weights)
    total = sum(w.values())
    mechs = [m for m in MECHANISMS if w[m] > 0]
    alpha = np.array([concentration * w[m] / total for m in mechs])
    wide = _score_matrix(panel[panel["year"] == year])
    cols = [
        "country",
        "score_p05",
        "score_p50",
        "score_p95",
        "rank_p05",
        "rank_p50",
        "rank_p95",
    ]
    if wide.empty:
        return pd.DataFrame(columns=cols)
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(alpha, size=n)  # n x k
    s = wide[[f"score_{m}" for m in mechs]].to_numpy(dtype=float)  # c x k
    scores = draws @ s.T  # n x c
    codes = wide["country"].to_numpy(dtype=str)
    core_set = core_set_of(panel, core)
    is_core = np.array([c in core_set for c in codes])
    ranks = np.full(scores.shape, np.nan)
    if is_core.any():
        sc = np.round(scores[:, is_core], 12)
        beats = sc[:, None, :] > sc[:, :, None]  # [draw, i, j]: j strictly above i
        idx = np.arange(sc.shape[1])
        beats[:, idx, idx] = False
        ranks[:, is_core] = 1 + beats.sum(axis=2)
    q = [5, 50, 95]
    sp = np.percentile(scores, q, axis=0)
    out = pd.DataFrame({"country": codes})
    for i, p in enumerate(("p05", "p50", "p95")):
        out[f"score_{p}"] = sp[i]
    if is_core.any():
        rp = np.full((3, len(codes)), np.nan)
        rp[:, is_core] = np.percentile(ranks[:, is_core], q, axis=0)
    else:
        rp = np.full((3, len(codes)), np.nan)
    for i, p in enumerate(("p05", "p50", "p95")):
        out[f"rank_{p}"] = rp[i]
    return out.sort_values("country", ignore_index=True)[cols]


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
