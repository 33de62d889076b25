"""Adoption maps from the panel (``analysis.products.adoption_map``): states, weak evidence, selection,
the notes every map carries, files, the animation, and the module's place in the imports."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import ROOT
from importgraph import imports_by_stem
from PIL import Image

from analysis.cli import commands
from analysis.measures.selection import complete_year, select
from analysis.model.errors import UserError
from analysis.model.vocab import BOUNDARY_NOTE, KOSOVO_FOOTNOTE, MAP_TITLES, SOURCE_LINE, WEAK_LABEL
from analysis.products import adoption_map as am
from analysis.products import choropleth as ch

PKG = ROOT / "src" / "analysis"


def _weak_from_columns(panel: pd.DataFrame, mechanism: str, year: int) -> set[str]:
    """The weak-evidence rule written out from the panel's columns."""
    rows = panel[(panel["mechanism"] == mechanism) & (panel["year"] == year)]
    weak = (
        (rows["state"] == "unknown")
        | rows["confidence"].isin(["recalled", "inferred"])
        | (rows["evidence"] == "weak")
    )
    return set(rows.loc[weak, "country"])


# --------------------------------------------------------------------------- panel


def test_states_for_gives_every_jurisdiction_and_the_weak_rule(panel: pd.DataFrame) -> None:
    states, weak = am.states_for(panel, "igf", 2019)
    rows = panel[(panel["mechanism"] == "igf") & (panel["year"] == 2019)]
    assert states == dict(zip(rows["country"], rows["state"], strict=True))
    assert weak == _weak_from_columns(panel, "igf", 2019)
    assert weak, "the shipped data have weak evidence in 2019"
    assert weak < set(states)


def test_index_weak_is_the_union_over_mechanisms(panel: pd.DataFrame) -> None:
    union = set().union(*(_weak_from_columns(panel, m, 2019) for m in ("cctld", "igf", "body")))
    assert am.index_weak(panel, 2019) == union
    assert am.index_weak(panel, 2019, ["RS", "HR"]) == union & {"RS", "HR"}


def test_states_for_rejects_bad_mechanism_and_year(panel: pd.DataFrame) -> None:
    with pytest.raises(UserError, match="unknown mechanism"):
        am.states_for(panel, "index", 2019)
    with pytest.raises(UserError, match="no data for year 1900"):
        am.states_for(panel, "igf", 1900)


# --------------------------------------------------------------------------- one map


def test_mechanism_map_shows_the_selection_only(tables: Any, panel: pd.DataFrame) -> None:
    view = am.adoption_map("igf", 2019, "western-balkans", tables)
    codes = set(select("western-balkans", tables).codes)
    desc = view.describe()
    assert view.countries == sorted(codes)
    assert set(view.states) == codes
    assert desc["hatched"] == view.weak == sorted(_weak_from_columns(panel, "igf", 2019) & codes)
    assert desc["title"] == [MAP_TITLES["igf"]]
    assert desc["subtitle"] == [f"State in 2019 · {view.label} · hatched: weak evidence"]
    assert am.NOT_SELECTED_LABEL in desc["legend"]
    assert ch.NO_DATA_LABEL not in desc["legend"]
    assert WEAK_LABEL in desc["legend"]
    assert list(view.table["country"]) == sorted(codes)


@pytest.mark.parametrize("mechanism", ["cctld", "igf", "body", "index"])
def test_every_map_states_year_source_boundaries_and_kosovo(tables: Any, mechanism: str) -> None:
    default = am.adoption_map(mechanism, None, "all", tables)
    chosen = am.adoption_map(mechanism, 2019, "all", tables)
    year = complete_year(tables)
    assert default.year == year
    for view, note in (
        (default, f"Data year {year}: the latest complete data year."),
        (chosen, "Data year 2019 (chosen; the default is the latest complete data year)."),
    ):
        assert view.year_note == note
        assert view.describe()["footer"] == [
            note,
            f"Source: {SOURCE_LINE}; data hash {tables.data_hash[:12]}.",
            BOUNDARY_NOTE,
            KOSOVO_FOOTNOTE,
        ]


def test_every_jurisdiction_keeps_the_no_data_label(tables: Any) -> None:
    view = am.adoption_map("body", 2019, None, tables)
    assert set(view.countries) == set(tables.countries["code"])
    assert view.selection == "every"
    legend = view.describe()["legend"]
    assert ch.NO_DATA_LABEL in legend and am.NOT_SELECTED_LABEL not in legend
    assert am.adoption_map("body", 2019, "", tables).countries == view.countries


def test_index_map(tables: Any, panel: pd.DataFrame) -> None:
    view = am.adoption_map("index", 2019, "RS,HR", tables)
    assert set(view.states) == {"HR", "RS"}
    assert all(0.0 <= v <= 1.0 for v in view.states.values())
    assert view.weak == sorted(am.index_weak(panel, 2019, ["RS", "HR"]))
    desc = view.describe()
    assert desc["title"] == [am.INDEX_TITLE]
    assert desc["colorbar"] and desc["hatched"] == view.weak
    assert am.NOT_SELECTED_LABEL in desc["legend"]


@pytest.mark.parametrize(
    "countries, stem",
    [
        (None, "igf_2019"),
        ("", "igf_2019"),
        ("all", "igf_2019_all"),
        ("western-balkans", "igf_2019_western-balkans"),
        ("RS, AM", "igf_2019_RS-AM"),
        (["RS", "AM"], "igf_2019_AM-RS"),
    ],
)
def test_stem_names_the_selection(tables: Any, countries: Any, stem: str) -> None:
    assert am.adoption_map("igf", 2019, countries, tables).stem == stem


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mechanism": "nope"}, "unknown mechanism"),
        ({"mechanism": None}, "unknown mechanism"),
        ({"year": 1900}, "no data for year 1900"),
        ({"countries": "nowhere"}, "unknown selection"),
        ({"countries": ["RS", "ZZ"]}, "unknown country"),
    ],
)
def test_bad_parameters_give_user_error(tables: Any, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UserError, match=message):
        am.adoption_map(**{"tables": tables, **kwargs})


@pytest.mark.parametrize(
    "formats, expected",
    [("png", ["png"]), (" SVG, .pdf,svg ", ["svg", "pdf"]), (["pdf", "png"], ["pdf", "png"])],
)
def test_parse_formats(formats: Any, expected: list[str]) -> None:
    assert am.parse_formats(formats) == expected


@pytest.mark.parametrize("formats", ["", ",", "gif", "png,jpeg"])
def test_parse_formats_rejects(formats: str) -> None:
    with pytest.raises(UserError):
        am.parse_formats(formats)


# --------------------------------------------------------------------------- files


def test_write_maps_into_a_directory(tables: Any, tmp_path: Path) -> None:
    out = tmp_path / "maps"
    written = am.write_maps(("cctld", "body"), 2019, None, "svg,pdf", out, tables)
    names = ["cctld_2019.svg", "cctld_2019.pdf", "body_2019.svg", "body_2019.pdf"]
    assert [p.name for p in written] == names
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


def test_write_maps_one_file_takes_its_suffix(tables: Any, tmp_path: Path) -> None:
    (svg,) = am.write_maps(["igf"], 2019, "RS", "png,pdf", tmp_path / "x" / "igf.svg", tables)
    assert svg == tmp_path / "x" / "igf.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert sorted(p.name for p in svg.parent.iterdir()) == ["igf.svg"]
    # An existing directory with one mechanism: the map goes inside it.
    (png,) = am.write_maps(["igf"], 2019, "RS", "png", tmp_path / "x", tables)
    assert png == tmp_path / "x" / "igf_2019_RS.png"


def test_write_maps_checks_before_writing(tables: Any, tmp_path: Path) -> None:
    for kwargs in ({"formats": "gif"}, {"mechanisms": ["nope"]}, {"countries": "nowhere"}):
        with pytest.raises(UserError):
            am.write_maps(**{"year": 2019, "out": tmp_path / "m", "tables": tables, **kwargs})
    assert not (tmp_path / "m").exists()


def test_saved_svg_is_the_described_figure(tables: Any, tmp_path: Path) -> None:
    view = am.adoption_map("cctld", 2019, "RS,XK", tables)
    (svg,) = view.save(tmp_path, "svg")
    text = svg.read_text(encoding="utf-8")
    desc = view.describe()
    for line in [*desc["title"], *desc["subtitle"], *desc["footer"], *desc["legend"]]:
        assert _svg_escape(line) in text, line
    for code in desc["hatched"]:
        assert f'id="multisee-hatch-{code}"' in text


def _svg_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------- animation


def test_animation_has_one_frame_per_year(tables: Any, tmp_path: Path) -> None:
    out = am.animation(tmp_path / "igf.gif", "igf", 2017, 2019, tables=tables, dpi=20)
    assert out == tmp_path / "igf.gif"
    with Image.open(out) as im:
        assert im.format == "GIF"
        assert im.n_frames == 3
    assert [p.name for p in tmp_path.iterdir()] == ["igf.gif"], "no temporary file left"


def test_animation_states_its_years(tables: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_animate(states_by_year: Any, **kwargs: Any) -> Path:
        seen.update(kwargs, years=sorted(states_by_year))
        return Path(kwargs["path"])

    monkeypatch.setattr(ch, "animate", fake_animate)
    am.animation("x.gif", "body", 2020, None, tables=tables)
    end = complete_year(tables)
    assert seen["years"] == list(range(2020, end + 1))
    assert seen["notes"] == [
        f"One frame per year, 2020-{end}. Data year {end}: the latest complete data year."
    ]
    assert seen["source"] == f"{SOURCE_LINE}; data hash {tables.data_hash[:12]}."
    assert seen["title"] == MAP_TITLES["body"]


@pytest.mark.parametrize(
    "mechanism, start, end, message",
    [
        ("nope", 2015, 2019, "unknown mechanism"),
        ("index", 2015, 2019, "unknown mechanism"),
        ("igf", 2019, 2015, "after end year"),
        ("igf", 1900, 2015, "no data for year 1900"),
    ],
)
def test_animation_bad_parameters(
    tables: Any, tmp_path: Path, mechanism: str, start: int, end: int, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        am.animation(tmp_path / "x.gif", mechanism, start, end, tables=tables)
    assert not list(tmp_path.iterdir())


def test_deck_command_gif_ends_at_the_deck_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``multisee deck --gif`` writes the animation through adoption_map, ending at the map year
    of the deck. The deck itself is stubbed (it is another module's product)."""
    decks: list[dict[str, Any]] = []

    def make_deck(out: Path, session: str, **kwargs: Any) -> dict[str, Any]:
        decks.append(kwargs)
        return {"path": out, "pages": 1, "year": 2018}

    monkeypatch.setitem(
        sys.modules, "analysis.products.deck", types.SimpleNamespace(make_deck=make_deck)
    )
    gif = tmp_path / "a.gif"
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command"))
    deck_args = ["deck", "--session", "s", "--year", "2018", "--out", str(tmp_path / "d.pdf")]
    gif_args = ["--gif", str(gif), "--gif-mechanism", "igf", "--gif-start", "2017"]
    args = parser.parse_args([*deck_args, *gif_args])
    assert args.func(args) == 0
    assert decks and decks[0]["year"] == 2018
    with Image.open(gif) as im:
        assert im.n_frames == 2  # 2017, 2018


# --------------------------------------------------------------------------- imports


def _imports(module: str) -> set[str]:
    """The package modules ``analysis.<layer>.<module>`` imports (relative or absolute)."""
    return imports_by_stem()[module]


def test_import_direction() -> None:
    modules = sorted(imports_by_stem())
    assert "choropleth" in modules and "adoption_map" in modules
    assert not {"maps", "mapping", "map_view"} & set(modules), "one adoption-map module"
    # The drawing layer: choropleth and the modules it puts together import nothing of the panel.
    drawing = {"choropleth", "map_boundaries", "map_draw", "map_frame"}
    assert drawing <= set(modules)
    for m in drawing:
        assert _imports(m) <= {"vocab", "paths", "atomic"} | drawing, m
    assert _imports("adoption_map") <= {
        "applicability",
        "choropleth",
        "paths",
        "errors",
        "load",
        "panel",
        "scoring",
        "selection",
        "vocab",
    }
    # Only products use the maps: the core never imports them.
    users = {m for m in modules if _imports(m) & {"choropleth", "adoption_map"}}
    assert users <= {"adoption_map", "commands", "deck_maps"}, users
    # ... and they reach the drawing layer through choropleth only.
    inner = {m for m in modules if _imports(m) & (drawing - {"choropleth"})}
    assert inner <= drawing, inner
