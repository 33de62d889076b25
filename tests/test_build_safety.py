"""Build safety: interrupts leave the previous site intact; data is escaped; values agree."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, multisee

from analysis.measures.profile import country_profile

pytestmark = pytest.mark.slow


def _snapshot(reports: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(reports)): p.read_bytes()
        for p in reports.rglob("*")
        if p.is_file() and p.suffix in (".html", ".ipynb") and not p.name.startswith(".")
    }


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_previous_site_intact(built_copy: Path, sig: int) -> None:
    scratch_root = built_copy  # a copy of the session's shared build, which holds the 8 countries
    env = {"MULTISEE_ROOT": str(scratch_root)}
    first = multisee("build", "--countries", "RS,AM,AL,BA,BG,HR,GE,MD", "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    reports = scratch_root / "reports"
    before = _snapshot(reports)
    manifest_before = json.loads((reports / "manifest.json").read_text())

    proc = subprocess.Popen(
        [
            str(BIN / "multisee"),
            "build",
            "--force",
            "--countries",
            "RS,AM,AL,BA,BG,HR,GE,MD",
            "--quiet",
        ],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(3.0)  # kernels are running: some products may be done, others half-way
    os.killpg(proc.pid, sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0, "the build finished before it was interrupted"
    time.sleep(0.5)

    after = _snapshot(reports)
    assert set(after) == set(before), "no product lost or half-added"
    for name, data in after.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert text.rstrip().endswith("</html>"), f"{name} is half-written"
        else:
            json.loads(data)  # every notebook is complete JSON
    manifest = json.loads((reports / "manifest.json").read_text())
    assert set(manifest["products"]) == set(manifest_before["products"])
    assert (reports / "index.html").read_text().rstrip().endswith("</html>")

    again = multisee("build", "--countries", "RS,AM,AL,BA,BG,HR,GE,MD", "--quiet", env=env)
    assert again.returncode == 0, again.stderr
    assert not list(reports.rglob(".*.tmp-*")), "temporary files are cleaned up"


def test_values_from_the_data_are_escaped(scratch_root: Path) -> None:
    rs = scratch_root / "data" / "countries" / "RS.yaml"
    text = rs.read_text(encoding="utf-8")
    text = text.replace(
        "    ms_rationale: Same manager and governance as .rs.",
        "    ms_rationale: <script>alert('x')</script> Same manager.",
    )
    text = text.replace("name: Serbia\n", "name: Serbia <b>bold</b>\n", 1)
    rs.write_text(text, encoding="utf-8")
    res = multisee(
        "build", "--countries", "RS", "--quiet", env={"MULTISEE_ROOT": str(scratch_root)}
    )
    assert res.returncode == 0, res.stderr
    report = (scratch_root / "reports" / "countries" / "RS.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in report and "<script>alert(" not in report
    index = (scratch_root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Serbia &lt;b&gt;bold&lt;/b&gt;" in index and "<b>bold</b>" not in index


def test_build_records_the_same_values_as_the_library(built_project: dict) -> None:
    root = built_project["root"]  # the session's shared build (MK and XK in it)
    manifest = json.loads((root / "reports" / "manifest.json").read_text())
    for code in ("MK", "XK"):
        assert manifest["products"][f"countries/{code}"]["recorded"]["summary"] == (
            country_profile(code).summary()
        )
