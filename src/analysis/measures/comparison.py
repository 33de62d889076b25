"""Jurisdictions side by side, and one jurisdiction among its peers.

* :func:`compare` -- the side-by-side table: states, index, shared ranks among all core
  jurisdictions (``rank_label`` prints "=12" for a shared rank), balance and BPF profile;
* :func:`comparison` / :class:`Comparison` -- that table joined to the rank intervals of the
  joint Monte Carlo (:func:`analysis.measures.robustness.robustness`), with the balance and BPF rows of the
  selection, the period ranked (year, window, reason) and which choice drives each rank
  (:meth:`Comparison.attribution`); :func:`comparison_html` shows it as a table;
* :func:`position` / :func:`peer_positions` -- one jurisdiction's score and rank interval among
  all core jurisdictions and within each of its peer groups;
* :func:`source_citations` -- how many records cite each source, by confidence.

Nothing here imports matplotlib or ipywidgets (figures are in :mod:`analysis.products.figures`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.measures.applicability import mark_not_applicable
from analysis.measures.composition import balance, bpf_profile
from analysis.measures.narrative import differences
from analysis.measures.panel import adoption_panel, ms_body_mask, strongest
from analysis.measures.present import jsonable_records
from analysis.measures.present import table as html_table
from analysis.measures.quality import quality_by_country
from analysis.measures.robustness import Robustness, robustness
from analysis.measures.scoring import DEFAULT_WEIGHTS, parse_weights, rank_labels
from analysis.measures.selection import (
    Period,
    core_codes,
    country_names,
    resolve_period,
    select,
    year_note,
)
from analysis.measures.stock import period_index
from analysis.model.errors import UserError
from analysis.model.load import Tables, load
from analysis.model.values import plain
from analysis.model.vocab import CONFIDENCE_ORDER, MECHANISMS, SEP

__all__ = [
    "COMPARISON_COLUMNS",
    "COMPARISON_INDEX",
    "PEER_COLUMNS",
    "PEER_HEADINGS",
    "POSITION_KEYS",
    "SCORE_HEADINGS",
    "Comparison",
    "compare",
    "comparison",
    "comparison_html",
    "peer_positions",
    "position",
    "source_citations",
]


def _labels_by_country(idx: pd.DataFrame) -> dict[str, str]:
    """country -> printed rank (:func:`analysis.measures.scoring.rank_labels`) over every row of ``idx``.

    ``idx`` must hold the whole ranking (every ranked jurisdiction of the year), so that a rank
    shared with a jurisdiction left out of a selection still prints "=N".
    """
    labels = rank_labels(list(idx["rank"]))
    return dict(zip(idx["country"].astype(str), labels, strict=True))


# --------------------------------------------------------------------------------------------
# Side-by-side table
# --------------------------------------------------------------------------------------------


def compare(
    codes: str | Iterable[str],
    year: int,
    tables: Tables | None = None,
    weights: Mapping[str, float] | None = None,
    period: Period | None = None,
) -> pd.DataFrame:
    """Side-by-side table, one row per country, for ``year``.

    The states are those of ``year``; score, bounds and ranks measure ``period``
    (:func:`analysis.measures.stock.period_index`; default: ``year`` alone), with not-applicable cells left
    out (:mod:`analysis.measures.applicability`).

    Columns: country, name, scope_role, cctld, igf, body (states), score, low, high, rank,
    rank_worst, rank_best (ranks among all core jurisdictions), rank_label (the rank as printed:
    "=12" when shared with any core jurisdiction, selected or not), igf_evenness / igf_groups (national
    IGF committee), body_evenness / body_groups (most even multistakeholder body), and
    bpf_cctld / bpf_igf / bpf_body (pooled BPF share of the country's ccTLDs, national IGFs and
    multistakeholder bodies: yes-equivalents over coded characteristics), and the quality
    sub-score with its coverage, igf_quality / igf_quality_coverage / body_quality /
    body_quality_coverage (:func:`analysis.measures.quality.quality_by_country`; separate from the index).
    """
    tables = tables or load()
    members = list(select(codes, tables).codes)
    panel = adoption_panel(tables)
    years = set(panel["year"])
    if year not in years:
        raise UserError(f"year {year} is outside the panel ({min(years)}-{max(years)})")
    py = panel[panel["year"] == year]
    period = period or Period(year, 1, "", False)
    full = period_index(mark_not_applicable(panel, tables), period, weights=weights)
    labels = _labels_by_country(full)
    idx = full.set_index("country")
    bal = balance(tables)
    bpf = bpf_profile(tables)
    ini = tables.igf_initiatives
    national = set(ini.loc[ini["kind"] == "national", "id"]) if not ini.empty else set()
    bodies = tables.ms_bodies
    ms_bodies = set(bodies.loc[ms_body_mask(bodies), "id"]) if not bodies.empty else set()
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
        row["rank_label"] = labels.get(code, "")
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
    out = pd.DataFrame(rows).merge(quality_by_country(tables), on="country", how="left")
    for col in ("rank", "rank_worst", "rank_best", "igf_groups", "body_groups"):
        out[col] = out[col].astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# A comparison: the table, sensitivity, balance and BPF of a selection
# --------------------------------------------------------------------------------------------

COMPARISON_INDEX = ["country", "score", "low", "high", "rank", "rank_worst", "rank_best"]


@dataclass
class Comparison:
    """A comparison of ``codes`` in ``year``; see :func:`comparison`."""

    codes: list[str]
    label: str
    year: int
    weights: dict[str, float]
    table: pd.DataFrame
    balance: pd.DataFrame
    bpf: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)
    year_is_default: bool = True
    period: Period | None = None
    robustness: Robustness | None = None

    @property
    def note(self) -> str:
        """The sentences stating the year shown (:func:`analysis.measures.selection.year_note`) and what the
        ranking measures, with the year rule, the window and the reason
        (:attr:`analysis.measures.selection.Period.note`)."""
        note = year_note(self.year, self.year_is_default)
        return f"{note} {self.period.note}" if self.period is not None else note

    def states(self) -> dict[str, dict[str, str]]:
        """country -> mechanism -> state."""
        return {
            str(r["country"]): {m: str(r[m]) for m in MECHANISMS} for _, r in self.table.iterrows()
        }

    def state_matrix(self) -> pd.DataFrame:
        """Countries x mechanisms frame of states (index: country code)."""
        return self.table.set_index("country")[list(MECHANISMS)]

    def index_records(self) -> list[dict[str, Any]]:
        """country/score/low/high/rank/rank_worst/rank_best per country, as plain values."""
        return jsonable_records(self.table, COMPARISON_INDEX)

    def attribution(self) -> pd.DataFrame:
        """The selected jurisdictions' first-order sensitivity index per choice and the choice
        that drives each rank (:func:`analysis.measures.robustness.robustness`)."""
        if self.robustness is None:
            return pd.DataFrame()
        a = self.robustness.attribution
        return a[a["country"].isin(self.codes)].reset_index(drop=True)

    def summary(self) -> list[str]:
        return differences(self.table, self.year, self.names)


def comparison(
    countries: str | Iterable[str] = "all",
    year: Any = None,
    weights: str | Mapping[str, float] | None = None,
    tables: Tables | None = None,
    panel: pd.DataFrame | None = None,
    n: int = 1000,
    seed: int = 0,
    window: Any = None,
) -> Comparison:
    """Compare the selected jurisdictions in ``year`` (default: the latest complete data year).

    What the ranking measures is :func:`analysis.measures.selection.resolve_period` of ``year`` and
    ``window``: by default the stock over the last years when the latest year is thinly
    documented (:mod:`analysis.measures.stock`).

    ``table`` is :func:`compare` (ranks among all core jurisdictions) plus the percentiles
    ``score_p05``/``score_p95``/``rank_p05``/``rank_p95`` of the joint Monte Carlo over weights
    drawn around ``weights`` (:func:`analysis.measures.scoring.parse_weights`), the imputation of unknowns,
    the scores of partial states and the aggregation (:mod:`analysis.measures.robustness`; ``n`` draws,
    ``seed``); ``balance`` and ``bpf`` are the balance
    and BPF rows of the selected jurisdictions, with the name of each body, initiative or ccTLD.
    """
    tables = tables or load()
    panel = mark_not_applicable(adoption_panel(tables) if panel is None else panel, tables)
    w = parse_weights(weights)
    sel = select(countries, tables)
    codes, label = list(sel.codes), sel.label
    period = resolve_period(year, panel, tables, window)
    y = period.year
    table = compare(codes, y, tables, weights=w, period=period)
    rob = robustness(panel, period, n=n, seed=seed, weights=w)
    keep = ["country", "score_p05", "score_p95", "rank_p05", "rank_p95"]
    table = table.merge(rob.intervals[keep], on="country", how="left")
    effective = dict(DEFAULT_WEIGHTS) if w is None else w
    total = sum(effective.values())
    mechanism_names = _mechanism_names(tables)
    bal = balance(tables)
    bal = bal[bal["country"].isin(codes)].copy()
    bal.insert(1, "name", bal["body"].map(mechanism_names))
    bpf = bpf_profile(tables)
    bpf = bpf[bpf["country"].isin(codes)].copy()
    bpf.insert(2, "name", bpf["mechanism_id"].map(mechanism_names))
    return Comparison(
        codes=codes,
        label=label,
        year=y,
        weights={m: v / total for m, v in effective.items()},
        table=table,
        balance=bal.reset_index(drop=True),
        bpf=bpf.reset_index(drop=True),
        names=country_names(tables),
        year_is_default=year is None,
        period=period,
        robustness=rob,
    )


def _mechanism_names(tables: Tables) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in tables.cctlds.get("tld", []):
        out[str(t)] = f".{t}"
    ini = tables.igf_initiatives
    for i, n in zip(ini.get("id", []), ini.get("name", []), strict=True):
        out[str(i)] = str(n)
    b = tables.ms_bodies
    for i, n in zip(b.get("id", []), b.get("name", []), strict=True):
        out[str(i)] = str(n)
    return out


#: Headings of the score, bound and rank columns the comparison tables share.
SCORE_HEADINGS: dict[str, str] = {
    "score": "score",
    "low": "low",
    "high": "high",
    "rank": "rank",
    "rank_best": "best rank",
    "rank_worst": "worst rank",
    "score_p05": "score p05",
    "score_p95": "score p95",
    "rank_p05": "rank p05",
    "rank_p95": "rank p95",
}

#: Columns of :func:`comparison_html` and their headings.
COMPARISON_COLUMNS: dict[str, str] = {
    "country": "code",
    "name": "jurisdiction",
    "cctld": "ccTLD",
    "igf": "national IGF",
    "body": "MS body",
    **{k: v for k, v in SCORE_HEADINGS.items() if not k.startswith("score_")},
}

#: Headings of the columns of :func:`peer_positions` a country page shows ("among its peers").
PEER_HEADINGS: dict[str, str] = {"name": "among", "n": "jurisdictions", **SCORE_HEADINGS}


def comparison_html(c: Comparison) -> str:
    """The comparison table as escaped HTML: scores rounded to 3 decimals, ranks as printed
    ("=12" when shared among all core jurisdictions)."""
    t = c.table.copy()
    for col in ("score", "low", "high", "score_p05", "score_p95"):
        if col in t:
            t[col] = t[col].astype(float).round(3)
    for col in ("rank_p05", "rank_p95"):
        if col in t:
            t[col] = pd.to_numeric(t[col], errors="coerce").round().astype("Int64")
    if "rank_label" in t:
        t["rank"] = t["rank_label"]
    return html_table(t, COMPARISON_COLUMNS)


# --------------------------------------------------------------------------------------------
# Position of one jurisdiction among peers
# --------------------------------------------------------------------------------------------

POSITION_KEYS = ["score", "low", "high", "rank", "rank_worst", "rank_best", "year"]


def position(
    code: str,
    panel: pd.DataFrame,
    year: int | None = None,
    weights: Mapping[str, float] | None = None,
    tables: Tables | None = None,
    window: Any = None,
) -> dict[str, Any]:
    """score/low/high/rank/rank_worst/rank_best/year of ``code`` among all core jurisdictions.

    What is ranked is :func:`analysis.measures.selection.resolve_period` of ``year`` and ``window`` (by
    default the latest complete data year, or the stock over the years to it when it is thinly
    documented). Ranks are ``None`` for a jurisdiction outside the core (the reference case).
    """
    tables = tables or load()
    panel = mark_not_applicable(panel, tables)
    idx = period_index(panel, resolve_period(year, panel, tables, window), weights=weights)
    row = idx[idx["country"] == code]
    if row.empty:
        raise UserError(f"country {code!r} is not in the panel")
    r = row.iloc[0]
    return {k: plain(r[k]) for k in POSITION_KEYS}


PEER_COLUMNS = [
    "group",
    "name",
    "n",
    "score",
    "low",
    "high",
    "rank",
    "rank_label",
    "rank_worst",
    "rank_best",
    "score_p05",
    "score_p95",
    "rank_p05",
    "rank_p95",
]


def peer_positions(
    code: str,
    tables: Tables | None = None,
    panel: pd.DataFrame | None = None,
    year: int | None = None,
    n: int = 1000,
    seed: int = 0,
    window: Any = None,
) -> pd.DataFrame:
    """``code``'s score and rank interval among all core jurisdictions and in each peer group.

    What is ranked is :func:`analysis.measures.selection.resolve_period` of ``year`` and ``window``.

    One row for ``all`` (the core jurisdictions) and one per peer group that lists ``code``;
    ranks are recomputed among the group's members (tie rule as in
    :func:`analysis.measures.scoring.multisee_index`; ``rank_label`` prints a rank shared within the
    group as "=N") and the rank intervals come from :func:`analysis.measures.robustness.robustness` with
    the same members. Columns: :data:`PEER_COLUMNS`.
    """
    tables = tables or load()
    panel = mark_not_applicable(adoption_panel(tables) if panel is None else panel, tables)
    period = resolve_period(year, panel, tables, window)
    groups: list[tuple[str, str, list[str]]] = [
        ("all", "all core jurisdictions", core_codes(tables))
    ]
    pg = tables.peer_groups
    for _, g in pg.iterrows() if not pg.empty else []:
        members = [m for m in str(g["members"]).split(SEP) if m]
        if code in members:
            groups.append((str(g["id"]), str(g["name"]), sorted(members)))
    rows = []
    for gid, name, members in groups:
        idx = period_index(panel, period, core=members)
        r = idx[idx["country"] == code]
        sens = robustness(panel, period, n=n, seed=seed, core=members).intervals
        s = sens[sens["country"] == code]
        row: dict[str, Any] = {"group": gid, "name": name, "n": len(members)}
        for col in ("score", "low", "high", "rank", "rank_worst", "rank_best"):
            row[col] = r[col].iloc[0] if not r.empty else math.nan
        row["rank_label"] = _labels_by_country(idx).get(code, "")
        for col in ("score_p05", "score_p95", "rank_p05", "rank_p95"):
            row[col] = s[col].iloc[0] if not s.empty else math.nan
        rows.append(row)
    out = pd.DataFrame(rows, columns=PEER_COLUMNS)
    for col in ("rank", "rank_worst", "rank_best"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    return out


# --------------------------------------------------------------------------------------------
# Sources by confidence
# --------------------------------------------------------------------------------------------


def source_citations(frames: Iterable[pd.DataFrame], sources: pd.DataFrame) -> pd.DataFrame:
    """For each source in ``sources``: how many records in ``frames`` cite it, by confidence.

    A record cites a source through its ``sources`` column (at the record's ``confidence``) or a
    field's ``<field>_sources`` column (at ``<field>_confidence``, else the record's). A record
    citing a source several times counts once, at the strongest confidence of those citations.
    Columns: id, title, sourced, inferred, recalled, total (sorted by id).
    """
    counts: dict[str, dict[str, int]] = {}
    levels = list(reversed(CONFIDENCE_ORDER))  # sourced, inferred, recalled
    for df in frames:
        if df is None or df.empty:
            continue
        src_cols = [c for c in df.columns if c == "sources" or c.endswith("_sources")]
        for _, rec in df.iterrows():
            best: dict[str, str | None] = {}
            for col in src_cols:
                cell = plain(rec.get(col))
                if not cell:
                    continue
                conf_col = (
                    "confidence" if col == "sources" else col[: -len("sources")] + "confidence"
                )
                conf = plain(rec.get(conf_col)) or plain(rec.get("confidence"))
                for sid in (s for s in str(cell).split(SEP) if s):
                    best[sid] = strongest(best.get(sid), conf)
            for sid, conf in best.items():
                c = counts.setdefault(sid, {lv: 0 for lv in [*levels, "total"]})
                if conf in levels:
                    c[conf] += 1
                c["total"] += 1
    cols = ["id", "title", *levels, "total"]
    rows = []
    for _, s in sources.sort_values("id").iterrows():
        c = counts.get(str(s["id"]), {lv: 0 for lv in [*levels, "total"]})
        rows.append({"id": s["id"], "title": s.get("title"), **c})
    return pd.DataFrame(rows, columns=cols)
