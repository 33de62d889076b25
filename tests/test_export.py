"""The exports: a valid Frictionless Data Package (v2), CSVs and an XLSX workbook."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, multisee

from analysis.model import catalog, release
from analysis.model.catalog import DERIVED_TABLES, RAW_TABLES, TABLES
from analysis.model.errors import UserError
from analysis.products import export as ex

# `make test-fast` is for every edit: this module writes the whole data package, CSV and XLSX, and runs the CLI,
# so it runs in `make test`.
pytestmark = pytest.mark.slow

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


def _pyproject_version() -> str:
    tomllib = pytest.importorskip("tomllib")
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


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
    assert descriptor["version"] == _pyproject_version()
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert descriptor["contributors"] and descriptor["keywords"] and descriptor["created"]


def test_resource_names(descriptor):
    names = [r["name"] for r in descriptor["resources"]]
    assert REQUIRED_RESOURCES <= set(names)
    assert names == list(TABLES)
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
    for r in descriptor["resources"]:
        assert r["title"] and r["description"], r["name"]
    for table in TABLES:
        assert schemas[table] == catalog.export_schema(table), table
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


def test_derived_tables_are_written(tables, out, panel):
    """export() from Python writes the adoption panel, the index (with names), the research
    queue and the index's sensitivity to its weights."""
    from analysis.products.export import derived_tables

    expected = derived_tables(tables)
    assert set(expected) == set(DERIVED_TABLES)
    for name, frame in expected.items():
        written = _read(out / f"{name}.csv")
        cols = [c.name for c in catalog.export_columns(name)]
        assert list(written.columns) == cols, name
        assert len(written) == len(frame) > 0, name
    index = _read(out / "index.csv")
    assert list(index.columns[:2]) == ["country", "name"]
    assert (index.loc[index["country"] == "RS", "name"] == "Serbia").all()
    assert list(index.columns[-3:]) == ["rank", "rank_best", "rank_worst"]
    core = index[index["scope_role"] == "core"]
    rank, best, worst = (core[c] for c in ("rank", "rank_best", "rank_worst"))
    assert all(v.isdigit() for v in (*rank, *best, *worst)), "integer ranks, no '.0'"
    rank, best, worst = (v.astype(int) for v in (rank, best, worst))
    assert ((best <= rank) & (rank <= worst)).all()
    for name in ("index", "index_sensitivity", "index_robustness"):  # scores: at most 3 decimals
        df = _read(out / f"{name}.csv")
        for col in [c for c in df.columns if c.startswith("score") or c in ("low", "high")]:
            assert df[col].str.fullmatch(r"\d(\.\d{1,3})?").all(), (name, col)
    sens = _read(out / "index_sensitivity.csv")
    core = sens[sens["scope_role"] == "core"]
    assert (core["rank_p05"].astype(float) <= core["rank_p95"].astype(float)).all()


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


def test_without_derived_tables(tables, tmp_path):
    written = ex.export(tmp_path / "raw", formats=["csv"], tables=tables, derived=False)
    assert [p.name for p in written] == [f"{t}.csv" for t in RAW_TABLES]


def test_derived_tables_need_the_loaded_tables(tables, tmp_path):
    frames = {"countries": tables.countries}
    with pytest.raises(UserError) as err:
        ex.export(tmp_path / "x", formats=["csv"], tables=frames)
    missing = ", ".join(RAW_TABLES[1:])
    assert str(err.value) == (
        f"the derived tables need every loaded table, missing: {missing} (or export with"
        " derived=False)"
    )
    assert not (tmp_path / "x").exists()
    written = ex.export(tmp_path / "x", formats=["csv"], tables=frames, derived=False)
    assert [p.name for p in written] == ["countries.csv"]


def test_derived_tables_from_a_mapping(tables, tmp_path):
    """A mapping with every loaded table gets the same derived tables as the Tables it holds."""
    a = ex.export(tmp_path / "a", formats=["csv"], tables=tables)
    b = ex.export(tmp_path / "b", formats=["csv"], tables=tables.as_dict())
    assert [p.name for p in a] == [p.name for p in b]
    for p, q in zip(a, b, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_unknown_format(tables, tmp_path):
    from analysis.model.errors import UserError

    with pytest.raises(UserError):
        ex.export(tmp_path / "x", formats=["parquet"], tables=tables)
    assert not (tmp_path / "x").exists()


def test_failure_leaves_nothing(tables, tmp_path, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(ex, "_write_xlsx", boom)
    with pytest.raises(RuntimeError):
        ex.export(tmp_path / "out", tables=tables, derived=False)
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
    extra = {"my_panel": (panel, schema)}
    ex.export(d, formats=["datapackage"], tables=tables, extra=extra, derived=False)
    desc = json.loads((d / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in desc["resources"]] == [*RAW_TABLES, "my_panel"]
    res = {r["name"]: r for r in desc["resources"]}["my_panel"]
    assert res["description"] == "A derived panel."
    types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    assert types == {"country": "string", "year": "year", "ms_cctld": "integer", "score": "number"}
    assert (d / "my_panel.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "RS,2015,1,0.5",
        "BG,2016,,1.0",
    ]
    report = Package(str(d / "datapackage.json")).validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:10]


def test_extra_resource_may_not_replace_a_catalogued_table(tables, tmp_path):
    frame = pd.DataFrame({"country": ["RS"]})
    for name in ("adoption_panel", "countries"):
        with pytest.raises(UserError) as err:
            ex.export(tmp_path / "x", tables=tables, derived=False, extra={name: (frame, {})})
        assert str(err.value) == f"extra resource '{name}' clashes with a table of the same name"
    assert not (tmp_path / "x").exists()


def test_minimal_data_exports_every_table(tmp_path):
    """One country file with the required fields only: every table is written, with its header."""
    from frictionless import Package

    from analysis.model.load import load

    data = tmp_path / "data"
    (data / "countries").mkdir(parents=True)
    (data / "countries" / "RS.yaml").write_text(
        "code: RS\nname: Serbia\nsubregion: western_balkans\n", encoding="utf-8"
    )
    d = tmp_path / "pkg"
    ex.export(d, formats=["datapackage"], tables=load(data))
    for name in TABLES:
        header = (d / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == [c.name for c in catalog.export_columns(name)], name
    assert (d / "igf_editions.csv").read_text(encoding="utf-8").count("\n") == 1
    report = Package(str(d / "datapackage.json")).validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:10]


def test_version_is_the_projects_even_when_the_install_is_stale(monkeypatch):
    version = _pyproject_version()
    monkeypatch.setattr(release, "version", lambda name: "0.0.1")  # metadata of an old install
    assert release.package_version() == version
    monkeypatch.setattr(release, "_PYPROJECT", ROOT / "no-such-pyproject.toml")
    assert release.package_version() == "0.0.1"  # installed, not a checkout: the metadata


def test_pyproject_version_reads_the_multisee_project_only():
    text = '[build-system]\nversion = "9"\n\n[project]\nname = "multisee"\nversion = "1.2.3"\n'
    assert release.pyproject_version(text) == "1.2.3"
    assert release.pyproject_version(text.replace('"multisee"', '"other"')) is None
    assert release.pyproject_version('[project]\nname = "multisee"\n') is None


def test_python_export_equals_the_command(tmp_path):
    """`multisee export` and export() write the same files; with the command's `created`, the
    same CSV and datapackage.json bytes and the same workbook cells."""
    from openpyxl import load_workbook

    res = multisee("export", "--out", str(tmp_path / "cli"), "--quiet")
    assert res.returncode == 0, res.stderr
    assert res.stdout == ""
    cli = tmp_path / "cli"
    created = json.loads((cli / "datapackage.json").read_text(encoding="utf-8"))["created"]
    py = tmp_path / "py"
    ex.export(py, created=created)
    names = sorted(p.name for p in cli.iterdir())
    assert names == sorted(p.name for p in py.iterdir())
    assert {f"{t}.csv" for t in TABLES} | {"datapackage.json", "multisee.xlsx"} == set(names)
    for name in names:
        if name != "multisee.xlsx":  # the workbook's zip entries carry the time of writing
            assert (cli / name).read_bytes() == (py / name).read_bytes(), name
    a, b = load_workbook(cli / "multisee.xlsx"), load_workbook(py / "multisee.xlsx")
    assert a.sheetnames == b.sheetnames
    for sheet in a.sheetnames:
        assert list(a[sheet].values) == list(b[sheet].values), sheet


# --------------------------------------------------------------------------------------------
# Spreadsheet safety (issue 12): no exported text is ever run as a formula
# --------------------------------------------------------------------------------------------

PAYLOADS = ['=HYPERLINK("http://x","y")', "\t=1+1", "+1", "@SUM(A1)", "-2+3", "\r=1"]


def _hostile_export(tmp_path: Path, **kw: object) -> Path:
    frame = pd.DataFrame({"text": [*PAYLOADS, "plain"], "n": [-1, -2.5, 3, 0, -7, 1, 2]})
    out = tmp_path / "data"
    ex.export(
        out,
        formats=["csv", "xlsx"],
        tables={"hostile": frame},
        derived=False,
        **kw,  # type: ignore[arg-type]
    )
    return out


def test_csv_neutralises_formulas_but_not_numbers(tmp_path: Path) -> None:
    out = _hostile_export(tmp_path)
    with open(out / "hostile.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["text", "n"]
    assert [r[0] for r in rows[1:]] == [*("'" + p for p in PAYLOADS), "plain"]
    assert [r[1] for r in rows[1:]] == ["-1.0", "-2.5", "3.0", "0.0", "-7.0", "1.0", "2.0"]


def test_raw_csv_keeps_text_as_is(tmp_path: Path) -> None:
    out = _hostile_export(tmp_path, raw_csv=True)
    with open(out / "hostile.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert [r[0] for r in rows[1:]] == [*PAYLOADS, "plain"]


def test_xlsx_stores_text_never_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = _hostile_export(tmp_path)
    wb = load_workbook(out / ex.XLSX_NAME)
    sheet = wb["hostile"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    assert [c.value for c in cells][:5] == PAYLOADS[:5]  # \r is normalised by XML, as text
    numbers = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert numbers[:2] == [-1, -2.5] and all(isinstance(v, (int, float)) for v in numbers)
    for ws in wb.worksheets:  # nowhere a formula, the README sheet included
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row), ws.title


def test_cli_raw_csv_flag_and_output_checks(tmp_path: Path) -> None:
    from analysis.cli import build_parser

    args = build_parser().parse_args(["export", "--raw-csv", "--format", "csv"])
    assert args.raw_csv and args.format == ["csv"]
    assert build_parser().parse_args(["export"]).format == list(ex.FORMATS)
