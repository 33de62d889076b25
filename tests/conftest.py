from __future__ import annotations

import os
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


@pytest.fixture()
def scratch_root(tmp_path: Path) -> Path:
    """A copy of the project (data, notebooks, build list, library) to build into safely."""
    dst = tmp_path / "proj"
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


@pytest.fixture(scope="session")
def tables():
    """The shipped data, loaded once for the session."""
    from analysis.load import load

    return load()


@pytest.fixture(scope="session")
def panel(tables):
    """The adoption panel of the shipped data."""
    from analysis.panel import adoption_panel

    return adoption_panel(tables)


def synthetic(states: dict[str, dict[str, list[str]]], start: int = 2016) -> pd.DataFrame:
    """A panel from country -> mechanism -> yearly states (from ``start``); strong evidence."""

    from analysis.vocab import MECHANISMS

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
