"""The validator: shipped data passes, the broken corpus fails with the exact messages."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, multisee

from analysis.model.validate import read_document, validate_files

BROKEN = ROOT / "tests" / "broken"
CASES = sorted(p for p in BROKEN.glob("[!_]*.yaml"))


def test_shipped_data_validates() -> None:
    dataset, problems = validate_files()
    assert problems == [], "\n".join(map(str, problems))
    assert len(list(dataset.of("country"))) >= 6


def _case(path: Path) -> tuple[str, str]:
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    fname = lines[0].removeprefix("# file: ")
    expect = lines[1].removeprefix("# expect: ").replace("YEAR", str(datetime.date.today().year))
    return fname, expect


def _run_case(path: Path, tmp_path: Path) -> list[str]:
    fname, _ = _case(path)
    (tmp_path / "countries").mkdir()
    (tmp_path / "sources").mkdir()
    shutil.copy(BROKEN / "_sources.yaml", tmp_path / "sources" / "s.yaml")
    shutil.copy(path, tmp_path / "countries" / fname)
    _, problems = validate_files([tmp_path / "countries" / fname])
    return [str(p).replace(str(tmp_path / "countries") + "/", "") for p in problems]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_corpus_gives_exact_error(case: Path, tmp_path: Path) -> None:
    _, expect = _case(case)
    assert _run_case(case, tmp_path) == [expect]


def test_corpus_covers_required_checks() -> None:
    names = {c.stem for c in CASES}
    assert {
        "yaml_syntax",
        "unknown_key",
        "wrong_type",
        "enum",
        "year_range",
        "unresolved_source",
        "missing_confidence",
        "code_mismatch",
        "edition_before_first",
    } <= names


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "countries").mkdir()
    (tmp_path / "sources").mkdir()
    shutil.copy(BROKEN / "_sources.yaml", tmp_path / "sources" / "s.yaml")
    text = (BROKEN / "enum.yaml").read_text().replace("fundation", "foundation")
    (tmp_path / "countries" / "QQ.yaml").write_text(text)
    (tmp_path / "countries" / "QR.yaml").write_text(text.replace("code: QQ", "code: QR"))
    _, problems = validate_files([tmp_path])
    msgs = [str(p).replace(str(tmp_path / "countries") + "/", "") for p in problems]
    assert any(
        m.startswith("QR.yaml:7: cctlds[0].tld: duplicate id 'qq' (also in ") for m in msgs
    ), msgs
    assert any("duplicate id 'qq-igf'" in m for m in msgs)


def test_cli_validate_ok_and_failure(tmp_path: Path) -> None:
    ok = multisee("validate")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("ok:")
    case = BROKEN / "enum.yaml"
    fname, expect = _case(case)
    (tmp_path / "countries").mkdir()
    (tmp_path / "sources").mkdir()
    shutil.copy(BROKEN / "_sources.yaml", tmp_path / "sources" / "s.yaml")
    shutil.copy(case, tmp_path / "countries" / fname)
    bad = multisee("validate", str(tmp_path))
    assert bad.returncode == 1
    first = bad.stderr.splitlines()[0]
    assert first.endswith(expect) and "Traceback" not in bad.stderr


def test_yes_no_stay_strings_and_dates_stay_strings(tmp_path: Path) -> None:
    p = tmp_path / "x.yaml"
    p.write_text("a: yes\nb: no\nc: 2015-06-03\nd: true\n")
    doc, problems = read_document(p, "country")
    assert problems == []
    assert doc.data == {"a": "yes", "b": "no", "c": "2015-06-03", "d": True}
    assert doc.lines[("c",)] == 3


def test_every_record_has_sources_and_confidence() -> None:
    """Walk every shipped file: each mapping with a `confidence` also has non-empty `sources`,
    unless it is recalled (no source a reader could open) or a not_found absence listing its
    searches."""

    def walk(obj, where):
        if isinstance(obj, dict):
            if "confidence" in obj or ("sources" in obj and isinstance(obj.get("sources"), list)):
                if where and where[-1] != "conflicts" and "confidence" in obj:
                    exempt = obj["confidence"] == "recalled" or (
                        obj.get("finding") == "not_found" and obj.get("searched")
                    )
                    assert obj.get("sources") or exempt, f"{where}: no sources"
            for k, v in obj.items():
                walk(v, (*where, k))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                walk(v, (*where, i))

    for path in (ROOT / "data" / "countries").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("cctlds", "igf_initiatives", "ms_bodies", "assessments", "absences"):
            for i, rec in enumerate(data.get(key, [])):
                assert (
                    rec.get("sources")
                    or rec.get("confidence") == "recalled"
                    or (rec.get("finding") == "not_found" and rec.get("searched"))
                ), f"{path.name}: {key}[{i}] has no sources"
                assert rec.get("confidence") in ("sourced", "inferred", "recalled"), (
                    f"{path.name}: {key}[{i}]"
                )
                walk(rec, (path.name, key, i))


def test_unknown_tags_are_one_line_problems(tmp_path: Path) -> None:
    """An unknown !tag on a key or a value is reported in one line, never raised (found by the
    fuzz test: '!1' inserted at the start of a country file)."""
    for text in ("!1 code: CH\nname: x\n", "code: !1 CH\nname: x\n"):
        p = tmp_path / "CH.yaml"
        p.write_text(text, encoding="utf-8")
        _, problems = read_document(p, "country")
        assert len(problems) == 1 and problems[0].line == 1
        assert "could not determine a constructor for the tag '!1'" in problems[0].message
        assert "\n" not in str(problems[0])


@pytest.mark.parametrize("name", ["countries/AM.yaml", "sources/AM.yaml"])
def test_an_unreadable_file_is_one_problem_without_knock_on_errors(
    name: str, tmp_path: Path
) -> None:
    """A country file that cannot be read still names its jurisdiction (peer groups and terms do
    not report AM as unknown), and a sources file that cannot be read does not turn every citation
    of its ids into an 'unknown source id' line: one mistake, one line."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / name).write_bytes(b"code: AM\nname: Arm\xe9nia\n")
    _, problems = validate_files([data])
    assert [str(p).replace(str(data), "data") for p in problems] == [
        f"data/{name}:2: the file is not UTF-8 text: byte 0xe9 at column 10 is not UTF-8 (save"
        " the file as UTF-8, e.g. with your editor's 'save with encoding')"
    ]


def test_warnings_for_long_notes_duplicate_urls_and_impossible_numbering(tmp_path: Path) -> None:
    """Data that validate but look wrong: `multisee validate` warns (and still exits 0)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    src = data / "sources" / "AM.yaml"
    text = src.read_text(encoding="utf-8")
    first = yaml.safe_load(text)["sources"][0]
    src.write_text(
        text.replace(f"  - id: {first['id']}\n", f"  - id: {first['id']}-again\n", 1)
        + text[text.index(f"  - id: {first['id']}\n") :].split("\n  - id:")[0]
        + "\n",
        encoding="utf-8",
    )
    am = data / "countries" / "AM.yaml"
    text = am.read_text(encoding="utf-8")
    old = "ms_rationale: Same manager and governance as .am."
    assert old in text
    am.write_text(text.replace(old, "ms_rationale: " + "x" * 5000, 1), encoding="utf-8")
    res = multisee("validate", str(data))
    assert res.returncode == 0, res.stderr
    warned = [x for x in res.stderr.splitlines() if x.startswith("warning: ")]
    assert any(
        f"the same URL is registered as '{first['id']}-again'; cite that id" in w for w in warned
    ), warned
    assert any("5,000 characters of free text (more than 4,000)" in w for w in warned), warned
    assert res.stdout.startswith("ok: ") and "warning(s): the data validate" in res.stderr


def test_numbering_that_cannot_be_right_is_warned() -> None:
    from analysis.model import data_warnings
    from analysis.model.validate import Dataset, Document

    editions = [
        {"year": 2023, "number": 7, "sources": ["s"], "confidence": "sourced"},
        {"year": 2024, "sources": ["s"], "confidence": "sourced"},
        {"year": 2025, "number": 8, "sources": ["s"], "confidence": "sourced"},
    ]
    ini = {"id": "qq-igf", "kind": "national", "name": "Q IGF", "first_year": 2017}
    data = {"igf_initiatives": [{**ini, "sources": ["s"], "confidence": "sourced",
                                 "editions": editions}]}  # fmt: skip
    from analysis.model import schema

    doc = Document(Path("regional.yaml"), "regional")
    doc.data, doc.model = data, schema.RegionalFile.model_validate(data)
    [w] = data_warnings.warnings(Dataset([doc]))
    assert w.where == "igf_initiatives[0].editions[2].number"
    assert w.message == (
        "number 8 in 2025 follows number 7 in 2023, but editions are also listed in 2024:"
        " a number or a year cannot be right"
    )
    editions[2]["number"] = 9
    doc.model = schema.RegionalFile.model_validate(data)
    assert data_warnings.warnings(Dataset([doc])) == []


def test_the_clash_check_counts_the_bodies_the_panel_counts() -> None:
    """validate.counts_as_ms_body restates panel.is_ms_body (the rule's home, a layer above):
    the two agree on every scope x multistakeholder coding."""
    from types import SimpleNamespace

    from analysis.measures.panel import is_ms_body
    from analysis.model import vocab
    from analysis.model.validate import counts_as_ms_body

    for scope in [*vocab.CODES["body_scope"], None]:
        for ms in [*vocab.CODES["tri_unknown"], None]:
            body = {"scope": scope, "multistakeholder": ms}
            assert counts_as_ms_body(SimpleNamespace(**body)) == is_ms_body(body), body
