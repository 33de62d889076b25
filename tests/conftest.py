"""Shared fixtures. The suite runs in parallel (``make test`` / ``make test-fast`` pass ``-n`` to
pytest-xdist): a session fixture that several workers need (:func:`built_project`, one build of the
reports that the build, site, browser and notebook tests share) is made once for the whole run,
under a file lock in the run's shared temporary folder, and read by every worker."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def multisee(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script, as a user would."""
    return subprocess.run(
        [str(BIN / "multisee"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd or ROOT,
    )


def built(res: subprocess.CompletedProcess[str]) -> set[str]:
    """The items a (non-quiet) build says it built."""
    return set(re.findall(r"^  built (\S+) \(", res.stderr, re.M))


def copy_project(dst: Path) -> Path:
    """Copy the project's data, notebooks, library and build list to ``dst`` (with an empty
    ``reports/``) and return ``dst``."""
    for name in ("data", "notebooks", "src", "build.yaml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dst / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy(src, dst / name)
    (dst / "reports").mkdir()
    return dst


@pytest.fixture()
def scratch_root(tmp_path: Path) -> Path:
    """A copy of the project (data, notebooks, build list, library) to build into safely."""
    return copy_project(tmp_path / "proj")


#: What :func:`built_project` builds: the union of what the build, site, browser, notebook and
#: build-safety tests read (each used to build its own subset).
SHARED_COUNTRIES = ["AL", "AM", "BA", "BG", "GE", "HR", "MD", "MK", "RS", "XK"]
SHARED_ITEMS = [
    *(f"countries/{c}" for c in SHARED_COUNTRIES),
    "comparisons/region",
    "comparisons/timeline",
    "comparisons/eu-candidates",
    "maps/cctld",
]


def _shared_dir(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run that every xdist worker sees (each worker's own base
    folder sits in it); without xdist, the base folder itself."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One build of :data:`SHARED_ITEMS` into a copy of the project, made once per test run
    (the first worker to ask builds; the others wait on the lock and reuse it). Read only: a test
    that builds again or edits anything works on a copy (:func:`built_copy`).

    Returns ``{"root": Path, "stderr": str, "returncode": int}`` (the build's own output, which
    tests/test_build.py checks for warnings)."""
    from filelock import FileLock

    shared = _shared_dir(tmp_path_factory)
    done = shared / "built-project.json"
    with FileLock(str(shared / "built-project.lock")):
        if not done.exists():
            root = copy_project(shared / "built-project")
            only = [a for item in SHARED_ITEMS for a in ("--only", item)]
            res = multisee("build", *only, env={"MULTISEE_ROOT": str(root)})
            done.write_text(
                json.dumps({"root": str(root), "stderr": res.stderr, "returncode": res.returncode}),
                encoding="utf-8",
            )
    info = json.loads(done.read_text(encoding="utf-8"))
    assert info["returncode"] == 0, info["stderr"]
    return {**info, "root": Path(info["root"])}


@pytest.fixture()
def built_copy(built_project: dict[str, object], tmp_path: Path) -> Path:
    """A private copy of :func:`built_project`'s project, reports and build cache included, to
    edit or build again."""
    dst = tmp_path / "proj"
    src = built_project["root"]
    assert isinstance(src, Path)
    shutil.copytree(src, dst, symlinks=True)
    return dst


@pytest.fixture(scope="session")
def tables():
    """The shipped data, loaded once for the session."""
    from analysis.model.load import load

    return load()


@pytest.fixture(scope="session")
def panel(tables):
    """The adoption panel of the shipped data."""
    from analysis.measures.panel import adoption_panel

    return adoption_panel(tables)


def synthetic(states: dict[str, dict[str, list[str]]], start: int = 2016) -> pd.DataFrame:
    """A panel from country -> mechanism -> yearly states (from ``start``); strong evidence."""

    from analysis.model.vocab import MECHANISMS

    rows = []
    for country, mechs in states.items():
        for m in MECHANISMS:
            for i, state in enumerate(mechs.get(m, [])):
                known = state != "unknown"
                rows.append(
                    {
                        "country": country,
                        "scope_role": "core",
                        "year": start + i,
                        "mechanism": m,
                        "state": state,
                        "confidence": "sourced" if known else None,
                        "evidence": "strong" if known else None,
                        "sources": "s" if known else "",
                    }
                )
    return pd.DataFrame(rows)
