"""External roles: the coded ``external_role`` assessments (IGF, ICANN, EC, CoE, ...) one row per
assessment and actor, with the jurisdiction's outcome for that mechanism, and their cross-tables
(issue 13). Core layer: pandas only.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.measures.panel import is_ms_body
from analysis.model.load import Tables
from analysis.model.values import value_or_none
from analysis.model.vocab import MECHANISMS, SEP


def mechanism_kinds(tables: Tables) -> dict[str, str]:
    """``mechanism_id`` -> ``cctld``, ``igf``, ``youth_igf``, ``regional``, ``body`` or
    ``body_not_ms`` (a body coded not multistakeholder: a contrast case)."""
    out: dict[str, str] = {}
    for tld in tables.cctlds.get("tld", pd.Series(dtype=str)):
        out[str(tld)] = "cctld"
    ini = tables.igf_initiatives
    for _, r in ini.iterrows():
        out[str(r["id"])] = {"national": "igf", "youth": "youth_igf"}.get(
            str(r["kind"]), str(r["kind"])
        )
    for _, b in tables.ms_bodies.iterrows():
        out[str(b["id"])] = "body" if is_ms_body(b) else "body_not_ms"
    return out


OUTCOMES = {"known": "adopted", "by": "adopted", "not_adopted": "not adopted", "unknown": "unknown"}


def external_roles(
    tables: Tables, fa: pd.DataFrame, codes: Iterable[str] | None = None, regional: bool = True
) -> pd.DataFrame:
    """The ``external_role`` assessments, one row per (assessment, actor): jurisdiction,
    mechanism id and kind, actor, the jurisdiction's outcome for that mechanism (panel: adopted /
    not adopted / unknown; ``n/a`` for youth and regional initiatives), text, sources, confidence."""
    a = tables.assessments
    a = a[a["dimension"] == "external_role"] if not a.empty else a
    wanted = set(codes) if codes is not None else None
    kinds = mechanism_kinds(tables)
    status = {(r["country"], r["mechanism"]): r["status"] for _, r in fa.iterrows()}
    rows = []
    for i, r in a.iterrows():
        country = value_or_none(r["country"])
        if country is None and not regional:
            continue
        if country is not None and wanted is not None and country not in wanted:
            continue
        kind = kinds.get(str(r["mechanism_id"]), "unknown")
        panel_mech = {"body_not_ms": "body"}.get(kind, kind)
        outcome = (
            OUTCOMES.get(status.get((country, panel_mech), ""), "unknown")
            if country is not None and panel_mech in MECHANISMS
            else "n/a"
        )
        for actor in [x for x in str(value_or_none(r.get("actors")) or "").split(SEP) if x] or [
            "(none coded)"
        ]:
            rows.append(
                {
                    "assessment": int(i),
                    "country": country or "",
                    "mechanism_id": str(r["mechanism_id"]),
                    "mechanism": kind,
                    "actor": actor,
                    "outcome": outcome,
                    "text": " ".join(str(r["text"]).split()),
                    "sources": str(value_or_none(r["sources"]) or ""),
                    "confidence": value_or_none(r["confidence"]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "assessment",
            "country",
            "mechanism_id",
            "mechanism",
            "actor",
            "outcome",
            "text",
            "sources",
            "confidence",
        ],
    )


def crosstab(roles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Assessments per actor and ``by`` (``mechanism`` or ``outcome``), with row totals."""
    if roles.empty:
        return pd.DataFrame(columns=["actor", "total"])
    t = pd.crosstab(roles["actor"], roles[by])
    t["total"] = t.sum(axis=1)
    t = t.sort_values(["total"], ascending=False)
    t.columns.name = None
    return t.reset_index()
