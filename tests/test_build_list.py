"""The build list's `reads`, the build modules' layering, and the build lock (no notebook runs)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, multisee
from importgraph import imports_by_stem

from analysis.build.buildlist import READS, load_build_list
from analysis.model.errors import UserError

SRC = ROOT / "src" / "analysis"
BUILD_MODULES = {"runner", "buildlist", "provenance", "execute", "site"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "build.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_build_list_declares_known_reads() -> None:
    items = load_build_list()
    assert len(items) == 34
    for item in items:
        assert item.reads and set(item.reads) <= set(READS)
        assert ("country" in item.reads) == ("country" in item.parameters), item.id
        assert ("boundaries" in item.reads) == (item.notebook in ("adoption_map", "drivers")), (
            item.id
        )
    header = (ROOT / "build.yaml").read_text(encoding="utf-8").split("items:")[0]
    for name in READS:
        assert f"#   {name} " in header, f"build.yaml's header does not document {name!r}"


def test_reads_default_to_the_whole_data(tmp_path: Path) -> None:
    path = _write(tmp_path, "items:\n  - id: x\n    notebook: timeline\n")
    assert load_build_list(path)[0].reads == ["data"]


@pytest.mark.parametrize(
    ("reads", "message"),
    [
        ("[panel, colour]", "unknown input(s) 'colour'"),
        ("[country, panel]", "'country' needs a 'country' parameter"),
        ("panel", "expected a non-empty list"),
        ("[]", "expected a non-empty list"),
    ],
)
def test_bad_reads_are_an_error(tmp_path: Path, reads: str, message: str) -> None:
    path = _write(tmp_path, f"items:\n  - id: x\n    notebook: timeline\n    reads: {reads}\n")
    with pytest.raises(UserError) as err:
        load_build_list(path)
    assert "items[0].reads: " in str(err.value) and message in str(err.value)


def test_the_build_modules_are_layered() -> None:
    imports = imports_by_stem()
    assert BUILD_MODULES <= set(imports)
    for name, used in imports.items():
        if name not in BUILD_MODULES | {"commands", "cli"}:
            assert not used & BUILD_MODULES, f"core module {name} imports {used & BUILD_MODULES}"
    assert not imports["site"] & {"runner", "buildlist", "provenance", "execute"}
    assert not imports["buildlist"] & {"runner", "provenance", "execute", "site"}
    assert not imports["provenance"] & {"runner", "execute", "site"}
    assert not imports["execute"] & {"runner", "provenance", "site"}
    assert "datafiles" in imports["load"] and "load" not in imports["datafiles"]


def test_the_build_modules_do_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "import analysis.build.runner, analysis.build.buildlist, analysis.build.provenance, analysis.build.site\n"
        "import analysis.model.datafiles, analysis.cli.commands\n"
        "from analysis.model.datafiles import data_files, data_hash\n"
        "data_hash(data_files())\n"
        "heavy = {'pandas', 'numpy', 'nbformat', 'jupytext', 'nbclient'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_a_second_build_on_the_same_reports_is_refused(scratch_root: Path) -> None:
    reports = scratch_root / "reports"
    fd = os.open(reports, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        res = multisee("build", "--countries", "RS", env={"MULTISEE_ROOT": str(scratch_root)})
    finally:
        os.close(fd)
    assert res.returncode == 2
    assert "another multisee build is writing reports/" in res.stderr
    assert not (reports / "manifest.json").exists()
