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

from analysis.measures import present
from analysis.model.vocab import KOSOVO_FOOTNOTE, coded_labels, label
from analysis.products import pages as site

#: Every snake_case code of the vocabulary (subregions, states, statuses, BPF dimensions...).
RAW_CODES = tuple(coded_labels())
UNROUNDED = re.compile(r"(?<![\w.])\d+\.\d{4,}(?![\w.])")
EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//", re.I
)


def test_labels() -> None:
    assert label("western_balkans") == "Western Balkans"
    assert label("not_multistakeholder") == "not multistakeholder"
    assert label("bpf_inclusive").startswith("BPF: inclusive")
    assert label("RS") == "RS" and label("Serbian IGF") == "Serbian IGF" and label("yes") == "yes"
    from analysis.model.vocab import CODES

    for code in CODES["subregion"]:  # names of regions: every word capitalised
        assert all(w[0].isupper() for w in label(code).split()), label(code)
    assert label("eastern_mediterranean") == "Eastern Mediterranean"
    assert label("south_east_eu") == "South East EU"


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


def test_report_images_keep_the_alt_text_of_the_figure_helpers() -> None:
    """figure_image(fig, alt) reaches the page's <img alt>, escaped; never nbconvert's "No
    description has been provided for this image"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from analysis.build.execute import to_html
    from analysis.products.figures import figure_image

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.plot([0, 1])
    data, md = DisplayFormatter().format(figure_image(fig, 'Serbia: "states" <2015>'))
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=md)]
    nb.cells = [cell]
    page = to_html(nb, "t")
    from bs4 import BeautifulSoup

    imgs = BeautifulSoup(page, "html.parser").find_all("img")
    assert [i.get("alt") for i in imgs] == ['Serbia: "states" <2015>']
    assert "No description" not in page


#: Raw field paths (``field_sources.manager_since``) and JSON objects a page must not show.
FIELD_PATH = re.compile(r"\b[a-z]+_[a-z_]+\.(?!(?:py|yaml|yml|csv|json|md|html|ipynb)\b)[a-z_]+\b")
JSON_OBJECT = re.compile(r"\{\s*\"")


def test_the_changes_section_says_fields_and_values_in_words() -> None:
    from bs4 import BeautifulSoup

    from analysis.measures.datadiff import DataDiff, FieldChange, RecordChange, Side
    from analysis.measures.present import humanise
    from analysis.products.diff_render import render_html

    d = DataDiff(
        a=Side("v0.2.0", "v0.2.0", "abc"),
        b=Side("working tree", None, None),
        records=[
            RecordChange(
                "changed", "cctld", "rs-rnids", "RS", "data/countries/RS.yaml", ["rs-a"], "sourced",
                [
                    FieldChange("field_sources.manager_since", ["rs-a"], ["rs-b"], ["rs-b"], "sourced"),
                    FieldChange("ms_basis", {"board_seats": 3}, {"board_seats": 5}, [], "sourced"),
                    FieldChange("multistakeholder", "partly", "yes", ["rs-b"], "sourced"),
                ],
            )
        ],
    )  # fmt: skip
    soup = BeautifulSoup(humanise(render_html(d)), "html.parser")
    for tag in soup.select("code"):
        tag.decompose()
    text = soup.get_text(" ")
    assert "sources of manager since" in text and "board seats: 3" in text, text
    assert not FIELD_PATH.search(text) and not JSON_OBJECT.search(text), text


def test_a_failing_footer_fails_the_report_instead_of_dropping_it(monkeypatch) -> None:
    """The footer carries the Kosovo* footnote and the cite line: an error building it fails
    the report (the build records the error) instead of shipping a page without it."""

    def broken(*_a: object, **_k: object) -> str:
        raise RuntimeError("no data year")

    monkeypatch.setattr(site, "year_line", broken)
    with pytest.raises(RuntimeError, match="no data year"):
        site.report_chrome({"id": "countries/XK"}, "Country profile: XK", "XK")
    with pytest.raises(RuntimeError, match="no data year"):
        site.page("Sources", "<p>XK</p>", [("Sources", None)], None)


def test_the_method_page_carries_the_panel_rules_or_fails(tmp_path: Path, monkeypatch) -> None:
    from analysis.build import site as site_build
    from analysis.products import codebook

    out = site_build.write_method_page(tmp_path)
    text = out.read_text(encoding="utf-8")
    assert "The rules of the adoption panel" in text and "ordinals" in text
    out.unlink()

    def broken() -> list[str]:
        raise KeyError("state")

    monkeypatch.setattr(codebook, "_panel_rules", broken)
    with pytest.raises(KeyError):
        site_build.write_method_page(tmp_path)
    monkeypatch.setattr(codebook, "_panel_rules", lambda: ["### heading", ""])
    with pytest.raises(ValueError, match="panel rules are empty"):
        site_build.write_method_page(tmp_path)
    assert not out.exists(), "a method page without the rules was written"


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
                assert not re.search(rf"(?<![\w-]){code}(?![\w-])", prose), (
                    f"raw code {code!r} visible on {rel}"
                )
            if rel != "codebook.html":
                assert not FIELD_PATH.search(prose), (
                    f"field path on {rel}: {FIELD_PATH.search(prose)}"
                )
                assert not JSON_OBJECT.search(prose), f"JSON on {rel}"
                listed = re.search(r"\b(?:[A-Z]{2}\*?, ){2,}[A-Z]{2}\b", prose)
                assert not listed, f"jurisdictions listed by code on {rel}: {listed.group(0)}"
                for words in ("western europe", "eastern mediterranean", "south caucasus"):
                    assert words not in prose, f"subregion {words!r} in lower case on {rel}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1400, f"{rel} overflows a 1400 px window: {width} px"
            if rel == "index.html":
                assert page.locator("label[for=filter]").count() == 1
                assert "weights" not in page.inner_text("#explorer + p")  # no control for them
            if rel == "sources.html":
                total = page.locator("#sources tbody tr").count()
                page.select_option("select[data-filter=where]", "Serbia")
                page.select_option("select[data-filter=reliability]", "high")
                shown = page.eval_on_selector_all(
                    "#sources tbody tr",
                    "els => els.filter(e => e.style.display !== 'none')"
                    ".map(e => [e.dataset.where, e.dataset.reliability])",
                )
                assert 0 < len(shown) < total
                assert {tuple(x) for x in shown} == {("Serbia", "high")}
                assert page.inner_text("#sources-shown") == f"{len(shown)} of {total} shown"
            no_alt = page.eval_on_selector_all(
                "img", "els => els.filter(e => !(e.getAttribute('alt') || '').trim()).length"
            )
            assert no_alt == 0, f"{no_alt} image(s) without alt text on {rel}"
            assert "No description has been provided" not in page.content(), rel
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


def test_a_standalone_page_carries_the_site_look_and_is_packaged() -> None:
    """``multisee diff/gaps --format html`` write one file: the site's stylesheet inlined (no
    link, no script), the title escaped, the body as given; the template ships in the wheel."""
    import fnmatch

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    from analysis.model.paths import PACKAGE, ROOT

    page = site.standalone_page("A <b> & c", "<p>body</p>\n")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>A &lt;b&gt; &amp; c</title>" in page
    assert f"<style>{site.CSS}</style>" in page and "<p>body</p>" in page
    assert "<link" not in page and "<script" not in page and "$" not in page
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["analysis"]
    packaged = site.STANDALONE.relative_to(PACKAGE).as_posix()
    assert any(fnmatch.fnmatch(packaged, p) for p in patterns), (packaged, patterns)
