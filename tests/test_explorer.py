"""The interactive explorer (``reports/explorer/index.html``): its data equal the panel and the
index, and, driven in headless Chromium through Playwright, the page works offline from
``file://``: the year slider, the mechanism switch, the table, the hover, the click through to a
country page, the downloads and the shareable URL; no request leaves ``file://``."""

from __future__ import annotations

import csv
import io
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.measures.scoring import multisee_index
from analysis.model.paths import BOUNDARIES
from analysis.model.vocab import PALETTES
from analysis.products.interactive import BUNDLE_NAME, explorer_data, simplify_geojson

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Schemes a page may load from without leaving the machine.
LOCAL = ("file:", "data:", "blob:", "about:")


def _s(x: Any) -> str:
    return "" if pd.isna(x) else str(x)


def _cell(data: dict, mech: str, code: str, year: int) -> list[str] | None:
    for run in data["cells"][mech].get(code, []):
        if run[0] <= year <= run[1]:
            return run[2:]
    return None


# --------------------------------------------------------------------------- data (fast)


@pytest.fixture(scope="module")
def data(tables) -> dict:
    return explorer_data(tables)


def test_the_data_file_carries_the_panel_cell_for_cell(data, panel) -> None:
    for r in panel.itertuples(index=False):
        assert _cell(data, r.mechanism, r.country, int(r.year)) == [
            _s(r.state),
            _s(r.confidence),
            _s(r.evidence),
            _s(r.sources),
        ], (r.country, r.year, r.mechanism)
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    assert data["years"] == [lo, hi]
    assert lo == 1990 and lo <= data["default_year"] <= hi
    assert str(data["default_year"]) in data["year_note"]
    assert data["kosovo_footnote"].startswith("Kosovo*")


def test_the_data_file_carries_the_index(data, panel, tables) -> None:
    from analysis.measures.applicability import mark_not_applicable

    idx = multisee_index(mark_not_applicable(panel, tables))
    cols = data["index_columns"]
    for r in idx.itertuples(index=False):
        row = dict(
            zip(cols, next(x for x in data["index"][r.country] if x[0] == r.year), strict=True)
        )
        assert row["score"] == pytest.approx(float(r.score), abs=1e-4)
        assert row["low"] == pytest.approx(float(r.low), abs=1e-4)
        assert row["high"] == pytest.approx(float(r.high), abs=1e-4)
        assert row["rank"] == (None if pd.isna(r.rank) else int(r.rank))


def test_the_map_keeps_every_jurisdiction_with_the_winding_d3_wants() -> None:
    import json

    geo = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    features = simplify_geojson(geo)
    # every jurisdiction of SEE+ stays (a context speck such as the Vatican may vanish)
    assert {f["properties"]["code"] for f in features if f["properties"]["in_scope"]} == {
        f["properties"]["code"] for f in geo["features"] if f["properties"]["in_scope"]
    }
    assert "XK" in {f["properties"]["code"] for f in features if f["properties"]["in_scope"]}
    for f in features:
        for poly in f["geometry"]["coordinates"]:
            ring = poly[0]
            area = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
            assert area < 0, f"{f['properties']['code']}: outer ring not clockwise"
    assert sum(len(json.dumps(f)) for f in features) < 200_000  # the page stays light


def test_the_script_names_no_state_and_the_data_carry_states_sources_and_cite_line(
    data, tables
) -> None:
    """States, labels and colours reach the page through data.js (from analysis.model.vocab): the
    script names none of them; the sources tab's registry and the download footer's cite line
    are in the data too."""
    import re
    from importlib import resources

    from analysis.model.vocab import STATES

    js = (resources.files("analysis") / "assets" / "explorer.js").read_text(encoding="utf-8")
    for state in {s for states in STATES.values() for s in states}:
        assert not re.search(rf"[\"']{state}[\"']", js), f"explorer.js names the state {state!r}"
    for m in data["mechanisms"]:
        assert [s["id"] for s in m["states"]] == list(STATES[m["id"]])
    assert data["unknown"] == "unknown"
    cited = {
        s.strip()
        for runs in data["cells"].values()
        for country in runs.values()
        for run in country
        for s in run[5].split(";")
        if s.strip()
    }
    registry = tables.sources.set_index("id")
    assert set(data["sources"]) == cited & set(registry.index)
    for sid, (title, _publisher, _kind, reliability, url) in data["sources"].items():
        assert title == _s(registry.loc[sid, "title"]) and url == _s(registry.loc[sid, "url"])
        assert reliability in ("high", "medium", "low", "")
    assert "{title}" in data["cite"] and tables.data_hash[:12] in data["cite"]
    from shapely.geometry import Point, shape

    for f in data["features"]:  # each label sits on its country
        assert shape(f["geometry"]).buffer(0.05).contains(Point(f["properties"]["label"])), f[
            "properties"
        ]["code"]


# --------------------------------------------------------------------------- the page (slow)


@pytest.fixture(scope="module")
def site(tmp_path_factory, tables) -> Path:
    """The explorer written into a scratch reports/, with stub country pages to navigate to."""
    from analysis.products.interactive import write_explorer

    reports = tmp_path_factory.mktemp("site") / "reports"
    written = write_explorer(reports / "explorer", tables)
    assert written["bundle"] == reports / "assets" / BUNDLE_NAME
    (reports / "countries").mkdir()
    for code in tables.countries["code"].astype(str):
        (reports / "countries" / f"{code}.html").write_text(
            f"<!DOCTYPE html><title>{code}</title><h1>{code}</h1>", encoding="utf-8"
        )
    return reports


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM, "chromium is missing: `make chromium` installs the Debian package"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Page:
    """A Playwright page on the explorer that records every request and every page error."""

    def __init__(self, browser: Any, site: Path) -> None:
        self.context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 1400}
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.url = (site / "explorer" / "index.html").as_uri()

    def open(self, fragment: str = "") -> Any:
        self.page.goto(self.url + fragment)
        self.wait()
        return self.page

    def wait(self) -> None:
        self.page.wait_for_function("document.body.dataset.rendered", timeout=30_000)

    def table(self) -> list[dict[str, str]]:
        return self.page.eval_on_selector_all(
            "#table tbody tr",
            """rows => rows.map(tr => Object.assign({code: tr.dataset.code},
                 Object.fromEntries(Array.from(tr.cells).map(td => [td.dataset.col, td.textContent]))))""",
        )

    def inside(self, label: str) -> tuple[float, float]:
        """A point of the page inside the map shape whose ARIA label starts with ``label``."""
        pt = self.page.evaluate(
            """label => {
                const el = document.querySelector(`#map path[aria-label^="${label}"]`);
                const bb = el.getBBox(), m = el.getScreenCTM();
                const steps = 24;
                let best = null;
                for (let i = 1; i < steps; i++) for (let j = 1; j < steps; j++) {
                    const p = new DOMPoint(bb.x + bb.width * i / steps, bb.y + bb.height * j / steps);
                    if (!el.isPointInFill(p)) continue;
                    const s = p.matrixTransform(m);
                    const hit = document.elementFromPoint(s.x, s.y);
                    if (hit === el) { best = [s.x, s.y]; if (Math.abs(i - steps / 2) + Math.abs(j - steps / 2) < 6) return best; }
                }
                return best;
            }""",
            label,
        )
        assert pt, f"no point inside {label} on the map"
        return float(pt[0]), float(pt[1])

    def close(self) -> None:
        left = [u for u in self.requests if not u.startswith(LOCAL)]
        self.context.close()
        assert left == [], f"requests left file://: {left}"
        assert self.errors == [], self.errors


@pytest.fixture()
def ui(browser, site) -> Iterator[Page]:
    p = Page(browser, site)
    yield p
    p.close()


def _panel_rows(panel: pd.DataFrame, year: int, mech: str) -> dict[str, tuple[str, ...]]:
    sub = panel[(panel["year"] == year) & (panel["mechanism"] == mech)]
    return {
        r.country: (_s(r.confidence), _s(r.sources), r.state) for r in sub.itertuples(index=False)
    }


def _legend(mech: str) -> dict[str, str]:
    return {s: legend for s, legend, _ in PALETTES[mech]}


def _assert_table_is_panel(ui: Page, panel: pd.DataFrame, year: int, mech: str) -> None:
    rows = ui.table()
    want = _panel_rows(panel, year, mech)
    assert {r["code"] for r in rows} == set(want)
    for r in rows:
        conf, sources, state = want[r["code"]]
        assert r["state_label"] == _legend(mech)[state], r
        assert r["confidence"] == conf and r["sources"] == sources, r


@pytest.mark.slow
def test_the_page_opens_offline_with_year_note_and_footnote(ui: Page, data, panel) -> None:
    page = ui.open()
    year = data["default_year"]
    assert page.input_value("#year") == str(year)
    assert page.input_value("#mechanism") == "cctld"
    assert f"Data year {year}" in page.inner_text("#year-note")
    assert "Kosovo*" in page.inner_text("#kosovo-footnote")
    assert f"year={year}" in page.url and "mechanism=cctld" in page.url
    # the map drew one shape per jurisdiction of the panel, Kosovo* among them
    labels = page.eval_on_selector_all(
        "#map path[aria-label]", "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert any(lab.startswith("Kosovo*:") for lab in labels)
    assert len(labels) == panel["country"].nunique()
    page.click("#tab-table")
    ui.wait()  # the table is drawn in the next animation frame
    assert "view=table" in page.url
    _assert_table_is_panel(ui, panel, year, "cctld")
    assert {r.startswith("file:") for r in ui.requests} == {True}


@pytest.mark.slow
def test_the_year_slider_and_the_mechanism_switch_drive_map_table_and_url(
    ui: Page, panel, tables
) -> None:
    page = ui.open("#view=table")
    page.focus("#year")
    page.keyboard.press("Home")
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    ui.wait()
    assert page.inner_text("#year-value") == "2010" and "year=2010" in page.url
    assert page.inner_text("#year-note").startswith("Data year 2010 (chosen;")
    _assert_table_is_panel(ui, panel, 2010, "cctld")
    page.select_option("#mechanism", "igf")
    ui.wait()
    assert "mechanism=igf" in page.url
    _assert_table_is_panel(ui, panel, 2010, "igf")
    # weak evidence is flagged in the table
    weak = set(
        panel[
            (panel.year == 2010) & (panel.mechanism == "igf") & (panel.evidence == "weak")
        ].country
    )
    for r in ui.table():
        assert ("⚑" in r["evidence"]) == (r["code"] in weak)
    # the index: scores and ranks as multisee_index gives them (not-applicable cells left out)
    from analysis.measures.applicability import mark_not_applicable

    page.select_option("#mechanism", "index")
    ui.wait()
    idx = multisee_index(mark_not_applicable(panel, tables))
    want = idx[idx.year == 2010].set_index("country")
    rows = ui.table()
    assert {r["code"] for r in rows} == set(want.index)
    for r in rows:
        assert float(r["score"]) == pytest.approx(float(want.loc[r["code"], "score"]), abs=0.006)
        rank = want.loc[r["code"], "rank"]
        assert r["rank"] == ("" if pd.isna(rank) else str(int(rank)))


@pytest.mark.slow
def test_hover_shows_state_confidence_sources_and_click_opens_the_country_page(
    ui: Page, panel
) -> None:
    page = ui.open("#year=2018&mechanism=igf")
    x, y = ui.inside("Hungary")
    page.mouse.move(x, y)
    tip = page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
    text = tip.inner_text()
    conf, sources, state = _panel_rows(panel, 2018, "igf")["HU"]
    assert "Hungary" in text and _legend("igf")[state] in text
    assert "confidence" in text and "sources" in text
    assert (conf or "n/a") in text and (sources.split("; ")[0] if sources else "(none)") in text
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url.endswith("/countries/HU.html")
    assert page.inner_text("h1") == "HU"


@pytest.mark.slow
def test_downloads_csv_png_svg(ui: Page, panel) -> None:
    page = ui.open("#year=2015&mechanism=body")
    with page.expect_download() as dl:
        page.click("button[data-chart=map][data-download=csv]")
    d = dl.value
    assert d.suggested_filename == "multisee-map-body-2015.csv"
    text = Path(d.path()).read_text(encoding="utf-8")
    rows, footer = _csv(text)
    _assert_footer(footer, "Cite this table", boundary=False)
    assert list(rows[0]) == [
        "code", "country", "year", "mechanism", "state", "state_label", "confidence", "evidence", "sources",
    ]  # fmt: skip
    want = panel[(panel.year == 2015) & (panel.mechanism == "body")]
    assert len(rows) == len(want)
    got = {r["code"]: (r["state"], r["confidence"], r["sources"]) for r in rows}
    for r in want.itertuples(index=False):
        assert got[r.country] == (r.state, _s(r.confidence), _s(r.sources))
    assert {r["year"] for r in rows} == {"2015"}
    _images(page, "map", "multisee-map-body-2015")
    # the chart's CSV: the chosen countries over every year
    page.click("#tab-chart")
    with page.expect_download() as dl:
        page.click("button[data-chart=chart][data-download=csv]")
    series, _ = _csv(Path(dl.value.path()).read_text(encoding="utf-8"))
    years = panel["year"].nunique()
    assert {r["code"] for r in series} == {"RS", "XK", "HR", "MK", "BG"}
    assert len(series) == 5 * years
    _images(page, "chart", f"multisee-chart-body-{panel.year.min()}-{panel.year.max()}")


def _csv(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The data rows of a downloaded CSV and its footer (the ``# `` lines after the data)."""
    lines = text.splitlines()
    data = [line for line in lines if not line.startswith("# ")]
    footer = [line[2:] for line in lines if line.startswith("# ")]
    assert lines[len(data) :] == ["# " + f for f in footer], "the footer is not at the end"
    return list(csv.DictReader(io.StringIO("\n".join(data) + "\n"))), footer


def _assert_footer(lines: list[str], cite: str, boundary: bool) -> None:
    from analysis.model.vocab import BOUNDARY_NOTE, KOSOVO_FOOTNOTE, SOURCE_LINE

    text = " ".join(lines)
    assert cite in text and "data hash" in text and "CC BY 4.0" in text, text
    assert SOURCE_LINE in text and KOSOVO_FOOTNOTE in text, text
    assert (BOUNDARY_NOTE in text) == boundary, text


def _images(page: Any, chart: str, stem: str) -> None:
    import re
    from html import unescape

    from PIL import Image

    for kind, magic in (("png", b"\x89PNG"), ("svg", b"<svg")):
        with page.expect_download() as dl:
            page.click(f"button[data-chart={chart}][data-download={kind}]")
        assert dl.value.suggested_filename == f"{stem}.{kind}"
        body = Path(dl.value.path()).read_bytes()
        assert magic in body[:300], body[:80]
        if kind == "png":  # the footer makes the image taller than the view alone
            with Image.open(dl.value.path()) as img:
                assert img.height > 2 * (560 if chart == "map" else 200)
        else:  # every line of the footer is in the image, wrapped
            texts = [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", body.decode())]
            _assert_footer([" ".join(texts)], f"Cite this {chart}", boundary=chart == "map")


@pytest.mark.slow
def test_a_shared_link_restores_the_view(ui: Page, panel) -> None:
    page = ui.open("#year=2005&mechanism=body&countries=AL,XK&view=chart")
    assert page.input_value("#year") == "2005"
    assert page.input_value("#mechanism") == "body"
    assert page.is_visible("#view-chart") and not page.is_visible("#view-map")
    checked = page.eval_on_selector_all("#countries input:checked", "els => els.map(e => e.value)")
    assert checked == ["AL", "XK"]
    # ticking a country updates the address
    page.check("#countries input[value=RS]")
    ui.wait()
    assert "countries=AL,RS,XK" in page.url or "countries=AL,XK,RS" in page.url
    # a reload of that address gives the same view
    url = page.url
    page.goto("about:blank")
    page.goto(url)
    ui.wait()
    assert page.input_value("#year") == "2005"
    assert sorted(
        page.eval_on_selector_all("#countries input:checked", "els => els.map(e => e.value)")
    ) == ["AL", "RS", "XK"]


@pytest.mark.slow
def test_the_command_writes_page_data_and_one_shared_bundle(tmp_path: Path) -> None:
    import re

    from conftest import multisee

    out = tmp_path / "reports" / "explorer"
    res = multisee("explorer", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "vega-bundle.js" in res.stdout and "data.js" in res.stdout
    html = (out / "index.html").read_text(encoding="utf-8")
    # the page loads three local scripts, the shared bundle first, and nothing else
    assert re.findall(r'<script src="([^"]+)"', html) == [
        f"../assets/{BUNDLE_NAME}",
        "data.js",
        "explorer.js",
    ]
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html and "@font-face" not in html
    assert (tmp_path / "reports" / "assets" / BUNDLE_NAME).stat().st_size > 500_000
    assert (out / "data.js").read_text(encoding="utf-8").startswith("/* multisee explorer data")


# --------------------------------------------------------------------------- issue 21 (slow)

SCENE = """names => {
    const v = window.multiseeExplorer.views[names[0]];
    const out = [];
    (function walk(node, mark) {
        if (node.marktype) mark = node;
        (node.items || []).forEach(function (it) {
            if (it.marktype) { walk(it, it); return; }
            if (mark && names.slice(1).some(n => (mark.name || "").indexOf(n) === 0) && it.datum)
                out.push({mark: mark.name, x: it.x, y: it.y, datum: it.datum});
            walk(it, mark);
        });
    })(v.scenegraph().root, null);
    return out;
}"""


@pytest.mark.slow
def test_the_step_chart_draws_each_country_at_its_states(ui: Page, panel, data) -> None:
    """Serbia's national IGF, read back from the drawn chart: every point and every vertex of
    its step line sits on the band of the panel's state that year."""
    page = ui.open("#mechanism=igf&countries=RS,HR&view=chart&year=2015")
    items = page.evaluate(SCENE, ["chart", "points", "steps"])
    invert = page.evaluate(
        """ys => ys.map(y => window.multiseeExplorer.views.chart.scale("y").invert(y))""",
        [it["y"] for it in items],
    )
    states = [s["id"] for s in next(m for m in data["mechanisms"] if m["id"] == "igf")["states"]]
    band = {s: len(states) - 1 - i for i, s in enumerate(states)}
    want = {
        int(r.year): band[r.state]
        for r in panel[(panel.country == "RS") & (panel.mechanism == "igf")].itertuples()
    }
    drawn: dict[str, dict[int, float]] = {"points": {}, "steps": {}}
    for it, y in zip(items, invert, strict=True):
        if it["datum"].get("code") == "RS":
            drawn["points" if it["mark"].startswith("points") else "steps"][it["datum"]["year"]] = y
    assert set(drawn["points"]) == set(want) == set(drawn["steps"])
    for kind, ys in drawn.items():
        for year, y in ys.items():
            assert round(y) == want[year] and abs(y - want[year]) < 0.25, (kind, year, y)
    # the states change in the drawing where they change in the panel
    assert {y for y in want.values()} == {round(y) for y in drawn["points"].values()}


@pytest.mark.slow
def test_the_map_hatches_unknown_labels_countries_and_shows_a_matching_legend(
    ui: Page, panel, data
) -> None:
    page = ui.open("#year=2015&mechanism=igf")
    sub = panel[(panel.year == 2015) & (panel.mechanism == "igf")]
    unknown = set(sub[sub.state == data["unknown"]].country)
    assert unknown, "the test needs an unknown cell"
    items = page.evaluate(SCENE, ["map", "layer_2", "layer_4"])
    hatched = {
        it["datum"]["properties"]["code"] for it in items if it["mark"].startswith("layer_2")
    }
    labels = {it["datum"]["properties"]["code"] for it in items if it["mark"].startswith("layer_4")}
    assert hatched == unknown
    assert labels == set(sub.country)
    # the legend beside the map: one entry per state, in the fill colours, unknown hatched
    entries = page.eval_on_selector_all(
        "#map-legend li",
        "els => els.map(e => [e.dataset.state, getComputedStyle(e.querySelector('.swatch')).backgroundImage,"
        " getComputedStyle(e.querySelector('.swatch')).backgroundColor, e.textContent])",
    )
    by_state = {e[0]: e for e in entries}
    for s, legend, colour in PALETTES["igf"]:
        entry = by_state[s]
        assert legend in entry[3]
        rgb = "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))
        assert rgb in (entry[1] if s == data["unknown"] else entry[2]), entry
    assert "repeating-linear-gradient" in by_state[data["unknown"]][1]
    assert "context" in by_state and "weak" in by_state
    size = page.eval_on_selector("#map-legend li", "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14, "the legend is too small to read"
    box = page.eval_on_selector("#map-legend", "e => e.getBoundingClientRect().toJSON()")
    svg = page.eval_on_selector("#map svg", "e => e.getBoundingClientRect().toJSON()")
    assert box["left"] >= svg["right"] - 1 and box["top"] < svg["bottom"], (
        "legend not beside the map"
    )


@pytest.mark.slow
def test_the_map_works_by_keyboard_and_search_and_charts_have_aria(ui: Page, panel) -> None:
    page = ui.open("#year=2018&mechanism=igf")
    for chart in ("map",):
        role, label = page.eval_on_selector(
            f"#{chart}", "e => [e.getAttribute('role'), e.getAttribute('aria-label')]"
        )
        assert role and label and "2018" in label
    focusable = page.eval_on_selector_all(
        "#map path[tabindex='0']", "els => els.map(e => e.dataset.code)"
    )
    assert sorted(focusable) == sorted(panel.country.unique())
    page.focus("#map path[data-code=HU]")
    info = page.inner_text("#map-info")
    conf, _, state = _panel_rows(panel, 2018, "igf")["HU"]
    assert "Hungary" in info and _legend("igf")[state] in info and (conf or "n/a") in info
    assert page.evaluate("window.multiseeExplorer.state.selected") == "HU"
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/HU.html")
    page.go_back()
    ui.wait()
    page.fill("#search", "serb")
    page.press("#search", "Enter")
    assert page.evaluate("window.multiseeExplorer.state.selected") == "RS"
    assert "Serbia" in page.inner_text("#map-info")
    assert page.evaluate("document.activeElement.dataset.code") == "RS"
    page.click("#tab-chart")
    ui.wait()
    role, label = page.eval_on_selector(
        "#chart", "e => [e.getAttribute('role'), e.getAttribute('aria-label')]"
    )
    assert role and "Serbia" in label and "national IGF held" in label


@pytest.mark.slow
def test_the_slider_redraws_only_the_visible_view_once_per_frame(ui: Page, panel) -> None:
    page = ui.open("#year=1990&mechanism=cctld&view=map")
    before = page.evaluate("Object.assign({}, window.multiseeExplorer.stats)")
    page.evaluate(
        """() => { const y = document.getElementById("year");
        for (let v = 1991; v <= 2020; v++) { y.value = String(v); y.dispatchEvent(new Event("input")); } }"""
    )
    ui.wait()
    after = page.evaluate("Object.assign({}, window.multiseeExplorer.stats)")
    assert after["draws"] - before["draws"] <= 2, (before, after)  # 30 inputs, one frame
    assert after["embeds"] == before["embeds"], "a year change rebuilt the map"
    assert page.evaluate("Object.keys(window.multiseeExplorer.views)") == ["map"]  # chart hidden
    assert "2020" in page.get_attribute("#map", "aria-label")  # the label follows the year
    drawn = page.evaluate(SCENE, ["map", "layer_1"])
    want = _panel_rows(panel, 2020, "cctld")
    for it in drawn:
        p = it["datum"]["properties"]
        assert p["state"] == _legend("cctld")[want[p["code"]][2]], p


@pytest.mark.slow
def test_play_compare_two_years_sources_tab_and_embed(ui: Page, panel, data) -> None:
    last = data["years"][1]
    page = ui.open(f"#year={last - 2}&mechanism=igf")
    page.click("#play")
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.wait_for_function(
        "document.getElementById('play').getAttribute('aria-pressed') === 'false'", timeout=10_000
    )
    ui.wait()
    assert page.inner_text("#year-value") == str(last) and f"year={last}" in page.url
    # two years side by side
    page.goto(ui.url + "#view=compare&mechanism=igf&compare=2010,2020")
    ui.wait()
    a, b = _panel_rows(panel, 2010, "igf"), _panel_rows(panel, 2020, "igf")
    rows = ui.page.eval_on_selector_all(
        "#compare tbody tr",
        """rows => rows.map(tr => Object.assign({code: tr.dataset.code, changed: tr.className},
             Object.fromEntries(Array.from(tr.cells).map(td => [td.dataset.col, td.textContent]))))""",
    )
    assert {r["code"] for r in rows} == set(a) | set(b)
    for r in rows:
        assert r["state_label_a"] == _legend("igf")[a[r["code"]][2]]
        assert r["state_label_b"] == _legend("igf")[b[r["code"]][2]]
        assert (r["changed"] == "changed") == (a[r["code"]][2] != b[r["code"]][2])
    with page.expect_download() as dl:
        page.click("button[data-chart=compare][data-download=csv]")
    got, footer = _csv(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert len(got) == len(rows) and {r["year_a"] for r in got} == {"2010"}
    _assert_footer(footer, "Cite this table", boundary=False)
    # the sources of the view: every source the cells shown cite, and no other
    page.goto(ui.url + "#view=sources&mechanism=igf&year=2018")
    ui.wait()
    ids = set(page.eval_on_selector_all("#sources tbody tr", "els => els.map(e => e.dataset.id)"))
    sub = panel[(panel.year == 2018) & (panel.mechanism == "igf")]
    want = {s.strip() for v in sub.sources for s in _s(v).split(";") if s.strip()}
    assert ids == want and ids
    hrefs = page.eval_on_selector_all(
        "#sources tbody td:first-child a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert all(h.startswith("../sources.html#src-") for h in hrefs)
    # embed code: an iframe of this very view
    code = page.input_value("#embed-code")
    assert code.startswith("<iframe src=") and "view=sources" in code and "year=2018" in code
