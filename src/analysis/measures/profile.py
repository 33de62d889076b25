"""A jurisdiction's three mechanisms, assembled for the country profile report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.measures.panel import ms_body_mask
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.vocab import SEP


def check_country(code: Any, tables: Tables | None = None) -> str:
    """Return a valid jurisdiction code, or raise a one-line :class:`UserError`."""
    tables = tables or load()
    known = sorted(tables.countries["code"]) if not tables.countries.empty else []
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{2}", code):
        raise UserError(
            f"country must be a two-letter code such as 'RS', got {code!r} (known: {', '.join(known)})"
        )
    if code not in known:
        raise UserError(
            f"unknown country {code!r}: no file data/countries/{code}.yaml (known: {', '.join(known)})"
        )
    return code


def cited_sources(frames: list[pd.DataFrame], tables: Tables) -> pd.DataFrame:
    """The sources cited anywhere in ``frames`` (any ``sources`` or ``*_sources`` column)."""
    ids: set[str] = set()
    for df in frames:
        for col in df.columns:
            if col == "sources" or col.endswith("_sources"):
                for cell in df[col].dropna():
                    ids.update(s for s in str(cell).split(SEP) if s)
    src = tables.sources
    return src[src["id"].isin(ids)].sort_values("id", ignore_index=True)


def confidence_shares(frames: list[pd.DataFrame]) -> dict[str, float]:
    """Share of records by confidence over the given tables."""
    vals = pd.concat([df["confidence"] for df in frames if "confidence" in df], ignore_index=True)
    if vals.empty:
        return {}
    shares = vals.value_counts(normalize=True)
    return {k: round(float(shares.get(k, 0.0)), 4) for k in ("sourced", "inferred", "recalled")}


@dataclass
class Profile:
    code: str
    country: dict[str, Any]
    cctlds: pd.DataFrame
    events: pd.DataFrame
    igf: pd.DataFrame
    editions: pd.DataFrame
    bodies: pd.DataFrame
    assessments: pd.DataFrame
    absences: pd.DataFrame
    sources: pd.DataFrame

    def summary(self) -> dict[str, Any]:
        active = (
            self.cctlds[self.cctlds["status"] == "active"] if not self.cctlds.empty else self.cctlds
        )
        national = self.igf[self.igf["kind"] == "national"] if not self.igf.empty else self.igf
        ms_bodies = self.bodies[ms_body_mask(self.bodies)] if not self.bodies.empty else self.bodies
        return {
            "country": self.code,
            "name": self.country["name"],
            "n_cctlds": len(active),
            "cctld_multistakeholder": sorted(active["multistakeholder"].unique().tolist())
            if len(active)
            else [],
            "n_igf_initiatives": len(self.igf),
            "national_igf_first_year": (
                int(national["first_year"].min())
                if len(national) and national["first_year"].notna().any()
                else None
            ),
            "n_igf_editions": len(self.editions),
            "n_ms_bodies": len(ms_bodies),
            "n_sources": len(self.sources),
            "confidence": confidence_shares(
                [self.cctlds, self.events, self.igf, self.editions, self.bodies, self.assessments]
            ),
        }


def _of(df: pd.DataFrame, code: str, col: str = "country") -> pd.DataFrame:
    if df.empty or col not in df:
        return df.iloc[0:0]
    return df[df[col] == code].reset_index(drop=True)


def country_profile(code: str, tables: Tables | None = None) -> Profile:
    tables = tables or load()
    code = check_country(code, tables)
    country = {
        k: (None if not isinstance(v, (list, dict)) and pd.isna(v) else v)
        for k, v in tables.countries.set_index("code").loc[code].to_dict().items()
    }
    country["code"] = code
    parts = {
        "cctlds": _of(tables.cctlds, code),
        "events": _of(tables.cctld_events, code).sort_values(["tld", "date"], ignore_index=True)
        if not _of(tables.cctld_events, code).empty
        else _of(tables.cctld_events, code),
        "igf": _of(tables.igf_initiatives, code),
        "editions": _of(tables.igf_editions, code),
        "bodies": _of(tables.ms_bodies, code),
        "assessments": _of(tables.assessments, code),
        "absences": _of(tables.absences, code),
    }
    sources = cited_sources(list(parts.values()), tables)
    return Profile(code=code, country=country, sources=sources, **parts)
