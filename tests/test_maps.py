"""The map layer: the boundary file and the map functions of ``analysis.maps``."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image

from analysis import maps, paths

IN_SCOPE = sorted("AL AM AZ BA BG CH CY GE GR HR HU MD ME MK RO RS RU SI TR UA XK".split())


def _states(palette_name: str) -> dict[str, str]:
    """Every in-scope jurisdiction but one (to exercise "no data"), cycling the palette."""
    values = [value for value, _label, _colour in maps.PALETTES[palette_name]]
    return {code: values[i % len(values)] for i, code in enumerate(IN_SCOPE) if code != "CH"}


# --------------------------------------------------------------------------- boundary file


def test_boundary_file_has_every_jurisdiction_once() -> None:
    path = paths.BOUNDARIES
    assert path.is_file(), "run: python scripts/build_boundaries.py"
    assert path.stat().st_size < 1_000_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    assert all(set(p) == {"code", "name", "in_scope"} for p in props)
    in_scope = [p["code"] for p in props if p["in_scope"] is True]
    assert sorted(in_scope) == IN_SCOPE
    assert len(in_scope) == len(set(in_scope))
    codes = [p["code"] for p in props]
    assert len(codes) == len(set(codes)), "each code (neighbours too) appears once"
    assert len(codes) > len(IN_SCOPE), "grey neighbours are included for context"
    assert next(p["name"] for p in props if p["code"] == "XK") == "Kosovo"


def test_boundary_geometries_valid_and_in_wgs84() -> None:
    gdf = maps.load_boundaries()
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == ["code", "name", "in_scope", "geometry"]
    assert gdf.geometry.is_valid.all()
    assert not gdf.geometry.is_empty.any()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    assert gdf["in_scope"].dtype == bool
    # A coverage: shared borders stay shared after simplification (no overlaps).
    assert shapely.coverage_is_valid(gdf.geometry.values)
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90


def test_load_boundaries_returns_independent_copies() -> None:
    first = maps.load_boundaries()
    first.loc[:, "name"] = "changed"
    assert "changed" not in set(maps.load_boundaries()["name"])


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("mechanism", ["cctld", "igf", "body"])
def test_map_renders_for_each_palette(mechanism: str, tmp_path: Path) -> None:
    fig = maps.choropleth(
        _states(mechanism), palette=maps.PALETTES[mechanism], title=f"{mechanism} map"
    )
    (png,) = maps.save(fig, tmp_path / mechanism, formats=("png",), dpi=40)
    assert png.name == f"{mechanism}.png" and png.stat().st_size > 0


def test_palettes_are_well_formed() -> None:
    expected = {
        "cctld": {
            "multistakeholder",
            "partly_multistakeholder",
            "not_multistakeholder",
            "none",
            "unknown",
        },
        "igf": {"held", "dormant", "none", "unknown"},
        "body": {"active", "none", "unknown"},
    }
    for name, values in expected.items():
        palette = maps.PALETTES[name]
        assert {v for v, _l, _c in palette} == values
        colours = [c for _v, _l, c in palette]
        assert len(set(colours)) == len(colours), f"{name}: colours must differ"


def test_svg_keeps_footnote_and_legend_as_text(tmp_path: Path) -> None:
    palette = maps.PALETTES["cctld"]
    fig = maps.choropleth(
        _states("cctld"),
        palette=palette,
        weak={"XK"},
        title="ccTLD managers",
        subtitle="2024",
        source="multisee test data",
    )
    (svg,) = maps.save(fig, tmp_path / "map", formats=("svg",))
    text = svg.read_text(encoding="utf-8")
    assert html.escape(maps.KOSOVO_FOOTNOTE, quote=False) in text
    assert html.escape(maps.BOUNDARY_NOTE, quote=False) in text
    assert "multisee test data" in text
    for _value, label, _colour in palette:
        assert html.escape(label, quote=False) in text, label
    assert html.escape(maps.WEAK_LABEL, quote=False) in text
    assert "ccTLD managers" in text


def test_png_has_dpi_based_size_and_is_not_blank(tmp_path: Path) -> None:
    fig = maps.choropleth(_states("igf"), palette=maps.PALETTES["igf"], title="IGF")
    dpi = 60
    (png,) = maps.save(fig, tmp_path / "igf", formats=("png",), dpi=dpi)
    width_in, height_in = fig.get_size_inches()
    with Image.open(png) as im:
        expected = (width_in * dpi, height_in * dpi)
        assert all(abs(got - want) < 1 for got, want in zip(im.size, expected, strict=True))
        assert im.info["dpi"] == pytest.approx((dpi, dpi), abs=0.5)
        pixels = np.asarray(im.convert("L"), dtype=float)
    assert pixels.std() > 20, "the map should not be blank"


def test_hatched_codes_equal_weak_set() -> None:
    weak = {"XK", "BA", "RU", "AM"}
    fig = maps.choropleth(_states("body"), palette=maps.PALETTES["body"], weak=weak, title="bodies")
    assert maps.hatched_codes(fig) == sorted(weak)
    assert fig.multisee_hatched == sorted(weak)  # type: ignore[attr-defined]
    plain = maps.choropleth(_states("body"), palette=maps.PALETTES["body"], title="bodies")
    assert maps.hatched_codes(plain) == []


def test_every_map_carries_the_notes_and_labels() -> None:
    fig = maps.choropleth(
        _states("cctld"), palette=maps.PALETTES["cctld"], title="t", labels="name"
    )
    texts = [t.get_text() for t in fig.texts]
    assert maps.KOSOVO_FOOTNOTE in texts and maps.BOUNDARY_NOTE in texts
    (ax,) = fig.axes
    labels = {t.get_gid(): t.get_text() for t in ax.texts}
    assert labels["multisee-label-XK"] == "Kosovo*"
    assert len(labels) == len(IN_SCOPE)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="not in the palette"):
        maps.choropleth({"RS": "maybe"}, palette=maps.PALETTES["igf"], title="t")
    with pytest.raises(ValueError, match="not SEE\\+ jurisdictions"):
        maps.choropleth({"FR": "held"}, palette=maps.PALETTES["igf"], title="t")
    with pytest.raises(ValueError, match="weak"):
        maps.choropleth({}, palette=maps.PALETTES["igf"], weak={"ZZ"}, title="t")


def test_continuous_map(tmp_path: Path) -> None:
    values = {code: i / (len(IN_SCOPE) - 1) for i, code in enumerate(IN_SCOPE)}
    values["XK"] = float("nan")  # drawn as no data
    fig = maps.choropleth_continuous(
        values, weak={"TR"}, title="Index", subtitle="0..1", source="s", label="index"
    )
    assert maps.hatched_codes(fig) == ["TR"]
    assert maps.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]
    (png,) = maps.save(fig, tmp_path / "index", formats=("png",), dpi=30)
    assert png.is_file()


def test_small_multiples_one_panel_per_year() -> None:
    palette = maps.PALETTES["igf"]
    states = {2012: {"RS": "held"}, 2016: {"RS": "held", "XK": "none"}, 2020: {}}
    weak = {2012: ["RS"], 2020: ["XK", "AL"]}
    fig = maps.small_multiples(states, palette=palette, weak_by_year=weak, title="IGFs", source="s")
    map_axes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in map_axes] == ["2012", "2016", "2020"]
    by_year = fig.multisee_hatched_by_year  # type: ignore[attr-defined]
    assert by_year == {2012: ["RS"], 2016: [], 2020: ["AL", "XK"]}
    assert [maps.hatched_codes(ax) for ax in map_axes] == [["RS"], [], ["AL", "XK"]]
    assert maps.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]


def test_animated_gif_has_one_frame_per_year(tmp_path: Path) -> None:
    palette = maps.PALETTES["body"]
    states = {2015: {"RS": "none"}, 2018: {"RS": "active"}, 2021: {"RS": "active"}}
    out = maps.animate(
        states,
        palette=palette,
        weak_by_year={2015: ["RS"]},
        title="Bodies",
        source="s",
        path=tmp_path / "anim" / "bodies.gif",
        dpi=30,
    )
    assert out == tmp_path / "anim" / "bodies.gif"
    with Image.open(out) as im:
        assert im.format == "GIF"
        assert im.n_frames == len(states)
    assert sorted(p.name for p in out.parent.iterdir()) == ["bodies.gif"], "no temp files left"


def test_save_writes_all_formats_atomically(tmp_path: Path) -> None:
    fig = maps.choropleth({}, palette=maps.PALETTES["body"], title="empty")
    written = maps.save(fig, tmp_path / "out" / "map.v1", dpi=30)
    assert [p.name for p in written] == ["map.v1.png", "map.v1.svg", "map.v1.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    assert written[2].read_bytes().startswith(b"%PDF")


def test_choropleth_into_existing_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 6))
    ax = fig.add_axes((0.02, 0.12, 0.96, 0.8))
    out = maps.choropleth(
        {"RS": "active"}, palette=maps.PALETTES["body"], weak=["RS"], title="t", ax=ax
    )
    assert out is fig
    assert maps.hatched_codes(ax) == ["RS"]
    assert maps.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]
