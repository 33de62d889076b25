"""Does adoption follow neighbours, regional initiatives or groups? A discrete-time event-history
model for issue 20, with the unknown years imputed. Core layer: pandas and numpy.

* **Time-varying exposures** (:func:`exposures`): a neighbour adopted earlier (the borders of
  :mod:`analysis.measures.borders`, and each alternative weight matrix as a sensitivity row); hosting a
  SEEDIG or EuroDIG edition; EU candidate or member at the time and EU member at the time (from
  each jurisdiction's ``eu_status`` and its year); the Eastern Partnership from
  :data:`GROUP_STARTS` (2009); the other peer groups with their membership fixed over time.
  Council of Europe membership and the external actors carry no years in the data and are not
  tested (:data:`NOT_TESTED`).
* **Multiple imputation** (:func:`imputations`): each first year that is unknown or only bounded
  is drawn from the years it may fall in (:func:`analysis.measures.drivers_timing.possible_years`, which
  respects the substantive starts: no national IGF before 2006), with probabilities from a yearly
  hazard with a linear trend fitted to the years seen (unknown read as not adopted). The
  imputation model has no exposure in it, so it leans towards "no effect"; the reading "unknown =
  not adopted" is a sensitivity row.
* **The model** (:func:`analysis.measures.stats.hazard_test`): per jurisdiction and year at risk, a logit
  of adopting on an intercept, a linear trend and the exposure, with Firth's penalty (finite odds
  ratios under separation); the odds ratio pooled over the imputations (Rubin's rules) with a 95%
  Wald interval on the penalised fit; the p-value from permutations (first years shuffled across
  jurisdictions, the same shuffle in every imputation).
* **Power** (:func:`analysis.measures.stats.power`): on the real borders, memberships and trend, the share
  of simulated data sets with a planted odds ratio of 2, 3, 5 or 10 in which the test rejects at
  0.05, and the minimum detectable odds ratio (80% power).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.measures import stats
from analysis.measures.borders import MAIN, MATRICES, Neighbours
from analysis.measures.drivers_timing import (
    NEVER,
    SUBSTANTIVE_START,
    host_exposure,
    possible_years,
    unknown_years,
    years_of,
)
from analysis.model.load import Tables
from analysis.model.values import source_ids, value_or_none
from analysis.model.vocab import SEP

#: Groups whose membership starts in a given year (the others are fixed over time): the Eastern
#: Partnership was launched in Prague on 7 May 2009 (``data/peer_groups.yaml``, its sources).
GROUP_STARTS: dict[str, int] = {"eastern-partnership": 2009}
#: Peer groups replaced by the time-varying EU exposures built from ``eu_status``.
EU_GROUPS = ("eu-members", "eu-candidates")
#: What is not tested, and why.
NOT_TESTED: dict[str, str] = {
    "Council of Europe membership": "the data carry no accession years",
    "external actors (ICANN, the IGF, the CoE, the EC, ...)": (
        "the coded external roles carry no years, so they cannot precede an adoption in the data"
    ),
}
#: Odds ratios at which power is simulated; the first two are printed with every result.
POWER_ORS: tuple[float, ...] = (2.0, 3.0, 5.0, 10.0)
#: Target power of the minimum detectable effect.
TARGET_POWER = 0.8
#: The readings of the unknown years in the model.
READINGS: dict[str, str] = {
    "imputed": "unknown years imputed",
    "pessimistic": "unknown years read as not adopted",
}

RESULT_COLUMNS = [
    "family",
    "exposure_id",
    "exposure",
    "role",
    "mechanism",
    "reading",
    "n",
    "years",
    "events",
    "exposed_events",
    "expected",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "p_holm",
    "alternative",
    "power_or2",
    "power_or3",
    "mde",
    "confidence",
    "sources",
    "note",
]


@dataclass(frozen=True)
class Exposure:
    """One exposure of the model: network (``matrix``: a neighbour adopted earlier) or given
    (``given``: units x years booleans)."""

    id: str
    family: str  # neighbours | regional | groups
    label: str
    role: str  # main | sensitivity
    alternative: str
    matrix: np.ndarray | None = None
    given: np.ndarray | None = None
    reading: str = "imputed"
    confidence: str = ""
    sources: str = ""
    note: str = ""
    members: tuple[str, ...] = field(default_factory=tuple)
    adjust: np.ndarray | None = None


def model_years(mechanism: str, window: tuple[int, int]) -> np.ndarray:
    """The years at risk of the model: the window, from the mechanism's substantive start."""
    lo = max(window[0], SUBSTANTIVE_START.get(mechanism, window[0]))
    return np.arange(lo, window[1] + 1)


# --------------------------------------------------------------------------------------------
# Imputation
# --------------------------------------------------------------------------------------------


def imputations(
    fa: pd.DataFrame,
    panel: pd.DataFrame,
    codes: Sequence[str],
    mechanism: str,
    window: tuple[int, int],
    m: int = 10,
    seed: int = 0,
) -> np.ndarray:
    """``m`` draws (m x n) of the jurisdictions' first years (``inf``: not adopted by the window's
    end). Determined years are kept; each other one is drawn from its possible years with
    probability ``h(t) S(t - 1)`` (``S(end)`` for "not adopted"), ``h`` the yearly hazard of a
    Firth logit on a linear trend fitted to the first years seen (unknown = not adopted)."""
    years = model_years(mechanism, window)
    pess = years_of(fa, mechanism, "pessimistic").reindex(list(codes)).fillna(NEVER)
    a, b = (float(v) for v in stats.trend_fit(pess.to_numpy(dtype=float)[None, :], years)[0])
    mid = (years[0] + years[-1]) / 2.0

    def hazard(t: float) -> float:
        return 1.0 / (1.0 + math.exp(-(a + b * (t - mid) / 10.0)))

    unknown = unknown_years(panel)
    f = fa[fa["mechanism"] == mechanism].set_index("country")
    rng = np.random.default_rng(seed)
    out = np.empty((m, len(codes)))
    for j, code in enumerate(codes):
        if code not in f.index:
            out[:, j] = NEVER
            continue
        row = f.loc[code].to_dict() | {"country": code}
        options = sorted({t if t <= window[1] else NEVER for t in possible_years(row, unknown)})
        if len(options) == 1:
            out[:, j] = options[0]
            continue
        finite = [t for t in options if t != NEVER]
        lo = int(min(finite)) if finite else int(years[0])
        last = int(window[1])
        surv, weights = 1.0, []
        wanted = set(options)
        for t in range(lo, last + 1):
            h = hazard(t)
            if float(t) in wanted:
                weights.append((float(t), surv * h))
            surv *= 1 - h
        if NEVER in wanted:
            weights.append((NEVER, surv))
        vals = np.array([w for _, w in weights])
        vals = vals / vals.sum()
        out[:, j] = rng.choice([t for t, _ in weights], size=m, p=vals)
    return out


# --------------------------------------------------------------------------------------------
# Exposures
# --------------------------------------------------------------------------------------------


def eu_exposure(
    tables: Tables, codes: Sequence[str], years: np.ndarray, statuses: Sequence[str]
) -> tuple[np.ndarray, str]:
    """n x T: the jurisdiction's ``eu_status`` is one of ``statuses`` from its year on; the
    sources. Members count from accession only (their candidate years are not coded)."""
    c = tables.countries.set_index("code")
    x = np.zeros((len(codes), len(years)), dtype=bool)
    src: list[str] = []
    for i, code in enumerate(codes):
        if code not in c.index or c.loc[code, "eu_status"] not in statuses:
            continue
        since = value_or_none(c.loc[code, "eu_since"])
        if since is None:
            continue
        x[i] = years >= int(since)
        src.extend(source_ids(c.loc[code, "eu_status_sources"]))
    return x, SEP.join(dict.fromkeys(src))


def exposures(
    tables: Tables,
    codes: Sequence[str],
    mechanism: str,
    window: tuple[int, int],
    neighbours: Neighbours,
) -> list[Exposure]:
    """Every exposure tested for one mechanism, main rows first within each family."""
    years = model_years(mechanism, window)
    out: list[Exposure] = []
    for mid in MATRICES:
        out.append(
            Exposure(
                id=f"neighbours-{mid}",
                family="neighbours",
                label=f"a neighbour adopted earlier: {neighbours.describe(mid)}",
                role="main" if mid == MAIN else "sensitivity",
                alternative="greater",
                matrix=neighbours.matrix(codes, mid),
                confidence=neighbours.confidence(mid),
            )
        )
    out.append(
        Exposure(
            id="neighbours-pessimistic",
            family="neighbours",
            label=f"a neighbour adopted earlier: {neighbours.describe(MAIN)}",
            role="sensitivity",
            alternative="greater",
            matrix=neighbours.matrix(codes, MAIN),
            reading="pessimistic",
            confidence="derived",
        )
    )
    out.append(
        Exposure(
            id="regional-hosted",
            family="regional",
            label="hosted a SEEDIG or EuroDIG edition in an earlier year",
            role="main",
            alternative="greater",
            given=host_exposure(tables, codes, (int(years[0]), int(years[-1]))),
            confidence="sourced",
        )
    )
    x, src = eu_exposure(tables, codes, years, ("candidate", "member"))
    out.append(
        Exposure(
            "eu-candidate-or-member", "groups", "EU candidate or member at the time", "main",
            "two-sided", given=x, confidence="sourced", sources=src,
            note="members count from accession: their candidate years are not coded",
        )
    )  # fmt: skip
    x, src = eu_exposure(tables, codes, years, ("member",))
    out.append(
        Exposure(
            "eu-member", "groups", "EU member at the time", "main", "two-sided", given=x,
            confidence="sourced", sources=src,
        )
    )  # fmt: skip
    pg = tables.peer_groups
    for _, g in pg.iterrows() if not pg.empty else iter(()):
        gid = str(g["id"])
        if gid in EU_GROUPS:
            continue
        members = {m for m in str(g["members"]).split(SEP) if m}
        start = GROUP_STARTS.get(gid)
        x = np.array([[c in members] * len(years) for c in codes], dtype=bool).reshape(
            len(codes), len(years)
        )
        if start is not None:
            x &= years[None, :] >= start
        out.append(
            Exposure(
                gid, "groups",
                f"{g['name']}, from {start}" if start else f"{g['name']}, membership fixed",
                "main", "two-sided", given=x, confidence=str(value_or_none(g.get("confidence")) or ""),
                sources=str(value_or_none(g.get("sources")) or ""),
                members=tuple(sorted(members & set(codes))),
            )
        )  # fmt: skip
    eap = next((e for e in out if e.id == "eastern-partnership"), None)
    post_soviet = set(neighbours.group("post-soviet").get("members") or [])
    if eap is not None and post_soviet:
        z = np.array([c in post_soviet for c in codes], dtype=bool)
        if z.any() and not z.all():
            out.append(
                Exposure(
                    "eastern-partnership-adjusted", "groups",
                    f"{eap.label}, adjusted for former Soviet republics", "sensitivity",
                    "two-sided", given=eap.given, confidence=eap.confidence, sources=eap.sources,
                    note="the shuffle stays within former Soviet republics and the others",
                    adjust=z,
                )
            )  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


def _fmt_none(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


def model_tests(
    fa: pd.DataFrame,
    panel: pd.DataFrame,
    tables: Tables,
    codes: Sequence[str],
    window: tuple[int, int],
    mechanisms: Sequence[str],
    neighbours: Neighbours,
    n_permutations: int = 999,
    n_imputations: int = 20,
    n_sim: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per mechanism and exposure (:data:`RESULT_COLUMNS`): n, years at risk, adoptions
    (mean over imputations), those in exposed years and the number expected, the odds ratio and
    its 95% Wald interval (penalised fit, Rubin-pooled), the permutation p-value and its Holm
    adjustment over the main rows, power at odds ratios 2 and 3 and the minimum detectable odds
    ratio (80% power; ``None`` when above 10)."""
    codes = list(codes)
    rows: list[dict[str, Any]] = []
    for mech in mechanisms:
        years = model_years(mech, window)
        imp = imputations(fa, panel, codes, mech, window, n_imputations, seed)
        pess = years_of(fa, mech, "pessimistic").reindex(codes).fillna(NEVER).to_numpy(float)
        for ex in exposures(tables, codes, mech, window, neighbours):
            first = imp if ex.reading == "imputed" else pess[None, :]
            kw: dict[str, Any] = (
                {"neighbours": ex.matrix} if ex.matrix is not None else {"exposure": ex.given}
            )
            r = stats.hazard_test(
                first, years, n_permutations=n_permutations, seed=seed,
                alternative=ex.alternative, adjust=ex.adjust, **kw,
            )  # fmt: skip
            pw: dict[float, float] = {}
            if r.estimable:
                base = stats.trend_fit(first, years).mean(axis=0)
                pw = stats.power(
                    first[0], years, (float(base[0]), float(base[1])), POWER_ORS,
                    n_sim=n_sim, seed=seed, alternative=ex.alternative, adjust=ex.adjust, **kw,
                )  # fmt: skip
            mde = stats.minimum_detectable(pw, TARGET_POWER) if pw else None
            rows.append(
                {
                    "family": ex.family,
                    "exposure_id": ex.id,
                    "exposure": ex.label,
                    "role": ex.role,
                    "mechanism": mech,
                    "reading": ex.reading,
                    "n": len(codes),
                    "years": f"{years[0]}-{years[-1]}",
                    "events": round(r.events, 2),
                    "exposed_events": round(r.exposed_events, 2),
                    "expected": round(r.expected, 2),
                    "odds_ratio": _fmt_none(r.odds_ratio),
                    "ci_low": _fmt_none(r.ci_low),
                    "ci_high": _fmt_none(r.ci_high),
                    "p_value": _fmt_none(r.p_value),
                    "alternative": ex.alternative,
                    "power_or2": pw.get(2.0),
                    "power_or3": pw.get(3.0),
                    "mde": None if mde is None else round(mde, 2),
                    "confidence": ex.confidence,
                    "sources": ex.sources,
                    "note": "; ".join(x for x in (r.note, ex.note) if x),
                }
            )
    df = pd.DataFrame(rows, columns=[c for c in RESULT_COLUMNS if c != "p_holm"])
    main = df["role"] == "main"
    df["p_holm"] = None
    df.loc[main, "p_holm"] = pd.Series(
        stats.holm(list(df.loc[main, "p_value"])), index=df.index[main], dtype=object
    )
    return df[RESULT_COLUMNS]
