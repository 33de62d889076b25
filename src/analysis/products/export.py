"""Write the tables as a Frictionless Data Package (v2), CSV files and an XLSX workbook.

What the tables are (columns, types, codes, keys, descriptions) and the package metadata come from
the table catalogue (:mod:`analysis.model.catalog`); this module only writes them. :func:`export`
writes the whole package: the loaded tables and the derived ones (adoption panel, Multi-SEE index,
research queue), which it computes itself, so ``export()`` from Python and ``multisee export``
write the same files.

``export()`` writes into a temporary directory beside ``out_dir`` and moves the finished files into
place only when everything has been written, so a failure leaves no half-written export behind.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.model import vocab
from analysis.model.atomic import TMP_MARK
from analysis.model.catalog import (
    CITATION,
    CONTRIBUTORS,
    DERIVED_TABLES,
    DESCRIPTION,
    KEYWORDS,
    LICENSE,
    NAME,
    RAW_TABLES,
    TABLE_SPECS,
    TABLES,
    TITLE,
    Column,
    export_columns,
)
from analysis.model.errors import UserError
from analysis.model.load import Tables
from analysis.model.release import package_version
from analysis.model.values import value_or_none
from analysis.model.vocab import SEP

DP_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
FORMATS = ("datapackage", "xlsx", "csv")
XLSX_NAME = "multisee.xlsx"
DATAPACKAGE_NAME = "datapackage.json"

# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def _text(v: Any) -> str | None:
    if value_or_none(v) is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def infer_column(name: str, series: pd.Series) -> Column:
    """A column spec for an undocumented column, from its dtype."""
    if pd.api.types.is_bool_dtype(series):
        typ = "boolean"
    elif pd.api.types.is_integer_dtype(series):
        typ = "integer"
    elif pd.api.types.is_float_dtype(series):
        vals = series.dropna()
        typ = "integer" if len(vals) and bool((vals == vals.round()).all()) else "number"
    else:
        typ = "string"
    return Column(name, typ, "")


def _column_from_descriptor(d: Mapping[str, Any]) -> Column:
    cons = d.get("constraints", {})
    return Column(
        name=d["name"],
        type=d.get("type", "string"),
        description=d.get("description", ""),
        required=bool(cons.get("required", False)),
    )


def typed_frame(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """The frame with exactly ``columns``, each cast to its type (nullable integers as Int64)."""
    out: dict[str, pd.Series] = {}
    n = len(frame)
    for c in columns:
        if c.name in frame.columns:
            s = frame[c.name]
        else:
            s = pd.Series([None] * n, index=frame.index, dtype="object")
        if c.type in ("integer", "year"):
            s = pd.to_numeric(s, errors="raise").astype("Int64")
        elif c.type == "number":
            s = pd.to_numeric(s, errors="raise").astype("Float64")
        elif c.type == "boolean":
            s = s.astype("boolean")
        else:
            s = pd.Series([_text(v) for v in s], index=frame.index, dtype="object")
        out[c.name] = s
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a single quote in front when a spreadsheet would read it as a formula
    (OWASP: a string starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _csv_cell(v: Any, raw: bool = False) -> str:
    if value_or_none(v) is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, str):  # numbers (a negative one too) are never neutralised
        return v if raw else neutralise(v)
    return str(v)


def write_csv(frame: pd.DataFrame, path: Path, *, raw: bool = False) -> None:
    """UTF-8 CSV, comma-separated, minimal quoting, "\\n" line ends, empty cell for missing.

    Text cells a spreadsheet would run as formulas get a leading ``'`` (:func:`neutralise`)
    unless ``raw``."""
    # The csv module quotes a field holding a character of the line terminator: with "\r\n" a
    # field with a lone "\r" is quoted too; each line's "\r\n" is then written as "\n".
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        rows = itertools.chain([list(frame.columns)], frame.itertuples(index=False, name=None))
        for row in rows:
            buf.seek(0)
            buf.truncate()
            w.writerow([_csv_cell(v, raw) for v in row])
            fh.write(buf.getvalue()[:-2] + "\n")


@dataclass
class _Resource:
    name: str
    frame: pd.DataFrame  # typed
    schema: dict[str, Any]
    title: str | None
    description: str | None
    columns: list[Column]


def _resources(
    tables: Mapping[str, pd.DataFrame],
    extra: Mapping[str, tuple[pd.DataFrame, Mapping[str, Any]]] | None,
) -> list[_Resource]:
    out: list[_Resource] = []
    for name, frame in tables.items():
        spec = TABLE_SPECS.get(name)
        if spec is None:
            cols = [infer_column(c, frame[c]) for c in frame.columns]
            ts: dict[str, Any] = {
                "fields": [c.field_descriptor() for c in cols],
                "missingValues": [""],
            }
            out.append(_Resource(name, typed_frame(frame, cols), ts, None, None, cols))
            continue
        cols = [c for c in export_columns(name) if c.name in frame.columns or c in spec.columns]
        known = {c.name for c in cols} | spec.dropped
        cols += [infer_column(c, frame[c]) for c in frame.columns if c not in known]
        ts = spec.table_schema()
        ts["fields"] = [c.field_descriptor() for c in cols]
        typed = typed_frame(frame, cols)
        if spec.derived:
            typed = _rounded(typed, cols)
        out.append(_Resource(name, typed, ts, spec.title, spec.description, cols))
    for name, (frame, given) in (extra or {}).items():
        if name in tables or name in TABLE_SPECS:
            raise UserError(f"extra resource '{name}' clashes with a table of the same name")
        given = dict(given)
        title = given.pop("title", None)
        description = given.pop("description", None)
        declared = {f["name"]: f for f in given.get("fields", [])}
        fields_: list[dict[str, Any]] = []
        cols = []
        for cname in frame.columns:
            if cname in declared:
                d = dict(declared[cname])
                d.setdefault("type", infer_column(cname, frame[cname]).type)
                col = _column_from_descriptor(d)
            else:
                col = infer_column(cname, frame[cname])
                d = col.field_descriptor()
                d.pop("description", None)
            fields_.append(d)
            cols.append(col)
        missing = set(declared) - set(frame.columns)
        if missing:
            raise UserError(
                f"extra resource '{name}': schema fields not in the frame: {sorted(missing)}"
            )
        ts = {**given, "fields": fields_}
        ts.setdefault("missingValues", [""])
        out.append(_Resource(name, typed_frame(frame, cols), ts, title, description, cols))
    return out


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _descriptor(
    resources: Sequence[_Resource], tmp: Path, *, created: str, data_hash: str | None
) -> dict[str, Any]:
    res = []
    for r in resources:
        path = tmp / f"{r.name}.csv"
        entry: dict[str, Any] = {"name": r.name, "type": "table", "path": path.name}
        if r.title:
            entry["title"] = r.title
        if r.description:
            entry["description"] = r.description
        entry.update(
            {
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{_sha256(path)}",
                "schema": r.schema,
            }
        )
        res.append(entry)
    version = package_version()
    desc: dict[str, Any] = {
        "$schema": DP_PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "contributors": CONTRIBUTORS,
        "keywords": KEYWORDS,
        "citation": CITATION.format(version=version),
    }
    if data_hash:
        desc["dataHash"] = f"sha256:{data_hash}"
    desc["resources"] = res
    return desc


def _xlsx_value(v: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value_or_none(v) is None:
        return None
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        return v if len(v) <= 32767 else v[:32760] + " [...]"
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def _append(ws: Any, values: Sequence[Any]) -> None:
    """Append a row; every text cell is stored as text, never as a formula (openpyxl makes a
    string starting with ``=`` a formula unless told otherwise)."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def sheet_name(name: str, taken: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    out, i = base, 1
    while out.lower() in {t.lower() for t in taken}:
        suffix = f"~{i}"
        out = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(out)
    return out


def _write_xlsx(
    resources: Sequence[_Resource], path: Path, *, created: str, data_hash: str | None
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    version = package_version()
    rows: list[list[Any]] = []
    headers: set[int] = set()

    def add(*row: Any, header: bool = False) -> None:
        rows.append(list(row))
        if header:
            headers.add(len(rows))

    add(TITLE)
    add()
    add("Description", DESCRIPTION)
    add("Version", version)
    add("Created", created)
    add("Licence", f"{LICENSE['title']} ({LICENSE['name']}), {LICENSE['path']}")
    add("Citation", CITATION.format(version=version))
    add("Data hash", f"sha256:{data_hash}" if data_hash else "")
    add("Missing values", "An empty cell is a missing value.")
    add("Lists", f"List-valued cells are joined with '{SEP}'.")
    add("Formulas", "None: every text cell is stored as text, never run as a formula.")
    for code, label in (("confidence", "Confidence"), ("reliability", "Source reliability")):
        add()
        add(label, "Definition", header=True)
        for k, v in vocab.CODES[code].items():
            add(k, v)
    add()
    add("Sheet", "Rows", "Description", header=True)
    taken = {"README"}
    names: dict[str, str] = {}
    for r in resources:
        names[r.name] = sheet_name(r.name, taken)
        add(names[r.name], len(r.frame), r.description or r.title or "")
    add()
    add("Sheet", "Column", "Type", "Description", header=True)
    for r in resources:
        for c in r.columns:
            add(names[r.name], c.name, c.display_type, c.field_descriptor()["description"])
    for row in rows:
        _append(ws, row)
    ws["A1"].font = Font(bold=True, size=14)
    for i in headers:
        for cell in ws[i]:
            cell.font = bold
    for letter, width in zip("ABCD", (22, 60, 30, 100), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3, max_row=10):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    for r in resources:
        sh = wb.create_sheet(names[r.name])
        _append(sh, list(r.frame.columns))
        for cell in sh[1]:
            cell.font = bold
        for row in r.frame.itertuples(index=False, name=None):
            _append(sh, row)
        sh.freeze_panes = "A2"
        if len(r.frame.columns):
            sh.auto_filter.ref = sh.dimensions
        for col_cells in sh.iter_cols(min_row=1, max_row=min(sh.max_row, 200)):
            width = max((len(str(c.value)) for c in col_cells if c.value is not None), default=8)
            sh.column_dimensions[col_cells[0].column_letter].width = min(max(width, 8) + 2, 60)
    wb.save(path)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Decimals of the exported numbers of the derived tables (scores; said in their descriptions).
DECIMALS = 3


def _with_names(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    out = frame.copy()
    out.insert(out.columns.get_loc("country") + 1, "name", out["country"].map(names))
    return out


def index_sensitivity(panel: pd.DataFrame, index: pd.DataFrame) -> pd.DataFrame:
    """The 5th/50th/95th percentiles of each jurisdiction's score and rank under random weights
    (:func:`analysis.measures.robustness.robustness`, the weights alone varied), for every year of the
    index."""
    from analysis.measures.robustness import robustness
    from analysis.measures.selection import Period

    parts = []
    for year in sorted(index["year"].unique()):
        period = Period(int(year), 1, "", False)
        part = robustness(panel, period, choices=("weights",)).intervals
        part.insert(1, "year", int(year))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    roles = index[["country", "year", "scope_role"]]
    out = out.merge(roles, on=["country", "year"], how="left")
    cols = ["country", "scope_role", "year"]
    return out[cols + [c for c in out.columns if c not in cols]]


def index_robustness(panel: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """Rank, rank interval and variance attribution of the default ranking
    (:func:`analysis.measures.robustness.robustness` over :func:`analysis.measures.selection.resolve_period`)."""
    from analysis.measures.robustness import robustness
    from analysis.measures.selection import resolve_period
    from analysis.measures.stock import period_index

    period = resolve_period(None, panel, tables)
    cols = ["country", "scope_role", "year", "window", "score", "low", "high", "rank"]
    ranking = period_index(panel, period)[cols]
    rob = robustness(panel, period)
    keep = ["country", "rank_p05", "rank_p50", "rank_p95"]
    out = ranking.merge(rob.intervals[keep], on="country").merge(rob.attribution, on="country")
    return out.sort_values("country", ignore_index=True)


def derived_tables(tables: Tables) -> dict[str, pd.DataFrame]:
    """The derived tables of the catalogue (:data:`analysis.model.catalog.DERIVED_TABLES`), computed
    from the loaded ``tables``: the adoption panel, the Multi-SEE index (with the jurisdictions'
    names; not-applicable cells left out), the research queue, the index's sensitivity to its
    weights, the robustness of the default ranking and the quality sub-score."""
    from analysis.measures.applicability import mark_not_applicable
    from analysis.measures.gaps import gaps
    from analysis.measures.panel import adoption_panel
    from analysis.measures.quality import quality
    from analysis.measures.scoring import multisee_index
    from analysis.measures.selection import country_names

    panel = adoption_panel(tables)
    scored = mark_not_applicable(panel, tables)
    index = multisee_index(scored)
    names = country_names(tables)
    return {
        "adoption_panel": panel,
        "index": _with_names(index, names),
        "gaps": gaps(tables, panel=panel),
        "index_sensitivity": _with_names(index_sensitivity(scored, index), names),
        "index_robustness": _with_names(index_robustness(scored, tables), names),
        "quality": _with_names(quality(tables), names),
    }


def _rounded(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """``frame`` with its number columns rounded to :data:`DECIMALS` (derived tables)."""
    out = frame.copy()
    for c in columns:
        if c.type == "number" and c.name in out.columns:
            out[c.name] = out[c.name].round(DECIMALS)
    return out


def _frames(tables: Any, derived: bool) -> dict[str, pd.DataFrame]:
    """The frames to write, in catalogue order, with the derived tables computed if asked."""
    frames: dict[str, pd.DataFrame] = (
        tables.as_dict() if hasattr(tables, "as_dict") else dict(tables)
    )
    if derived and any(t not in frames for t in DERIVED_TABLES):
        missing = [t for t in RAW_TABLES if t not in frames]
        if missing:
            raise UserError(
                f"the derived tables need every loaded table, missing: {', '.join(missing)}"
                " (or export with derived=False)"
            )
        if not isinstance(tables, Tables):
            raw = {t: frames[t] for t in RAW_TABLES}
            tables = Tables(**raw, data_hash=getattr(tables, "data_hash", ""))
        for name, frame in derived_tables(tables).items():
            frames.setdefault(name, frame)
    order = [t for t in TABLES if t in frames] + [t for t in frames if t not in TABLE_SPECS]
    return {t: frames[t] for t in order}


def export(
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    tables: Any = None,
    *,
    extra: Mapping[str, tuple[pd.DataFrame, Mapping[str, Any]]] | None = None,
    created: str | None = None,
    derived: bool = True,
    raw_csv: bool = False,
) -> list[Path]:
    """Export the tables into ``out_dir`` and return the written files.

    ``formats``: ``datapackage`` (``datapackage.json`` and one CSV per table), ``csv`` (the CSVs
    alone), ``xlsx`` (``multisee.xlsx``: a README sheet and one sheet per table). ``tables``: a
    :class:`analysis.model.load.Tables` or a mapping name -> DataFrame (default: ``load()``).
    ``derived``: also write the derived tables of the catalogue (adoption panel, index, research
    queue), computed from ``tables`` unless given among them; ``False`` writes the loaded tables
    alone. ``extra``: more resources, name -> (frame, Table Schema); the schema may be partial
    (missing fields are inferred) and may carry ``title`` and ``description`` for the resource.
    ``created``: ISO 8601 timestamp for the package (default: now, UTC).
    ``raw_csv``: write CSV text cells exactly as they are; by default a text cell starting with
    ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` so that a spreadsheet
    shows it instead of running it as a formula (the XLSX always stores text as text).
    """
    fmts = [f.lower() for f in ([formats] if isinstance(formats, str) else formats)]
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise UserError(
            f"unknown export format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}"
        )
    if not fmts:
        return []
    if tables is None:
        from analysis.model.load import load

        tables = load()
    data_hash = getattr(tables, "data_hash", None)
    resources = _resources(_frames(tables, derived), extra)
    created = created or _now()

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{TMP_MARK}", dir=out_dir.parent))
    try:
        names: list[str] = []
        if "datapackage" in fmts or "csv" in fmts:
            for r in resources:
                write_csv(r.frame, tmp / f"{r.name}.csv", raw=raw_csv)
                names.append(f"{r.name}.csv")
        if "xlsx" in fmts:
            _write_xlsx(resources, tmp / XLSX_NAME, created=created, data_hash=data_hash)
            names.append(XLSX_NAME)
        if "datapackage" in fmts:
            desc = _descriptor(resources, tmp, created=created, data_hash=data_hash)
            text = json.dumps(desc, ensure_ascii=False, indent=2) + "\n"
            (tmp / DATAPACKAGE_NAME).write_text(text, encoding="utf-8")
            names.append(DATAPACKAGE_NAME)  # last: moved into place after the files it lists
        out_dir.mkdir(exist_ok=True)
        written = []
        for n in names:
            os.replace(tmp / n, out_dir / n)
            written.append(out_dir / n)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
