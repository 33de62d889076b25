"""The national-body rules of the adoption panel: which body counts and how it grades, the years
its sources evidence it, and how the bodies of a jurisdiction combine into one state a year.

See :mod:`analysis.measures.panel` for the rules in full; the evidence rule they rest on is
:mod:`analysis.measures.panel_evidence`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.measures.panel_evidence import (
    UNKNOWN,
    Cell,
    absence_row,
    field_evidence,
    joined_notes,
    merge_ids,
    plan_only,
    rows_where,
    source_years,
    strongest,
    unknown_cell,
    weakest,
)
from analysis.model.load import Tables
from analysis.model.values import source_ids as _ids
from analysis.model.values import value_or_none as _v
from analysis.model.values import year_of as _year
from analysis.model.vocab import ADOPTED, BODY_CODING


def body_grade(body: Mapping[str, Any] | pd.Series) -> str | None:
    """The panel state a body record stands for, or ``None`` when it is not part of the
    national-body mechanism.

    The one home of the rule "which body counts and how it grades": only bodies of ``scope:
    national_policy`` count (single-issue bodies are excluded by rule); they grade like ccTLD
    managers, ``multistakeholder`` yes / partly / no giving ``multistakeholder`` /
    ``partly_multistakeholder`` / ``not_multistakeholder`` (a government-led body); a body whose
    composition is not established is ``unknown`` (it exists, but may be either).
    """
    if _v(body.get("scope")) != "national_policy":
        return None
    return BODY_CODING.get(_v(body.get("multistakeholder")), "unknown")


def is_ms_body(body: Mapping[str, Any] | pd.Series) -> bool:
    """A body that adopts the mechanism: national scope, coded multistakeholder yes or partly."""
    return body_grade(body) in ADOPTED["body"]


def ms_body_mask(bodies: pd.DataFrame) -> pd.Series:
    """Boolean mask of the rows of ``bodies`` that are multistakeholder bodies (:func:`is_ms_body`)."""
    return pd.Series([is_ms_body(b) for _, b in bodies.iterrows()], index=bodies.index, dtype=bool)


def _body_attested(body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]) -> list[int]:
    """Years a body's record dates it as existing, besides its founding: ``last_evidenced``,
    ``status_as_of`` when ``status`` is ``active``, and the years of its dated sources."""
    ys = [y for y in (_year(body.get("last_evidenced")),) if y is not None]
    as_of = _year(body.get("status_as_of"))
    if _v(body.get("status")) == "active" and as_of is not None:
        ys.append(as_of)
    return ys + [dated[i] for i in _ids(body.get("sources")) if i in dated]


def body_evidenced_from(
    body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]
) -> int | None:
    """The first year a body is evidenced: ``established``; without it, the earliest year its
    record dates it (:func:`body_evidenced_until`'s attestations; an inference). ``None`` when
    nothing dates it."""
    est = _year(body.get("established"))
    if est is not None:
        return est
    return min(_body_attested(body, dated), default=None)


def body_evidenced_until(
    body: Mapping[str, Any] | pd.Series, dated: Mapping[str, int]
) -> int | None:
    """The last year a body's sources date it as existing: the greatest of ``established``,
    ``last_evidenced``, ``status_as_of`` when ``status`` is ``active``, and the years of its cited
    sources dated after its founding; capped at ``ended``. ``None`` when nothing dates it."""
    start = body_evidenced_from(body, dated)
    if start is None:
        return None
    last = max([start, *(y for y in _body_attested(body, dated) if y >= start)])
    ended = _year(body.get("ended"))
    return min(last, ended) if ended is not None else last


def _one_body(
    b: pd.Series, years: Sequence[int], dated: Mapping[str, int]
) -> dict[int, Cell | None]:
    """One body's cell per year (``None`` before it was founded: it does not speak to the year).
    How an ``unknown`` cell weighs in the year's state depends on the body's grade
    (:func:`_body_ceiling`, :func:`body_states`)."""
    grade = body_grade(b)
    est = body_evidenced_from(b, dated)
    out: dict[int, Cell | None] = dict.fromkeys(years)
    if grade is None or est is None:
        return out
    bid = str(b["id"])
    e_conf, e_src = field_evidence(b, "established")
    if _year(b.get("established")) is None:  # the start is the earliest dated attestation
        e_conf, e_src = weakest(e_conf, "inferred"), ()
    m_conf, m_src = field_evidence(b, "multistakeholder")
    rec_src = _ids(b.get("sources"))
    if plan_only(rec_src, est, dated):  # only announced: a plan, not a body
        for y in years:
            if y >= est:
                out[y] = unknown_cell(f"{bid}: planned (only sources published before {est})")
        return out
    last = body_evidenced_until(b, dated) or est
    ended = _year(b.get("ended"))
    conf = weakest(e_conf, m_conf)
    _, s_src = field_evidence(b, "status")
    l_conf, l_src = field_evidence(b, "last_evidenced")
    for y in years:
        if y < est:
            continue
        if ended is not None and y > ended:
            if rec_src and _v(b.get("confidence")) != "recalled":
                out[y] = Cell("none", _v(b.get("confidence")), rec_src, note=f"{bid} ended {ended}")
            else:
                out[y] = unknown_cell(f"{bid} ended {ended} (no source)")
        elif y > last:
            out[y] = unknown_cell(f"{bid}: no source dates activity after {last}")
        elif grade == "unknown":
            out[y] = unknown_cell(f"{bid} exists; its composition is not established")
        else:
            # the sources that date the body through this year
            later = tuple(i for i in rec_src if dated.get(i, -1) >= y)
            as_of = _year(b.get("status_as_of"))
            if _v(b.get("status")) == "active" and as_of is not None and as_of >= y:
                later = merge_ids(later, s_src)
            if not later and y > est:  # dated only by `last_evidenced`: its own evidence
                out[y] = Cell(grade, weakest(conf, l_conf), merge_ids(e_src, m_src, l_src))
                continue
            out[y] = Cell(grade, conf, merge_ids(e_src, m_src, later))
    return out


#: Body grades from best to worst (the order in which a year's bodies are compared).
_GRADE_RANK = {
    "multistakeholder": 3,
    "partly_multistakeholder": 2,
    "not_multistakeholder": 1,
    "none": 0,
}


def body_states(tables: Tables, country: str, years: Sequence[int]) -> dict[int, Cell]:
    """The jurisdiction's ``body`` cell per year.

    The year's state is the best grade among the bodies its sources date that year, unless a
    body whose activity that year is not dated could be better: a body of unknown composition
    could be multistakeholder, one coded (say) government-led could be no better than that. So a
    government-led council dated in 2009 gives ``not_multistakeholder`` even while an older
    government-led council's activity is undated, but ``unknown`` while a body of unknown
    composition, or an undated multistakeholder one, may still be at work."""
    bodies = rows_where(tables.ms_bodies, country=country)
    absence = absence_row(tables, country, "body")
    dated = source_years(tables)
    grades = [body_grade(b) for _, b in bodies.iterrows()]
    per_body = [_one_body(b, years, dated) for _, b in bodies.iterrows()]
    out: dict[int, Cell] = {}
    for y in years:
        pairs = [(c, g) for p, g in zip(per_body, grades, strict=True) if (c := p[y]) is not None]
        known = [c for c, _ in pairs if c.state in _GRADE_RANK]
        open_ = [(c, g) for c, g in pairs if c.state == "unknown"]
        best = max((_GRADE_RANK[c.state] for c in known), default=None)
        ceiling = max((_body_ceiling(g) for _, g in open_), default=-1)
        pick: Cell | None = None
        if open_ and (best is None or ceiling > best):
            pick = unknown_cell(joined_notes([c for c, _ in open_]))
        elif best is not None:
            state = next(k for k, v in _GRADE_RANK.items() if v == best)
            hits = [c for c in known if c.state == state]
            conf = strongest(*(c.confidence for c in hits))
            src = merge_ids(*(c.sources for c in hits if c.confidence == conf))
            pick = Cell(state, conf, src, note=joined_notes([*hits, *(c for c, _ in open_)]))
        if pick is None and absence is not None and absence[0] == "none":
            pick = Cell("none", absence[1], absence[2])
        # Before the first body, or with no body known: another body may exist unseen, so the
        # year is unknown; only an absence record that says `none` or a sourced end makes it none.
        out[y] = pick if pick is not None else UNKNOWN
    return out


def _body_ceiling(grade: str | None) -> int:
    """The best grade an undated year of a body could have: its coded grade, or
    multistakeholder when its composition is unknown."""
    return _GRADE_RANK.get(grade or "unknown", _GRADE_RANK["multistakeholder"])
