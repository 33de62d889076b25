"""How far the ranking rests on the index's modelling choices (OECD/JRC composite-indicator
practice): a joint Monte Carlo, rank intervals and a variance attribution.

The ranking (:func:`analysis.measures.stock.period_index`) makes four choices. Each draw of the Monte Carlo
makes all four at random, together (:data:`CHOICES`):

* ``weights`` -- the mechanism weights, one of :data:`LEVELS` vectors drawn from a Dirichlet
  distribution centred on the chosen weights (``alpha = concentration * w``, concentration
  :data:`CONCENTRATION`: about 0.33 +/- 0.10 for equal weights);
* ``imputation`` -- the score of an unknown or weak-evidence cell: ``low`` (its low bound, 0),
  ``high`` (its high bound) or ``draw`` (uniform between them, cell by cell);
* ``partial`` -- the score of a partial state (any state scored strictly between 0 and 1 in
  :data:`analysis.measures.scoring.STATE_SCORES`, e.g. a partly multistakeholder ccTLD or a dormant IGF),
  one of :data:`LEVELS` values drawn uniformly in :data:`PARTIAL_RANGE`;
* ``aggregation`` -- how the mechanisms combine: ``arithmetic`` (the weighted mean, as the
  index), ``geometric`` (the weighted geometric mean of ``1 + s``, minus 1, so that one zero does
  not annihilate the rest) or ``counting`` (the share of the applicable mechanisms scored at least
  0.5, unweighted).

Not-applicable cells (:mod:`analysis.measures.applicability`) stay out of every draw. Each draw ranks the
core jurisdictions with the index's rule (:func:`analysis.measures.scoring.rank_against` on
:func:`analysis.measures.stock.ranking_key`). The 5th-95th percentiles of the ranks are each
jurisdiction's *rank interval*.

*Variance attribution* (Saisana, Saltelli & Tarantola 2005): for each jurisdiction and choice, the
first-order sensitivity index ``S = Var(E[rank | choice]) / Var(rank)``, the share of the rank's
variance that fixing the choice would remove. Each choice takes a few levels, so ``E[rank |
choice]`` is the mean rank over the draws at each level; the estimate is corrected for the
variance its finite number of draws adds by chance (``(levels - 1) / n`` of the total) and floored
at 0. The choice with the largest ``S`` *drives* the rank; the indices need not sum to 1 (the rest
is interaction, and the cell-by-cell noise of ``draw``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.measures.panel import core_set_of
from analysis.measures.scoring import STATE_SCORES, check_weights, rank_against, score_matrix
from analysis.measures.selection import Period
from analysis.measures.stock import ranking_key
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.model.vocab import MECHANISMS

#: The choices varied jointly, in the order of the attribution table.
CHOICES: tuple[str, ...] = ("weights", "imputation", "partial", "aggregation")
IMPUTATIONS: tuple[str, ...] = ("low", "high", "draw")
AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric", "counting")
#: The choices in words.
CHOICE_LABELS: dict[str, str] = {
    "weights": "weights",
    "imputation": "imputation of unknowns",
    "partial": "scores of partial states",
    "aggregation": "aggregation",
}
#: Range of the score of a partial state.
PARTIAL_RANGE = (0.25, 0.75)
#: Levels of the continuous choices (weight vectors, partial scores).
LEVELS = 20
#: Dirichlet concentration of the weight draws.
CONCENTRATION = 20.0
#: Default number of draws and seed of the products.
N_DRAWS = 1000
SEED = 0

INTERVAL_COLUMNS = [
    "country",
    "score_p05",
    "score_p50",
    "score_p95",
    "rank_p05",
    "rank_p50",
    "rank_p95",
]


@dataclass(frozen=True)
class Cells:
    """Cell bounds of a period, shape [country, year, mechanism]; NaN where not applicable."""

    countries: np.ndarray
    low: np.ndarray
    point: np.ndarray
    high: np.ndarray
    partial: np.ndarray  # bool: a known partial state


def cells(panel: pd.DataFrame, first: int, last: int, countries: Sequence[str]) -> Cells:
    """The cells of ``countries`` in the years ``first``..``last`` (missing rows are unknown)."""
    years = list(range(first, last + 1))
    rows = panel[panel["year"].between(first, last)]
    wide = score_matrix(rows).set_index(["country", "year"])
    full = pd.MultiIndex.from_product([list(countries), years], names=["country", "year"])
    wide = wide.reindex(full)
    shape = (len(countries), len(years), len(MECHANISMS))

    def block(bound: str, fill: float) -> np.ndarray:
        cols = [f"{bound}_{m}" for m in MECHANISMS]
        present = wide[cols].notna().any(axis=1).to_numpy()
        arr = wide[cols].to_numpy(dtype=float)
        arr[~present] = fill  # a missing row: unknown
        return arr.reshape(shape)

    partial_states = {
        m: {s for s, v in STATE_SCORES[m].items() if 0 < v < max(STATE_SCORES[m].values())}
        for m in MECHANISMS
    }
    flags = rows.assign(
        partial=[
            s in partial_states.get(str(m), set())
            for s, m in zip(rows["state"], rows["mechanism"], strict=True)
        ]
    )
    flags = flags.pivot_table(
        index=["country", "year"], columns="mechanism", values="partial", aggfunc="max"
    )
    flags = flags.reindex(full).reindex(columns=list(MECHANISMS))
    partial = (flags.fillna(0).to_numpy(dtype=float) > 0).reshape(shape)
    return Cells(
        np.asarray(countries, dtype=str),
        block("low", 0.0),
        block("score", 0.5),
        block("high", 1.0),
        partial,
    )


def aggregate(values: np.ndarray, w: np.ndarray, how: str) -> np.ndarray:
    """Combine per-mechanism scores ``values`` [..., mechanism] (NaN: not applicable) with
    weights ``w`` (broadcast against ``values``)."""
    ok = ~np.isnan(values)
    v = np.where(ok, values, 0.0)
    ww = np.where(ok, w, 0.0)
    weight = ww.sum(axis=-1)
    total = np.where(weight > 0, weight, np.nan)  # no applicable weighted mechanism: NaN
    if how == "counting":
        share = (ok & (v >= 0.5 - 1e-12)).sum(axis=-1) / np.maximum(ok.sum(axis=-1), 1)
        return np.where(weight > 0, share, np.nan)
    if how == "geometric":
        return np.exp((ww * np.log1p(v)).sum(axis=-1) / total) - 1.0
    if how == "arithmetic":
        return (ww * v).sum(axis=-1) / total
    raise UserError(f"unknown aggregation {how!r} (expected {', '.join(AGGREGATIONS)})")


@dataclass(frozen=True)
class Design:
    """The levels drawn for each choice and, per draw, the level index of each choice."""

    weights: np.ndarray  # [levels, mechanisms]
    partial: np.ndarray  # [levels]
    pick: dict[str, np.ndarray]  # choice -> [draws] level index
    vary: frozenset[str]


def _design(
    n: int,
    rng: np.random.Generator,
    w: Mapping[str, float],
    vary: frozenset[str],
    concentration: float,
) -> Design:
    """Levels and picks for ``n`` draws; a choice not in ``vary`` stays at the default (the
    given weights, the point score of unknown cells, the partial states' own scores, arithmetic)."""
    total = sum(w.values())
    base = np.array([w[m] / total for m in MECHANISMS])
    live = base > 0
    weights = np.tile(base, (LEVELS, 1))
    if "weights" in vary and live.sum() > 1:
        weights[:, live] = rng.dirichlet(concentration * base[live], size=LEVELS)
    partial = rng.uniform(*PARTIAL_RANGE, size=LEVELS) if "partial" in vary else np.array([0.5])
    pick = {
        "weights": rng.integers(0, LEVELS, n) if "weights" in vary else np.zeros(n, int),
        "imputation": rng.integers(0, 3, n) if "imputation" in vary else np.full(n, -1),
        "partial": rng.integers(0, LEVELS, n) if "partial" in vary else np.zeros(n, int),
        "aggregation": rng.integers(0, 3, n) if "aggregation" in vary else np.zeros(n, int),
    }
    return Design(weights, partial, pick, vary)


def _draw_values(c: Cells, d: Design, rng: np.random.Generator) -> np.ndarray:
    """Cell values [draw, country, year, mechanism] of every draw."""
    v = np.broadcast_to(c.point, (len(d.pick["partial"]), *c.point.shape))
    if "partial" in d.vary:
        part = d.partial[d.pick["partial"]][:, None, None, None]
        v = np.where(c.partial[None], part, v)
    imp = d.pick["imputation"][:, None, None, None]
    uncertain = (c.high > c.low)[None]
    u = rng.random((len(imp), *c.low.shape))
    fill = np.where(imp == 0, c.low, np.where(imp == 1, c.high, c.low + u * (c.high - c.low)))
    return np.where(uncertain & (imp >= 0), fill, v)


def _aggregate_draws(values: np.ndarray, d: Design) -> np.ndarray:
    """Scores [draw, country] from per-mechanism values [draw, country, mechanism]."""
    w = d.weights[d.pick["weights"]][:, None, :]  # [draw, 1, mechanism]
    how = d.pick["aggregation"][:, None]
    return np.select(
        [how == i for i in range(len(AGGREGATIONS))],
        [aggregate(values, w, a) for a in AGGREGATIONS],
    )


@dataclass
class Robustness:
    """Rank intervals and the variance attribution of a period's ranking."""

    period: Period
    n: int
    seed: int
    choices: tuple[str, ...]
    intervals: pd.DataFrame  # INTERVAL_COLUMNS
    attribution: pd.DataFrame  # country, <choice>..., driver

    def median_width(self) -> float:
        """Median width (p95 - p05) of the core jurisdictions' rank intervals."""
        w = (self.intervals["rank_p95"] - self.intervals["rank_p05"]).dropna()
        return float(w.median()) if len(w) else float("nan")

    def drivers(self) -> pd.Series:
        """How many core jurisdictions each choice drives (the largest first-order index)."""
        d = self.attribution["driver"].replace("", np.nan).dropna()
        return d.value_counts().reindex(list(self.choices), fill_value=0)


def first_order(ranks: np.ndarray, pick: np.ndarray) -> np.ndarray:
    """First-order index of one choice per column of ``ranks`` [draws, countries], given the
    level ``pick`` of the choice in each draw: the variance of the mean rank per level over the
    total variance, less ``(levels - 1) / n`` (what chance alone adds), floored at 0; 0 where
    the rank does not vary."""
    n = len(ranks)
    total = ranks.var(axis=0)
    mean = ranks.mean(axis=0)
    between = np.zeros(ranks.shape[1])
    levels = np.unique(pick)
    for k in levels:
        sel = pick == k
        between += sel.mean() * (ranks[sel].mean(axis=0) - mean) ** 2
    corrected = between - (len(levels) - 1) / n * total
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(total > 1e-12, corrected / total, 0.0)
    return np.clip(s, 0.0, 1.0)


def robustness(
    panel: pd.DataFrame,
    period: Period,
    n: int = N_DRAWS,
    seed: int = SEED,
    weights: Mapping[str, float] | None = None,
    core: Iterable[str] | None = None,
    choices: Iterable[str] = CHOICES,
    concentration: float = CONCENTRATION,
) -> Robustness:
    """The joint Monte Carlo of ``period``'s ranking (see the module docstring).

    ``panel`` should have its not-applicable cells marked
    (:func:`analysis.measures.applicability.mark_not_applicable`). ``choices`` limits what varies (e.g.
    ``("weights",)`` for the weights alone). Scores and ranks are those of the jurisdictions in
    the panel; ranks among ``core`` (default: the panel's core rows), NaN for the others.
    """
    if n < 1:
        raise UserError(f"n must be at least 1, got {n}")
    if concentration <= 0:
        raise UserError(f"concentration must be positive, got {concentration}")
    asked = set(choices)
    if asked - set(CHOICES):
        bad = ", ".join(sorted(asked - set(CHOICES)))
        raise UserError(f"unknown choice(s) {bad} (expected {', '.join(CHOICES)})")
    vary = tuple(c for c in CHOICES if c in asked)
    w = check_weights(weights)
    codes = sorted(set(panel["country"].astype(str)))
    core_set = core_set_of(panel, core)
    is_core = np.array([c in core_set for c in codes], dtype=bool)
    cur = cells(panel, period.first, period.year, codes)
    prior = cells(panel, period.first - period.window, period.first - 1, codes)
    rng = np.random.default_rng(seed)
    d = _design(n, rng, w, frozenset(vary), concentration)
    low_cur = aggregate(_nanmean(cur.low), _base(w), "arithmetic")
    low_prior = aggregate(_nanmean(prior.low), _base(w), "arithmetic")
    scores = _aggregate_draws(_nanmean(_draw_values(cur, d, rng)), d)
    ranks = np.full((n, len(codes)), np.nan)
    if is_core.any():
        key = scores
        if period.is_stock:
            p = _aggregate_draws(_nanmean(_draw_values(prior, d, rng)), d)
            key = ranking_key(scores, p, low_cur[None, :], low_prior[None, :])
        k = key[:, is_core]
        r = rank_against(k, k).astype(float)
        ranks[:, is_core] = np.where(np.isnan(k), np.nan, r)  # unscored: unranked
    q = [5, 50, 95]
    out = pd.DataFrame({"country": codes})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column stays NaN
        sp = np.nanpercentile(scores, q, axis=0)
        rp = np.full((3, len(codes)), np.nan)
        if is_core.any():
            rp[:, is_core] = np.nanpercentile(ranks[:, is_core], q, axis=0)
    for j, name in enumerate(("p05", "p50", "p95")):
        out[f"score_{name}"] = sp[j]
        out[f"rank_{name}"] = rp[j]
    attribution = pd.DataFrame({"country": codes})
    for choice in CHOICES:
        col = np.full(len(codes), np.nan)
        if is_core.any():
            col[is_core] = first_order(ranks[:, is_core], d.pick[choice]) if choice in vary else 0.0
        attribution[choice] = col
    sub = attribution[list(CHOICES)]
    moves = sub.fillna(0).max(axis=1) > 0
    attribution["driver"] = np.where(moves, sub.fillna(-1).idxmax(axis=1), "")
    return Robustness(period, n, seed, vary, out[INTERVAL_COLUMNS], attribution)


def _base(w: Mapping[str, float]) -> np.ndarray:
    total = sum(w.values())
    return np.array([w[m] / total for m in MECHANISMS])


def _nanmean(x: np.ndarray) -> np.ndarray:
    """Mean over the year axis (the last but one), NaN (not applicable) kept where every year is
    NaN."""
    if x.shape[-2] == 0:
        return np.full((*x.shape[:-2], x.shape[-1]), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": stays NaN
        return np.nanmean(x, axis=-2)


# --------------------------------------------------------------------------------------------
# The README's figures: how much the comparison can tell
# --------------------------------------------------------------------------------------------


def shared_ranks(ranking: pd.DataFrame) -> dict[int, list[str]]:
    """Rank -> the jurisdictions sharing it (only ranks held by two or more), from a ranking with
    ``country`` and ``rank`` columns."""
    r = ranking.dropna(subset=["rank"])
    return {int(k): sorted(g["country"].astype(str)) for k, g in r.groupby("rank") if len(g) > 1}


def comparison_figures(tables: Tables | None = None) -> str:
    """The README section "How much the comparison can tell", as Markdown, from the library: the
    default period (:func:`analysis.measures.selection.resolve_period`), the ranks shared in the default
    ranking, the median width of the rank intervals and which choice moves ranks most
    (:func:`robustness` with the default draws)."""
    from analysis.measures.applicability import mark_not_applicable, not_applicable_cells
    from analysis.measures.panel import adoption_panel
    from analysis.measures.selection import resolve_period
    from analysis.measures.stock import period_index
    from analysis.model.load import load

    tables = tables or load()
    panel = mark_not_applicable(adoption_panel(tables), tables)
    period = resolve_period(None, panel, tables)
    ranking = period_index(panel, period)
    n_core = int(ranking["rank"].notna().sum())
    shared = shared_ranks(ranking)
    rob = robustness(panel, period)
    core = rob.attribution.dropna(subset=list(CHOICES))
    mean_s = core[list(CHOICES)].mean()
    drivers = rob.drivers()
    top = str(mean_s.idxmax())
    iv = rob.intervals.dropna(subset=["rank_p05"])
    widest = iv.assign(w=iv["rank_p95"] - iv["rank_p05"]).sort_values(["w", "country"]).iloc[-1]
    evidence = ranking.set_index("country")[["score", "low", "high", "prior_score", "prior_low"]]
    equal = all(len(evidence.loc[g].round(9).drop_duplicates()) == 1 for g in shared.values())
    lines = [
        f"- **What is ranked.** {period.note}",
        "- **Ties.** "
        + (
            f"{sum(len(g) for g in shared.values())} of the {n_core} core jurisdictions share a"
            f" rank, in {len(shared)} group{'s' if len(shared) > 1 else ''} ("
            + "; ".join(f"={k}: {', '.join(g)}" for k, g in sorted(shared.items()))
            + f"), the largest of {max(len(g) for g in shared.values())}; "
            + (
                "each group is equal on the window, the years before it and their low bounds."
                if equal
                else "some group differs in evidence but not in score."
            )
            if shared
            else f"none: the {n_core} core jurisdictions have {n_core} distinct ranks."
        ),
        f"- **Rank intervals.** Over {rob.n} draws (seed {rob.seed}) that vary the weights, the"
        " imputation of unknowns, the scores of partial states and the aggregation together,"
        " the median width of the 5-95% rank interval is"
        f" {rob.median_width():.1f} ranks of {n_core}; the widest is"
        f" {widest['country']}'s ({widest['rank_p05']:.0f} to {widest['rank_p95']:.0f}).",
        f"- **What moves ranks most.** The {CHOICE_LABELS[top]}: its mean first-order"
        f" sensitivity index over the core jurisdictions is {mean_s[top]:.2f} ("
        + ", ".join(f"{CHOICE_LABELS[c]} {mean_s[c]:.2f}" for c in CHOICES if c != top)
        + "). The choice with the largest index, jurisdiction by jurisdiction: "
        + ", ".join(f"{CHOICE_LABELS[c]} {int(drivers[c])}" for c in CHOICES if int(drivers[c]))
        + f" (of {n_core}).",
        "- **Not applicable.** "
        + ", ".join(f"{c} {m}" for c, m in sorted(not_applicable_cells(tables)))
        + ": left out of the scores (no ccTLD is delegated), not scored 0.",
    ]
    return "\n".join(lines) + "\n"
