"""The product commands as a user runs them: map, export, coverage, codebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, multisee

pytestmark = pytest.mark.slow


def test_map_command_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "igf_2019.png"
    res = multisee("map", "--mechanism", "igf", "--year", "2019", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_command_bad_year_is_one_line(tmp_path: Path) -> None:
    res = multisee("map", "--mechanism", "igf", "--year", "1970", "--out", str(tmp_path / "x.png"))
    assert res.returncode == 2
    assert res.stderr.strip() == (
        "multisee map: error: no data for year 1970: the panel covers 1990..2025"
    ) or res.stderr.startswith("multisee map: error: no data for year 1970")
    assert "Traceback" not in res.stderr


def test_export_command_includes_panel_and_index(tmp_path: Path) -> None:
    res = multisee("export", "--out", str(tmp_path / "d"), "--quiet")
    assert res.returncode == 0, res.stderr
    names = {p.name for p in (tmp_path / "d").iterdir()}
    assert {"datapackage.json", "multisee.xlsx", "adoption_panel.csv", "index.csv"} <= names


def test_coverage_command_prints_every_jurisdiction() -> None:
    res = multisee("coverage")
    assert res.returncode == 0, res.stderr
    for code in ("AL", "XK", "CH", "TR"):
        assert f"\n{code} " in res.stdout


def test_codebook_command_is_current(tmp_path: Path) -> None:
    out = tmp_path / "codebook.md"
    res = multisee("codebook", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "codebook.md").read_text(
        encoding="utf-8"
    )
