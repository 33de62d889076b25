"""Who sits at the table: the balance of stakeholder groups and the BPF 2014 profile of each mechanism."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.model.load import Tables, load
from analysis.model.values import value_or_none
from analysis.model.vocab import BPF_DIMENSIONS, SEP

#: The five stakeholder groups used for balance.
GROUPS: tuple[str, ...] = (
    "government",
    "private_sector",
    "civil_society",
    "academia",
    "technical_community",
)


# --------------------------------------------------------------------------------------------
# 3. Balance of composition
# --------------------------------------------------------------------------------------------


def balance_of(groups: Sequence[str], seats: Sequence[Any]) -> dict[str, Any]:
    """Balance of one composition: n_groups, evenness, largest_share, basis.

    Only the five groups of :data:`GROUPS` count. Seats are used when every row of those groups
    has a seat count (and they sum above zero), otherwise presence (1 per group present).
    Evenness is Shannon's H over the five groups divided by ln(5) (0 when a single group is
    present, ``NaN`` when none is).
    """
    per: dict[str, float] = {}
    all_seats = True
    for g, s in zip(groups, seats, strict=True):
        if g not in GROUPS:
            continue
        s = value_or_none(s)
        if s is None:
            all_seats = False
            per.setdefault(g, 0.0)
        else:
            per[g] = per.get(g, 0.0) + float(s)
    if all_seats and per and sum(per.values()) > 0:
        basis = "seats"
        counts = {g: v for g, v in per.items() if v > 0}
    else:
        basis = "presence"
        counts = {g: 1.0 for g in per}
    total = sum(counts.values())
    if total <= 0:
        return {"n_groups": 0, "evenness": math.nan, "largest_share": math.nan, "basis": basis}
    shares = [v / total for v in counts.values()]
    h = max(0.0, -sum(p * math.log(p) for p in shares if p > 0))
    return {
        "n_groups": len(counts),
        "evenness": h / math.log(len(GROUPS)),
        "largest_share": max(shares),
        "basis": basis,
    }


def balance(tables: Tables | None = None) -> pd.DataFrame:
    """Stakeholder balance of every body and IGF committee with a known composition.

    Columns: body, country, kind (``body`` / ``igf_committee``), n_groups, groups (joined with
    ``"; "``), evenness, largest_share, basis (``seats`` or ``presence``), n_other (rows in
    groups outside the five, e.g. unknown or intergovernmental).
    """
    tables = tables or load()
    comp = tables.body_composition
    cols = [
        "body",
        "country",
        "kind",
        "n_groups",
        "groups",
        "evenness",
        "largest_share",
        "basis",
        "n_other",
    ]
    if comp.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (body, kind), grp in comp.groupby(["body", "kind"], sort=True, dropna=False):
        b = balance_of(
            list(grp["group"]), list(grp["seats"]) if "seats" in grp else [None] * len(grp)
        )
        present = sorted({g for g in grp["group"] if g in GROUPS}, key=GROUPS.index)
        rows.append(
            {
                "body": body,
                "country": value_or_none(grp["country"].iloc[0]),
                "kind": kind,
                **b,
                "groups": SEP.join(present),
                "n_other": int((~grp["group"].isin(GROUPS)).sum()),
            }
        )
    return pd.DataFrame(rows)[cols]


# --------------------------------------------------------------------------------------------
# 4. BPF profile
# --------------------------------------------------------------------------------------------


def _mechanism_kinds(tables: Tables) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for t in tables.cctlds.get("tld", []):
        kinds[str(t)] = "cctld"
    ini = tables.igf_initiatives
    for i, k in zip(ini.get("id", []), ini.get("kind", []), strict=True):
        kinds[str(i)] = "igf" if k == "national" else ("youth_igf" if k == "youth" else str(k))
    for b in tables.ms_bodies.get("id", []):
        kinds[str(b)] = "body"
    return kinds


def bpf_profile(tables: Tables | None = None) -> pd.DataFrame:
    """Share of the seven BPF 2014 characteristics coded yes, per country and mechanism.

    ``share = (n_yes + 0.5 * n_partly) / n_coded`` where ``n_coded`` counts characteristics coded
    yes, partly or no; ``n_unknown = 7 - n_coded`` (coded ``unknown`` or not assessed). ``share``
    is ``NaN`` when nothing is coded. Columns: country, mechanism_id, mechanism_kind, share, n_yes,
    n_partly, n_no, n_coded, n_unknown.
    """
    tables = tables or load()
    cols = [
        "country",
        "mechanism_id",
        "mechanism_kind",
        "share",
        "n_yes",
        "n_partly",
        "n_no",
        "n_coded",
        "n_unknown",
    ]
    a = tables.assessments
    if a.empty:
        return pd.DataFrame(columns=cols)
    a = a[a["dimension"].isin(BPF_DIMENSIONS)]
    kinds = _mechanism_kinds(tables)
    rows = []
    for (country, mech), grp in a.groupby(["country", "mechanism_id"], dropna=False, sort=True):
        # one value per characteristic: the last one listed wins
        vals = grp.drop_duplicates("dimension", keep="last")["value"]
        n_yes = int((vals == "yes").sum())
        n_partly = int((vals == "partly").sum())
        n_no = int((vals == "no").sum())
        n_coded = n_yes + n_partly + n_no
        rows.append(
            {
                "country": value_or_none(country),
                "mechanism_id": mech,
                "mechanism_kind": kinds.get(str(mech)),
                "share": (n_yes + 0.5 * n_partly) / n_coded if n_coded else math.nan,
                "n_yes": n_yes,
                "n_partly": n_partly,
                "n_no": n_no,
                "n_coded": n_coded,
                "n_unknown": len(BPF_DIMENSIONS) - n_coded,
            }
        )
    return pd.DataFrame(rows, columns=cols)
