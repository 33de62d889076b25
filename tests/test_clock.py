"""One clock: MULTISEE_TODAY pins "today" for every date the library derives from the calendar."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.model import clock

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"


def test_pinned_date_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2031-01-02")
    assert clock.today().isoformat() == "2031-01-02"
    assert clock.this_year() == 2031


def test_unpinned_is_the_system_date(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today() == dt.date.today()


def test_malformed_pin_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(SystemExit, match=r"MULTISEE_TODAY='next tuesday': not a date"):
        clock.today()


def test_year_bounds_and_complete_year_follow_the_clock() -> None:
    """Across 1 January: the admissible years and the default year move with the pinned clock."""
    code = (
        "from analysis.model import vocab, load; from analysis.measures import selection;"
        "t = load.load();"
        "print(vocab.MAX_YEAR, selection.complete_year(t), selection.latest_data_year(t))"
    )
    years = {}
    for pin in ("2026-12-31", "2027-01-01"):
        env = {**os.environ, clock.ENV: pin}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        years[pin] = [int(x) for x in out]
    assert years["2026-12-31"][0] == 2026 and years["2027-01-01"][0] == 2027
    for pin, (_, complete, latest) in years.items():
        assert complete == min(latest, int(pin[:4]) - 1)
    assert years["2026-12-31"][1] <= 2025


def test_no_module_reads_the_calendar_but_the_clock() -> None:
    offenders = [
        f"{p.name}:{i}"
        for p in sorted(SRC.rglob("*.py"))
        if p.name != "clock.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bdate\.today\(\)", line)
    ]
    assert offenders == []
