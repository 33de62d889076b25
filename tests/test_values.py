"""One missing-value rule (`analysis.model.values`), and the modules that read missing values
through it (the diff, the export, the notebooks' plain values, the Holm correction) agreeing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analysis.model.values import number_or_none, value_or_none

MISSING: list[Any] = [
    None,
    float("nan"),
    np.nan,
    np.float32("nan"),
    pd.NA,
    pd.NaT,
    np.datetime64("NaT"),
]
PRESENT: list[Any] = ["", "x", 0, 0.0, False, [], [None], {"a": None}, np.int64(3)]


@pytest.mark.parametrize("x", MISSING, ids=repr)
def test_missing_is_none(x: Any) -> None:
    assert value_or_none(x) is None
    assert number_or_none(x) is None


@pytest.mark.parametrize("x", PRESENT, ids=repr)
def test_a_present_value_is_kept_as_it_is(x: Any) -> None:
    assert value_or_none(x) is x


def test_number_or_none_reads_numbers_only() -> None:
    assert number_or_none("abc") is None and number_or_none("nan") is None
    assert number_or_none([1]) is None
    assert number_or_none("0.25") == 0.25 and number_or_none(np.int64(3)) == 3.0
    assert number_or_none(0) == 0.0 and isinstance(number_or_none(np.float64(0.5)), float)


@pytest.mark.parametrize("x", MISSING, ids=repr)
def test_the_readers_of_missing_values_agree(x: Any, tmp_path: Path) -> None:
    from analysis.measures.datadiff import panel_changes
    from analysis.measures.present import plain
    from analysis.measures.stats import holm
    from analysis.products.export import write_csv

    assert plain(x) is None
    assert holm([x, 0.01]) == [None, 0.01]
    out = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"a": pd.Series([x, "y"], dtype=object), "b": ["1", "2"]}), out)
    assert out.read_text(encoding="utf-8") == "a,b\n,1\ny,2\n"
    # the diff: a cell whose state is missing on both sides did not change
    cell = {"country": "AA", "year": 2020, "mechanism": "igf", "confidence": "sourced"}
    side = pd.DataFrame([cell | {"state": x, "sources": x, "evidence": x}])
    assert panel_changes(side, side.copy()) == []
    new = pd.DataFrame([cell | {"state": "held", "sources": x, "evidence": x}])
    [change] = panel_changes(side, new)
    assert (change.old_state, change.new_state, change.sources) == (None, "held", [])
