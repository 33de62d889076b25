"""Round-trip editing (`analysis.model.yamledit`): a new record is rendered in the data files' style
and spliced in; every byte outside it stays as it was (comments, quoting, hand-made list
indentation, folded lines, CRLF), and the result validates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from analysis.model import scaffold, yamledit
from analysis.model.errors import UserError
from analysis.model.validate import validate_files
from analysis.model.yamledit import TODO, Record


@pytest.fixture()
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dst = tmp_path / "proj"
    shutil.copytree(ROOT / "data", dst / "data")
    monkeypatch.setenv("MULTISEE_ROOT", str(dst))
    return dst


def test_a_new_record_changes_no_other_byte(proj: Path) -> None:
    """Into a CRLF file with a comment, a single-quoted date, a list indented by hand and a plain
    scalar folded over two lines (all of which a whole-document YAML dump would rewrite): the new
    edition's lines are added, every other byte is kept, and the data validate."""
    path = proj / "data" / "countries" / "AM.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "      - year: 2022\n"
    assert text.count(marker) == 1
    text = text.replace(marker, "      # a comment above the 2022 edition\n" + marker)
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    for kept in (
        b"        date: '2016-10-05'\r\n",  # single-quoted
        b"        sources:\r\n        - am-finport-armigf-2\r\n",  # the list not indented
        b"Internet Governance\r\n          Council and ISOC AM",  # a plain scalar folded by hand
    ):
        assert kept in before
    w = scaffold.new_edition(
        "am-igf", 2020, sources=["am-ameria-2017"], confidence="inferred", date="2020-10-01"
    )
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n"), "every line ends in CRLF"
    old, new = before.split(b"\r\n"), after.split(b"\r\n")
    assert new[: w.first_line - 1] + new[w.last_line :] == old
    block = new[w.first_line - 1 : w.last_line]
    assert block[0] == b"      - year: 2020" and b'        date: "2020-10-01"' in block
    # before the next edition held (2022) and the comment above it
    assert new[w.last_line : w.last_line + 2] == [
        b"      # a comment above the 2022 edition",
        b"      - year: 2022",
    ]
    assert w.todo == [] and validate_files([proj / "data"])[1] == []
    [ini] = [i for i in yaml.safe_load(after)["igf_initiatives"] if i["id"] == "am-igf"]
    assert [e["year"] for e in ini["editions"]].count(2020) == 1


def test_a_record_renders_in_the_data_files_style() -> None:
    search = Record()
    search.need("query", None, "as typed")
    search.put("date", "2026-12-06", quote=True)
    r = Record()
    r.put("mechanism", "igf")
    r.need("text", "A: with a colon", "what was searched")
    r.optional("notes", "what the search covered")
    r.put("searched", [search])
    r.put("sources", [TODO], "ids")
    r.put("confidence", "sourced")
    r.comment("#   - an example")
    lines = yamledit.render(r, 4)
    assert lines == [
        "    - mechanism: igf",
        '      text: "A: with a colon"',
        "      # notes:  # what the search covered",
        "      searched:",
        "        - query: TODO  # as typed",
        '          date: "2026-12-06"',
        "      sources: [TODO]  # ids",
        "      confidence: sourced",
        "      #   - an example",
    ]
    assert yaml.safe_load("\n".join(lines)) == [r.want]
    assert r.want["searched"] == [{"query": TODO, "date": "2026-12-06"}]


def test_a_list_indented_by_hand_keeps_its_column() -> None:
    """A new item goes at the column of the list's own dashes (here none: ``key:`` then ``- ``),
    after the last item's comments that belong to it, not re-indented."""
    text = (
        "# top comment\n"
        "things:\n"
        "  - id: a\n"
        "    items:\n"
        "    - x: 1\n"
        "      # about x 1\n"
        "    - x: 'two'\n"
        "    other: 1\n"
    )
    lines = text.split("\n")
    top = yamledit.load(text)
    node = yamledit.record_at(yamledit.block_list(top, "things", "things"), 0)
    r = Record()
    r.put("x", 3)
    edit, pos = yamledit.add_to_list(lines, node, "items", r)
    assert pos == 2
    assert "\n".join(edit.apply(lines)) == text.replace(
        "    - x: 'two'\n", "    - x: 'two'\n    - x: 3\n"
    )
    # a list not there yet is started after the record's last line, at the record's indentation
    edit, pos = yamledit.add_to_list(lines, node, "notes", r)
    assert "\n".join(edit.apply(lines)).endswith("    other: 1\n    notes:\n      - x: 3\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("things: [a, b]\n", "flow style"),
        ("things: 3\n", "is not a list"),
        ("- a\n", "top level is not a mapping"),
        ("things: [a\n", "does not read as YAML"),
    ],
)
def test_what_cannot_take_a_new_item_is_one_line(text: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        yamledit.block_list(yamledit.load(text), "things", "things")
    assert message in str(err.value) and "\n" not in str(err.value)
