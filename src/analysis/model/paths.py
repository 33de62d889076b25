"""Every path the project uses, derived from the project root in one place.

The root is found from this file's location (``src/analysis/model/paths.py``) so that the working
directory of papermill, pytest or a shell never matters. ``MULTISEE_ROOT`` overrides it (tests use
this to point the library at a scratch copy of the data).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The ``analysis`` package directory (``src/analysis``: its layer sub-packages and ``assets/``).
PACKAGE = Path(__file__).resolve().parents[1]
#: The package's static files (the explorer bundle, the nbconvert templates).
ASSETS = PACKAGE / "assets"


def project_root() -> Path:
    env = os.environ.get("MULTISEE_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE.parents[1]


ROOT = project_root()
DATA = ROOT / "data"
COUNTRIES = DATA / "countries"
SOURCES = DATA / "sources"
REGIONAL = DATA / "regional.yaml"
TERMS = DATA / "terms.yaml"
PEER_GROUPS = DATA / "peer_groups.yaml"
BOUNDARIES = DATA / "boundaries" / "see_plus.geojson"
NEIGHBOURS = DATA / "boundaries" / "neighbours.yaml"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
DOCS = ROOT / "docs"
BUILD_LIST = ROOT / "build.yaml"


def data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data"


def rel(path: Path, base: Path | None = None) -> str:
    """A path relative to the project root when it lies inside it (for messages and manifests)."""
    base = base or project_root()
    try:
        return str(Path(path).resolve().relative_to(base))
    except ValueError:
        return str(path)
