"""The exports: a valid Frictionless Data Package (v2), CSVs and an XLSX workbook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis import export as ex
from analysis.load import TABLES

REQUIRED_RESOURCES = {
    "countries",
    "cctlds",
    "cctld_events",
    "igf_initiatives",
    "igf_editions",
    "ms_bodies",
    "assessments",
    "terms",
    "sources",
}
EXPECTED_COLUMNS = {
    "countries": {"code", "name", "subregion", "scope_role", "languages", "eu_status"},
    "cctlds": {
        "country",
        "tld",
        "idn",
        "status",
        "manager",
        "manager_local",
        "legal_form",
        "multistakeholder",
        "manager_since",
        "delegated",
        "confidence",
        "sources",
    },
    "cctld_events": {"country", "tld", "date", "type", "confidence", "sources"},
    "igf_initiatives": {
        "country",
        "id",
        "kind",
        "name",
        "acronym",
        "established",
        "first_year",
        "status",
        "confidence",
        "sources",
    },
    "igf_editions": {"initiative", "country", "kind", "year", "number", "confidence", "sources"},
    "ms_bodies": {
        "country",
        "id",
        "name",
        "type",
        "established",
        "legal_basis",
        "multistakeholder",
        "confidence",
        "sources",
    },
    "assessments": {
        "country",
        "mechanism_id",
        "dimension",
        "value",
        "text",
        "confidence",
        "sources",
    },
    "absences": {"country", "mechanism", "finding", "confidence", "sources"},
    "terms": {"language", "language_code", "rendering", "collapses", "confidence", "sources"},
    "sources": {"id", "title", "url", "kind", "reliability", "accessed"},
}
IDN = {"срб", "бг", "рф", "укр", "мкд", "հայ", "გე", "ελ"}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@pytest.fixture(scope="module")
def out(tables, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("export") / "data"
    ex.export(d, tables=tables)
    return d


@pytest.fixture(scope="module")
def descriptor(out) -> dict:
    return json.loads((out / "datapackage.json").read_text(encoding="utf-8"))


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def test_files_written(out):
    names = {p.name for p in out.iterdir()}
    assert {"datapackage.json", "multisee.xlsx"} <= names
    assert {f"{t}.csv" for t in TABLES} <= names
    # nothing left over from the temporary directory
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_datapackage_validates(out):
    from frictionless import Package

    report = Package(str(out / "datapackage.json")).validate()
    errors = [f"{t.name}: {e.type}: {e.message}" for t in report.tasks for e in t.errors]
    errors += [f"package: {e.type}: {e.message}" for e in report.errors]
    assert report.valid, "\n".join(errors[:30])


def test_package_metadata(descriptor):
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["name"] == "multisee"
    assert descriptor["title"] and descriptor["description"]
    assert descriptor["version"] == ex.package_version()
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["contributors"] and descriptor["keywords"] and descriptor["created"]


def test_resource_names(descriptor):
    names = [r["name"] for r in descriptor["resources"]]
    assert REQUIRED_RESOURCES <= set(names)
    assert set(TABLES) <= set(names)
    for r in descriptor["resources"]:
        assert r["path"] == f"{r['name']}.csv"
        assert r["encoding"] == "utf-8"
        assert r["schema"]["missingValues"] == [""]


def test_column_names(out, descriptor):
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    for table, expected in EXPECTED_COLUMNS.items():
        header = list(_read(out / f"{table}.csv").columns)
        assert expected <= set(header), (table, expected - set(header))
        assert header == [f["name"] for f in schemas[table]["fields"]]
    for name, s in schemas.items():
        bad = [f["name"] for f in s["fields"] if not SNAKE.match(f["name"])]
        assert not bad, (name, bad)


def test_fields_are_described_and_coded(descriptor):
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    for table in TABLES:
        for f in schemas[table]["fields"]:
            assert f.get("description"), (table, f["name"])
    fields = {f["name"]: f for f in schemas["cctlds"]["fields"]}
    assert fields["multistakeholder"]["categories"] == ["yes", "partly", "no"]
    assert fields["multistakeholder"]["categoriesOrdered"] is True
    assert fields["multistakeholder"]["constraints"]["enum"] == ["yes", "partly", "no"]
    assert fields["idn"]["type"] == "boolean"
    assert fields["manager_since"]["type"] == "year"
    assert schemas["igf_editions"]["primaryKey"] == ["initiative", "year"]
    fks = schemas["igf_editions"]["foreignKeys"]
    assert {
        "fields": ["initiative"],
        "reference": {"resource": "igf_initiatives", "fields": ["id"]},
    } in fks
    assert schemas["cctlds"]["foreignKeys"][0]["reference"] == {
        "resource": "countries",
        "fields": ["code"],
    }


def test_primary_keys_unique(out, descriptor):
    for r in descriptor["resources"]:
        pk = r["schema"].get("primaryKey")
        if not pk:
            continue
        df = _read(out / r["path"])
        assert not (df[pk] == "").any().any(), (r["name"], "empty key")
        dup = df[df.duplicated(pk, keep=False)][pk]
        assert dup.empty, (r["name"], dup.to_dict("records"))


def test_row_counts_equal_loaded(tables, out):
    for name, frame in tables.as_dict().items():
        assert len(_read(out / f"{name}.csv")) == len(frame), name


def test_integers_without_decimal_part(out, descriptor):
    for r in descriptor["resources"]:
        df = _read(out / r["path"])
        for f in r["schema"]["fields"]:
            if f["type"] in ("integer", "year"):
                vals = df[f["name"]][df[f["name"]] != ""]
                assert vals.str.fullmatch(r"-?\d+").all(), (r["name"], f["name"], list(vals[:5]))


def test_xlsx(tables, out):
    from openpyxl import load_workbook

    wb = load_workbook(out / "multisee.xlsx", read_only=True)
    assert wb.sheetnames[0] == "README"
    assert wb.sheetnames == ["README", *TABLES]
    assert all(len(n) <= 31 for n in wb.sheetnames)
    readme = [c for row in wb["README"].iter_rows(values_only=True) for c in row if c]
    text = " ".join(str(c) for c in readme)
    assert "CC-BY-4.0" in text and tables.data_hash in text
    for level in ("sourced", "inferred", "recalled"):
        assert level in readme
    for name, frame in tables.as_dict().items():
        ws = wb[name]
        assert ws.max_row - 1 == len(frame), name
    wb.close()


def test_active_idn_cctlds(tables):
    t = tables.cctlds
    active_idn = set(t[t["idn"].astype(bool) & (t["status"] == "active")]["tld"])
    assert active_idn == IDN


def test_csv_only(tables, tmp_path):
    written = ex.export(tmp_path / "csv", formats=["csv"], tables=tables)
    assert {p.name for p in written} == {f"{t}.csv" for t in TABLES}


def test_unknown_format(tables, tmp_path):
    from analysis.errors import UserError

    with pytest.raises(UserError):
        ex.export(tmp_path / "x", formats=["parquet"], tables=tables)
    assert not (tmp_path / "x").exists()


def test_failure_leaves_nothing(tables, tmp_path, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(ex, "_write_xlsx", boom)
    with pytest.raises(RuntimeError):
        ex.export(tmp_path / "out", tables=tables)
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_extra_resource(tables, tmp_path):
    from frictionless import Package

    panel = pd.DataFrame(
        {"country": ["RS", "BG"], "year": [2015, 2016], "ms_cctld": [1, None], "score": [0.5, 1.0]}
    )
    schema = {
        "description": "A derived panel.",
        "fields": [
            {"name": "country", "type": "string", "description": "Jurisdiction."},
            {"name": "year", "type": "year"},
        ],
        "primaryKey": ["country", "year"],
        "foreignKeys": [
            {"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}}
        ],
    }
    d = tmp_path / "pkg"
    ex.export(d, formats=["datapackage"], tables=tables, extra={"adoption_panel": (panel, schema)})
    desc = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in desc["resources"]}["adoption_panel"]
    assert res["description"] == "A derived panel."
    types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    assert types == {"country": "string", "year": "year", "ms_cctld": "integer", "score": "number"}
    assert (d / "adoption_panel.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "RS,2015,1,0.5",
        "BG,2016,,1.0",
    ]
    report = Package(str(d / "datapackage.json")).validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:10]


def test_loaded_columns_documented(tables):
    """Every column the loader produces is documented (or a nested record flattened elsewhere)."""
    for name, frame in tables.as_dict().items():
        spec = ex.TABLE_SPECS[name]
        undocumented = set(frame.columns) - set(spec.column_names) - spec.dropped
        assert not undocumented, (name, sorted(undocumented))
