"""The table catalogue: one spec per table, light to import, matching the frames it describes."""

from __future__ import annotations

import ast
import subprocess
import sys

import pandas as pd
import pytest
from importgraph import imports_by_stem

from analysis.model import catalog
from analysis.model.catalog import DERIVED_TABLES, RAW_TABLES, TABLE_SPECS, TABLES, Column


def _imported(module: str) -> list[str]:
    """The ``analysis`` modules and heavy libraries loaded by importing ``module`` alone."""
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in sys.modules if m.startswith('analysis.') or m in "
        "('pandas', 'numpy', 'matplotlib', 'openpyxl')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip())


def test_catalog_imports_neither_pandas_nor_its_readers() -> None:
    loaded = _imported("analysis.model.catalog")
    assert set(loaded) <= {
        "analysis.model",
        "analysis.model.catalog",
        "analysis.model.catalog_derived",
        "analysis.model.catalog_raw",
        "analysis.model.clock",
        "analysis.model.fieldtypes",
        "analysis.model.schema",
        "analysis.model.tablespec",
        "analysis.model.vocab",
    }, loaded
    specs = {"tablespec", "catalog_raw", "catalog_derived"}  # the catalogue's types and data
    assert imports_by_stem()["catalog"] <= {"vocab", "schema", "fieldtypes", *specs}
    for stem in specs:
        assert imports_by_stem()[stem] <= {"vocab", "schema", "fieldtypes", "tablespec"}, stem
    assert imports_by_stem()["fieldtypes"] <= {"vocab", "schema"}


def test_codebook_reads_the_catalogue_not_the_exporter() -> None:
    assert "export" not in imports_by_stem()["codebook"]
    assert "analysis.products.export" not in _imported("analysis.products.codebook")


def test_one_spec_per_table_in_export_order() -> None:
    assert TABLES == (*RAW_TABLES, *DERIVED_TABLES)
    assert DERIVED_TABLES == (
        "adoption_panel",
        "index",
        "gaps",
        "index_sensitivity",
        "index_robustness",
        "quality",
    )
    assert RAW_TABLES[0] == "countries" and RAW_TABLES[-1] == "sources" and len(RAW_TABLES) == 17
    for name, spec in TABLE_SPECS.items():
        assert spec.name == name
        assert spec.title and spec.description, name
        assert len(set(spec.column_names)) == len(spec.columns), name
        assert set(spec.primary_key) <= set(spec.column_names), name
        for cols, res, ref in spec.foreign_keys:
            assert set(cols) <= set(spec.column_names), name
            assert set(ref) <= set(TABLE_SPECS[res].column_names), (name, res)
        assert bool(spec.models) != spec.derived, name


def test_derived_specs_describe_the_computed_frames(tables, panel: pd.DataFrame) -> None:
    from analysis.measures.scoring import multisee_index
    from analysis.products.export import derived_tables

    assert list(multisee_index(panel).columns) == TABLE_SPECS["index"].column_names
    frames = derived_tables(tables)
    assert set(frames) == set(DERIVED_TABLES)
    for name, frame in frames.items():
        spec = TABLE_SPECS[name]
        added = [c.name for _, c in catalog.EXPORT_COLUMNS.get(name, ())]
        assert [c for c in frame.columns if c not in added] == spec.column_names, name
        for c in spec.columns:
            values = frame[c.name]
            if c.required:
                assert values.notna().all(), (name, c.name)
            if c.allowed is not None:
                assert set(values.dropna()) <= set(c.allowed), (name, c.name)
        assert not frame.duplicated(list(spec.primary_key)).any(), name


def test_columns_renamed_in_this_release() -> None:
    index = TABLE_SPECS["index"].column_names
    assert index[-3:] == ["rank", "rank_best", "rank_worst"]
    assert not {"rank_low", "rank_high"} & set(index)
    assert "best" in TABLE_SPECS["index"].columns[-2].description.lower()
    assert "worst" in TABLE_SPECS["index"].columns[-1].description.lower()
    for name in ("adoption_panel", "index"):
        role = next(c for c in TABLE_SPECS[name].columns if c.name == "scope_role")
        assert role.required and role.allowed == ["core", "reference"], name
    assessments = TABLE_SPECS["assessments"]
    assert "mechanism_id" in assessments.column_names
    assert "mechanism" not in assessments.column_names
    assert assessments.primary_key == ("mechanism_id", "dimension")


def test_derived_table_schema() -> None:
    """The derived tables' Table Schemas, as the data package has carried them."""
    schema = catalog.TABLE_SPECS["index"].table_schema()
    assert list(schema) == ["fields", "missingValues", "primaryKey"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["score"] == {
        "name": "score",
        "type": "number",
        "description": "Multi-SEE index: weighted mean of mechanism scores (unknown = 0.5).",
        "constraints": {"required": True, "minimum": 0, "maximum": 1},
    }
    assert fields["rank_best"]["constraints"] == {"minimum": 1}
    assert fields["country"]["constraints"] == {"required": True, "pattern": "[A-Z]{2}"}
    panel = {f["name"]: f for f in catalog.TABLE_SPECS["adoption_panel"].table_schema()["fields"]}
    assert panel["mechanism"]["categories"] == ["cctld", "igf", "body"]
    assert panel["mechanism"]["description"] == (
        "ccTLD manager, national IGF or national multistakeholder body."
    )  # values without definitions: the description is not extended with them
    assert panel["confidence"]["constraints"] == {"enum": ["sourced", "inferred", "recalled"]}
    assert TABLE_SPECS["gaps"].table_schema()["primaryKey"] == [
        "kind",
        "country",
        "mechanism",
        "from_year",
    ]


@pytest.mark.parametrize(
    ("column", "descriptor"),
    [
        (
            Column("c", "string", "Coded.", required=True, codes="reliability"),
            {
                "name": "c",
                "type": "string",
                "description": "Coded. Codes: `high`: Primary or authoritative (IANA, the registry"
                " itself, official texts). `medium`: Secondary but careful (encyclopedias,"
                " reputable news, NGO reports). `low`: Weak (aggregators, AI-generated pages,"
                " low-quality mirrors).",
                "categories": ["high", "medium", "low"],
                "categoriesOrdered": True,
                "constraints": {"required": True, "enum": ["high", "medium", "low"]},
            },
        ),
        (
            Column("e", "string", "a or b.", enum=("a", "b"), pattern="x"),
            {
                "name": "e",
                "type": "string",
                "description": "a or b.",
                "categories": ["a", "b"],
                "constraints": {"enum": ["a", "b"]},
            },
        ),
        (
            Column("d", "string", "When.", is_date=True, pattern=r"\d{4}"),
            {
                "name": "d",
                "type": "string",
                "description": "When.",
                "format": "default",
                "constraints": {"pattern": r"\d{4}"},
            },
        ),
    ],
)
def test_field_descriptor(column: Column, descriptor: dict) -> None:
    assert column.field_descriptor() == descriptor
    assert column.display_type == (
        "date string (YYYY, YYYY-MM or YYYY-MM-DD)" if column.is_date else "code"
    )
