"""The product commands as a user runs them: map, export, coverage, codebook."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import ROOT, multisee

from analysis.measures.panel import adoption_panel
from analysis.measures.selection import complete_year, select
from analysis.model.load import load
from analysis.model.vocab import KOSOVO_FOOTNOTE

pytestmark = pytest.mark.slow


def test_map_command_writes_a_png(tmp_path: Path) -> None:
    out = tmp_path / "igf_2019.png"
    res = multisee("map", "--mechanism", "igf", "--year", "2019", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [str(out)]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == [out.name], "only the asked format"


def test_map_command_all_mechanisms_into_a_directory(tmp_path: Path) -> None:
    """What ``make maps`` / ``make reports`` run: one file per mechanism and format, named
    ``<mechanism>_<year>``; the default year is the latest complete data year."""
    year = complete_year(load())
    res = multisee("map", "--mechanism", "all", "--format", "svg,pdf", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    names = [f"{m}_{year}.{ext}" for m in ("cctld", "igf", "body") for ext in ("svg", "pdf")]
    assert res.stdout.splitlines() == [str(tmp_path / n) for n in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    svg = (tmp_path / f"igf_{year}.svg").read_text(encoding="utf-8")
    assert f"Data year {year}: the latest complete data year." in svg
    assert html.escape(KOSOVO_FOOTNOTE, quote=False) in svg


def test_map_command_takes_a_peer_group(tmp_path: Path) -> None:
    """``--countries`` takes what every product takes: a peer-group id, 'all' or codes."""
    res = multisee(
        "map", "--mechanism", "body", "--year", "2019", "--countries", "western-balkans",
        "--format", "svg", "--out", str(tmp_path),
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    (svg,) = tmp_path.iterdir()
    assert svg.name == "body_2019_western-balkans.svg"
    text = svg.read_text(encoding="utf-8")
    hatched = set(re.findall(r'id="multisee-hatch-([A-Z]{2})"', text))
    assert hatched and hatched <= set(select("western-balkans").codes)
    assert "not in the selection" in text


def test_map_command_bad_year_is_one_line(tmp_path: Path) -> None:
    from analysis.model.vocab import MAX_YEAR, MIN_YEAR

    panel = adoption_panel()
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    res = multisee("map", "--mechanism", "igf", "--year", "1970", "--out", str(tmp_path / "x.png"))
    assert res.returncode == 2
    assert res.stderr.strip() == (
        f"multisee map: error: argument --year: year 1970 is outside {MIN_YEAR}-{MAX_YEAR}"
    )
    if lo > MIN_YEAR:  # a year of the data model the panel does not cover: the library says so
        res = multisee("map", "--year", str(MIN_YEAR), "--out", str(tmp_path / "x.png"))
        assert res.returncode == 2
        assert res.stderr.strip() == (
            f"multisee map: error: no data for year {MIN_YEAR}: the panel covers {lo}-{hi}"
        )
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "gif"], "argument --format: unknown format gif"),
        (["--countries", "nowhere"], "argument --countries: unknown selection 'nowhere'"),
    ],
)
def test_map_command_bad_parameter_is_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    res = multisee("map", "--mechanism", "igf", *args, "--out", str(tmp_path))
    assert res.returncode == 2
    assert res.stderr.startswith(f"multisee map: error: {message}")
    assert len(res.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_export_command_includes_panel_and_index(tmp_path: Path) -> None:
    res = multisee("export", "--out", str(tmp_path / "d"), "--quiet")
    assert res.returncode == 0, res.stderr
    names = {p.name for p in (tmp_path / "d").iterdir()}
    assert {"datapackage.json", "multisee.xlsx", "adoption_panel.csv", "index.csv"} <= names


def test_coverage_command_prints_every_jurisdiction() -> None:
    res = multisee("coverage")
    assert res.returncode == 0, res.stderr
    for code in ("AL", "XK", "CH", "TR"):
        assert f"\n{code} " in res.stdout


def test_codebook_command_is_current(tmp_path: Path) -> None:
    out = tmp_path / "codebook.md"
    res = multisee("codebook", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "codebook.md").read_text(
        encoding="utf-8"
    )
