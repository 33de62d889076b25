"""The drawing layer: the boundary file and the map functions of ``analysis.products.choropleth``."""

from __future__ import annotations

import ast
import html
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from conftest import ROOT
from PIL import Image

from analysis.model import paths, vocab
from analysis.products import choropleth as ch
from analysis.products import map_boundaries

IN_SCOPE = sorted("AL AM AZ BA BG CH CY GE GR HR HU MD ME MK RO RS RU SI TR UA XK".split())


def _states(palette_name: str) -> dict[str, str]:
    """Every in-scope jurisdiction but one (to exercise "no data"), cycling the palette."""
    values = [value for value, _label, _colour in vocab.PALETTES[palette_name]]
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
    gdf = ch.load_boundaries()
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
    first = ch.load_boundaries()
    first.loc[:, "name"] = "changed"
    assert "changed" not in set(ch.load_boundaries()["name"])


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("mechanism", ["cctld", "igf", "body"])
def test_map_renders_for_each_palette(mechanism: str, tmp_path: Path) -> None:
    fig = ch.choropleth(
        _states(mechanism), palette=vocab.PALETTES[mechanism], title=f"{mechanism} map"
    )
    (png,) = ch.save(fig, tmp_path / mechanism, formats=("png",), dpi=40)
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
        "body": {
            "multistakeholder",
            "partly_multistakeholder",
            "not_multistakeholder",
            "none",
            "unknown",
        },
    }
    for name, values in expected.items():
        palette = vocab.PALETTES[name]
        assert {v for v, _l, _c in palette} == values
        colours = [c for _v, _l, c in palette]
        assert len(set(colours)) == len(colours), f"{name}: colours must differ"


def test_svg_keeps_footnote_and_legend_as_text(tmp_path: Path) -> None:
    palette = vocab.PALETTES["cctld"]
    fig = ch.choropleth(
        _states("cctld"),
        palette=palette,
        weak={"XK"},
        title="ccTLD managers",
        subtitle="2024",
        source="multisee test data",
    )
    (svg,) = ch.save(fig, tmp_path / "map", formats=("svg",))
    text = svg.read_text(encoding="utf-8")
    assert html.escape(vocab.KOSOVO_FOOTNOTE, quote=False) in text
    assert html.escape(vocab.BOUNDARY_NOTE, quote=False) in text
    assert "multisee test data" in text
    for _value, label, _colour in palette:
        assert html.escape(label, quote=False) in text, label
    assert html.escape(vocab.WEAK_LABEL, quote=False) in text
    assert "ccTLD managers" in text


def test_png_has_dpi_based_size_and_is_not_blank(tmp_path: Path) -> None:
    fig = ch.choropleth(_states("igf"), palette=vocab.PALETTES["igf"], title="IGF")
    dpi = 60
    (png,) = ch.save(fig, tmp_path / "igf", formats=("png",), dpi=dpi)
    width_in, height_in = fig.get_size_inches()
    with Image.open(png) as im:
        expected = (width_in * dpi, height_in * dpi)
        assert all(abs(got - want) < 1 for got, want in zip(im.size, expected, strict=True))
        assert im.info["dpi"] == pytest.approx((dpi, dpi), abs=0.5)
        pixels = np.asarray(im.convert("L"), dtype=float)
    assert pixels.std() > 20, "the map should not be blank"


def test_hatched_codes_equal_weak_set() -> None:
    weak = {"XK", "BA", "RU", "AM"}
    fig = ch.choropleth(_states("body"), palette=vocab.PALETTES["body"], weak=weak, title="bodies")
    assert ch.hatched_codes(fig) == sorted(weak)
    assert fig.multisee_hatched == sorted(weak)  # type: ignore[attr-defined]
    plain = ch.choropleth(_states("body"), palette=vocab.PALETTES["body"], title="bodies")
    assert ch.hatched_codes(plain) == []


def test_every_map_carries_the_notes_and_labels() -> None:
    fig = ch.choropleth(_states("cctld"), palette=vocab.PALETTES["cctld"], title="t", labels="name")
    texts = [t.get_text() for t in fig.texts]
    assert vocab.KOSOVO_FOOTNOTE in texts and vocab.BOUNDARY_NOTE in texts
    (ax,) = fig.axes
    labels = {t.get_gid(): t.get_text() for t in ax.texts}
    assert labels["multisee-label-XK"] == "Kosovo*"
    assert len(labels) == len(IN_SCOPE)


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="not in the palette"):
        ch.choropleth({"RS": "maybe"}, palette=vocab.PALETTES["igf"], title="t")
    with pytest.raises(ValueError, match="not SEE\\+ jurisdictions"):
        ch.choropleth({"FR": "held"}, palette=vocab.PALETTES["igf"], title="t")
    with pytest.raises(ValueError, match="weak"):
        ch.choropleth({}, palette=vocab.PALETTES["igf"], weak={"ZZ"}, title="t")


def test_continuous_map(tmp_path: Path) -> None:
    values = {code: i / (len(IN_SCOPE) - 1) for i, code in enumerate(IN_SCOPE)}
    values["XK"] = float("nan")  # drawn as no data
    fig = ch.choropleth_continuous(
        values, weak={"TR"}, title="Index", subtitle="0..1", source="s", label="index"
    )
    assert ch.hatched_codes(fig) == ["TR"]
    assert vocab.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]
    (png,) = ch.save(fig, tmp_path / "index", formats=("png",), dpi=30)
    assert png.is_file()


def test_small_multiples_one_panel_per_year() -> None:
    palette = vocab.PALETTES["igf"]
    states = {2012: {"RS": "held"}, 2016: {"RS": "held", "XK": "none"}, 2020: {}}
    weak = {2012: ["RS"], 2020: ["XK", "AL"]}
    fig = ch.small_multiples(states, palette=palette, weak_by_year=weak, title="IGFs", source="s")
    map_axes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in map_axes] == ["2012", "2016", "2020"]
    by_year = fig.multisee_hatched_by_year  # type: ignore[attr-defined]
    assert by_year == {2012: ["RS"], 2016: [], 2020: ["AL", "XK"]}
    assert [ch.hatched_codes(ax) for ax in map_axes] == [["RS"], [], ["AL", "XK"]]
    assert vocab.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]


def test_animated_gif_has_one_frame_per_year(tmp_path: Path) -> None:
    palette = vocab.PALETTES["body"]
    states = {
        2015: {"RS": "none"},
        2018: {"RS": "multistakeholder"},
        2021: {"RS": "multistakeholder"},
    }
    out = ch.animate(
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
    fig = ch.choropleth({}, palette=vocab.PALETTES["body"], title="empty")
    written = ch.save(fig, tmp_path / "out" / "map.v1", dpi=30)
    assert [p.name for p in written] == ["map.v1.png", "map.v1.svg", "map.v1.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    assert written[2].read_bytes().startswith(b"%PDF")


def test_choropleth_into_existing_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 6))
    ax = fig.add_axes((0.02, 0.12, 0.96, 0.8))
    out = ch.choropleth(
        {"RS": "multistakeholder"}, palette=vocab.PALETTES["body"], weak=["RS"], title="t", ax=ax
    )
    assert out is fig
    assert ch.hatched_codes(ax) == ["RS"]
    assert vocab.KOSOVO_FOOTNOTE in [t.get_text() for t in fig.texts]


# --------------------------------------------------------------------------- module contract


def test_in_scope_agrees_with_the_boundary_file_and_its_build_script() -> None:
    assert sorted(ch.IN_SCOPE) == IN_SCOPE
    tree = ast.parse((ROOT / "scripts" / "build_boundaries.py").read_text(encoding="utf-8"))
    (node,) = [
        n
        for n in tree.body
        if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", None) == "IN_SCOPE"
    ]
    assert node.value is not None
    assert tuple(ast.literal_eval(node.value)) == ch.IN_SCOPE


def test_vocabulary_is_not_re_exported() -> None:
    """Callers take the notes and palettes from ``vocab``, not from the drawing module."""
    for name in ("PALETTES", "KOSOVO_FOOTNOTE", "BOUNDARY_NOTE", "WEAK_LABEL", "STATE_COLOURS"):
        assert not hasattr(ch, name), name
        assert name not in ch.__all__


def test_notes_sit_above_the_source_and_no_data_label_is_settable() -> None:
    fig = ch.choropleth(
        {"RS": "multistakeholder"},
        palette=vocab.PALETTES["body"],
        title="t",
        subtitle="s",
        source="the source",
        notes=["Data year 2019 (chosen)."],
        no_data_label="not in the selection",
    )
    desc = ch.describe(fig)
    assert desc["title"] == ["t"] and desc["subtitle"] == ["s"]
    assert desc["footer"] == [
        "Data year 2019 (chosen).",
        "Source: the source",
        vocab.BOUNDARY_NOTE,
        vocab.KOSOVO_FOOTNOTE,
    ]
    labels = [label for _v, label, _c in vocab.PALETTES["body"]]
    assert desc["legend"] == [
        *labels,
        "not in the selection",
        ch.NEIGHBOUR_LABEL,
        vocab.WEAK_LABEL,
    ]
    assert desc["hatched"] == []
    assert ch.NO_DATA_LABEL not in desc["legend"]
    # An empty label drops the entry.
    bare = ch.choropleth({}, palette=vocab.PALETTES["body"], title="t", no_data_label="")
    assert ch.describe(bare)["legend"] == [*labels, ch.NEIGHBOUR_LABEL, vocab.WEAK_LABEL]


def test_notes_make_room_instead_of_overlapping() -> None:
    plain = ch.choropleth({}, palette=vocab.PALETTES["igf"], title="t", source="s")
    noted = ch.choropleth({}, palette=vocab.PALETTES["igf"], title="t", source="s", notes=["n"])
    (w0, h0), (w1, h1) = plain.get_size_inches(), noted.get_size_inches()
    assert w0 == w1 and h1 > h0, "one more footer line makes the figure taller"


def test_describe_reads_the_continuous_map() -> None:
    fig = ch.choropleth_continuous(
        {"RS": 0.5, "HR": 1.0}, weak={"HR"}, title="Index", source="s", label="score"
    )
    desc = ch.describe(fig)
    assert desc["colorbar"] == ["score"]
    assert desc["hatched"] == ["HR"]
    assert desc["legend"] == [ch.NO_DATA_LABEL, ch.NEIGHBOUR_LABEL, vocab.WEAK_LABEL]


_RENDER = """
import sys
from analysis.products import choropleth as ch
from analysis.model.vocab import PALETTES
states = {c: v for c, (v, _l, _c) in zip(sorted(ch.IN_SCOPE), PALETTES["cctld"] * 5)}
fig = ch.choropleth(states, palette=PALETTES["cctld"], weak={"XK", "RU"}, title="t",
                    subtitle="s", source="src", notes=["n"])
ch.save(fig, sys.argv[1], formats=("png", "svg", "pdf"), dpi=40)
"""


@pytest.mark.slow
def test_saved_files_are_byte_identical_across_processes(tmp_path: Path) -> None:
    """Two fresh interpreters (different hash seeds) write the same bytes: no dates, no
    process-dependent ids. Rendering twice in one process could not show this."""
    outs = []
    for i, seed in enumerate(("1", "2")):
        stem = tmp_path / f"run{i}" / "map"
        subprocess.run(
            [sys.executable, "-c", _RENDER, str(stem)],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"},
        )
        outs.append(stem)
    for ext in ("png", "svg", "pdf"):
        a, b = (Path(f"{stem}.{ext}").read_bytes() for stem in outs)
        assert a == b, f"{ext} differs between runs"


def _label_geometry(fig: Any) -> list[tuple[str, Any, Any, bool]]:
    """(code, anchor point, text point, has leader line) of each drawn label, map coordinates."""

    out = []
    for ax in fig.axes:
        for t in ax.texts:
            gid = t.get_gid() or ""
            if not gid.startswith("multisee-label-") or not t.get_visible():
                continue
            code = gid.removeprefix("multisee-label-")
            if hasattr(t, "xy") and t.arrowprops:  # a callout: text away, leader line to xy
                out.append((code, shapely.Point(t.xy), shapely.Point(t.get_position()), True))
            else:
                p = shapely.Point(t.get_position())
                out.append((code, p, p, False))
    return out


@pytest.mark.parametrize("labels", ["code", "name"])
def test_labels_sit_in_their_own_jurisdiction_or_have_a_leader_line(labels: Any) -> None:
    """Each label points into its own polygon; a label drawn inside it needs no line, one drawn
    elsewhere has a leader line and never sits inside another jurisdiction of the study."""
    gdf = map_boundaries.projected()
    shapes = dict(zip(gdf["code"], gdf.geometry, strict=True))
    fig = ch.choropleth(_states("cctld"), palette=vocab.PALETTES["cctld"], title="t", labels=labels)
    drawn = _label_geometry(fig)
    assert {c for c, *_ in drawn} == set(IN_SCOPE)
    for code, anchor, text, leader in drawn:
        assert shapes[code].contains(anchor), f"{code}: anchor outside its own polygon"
        inside = [c for c in IN_SCOPE if c != code and shapes[c].contains(text)]
        assert not inside, f"{code}'s label sits inside {inside}"
        assert leader or shapes[code].contains(text), code
