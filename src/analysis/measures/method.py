"""The method in words, written from the code: one text for the method page, the README and the
codebook.

Every number the method states -- the default weights, the score of each state, the score of an
unknown, the carry-forward years of the evidence rule, the default ranking's window and
threshold, the draws and percentiles of the robustness analysis -- is read here from the module
that uses it (:mod:`analysis.measures.scoring`, :mod:`analysis.measures.panel`, :mod:`analysis.measures.selection`,
:mod:`analysis.measures.robustness`), never typed. :func:`method_numbers` lists them; :func:`index_method` and
:func:`states_method` render the paragraphs; tests compare every number of the rendered method
page and of the README's generated block with :func:`method_numbers`.
"""

from __future__ import annotations

from fractions import Fraction

from analysis.measures.panel import CARRY_FORWARD_YEARS
from analysis.measures.robustness import CONCENTRATION, LEVELS, N_DRAWS, PARTIAL_RANGE
from analysis.measures.scoring import DEFAULT_WEIGHTS, STATE_SCORES, mechanism_bounds
from analysis.measures.selection import DEFAULT_WINDOW, THIN_SHARE
from analysis.model.vocab import MECHANISM_LABELS, MECHANISMS, PALETTES

#: The year of the SEEDIG session that named the three mechanisms ("Multi-SEE model").
TYPOLOGY_YEAR = 2015
#: The percentiles the robustness analysis reports (``score_p05`` ... ``rank_p95``).
SENSITIVITY_PERCENTILES = (5, 50, 95)


def number(x: float) -> str:
    """A number as the method prints it: exact decimals up to 3 places (``0.5``), otherwise a
    simple fraction (``1/3``), otherwise 3 decimals."""
    if x == int(x):
        return str(int(x))
    if abs(round(x, 3) - x) < 1e-12:
        return f"{x:.3f}".rstrip("0")
    f = Fraction(x).limit_denominator(12)
    if abs(float(f) - x) < 1e-12:
        return f"{f.numerator}/{f.denominator}"
    return f"{x:.3f}"


def method_numbers() -> dict[str, str]:
    """Every number the method text states, as printed, by name."""
    out = {
        f"weight_{m}": number(DEFAULT_WEIGHTS[m] / sum(DEFAULT_WEIGHTS.values()))
        for m in MECHANISMS
    }
    for m in MECHANISMS:
        for state, score in STATE_SCORES[m].items():
            out[f"score_{m}_{state}"] = number(score)
    low, mid, high = mechanism_bounds("unknown", None, MECHANISMS[0])
    out |= {"unknown_low": number(low), "unknown_score": number(mid), "unknown_high": number(high)}
    out |= {
        "sensitivity_draws": str(N_DRAWS),
        "sensitivity_concentration": number(CONCENTRATION),
        "sensitivity_levels": str(LEVELS),
        "partial_low": number(PARTIAL_RANGE[0]),
        "partial_high": number(PARTIAL_RANGE[1]),
        "window_years": str(DEFAULT_WINDOW),
        "thin_share": number(THIN_SHARE),
    }
    for p in SENSITIVITY_PERCENTILES:
        out[f"percentile_{p}"] = f"{p:02d}"
    out["carry_forward_years"] = str(CARRY_FORWARD_YEARS)
    out["typology_year"] = str(TYPOLOGY_YEAR)
    return out


def _weights_phrase(n: dict[str, str]) -> str:
    ws = {n[f"weight_{m}"] for m in MECHANISMS}
    if len(ws) == 1:
        return f"{ws.pop()} each"
    return ", ".join(f"{MECHANISM_LABELS[m]} {n[f'weight_{m}']}" for m in MECHANISMS)


def states_method() -> str:
    """The states of each mechanism with their scores (markdown list)."""
    n = method_numbers()
    lines = []
    for m in MECHANISMS:
        parts = []
        for state, label, _ in PALETTES[m]:
            key = f"score_{m}_{state}"
            score = n[key] if key in n else f"{n['unknown_low']}-{n['unknown_high']}"
            parts.append(f"{label} ({score})")
        lines.append(f"- {MECHANISM_LABELS[m]}: " + "; ".join(parts) + ".")
    return "\n".join(lines)


def index_method() -> str:
    """The index, its bounds, its sensitivity and the evidence rule, in plain words (markdown)."""
    n = method_numbers()
    p = [f"p{n[f'percentile_{q}']}" for q in SENSITIVITY_PERCENTILES]
    carry = (
        "no carry-forward: a state holds only over the years its sources date"
        if CARRY_FORWARD_YEARS == 0
        else f"a state is carried {n['carry_forward_years']} years past its last dated source"
    )
    return (
        "The Multi-SEE index is the weighted mean of the three mechanisms' scores, with default"
        f" weights {_weights_phrase(n)} (ccTLD, national IGF, national body). Each state scores as"
        " listed (in brackets):\n\n"
        f"{states_method()}\n\n"
        f"An unknown state scores {n['unknown_score']} in the index and {n['unknown_low']} to"
        f" {n['unknown_high']} in its bounds: the *low* bound counts every unknown and every state"
        " resting on weak evidence as the worst state, the *high* bound as the best. Ranks come"
        " with an interval (the best and worst rank the bounds allow). A cell that cannot exist"
        " (no ccTLD delegated to the jurisdiction) is left out of the mean, not scored 0.\n\n"
        "The default ranking is the latest complete data year, or, when more than"
        f" {n['thin_share']} of that year's core cells are unknown, the *stock* over the"
        f" {n['window_years']} years to it: each mechanism's mean yearly score over the window,"
        f" combined the same way, ties separated by the {n['window_years']} years before"
        " (`analysis.measures.stock`); every product states which. In the stock, where numbered"
        " IGF editions say how many of a run of unknown years were held (k of n), the m years of"
        " the run inside the window count at least k - (n - m) and at most min(k, m) held in the"
        " bounds, and m k / n in the score. A robustness analysis"
        f" (`analysis.measures.robustness`) makes {n['sensitivity_draws']} draws that vary together the"
        f" weights (one of {n['sensitivity_levels']} vectors from a Dirichlet distribution centred"
        f" on the defaults, concentration {n['sensitivity_concentration']}), the imputation of"
        " unknowns (low, high or a uniform draw), the score of partial states"
        f" ({n['partial_low']} to {n['partial_high']}) and the aggregation (arithmetic, geometric"
        f" or counting), and reports {', '.join(p)} of scores and ranks and which choice moves"
        " each rank most (first-order sensitivity indices).\n\n"
        f"The evidence rule is the same for the three mechanisms, with {carry} (carry-forward"
        f" {n['carry_forward_years']} years, `panel.CARRY_FORWARD_YEARS`); after the last"
        " evidenced year a cell is unknown."
    )
