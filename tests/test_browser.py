"""Open the report site in headless Chromium: the pages render, are not blank, have headings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _chromium(url: str, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "chromium is missing: `make test` installs the Debian package"
    return subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp / 'profile'}",
            "--window-size=1280,1600",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _not_blank(png: Path) -> float:
    from PIL import Image, ImageStat

    img = Image.open(png).convert("L")
    assert img.size == (1280, 1600)
    return ImageStat.Stat(img).stddev[0]


def test_site_and_a_report_render_in_chromium(built_project: dict, tmp_path: Path) -> None:
    reports = built_project["root"] / "reports"  # the session's shared build (RS and XK in it)
    for page, headings in (
        (reports / "index.html", ["multisee reports", "All jurisdictions", "Jurisdictions"]),
        (reports / "countries" / "RS.html", ["Serbia (RS)", "1. ccTLD registries", "Sources"]),
    ):
        url = page.as_uri()
        shot = tmp_path / f"{page.stem}.png"
        r = _chromium(url, tmp_path, f"--screenshot={shot}")
        assert shot.exists(), r.stderr[-2000:]
        assert _not_blank(shot) > 10, f"{page.name} renders blank"
        dom = _chromium(url, tmp_path, "--dump-dom").stdout
        for h in headings:
            assert h in dom, f"{h!r} not in the rendered {page.name}"
    dom = _chromium((reports / "index.html").as_uri(), tmp_path, "--dump-dom").stdout
    assert 'href="countries/RS.html"' in dom and "Kosovo*" in dom
    # no script or stylesheet from the network on any page (tests/test_site.py checks requests)
    import re

    for page in reports.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?https?://", text), page
