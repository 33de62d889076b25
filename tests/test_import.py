"""`multisee import`: an export edited in a spreadsheet comes back as the same YAML facts (issue 22)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, multisee

from analysis.model.errors import UserError
from analysis.products import importer

# `make test-fast` is for every edit: this module round trips through export, openpyxl and the CLI (about a minute),
# so it runs in `make test`.
pytestmark = pytest.mark.slow


@pytest.fixture()
def proj(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(ROOT / "data", root / "data")
    return root


def _export(root: Path, out: Path) -> Path:
    res = multisee("export", "--out", str(out), "--quiet", env={"MULTISEE_ROOT": str(root)})
    assert res.returncode == 0, res.stderr
    return out / "multisee.xlsx"


def _set(xlsx: Path, sheet: str, match: dict[str, object], column: str, value: object) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        cells = dict(zip(header, row, strict=False))
        if all(str(cells[k].value) == str(v) for k, v in match.items()):
            cells[column].value = value
            break
    else:
        raise AssertionError(f"no row {match} in {sheet}")
    wb.save(xlsx)


def test_an_edited_cell_round_trips_to_the_same_yaml_facts(proj: Path, tmp_path: Path) -> None:
    am = proj / "data" / "countries" / "AM.yaml"
    before = am.read_bytes()
    xlsx = _export(proj, tmp_path / "export")
    # a spreadsheet edit: the city of ArmIGF 2024, and the number of ArmIGF 2017
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2024}, "city", "Gyumri")
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2017}, "number", 3)
    res = multisee("import", str(xlsx), env={"MULTISEE_ROOT": str(proj)})
    assert res.returncode == 0, res.stderr
    assert "imported 1 cell(s) into 1 file(s):" in res.stdout  # 2017 is already number 3
    assert "igf_editions am-igf/2024 city: Yerevan → Gyumri" in res.stdout
    assert "  ~ igf_edition am-igf/2024 (AM)  data/countries/AM.yaml" in res.stdout
    assert "      city: Yerevan → Gyumri" in res.stdout
    # the file changed in that one line, nothing else (comments, order, line ends kept)
    old, new = before.decode().splitlines(), am.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("        city: Yerevan", "        city: Gyumri")]
    data = yaml.safe_load(am.read_text(encoding="utf-8"))
    [ini] = [i for i in data["igf_initiatives"] if i["id"] == "am-igf"]
    assert next(e for e in ini["editions"] if e["year"] == 2024)["city"] == "Gyumri"
    # exporting again and importing the unchanged file changes nothing
    again = _export(proj, tmp_path / "again")
    res = multisee("import", str(again), env={"MULTISEE_ROOT": str(proj)})
    assert res.returncode == 0 and "imported 0 cell(s)" in res.stdout, res.stderr


def test_a_new_field_a_list_and_a_crlf_file(proj: Path, tmp_path: Path) -> None:
    """A cell that was empty adds the field; a list cell becomes a YAML list; a CRLF file keeps
    its line ends."""
    am = proj / "data" / "countries" / "AM.yaml"
    am.write_bytes(am.read_bytes().replace(b"\n", b"\r\n"))
    xlsx = _export(proj, tmp_path / "export")
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2024}, "venue", "Marriott")
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2024}, "sources",
         "seedig-nri-2017; am-ameria-2017")  # fmt: skip
    result = importer.import_cells(xlsx, root=proj)
    assert {e.column for e in result.edits} == {"venue", "sources"}
    raw = am.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    data = yaml.safe_load(raw.decode())
    [ini] = [i for i in data["igf_initiatives"] if i["id"] == "am-igf"]
    ed = next(e for e in ini["editions"] if e["year"] == 2024)
    assert ed["venue"] == "Marriott" and ed["sources"] == ["seedig-nri-2017", "am-ameria-2017"]


def test_what_cannot_be_imported_is_one_line_and_nothing_is_written(
    proj: Path, tmp_path: Path
) -> None:
    xlsx = _export(proj, tmp_path / "export")
    snapshot = {p: p.read_bytes() for p in (proj / "data").rglob("*.yaml")}
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2024}, "country", "GE")
    with pytest.raises(UserError, match="column 'country' is derived or a key"):
        importer.import_cells(xlsx, root=proj)
    xlsx = _export(proj, tmp_path / "bad")
    _set(xlsx, "igf_editions", {"initiative": "am-igf", "year": 2024}, "confidence", "sure")
    res = multisee("import", str(xlsx), env={"MULTISEE_ROOT": str(proj)})
    assert res.returncode != 0 and res.stderr.count("\n") == 1, res.stderr
    assert "would not validate" in res.stderr and "nothing written" in res.stderr
    assert {p: p.read_bytes() for p in (proj / "data").rglob("*.yaml")} == snapshot
