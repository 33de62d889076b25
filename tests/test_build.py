"""`multisee build`: reports, provenance, incremental and failing builds, the site (the
fine-grained rebuilds are in tests/test_build_incremental.py: a module of its own, so that the
parallel test run gives each half to a worker)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import built, multisee

pytestmark = pytest.mark.slow


def meta_of(nb: Path) -> dict:
    return json.loads(nb.read_text(encoding="utf-8"))["metadata"]["multisee"]


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
        assert len(meta["library"]) == 64 and meta["packages"]["pandas"]
        assert set(meta["inputs"]["reads"]) == {
            "country",
            "panel",
            "index",
            "peer_groups",
            "release",
        }
        assert meta["notebook"] == "notebooks/country_profile.py"
        assert meta["duration_s"] > 0 and meta["start"] <= meta["end"]
    manifest = json.loads((reports / "manifest.json").read_text())
    prod = manifest["products"]["countries/RS"]
    assert prod["status"] == "ok" and prod["data_hash"] == manifest["data_hash"]
    assert prod["library"] == manifest["library"] and "git_commit" in prod
    assert prod["inputs"] == meta_of(reports / "countries" / "RS.ipynb")["inputs"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="countries/RS.html"' in index
    assert manifest["warnings"] == [], "a product went on without one of its parts"
    assert "warning:" not in res.stderr

    # A no-op build rebuilds nothing and leaves the site alone.
    site_mtime = (reports / "index.html").stat().st_mtime_ns
    again = multisee("build", "--countries", "RS,AM", env=env)
    assert again.returncode == 0 and "built 0, up to date 2" in again.stderr
    assert "site regenerated" not in again.stderr
    assert (reports / "index.html").stat().st_mtime_ns == site_mtime


def test_failing_notebook_keeps_partial_output(scratch_root: Path) -> None:
    env = {"MULTISEE_ROOT": str(scratch_root)}
    py = scratch_root / "notebooks" / "country_profile.py"
    text = py.read_text(encoding="utf-8")
    legend = "display(HTML(present.legend()))\n"
    assert legend in text
    py.write_text(
        text.replace(legend, legend + "raise RuntimeError('boom in the test')\n", 1),
        encoding="utf-8",
    )
    res = multisee("build", "--countries", "RS", "--quiet", env=env)
    assert res.returncode == 1
    assert "FAILED countries/RS: RuntimeError: boom in the test" in res.stderr
    failed = scratch_root / "reports" / "countries" / "RS.failed.html"
    text = failed.read_text(encoding="utf-8")
    assert "Execution failed" in text and "multisee-failed-cell" in text
    assert "boom in the test" in text
    assert "Serbia (RS)" in text, "outputs before the failing cell are kept"
    manifest = json.loads((scratch_root / "reports" / "manifest.json").read_text())
    assert manifest["products"]["countries/RS"]["status"] == "failed"
    meta = meta_of(scratch_root / "reports" / "countries" / "RS.failed.ipynb")
    assert meta["status"] == "failed" and "boom in the test" in meta["error"]
    assert not list((scratch_root / "reports").rglob(".*.tmp-*")), "nothing half-written"


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


def test_touching_the_data_rebuilds_what_reads_the_change(built_copy: Path) -> None:
    scratch_root = built_copy  # a copy of the session's shared build (AL in it)
    env = {"MULTISEE_ROOT": str(scratch_root)}
    assert multisee("build", "--countries", "AL", "--quiet", env=env).returncode == 0
    al = scratch_root / "data" / "countries" / "AL.yaml"
    al.write_text(al.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    res = multisee("build", "--countries", "AL", env=env)
    assert res.returncode == 0 and "built 0, up to date 1" in res.stderr, (
        "a comment is read by none"
    )
    al.write_text(al.read_text(encoding="utf-8").replace("name: Albania", "name: Albania!", 1))
    res = multisee("build", "--countries", "AL", env=env)
    assert res.returncode == 0 and built(res) == {"countries/AL"}
    assert "Albania! (AL)" in (scratch_root / "reports" / "countries" / "AL.html").read_text()
    nb = scratch_root / "notebooks" / "country_profile.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("Country profile", "Country profile!"))
    res = multisee("build", "--countries", "AL", env=env)
    assert built(res) == {"countries/AL"}, "a change to the .ipynb of the pair rebuilds"
    assert "differs from notebooks/country_profile.py" in res.stderr, "and warns it is unsynced"


def test_failure_banner_escapes_exception_text_and_parameters(scratch_root: Path) -> None:
    """A parameter holding markup and a backtick, raised as the error, shows as text."""
    import nbformat

    payload = "`<img src=x onerror=alert(1)>` $x$ *y*"
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('label = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("raise ValueError(label)")]
    nb.metadata["kernelspec"] = {"name": "multisee", "display_name": "multisee"}
    nbformat.write(nb, str(scratch_root / "notebooks" / "hostile.ipynb"))
    (scratch_root / "build.yaml").write_text(
        "items:\n  - id: t/hostile\n    notebook: hostile\n"
        f"    parameters: {{label: {json.dumps(payload)}}}\n",
        encoding="utf-8",
    )
    res = multisee("build", "--quiet", env={"MULTISEE_ROOT": str(scratch_root)}, timeout=300)
    assert res.returncode == 1
    html = (scratch_root / "reports" / "t" / "hostile.failed.html").read_text(encoding="utf-8")
    assert "<img src=x" not in html, "markup from the error must not reach the page"
    banner = html[html.index("Execution failed") :][:1500]
    assert "`&lt;img src=x onerror=alert(1)&gt;`" in banner, "shown as text, backticks too"
