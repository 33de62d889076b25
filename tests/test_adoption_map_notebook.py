"""The adoption_map notebook runs under papermill and records what the library computes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import papermill
import pytest
from conftest import ROOT
from papermill.exceptions import PapermillExecutionError

from analysis.mapping import states_for
from analysis.panel import adoption_panel
from analysis.record import recorded
from analysis.scoring import multisee_index
from analysis.selection import select
from analysis.vocab import MECHANISMS

pytestmark = pytest.mark.slow

NOTEBOOK = ROOT / "notebooks" / "adoption_map.ipynb"


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


def test_mechanism_map_records_states_of_the_selection(tmp_path: Path) -> None:
    maps_dir = tmp_path / "maps"
    values = _run(
        tmp_path,
        mechanism="igf",
        year=2019,
        countries="western-balkans",
        formats="png,svg",
        out_dir=str(maps_dir),
    )
    codes = set(list(select("western-balkans").codes))
    states, weak = states_for(adoption_panel(), "igf", 2019)
    assert values["mechanism"] == "igf"
    assert values["year"] == 2019
    assert values["countries"] == sorted(codes)
    assert values["states"] == {c: s for c, s in states.items() if c in codes}
    assert values["weak"] == sorted(weak & codes)
    stem = "igf_2019_western-balkans"
    assert sorted(p.name for p in maps_dir.iterdir()) == [f"{stem}.png", f"{stem}.svg"]
    assert values["saved"] == [str(maps_dir / f"{stem}.png"), str(maps_dir / f"{stem}.svg")]


def test_index_map_records_scores_and_weak_evidence(tmp_path: Path) -> None:
    values = _run(tmp_path, mechanism="index")  # year 2024, countries "all": the defaults
    panel = adoption_panel()
    codes = set(list(select("all").codes))
    idx = multisee_index(panel, year=2024)
    expected = {c: s for c, s in zip(idx["country"], idx["score"], strict=True) if c in codes}
    assert values["mechanism"] == "index"
    assert values["year"] == 2024
    assert values["states"].keys() == expected.keys()
    for code, score in expected.items():
        assert values["states"][code] == pytest.approx(score)
    weak: set[str] = set()
    for m in MECHANISMS:
        weak |= states_for(panel, m, 2024)[1]
    assert values["weak"] == sorted(weak & codes)
    assert "saved" not in values  # out_dir empty: display only


@pytest.mark.parametrize(
    "parameters",
    [{"mechanism": "nope"}, {"mechanism": "igf", "formats": "gif"}, {"countries": "nowhere"}],
)
def test_bad_parameter_gives_user_error(tmp_path: Path, parameters: dict[str, Any]) -> None:
    with pytest.raises(PapermillExecutionError) as err:
        _run(tmp_path, **parameters)
    assert err.value.ename == "UserError"
