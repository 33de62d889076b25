"""``multisee import``: cells edited in the export (``multisee.xlsx`` or its CSV files) written back
into the YAML records, validated, with the fact-level diff of what changed.

A contributor without Git can open the workbook in a spreadsheet, correct a cell (a city, a year,
a source id list) and send the file back; :func:`import_cells` finds every cell that differs from
an export of the current data (made the same way, so a cell compares with what the export would
write), maps each one to its record and field in ``data/`` and rewrites that field in place:
other lines, comments, order and line endings stay as they are.

What can be imported: the fields of the records of :data:`KEYS` (jurisdictions, ccTLDs, IGF
initiatives and editions, MS bodies, absences, sources), identified by their key columns. A
changed key, a changed derived column (say ``country`` or ``kind`` of an edition, copied from its
initiative), an added or a removed row is an error that says how to make that change instead
(``multisee new``, or the YAML file); nothing is written then. After the edits the data must
validate; otherwise nothing is written either.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from analysis.measures import datadiff
from analysis.model import schema
from analysis.model.atomic import atomic_write
from analysis.model.errors import UserError
from analysis.model.paths import data_dir, project_root, rel
from analysis.model.validate import Dataset, Document, fmt_path, validate_files
from analysis.model.vocab import SEP
from analysis.model.yamledit import flow_list, scalar

#: Importable tables: key columns, and where their records are in the YAML files.
KEYS: dict[str, tuple[str, ...]] = {
    "countries": ("code",),
    "cctlds": ("tld",),
    "igf_initiatives": ("id",),
    "igf_editions": ("initiative", "year"),
    "ms_bodies": ("id",),
    "absences": ("country", "mechanism"),
    "sources": ("id",),
}


#: Columns that say where a record is, not what it says (never imported).
_LOCATION = {"file"}


@dataclass
class CellEdit:
    table: str
    key: tuple[str, ...]
    column: str
    old: str
    new: str
    file: Path
    where: tuple[str | int, ...]  #: path of the record in its file


@dataclass
class Imported:
    edits: list[CellEdit]
    files: list[Path]
    diff: datadiff.DataDiff


def _norm(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = str(v)
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@") else text


def read_tables(path: Path) -> dict[str, list[dict[str, str]]]:
    """The importable sheets of an XLSX workbook, or the CSV files of a folder (or one CSV named
    after its table), as rows of text cells."""
    out: dict[str, list[dict[str, str]]] = {}
    if path.is_dir() or path.suffix.lower() == ".csv":
        files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
        for f in files:
            if f.stem in KEYS:
                with open(f, encoding="utf-8", newline="") as fh:
                    out[f.stem] = [{k: _norm(v) for k, v in r.items()} for r in csv.DictReader(fh)]
        return out
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path}: give the exported multisee.xlsx, a CSV file or a folder of CSVs")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file: one line, not a traceback
        raise UserError(f"{path}: cannot read the workbook ({type(exc).__name__})") from None
    for name in wb.sheetnames:
        if name not in KEYS:
            continue
        rows = wb[name].iter_rows(values_only=True)
        header = [str(h) for h in next(rows, ()) if h is not None]
        out[name] = [
            {h: _norm(v) for h, v in zip(header, r, strict=False)}
            for r in rows
            if any(v not in (None, "") for v in r)
        ]
    return out


def _records(dataset: Dataset) -> Iterator[tuple[str, tuple[str, ...], Document, tuple[Any, ...]]]:
    """(table, key, document, path) of every importable record."""
    for doc in dataset.documents:
        d = doc.data if isinstance(doc.data, dict) else {}
        if doc.kind == "sources":
            for i, s in enumerate(d.get("sources") or []):
                yield "sources", (str(s.get("id")),), doc, ("sources", i)
            continue
        if doc.kind not in ("country", "regional"):
            continue
        code = str(d.get("code", ""))
        if doc.kind == "country":
            yield "countries", (code,), doc, ()
            for i, t in enumerate(d.get("cctlds") or []):
                yield "cctlds", (str(t.get("tld")),), doc, ("cctlds", i)
            for i, b in enumerate(d.get("ms_bodies") or []):
                yield "ms_bodies", (str(b.get("id")),), doc, ("ms_bodies", i)
            for i, a in enumerate(d.get("absences") or []):
                yield "absences", (code, str(a.get("mechanism"))), doc, ("absences", i)
        for i, ini in enumerate(d.get("igf_initiatives") or []):
            yield "igf_initiatives", (str(ini.get("id")),), doc, ("igf_initiatives", i)
            for j, e in enumerate(ini.get("editions") or []):
                key = (str(ini.get("id")), str(e.get("year")))
                yield "igf_editions", key, doc, ("igf_initiatives", i, "editions", j)


_MODELS: dict[str, type[BaseModel]] = {
    "countries": schema.CountryFile,
    "cctlds": schema.CcTLD,
    "igf_initiatives": schema.IGFInitiative,
    "igf_editions": schema.Edition,
    "ms_bodies": schema.MSBody,
    "absences": schema.Absence,
    "sources": schema.Source,
}


def _typed(table: str, column: str, text: str, old: Any) -> Any:
    """The YAML value for a cell's text: like the field's current value, else its schema type."""
    if text == "":
        return None
    ann = str(_MODELS[table].model_fields[column].annotation)
    if isinstance(old, list) or (old is None and "list" in ann):
        return [s.strip() for s in text.split(SEP.strip()) if s.strip()]
    if isinstance(old, bool) or (old is None and "bool" in ann):
        if text.lower() not in ("true", "false"):
            raise UserError(f"{table}.{column}: {text!r} is not true or false")
        return text.lower() == "true"
    if isinstance(old, int) or (old is None and "int" in ann and "str" not in ann):
        try:
            return int(text)
        except ValueError:
            raise UserError(f"{table}.{column}: {text!r} is not a whole number") from None
    return text


def _yaml_value(value: Any) -> str:
    return flow_list([str(v) for v in value]) if isinstance(value, list) else scalar(value)


def _set_field(
    lines: list[str], doc: Document, where: tuple[Any, ...], column: str, value: Any
) -> None:
    """Set ``column`` of the record at ``where`` to ``value`` (``None``: remove it), in place."""
    path = (*where, column)
    if path in doc.lines:
        i = doc.lines[path] - 1
        indent = len(lines[i]) - len(lines[i].lstrip(" -"))
        end = i + 1  # the value may continue on more-indented lines (a folded text)
        while end < len(lines) and (
            not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
        ):
            end += 1
        while end > i + 1 and not lines[end - 1].strip():
            end -= 1
        eol = lines[i][len(lines[i].rstrip("\r\n")) :]
        new = [] if value is None else [f"{lines[i][:indent]}{column}: {_yaml_value(value)}{eol}"]
        lines[i:end] = new
        return
    if value is None:
        return
    first = min(
        (p for p in doc.lines if p[: len(where)] == where and len(p) == len(where) + 1),
        key=lambda p: doc.lines[p],
    )
    i = doc.lines[first] - 1
    indent = len(lines[i]) - len(lines[i].lstrip(" -"))
    eol = lines[i][len(lines[i].rstrip("\r\n")) :]
    lines.insert(i + 1, f"{' ' * indent}{column}: {_yaml_value(value)}{eol}")


def find_edits(path: Path, root: Path | None = None) -> list[CellEdit]:
    """The cells of ``path`` that differ from an export of the current data (errors for what
    cannot be imported; see the module docstring)."""
    from analysis.model.load import build_tables, data_hash
    from analysis.products.export import export

    root = root or project_root()
    given = read_tables(path)
    if not given:
        raise UserError(f"{path}: no sheet or CSV of an importable table ({', '.join(KEYS)})")
    dataset, problems = validate_files([data_dir(root)])
    if problems:
        raise UserError(f"the data do not validate before the import: {problems[0]}")
    tables = build_tables(dataset, data_hash(root=data_dir(root)))
    with tempfile.TemporaryDirectory(prefix="multisee-import-") as tmp:
        export(Path(tmp), ["csv"], tables, derived=False)
        current = read_tables(Path(tmp))
    where = {(t, k): (doc, p) for t, k, doc, p in _records(dataset)}
    edits: list[CellEdit] = []
    for table, rows in sorted(given.items()):
        keys = KEYS[table]
        base = {tuple(r.get(k, "") for k in keys): r for r in current.get(table, [])}
        seen: set[tuple[str, ...]] = set()
        for n, row in enumerate(rows, start=2):
            key = tuple(row.get(k, "") for k in keys)
            label = f"{table} row {n} ({', '.join(key)})"
            if key not in base:
                raise UserError(
                    f"{label}: no such record (a new row or a changed key); add records with"
                    " `multisee new` or in the YAML file, then export again"
                )
            seen.add(key)
            doc, rec = where[(table, key)]
            fields = _MODELS[table].model_fields
            for column, new in row.items():
                old = base[key].get(column, "")
                if new == old or column in _LOCATION:
                    continue
                if column not in fields or column in keys:
                    raise UserError(
                        f"{label}: column '{column}' is derived or a key, not a field to edit"
                        f" here ({old!r} -> {new!r}); change it in {doc.name}"
                    )
                edits.append(CellEdit(table, key, column, old, new, doc.path, rec))
        gone = sorted(set(base) - seen)
        if gone:
            raise UserError(
                f"{table}: {len(gone)} row(s) missing, e.g. ({', '.join(gone[0])}); remove records"
                " in the YAML file (import changes cells only)"
            )
    return edits


def import_cells(path: Path, root: Path | None = None, dry_run: bool = False) -> Imported:
    """Write the edited cells of ``path`` into the data files (see the module docstring)."""
    root = root or project_root()
    edits = find_edits(path, root)
    before, _ = validate_files([data_dir(root)])
    docs = {d.path: d for d in before.documents}
    texts: dict[Path, str] = {}
    for f in sorted({e.file for e in edits}):
        with open(f, encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines(keepends=True)
        # bottom-up, so the line numbers of the edits still to make stay right
        for e in sorted((e for e in edits if e.file == f), key=lambda e: -_line(docs[f], e)):
            data = docs[f].data
            for part in e.where:
                data = data[part]
            value = _typed(e.table, e.column, e.new, data.get(e.column))
            _set_field(lines, docs[f], e.where, e.column, value)
        texts[f] = "".join(lines)
    with tempfile.TemporaryDirectory(prefix="multisee-import-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir(root), copy)
        for f, text in texts.items():
            target = copy / f.resolve().relative_to(data_dir(root).resolve())
            target.write_bytes(text.encode("utf-8"))
        after, problems = validate_files([copy])
        if problems:
            p = problems[0]
            raise UserError(
                f"after the import the data would not validate ({len(problems)} problem(s));"
                f" first: {p.file.replace(str(copy), 'data')}:{p.line}: {p.where}: {p.message};"
                " nothing written"
            )
        records_after = datadiff.records(after, Path(tmp))
    d = datadiff.DataDiff(
        datadiff.Side("data before the import", None, None),
        datadiff.Side(str(path.name), None, None),
        datadiff.diff_records(datadiff.records(before, root), records_after),
        effect=False,
    )
    if not dry_run:
        for f, text in texts.items():
            atomic_write(f, text)
    return Imported(edits, sorted(texts), d)


def _line(doc: Document, e: CellEdit) -> int:
    return doc.line((*e.where, e.column)) or 0


def describe(result: Imported) -> list[str]:
    out = [f"imported {len(result.edits)} cell(s) into {len(result.files)} file(s):"]
    out += [
        f"  {rel(e.file)}: {e.table} {'/'.join(e.key)} {e.column}: {e.old or '(empty)'} →"
        f" {e.new or '(empty)'}  [{fmt_path(e.where) or e.table}]"
        for e in result.edits
    ]
    return out
