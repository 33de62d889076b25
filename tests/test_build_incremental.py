"""`multisee build`, fine-grained rebuilds end to end: one item of each kind from the session's
shared build (tests/conftest.py), copied per test and rebuilt after one edit."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import built, multisee

pytestmark = pytest.mark.slow

# ---------------------------------------------------------------------------------------------
# Fine-grained rebuilds, end to end: one item of each kind, built once, then copied per test
# ---------------------------------------------------------------------------------------------

SUBSET = [
    "countries/AL",
    "countries/AM",
    "comparisons/region",
    "comparisons/timeline",
    "maps/cctld",
]
ONLY = [arg for item in SUBSET for arg in ("--only", item)]


def test_the_shared_build_built_the_subset_without_log_noise(built_project: dict) -> None:
    """The session's shared build (tests/conftest.py) that the tests below copy: it built every
    item of the subset, and printed no log noise from the kernels or the libraries, even without
    --quiet."""
    res = subprocess.CompletedProcess([], built_project["returncode"], "", built_project["stderr"])
    assert set(SUBSET) <= built(res)
    assert "WARNING" not in res.stderr and "Warning" not in res.stderr, res.stderr


@pytest.fixture()
def proj(built_copy: Path) -> Path:
    return built_copy


def rebuild(root: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    res = multisee("build", *ONLY, env={"MULTISEE_ROOT": str(root)})
    assert res.returncode == 0, res.stderr
    return res, built(res)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_rebuilds_nothing(proj: Path) -> None:
    res, items = rebuild(proj)
    assert items == set() and f"built 0, up to date {len(SUBSET)}" in res.stderr


def test_a_note_edit_rebuilds_exactly_that_countrys_profile(proj: Path) -> None:
    edit(
        proj / "data" / "countries" / "AL.yaml",
        "End of 2022, per an aggregator site (weak).",
        "End of 2022, per an aggregator site (weak; edited).",
    )
    res, items = rebuild(proj)
    assert items == {"countries/AL"}
    assert "countries/AL (reads.country)" in res.stderr
    manifest = json.loads((proj / "reports" / "manifest.json").read_text())
    assert manifest["products"]["countries/AL"]["data_hash"] == manifest["data_hash"]
    assert manifest["products"]["countries/AM"]["data_hash"] != manifest["data_hash"], (
        "a product keeps the data hash it was built from"
    )


def test_a_panel_change_rebuilds_the_panel_readers(proj: Path) -> None:
    from analysis.products.record import recorded

    timeline = proj / "reports" / "comparisons" / "timeline.ipynb"

    def igf_2019() -> int:
        rows = recorded(timeline)["diffusion"]
        return next(r["adopted"] for r in rows if r["year"] == 2019 and r["mechanism"] == "igf")

    before = igf_2019()
    edit(  # a (fictional) 2019 edition of the Albania IGF, on an undated source
        proj / "data" / "countries" / "AL.yaml",
        "    website: albigf.al\n",
        "    website: albigf.al\n"
        "    first_year: 2019\n"
        "    editions:\n"
        "      - year: 2019\n"
        "        sources: [al-albigf-agenda]\n"
        "        confidence: sourced\n",
    )
    res, items = rebuild(proj)
    assert items == set(SUBSET)
    assert "comparisons/timeline (reads.panel" in res.stderr
    assert "maps/cctld (reads.panel" in res.stderr
    assert igf_2019() == before + 1, "the rebuilt timeline counts Albania's 2019 IGF"


def test_editing_only_the_py_source_rebuilds_its_items(proj: Path) -> None:
    edit(
        proj / "notebooks" / "country_profile.py",
        "# ## 1. ccTLD registries",
        "# ## 1. ccTLD registries (edited in the .py)",
    )
    res, items = rebuild(proj)
    assert items == {"countries/AL", "countries/AM"}
    assert "countries/AL (notebook)" in res.stderr
    html = (proj / "reports" / "countries" / "AL.html").read_text(encoding="utf-8")
    assert "ccTLD registries (edited in the .py)" in html, "the build runs the .py source"


def test_touching_the_boundary_file_rebuilds_the_map_items_only(proj: Path) -> None:
    geojson = proj / "data" / "boundaries" / "see_plus.geojson"
    geojson.write_bytes(geojson.read_bytes() + b"\n")
    res, items = rebuild(proj)
    assert items == {"maps/cctld"}
    assert "maps/cctld (reads.boundaries)" in res.stderr


def test_the_site_is_regenerated_when_what_it_lists_changes(proj: Path) -> None:
    index = proj / "reports" / "index.html"
    (proj / "reports" / "maps").mkdir(exist_ok=True)
    (proj / "reports" / "maps" / "extra_map.png").write_bytes(b"png")
    res, items = rebuild(proj)
    assert items == set() and "site regenerated" in res.stderr
    assert 'href="maps/extra_map.png"' in index.read_text(encoding="utf-8")
    res, _ = rebuild(proj)
    assert "site regenerated" not in res.stderr


def _imports_pandas(root: Path) -> tuple[subprocess.CompletedProcess[str], bool]:
    import os
    import sys

    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "analysis.cli", "build", *ONLY, "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "MULTISEE_ROOT": str(root)},
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return res, re.search(r"\|\s+pandas$", res.stderr, re.M) is not None


def test_a_no_op_build_does_not_import_pandas(proj: Path) -> None:
    res, pandas = _imports_pandas(proj)
    assert re.search(r"\|\s+analysis\.build$", res.stderr, re.M), "importtime output is read"
    assert not pandas, "a build with nothing to do imported pandas"
    # The same check sees pandas when the data changed (the derived inputs are recomputed).
    edit(proj / "data" / "countries" / "AL.yaml", "name: Albania", "name: Albania!")
    _, pandas = _imports_pandas(proj)
    assert pandas
