"""Jurisdictions side by side: states, index, ranks, balance and BPF profile in one table."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .composition import balance, bpf_profile
from .errors import UserError
from .load import Tables, load
from .panel import adoption_panel
from .scoring import multisee_index
from .selection import select
from .vocab import MECHANISMS

# --------------------------------------------------------------------------------------------
# 5. Peer groups and comparison
# --------------------------------------------------------------------------------------------


def compare(
    codes: str | Iterable[str],
    year: int,
    tables: Tables | None = None,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Side-by-side table, one row per country, for ``year``.

    Columns: country, name, scope_role, cctld, igf, body (states), score, low, high, rank,
    rank_worst, rank_best (ranks among all core jurisdictions), igf_evenness / igf_groups (national
    IGF committee), body_evenness / body_groups (most even multistakeholder body), and
    bpf_cctld / bpf_igf / bpf_body (pooled BPF share of the country's ccTLDs, national IGFs and
    multistakeholder bodies: yes-equivalents over coded characteristics).
    """
    tables = tables or load()
    members = list(select(codes, tables).codes)
    panel = adoption_panel(tables)
    years = set(panel["year"])
    if year not in years:
        raise UserError(f"year {year} is outside the panel ({min(years)}-{max(years)})")
    py = panel[panel["year"] == year]
    idx = multisee_index(panel, weights=weights, year=year).set_index("country")
    bal = balance(tables)
    bpf = bpf_profile(tables)
    ini = tables.igf_initiatives
    national = set(ini.loc[ini["kind"] == "national", "id"]) if not ini.empty else set()
    bodies = tables.ms_bodies
    ms_bodies = (
        set(bodies.loc[bodies["multistakeholder"].isin(["yes", "partly"]), "id"])
        if not bodies.empty
        else set()
    )
    countries = tables.countries.set_index("code")
    rows = []
    for code in members:
        row: dict[str, Any] = {
            "country": code,
            "name": countries.loc[code, "name"],
            "scope_role": countries.loc[code, "scope_role"],
        }
        for m in MECHANISMS:
            s = py[(py["country"] == code) & (py["mechanism"] == m)]["state"]
            row[m] = s.iloc[0] if not s.empty else "unknown"
        for col in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
            row[col] = idx.loc[code, col] if code in idx.index else math.nan
        for label, ids in (("igf", national), ("body", ms_bodies)):
            b = bal[(bal["country"] == code) & (bal["body"].isin(ids))]
            b = b.sort_values("evenness", ascending=False, na_position="last")
            row[f"{label}_evenness"] = b["evenness"].iloc[0] if not b.empty else math.nan
            row[f"{label}_groups"] = int(b["n_groups"].iloc[0]) if not b.empty else pd.NA
        for kind in MECHANISMS:
            f = bpf[(bpf["country"] == code) & (bpf["mechanism_kind"] == kind)]
            if kind == "body":  # contrast cases (bodies coded `no`) do not count
                f = f[f["mechanism_id"].isin(ms_bodies)]
            coded = int(f["n_coded"].sum())
            row[f"bpf_{kind}"] = (
                float((f["n_yes"].sum() + 0.5 * f["n_partly"].sum()) / coded) if coded else math.nan
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("rank", "rank_worst", "rank_best", "igf_groups", "body_groups"):
        out[col] = out[col].astype("Int64")
    return out
