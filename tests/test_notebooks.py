"""Notebooks execute under the real clients and record values equal to the library's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BIN, ROOT

from analysis.measures.profile import country_profile
from analysis.products.record import recorded

pytestmark = pytest.mark.slow


def _papermill(tmp_path: Path, *params: str) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "out.ipynb"
    return subprocess.run(
        [
            str(BIN / "papermill"),
            str(ROOT / "notebooks" / "country_profile.ipynb"),
            str(out),
            *params,
            "-k",
            "multisee",
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


def test_country_profile_under_papermill_cli_matches_library(tmp_path: Path) -> None:
    res = _papermill(tmp_path, "-p", "country", "AM")
    assert res.returncode == 0, res.stderr[-2000:]
    values = recorded(tmp_path / "out.ipynb")
    assert values["summary"] == country_profile("AM").summary()
    assert values["n_sources"] == len(country_profile("AM").sources)


@pytest.mark.parametrize("bad", ["ZZ", "../x"])
def test_bad_country_parameter_gives_clear_message(tmp_path: Path, bad: str) -> None:
    res = _papermill(tmp_path, "-p", "country", bad)
    assert res.returncode != 0
    assert "UserError" in res.stderr
    assert (
        ("unknown country 'ZZ'" in res.stderr) if bad == "ZZ" else ("two-letter code" in res.stderr)
    )


def test_notebook_sources_are_paired() -> None:
    """Each .py notebook source has its .ipynb twin with the same code cells (jupytext pairing)."""
    import jupytext

    for py in (ROOT / "notebooks").glob("*.py"):
        ipynb = py.with_suffix(".ipynb")
        assert ipynb.exists(), f"{ipynb.name} missing: run make reports (jupytext sync)"
        a = [c.source for c in jupytext.read(py).cells if c.cell_type == "code"]
        b = [c.source for c in jupytext.read(ipynb).cells if c.cell_type == "code"]
        assert a == b, f"{py.name} and {ipynb.name} differ"


def test_python_is_the_venv() -> None:
    assert Path(sys.executable).parent == BIN


def test_build_papermill_and_nbconvert_record_the_same_values(
    built_project: dict, tmp_path: Path
) -> None:
    """The same notebook and country through the three clients gives the same recorded values."""
    import json

    root = built_project["root"]  # the session's shared build (RS in it)
    built = recorded(root / "reports" / "countries" / "RS.ipynb")
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    assert manifest["products"]["countries/RS"]["recorded"] == built

    pm = _papermill(tmp_path, "-p", "country", "RS")
    assert pm.returncode == 0, pm.stderr[-2000:]
    by_papermill = recorded(tmp_path / "out.ipynb")

    out = tmp_path / "nbc.ipynb"
    nbc = subprocess.run(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=multisee",
            "--output",
            str(out),
            str(ROOT / "notebooks" / "country_profile.ipynb"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert nbc.returncode == 0, nbc.stderr[-2000:]
    by_nbconvert = recorded(out)  # the notebook's default country is RS
    assert built == by_papermill == by_nbconvert
    assert {"summary", "position", "n_sources"} <= set(built)
