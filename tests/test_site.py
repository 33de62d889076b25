"""The report site people navigate and trust (issue 11 §2).

Fast tests: human labels, rounded values, linked source ids, the page chrome. The slow test builds
a subset of the reports into a scratch copy and opens each page type in headless Chromium at
1400x900 (Playwright driving Debian's chromium), testing the text: navigation, source links that
resolve, no raw codes, no unrounded floats, the Kosovo* footnote where XK appears, the data year,
and no request leaving file://.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import pages as site
from analysis import present
from analysis.vocab import KOSOVO_FOOTNOTE, label

RAW_CODES = (
    "western_balkans",
    "south_caucasus",
    "eastern_europe",
    "not_multistakeholder",
    "partly_multistakeholder",
    "potential_candidate",
    "bpf_inclusive",
    "bpf_open",
    "not_found",
)
UNROUNDED = re.compile(r"(?<![\w.])\d+\.\d{4,}(?![\w.])")
EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//", re.I
)


def test_labels() -> None:
    assert label("western_balkans") == "Western Balkans"
    assert label("not_multistakeholder") == "not multistakeholder"
    assert label("bpf_inclusive").startswith("BPF: inclusive")
    assert label("RS") == "RS" and label("Serbian IGF") == "Serbian IGF" and label("yes") == "yes"


def test_table_labels_rounds_and_links_sources() -> None:
    df = pd.DataFrame(
        {
            "state": ["not_multistakeholder", "held"],
            "score": [0.861353, 1.0],
            "sources": [["rs-a", "rs-b"], "hr-c; hr-d"],
            "id": ["rs-a", "x"],
        }
    )
    out = present.table(df, {"state": "state", "score": "score", "sources": "sources", "id": "id"})
    assert "not multistakeholder" in out and "not_multistakeholder" not in out
    assert "0.861" in out and "0.861353" not in out and ">1<" in out
    for sid in ("rs-a", "rs-b", "hr-c", "hr-d"):
        assert f'href="../sources.html#src-{sid}"' in out
    linked = present.table(df, ["id"], source_columns=["id"])
    assert 'href="../sources.html#src-rs-a"' in linked
    assert "<script>" not in present.table(pd.DataFrame({"text": ["<script>x</script>"]}), ["text"])


def test_page_titles_without_slugs() -> None:
    assert site.page_title("comparisons/eu-members", "Comparison: eu-members") == (
        "Comparison: EU member states"
    )
    assert site.page_title("countries/RS", "Country profile: RS") == "Country profile: Serbia"
    assert site.page_title("maps/igf", "Map: igf") == "Map: National IGF initiatives"


def test_report_chrome() -> None:
    title, head, foot = site.report_chrome(
        {"id": "countries/XK", "data_hash": "abc123", "end": "2026-01-01T00:00:00"},
        "Country profile: XK",
        "XK",
    )
    assert title == "Country profile: Kosovo*"
    assert 'href="../method.html"' in head and 'href="../sources.html"' in head
    assert "explorer/index.html#countries=XK&amp;view=chart" in head
    assert "comparisons/eu-candidates.html" in head
    assert "Data year" in foot and KOSOVO_FOOTNOTE[:40] in foot and "Cite this page" in foot


# --------------------------------------------------------------------------------------------
# The built site in Chromium
# --------------------------------------------------------------------------------------------

ITEMS = (
    "countries/RS",
    "countries/XK",
    "comparisons/eu-candidates",
    "comparisons/timeline",
    "maps/cctld",
)
PAGES = (
    "index.html",
    "sources.html",
    "method.html",
    "data.html",
    "codebook.html",
    "countries/RS.html",
    "countries/XK.html",
    "comparisons/eu-candidates.html",
    "comparisons/timeline.html",
    "maps/cctld.html",
)


@pytest.fixture(scope="module")
def built_site(built_project: dict) -> Path:
    """The reports of the session's shared build (tests/conftest.py), which holds :data:`ITEMS`."""
    from conftest import SHARED_ITEMS

    assert set(ITEMS) <= set(SHARED_ITEMS)
    return built_project["root"] / "reports"


@pytest.mark.slow
def test_no_network_resources_in_any_page(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) >= len(PAGES)
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{p.name} loads something from the network"
        assert "require.js" not in text and "MathJax.js" not in text
    css = built_site / "assets" / "notebook.css"
    assert css.exists() and css.stat().st_size > 50_000
    country = (built_site / "countries" / "RS.html").stat().st_size
    assert country < css.stat().st_size, "the notebook CSS is still inlined"


@pytest.mark.slow
def test_each_page_type_in_chromium(built_site: Path, tmp_path: Path) -> None:
    pw = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is missing: `make chromium` installs the Debian package"
    source_ids = set(
        re.findall(r"<tr id='([^']+)'", (built_site / "sources.html").read_text(encoding="utf-8"))
    )
    assert source_ids
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for rel in PAGES:
            requests.clear()
            page.goto((built_site / rel).as_uri())
            page.wait_for_load_state("load")
            page.screenshot(path=str(tmp_path / (rel.replace("/", "_") + ".png")))
            text = page.inner_text("body")
            assert page.locator("nav.site-nav a[href$='method.html']").count() == 1, rel
            assert page.locator("nav.site-nav a[href*='explorer/index.html']").count() == 1, rel
            if "/" in rel:
                assert page.locator("nav.breadcrumbs").count() == 1, rel
            outside = [u for u in requests if not u.startswith(("file:", "data:", "about:"))]
            assert not outside, f"{rel} requested {outside}"
            # raw codes: not in the prose and tables (URLs and <code> ids may contain them)
            prose = page.evaluate(
                """() => { const b = document.body.cloneNode(true);
                b.querySelectorAll('a[href^="http"], code, style, script').forEach(e => e.remove());
                return b.textContent; }"""
            )
            for code in RAW_CODES if rel != "codebook.html" else ():  # the codebook defines them
                assert code not in prose, f"raw code {code!r} visible on {rel}"
            bad = UNROUNDED.findall(text)
            assert not bad, f"unrounded numbers on {rel}: {bad[:5]}"
            assert re.search(r"Data year \d{4}", text), f"no data year on {rel}"
            if re.search(r"\bXK\b|Kosovo", text):
                assert KOSOVO_FOOTNOTE[:60] in text, f"XK shown without the footnote on {rel}"
            hrefs = page.eval_on_selector_all(
                "a.source-id", "els => els.map(e => e.getAttribute('href'))"
            )
            for href in hrefs:
                target, _, anchor = href.partition("#")
                assert target.endswith("sources.html") and anchor in source_ids, (rel, href)
            if rel.startswith("countries/"):
                assert hrefs, f"no linked source id on {rel}"
                assert "Cite this page" in text and "Changes since" in text
                assert page.locator("details.multisee-notes").count() >= 1 or rel.endswith(
                    "XK.html"
                )
        browser.close()
    title = (built_site / "comparisons" / "eu-candidates.html").read_text(encoding="utf-8")
    assert "<title>Comparison: EU candidate countries" in title
