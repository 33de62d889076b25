"""The codebook is generated from the schema and the committed copy is current."""

from __future__ import annotations

from pathlib import Path

from analysis.model import vocab
from analysis.model.catalog import RAW_TABLES, TABLE_SPECS, TABLES
from analysis.products.codebook import render_codebook, write_codebook

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "docs" / "codebook.md"


def test_codebook_is_current():
    assert CODEBOOK.exists(), "docs/codebook.md is missing: run `make codebook`"
    assert CODEBOOK.read_text(encoding="utf-8") == render_codebook(), (
        "docs/codebook.md is stale: run `make codebook`"
    )


def test_deterministic():
    assert render_codebook() == render_codebook()


def test_every_code_appears():
    text = render_codebook()
    missing = [(k, v) for k, codes in vocab.CODES.items() for v in codes if f"`{v}`" not in text]
    assert not missing


def test_every_definition_appears():
    text = render_codebook()
    missing = [
        (k, v) for k, codes in vocab.CODES.items() for v, d in codes.items() if d not in text
    ]
    assert not missing


def test_every_table_and_field_documented():
    """Every table of the catalogue, loaded or derived, has its section with all its fields."""
    text = render_codebook()
    assert {"adoption_panel", "index", "gaps"} < set(TABLES)
    sections = text.split("\n### 4.")[1:]
    for i, name in enumerate(TABLES, 1):
        section = sections[i - 1]
        assert section.startswith(f"{i} `{name}`:"), (i, name)
        for c in TABLE_SPECS[name].columns:
            assert f"| `{c.name}` |" in section, (name, c.name)
            assert c.description, (name, c.name)
    assert len(sections) == len(TABLES)


def test_schema_fields_documented():
    """Every scalar field of the record models is a column of its table, with its description."""
    for name in RAW_TABLES:
        spec = TABLE_SPECS[name]
        cols = {c.name: c for c in spec.columns}
        model = spec.models[0]
        for fname, info in model.model_fields.items():
            if fname in spec.dropped or fname in ("conflicts", "field_sources", "field_confidence"):
                continue
            target = fname
            if name == "conflicts":
                target = {
                    "value": "alternative_value",
                    "sources": "alternative_sources",
                    "confidence": "alternative_confidence",
                }.get(fname, fname)
            assert target in cols, (name, fname)
            if name != "igf_initiatives" or fname != "organisers":
                assert cols[target].description == info.description, (name, fname)


def test_write_codebook(tmp_path):
    p = write_codebook(tmp_path / "docs" / "codebook.md")
    assert p.read_text(encoding="utf-8") == render_codebook()
