"""No silent loss: a part a product goes on without is a warning in the manifest, not a swallow."""

from __future__ import annotations

import pytest

from analysis.build import site
from analysis.model import notices
from analysis.model.errors import UserError


def test_degraded_parts_are_collected_and_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with notices.collect() as found:
        notices.degraded("site: a part", RuntimeError("boom"))
    notices.degraded("outside any collection", ValueError("x"))  # printed, collected by nobody
    assert found == [{"where": "site: a part", "error": "RuntimeError: boom"}]
    err = capsys.readouterr().err
    assert "warning: site: a part: RuntimeError: boom" in err and "outside any" in err


def test_the_site_records_an_unexpected_failure_of_its_changes_section(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from analysis.measures import datadiff

    def broken() -> None:
        raise RuntimeError("git exploded")

    monkeypatch.setattr(datadiff, "changes_since_release", broken)
    with notices.collect() as found:
        html = site._changes_html()
    assert "Not available" in html and "git exploded" in html
    assert found and found[0]["where"] == "site: changes since the last release"


def test_an_expected_condition_is_said_on_the_page_not_warned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from analysis.measures import datadiff

    def no_release() -> None:
        raise UserError("no release tag yet")

    monkeypatch.setattr(datadiff, "changes_since_release", no_release)
    with notices.collect() as found:
        html = site._changes_html()
    assert "no release tag yet" in html and found == []
