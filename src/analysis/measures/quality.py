"""A quality dimension for national IGFs and multistakeholder bodies, from recorded facts only.

Adoption (:mod:`analysis.measures.scoring`, :mod:`analysis.measures.stock`) asks whether a mechanism exists; this
module asks how far it meets the criteria of good multistakeholder practice, and how much of that
is known. It is a separate sub-score with its own coverage, never mixed into adoption.

The criteria of one mechanism (a national IGF initiative or a body), each scored in [0, 1] or
unknown (:data:`CRITERIA`):

* ``groups`` (IGF NRI toolkit: an organising committee of at least three stakeholder groups) --
  the number of the five stakeholder groups (:data:`analysis.measures.composition.GROUPS`) among an
  IGF's recorded organisers and committee, or a body's recorded members, scored
  ``min(n, MIN_GROUPS) / MIN_GROUPS``; unknown when no group is recorded;
* ``ms_committee`` (IGFs only; the NRI toolkit) -- the initiative's ``ms_committee`` coding:
  yes 1, partly 0.5, no 0, else unknown;
* the seven characteristics of the IGF Best Practice Forum 2014 (``bpf_*`` assessments): yes 1,
  partly 0.5, no 0; unknown when not coded.

``score`` is the mean of the known criteria; ``coverage`` the share of the criteria that are
known. Per jurisdiction (:func:`quality_by_country`), the criteria of its national IGF
initiatives, or of its bodies that count for adoption (``multistakeholder`` yes or partly), are
pooled the same way: a jurisdiction with no such mechanism has no quality score (NaN) rather
than 0.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.measures.composition import GROUPS
from analysis.model.catalog import TABLE_SPECS
from analysis.model.load import Tables, load
from analysis.model.vocab import BPF_DIMENSIONS

#: Stakeholder groups an organising committee needs (IGF NRI toolkit).
MIN_GROUPS = 3
#: Criteria per mechanism kind.
CRITERIA: dict[str, tuple[str, ...]] = {
    "igf": ("groups", "ms_committee", *BPF_DIMENSIONS),
    "body": ("groups", *BPF_DIMENSIONS),
}
#: Score of a coded value.
VALUE_SCORES: dict[str, float] = {"yes": 1.0, "partly": 0.5, "no": 0.0}

#: Columns of :func:`quality` (the exports add the jurisdiction's name after its code).
QUALITY_COLUMNS = [c for c in TABLE_SPECS["quality"].column_names if c != "name"]
COUNTRY_COLUMNS = [
    "country",
    "igf_quality",
    "igf_quality_coverage",
    "body_quality",
    "body_quality_coverage",
]


def _groups(tables: Tables) -> dict[str, set[str]]:
    """Mechanism id -> the stakeholder groups recorded among its organisers, committee or
    members."""
    out: dict[str, set[str]] = {}
    org = tables.igf_organisers
    for i, g in zip(org.get("initiative", []), org.get("group", []), strict=True):
        if g in GROUPS:
            out.setdefault(str(i), set()).add(str(g))
    comp = tables.body_composition
    for b, g in zip(comp.get("body", []), comp.get("group", []), strict=True):
        if g in GROUPS:
            out.setdefault(str(b), set()).add(str(g))
    bodies = tables.ms_bodies
    for b, gs in zip(bodies.get("id", []), bodies.get("groups", []), strict=True):
        for g in str(gs or "").split(";"):
            if g.strip() in GROUPS:
                out.setdefault(str(b), set()).add(g.strip())
    return out


def _bpf(tables: Tables) -> dict[tuple[str, str], float]:
    """(mechanism id, bpf dimension) -> score of the last coded value listed."""
    a = tables.assessments
    if a.empty:
        return {}
    a = a[a["dimension"].isin(BPF_DIMENSIONS) & a["value"].isin(list(VALUE_SCORES))]
    a = a.drop_duplicates(["mechanism_id", "dimension"], keep="last")
    return {
        (str(m), str(d)): VALUE_SCORES[str(v)]
        for m, d, v in zip(a["mechanism_id"], a["dimension"], a["value"], strict=True)
    }


def quality(tables: Tables | None = None) -> pd.DataFrame:
    """One row per national IGF initiative and per body: its criteria, how many are known, the
    coverage and the score (see the module docstring). Columns :data:`QUALITY_COLUMNS`."""
    tables = tables or load()
    groups = _groups(tables)
    bpf = _bpf(tables)
    rows: list[dict[str, object]] = []
    ini = tables.igf_initiatives
    ini = ini[ini["kind"] == "national"] if not ini.empty else ini
    items: list[tuple[str, str, str, object, object]] = [
        (str(r["country"]), "igf", str(r["id"]), r.get("ms_committee"), None)
        for _, r in ini.iterrows()
    ]
    items += [
        (str(r["country"]), "body", str(r["id"]), None, r.get("multistakeholder"))
        for _, r in tables.ms_bodies.iterrows()
    ]
    for country, kind, mid, committee, ms in items:
        n = len(groups.get(mid, set()))
        values: dict[str, float | None] = {
            "groups": min(n, MIN_GROUPS) / MIN_GROUPS if n else None,
            "ms_committee": VALUE_SCORES.get(str(committee)) if kind == "igf" else None,
            **{d: bpf.get((mid, d)) for d in BPF_DIMENSIONS},
        }
        known = [values[c] for c in CRITERIA[kind] if values[c] is not None]
        rows.append(
            {
                "country": country,
                "mechanism": kind,
                "mechanism_id": mid,
                "multistakeholder": None if ms is None or pd.isna(ms) else str(ms),
                "n_groups": n,
                "criteria": len(CRITERIA[kind]),
                "known": len(known),
                "coverage": len(known) / len(CRITERIA[kind]),
                "score": sum(v for v in known if v is not None) / len(known) if known else math.nan,
            }
        )
    out = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    return out.sort_values(["country", "mechanism", "mechanism_id"], ignore_index=True)


def quality_by_country(tables: Tables | None = None) -> pd.DataFrame:
    """Per jurisdiction, the pooled quality and coverage of its national IGFs and of its bodies
    that count for adoption. Columns :data:`COUNTRY_COLUMNS`; NaN where it has none."""
    tables = tables or load()
    q = quality(tables)
    counted = q[(q["mechanism"] == "igf") | q["multistakeholder"].isin(["yes", "partly"])]
    rows = []
    for code in sorted(tables.countries["code"].astype(str)):
        row: dict[str, object] = {"country": code}
        for kind in ("igf", "body"):
            f = counted[(counted["country"] == code) & (counted["mechanism"] == kind)]
            criteria, known = int(f["criteria"].sum()), int(f["known"].sum())
            total = float((f["score"].fillna(0) * f["known"]).sum())
            row[f"{kind}_quality"] = total / known if known else math.nan
            row[f"{kind}_quality_coverage"] = known / criteria if criteria else math.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=COUNTRY_COLUMNS)
