"""Versions: one version (pyproject.toml, read via importlib.metadata) for the package, the data
package and the citation."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from analysis.model import release
from analysis.model.errors import UserError


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


def test_citation_url_follows_the_site_url_setting() -> None:
    """One setting (pyproject.toml [tool.multisee] site_url): CITATION.cff has a ``url`` equal
    to it when it is set, and none while no public address is known."""
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    urls = re.findall(r"^url:\s*\"?([^\"\s]+)\"?\s*$", cff, flags=re.M)
    site = release.site_url()
    assert urls == ([site] if site else []), (urls, site)


def test_site_url_setting_is_read_and_checked() -> None:
    text = '[project]\nname = "multisee"\n\n[tool.multisee]\nsite_url = "https://host.test/m/"\n'
    assert release.pyproject_site_url(text) == "https://host.test/m"
    assert release.pyproject_site_url('[tool.multisee]\nsite_url = ""\n') is None
    assert release.pyproject_site_url('[tool.x]\nsite_url = "https://a.test"\n') is None
    assert release.site_page("sources.html", "https://host.test/m") == (
        "https://host.test/m/sources.html"
    )
    assert release.site_page("sources.html", "") is None
    with pytest.raises(UserError, match=r"pyproject.toml line 3: site_url 'reports/x' is not"):
        release.pyproject_site_url('[x]\n[tool.multisee]\nsite_url = "reports/x"\n')
    with pytest.raises(UserError, match="line 2: site_url must be a quoted string"):
        release.pyproject_site_url("[tool.multisee]\nsite_url = https://a.test\n")
