"""The adoption_map notebook runs under papermill, records what it shows, and draws the same
figure as ``multisee map`` for the same parameters."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import papermill
import pytest
from conftest import ROOT, multisee
from papermill.exceptions import PapermillExecutionError

from analysis.measures.panel import adoption_panel
from analysis.measures.scoring import multisee_index
from analysis.measures.selection import complete_year, select
from analysis.model.load import load
from analysis.model.vocab import (
    BOUNDARY_NOTE,
    KOSOVO_FOOTNOTE,
    MAP_TITLES,
    MECHANISMS,
    SOURCE_LINE,
    WEAK_LABEL,
)
from analysis.products.record import recorded

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "adoption_map.ipynb"
SVG = "{http://www.w3.org/2000/svg}"


def _run(tmp_path: Path, **parameters: Any) -> dict[str, Any]:
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters=parameters,
        kernel_name="multisee",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    return recorded(out)


def _weak(mechanism: str, year: int) -> set[str]:
    """The weak-evidence rule, written out from the panel's columns."""
    panel = adoption_panel()
    rows = panel[(panel["mechanism"] == mechanism) & (panel["year"] == year)]
    weak = (
        (rows["state"] == "unknown")
        | rows["confidence"].isin(["recalled", "inferred"])
        | (rows["evidence"] == "weak")
    )
    return set(rows.loc[weak, "country"])


def _svg_summary(path: Path) -> dict[str, Any]:
    """What a saved SVG map states: title, subtitle, footer lines, legend entries, hatching."""
    root = ET.parse(path).getroot()

    def texts(el: ET.Element) -> list[str]:
        return ["".join(t.itertext()) for t in el.iter(f"{SVG}text")]

    def by_id(ident: str) -> list[ET.Element]:
        return [g for g in root.iter(f"{SVG}g") if g.get("id") == ident]

    footer = [line for g in by_id("multisee-footnote") for line in texts(g)]
    legends = [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("legend_")]
    hatched = {
        g.get("id", "").removeprefix("multisee-hatch-")
        for g in root.iter(f"{SVG}g")
        if (g.get("id") or "").startswith("multisee-hatch-")
    }
    return {
        "title": [s for g in by_id("multisee-title") for s in texts(g)],
        "subtitle": [s for g in by_id("multisee-subtitle") for s in texts(g)],
        "footer": footer[::-1],  # drawn bottom-up
        "legend": [s for g in legends for s in texts(g)],
        "hatched": sorted(hatched),
    }


def test_notebook_and_command_draw_the_same_map(
    tmp_path: Path, scratch_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MULTISEE_ROOT", str(scratch_root))  # the kernel writes into its reports/
    params = {"mechanism": "igf", "year": 2019, "countries": "western-balkans"}
    nb_dir, cli_dir = scratch_root / "reports" / "nb", tmp_path / "cli"
    cli_dir.mkdir()
    values = _run(tmp_path, **params, formats="svg,png", out_dir="nb")
    res = multisee(
        "map",
        "--mechanism",
        "igf",
        "--year",
        "2019",
        "--countries",
        "western-balkans",
        "--format",
        "svg,png",
        "--out",
        str(cli_dir),
    )
    assert res.returncode == 0, res.stderr
    stem = "igf_2019_western-balkans"
    assert sorted(p.name for p in cli_dir.iterdir()) == [f"{stem}.png", f"{stem}.svg"]
    assert sorted(p.name for p in nb_dir.iterdir()) == [f"{stem}.png", f"{stem}.svg"]

    nb, cli = _svg_summary(nb_dir / f"{stem}.svg"), _svg_summary(cli_dir / f"{stem}.svg")
    assert nb == cli
    # ... and it is the right map, as the notebook's figure described itself.
    codes = set(select("western-balkans").codes)
    data_hash = load().data_hash[:12]
    label = select("western-balkans").label
    assert cli["title"] == [MAP_TITLES["igf"]]
    assert cli["subtitle"] == [f"State in 2019 · {label} · hatched: weak evidence"]
    assert cli["footer"][:2] == [
        "Data year 2019 (chosen; the default is the latest complete data year).",
        f"Source: {SOURCE_LINE}; data hash {data_hash}.",
    ]
    assert cli["footer"][-2:] == [BOUNDARY_NOTE, KOSOVO_FOOTNOTE]
    assert cli["hatched"] == sorted(_weak("igf", 2019) & codes) != []
    assert "not in the selection" in cli["legend"] and WEAK_LABEL in cli["legend"]
    figure = values["figure"]
    assert {k: figure[k] for k in cli} == cli
    # Same parameters, same files: byte for byte.
    for ext in ("svg", "png"):
        nb_bytes = (nb_dir / f"{stem}.{ext}").read_bytes()
        assert nb_bytes == (cli_dir / f"{stem}.{ext}").read_bytes(), ext


def test_mechanism_map_records_states_of_the_selection(
    tmp_path: Path, scratch_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MULTISEE_ROOT", str(scratch_root))
    maps_dir = (scratch_root / "reports" / "maps").resolve()
    values = _run(
        tmp_path,
        mechanism="igf",
        year=2019,
        countries="western-balkans",
        formats="png,svg",
        out_dir=str(maps_dir),  # absolute, inside reports/: allowed
    )
    codes = set(select("western-balkans").codes)
    panel = adoption_panel()
    rows = panel[(panel["mechanism"] == "igf") & (panel["year"] == 2019)]
    assert values["mechanism"] == "igf"
    assert values["year"] == 2019
    assert values["countries"] == sorted(codes)
    assert values["states"] == {
        c: s for c, s in zip(rows["country"], rows["state"], strict=True) if c in codes
    }
    assert values["weak"] == sorted(_weak("igf", 2019) & codes)
    stem = "igf_2019_western-balkans"
    assert sorted(p.name for p in maps_dir.iterdir()) == [f"{stem}.png", f"{stem}.svg"]
    assert values["saved"] == [str(maps_dir / f"{stem}.png"), str(maps_dir / f"{stem}.svg")]


def test_index_map_records_scores_and_weak_evidence(tmp_path: Path) -> None:
    values = _run(tmp_path, mechanism="index")  # year and countries: the defaults
    year = complete_year(load())  # the default year, computed from the data and today's date
    from analysis.measures.applicability import mark_not_applicable

    panel = adoption_panel()
    codes = set(select("all").codes)
    idx = multisee_index(mark_not_applicable(panel, load()), year=year)
    expected = {c: s for c, s in zip(idx["country"], idx["score"], strict=True) if c in codes}
    assert values["mechanism"] == "index"
    assert values["year"] == year
    assert values["states"].keys() == expected.keys()
    for code, score in expected.items():
        assert values["states"][code] == pytest.approx(score)
    weak = set().union(*(_weak(m, year) for m in MECHANISMS))
    assert values["weak"] == sorted(weak & codes)
    assert values["figure"]["hatched"] == values["weak"]
    assert values["figure"]["footer"][0] == f"Data year {year}: the latest complete data year."
    assert "saved" not in values  # out_dir empty: display only


@pytest.mark.parametrize(
    "parameters",
    [{"mechanism": "nope"}, {"mechanism": "igf", "formats": "gif"}, {"countries": "nowhere"}],
)
def test_bad_parameter_gives_user_error(tmp_path: Path, parameters: dict[str, Any]) -> None:
    with pytest.raises(PapermillExecutionError) as err:
        _run(tmp_path, **parameters)
    assert err.value.ename == "UserError"


@pytest.mark.parametrize(
    ("out_dir", "message"),
    [
        ("/tmp", "UserError: out_dir '/tmp' is outside the project's reports/ folder"),
        ("../escape", "UserError: out_dir '../escape' contains '..': give a folder under reports/"),
    ],
)
def test_out_dir_is_confined_to_reports(
    tmp_path: Path, scratch_root: Path, monkeypatch: pytest.MonkeyPatch, out_dir: str, message: str
) -> None:
    monkeypatch.setenv("MULTISEE_ROOT", str(scratch_root))
    with pytest.raises(PapermillExecutionError) as err:
        _run(tmp_path, mechanism="igf", year=2019, out_dir=out_dir)
    assert f"{err.value.ename}: {err.value.evalue}" == message
    assert not (scratch_root / "escape").exists()
