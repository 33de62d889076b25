"""Hostile command lines and a damaged ``reports/``: each case is one exact line on standard
error, a non-zero exit status, and nothing written or lost (issue 12)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import multisee

from analysis.cli.cliargs import known_countries

KNOWN = ", ".join(known_countries())


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    }


CASES = [
    (
        ["map", "--format", "png,bmp"],
        "multisee map: error: argument --format: unknown format bmp: choose from png, svg, pdf",
    ),
    (["map", "--year", "0"], "multisee map: error: argument --year: year 0 is outside 1985-"),
    (
        ["map", "--countries", "ZZ"],
        "multisee map: error: argument --countries: unknown selection 'ZZ': give 'all',",
    ),
    (
        ["deck", "--session", "s", "--years", "1800,abc"],
        "multisee deck: error: argument --years: year 1800 is outside 1985-",
    ),
    (
        ["deck", "--session", "s", "--years", "2010,abc"],
        "multisee deck: error: argument --years: year: not a whole number: 'abc'",
    ),
    (
        ["build", "--timeout", "-5"],
        "multisee build: error: argument --timeout: must be at least 1, not -5",
    ),
    (
        ["build", "--jobs", "0"],
        "multisee build: error: argument --jobs/-j: must be at least 1, not 0",
    ),
    (
        ["build", "-j", "-1"],
        "multisee build: error: argument --jobs/-j: must be at least 1, not -1",
    ),
    (
        ["build", "--countries", "RS,ZZ"],
        f"multisee build: error: argument --countries: unknown country ZZ (known: {KNOWN})",
    ),
    (
        ["export", "--out", "build.yaml"],
        "multisee export: error: --out build.yaml is an existing file; give a directory",
    ),
    (
        ["export", "--out", "/"],
        "multisee export: error: --out /: refusing to write into /; give a sub-directory",
    ),
    (
        ["export", "--format", "xls"],
        "multisee export: error: argument --format: unknown format xls: choose from"
        " datapackage, xlsx, csv",
    ),
    (
        ["map", "--mechanism", "all", "--out", "build.yaml"],
        "multisee map: error: --out build.yaml is an existing file; give a directory",
    ),
    (
        ["deck", "--session", "s", "--out", "build.yaml/deck.pdf"],
        "multisee deck: error: --out build.yaml/deck.pdf: build.yaml is a file, not a directory",
    ),
    (["gaps", "--top", "0"], "multisee gaps: error: argument --top: must be at least 1, not 0"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_arguments_are_one_line_and_write_nothing(
    scratch_root: Path, args: list[str], message: str
) -> None:
    before = _files(scratch_root)
    res = multisee(*args, env={"MULTISEE_ROOT": str(scratch_root)}, cwd=scratch_root, timeout=120)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(message), lines[0]
    assert res.stdout == ""
    assert _files(scratch_root) == before, "nothing written, nothing lost"


def test_unwritable_output_is_one_line(scratch_root: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = scratch_root / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        res = multisee(
            "export", "--out", str(locked / "data"), env={"MULTISEE_ROOT": str(scratch_root)}
        )
    finally:
        locked.chmod(0o700)
    assert res.returncode == 2
    assert (
        res.stderr.strip()
        == f"multisee export: error: --out {locked / 'data'}: {locked} is not writable"
    )
    assert not any(locked.iterdir())


def test_existing_directory_means_inside_it(tmp_path: Path) -> None:
    from analysis.cli.cliargs import out_file

    assert out_file(str(tmp_path), tmp_path / "x" / "deck.pdf") == tmp_path / "deck.pdf"


def test_map_out_dir_is_confined_to_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis.model import paths
    from analysis.model.errors import UserError
    from analysis.products.adoption_map import confine_out_dir

    reports = paths.REPORTS.resolve()
    assert confine_out_dir("maps") == reports / "maps"
    assert confine_out_dir("reports/maps") == reports / "maps"
    assert confine_out_dir(str(reports / "x")) == reports / "x"
    for bad, msg in (
        ("/etc", "out_dir '/etc' is outside the project's reports/ folder"),
        ("../x", "out_dir '../x' contains '..': give a folder under reports/"),
        ("maps/../../x", "out_dir 'maps/../../x' contains '..': give a folder under reports/"),
    ):
        with pytest.raises(UserError) as err:
            confine_out_dir(bad)
        assert str(err.value) == msg


# ------------------------------------------------------------------------------------------
# A damaged reports/: the manifest and the cache are checked on read and recovered
# ------------------------------------------------------------------------------------------


def _product_notebook(reports: Path, pid: str) -> None:
    nb = {
        "cells": [],
        "metadata": {"multisee": {"id": pid, "status": "ok", "inputs": {"k": 1}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = reports / f"{pid}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")
    path.with_suffix(".html").write_text("<html></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[]", "it holds a JSON list, not an object"),
        (b"null", "it holds a JSON NoneType, not an object"),
        (b'{"products": {"countries/RS": "ok"}}', "product(s) countries/RS are not objects"),
        (b'{"products": []}', "its 'products' is not an object"),
        (b"\xff\xfe{}", "it is not UTF-8"),
        (b"{", "it is not valid JSON"),
        (None, "it is not a regular file"),
    ],
)
def test_a_broken_manifest_is_rebuilt_from_the_notebooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, problem: str
) -> None:
    from analysis.build import provenance

    reports = tmp_path / "reports"
    _product_notebook(reports, "countries/RS")
    manifest = reports / "manifest.json"
    if content is None:
        manifest.mkdir()
    else:
        manifest.write_bytes(content)
    got = provenance.read_manifest(reports)
    assert set(got["products"]) == {"countries/RS"}
    assert got["products"]["countries/RS"]["outputs"] == {
        "ipynb": "countries/RS.ipynb",
        "html": "countries/RS.html",
    }
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("warning: ") and problem in err[0], err
    assert (reports / "manifest.json.broken").exists(), "the broken one is kept aside"
    provenance.write_manifest(got, reports)  # and the manifest can be written again
    assert json.loads(manifest.read_text())["products"]["countries/RS"]["status"] == "ok"
