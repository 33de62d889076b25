"""Research coverage: which jurisdiction x mechanism cells are known, absent, not found or open.

For every jurisdiction and mechanism (the ccTLD registry, the national IGF, the national
multistakeholder body; optionally the youth IGF) the cell is

- ``known``: at least one record exists (any ccTLD, national IGF initiative or body record, whatever
  its multistakeholder coding: a record means the cell was researched);
- ``none``: an absence record with finding ``none`` (a sourced absence);
- ``not found``: an absence record with finding ``not_found`` (searched; unknown, never "no");
- ``unresearched``: neither a record nor an absence.

``confidence_shares()`` gives the share of fact records by confidence per jurisdiction and overall.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from analysis.model import vocab
from analysis.model.vocab import FACT_LABELS, MECHANISMS

KNOWN = "known"
NONE = "none"
NOT_FOUND = "not found"
UNRESEARCHED = "unresearched"
COVERAGE_STATES = (KNOWN, NONE, NOT_FOUND, UNRESEARCHED)

#: Tables of fact records counted by :func:`confidence_shares` (each has country and confidence).
FACT_TABLES = (
    "cctlds",
    "cctld_events",
    "cctld_domains",
    "igf_initiatives",
    "igf_editions",
    "ms_bodies",
    "assessments",
    "absences",
)
REGIONAL = "regional"
ALL = "all"

_LABELS = FACT_LABELS


def _tables(tables: Any) -> Any:
    if tables is None:
        from analysis.model.load import load

        return load()
    return tables


def _frame(tables: Any, name: str) -> pd.DataFrame:
    if isinstance(tables, dict):
        return tables.get(name, pd.DataFrame())
    return getattr(tables, name)


def _countries_with(df: pd.DataFrame, mask: pd.Series | None = None) -> set[str]:
    if df.empty or "country" not in df.columns:
        return set()
    if mask is not None:
        df = df[mask]
    return {c for c in df["country"].dropna()}


def _records(tables: Any, mechanism: str) -> set[str]:
    if mechanism == "cctld":
        return _countries_with(_frame(tables, "cctlds"))
    if mechanism in ("igf", "youth_igf"):
        ini = _frame(tables, "igf_initiatives")
        if ini.empty:
            return set()
        kind = "national" if mechanism == "igf" else "youth"
        return _countries_with(ini, ini["kind"] == kind)
    if mechanism == "body":
        return _countries_with(_frame(tables, "ms_bodies"))
    raise ValueError(
        f"unknown mechanism '{mechanism}'; choose from {', '.join(vocab.CODES['mechanism'])}"
    )


def coverage(
    tables: Any = None,
    mechanisms: Sequence[str] = MECHANISMS,
    jurisdictions: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Jurisdiction x mechanism grid of ``known`` / ``none`` / ``not found`` / ``unresearched``.

    Rows are the jurisdictions of the ``countries`` table (or ``jurisdictions``, which may name
    ones without a data file: they come out unresearched), sorted by code; the index is ``country``.
    """
    tables = _tables(tables)
    countries = _frame(tables, "countries")
    codes = sorted(jurisdictions) if jurisdictions is not None else sorted(countries["code"])
    absences = _frame(tables, "absences")
    found: dict[tuple[str, str], str] = {}
    if not absences.empty:
        for c, m, f in absences[["country", "mechanism", "finding"]].itertuples(index=False):
            found[(c, m)] = NONE if f == "none" else NOT_FOUND
    grid: dict[str, list[str]] = {}
    for m in mechanisms:
        have = _records(tables, m)
        col = []
        for c in codes:
            if c in have:
                col.append(KNOWN)
            else:
                col.append(found.get((c, m), UNRESEARCHED))
        grid[m] = col
    out = pd.DataFrame(grid, index=pd.Index(codes, name="country"), columns=list(mechanisms))
    return out


def confidence_shares(tables: Any = None) -> pd.DataFrame:
    """Share of fact records by confidence, per jurisdiction, for regional records and overall.

    Counts the rows of :data:`FACT_TABLES`. Columns: ``records`` (count) and one share (0..1)
    per confidence level; rows: jurisdiction codes, then ``regional`` (records without a
    jurisdiction, if any), then ``all``.
    """
    tables = _tables(tables)
    levels = list(vocab.CODES["confidence"])
    parts = []
    for name in FACT_TABLES:
        df = _frame(tables, name)
        if df.empty:
            continue
        parts.append(df[["country", "confidence"]])
    if parts:
        facts = pd.concat(parts, ignore_index=True)
    else:
        facts = pd.DataFrame(
            {"country": pd.Series(dtype=object), "confidence": pd.Series(dtype=object)}
        )
    facts = facts.assign(
        country=facts["country"].astype(object).where(facts["country"].notna(), REGIONAL)
    )

    countries = _frame(tables, "countries")
    codes = sorted(countries["code"]) if not countries.empty else []
    order = codes + sorted(set(facts["country"]) - set(codes) - {REGIONAL})
    if (facts["country"] == REGIONAL).any():
        order.append(REGIONAL)

    def row(sub: pd.DataFrame) -> dict[str, Any]:
        n = len(sub)
        counts = sub["confidence"].value_counts()
        return {"records": n, **{lv: (counts.get(lv, 0) / n if n else 0.0) for lv in levels}}

    rows = {c: row(facts[facts["country"] == c]) for c in order}
    rows[ALL] = row(facts)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["records", *levels])
    out.index.name = "country"
    out["records"] = out["records"].astype(int)
    return out


def _text_table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def _md_table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    def esc(s: str) -> str:
        return s.replace("|", "\\|")

    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def render_coverage(
    tables: Any = None, markdown: bool = False, mechanisms: Sequence[str] = MECHANISMS
) -> str:
    """Coverage grid with confidence shares, as plain text (terminal) or Markdown (README)."""
    tables = _tables(tables)
    grid = coverage(tables, mechanisms)
    shares = confidence_shares(tables)
    countries = _frame(tables, "countries")
    names = (
        dict(zip(countries["code"], countries["name"], strict=True)) if not countries.empty else {}
    )
    levels = list(vocab.CODES["confidence"])

    def pct(x: float) -> str:
        return f"{100 * x:.0f}%"

    header = ["code", "jurisdiction", *(_LABELS.get(m, m) for m in mechanisms), "records", *levels]
    right = set(range(2 + len(mechanisms), len(header)))
    rows: list[list[str]] = []
    for code, cells in grid.iterrows():
        s = shares.loc[code] if code in shares.index else None
        conf = (
            [str(int(s["records"])), *(pct(s[lv]) for lv in levels)]
            if s is not None
            else ["0", *("" for _ in levels)]
        )
        rows.append([str(code), names.get(code, ""), *(str(cells[m]) for m in mechanisms), *conf])
    for extra in (REGIONAL, ALL):
        if extra in shares.index:
            s = shares.loc[extra]
            label = "regional initiatives" if extra == REGIONAL else "all records"
            rows.append(
                [
                    extra,
                    label,
                    *("" for _ in mechanisms),
                    str(int(s["records"])),
                    *(pct(s[lv]) for lv in levels),
                ]
            )
    table = (_md_table if markdown else _text_table)(header, rows, right)

    counts = []
    for m in mechanisms:
        vc = grid[m].value_counts()
        parts = ", ".join(f"{vc.get(st, 0)} {st}" for st in COVERAGE_STATES)
        counts.append(f"{_LABELS.get(m, m)}: {parts}")
    legend = (
        "known: a record exists; none: sourced absence; not found: searched, unknown (never 'no');"
        " unresearched: neither. Shares: fact records by confidence."
    )
    if markdown:
        summary = "\n".join(f"- {c}" for c in counts)
        return f"{table}\n\n{summary}\n\n{legend}\n"
    return f"{table}\n\n" + "\n".join(counts) + f"\n\n{legend}\n"


# --------------------------------------------------------------------------------------------
# How much of the panel the data can speak to (the README's figures)
# --------------------------------------------------------------------------------------------


def render_coverage_markdown() -> str:
    """The README block ``<!-- generated: analysis.measures.coverage.render_coverage_markdown -->``:
    :func:`render_coverage` of the shipped data as Markdown."""
    return render_coverage(markdown=True)


def panel_figures(tables: Any = None, start: int = 2010, end: int = 2024) -> dict[str, Any]:
    """Measured figures on the adoption panel for ``start..end``.

    ``known``: share of country-year cells not ``unknown``, per mechanism and overall;
    ``igf_years``: per national IGF, years with an edition held (recorded or bridged by ordinals)
    over the years since its first activity (to ``end``); ``dormant``: the number of dormant
    cells and how many of them cite a source for the pause.
    """
    from analysis.measures.panel import adoption_panel

    tables = _tables(tables)
    panel = adoption_panel(tables)
    win = panel[(panel["year"] >= start) & (panel["year"] <= end)]
    known = {m: float((g["state"] != "unknown").mean()) for m, g in win.groupby("mechanism")}
    known["all"] = float((win["state"] != "unknown").mean())
    ini = tables.igf_initiatives
    igf_years: dict[str, tuple[int, int]] = {}
    for _, i in ini[ini["kind"] == "national"].iterrows():
        eds = tables.igf_editions[tables.igf_editions["initiative"] == i["id"]]
        if eds.empty:
            continue
        first = int(eds["year"].min())
        cells = panel[(panel["country"] == i["country"]) & (panel["mechanism"] == "igf")]
        cells = cells[(cells["year"] >= first) & (cells["year"] <= end)]
        igf_years[str(i["id"])] = (int((cells["state"] == "held").sum()), end - first + 1)
    dormant = panel[panel["state"] == "dormant"]
    return {
        "known": known,
        "igf_years": igf_years,
        "dormant": (len(dormant), int((dormant["sources"].str.len() > 0).sum())),
    }


def render_panel_figures(tables: Any = None, start: int = 2010, end: int = 2024) -> str:
    """The figures of :func:`panel_figures` as Markdown."""
    f = panel_figures(tables, start, end)
    k = f["known"]
    lines = [
        f"Cells known (not unknown), {start}-{end}: ccTLD {k.get('cctld', 0):.0%},"
        f" IGF {k.get('igf', 0):.0%}, MS body {k.get('body', 0):.0%}, all {k['all']:.0%}.",
        "",
        "| national IGF | years held / years since first activity |",
        "|---|---:|",
    ]
    for ini, (held, span) in sorted(f["igf_years"].items()):
        lines.append(f"| {ini} | {held} / {span} |")
    n, cited = f["dormant"]
    lines += ["", f"Dormant cells: {n}, of which {cited} cite a source for the pause."]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Sources by reliability and kind; facts resting only on low-reliability pages
# --------------------------------------------------------------------------------------------

RELIABILITY_ORDER = ("high", "medium", "low")


def source_table(tables: Any = None) -> pd.DataFrame:
    """Sources by kind (rows, most sources first) and reliability (columns high/medium/low, total)."""
    src = _frame(_tables(tables), "sources")
    counts = pd.crosstab(src["kind"], src["reliability"]).reindex(
        columns=list(RELIABILITY_ORDER), fill_value=0
    )
    counts["total"] = counts.sum(axis=1)
    counts = counts.sort_values(["total", "high"], ascending=False, kind="stable")
    counts.index = [vocab.label(str(k)) for k in counts.index]
    counts.loc["all"] = counts.sum()
    return counts.astype(int)


def weak_only_facts(tables: Any = None) -> pd.DataFrame:
    """Every citation (a record's ``sources`` or one field's ``<field>_sources``) whose cited ids
    are all of ``low`` reliability (AI-generated pages, aggregators, mirrors of unknown fidelity):
    one row per (table, country, record, field)."""
    from analysis.measures.panel import is_weak, weak_sources
    from analysis.model.values import source_ids

    t = _tables(tables)
    low = weak_sources(t)
    rows: list[dict[str, Any]] = []
    for name, df in t.as_dict().items():
        if name in ("sources", "conflicts") or df.empty:
            continue
        key = next((k for k in ("id", "tld", "initiative", "mechanism_id") if k in df), None)
        for col in [c for c in df.columns if c == "sources" or c.endswith("_sources")]:
            for i, value in df[col].items():
                # the panel's own rule, without its `recalled` half: cited, and only low sources
                if not is_weak(None, source_ids(value), low):
                    continue
                rows.append(
                    {
                        "table": name,
                        "country": df.at[i, "country"] if "country" in df else None,
                        "record": None if key is None else df.at[i, key],
                        "field": "record" if col == "sources" else col[: -len("_sources")],
                        "sources": value,
                    }
                )
    return pd.DataFrame(rows, columns=["table", "country", "record", "field", "sources"])


def weak_source_cells(tables: Any = None, start: int = 2010, end: int = 2024) -> int:
    """Panel cells of ``start..end`` whose state is known but rests only on low-reliability
    sources (``evidence`` weak without being ``recalled``): the weak facts that move a cell."""
    from analysis.measures.panel import adoption_panel

    panel = adoption_panel(_tables(tables))
    win = panel[(panel["year"] >= start) & (panel["year"] <= end)]
    weak = win[(win["evidence"] == "weak") & (win["confidence"] != "recalled")]
    return len(weak)


def render_sources(tables: Any = None) -> str:
    """The README's "Sources" block: the source table and the weak-only counts (Markdown)."""
    t = _tables(tables)
    table = source_table(t)
    header = ["kind", *RELIABILITY_ORDER, "total"]
    rows = [[str(k), *(str(int(v)) for v in r)] for k, r in table.iterrows()]
    weak = weak_only_facts(t)
    cells = weak_source_cells(t)
    by_table = weak.groupby("table").size().sort_values(ascending=False)
    parts = ", ".join(f"{vocab.label(str(k))} {int(v)}" for k, v in by_table.items())
    return "\n".join(
        [
            _md_table(header, rows, set(range(1, 5))),
            "",
            f"Citations resting only on low-reliability pages: {len(weak)}"
            + (f" ({parts})" if parts else "")
            + f"; panel cells 2010-2024 whose state rests only on them: {cells}"
            " (they count as weak evidence: the index bounds treat them like unknowns).",
        ]
    )
