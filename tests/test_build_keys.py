"""Build keys: each item is keyed on exactly what it reads, so an edit rebuilds only its readers.

The keys of all items of the real build list are computed (no notebook runs) in a scratch copy
of the project before and after each edit; the items whose key changed are those a build would
rebuild (`tests/test_build.py` checks the same end to end with a few items).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

# `make test-fast` is for every edit: this module computes the build keys of every item in a scratch copy,
# so it runs in `make test`.
pytestmark = pytest.mark.slow

DRIVER = r"""
import json, sys
from analysis.build import buildlist
from analysis.build import runner as build
from analysis.model import paths

def keys():
    inputs = build.current_inputs()
    return {i.id: inputs.key(i) for i in buildlist.load_build_list()}

out = {"base": keys()}
for name, subs in json.loads(sys.argv[1]):
    saved = {}
    for rel, old, new in subs:
        f = paths.ROOT / rel
        saved.setdefault(rel, f.read_bytes())
        text = f.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        f.write_text(text.replace(old, new, 1), encoding="utf-8")
    out[name] = keys()
    for rel, data in saved.items():
        (paths.ROOT / rel).write_bytes(data)
print(json.dumps(out))
"""

AL = "data/countries/AL.yaml"
EDITS = {
    # A free-text note on one record of one country.
    "note": [(AL, "End of 2022, per an aggregator site (weak).", "End of 2022 (weak; edited).")],
    # A note on the country as a whole (the countries table, which other items read).
    "country_note": [(AL, "code: AL\n", "code: AL\nnotes: Edited note on Albania.\n")],
    # An edition of the Albania IGF: its IGF state in 2019 goes from unknown to held.
    "panel": [
        (
            AL,
            "    website: albigf.al\n",
            "    website: albigf.al\n"
            "    first_year: 2019\n"
            "    editions:\n"
            "      - year: 2019\n"
            "        sources: [al-cesk-igf]\n"
            "        confidence: sourced\n",
        )
    ],
    # A delegation event's new manager: the events (timeline) and the profile, not the panel.
    "event": [
        (AL, "to_manager: Albanian Telecommunication Regulatory Entity (TRE)", "to_manager: TRE")
    ],
    # One more stakeholder group on Armenia's MS body: its balance, not the panel.
    "composition": [
        (
            "data/countries/AM.yaml",
            "      - {group: academia}\n",
            "      - {group: academia}\n      - {group: technical_community}\n",
        )
    ],
    # The jupytext source of a notebook, not its .ipynb.
    "notebook_py": [
        ("notebooks/country_profile.py", "# # Country profile", "# # Country profile!")
    ],
    # The map boundaries (a leading space keeps the GeoJSON valid).
    "boundaries": [("data/boundaries/see_plus.geojson", "", " ")],
    # The neighbours file beside them (a comment keeps the YAML valid): not a data record.
    "neighbours": [("data/boundaries/neighbours.yaml", "", "# edited\n")],
}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict]]:
    root = tmp_path_factory.mktemp("keys") / "proj"
    for name in ("data", "notebooks", "build.yaml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        else:
            shutil.copy(src, root / name)
    (root / "reports").mkdir()
    res = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps([[k, v] for k, v in EDITS.items()])],
        capture_output=True,
        text=True,
        env={**os.environ, "MULTISEE_ROOT": str(root)},
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    assert not (root / "reports" / "manifest.json").exists(), "computing keys writes nothing"
    return json.loads(res.stdout)


def changed(keys: dict[str, dict[str, dict]], scenario: str) -> set[str]:
    base, after = keys["base"], keys[scenario]
    assert set(base) == set(after)
    return {i for i in base if base[i] != after[i]}


def readers(keys: dict[str, dict[str, dict]], name: str) -> set[str]:
    return {i for i, k in keys["base"].items() if name in k["reads"]}


def test_every_item_declares_what_it_reads(keys: dict[str, dict[str, dict]]) -> None:
    assert len(keys["base"]) == 34
    for item, key in keys["base"].items():
        assert set(key) == {"notebook", "library", "packages", "parameters", "reads"}
        assert "data" not in key["reads"], f"{item} is keyed on the whole data"
        assert {"panel", "facts"} & set(key["reads"]), item
    assert readers(keys, "country") == {i for i in keys["base"] if i.startswith("countries/")}
    assert readers(keys, "boundaries") == {i for i in keys["base"] if i.startswith("maps/")} | {
        "analyses/drivers"
    }


def test_a_note_edit_rebuilds_only_that_countrys_profile(keys: dict[str, dict[str, dict]]) -> None:
    assert changed(keys, "note") == {"countries/AL"}
    al = keys["note"]["countries/AL"]
    assert al["reads"]["country"] != keys["base"]["countries/AL"]["reads"]["country"]
    assert al["reads"]["panel"] == keys["base"]["countries/AL"]["reads"]["panel"]


def test_a_country_note_does_not_rebuild_the_comparisons(keys: dict[str, dict[str, dict]]) -> None:
    assert changed(keys, "country_note") == {"countries/AL"}


def test_a_panel_change_rebuilds_every_panel_reader(keys: dict[str, dict[str, dict]]) -> None:
    before = keys["base"]["comparisons/timeline"]["reads"]
    after = keys["panel"]["comparisons/timeline"]["reads"]
    assert before["panel"] != after["panel"], "the edit moves the panel"
    assert changed(keys, "panel") == readers(keys, "panel") | readers(keys, "facts")
    assert {"comparisons/region", "comparisons/timeline", "maps/igf", "countries/RS"} <= (
        changed(keys, "panel")
    )


def test_an_event_rebuilds_the_profile_and_the_timeline(keys: dict[str, dict[str, dict]]) -> None:
    assert changed(keys, "event") == {"countries/AL", "comparisons/timeline", "analyses/drivers"}


def test_a_composition_change_rebuilds_the_profile_and_the_comparisons(
    keys: dict[str, dict[str, dict]],
) -> None:
    comparisons = {
        i for i in keys["base"] if i.startswith("comparisons/") and i != "comparisons/timeline"
    }
    assert len(comparisons) == 7
    assert changed(keys, "composition") == {"countries/AM", "analyses/drivers"} | comparisons


def test_editing_the_py_source_rebuilds_its_items(keys: dict[str, dict[str, dict]]) -> None:
    assert changed(keys, "notebook_py") == {i for i in keys["base"] if i.startswith("countries/")}


def test_the_neighbours_file_rebuilds_what_reads_the_boundaries(
    keys: dict[str, dict[str, dict]],
) -> None:
    assert changed(keys, "neighbours") == changed(keys, "boundaries")
    assert "analyses/drivers" in changed(keys, "neighbours")


def test_the_boundary_file_rebuilds_the_maps_and_the_neighbour_analysis(
    keys: dict[str, dict[str, dict]],
) -> None:
    assert changed(keys, "boundaries") == {
        "maps/cctld",
        "maps/igf",
        "maps/body",
        "maps/index",
        "analyses/drivers",  # neighbours are computed from the boundaries
    }
