"""The mutation check stays usable and its README figure stays true.

* every mutant of ``tests/mutants.yaml`` still applies (``scripts/mutate.py --check``), so a
  refactoring that moves a snippet fails here instead of silently shrinking the check;
* ``tests/mutation-results.json`` (written by ``make mutate``) covers exactly those mutants, and
  the README's figure line equals the one rendered from it.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
assert _spec and _spec.loader
mutate = importlib.util.module_from_spec(_spec)
sys.modules["mutate"] = mutate
_spec.loader.exec_module(mutate)


def test_every_mutant_applies():
    res = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "mutate.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert f"{len(mutate.load_mutants())} mutants apply" in res.stdout


def test_mutants_are_realistic_and_aimed():
    mutants = mutate.load_mutants()
    assert len(mutants) >= 25
    for m in mutants:
        assert m.why.strip(), m.id
        assert m.tests, m.id
        assert m.id.startswith(Path(m.file).stem), (m.id, m.file)


def test_results_cover_the_list():
    results = json.loads(mutate.RESULTS.read_text(encoding="utf-8"))
    ids = [m.id for m in mutate.load_mutants()]
    assert list(results["mutants"]) == ids, "tests/mutation-results.json is stale: run make mutate"
    assert results["total"] == len(ids)
    assert results["killed"] == sum(v == "killed" for v in results["mutants"].values())


def test_readme_figure_is_the_results():
    """The README's kill ratio is a generated block rendered from the results file (its
    currency is checked with every block by ``tests/test_readme_blocks.py``)."""
    results = json.loads(mutate.RESULTS.read_text(encoding="utf-8"))
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "<!-- generated: scripts.mutate.readme_figure -->\n"
    assert marker in text
    assert text.split(marker, 1)[1].split("\n", 1)[0] == mutate.figure_line(results)
    assert mutate.readme_figure() == mutate.figure_line(results)


def test_the_figure_names_the_survivors():
    res = mutate.results_of([("a-one", True), ("a-two", False)])
    assert (
        mutate.figure_line(res) == "Kill ratio: **1 of 2 mutants killed (50%)**; survived: `a-two`."
    )


def test_make_mutate_runs_the_runner():
    res = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "mutate"], capture_output=True, text=True, check=True
    )
    lines = [ln.strip() for ln in res.stdout.splitlines()]
    assert any(ln.endswith("/python scripts/mutate.py") for ln in lines), res.stdout
