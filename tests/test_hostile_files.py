"""Hostile or odd files under data/: one line each, a non-zero exit, no hang, no traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import multisee

from analysis.model import datafile_reader, validate


def _validate(root: Path) -> tuple[int, list[str]]:
    res = multisee("validate", env={"MULTISEE_ROOT": str(root)}, timeout=60)
    assert "Traceback" not in res.stderr + res.stdout
    return res.returncode, (res.stdout + res.stderr).strip().splitlines()


def test_a_directory_named_like_a_data_file(scratch_root: Path) -> None:
    (scratch_root / "data" / "countries" / "ZZ.yaml").mkdir()
    code, lines = _validate(scratch_root)
    assert code != 0
    assert "data/countries/ZZ.yaml: not a regular file" in lines


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_like_a_data_file_does_not_hang(scratch_root: Path) -> None:
    os.mkfifo(scratch_root / "data" / "countries" / "ZZ.yaml")
    code, lines = _validate(scratch_root)
    assert code != 0
    assert "data/countries/ZZ.yaml: not a regular file" in lines


def test_a_symlink_loop_under_data(scratch_root: Path) -> None:
    (scratch_root / "data" / "countries" / "loop").symlink_to("..")
    code, lines = _validate(scratch_root)
    assert code == 0, lines


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(datafile_reader, "MAX_BYTES", 1024)
    big = tmp_path / "QQ.yaml"
    big.write_text("code: QQ\nnotes: " + "x" * 2048 + "\n", encoding="utf-8")
    _, problems = validate.read_document(big, "country")
    assert [p.message for p in problems] == ["file of 2,065 bytes is over the 1,024-byte limit"]


def test_one_bad_url_gives_one_line_not_one_per_citation(scratch_root: Path) -> None:
    src = scratch_root / "data" / "sources" / "RS.yaml"
    text = src.read_text(encoding="utf-8")
    src.write_text(text.replace("url: https://", "url: htps://", 1), encoding="utf-8")
    code, lines = _validate(scratch_root)
    assert code != 0
    problems = [
        line
        for line in lines
        if ": " in line and "problem(s)" not in line and not line.startswith("warning: ")
    ]
    assert len(problems) == 1 and "is not an http(s) URL" in problems[0]


def test_problem_collection_is_linear(tmp_path: Path) -> None:
    """20,000 unknown keys give 20,000 lines (counted, not timed: `make bench` times it)."""
    f = tmp_path / "countries" / "QQ.yaml"
    f.parent.mkdir()
    f.write_text(
        "code: QQ\nname: Q\nsubregion: western_balkans\n"
        + "".join(f"k{i}: 1\n" for i in range(20_000)),
        encoding="utf-8",
    )
    _, problems = validate.validate_files([f])
    assert len([p for p in problems if p.message == "unknown key"]) == 20_000
    assert sys.getsizeof(problems) < 10_000_000
