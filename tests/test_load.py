"""The loader: tidy tables, provenance columns, caching, content hash."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT

from analysis.model import load as ld
from analysis.model.catalog import RAW_TABLES, TABLE_SPECS
from analysis.model.load import Tables, data_hash, load
from analysis.model.validate import validate

MINIMAL_COUNTRY = "code: RS\nname: Serbia\nsubregion: western_balkans\n"


def _minimal_data(tmp_path: Path) -> Path:
    """A data directory holding one country file with the required fields only."""
    data = tmp_path / "data"
    (data / "countries").mkdir(parents=True)
    (data / "countries" / "RS.yaml").write_text(MINIMAL_COUNTRY, encoding="utf-8")
    return data


def test_tables_and_columns() -> None:
    t = load()
    assert list(t.as_dict()) == list(RAW_TABLES)
    for col in (
        "country",
        "tld",
        "idn",
        "manager",
        "legal_form",
        "multistakeholder",
        "manager_since",
        "confidence",
        "sources",
        "legal_form_confidence",
    ):
        assert col in t.cctlds.columns
    assert {"initiative", "year", "confidence"} <= set(t.igf_editions.columns)
    assert t.cctlds["sources"].str.len().gt(0).all()
    assert len(t.data_hash) == 64


def test_cached_and_invalidated_on_edit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    a = load(data)
    t0 = time.perf_counter()
    again = load(data)
    assert time.perf_counter() - t0 < 0.05  # cached: no re-validation
    # ... but a copy of its own: editing one never changes what the next caller gets
    assert again is not a and again.data_hash == a.data_hash
    assert again.content_hash() == a.content_hash()
    a.countries.loc[:, "name"] = "edited in memory"
    assert "edited in memory" not in set(load(data).countries["name"])
    rs = data / "countries" / "RS.yaml"
    rs.write_text(rs.read_text().replace("name: Serbia", "name: Serbia (edited)"))
    b = load(data)
    assert b is not a and b.data_hash != a.data_hash
    assert "Serbia (edited)" in set(b.countries["name"])


def test_hash_depends_on_content_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    assert data_hash(root=data) == data_hash(root=ROOT / "data")


def test_frames_have_the_catalogue_columns() -> None:
    for name, frame in load().as_dict().items():
        assert list(frame.columns) == TABLE_SPECS[name].column_names, name


def test_empty_tables_keep_their_columns(tmp_path: Path) -> None:
    t = load(_minimal_data(tmp_path))
    assert list(t.countries["code"]) == ["RS"]
    assert t.igf_editions.empty
    assert list(t.igf_editions.columns) == TABLE_SPECS["igf_editions"].column_names
    assert "initiative" in t.igf_editions.columns
    for name, frame in t.as_dict().items():
        assert list(frame.columns) == TABLE_SPECS[name].column_names, name


def test_a_column_missing_from_the_catalogue_is_an_error(tmp_path: Path, monkeypatch) -> None:
    """The loader refuses to drop a column it produces but the catalogue does not list."""
    dataset = validate([_minimal_data(tmp_path)])
    spec = TABLE_SPECS["countries"]
    fewer = dataclasses.replace(spec, columns=tuple(c for c in spec.columns if c.name != "name"))
    monkeypatch.setitem(ld.TABLE_SPECS, "countries", fewer)
    with pytest.raises(RuntimeError, match=r"countries: columns not in the catalogue: \['name'\]"):
        ld.build_tables(dataset, "x")


def test_tables_fields_follow_the_catalogue() -> None:
    names = [f.name for f in dataclasses.fields(Tables) if f.name != "data_hash"]
    assert names == list(RAW_TABLES)
