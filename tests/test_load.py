"""The loader: tidy tables, provenance columns, caching, content hash."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import ROOT

from analysis.load import TABLES, data_hash, load


def test_tables_and_columns() -> None:
    t = load()
    for name in TABLES:
        assert name in t.as_dict()
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
    assert load(data) is a
    assert time.perf_counter() - t0 < 0.05
    rs = data / "countries" / "RS.yaml"
    rs.write_text(rs.read_text().replace("name: Serbia", "name: Serbia (edited)"))
    b = load(data)
    assert b is not a and b.data_hash != a.data_hash
    assert "Serbia (edited)" in set(b.countries["name"])


def test_hash_depends_on_content_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    assert data_hash(root=data) == data_hash(root=ROOT / "data")
