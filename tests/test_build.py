"""`multisee build`: reports, provenance, incremental and failing builds, the site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import multisee

pytestmark = pytest.mark.slow


def test_build_subset_writes_reports_with_provenance(scratch_root: Path) -> None:
    env = {"MULTISEE_ROOT": str(scratch_root)}
    res = multisee("build", "--countries", "RS,AM", "--quiet", env=env)
    assert res.returncode == 0, res.stderr
    reports = scratch_root / "reports"
    for code in ("RS", "AM"):
        html = (reports / "countries" / f"{code}.html").read_text(encoding="utf-8")
        assert "ccTLD registries" in html and "Sources" in html
        assert "from analysis" not in html, "code cells must not be in the HTML"
        nb = json.loads((reports / "countries" / f"{code}.ipynb").read_text(encoding="utf-8"))
        meta = nb["metadata"]["multisee"]
        assert meta["parameters"] == {"country": code}
        assert len(meta["data_hash"]) == 64 and meta["status"] == "ok"
    manifest = json.loads((reports / "manifest.json").read_text())
    prod = manifest["products"]["countries/RS"]
    assert prod["status"] == "ok" and prod["inputs"]["data"] == manifest["data_hash"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="countries/RS.html"' in index

    # A no-op build rebuilds nothing; touching one country's YAML rebuilds (data hash changed).
    again = multisee("build", "--countries", "RS,AM", env=env)
    assert again.returncode == 0 and "built 0, up to date 2" in again.stderr


def test_failing_notebook_keeps_partial_output(scratch_root: Path) -> None:
    env = {"MULTISEE_ROOT": str(scratch_root)}
    nb_path = scratch_root / "notebooks" / "country_profile.ipynb"
    nb = json.loads(nb_path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "present.legend()" in "".join(cell["source"]):
            cell["source"] = "".join(cell["source"]) + "\nraise RuntimeError('boom in the test')\n"
            break
    nb_path.write_text(json.dumps(nb))
    res = multisee("build", "--countries", "RS", "--quiet", env=env)
    assert res.returncode == 1
    assert "FAILED countries/RS: RuntimeError: boom in the test" in res.stderr
    failed = scratch_root / "reports" / "countries" / "RS.failed.html"
    text = failed.read_text(encoding="utf-8")
    assert "Execution failed" in text and "multisee-failed-cell" in text
    assert "Serbia (RS)" in text, "outputs before the failing cell are kept"
    manifest = json.loads((scratch_root / "reports" / "manifest.json").read_text())
    assert manifest["products"]["countries/RS"]["status"] == "failed"


def test_bad_parameter_is_an_error_up_front(scratch_root: Path) -> None:
    (scratch_root / "build.yaml").write_text(
        "items:\n  - id: x\n    notebook: country_profile\n    parameters: {country: 5, colour: red}\n"
    )
    res = multisee("build", env={"MULTISEE_ROOT": str(scratch_root)})
    assert res.returncode == 2
    assert "unknown parameter 'colour'" in res.stderr
    assert "parameter 'country' should be str, got int 5" in res.stderr
    assert not (scratch_root / "reports" / "manifest.json").exists()


def test_bad_data_builds_nothing(scratch_root: Path) -> None:
    rs = scratch_root / "data" / "countries" / "RS.yaml"
    rs.write_text(rs.read_text().replace("legal_form: foundation", "legal_form: fundation", 1))
    res = multisee("build", env={"MULTISEE_ROOT": str(scratch_root)})
    assert res.returncode == 2
    assert "RS.yaml:" in res.stderr and "'fundation' is not one of" in res.stderr
    assert not any((scratch_root / "reports").iterdir())


def _slow_notebook(root: Path, seconds: int) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("n = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})")]
    nb.metadata["kernelspec"] = {
        "name": "multisee",
        "display_name": "multisee",
        "language": "python",
    }
    nbformat.write(nb, str(root / "notebooks" / "slow.ipynb"))


def test_timeout_turns_a_hang_into_a_failure(scratch_root: Path) -> None:
    _slow_notebook(scratch_root, 120)
    (scratch_root / "build.yaml").write_text(
        "items:\n  - id: t/slow\n    notebook: slow\n    parameters: {n: 2}\n"
    )
    res = multisee(
        "build", "--timeout", "5", "--quiet", env={"MULTISEE_ROOT": str(scratch_root)}, timeout=90
    )
    assert res.returncode == 1
    assert "FAILED t/slow" in res.stderr and "timeout" in res.stderr
    assert (scratch_root / "reports" / "t" / "slow.failed.html").exists()


def test_fail_fast_stops_at_the_first_failure(scratch_root: Path) -> None:
    (scratch_root / "build.yaml").write_text(
        "items:\n"
        "  - id: c/{code}\n    notebook: country_profile\n    foreach: [ZZ, ZY, RS]\n"
        "    parameters: {country: '{code}'}\n"
    )
    env = {"MULTISEE_ROOT": str(scratch_root)}
    res = multisee("build", "--fail-fast", "--jobs", "1", "--quiet", env=env)
    assert res.returncode == 1
    manifest = json.loads((scratch_root / "reports" / "manifest.json").read_text())
    assert set(manifest["products"]) == {"c/ZZ"}, "nothing runs after the first failure"
    assert "unknown country 'ZZ'" in manifest["products"]["c/ZZ"]["error"]

    res = multisee("build", "--jobs", "1", "--quiet", env=env)  # without: the build goes on
    assert res.returncode == 1
    manifest = json.loads((scratch_root / "reports" / "manifest.json").read_text())
    assert manifest["products"]["c/RS"]["status"] == "ok"
    assert manifest["products"]["c/ZY"]["status"] == "failed"


def test_touching_the_data_rebuilds(scratch_root: Path) -> None:
    env = {"MULTISEE_ROOT": str(scratch_root)}
    assert multisee("build", "--countries", "AL", "--quiet", env=env).returncode == 0
    al = scratch_root / "data" / "countries" / "AL.yaml"
    al.write_text(al.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    res = multisee("build", "--countries", "AL", env=env)
    assert res.returncode == 0 and "built 1, up to date 0" in res.stderr
    nb = scratch_root / "notebooks" / "country_profile.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Country profile", "Country profile!"))
    res = multisee("build", "--countries", "AL", env=env)
    assert "built 1, up to date 0" in res.stderr, "a notebook change rebuilds"
