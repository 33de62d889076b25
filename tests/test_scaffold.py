"""Scaffolding (`multisee new edition | source | body`): round trips, refusals, one-line errors.

Every test works on a scratch copy of the data (``MULTISEE_ROOT``), never on the shipped files.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, multisee

from analysis.model import scaffold
from analysis.model.errors import UserError
from analysis.model.validate import validate_files

TP = ["--title", "T", "--publisher", "P"]
URL_2017 = (
    "http://ameriagroupinc.com/armenias-it-field-records-35-growth-in-the-first-half-of-2017/"
)


@pytest.fixture()
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dst = tmp_path / "proj"
    shutil.copytree(ROOT / "data", dst / "data")
    monkeypatch.setenv("MULTISEE_ROOT", str(dst))
    return dst


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted((root / "data").rglob("*.yaml")):
        h.update(str(p.relative_to(root)).encode() + p.read_bytes())
    return h.hexdigest()


def _problems(root: Path) -> list[str]:
    return [str(p) for p in validate_files([root / "data"])[1]]


def _only_inserted(before: str, after: str, w: scaffold.Written) -> None:
    """The file is the old text with the new block inserted: nothing else moved or changed."""
    lines = after.split("\n")
    del lines[w.first_line - 1 : w.last_line]
    rest = "\n".join(lines)
    # an insertion may add one separating blank line next to the block
    assert rest == before or rest.replace("\n\n\n", "\n\n") == before.replace("\n\n\n", "\n\n")
    assert before.count("\n#") == rest.count("\n#")  # comments kept


def _fill(path: Path, w: scaffold.Written, values: dict[str, str]) -> None:
    """Fill the placeholders of the block as a person would (only inside the block)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i in range(w.first_line - 1, w.last_line):
        for key, value in values.items():
            if lines[i].lstrip(" -").startswith(f"{key}: TODO") or lines[i].lstrip(" -").startswith(
                f"{key}: [TODO]"
            ):
                indent = lines[i][: len(lines[i]) - len(lines[i].lstrip(" -"))]
                lines[i] = f"{indent}{key}: {value}"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_new_edition_round_trip(proj: Path) -> None:
    path = proj / "data" / "countries" / "AM.yaml"
    before = path.read_text(encoding="utf-8")
    text = before.replace("      - year: 2017\n        number: 3\n", "      - year: 2017\n")
    # the shipped data hold ArmIGF 2017: remove it (and keep the rest) to re-add it
    start = text.index("      - year: 2017\n")
    end = text.index("      - year: 2023\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    assert _problems(proj) == []

    w = scaffold.new_edition("am-igf", "2017")
    after = path.read_text(encoding="utf-8")
    _only_inserted(before, after, w)
    assert w.first_line > 0 and "- year: 2017" in w.text
    # the placeholders, and nothing else, keep the data from validating
    todo = [str(p) for p in w.todo]
    assert len(todo) == 2 and all("placeholder 'TODO' to fill in" in t for t in todo)
    assert todo == _problems(proj)
    assert all(
        f"AM.yaml:{n}:" in t for t, n in zip(todo, (w.last_line - 2, w.last_line - 1), strict=True)
    )
    # in year order: after 2016, before the next edition held (2023)
    assert after.index("- year: 2016") < after.index("- year: 2017") < after.index("- year: 2023")

    _fill(path, w, {"sources": "[am-ameria-2017]", "confidence": "sourced"})
    assert _problems(proj) == []


def test_new_edition_with_values_validates_at_once(proj: Path) -> None:
    w = scaffold.new_edition(
        "rs-igf",
        2025,
        sources=["rs-igf-home"],
        confidence="inferred",
        date="2025-06",
        city="Belgrade",
        format="hybrid",
    )
    assert 'date: "2025-06"' in w.text and "city: Belgrade" in w.text
    # the new edition is later than status_confirmed: the validator says so, and a hint too
    assert any("status_confirmed" in str(p) for p in w.todo)
    assert any("status_confirmed" in h for h in w.hints)


def test_new_edition_into_an_initiative_without_editions(proj: Path) -> None:
    path = proj / "data" / "countries" / "RO.yaml"
    before = path.read_text(encoding="utf-8")
    # ro-igf has no editions and ends with a folded `notes: >-` block
    w = scaffold.new_edition("ro-igf", 2020)
    after = path.read_text(encoding="utf-8")
    assert after.count("editions:") == before.count("editions:") + 1
    assert len(w.todo) == 2 and all("placeholder" in p.message for p in w.todo)
    lines = after.split("\n")
    assert lines[w.first_line - 2] == "    editions:"
    del lines[w.first_line - 2 : w.last_line]
    assert "\n".join(lines) == before
    # parsed back where it belongs
    from analysis.model.validate import read_document

    doc, probs = read_document(path, "country")
    assert probs == []
    ini = next(i for i in doc.data["igf_initiatives"] if i["id"] == "ro-igf")
    assert ini["editions"][0]["year"] == 2020


def test_refuses_to_overwrite_without_force(proj: Path) -> None:
    digest = _digest(proj)
    with pytest.raises(UserError, match=r"already has an edition in 2024 .*--force"):
        scaffold.new_edition("rs-igf", 2024)
    assert _digest(proj) == digest
    # --force replaces that edition's block, and only it
    path = proj / "data" / "countries" / "RS.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_edition("rs-igf", 2024, force=True, sources=["rs-telkdeep-igf-2024"])
    after = path.read_text(encoding="utf-8")
    assert w.replaced and "Dorćol Platz" in before and "Dorćol Platz" not in after
    assert after.count("- year: ") == before.count("- year: ")
    assert before.split("      - year: 2024")[0] == after.split("      - year: 2024")[0]


def test_dry_run_writes_nothing(proj: Path) -> None:
    digest = _digest(proj)
    w = scaffold.new_edition("seedig", 2026, dry_run=True)
    assert not w.written and "- year: 2026" in w.text
    assert _digest(proj) == digest


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: scaffold.new_edition("xx-igf", 2020), "unknown initiative 'xx-igf'"),
        (lambda: scaffold.new_edition("rs-igf", 1984), "--year 1984 is outside 1985.."),
        (lambda: scaffold.new_edition("rs-igf", 2999), "--year 2999 is outside 1985.."),
        (lambda: scaffold.new_edition("rs-igf", "20x1"), "--year must be a year"),
        (
            lambda: scaffold.new_edition("rs-igf", 2021, sources=["nope"]),
            "unknown source id 'nope'",
        ),
        (
            lambda: scaffold.new_edition("rs-igf", 2021, date="2020-05-01"),
            "--date 2020-05-01 is not in --year 2021",
        ),
        (
            lambda: scaffold.new_source("RS", "htp:/example", "T", "P"),
            "--url 'htp:/example' is not an http(s) URL",
        ),
        (
            lambda: scaffold.new_source("RS", "https://example .org/x", "T", "P"),
            "is not an http(s) URL",
        ),
        (lambda: scaffold.new_source("ZZ", "https://example.org/", "T", "P"), "unknown country"),
        (
            lambda: scaffold.new_source("RS", "https://example.org/", "T", "P", kind="wiki"),
            "--kind 'wiki' is not one of",
        ),
        (lambda: scaffold.new_body("RS", type="club"), "--type 'club' is not one of"),
        (lambda: scaffold.new_body("RS", ident="rs-igf"), "id 'rs-igf' is taken"),
    ],
)
def test_bad_input_one_line_and_nothing_written(proj: Path, call, message: str) -> None:
    digest = _digest(proj)
    with pytest.raises(UserError) as err:
        call()
    assert message in str(err.value) and "\n" not in str(err.value)
    assert _digest(proj) == digest


def test_duplicate_url_names_the_existing_source(proj: Path) -> None:
    digest = _digest(proj)
    with pytest.raises(UserError) as err:
        scaffold.new_source("AM", URL_2017, "Another title", "Someone")
    msg = str(err.value)
    assert "\n" not in msg
    assert "already source 'am-ameria-2017' in data/sources/AM.yaml" in msg
    # the same URL with a trailing slash removed is still the same page
    with pytest.raises(UserError, match="already source 'am-ameria-2017'"):
        scaffold.new_source("AM", URL_2017.rstrip("/"), "Another title", "Someone")
    assert _digest(proj) == digest


def test_new_source_round_trip(proj: Path) -> None:
    path = proj / "data" / "sources" / "RS.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_source(
        "RS",
        "https://example.org/fictional-page",
        "A fictional page: for the test",
        "Example Org",
        archived="2026-01-02",
    )
    assert w.key == "rs-example-org-fictional-page-test"
    after = path.read_text(encoding="utf-8")
    _only_inserted(before, after, w)
    assert 'title: "A fictional page: for the test"' in w.text
    # both dates: accessed a placeholder, archived as given
    assert 'archived: "2026-01-02"' in w.text and "accessed: TODO" in w.text
    assert {p.where.split(".")[-1] for p in w.todo} == {"kind", "reliability", "accessed"}
    _fill(path, w, {"kind": "ngo", "reliability": "medium", "accessed": '"2026-11-29"'})
    assert _problems(proj) == []
    # a second source from the same publisher and title gets a new id
    w2 = scaffold.new_source(
        "RS",
        "https://example.org/fictional-page-2",
        "A fictional page: for the test",
        "Example Org",
        kind="ngo",
        reliability="medium",
        accessed="2026-11-29",
    )
    assert w2.key == "rs-example-org-fictional-page-test-2"
    assert w2.todo == []


def test_new_source_force_replaces_the_record_with_that_url(proj: Path) -> None:
    w = scaffold.new_source(
        "AM",
        URL_2017,
        "Armenia IT field records 35% growth in the first half of 2017",
        "ameriagroupinc.com (republishing Armenpress)",
        kind="aggregator",
        reliability="low",
        accessed="2026-11-29",
        force=True,
    )
    assert w.replaced and w.key == "am-ameria-2017"  # its id is kept: citations still resolve
    assert _problems(proj) == []


def test_new_body_round_trip(proj: Path) -> None:
    path = proj / "data" / "countries" / "AL.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_body("AL", name="Fictional Test Council")
    after = path.read_text(encoding="utf-8")
    assert w.key == "al-fictional-test-council"
    assert after.index("ms_bodies:") < after.index("\nassessments:")  # the file's key order
    lines = after.split("\n")
    del lines[w.first_line - 2 : w.last_line + 1]  # the new key, the block, its blank line
    assert "\n".join(lines) == before
    # the absence of a body in HR is pointed out
    assert any("not_found" in h for h in w.hints)
    assert {p.where.split(".")[-1].split("[")[0] for p in w.todo} == {
        "type",
        "legal_basis",
        "scope",
        "multistakeholder",
        "sources",
        "confidence",
    }
    _fill(
        path,
        w,
        {
            "type": "council",
            "legal_basis": "unknown",
            "scope": "national_policy",
            "multistakeholder": "partly",
            "sources": "[al-ccnso-profile]",
            "confidence": "recalled",
        },
    )
    # ... and the validator holds it to that: an MS body beside the not_found absence fails
    [clash] = _problems(proj)
    assert f"'not_found' body absence beside the MS body '{w.key}'" in clash
    text = path.read_text(encoding="utf-8")
    k = text.index(f"id: {w.key}")
    body = text[k:].replace("multistakeholder: partly", "multistakeholder: unknown", 1)
    path.write_text(text[:k] + body, encoding="utf-8")
    assert _problems(proj) == []
    with pytest.raises(UserError, match=r"already exists .*--force"):
        scaffold.new_body("AL", name="Fictional Test Council")


def test_new_body_appends_to_existing_bodies(proj: Path) -> None:
    w = scaffold.new_body("BG", ident="bg-fictional-body")
    path = proj / "data" / "countries" / "BG.yaml"
    from analysis.model.validate import read_document

    doc, _ = read_document(path, "country")
    assert doc.data["ms_bodies"][-1]["id"] == "bg-fictional-body"
    assert all("ms_bodies[" in p.where for p in w.todo)


def test_placeholders_are_reported_once_with_their_line(tmp_path: Path) -> None:
    proj = tmp_path / "p"
    shutil.copytree(ROOT / "data", proj / "data")
    path = proj / "data" / "sources" / "RS.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kind: registry", "kind: TODO", 1), encoding="utf-8")
    problems = _problems(proj)
    assert len(problems) == 1
    assert ".kind: placeholder 'TODO' to fill in" in problems[0]


def test_cli_new_one_line_errors(proj: Path) -> None:
    env = {"MULTISEE_ROOT": str(proj)}
    digest = _digest(proj)
    for args, message in (
        (["new", "edition", "--initiative", "zz-igf", "--year", "2020"], "unknown initiative"),
        (["new", "edition", "--initiative", "rs-igf", "--year", "1900"], "outside 1985.."),
        (
            ["new", "source", "--country", "RS", "--url", "ftp://x.org/a", *TP],
            "is not an http(s) URL",
        ),
        (
            ["new", "source", "--country", "AM", "--url", URL_2017, *TP],
            "already source 'am-ameria-2017' in data/sources/AM.yaml",
        ),
    ):
        res = multisee(*args, env=env)
        assert res.returncode != 0, args
        assert res.stdout == ""
        assert res.stderr.count("\n") == 1 and message in res.stderr, res.stderr
    assert _digest(proj) == digest


def test_cli_new_edition_prints_what_is_left(proj: Path) -> None:
    res = multisee(
        "new",
        "edition",
        "--initiative",
        "seedig",
        "--year",
        "2026",
        "--dry-run",
        env={"MULTISEE_ROOT": str(proj)},
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("would add igf_edition seedig/2026 in data/regional.yaml:")
    res = multisee(
        "new",
        "source",
        "--country",
        "RS",
        "--url",
        "https://example.org/x",
        "--title",
        "T",
        "--publisher",
        "Example",
        env={"MULTISEE_ROOT": str(proj)},
    )
    assert res.returncode == 0, res.stderr
    assert "still to fill in or fix before the data validate (3):" in res.stdout
    assert "then run: multisee validate" in res.stdout


def test_a_crlf_file_keeps_its_line_ends(proj: Path) -> None:
    """`multisee new` into a file written with CRLF (a Windows editor) keeps CRLF on every line,
    the new block's too, and changes no other line (issue 22)."""
    path = proj / "data" / "countries" / "AM.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    w = scaffold.new_edition("am-igf", "2026")
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n"), "every line ends in CRLF"
    old, new = before.split(b"\r\n"), after.split(b"\r\n")
    assert len(new) - len(old) == w.last_line - w.first_line + 1
    assert new[: w.first_line - 1] + new[w.last_line :] == old


def test_new_absence_not_found_with_its_search(proj: Path) -> None:
    """`multisee new absence`: a not_found absence lists its search (its evidence), cites no page,
    and validates once the placeholders are filled; a second one for the mechanism is refused."""
    path = proj / "data" / "countries" / "MK.yaml"
    before = path.read_text(encoding="utf-8")
    assert "\nabsences:" not in before  # the list is created at the end of the file
    text = "A youth IGF of North Macedonia searched for, none found."
    w = scaffold.new_absence(
        "MK",
        "youth_igf",
        finding="not_found",
        text=text,
        query="MK youth IGF",
        confidence="sourced",
    )
    after = path.read_text(encoding="utf-8")
    assert (
        after.startswith(before.rstrip("\n")) and "\nabsences:\n  - mechanism: youth_igf" in after
    )
    assert [p.where.rsplit(".", 1)[-1] for p in w.todo] == ["looked_at"]
    _fill(path, w, {"looked_at": "news sites and the IGF's national initiatives page"})
    assert _problems(proj) == []
    with pytest.raises(UserError, match=r"already has an absence of youth_igf.*--force"):
        scaffold.new_absence("MK", "youth_igf")
    res = multisee(
        "new", "absence", "--country", "MK", "--mechanism", "igfx", env={"MULTISEE_ROOT": str(proj)}
    )
    assert res.returncode != 0 and res.stderr.count("\n") == 1, res.stderr


def test_new_search_is_added_to_the_absence(proj: Path) -> None:
    path = proj / "data" / "countries" / "RS.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_search(
        "RS", "body", "savet za internet multistakeholder", looked_at="news", date="2026-12-06"
    )
    after = path.read_text(encoding="utf-8")
    assert _problems(proj) == [] and w.todo == []
    lines = after.split("\n")
    assert "\n".join(lines[: w.first_line - 1] + lines[w.last_line :]) == before
    import yaml

    [absence] = [a for a in yaml.safe_load(after)["absences"] if a["mechanism"] == "body"]
    assert absence["searched"][-1] == {
        "query": "savet za internet multistakeholder",
        "looked_at": "news",
        "date": "2026-12-06",
    }
    with pytest.raises(UserError, match=r"no absence of igf.*multisee new absence"):
        scaffold.new_search("RS", "igf", "x")


def test_new_search_starts_the_list_of_an_absence_without_one(proj: Path) -> None:
    import yaml

    path = proj / "data" / "countries" / "XK.yaml"
    [cctld] = [a for a in yaml.safe_load(path.read_text())["absences"] if a["mechanism"] == "cctld"]
    assert "searched" not in cctld
    scaffold.new_search("XK", "cctld", ".xk delegation IANA", looked_at="IANA", date="2026-12-06")
    assert _problems(proj) == []
    [cctld] = [a for a in yaml.safe_load(path.read_text())["absences"] if a["mechanism"] == "cctld"]
    assert cctld["searched"] == [
        {"query": ".xk delegation IANA", "looked_at": "IANA", "date": "2026-12-06"}
    ]


def test_new_event_goes_into_the_ccTLDs_events_in_date_order(proj: Path) -> None:
    import yaml

    path = proj / "data" / "countries" / "AM.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_event(
        ".am",
        "1999",
        "approval",
        description="A fictional test event.",
        sources=["iana-2025"],
        confidence="sourced",
    )
    after = path.read_text(encoding="utf-8")
    lines = after.split("\n")
    assert "\n".join(lines[: w.first_line - 1] + lines[w.last_line :]) == before
    assert _problems(proj) == [] and w.todo == []
    am = next(t for t in yaml.safe_load(after)["cctlds"] if t["tld"] == "am")
    dates = [e["date"] for e in am["events"]]
    assert dates[dates.index("1999") - 1 : dates.index("1999") + 2] == ["1996", "1999", "2000"]
    with pytest.raises(UserError, match="no ccTLD 'zz'"):
        scaffold.new_event("zz", "2000")


def test_new_event_starts_the_events_of_a_ccTLD_without_any(proj: Path) -> None:
    import yaml

    path = proj / "data" / "countries" / "AM.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("  - tld: հայ")
    ev = next(i for i in range(start, len(lines)) if lines[i] == "    events:")
    end = next(
        i for i in range(ev + 1, len(lines)) if lines[i] and not lines[i].startswith("     ")
    )
    del lines[ev:end]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert _problems(proj) == []
    scaffold.new_event("հայ", "2015-04-13", "delegation", description="Delegated (test).",
                       sources=["iana-2025"], confidence="sourced")  # fmt: skip
    assert _problems(proj) == []
    hy = next(t for t in yaml.safe_load(path.read_text())["cctlds"] if t["tld"] == "հայ")
    assert [e["date"] for e in hy["events"]] == ["2015-04-13"]


def test_new_conflict_keeps_an_alternative_value_with_its_sources(proj: Path) -> None:
    import yaml

    path = proj / "data" / "countries" / "AM.yaml"
    before = path.read_text(encoding="utf-8")
    w = scaffold.new_conflict(
        "edition:am-igf/2016",
        "number",
        "3",
        sources=["iana-2025"],
        confidence="sourced",
        note="A fictional test alternative.",
    )
    after = path.read_text(encoding="utf-8")
    lines = after.split("\n")
    assert lines[w.first_line - 2] == "        conflicts:"  # the list, started under the edition
    assert "\n".join(lines[: w.first_line - 2] + lines[w.last_line :]) == before
    assert _problems(proj) == [] and w.todo == []
    [ini] = [i for i in yaml.safe_load(after)["igf_initiatives"] if i["id"] == "am-igf"]
    ed = next(e for e in ini["editions"] if e["year"] == 2016)
    assert ed["conflicts"][-1] == {
        "field": "number",
        "value": 3,
        "sources": ["iana-2025"],
        "confidence": "sourced",
        "note": "A fictional test alternative.",
    }
    # a second one on a ccTLD that already has conflicts goes at the end of its list
    scaffold.new_conflict("cctld:am", "delegated", "1994", confidence="recalled")
    am = next(t for t in yaml.safe_load(path.read_text())["cctlds"] if t["tld"] == "am")
    assert am["conflicts"][-1]["value"] == 1994 and am["conflicts"][0]["field"] == "manager_by"
    with pytest.raises(UserError, match="no such record"):
        scaffold.new_conflict("body:nope", "name", "x")
    with pytest.raises(UserError, match="give KIND:KEY"):
        scaffold.new_conflict("am", "name", "x")
