"""One selection rule, one year rule: `analysis.measures.selection`."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.measures.selection import (
    as_year,
    complete_year,
    core_codes,
    latest_data_year,
    resolve_range,
    resolve_year,
    select,
    year_note,
)
from analysis.model.errors import UserError
from analysis.model.load import Tables


def test_all_is_the_core_and_reference_is_explicit(tables: Tables) -> None:
    core = core_codes(tables)
    assert "CH" not in core and len(core) == 20
    for spec in (None, "all", "region", " ALL "):
        sel = select(spec, tables)
        assert list(sel.codes) == core
        assert not sel.includes_reference
        assert sel.label == "the 20 core jurisdictions"
    with_ref = select("all", tables, reference=True)
    assert set(with_ref.codes) == set(core) | {"CH"} and with_ref.includes_reference
    assert "reference case (Switzerland)" in with_ref.label


def test_groups_and_codes(tables: Tables) -> None:
    wb = select("western-balkans", tables)
    members = tables.peer_groups.set_index("id").loc["western-balkans", "members"]
    assert list(wb.codes) == sorted(members.split("; "))
    assert wb.label.startswith("Western Balkans (WB6), ")
    sel = select("rs, HR,AL", tables)
    assert sel.codes == ("AL", "HR", "RS")
    assert sel.label == "Albania (AL), Croatia (HR), Serbia (RS)"
    assert select(["CH", "RS"], tables).includes_reference
    assert select(["xk"], tables).label.endswith("(XK*)")


@pytest.mark.parametrize("bad", ["nowhere-land", "ZZ", "", "   ", ["RS", "ZZ"], []])
def test_bad_selections_are_one_line_errors(tables: Tables, bad: object) -> None:
    with pytest.raises(UserError) as err:
        select(bad, tables)  # type: ignore[arg-type]
    assert "\n" not in str(err.value)


def test_years(panel: pd.DataFrame, tables: Tables) -> None:
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    assert resolve_year(2020, panel, tables) == 2020
    assert resolve_year("2020", panel, tables) == 2020
    assert resolve_year(2020.0, panel, tables) == 2020
    for bad in (lo - 1, hi + 1):
        with pytest.raises(UserError, match="no data for year"):
            resolve_year(bad, panel, tables)
    for bad in ("soon", True, 2020.5):
        with pytest.raises(UserError, match="must be a year"):
            as_year(bad)
    default = resolve_year(None, panel, tables)
    assert default == complete_year(tables) <= latest_data_year(tables)
    assert "latest complete data year" in year_note(default, True)


def test_complete_year_has_ended(tables: Tables) -> None:
    latest = latest_data_year(tables)
    assert complete_year(tables, today=dt.date(latest, 6, 1)) == latest - 1
    assert complete_year(tables, today=dt.date(latest + 1, 1, 2)) == latest
    assert complete_year(tables, today=dt.date(latest + 5, 1, 2)) == latest


def test_ranges() -> None:
    assert resolve_range(2000, 2020, 2025) == (2000, 2020)
    assert resolve_range(2020, None, 2025) == (2020, 2025)
    with pytest.raises(UserError, match="before start year"):
        resolve_range(2020, 2000, 2025)
    with pytest.raises(UserError, match="after the latest data year 2025"):
        resolve_range(2000, 2030, 2025)
    with pytest.raises(UserError, match="before 1985"):
        resolve_range(1900, 2000, 2025)
