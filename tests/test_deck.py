"""The session deck (one multi-page PDF) and the adoption animation (GIF)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from analysis.measures.comparison import compare
from analysis.measures.events import events
from analysis.measures.panel import diffusion, panel_for
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import resolve_period, resolve_year, select, year_note
from analysis.model import release, vocab
from analysis.model.errors import UserError
from analysis.model.load import load
from analysis.model.vocab import SEP
from analysis.products import choropleth, deck, deck_slide, deck_sources, map_boundaries
from analysis.products.adoption_map import states_for
from analysis.products.figures import rank_order

# `make test-fast` is for every edit: this module draws deck pages and whole decks (about two
# minutes), so it runs in `make test` only.
pytestmark = pytest.mark.slow

SESSION = "SEEDIG test session: MS at home"
PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.fixture(scope="module")
def wb_deck(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("deck") / "wb.pdf"
    return deck.make_deck(
        out, SESSION, countries="western-balkans", year=2019, years_small_multiples=[2010, 2019]
    )


def _cited(codes: list[str]) -> set[str]:
    """Ids of the sources cited by any record of the given jurisdictions, read from the tables."""
    tables = load()
    keep = set(codes)
    ids: set[str] = set()
    frames = [*tables.as_dict().values()]
    for df in frames:
        key = "country" if "country" in df.columns else "code" if "code" in df.columns else None
        if df.empty or key is None:
            continue
        rows = df[df[key].isin(keep)]
        for col in [c for c in rows.columns if c == "sources" or c.endswith("_sources")]:
            for cell in rows[col].dropna():
                ids.update(s for s in str(cell).split(SEP) if s)
    return ids


def _flat(texts: list[str]) -> list[str]:
    """Texts with their line wrapping undone."""
    return [" ".join(t.split()) for t in texts]


def test_deck_page_count_matches_inputs(wb_deck: dict[str, Any]) -> None:
    _info, sections = deck.plan_deck(
        SESSION, countries="western-balkans", year=2019, years_small_multiples=[2010, 2019]
    )
    fig = deck.draw_page(sections["sources"][0], 1, 1)
    n = len(_cited(wb_deck["countries"]))
    assert any(f"{n} sources cited by the records of" in t for t in _flat(_all_texts(fig)))
    assert wb_deck["sections"] == {
        "title": 1,
        "maps": 3,
        "small_multiples": 3,
        "comparison": 1,
        "timeline": 2,
        "why": 1,
        "sources": 1,
    }
    assert wb_deck["pages"] == sum(wb_deck["sections"].values()) <= deck.MAX_PAGES
    data = Path(wb_deck["path"]).read_bytes()
    assert len(PAGE.findall(data)) == wb_deck["pages"]
    assert re.search(rb"/Count\s+" + str(wb_deck["pages"]).encode() + rb"\b", data)


def test_deck_is_a_pdf_with_the_session_title(wb_deck: dict[str, Any]) -> None:
    path = Path(wb_deck["path"])
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Title (" + SESSION.encode() + b")" in data
    assert b"/CreationDate" not in data  # reproducible: no date
    # written atomically: no temporary file left beside it
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_deck_reports_its_parameters(wb_deck: dict[str, Any]) -> None:
    assert (
        wb_deck["countries"]
        == list(select("western-balkans").codes)
        == ["AL", "BA", "ME", "MK", "RS", "XK"]
    )
    assert wb_deck["year"] == 2019
    assert wb_deck["years_small_multiples"] == [2010, 2019]


def _all_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]


def test_deck_states_its_year() -> None:
    info, sections = deck.plan_deck(SESSION, countries=["RS"])
    panel = panel_for(load())
    assert info["year"] == resolve_year(None, panel) and info["year_is_default"]
    default = year_note(info["year"], True)
    for name in ("title", "comparison", "timeline"):
        for draw in sections[name]:
            assert any(default in t for t in _all_texts(deck.draw_page(draw, 1, 1))), name
    # the comparison page states what it ranks: the year rule, the window and the reason
    texts = " ".join(_all_texts(deck.draw_page(sections["comparison"][0], 1, 1)))
    assert "Ranking: the share of the 5 years" in texts.replace("\n", " ")
    _info, sections = deck.plan_deck(SESSION, countries=["RS"], year=2019)
    texts = _all_texts(deck.draw_page(sections["title"][0], 1, 1))
    assert any(year_note(2019, False) in t for t in texts)


def test_comparison_page_prints_shared_ranks_of_all_core_jurisdictions() -> None:
    from analysis.measures.applicability import mark_not_applicable

    tables = load()
    idx = multisee_index(mark_not_applicable(panel_for(tables), tables), year=2019)
    idx = idx.dropna(subset=["rank"])
    counts = idx["rank"].value_counts()
    tied = idx[idx["rank"].map(counts) > 1].sort_values("country").iloc[0]
    _info, sections = deck.plan_deck(SESSION, countries=[tied["country"]], year=2019)
    texts = _all_texts(deck.draw_page(sections["comparison"][0], 1, 1))
    assert any(t.startswith(f"={int(tied['rank'])} (") for t in texts), texts


@pytest.mark.parametrize("countries", [["RS", "HR"], "western-balkans", None])
def test_timeline_page_draws_the_events_of_the_timeline_view(countries: Any) -> None:
    """Over the event slides (21 jurisdictions: two), every event of the timeline view."""
    info, sections = deck.plan_deck(SESSION, countries=countries, year=2019)
    codes = info["countries"]
    parts = deck_slide.chunks(codes)
    assert len(sections["timeline"]) == 1 + len(parts)
    drawn = []
    for slide, part in zip(sections["timeline"][1:], parts, strict=True):
        fig = deck.draw_page(slide, 1, 1)
        (ax,) = [a for a in fig.axes if a.get_label() == "events"]
        drawn += [
            (round(float(x), 6), part[round(float(y))])
            for coll in ax.collections
            for x, y in coll.get_offsets()
        ]
    drawn.sort()
    ev = events(codes, load())
    expected = sorted(
        (round(float(w), 6), c) for w, c in zip(ev["when"], ev["country"], strict=True)
    )
    assert drawn == expected and expected


SITE = "https://multisee.test/site"


@pytest.fixture
def configured_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project whose pyproject.toml sets ``[tool.multisee] site_url`` to a test address."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[tool.multisee]\nsite_url = "{SITE}/"\n', encoding="utf-8")
    monkeypatch.setattr(release, "_PYPROJECT", pyproject)
    return SITE


@pytest.fixture
def no_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.multisee]\nsite_url = ""\n', encoding="utf-8")
    monkeypatch.setattr(release, "_PYPROJECT", pyproject)


def _decode(png: bytes) -> list[str]:
    """The texts of the QR codes in an image, read by zxing-cpp."""
    import io

    import zxingcpp
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        return [r.text for r in zxingcpp.read_barcodes(im.convert("L"))]


def _png(fig: Figure, dpi: int = 100) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def test_sources_slide_without_a_site_address_says_where_the_sources_are(no_site: None) -> None:
    info, sections = deck.plan_deck(SESSION, countries=["RS"], year=2019)
    assert info["site_url"] is None and info["sources_link"] is None
    assert any(e.startswith("rs-") for e in info["sources"])  # Serbia's sources: rs-...
    (slide,) = sections["sources"]
    fig = deck.draw_page(slide, 1, 1)
    assert not [im for ax in fig.axes for im in ax.images]  # no QR code
    assert not [t for t in fig.texts if t.get_url()]  # no link to an address that does not exist
    texts = _flat(_all_texts(fig))
    assert deck_sources.LOCAL_SOURCES in texts and vocab.BOUNDARY_NOTE in texts
    assert slide.picture is None and not slide.alt
    assert not _decode(_png(fig))


def test_qr_code_decodes_to_the_configured_sources_page(configured_site: str) -> None:
    """The setting (pyproject.toml [tool.multisee] site_url) reaches the slide: link and QR
    code, read back from the rendered slide by a QR decoder, are <site_url>/sources.html."""
    info, sections = deck.plan_deck(SESSION, countries=["RS"], year=2019)
    link = f"{configured_site}/sources.html"
    assert info["sources_link"] == link
    (slide,) = sections["sources"]
    fig = deck.draw_page(slide, 1, 1)
    assert [t.get_url() for t in fig.texts if t.get_url()] == [link]
    assert _decode(_png(fig)) == [link]
    assert slide.picture is not None and _decode(slide.picture) == [link]
    assert slide.alt == f"QR code linking to {link}"
    # an explicit address (the CLI's --site-url) wins over the setting
    _info, sections = deck.plan_deck(SESSION, countries=["RS"], site_url="https://other.test")
    fig = deck.draw_page(sections["sources"][0], 1, 1)
    assert _decode(_png(fig)) == ["https://other.test/sources.html"]
    with pytest.raises(UserError, match="not an http"):
        deck.plan_deck(SESSION, countries=["RS"], site_url="reports/sources.html")


def test_pdf_sources_link_is_clickable(configured_site: str, tmp_path: Path) -> None:
    res = deck.make_deck(tmp_path / "rs.pdf", SESSION, countries=["RS"], year=2019)
    data = Path(res["path"]).read_bytes()
    assert f"/URI ({configured_site}/sources.html)".encode() in data
    assert b"/Subtype /Link" in data


def test_every_map_page_carries_source_boundary_and_kosovo_notes() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    pages = sections["maps"] + sections["small_multiples"]
    for i, draw in enumerate(pages, start=1):
        fig = deck.draw_page(draw, i, len(pages))
        texts = _flat([t.get_text() for t in fig.texts])
        assert deck.MAP_BOUNDARY_NOTE in texts
        assert vocab.KOSOVO_FOOTNOTE in texts
        assert any(t.startswith("Source: ") for t in texts)
        assert choropleth.hatched_codes(fig)  # ME and XK have weak evidence in 2019


def test_map_page_hatches_weak_evidence_of_selection_only() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    panel = panel_for(load())
    for mech, draw in zip(("cctld", "igf", "body"), sections["maps"], strict=True):
        fig = deck.draw_page(draw, 1, 1)
        _states, weak = states_for(panel, mech, 2019)
        assert choropleth.hatched_codes(fig) == sorted(
            weak & set(list(select("western-balkans").codes))
        )


def test_other_content_pages_carry_kosovo_footnote_when_selected() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    for name in ("title", "comparison", "timeline"):
        for draw in sections[name]:
            texts = _flat([t.get_text() for t in deck.draw_page(draw, 1, 1).texts])
            assert vocab.KOSOVO_FOOTNOTE in texts, name
    _info, sections = deck.plan_deck(SESSION, countries=["RS", "AM"], year=2019)
    for name in ("comparison", "timeline"):
        for draw in sections[name]:
            texts = _flat([t.get_text() for t in deck.draw_page(draw, 1, 1).texts])
            assert vocab.KOSOVO_FOOTNOTE not in texts, name


def test_default_small_multiple_years_end_with_latest_year() -> None:
    panel = panel_for(load())
    latest = int(panel["year"].max())
    assert deck.small_multiple_years(panel) == sorted({2005, 2010, 2015, 2020, latest})


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"countries": "no-such-group"}, "unknown selection"),
        ({"countries": ["RS", "ZZ"]}, "unknown country"),
        ({"year": 1900}, "no data for year 1900"),
        ({"years_small_multiples": [2010, 3000]}, "no data for year"),
        ({"session": "  "}, "session must be"),
    ],
)
def test_bad_parameters_give_user_error(
    tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    args: dict[str, Any] = {"out": tmp_path / "bad.pdf", "session": SESSION, **kwargs}
    with pytest.raises(UserError, match=message):
        deck.make_deck(**args)
    assert not list(tmp_path.iterdir()), "nothing written on a bad parameter"


_RENDER = """
import sys
from pathlib import Path
from analysis.products.deck import make_deck

make_deck(Path(sys.argv[1]), "Determinism", countries=["RS", "XK"], year=2019,
          years_small_multiples=[2019])
"""


@pytest.mark.slow
def test_same_inputs_give_the_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    """Two fresh interpreters (fresh caches, fresh matplotlib state) write identical PDFs."""
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for out in outs:
        subprocess.run([sys.executable, "-c", _RENDER, str(out)], check=True, timeout=300)
    a, b = (p.read_bytes() for p in outs)
    assert a.startswith(b"%PDF") and a == b


@pytest.mark.slow
def test_full_deck_for_every_jurisdiction(tmp_path: Path) -> None:
    res = deck.make_deck(tmp_path / "all.pdf", SESSION)
    assert len(res["countries"]) == len(load().countries)
    assert res["pages"] == sum(res["sections"].values())
    parts = deck_slide.chunks(res["countries"])
    assert res["sections"]["timeline"] == 1 + len(parts) == 3  # curves, events 11 + 10
    assert res["sections"]["comparison"] == len(parts) == 2
    assert len(PAGE.findall((tmp_path / "all.pdf").read_bytes())) == res["pages"]
    assert res["seconds"] < 60  # ~8-10 s on a 2-core machine; the target is ~20 s


# --------------------------------------------------------------------------- the projector kit


@pytest.fixture(scope="module")
def default_deck(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The default deck (every jurisdiction, no small multiples) with its PPTX."""
    folder = tmp_path_factory.mktemp("default")
    return deck.make_deck(folder / "deck.pdf", SESSION, pptx=folder / "deck.pptx")


def test_default_deck_fits_the_page_budget_and_size(default_deck: dict[str, Any]) -> None:
    assert default_deck["pages"] <= deck.MAX_PAGES
    assert default_deck["sections"]["small_multiples"] == 0
    assert default_deck["sections"]["sources"] == 1
    assert Path(default_deck["path"]).stat().st_size < 2_000_000


@pytest.mark.parametrize("countries", [None, "western-balkans", ["XK"]])
def test_every_text_is_at_least_14_pt(countries: Any) -> None:
    _info, sections = deck.plan_deck(SESSION, countries=countries, years_small_multiples=[2019])
    pages = [p for ps in sections.values() for p in ps]
    for i, draw in enumerate(pages, start=1):
        sizes = deck.text_sizes(deck.draw_page(draw, i, len(pages)))
        small = [(s, t) for s, t in sizes if s < deck.MIN_PT]
        assert sizes and not small, (i, small[:5])


def test_no_doubled_kosovo_asterisk() -> None:
    _info, sections = deck.plan_deck(SESSION, countries=["RS", "XK"], year=2019)
    for ps in sections.values():
        for draw in ps:
            fig = deck.draw_page(draw, 1, 1)
            texts = [t for _s, t in deck.text_sizes(fig)]
            assert not [t for t in texts if "XK*)" in t]
            assert vocab.KOSOVO_FOOTNOTE in _flat(texts)
    texts = [t for _s, t in deck.text_sizes(deck.draw_page(sections["comparison"][0], 1, 1))]
    assert "Kosovo* (XK)" in texts


def test_pptx_has_the_same_slides_and_titles(default_deck: dict[str, Any]) -> None:
    from pptx import Presentation

    prs = Presentation(str(default_deck["pptx"]))
    slides = list(prs.slides)
    assert len(slides) == default_deck["pages"]
    assert [s.shapes.title.text for s in slides] == default_deck["titles"]
    assert default_deck["titles"][0] == SESSION and default_deck["titles"][-1] == "Sources"
    assert round(prs.slide_width / prs.slide_height, 3) == round(16 / 9, 3)


def test_map_labels_on_the_slide_stay_off_other_jurisdictions() -> None:
    """At the slide's scale (14 pt): a callout's text box lies (almost) outside every other
    jurisdiction of the study; a label without a callout lies mostly inside its own."""
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    gdf = map_boundaries.projected()
    shapes = dict(zip(gdf["code"], gdf.geometry, strict=True))
    _info, sections = deck.plan_deck(SESSION, countries=None)
    fig = deck.draw_page(sections["maps"][0], 1, 1)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    (ax,) = [a for a in fig.axes if a.texts]
    inv = ax.transData.inverted()
    seen = set()
    for t in ax.texts:
        code = (t.get_gid() or "").removeprefix("multisee-label-")
        if code not in shapes:
            continue
        seen.add(code)
        bb = Text.get_window_extent(t, renderer)  # the text alone, not its leader line
        (x0, y0), (x1, y1) = inv.transform([(bb.x0, bb.y0), (bb.x1, bb.y1)])
        box = shapely.box(x0, y0, x1, y1)
        others = (
            sum(shapes[c].intersection(box).area for c in choropleth.IN_SCOPE if c != code)
            / box.area
        )
        own = shapes[code].intersection(box).area / box.area
        if getattr(t, "arrowprops", None):
            assert others < 0.1, (code, round(others, 2))
        else:
            # most of it in its own polygon (XK*, wider than Kosovo at 14 pt: 56 %)
            assert own > 0.5, (code, round(own, 2), round(others, 2))
    assert seen == set(choropleth.IN_SCOPE)


# --------------------------------------------------------------------------- editable PPTX


def _pptx(path: Path) -> Any:
    from pptx import Presentation

    return Presentation(str(path))


def test_pptx_text_is_native_and_every_picture_has_alt_text(default_deck: dict[str, Any]) -> None:
    """Titles, subtitles, bullets and footnotes are text; pictures (maps, charts) carry a
    description from the figure's data; the comparison is a native table; no text < 14 pt."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = _pptx(default_deck["pptx"])
    year = str(default_deck["year"])
    pictures = 0
    for i, slide in enumerate(prs.slides, start=1):
        shapes = list(slide.shapes)
        texts = [s for s in shapes if s.has_text_frame and s.text_frame.text.strip()]
        assert len(texts) >= 2, (i, "title and at least one more text box")
        for shape in shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                alt = shape._element.nvPicPr.cNvPr.get("descr", "")
                assert alt and alt != "image.png" and len(alt) > 40, (i, alt)
                assert shape.width < prs.slide_width, "a picture, not the whole slide"
            if shape.has_text_frame:
                sizes = [
                    r.font.size.pt
                    for p in shape.text_frame.paragraphs
                    for r in p.runs
                    if r.font.size is not None
                ]
                assert all(pt >= deck.MIN_PT for pt in sizes), (i, shape.name, sizes)
    qr = 1 if release.site_url() else 0  # the sources slide's QR code, once a site is set
    sections = default_deck["sections"]
    assert pictures == sections["maps"] + sections["timeline"] + qr
    maps = list(prs.slides)[1:4]
    for slide in maps:
        (pic,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert year in pic._element.nvPicPr.cNvPr.get("descr")


def test_pptx_comparison_is_a_native_table_split_over_slides(
    default_deck: dict[str, Any],
) -> None:
    prs = _pptx(default_deck["pptx"])
    first = 1 + default_deck["sections"]["title"] + default_deck["sections"]["maps"]
    slides = list(prs.slides)[first - 1 : first - 1 + default_deck["sections"]["comparison"]]
    assert len(slides) == 2  # 21 jurisdictions: 11 + 10, never 21 rows at once
    rows: list[list[str]] = []
    for slide in slides:
        (table,) = [s.table for s in slide.shapes if s.has_table]
        cells = [[c.text for c in r.cells] for r in table.rows]
        assert cells[0][0] == "Jurisdiction" and "Multi-SEE index (low–high)" in cells[0]
        assert len(cells) - 1 <= deck_slide.ROWS_PER_SLIDE
        rows += cells[1:]
    assert len(rows) == len(default_deck["countries"])
    tables = load()
    period = resolve_period(None, panel_for(tables), tables)  # the deck's default ranking
    compared = compare(default_deck["countries"], default_deck["year"], period=period)
    compared = compared.set_index("country")
    serbia = next(r for r in rows if r[0] == "Serbia (RS)")
    s = compared.loc["RS"]
    assert serbia[4] == f"{s['score']:.2f} ({s['low']:.2f}–{s['high']:.2f})"
    assert serbia[1].split()[0] == vocab.STATE_LABELS[str(s["cctld"])].split()[0]


def test_pptx_speaker_notes_say_what_the_slide_shows(default_deck: dict[str, Any]) -> None:
    prs = _pptx(default_deck["pptx"])
    for i, slide in enumerate(prs.slides, start=1):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes and notes != slide.shapes.title.text, i
    sources = list(prs.slides)[-1].notes_slide.notes_text_frame.text
    assert len(sources) < 400  # a pointer, not the list
    assert "reports/sources.html" in sources or "/sources.html" in sources
    # the numbers come from the panel: the first map's notes name every jurisdiction's state
    notes = list(prs.slides)[1].notes_slide.notes_text_frame.text
    states, _weak = states_for(panel_for(load()), "cctld", default_deck["year"])
    for value, label, _colour in vocab.PALETTES["cctld"]:
        n = sum(1 for v in states.values() if v == value)
        if n:
            assert f"{label}: " in notes
    assert deck_slide.CAVEAT in notes
    # the comparison's and the diffusion's numbers: from compare() and panel.diffusion()
    slides = list(prs.slides)
    sec = default_deck["sections"]
    first = sec["title"] + sec["maps"]
    tables = load()
    period = resolve_period(None, panel_for(tables), tables)  # the deck's default ranking
    top = rank_order(compare(default_deck["countries"], default_deck["year"], period=period))
    top = top.iloc[0]
    notes = slides[first].notes_slide.notes_text_frame.text
    assert f"Highest here: {top['name']}, index {top['score']:.2f} (" in notes
    assert period.note in notes
    diff = diffusion(panel_for(load()), core=default_deck["countries"])
    now = diff[diff["year"] == default_deck["year"]].set_index("mechanism")
    notes = slides[first + sec["comparison"]].notes_slide.notes_text_frame.text
    for m in vocab.MECHANISMS:
        label = vocab.MECHANISM_LABELS[m]
        assert f"{label} {now.loc[m, 'adopted']} (+{now.loc[m, 'unknown']} unknown)" in notes


def test_map_alt_text_counts_the_states_of_the_panel() -> None:
    _info, sections = deck.plan_deck(SESSION, countries="western-balkans", year=2019)
    states, weak = states_for(panel_for(load()), "igf", 2019)
    keep = set(select("western-balkans").codes)
    alt = sections["maps"][1].alt
    assert alt.startswith("Map of ") and "2019" in alt
    for value, label, _colour in vocab.PALETTES["igf"]:
        n = sum(1 for c, v in states.items() if v == value and c in keep)
        if n:
            assert f"{n} {label}" in alt, (value, alt)
    assert f"{len(weak & keep)} hatched" in alt


def test_out_pptx_writes_a_pptx_and_other_extensions_are_refused(tmp_path: Path) -> None:
    res = deck.make_deck(tmp_path / "x.pptx", SESSION, countries=["RS"], year=2019)
    assert res["path"] is None and res["pptx"] == tmp_path / "x.pptx"
    assert (tmp_path / "x.pptx").read_bytes()[:2] == b"PK"  # a zip (OOXML), not a PDF
    assert [p.name for p in tmp_path.iterdir()] == ["x.pptx"]
    with pytest.raises(UserError, match=r"x\.odp: the deck is written as \.pdf or \.pptx"):
        deck.make_deck(tmp_path / "x.odp", SESSION, countries=["RS"])
    with pytest.raises(UserError, match=r"must end in \.pptx"):
        deck.make_deck(tmp_path / "y.pdf", SESSION, countries=["RS"], pptx=tmp_path / "y.ppt")
    assert [p.name for p in tmp_path.iterdir()] == ["x.pptx"]


def test_cli_refuses_an_out_extension_it_cannot_write(tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "deck", "--session", "s", "--out", "x.ppt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode != 0
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "x.ppt: the deck is written as .pdf or .pptx" in lines[0]
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------- readable rows


def test_comparison_and_events_show_at_most_rows_per_slide() -> None:
    info, sections = deck.plan_deck(SESSION)
    n = len(info["countries"])
    assert n > deck_slide.ROWS_PER_SLIDE
    for slide in sections["comparison"]:
        assert slide.table is not None
        assert len(slide.table[1]) <= deck_slide.ROWS_PER_SLIDE
    assert sum(len(s.table[1]) for s in sections["comparison"] if s.table) == n
    for slide in sections["timeline"][1:]:
        fig = deck.draw_page(slide, 1, 1)
        (ax,) = [a for a in fig.axes if a.get_label() == "events"]
        assert len(ax.get_yticks()) <= deck_slide.ROWS_PER_SLIDE


def test_tld_labels_sit_on_their_own_rows_clear_of_markers() -> None:
    """Read back from the drawn slide: each TLD label lies within its own row's band and does
    not cover any event marker; .ru is labelled on Russia's row."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    info, sections = deck.plan_deck(SESSION)
    parts = deck_slide.chunks(info["countries"])
    seen: dict[str, list[str]] = {}
    for slide, codes in zip(sections["timeline"][1:], parts, strict=True):
        fig = deck.draw_page(slide, 1, 1)
        FigureCanvasAgg(fig).draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        (ax,) = [a for a in fig.axes if a.get_label() == "events"]
        markers = []
        for coll in ax.collections:
            offsets = coll.get_offsets()
            if not len(offsets):
                continue
            half = float(np.sqrt(coll.get_sizes()[0])) / 2 * fig.dpi / 72
            for x, y in ax.transData.transform(offsets):
                markers.append((x - half, y - half, x + half, y + half))
        labels = [t for t in ax.texts if t.get_gid() == "tld-label"]
        assert labels
        for t in labels:
            row = round(float(t.xy[1]))  # type: ignore[attr-defined]
            seen.setdefault(codes[row], []).append(t.get_text())
            bb = t.get_window_extent(renderer)
            (_, top), (_, bottom) = ax.transData.transform([(0, row - 0.5), (0, row + 0.5)])
            lo, hi = min(top, bottom), max(top, bottom)
            assert lo - 0.5 <= bb.y0 and bb.y1 <= hi + 0.5, (t.get_text(), codes[row])
            for x0, y0, x1, y1 in markers:
                overlap_x = min(bb.x1, x1) - max(bb.x0, x0)
                overlap_y = min(bb.y1, y1) - max(bb.y0, y0)
                assert overlap_x <= 1 or overlap_y <= 1, (t.get_text(), codes[row])
    assert ".ru" in seen["RU"]


def test_pptx_shapes_stay_on_the_slide_and_apart(default_deck: dict[str, Any]) -> None:
    """Title, subtitle, content and footnotes are laid out one below the other, on the slide."""
    prs = _pptx(default_deck["pptx"])
    for i, slide in enumerate(prs.slides, start=1):
        boxes = [(s.name, s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes]
        for name, x0, y0, x1, y1 in boxes:
            assert 0 <= x0 < x1 <= prs.slide_width and 0 <= y0 < y1 <= prs.slide_height, (i, name)
        for a, (na, ax0, ay0, ax1, ay1) in enumerate(boxes):
            for nb, bx0, by0, bx1, by1 in boxes[a + 1 :]:
                apart = ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0
                assert apart, (i, na, nb)


def test_readme_states_the_default_deck_as_built(default_deck: dict[str, Any]) -> None:
    """The README's deck section gives the page count and split of the default deck."""
    from conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## A deck for a discussion session") :]
    section = section[: section.index("\n## ", 3)]
    pages = default_deck["pages"]
    assert f"{pages} pages by default" in section and f"\n{pages}. ONE sources slide" in section
    assert f"at most {deck_slide.ROWS_PER_SLIDE} jurisdictions a page" in section
    n = len(default_deck["countries"])
    split = " + ".join(str(len(c)) for c in deck_slide.chunks(default_deck["countries"]))
    assert f"({n}: {split})" in section


def test_why_slide_reads_the_drivers_summary() -> None:
    """The "why" slide shows the drivers analysis's own sentences (none typed), all in the notes."""
    from analysis.measures.drivers import drivers

    info, sections = deck.plan_deck(SESSION, countries="western-balkans")
    (slide,) = sections["why"]
    sentences = drivers(countries=info["countries"]).summary_sentences()
    assert 3 <= len(sentences) <= 5
    assert slide.notes.startswith(" ".join(sentences))
    shown = [b for b in slide.bullets if not b.endswith("more in the speaker notes")]
    assert shown and shown == sentences[: len(shown)]
    drawn = " ".join(" ".join(t.split()) for t in _flat(_all_texts(deck.draw_page(slide, 1, 1))))
    assert all(" ".join(s.split()) in drawn for s in shown)
