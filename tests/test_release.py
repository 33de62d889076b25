"""Versions: one version (pyproject.toml, read via importlib.metadata) for the package, the data
package and the citation."""

from __future__ import annotations

import re

from conftest import ROOT

from analysis import release


def test_citation_version_is_the_package_version() -> None:
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    m = re.search(r"^version:\s*\"?([^\"\s]+)\"?\s*$", cff, flags=re.M)
    assert m, "CITATION.cff has no version"
    assert m.group(1) == release.package_version()


def test_installed_version_is_pyproject_version() -> None:
    """A stale install (pyproject bumped, `make setup` not re-run) would misreport the version."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert release.pyproject_version(text) == release.package_version()
    assert release.current_version(ROOT) == release.package_version()


def test_changelog_names_the_current_version() -> None:
    log = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {release.package_version()}" in log


def test_pyproject_version_reads_the_project_table_only() -> None:
    text = (
        '[tool.x]\nversion = "9.9.9"\n\n[project]\nname = "multisee"\nversion = "1.2.3"\n[tool.y]\n'
    )
    assert release.pyproject_version(text) == "1.2.3"
    assert release.pyproject_version("[tool.x]\nversion = '1'\n") is None
