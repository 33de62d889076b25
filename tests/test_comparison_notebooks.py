"""The comparison notebooks run under papermill with non-default parameters and record exactly
what the library computes; bad parameters stop with a one-line UserError."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import papermill
import pytest
from conftest import ROOT

from analysis.measures.applicability import mark_not_applicable
from analysis.measures.comparison import compare
from analysis.measures.events import events
from analysis.measures.panel import adoption_panel, diffusion
from analysis.measures.profile import country_profile
from analysis.measures.selection import core_codes, resolve_period, resolve_year, select, year_note
from analysis.measures.stock import period_index
from analysis.model.load import load
from analysis.model.vocab import MECHANISMS
from analysis.products.record import recorded

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"


def _shown(tmp_path: Path, name: str) -> str:
    """The HTML and text the executed notebook displayed (its outputs, widgets' included)."""
    import json

    nb = json.loads((tmp_path / f"{name}.out.ipynb").read_text(encoding="utf-8"))
    parts: list[str] = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for mime in ("text/html", "text/plain"):
                value = output.get("data", {}).get(mime, "")
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def _run(tmp_path: Path, name: str, **parameters: Any) -> dict[str, Any]:
    out = tmp_path / f"{name}.out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="multisee",
        cwd=str(tmp_path),
        progress_bar=False,
        execution_timeout=300,
    )
    return recorded(out)


def _plain(value: Any) -> Any:
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def test_regional_comparison_records_equal_library(tmp_path: Path) -> None:
    weights = {"cctld": 0.5, "igf": 0.25, "body": 0.25}
    values = _run(
        tmp_path,
        "regional_comparison",
        countries="western-balkans",
        year=2020,
        weights="cctld=0.5,igf=0.25,body=0.25",
    )
    expected = compare("western-balkans", 2020, load(), weights=weights)
    assert values["countries"] == list(select("western-balkans").codes) == list(expected["country"])
    assert values["year"] == 2020
    cols = ["country", "score", "low", "high", "rank", "rank_worst", "rank_best"]
    assert values["index"] == [{c: _plain(r[c]) for c in cols} for _, r in expected.iterrows()]
    assert values["states"] == {
        r["country"]: {m: r[m] for m in MECHANISMS} for _, r in expected.iterrows()
    }
    shown = _shown(tmp_path, "regional_comparison")
    assert year_note(2020, False) in shown
    for label in expected["rank_label"]:  # ranks as printed: "=12" when shared
        assert f"<td>{label}</td>" in shown


def test_regional_comparison_states_the_default_year(tmp_path: Path) -> None:
    values = _run(tmp_path, "regional_comparison", countries="RS")
    tables = load()
    year = resolve_year(None, adoption_panel(tables), tables)
    assert values["year"] == year
    shown = _shown(tmp_path, "regional_comparison")
    assert year_note(year, True) in shown
    # what is ranked (year rule, window, reason), and which choice moves each rank
    period = resolve_period(None, adoption_panel(tables), tables)
    assert html.escape(period.note) in shown or period.note in shown
    assert "imputation of unknowns" in shown and "driver" in shown  # the attribution table


def test_timeline_records_equal_library(tmp_path: Path) -> None:
    values = _run(tmp_path, "timeline", countries="RS,HR,AL", start=2000, end=2020)
    tables = load()
    panel = adoption_panel(tables, start=2000, end=2020)
    diff = diffusion(panel, core=["AL", "HR", "RS"])
    assert values["diffusion"] == [
        {k: _plain(r[k]) for k in ("year", "mechanism", "adopted", "unknown")}
        for _, r in diff.iterrows()
    ]
    assert {d["year"] for d in values["diffusion"]} == set(range(2000, 2021))
    assert values["events"] == len(events(["AL", "HR", "RS"], tables, 2000, 2020)) > 0
    assert year_note(2020, False) in _shown(tmp_path, "timeline")


def test_explore_runs_headless_and_records_default_view(tmp_path: Path) -> None:
    values = _run(tmp_path, "explore")
    tables = load()
    assert values["default_view"] == core_codes(tables)
    year = resolve_year(None, adoption_panel(tables), tables)
    assert year_note(year, True) in _shown(tmp_path, "explore")


def test_country_profile_records_position_equal_library(tmp_path: Path) -> None:
    values = _run(tmp_path, "country_profile", country="MK")
    tables = load()
    panel = adoption_panel(tables)
    year = resolve_year(None, panel, tables)  # the default year of every page
    period = resolve_period(None, panel, tables)  # the default ranking of every page
    ranking = period_index(mark_not_applicable(panel, tables), period)
    row = ranking.set_index("country").loc["MK"]
    assert values["position"] == {
        **{k: _plain(row[k]) for k in ("score", "low", "high", "rank", "rank_worst", "rank_best")},
        "year": year,
    }
    profile = country_profile("MK")
    assert values["summary"] == profile.summary()
    assert values["n_sources"] == len(profile.sources)
    shown = _shown(tmp_path, "country_profile")
    assert year_note(year, True) in shown
    assert html.escape(period.note) in shown or period.note in shown


@pytest.mark.parametrize(
    ("name", "parameters", "message"),
    [
        ("regional_comparison", {"countries": "nowhere-land"}, "unknown selection"),
        ("regional_comparison", {"year": 1900}, "no data for year"),
        ("regional_comparison", {"weights": "cctld=0.5,dns=0.5"}, "unknown mechanism"),
        ("regional_comparison", {"window": 0}, "window must be"),
        ("timeline", {"countries": "nowhere-land"}, "unknown selection"),
        ("timeline", {"start": 2020, "end": 2000}, "before start year"),
        ("explore", {"countries": "nowhere-land"}, "unknown selection"),
    ],
)
def test_bad_parameters_give_user_error(
    tmp_path: Path, name: str, parameters: dict[str, Any], message: str
) -> None:
    with pytest.raises(papermill.PapermillExecutionError) as err:
        _run(tmp_path, name, **parameters)
    assert "UserError" in str(err.value)
    assert message in str(err.value)
    assert err.value.ename == "UserError"
