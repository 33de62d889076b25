"""Generic statistics for small panels of first-adoption years: permutation tests, multiple-testing
corrections, Firth-penalised logistic regression, discrete-time event-history designs, pooling
over multiple imputations and power by simulation. Core layer: numpy, and the project's one
missing-value rule (:mod:`analysis.model.values`); no project data.

* :func:`exposure_test` -- O - E of adoptions in *exposed* years (a neighbour adopted earlier, or a
  given unit x year exposure) with a permutation p-value (first years shuffled across units).
* :func:`holm` -- Holm's step-down adjustment.
* :func:`firth_logit` -- logistic regression with Firth's penalty (the Jeffreys prior,
  ``l(b) + 1/2 log|I(b)|``), fitted by Newton iterations on the modified score; finite estimates
  under separation. Vectorised over a leading batch axis so that hundreds of permuted or
  simulated data sets are fitted at once.
* :func:`person_years`, :func:`hazard_fit` -- the discrete-time event-history design (one row per
  unit and year at risk: intercept, linear trend, exposure) and its Firth fit.
* :func:`hazard_test` -- the exposure log odds ratio pooled over imputations (Rubin's rules), a
  Wald interval on the penalised fit and a permutation p-value.
* :func:`simulate_first_years`, :func:`power` -- first years drawn from the fitted hazard with a
  planted odds ratio on the real exposure structure, and the share of simulated data sets in which
  the penalised Wald test rejects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.model.errors import UserError
from analysis.model.values import number_or_none

NEVER = math.inf
#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054


# --------------------------------------------------------------------------------------------
# Multiple testing
# --------------------------------------------------------------------------------------------


def holm(p_values: Sequence[Any]) -> list[float | None]:
    """Holm-adjusted p-values (missing ones stay ``None``): the chance that the smallest of
    several p-values is small by luck alone is taken into account."""
    idx = [i for i, p in enumerate(p_values) if number_or_none(p) is not None]
    order = sorted(idx, key=lambda i: float(p_values[i]))
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(order) - rank) * float(p_values[i])))
        out[i] = round(running, 4)
    return out


def permutation_p(observed: float, null: np.ndarray, alternative: str = "greater") -> float:
    """``(1 + #{null at least as extreme}) / (1 + len(null))``; ``alternative`` ``greater``,
    ``less`` or ``two-sided`` (on absolute values)."""
    tol = 1e-9
    if alternative == "greater":
        hits = int((null >= observed - tol).sum())
    elif alternative == "less":
        hits = int((null <= observed + tol).sum())
    elif alternative == "two-sided":
        hits = int((np.abs(null) >= abs(observed) - tol).sum())
    else:
        raise UserError(f"unknown alternative {alternative!r} (greater, less, two-sided)")
    return (1 + hits) / (1 + len(null))


# --------------------------------------------------------------------------------------------
# The O - E permutation test
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


def network_exposure(first: np.ndarray, years: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """(..., n, T): a neighbour (``neighbours[i, j]``) adopted in a year before ``years[t]``."""
    before = (first[..., :, None] < years[None, :]).astype(np.float32)  # ... x n x T
    adj = neighbours.astype(np.float32)
    return (adj @ before) > 0


def observed_expected(
    y: np.ndarray, years: np.ndarray, neighbours: np.ndarray | None, exposure: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(O, E, events, at-risk years, exposed at-risk years) for each row of ``y`` (P x n): O the
    adoptions in exposed years, E those expected at each year's overall rate among units at risk."""
    t = years[None, None, :]
    yy = y[:, :, None]
    at_risk = yy >= t  # P x n x T
    event = yy == t
    if neighbours is not None:
        exposed = network_exposure(y, years, neighbours)
    else:
        assert exposure is not None
        exposed = np.broadcast_to(exposure[None, :, :], at_risk.shape)
    n_event_t = event.sum(axis=1)
    n_risk_t = at_risk.sum(axis=1)
    hazard = np.divide(n_event_t, n_risk_t, out=np.zeros(n_event_t.shape), where=n_risk_t > 0)
    risk_exposed = at_risk & exposed
    o = (event & exposed).sum(axis=(1, 2))
    e = (hazard * risk_exposed.sum(axis=1)).sum(axis=1)
    return o, e, n_event_t.sum(axis=1), n_risk_t.sum(axis=1), risk_exposed.sum(axis=(1, 2))


def _check_exposure(
    n: int, n_years: int, neighbours: np.ndarray | None, exposure: np.ndarray | None
) -> None:
    if (neighbours is None) == (exposure is None):
        raise UserError("give exactly one of neighbours (a matrix) or exposure (units x years)")
    if neighbours is not None and neighbours.shape != (n, n):
        raise UserError(f"neighbours must be {n} x {n}, got {neighbours.shape}")
    if exposure is not None and exposure.shape != (n, n_years):
        raise UserError(f"exposure must be {n} x {n_years}, got {exposure.shape}")


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
    if alternative not in ("greater", "less", "two-sided"):
        raise UserError(f"unknown alternative {alternative!r} (greater, less, two-sided)")
    if n_permutations < 1:
        raise UserError(f"n_permutations must be at least 1, got {n_permutations}")
    y = np.asarray(first_years, dtype=float)
    n = len(y)
    years = np.arange(start, end + 1)
    _check_exposure(n, len(years), neighbours, exposure)
    o, e, events, risk, exposed = (
        a[0] for a in observed_expected(y[None, :], years, neighbours, exposure)
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
        po, pe, *_ = observed_expected(perm, years, neighbours, exposure)
        stats[done : done + k] = po - pe
        done += k
    p = permutation_p(obs, stats, alternative)
    if not note and bool(np.all(np.abs(stats - obs) <= 1e-9)):
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


# --------------------------------------------------------------------------------------------
# Firth-penalised logistic regression
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirthFit:
    """Estimates (``... x k``), Wald standard errors from the inverse information at the estimate,
    and whether Newton's iterations converged (``...``)."""

    coef: np.ndarray
    se: np.ndarray
    converged: np.ndarray
    iterations: int


def _expit(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def firth_logit(
    X: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    max_iter: int = 60,
    tol: float = 1e-7,
    max_step: float = 5.0,
) -> FirthFit:
    """Logistic regression with Firth's bias-reducing penalty, ``l(b) + 1/2 log det I(b)``.

    ``X``: (..., N, k) design (include the intercept column); ``y``: (..., N) 0/1 outcomes;
    ``weights``: (..., N) case weights or binomial trials (then ``y`` is the share of successes;
    0 drops a row, which lets a batch share one shape). Newton
    iterations on the modified score ``X'(w(y - p) + h(1/2 - p))``, ``h`` the diagonal of the
    weighted hat matrix, each step capped at ``max_step`` in the largest coordinate (as logistf
    does). Under complete separation the estimates stay finite (for a 2 x 2 table they equal the
    log odds ratio with 1/2 added to every cell). The leading axes are a batch: every data set is
    fitted at once. A column without variation among the weighted rows gets a tiny ridge so the
    batch does not fail; its standard error is then huge (report it as not estimable)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones(y.shape) if weights is None else np.asarray(weights, dtype=float)
    N, k = X.shape[-2:]
    batch = np.broadcast_shapes(X.shape[:-2], y.shape[:-1])
    X = np.broadcast_to(X, (*batch, N, k)).reshape(-1, N, k)
    y, w = np.broadcast_to(y, (*batch, N)).reshape(-1, N), np.broadcast_to(w, (*batch, N))
    w = w.reshape(-1, N)
    Xt = np.swapaxes(X, -1, -2)
    beta = np.zeros((X.shape[0], k))
    ridge = 1e-9 * np.eye(k)
    converged = np.zeros(X.shape[0], dtype=bool)
    active = np.arange(X.shape[0])
    Xa, Xta, ya, wa, ba = X, Xt, y, w, beta.copy()
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 (the count is returned)
        p = _expit((Xa @ ba[..., None])[..., 0])
        v = wa * p * (1.0 - p)
        inv = np.linalg.inv((Xta @ (Xa * v[..., None])) + ridge)
        h = v * ((Xa @ inv) * Xa).sum(axis=-1)
        score = (Xta @ (wa * (ya - p) + h * (0.5 - p))[..., None])[..., 0]
        step = (inv @ score[..., None])[..., 0]
        big = np.abs(step).max(axis=-1)
        step *= np.where(big > max_step, max_step / np.maximum(big, 1e-300), 1.0)[:, None]
        ba += step
        done = big < tol
        if done.all():
            beta[active] = ba
            converged[active] = True
            break
        if done.sum() * 2 > len(active):  # compact the batch to the fits still moving
            beta[active] = ba
            converged[active[done]] = True
            keep = ~done
            active = active[keep]
            Xa, Xta, ya, wa, ba = Xa[keep], Xta[keep], ya[keep], wa[keep], ba[keep]
    else:
        beta[active] = ba
    p = _expit((X @ beta[..., None])[..., 0])
    v = w * p * (1.0 - p)
    info = (Xt @ (X * v[..., None])) + ridge
    se = np.sqrt(np.clip(np.diagonal(np.linalg.inv(info), axis1=-2, axis2=-1), 0, None))
    return FirthFit(
        coef=beta.reshape(*batch, k),
        se=se.reshape(*batch, k),
        converged=converged.reshape(batch),
        iterations=it,
    )


# --------------------------------------------------------------------------------------------
# Discrete-time event history
# --------------------------------------------------------------------------------------------


def trend_of(years: np.ndarray) -> np.ndarray:
    """The trend covariate: decades from the window's middle year."""
    return (years - (years[0] + years[-1]) / 2.0) / 10.0


def _risk_sets(
    first: np.ndarray,
    years: np.ndarray,
    neighbours: np.ndarray | None,
    exposure: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(exposed, at risk, adopting), each (..., n, T) booleans, for a batch of first years."""
    n, T = first.shape[-1], len(years)
    _check_exposure(n, T, neighbours, exposure)
    if neighbours is not None:
        x = network_exposure(first, years, neighbours)
    else:
        assert exposure is not None
        x = np.broadcast_to(exposure, (*first.shape[:-1], n, T))
    return x, first[..., :, None] >= years, first[..., :, None] == years


def person_years(
    first: np.ndarray,
    years: np.ndarray,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    trend: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The discrete-time design for a batch of first-year vectors ``first`` (..., n).

    Returns ``X`` (..., n*T, k): intercept, trend (if ``trend``) and exposure (network or given,
    as in :func:`exposure_test`); ``y`` (..., n*T): adopted in that year; ``w`` (..., n*T): 1 in
    the years a unit is at risk (from the window start to its adoption), else 0."""
    first = np.asarray(first, dtype=float)
    n, T = first.shape[-1], len(years)
    x, at_risk, event = _risk_sets(first, years, neighbours, exposure)
    shape = (*first.shape[:-1], n * T)
    cols = [np.ones(shape)]
    if trend:
        cols.append(np.broadcast_to(np.tile(trend_of(years), n), shape))
    cols.append(x.reshape(shape).astype(float))
    X = np.stack(cols, axis=-1)
    return X, event.reshape(shape).astype(float), at_risk.reshape(shape).astype(float)


def grouped_design(
    first: np.ndarray,
    years: np.ndarray,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    adjust: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The design of :func:`person_years` aggregated to one row per year and exposure (2T rows):
    ``X`` (..., 2T, 3) intercept, trend, exposure; ``y`` the share adopting; ``w`` the units at
    risk. Firth's fit on it equals the fit on the person-years (the leverages of identical rows
    add up), at a tenth of the cost. ``adjust`` (n booleans, fixed over time): one more column
    before the exposure, rows per year and combination (4T rows)."""
    first = np.asarray(first, dtype=float)
    T = len(years)
    x, at_risk, event = _risk_sets(first, years, neighbours, exposure)
    if adjust is None:
        cells = [~x, x]
    else:
        z = np.broadcast_to(np.asarray(adjust, dtype=bool)[:, None], x.shape[-2:])
        cells = [~z & ~x, ~z & x, z & ~x, z & x]
    k = len(cells)
    trials = np.stack([_count(at_risk & c) for c in cells], axis=-1)  # ... x T x k
    events = np.stack([_count(event & c) for c in cells], axis=-1)
    shape = (*first.shape[:-1], k * T)
    cols = [np.ones(shape), np.broadcast_to(np.repeat(trend_of(years), k), shape)]
    if adjust is not None:
        cols.append(np.broadcast_to(np.tile([0.0, 0.0, 1.0, 1.0], T), shape))
    cols.append(np.broadcast_to(np.tile([0.0, 1.0] * (k // 2), T), shape))
    X = np.stack(cols, axis=-1)
    w = trials.reshape(shape).astype(float)
    y = np.divide(events.reshape(shape), w, out=np.zeros(shape), where=w > 0)
    return X, y, w


def hazard_fit(
    first: np.ndarray,
    years: np.ndarray,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    adjust: np.ndarray | None = None,
    chunk: int = 2000,
) -> FirthFit:
    """Firth-penalised discrete-time logit (intercept, trend, [adjust,] exposure) for each
    first-year vector of the batch ``first`` (B, n), on the grouped design, ``chunk`` data sets at
    a time."""
    first = np.atleast_2d(np.asarray(first, dtype=float))
    coefs, ses, conv = [], [], []
    iters = 0
    for lo in range(0, first.shape[0], chunk):
        X, y, w = grouped_design(
            first[lo : lo + chunk], years, neighbours=neighbours, exposure=exposure, adjust=adjust
        )
        f = firth_logit(X, y, w)
        coefs.append(f.coef)
        ses.append(f.se)
        conv.append(f.converged)
        iters = max(iters, f.iterations)
    return FirthFit(np.concatenate(coefs), np.concatenate(ses), np.concatenate(conv), iters)


def trend_fit(first: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Firth logit of the yearly hazard on a linear trend only (intercept, slope) for each row of
    ``first`` (B, n): the baseline of the imputations and simulations."""
    first = np.atleast_2d(np.asarray(first, dtype=float))
    n = first.shape[-1]
    X, y, w = grouped_design(first, years, exposure=np.zeros((n, len(years)), dtype=bool))
    return firth_logit(X[..., 0::2, :2], y[..., 0::2], w[..., 0::2]).coef


def rubin(coef: np.ndarray, se: np.ndarray) -> tuple[float, float]:
    """Rubin's rules over imputations: (pooled estimate, total standard error)."""
    m = len(coef)
    est = float(np.mean(coef))
    within = float(np.mean(se**2))
    between = float(np.var(coef, ddof=1)) if m > 1 else 0.0
    return est, math.sqrt(within + (1 + 1 / m) * between)


@dataclass(frozen=True)
class HazardResult:
    """The exposure effect of the event-history model, pooled over imputations."""

    log_or: float
    se: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    n_permutations: int
    alternative: str
    events: float
    exposed_events: float
    expected: float
    at_risk_years: float
    exposed_years: float
    estimable: bool
    note: str = ""


def exposed_counts(
    first: np.ndarray,
    years: np.ndarray,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per year (..., T): adoptions in exposed years, exposed units at risk, adoptions, units at
    risk."""
    first = np.asarray(first, dtype=float)
    x, at_risk, event = _risk_sets(first, years, neighbours, exposure)
    return (
        _count(event & x),
        _count(at_risk & x),
        _count(event),
        _count(at_risk),
    )


def _count(a: np.ndarray) -> np.ndarray:
    """Trues over the units axis (-2) of a boolean array, as integers (fast uint8/int32 sums)."""
    if a.shape[-2] < 256:
        return np.add.reduce(a.view(np.uint8), axis=-2, dtype=np.uint8).astype(np.int64)
    return a.sum(axis=-2)


def shuffle_within(rng: np.random.Generator, n: int, strata: np.ndarray | None) -> np.ndarray:
    """A random permutation of ``range(n)``, within each stratum when ``strata`` is given."""
    if strata is None:
        return rng.permutation(n)
    out = np.arange(n)
    labels = np.asarray(strata)
    for v in np.unique(labels):
        idx = np.flatnonzero(labels == v)
        out[idx] = rng.permutation(idx)
    return out


def hazard_test(
    first: np.ndarray,
    years: np.ndarray,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    n_permutations: int = 499,
    seed: int = 0,
    alternative: str = "greater",
    adjust: np.ndarray | None = None,
) -> HazardResult:
    """The exposure effect of the discrete-time model (a logit of adopting in a year at risk on
    an intercept, a linear trend and the exposure) over the imputations ``first`` (M, n).

    * Odds ratio: Firth's penalised estimate, pooled over the imputations by Rubin's rules, with
      a 95% Wald interval on the penalised fit (normal quantile, Rubin's total variance).
    * p-value: a permutation test of O - E, the adoptions in exposed years at risk minus those
      expected from each year's own adoption rate (the score statistic of the exposure when every
      year has its own hazard, so a trend that the straight line misses cannot pose as an
      effect), averaged over the imputations. The null shuffles the first years across units,
      the same permutation in every imputation (network exposures recomputed, given ones kept
      with the units); p = (1 + #{permuted at least as extreme}) / (1 + n_permutations).
    * ``adjust`` (n booleans, fixed over time): a covariate the model adjusts for; the shuffle
      then stays within its two strata, so the p-value is conditional on it too."""
    if n_permutations < 1:
        raise UserError(f"n_permutations must be at least 1, got {n_permutations}")
    first = np.atleast_2d(np.asarray(first, dtype=float))
    m, n = first.shape
    kw: dict[str, Any] = {"neighbours": neighbours, "exposure": exposure}
    ev1, tr1, ev, tr = exposed_counts(first, years, **kw)
    rate = np.divide(ev, tr, out=np.zeros(ev.shape), where=tr > 0)  # M x T
    expected = (rate * tr1).sum(-1)
    base: dict[str, Any] = {
        "events": float(ev.sum(-1).mean()),
        "exposed_events": float(ev1.sum(-1).mean()),
        "expected": float(expected.mean()),
        "at_risk_years": float(tr.sum(-1).mean()),
        "exposed_years": float(tr1.sum(-1).mean()),
        "n_permutations": n_permutations,
        "alternative": alternative,
    }
    nan = math.nan
    exposed, risk = tr1.sum(-1), tr.sum(-1)
    if ev.sum() == 0 or n == 0:
        note = "no adoption in the window: nothing to test"
    elif exposed.min() == 0:
        note = "no exposed year at risk in some imputation: nothing to compare"
    elif (exposed == risk).any():
        note = "every year at risk is exposed in some imputation: nothing to compare"
    else:
        note = ""
    if note:
        return HazardResult(nan, nan, nan, nan, nan, nan, estimable=False, note=note, **base)
    fit = hazard_fit(first, years, adjust=adjust, **kw)
    est, se = rubin(fit.coef[:, -1], fit.se[:, -1])
    rng = np.random.default_rng(seed)
    stat = np.empty(n_permutations + 1)
    stat[0] = float((ev1.sum(-1) - expected).mean())
    perms = np.stack([shuffle_within(rng, n, adjust) for _ in range(n_permutations)])
    step = max(1, 2_000_000 // max(1, m * n * len(years)))
    for lo in range(0, n_permutations, step):
        batch = first[:, perms[lo : lo + step]].transpose(1, 0, 2)  # chunk x M x n
        e1, t1, _, _ = exposed_counts(batch, years, **kw)
        stat[1 + lo : 1 + lo + len(batch)] = (e1 - rate[None] * t1).sum(-1).mean(-1)
    p = permutation_p(stat[0], stat[1:], alternative)
    ok = bool(fit.converged.all())
    return HazardResult(
        log_or=est,
        se=se,
        odds_ratio=math.exp(est),
        ci_low=math.exp(est - Z95 * se),
        ci_high=math.exp(est + Z95 * se),
        p_value=p,
        estimable=ok,
        note="" if ok else "the penalised fit did not converge",
        **base,
    )


# --------------------------------------------------------------------------------------------
# Power by simulation
# --------------------------------------------------------------------------------------------


def simulate_first_years(
    rng: np.random.Generator,
    n_sim: int,
    initial: np.ndarray,
    years: np.ndarray,
    baseline: tuple[float, float],
    log_or: float,
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
) -> np.ndarray:
    """``n_sim`` first-year vectors drawn year by year from the hazard
    ``expit(a + b * trend + log_or * exposed)``; units whose ``initial`` first year is before the
    window keep it (they are not at risk but expose their neighbours)."""
    n = len(initial)
    _check_exposure(n, len(years), neighbours, exposure)
    a, b = baseline
    first = np.where(initial < years[0], initial, NEVER)
    out = np.tile(first, (n_sim, 1))
    adj = None if neighbours is None else neighbours.astype(float)
    for t, (year, tr) in enumerate(zip(years, trend_of(years), strict=True)):
        at_risk = out == NEVER
        if adj is not None:
            x = ((out < year).astype(float) @ adj.T) > 0
        else:
            assert exposure is not None
            x = np.broadcast_to(exposure[:, t], out.shape)
        h = _expit(a + b * tr + log_or * x)
        adopt = at_risk & (rng.random(out.shape) < h)
        out[adopt] = year
    return out


def wald_reject(fit: FirthFit, alternative: str = "greater", level: float = 0.05) -> np.ndarray:
    """Whether the penalised Wald test of the last coefficient rejects at ``level``."""
    z = fit.coef[:, -1] / fit.se[:, -1]
    ok = np.isfinite(z) & (fit.se[:, -1] < 1e3)
    if alternative == "greater":
        crit = _normal_quantile(1 - level)
        return ok & (z > crit)
    if alternative == "less":
        crit = _normal_quantile(1 - level)
        return ok & (z < -crit)
    return ok & (np.abs(z) > _normal_quantile(1 - level / 2))


def _normal_quantile(q: float) -> float:
    """Inverse of the standard normal cdf (bisection on erf; enough for test levels)."""
    lo, hi = -10.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def power(
    initial: np.ndarray,
    years: np.ndarray,
    baseline: tuple[float, float],
    odds_ratios: Sequence[float],
    *,
    neighbours: np.ndarray | None = None,
    exposure: np.ndarray | None = None,
    n_sim: int = 200,
    seed: int = 0,
    alternative: str = "greater",
    level: float = 0.05,
    adjust: np.ndarray | None = None,
) -> dict[float, float]:
    """Per odds ratio: the share of ``n_sim`` simulated data sets (:func:`simulate_first_years` on
    the real exposure structure) in which the penalised Wald test of the exposure rejects at
    ``level``. The permutation test of :func:`hazard_test` is approximated by the Wald test here
    (its size is checked in the tests)."""
    rng = np.random.default_rng(seed)
    out: dict[float, float] = {}
    for ratio in odds_ratios:
        sims = simulate_first_years(
            rng, n_sim, initial, years, baseline, math.log(ratio),
            neighbours=neighbours, exposure=exposure,
        )  # fmt: skip
        fit = hazard_fit(sims, years, neighbours=neighbours, exposure=exposure, adjust=adjust)
        out[float(ratio)] = float(wald_reject(fit, alternative, level).mean())
    return out


def minimum_detectable(curve: dict[float, float], target: float = 0.8) -> float | None:
    """The smallest odds ratio reaching ``target`` power, interpolated on the log scale between the
    simulated ones; ``None`` when none does."""
    pts = sorted(curve.items())
    prev: tuple[float, float] | None = None
    for ratio, pw in pts:
        if pw >= target:
            if prev is None or prev[1] >= target:
                return ratio
            (r0, p0), (r1, p1) = prev, (ratio, pw)
            frac = (target - p0) / (p1 - p0)
            return float(math.exp(math.log(r0) + frac * (math.log(r1) - math.log(r0))))
        prev = (ratio, pw)
    return None
