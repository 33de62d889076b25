"""`multisee diff`, `analysis.measures.datadiff` and its renderers on a small synthetic git history with known changes.

Three fictional jurisdictions (AA, BB, CC). The release ``v0.1.0`` holds AA's IGF editions 2020
and 2021, BB's 2020-2022 (the 2021 one in the city "Beta") and an uncited source ``s-old``. After
it: AA's 2022 edition is added with a new source, BB's 2021 city is corrected to "Gamma" and
``s-old`` is removed. So AA's IGF cell in 2022 goes from unknown to held, AA's 2022 index score
rises from 0.667 to 0.833, and AA and BB share rank 1 in 2022 (AA was 2nd, BB 1st).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import multisee

from analysis.measures import datadiff
from analysis.model import release
from analysis.model.errors import UserError
from analysis.products import diff_render

GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
GIT += ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    res = subprocess.run([*GIT, "-C", str(repo), *args], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def country(code: str, ms: str, editions: list[tuple[int, int, str]], extra: str = "") -> str:
    low = code.lower()
    text = f"""# Fictional jurisdiction {code} for the tests.
code: {code}
name: Testland {code}
subregion: western_balkans
cctlds:
  - tld: {low}
    idn: false
    manager: Registry of {code}
    legal_form: foundation
    multistakeholder: {ms}
    ms_rationale: Fictional.
    manager_since: 2010
    sources: [s-{low}]
    confidence: sourced
"""
    if editions:
        text += f"""igf_initiatives:
  - id: {low}-igf
    kind: national
    name: Testland {code} IGF
    first_year: {editions[0][0]}
    sources: [s-{low}]
    confidence: sourced
    editions:
"""
        for year, number, city in editions:
            text += f"""      - year: {year}
        number: {number}
        city: {city}
        sources: [s-{low}]
        confidence: sourced
"""
    return text + extra


def sources(code: str, extra: str = "") -> str:
    low = code.lower()
    return f"""sources:
  - id: s-{low}
    title: "Fictional page of {code}"
    url: https://example.org/{low}
    publisher: Example
    kind: ngo
    reliability: high
    accessed: "2026-01-01"
{extra}"""


OLD_SOURCE = """  - id: s-old
    title: "An old page"
    url: https://example.org/old
    publisher: Example
    kind: news
    reliability: medium
    accessed: "2026-01-01"
"""
NEW_SOURCE = """  - id: s-aa-2022
    title: "Fictional report of AA's 2022 forum"
    url: https://example.org/aa-2022
    publisher: Example
    kind: ngo
    reliability: high
    archived: "2022-12-01"
    accessed: "2026-01-01"
"""


def write_release(repo: Path) -> None:
    d = repo / "data"
    (d / "countries").mkdir(parents=True, exist_ok=True)
    (d / "sources").mkdir(parents=True, exist_ok=True)
    (d / "countries" / "AA.yaml").write_text(
        country("AA", "yes", [(2020, 1, "Alpha"), (2021, 2, "Alpha")])
    )
    (d / "countries" / "BB.yaml").write_text(
        country("BB", "yes", [(2020, 1, "Beta"), (2021, 2, "Beta"), (2022, 3, "Beta")])
    )
    (d / "countries" / "CC.yaml").write_text(country("CC", "no", []))
    (d / "sources" / "AA.yaml").write_text(sources("AA"))
    (d / "sources" / "BB.yaml").write_text(sources("BB"))
    (d / "sources" / "CC.yaml").write_text(sources("CC", OLD_SOURCE))


def write_changes(repo: Path) -> None:
    d = repo / "data"
    aa = d / "countries" / "AA.yaml"
    aa.write_text(
        aa.read_text()
        + """      - year: 2022
        number: 3
        city: Alpha
        sources: [s-aa-2022]
        confidence: sourced
"""
    )
    bb = d / "countries" / "BB.yaml"
    text = bb.read_text()
    i = text.index("year: 2021")
    bb.write_text(text[:i] + text[i:].replace("city: Beta", "city: Gamma", 1))
    (d / "sources" / "AA.yaml").write_text(sources("AA", NEW_SOURCE))
    (d / "sources" / "CC.yaml").write_text(sources("CC"))


def pyproject(version: str) -> str:
    return f'[build-system]\nrequires = []\n\n[project]\nname = "multisee"\nversion = "{version}"\n'


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q")
    (r / "pyproject.toml").write_text(pyproject("0.1.0"))
    write_release(r)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "release")
    git(r, "tag", "v0.1.0")
    write_changes(r)  # left in the working tree
    return r


def _by(d: datadiff.DataDiff) -> dict[tuple[str, str, str], datadiff.RecordChange]:
    return {(r.change, r.kind, r.key): r for r in d.records}


def check_known_changes(d: datadiff.DataDiff) -> None:
    recs = _by(d)
    assert set(recs) == {
        ("added", "igf_edition", "aa-igf/2022"),
        ("added", "source", "s-aa-2022"),
        ("changed", "igf_edition", "bb-igf/2021"),
        ("removed", "source", "s-old"),
    }
    added = recs[("added", "igf_edition", "aa-igf/2022")]
    assert (added.country, added.sources, added.confidence) == ("AA", ["s-aa-2022"], "sourced")
    assert added.file == "data/countries/AA.yaml"
    changed = recs[("changed", "igf_edition", "bb-igf/2021")]
    [f] = changed.fields
    assert (f.field, f.old, f.new, f.sources, f.confidence) == (
        "city",
        "Beta",
        "Gamma",
        ["s-bb"],
        "sourced",
    )
    removed = recs[("removed", "source", "s-old")]
    assert removed.country == "CC" and removed.url == "https://example.org/old"
    # the derived effect: one panel cell, and the index rank that moved
    assert d.effect
    [cell] = d.cells
    assert (cell.country, cell.mechanism, cell.years, cell.old_state, cell.new_state) == (
        "AA",
        "igf",
        "2022",
        "unknown",
        "held",
    )
    assert cell.new_confidence == "sourced" and cell.sources == ["s-aa-2022"]
    moved = {i.country: i for i in d.index}
    assert set(moved) == {"AA", "BB"}
    aa, bb = moved["AA"], moved["BB"]
    assert aa.years == "2022" and bb.years == "2022"
    assert aa.old["score"] == pytest.approx(2 / 3) and aa.new["score"] == pytest.approx(5 / 6)
    assert (aa.old["rank"], aa.new["rank"]) == (2, 1)
    assert (aa.old["rank_label"], aa.new["rank_label"]) == ("2", "=1")
    assert (bb.old["rank_label"], bb.new["rank_label"]) == ("1", "=1")
    assert bb.old["score"] == bb.new["score"]
    assert d.year == 2022


def test_diff_last_release_vs_working_tree(repo: Path) -> None:
    d = datadiff.compare(root=repo)
    assert d.a.label == "v0.1.0" and d.b.label == "working tree"
    assert d.notes == [] and d.a.note == "base: v0.1.0, the last release tag"
    check_known_changes(d)
    assert d.bump() == "minor"


def test_diff_between_two_commits(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "changes")
    check_known_changes(datadiff.compare("v0.1.0", "HEAD", root=repo))
    # and the other way round: what was added is removed
    back = datadiff.compare("HEAD", "v0.1.0", root=repo)
    assert ("removed", "igf_edition", "aa-igf/2022") in _by(back)
    assert [(c.old_state, c.new_state) for c in back.cells] == [("held", "unknown")]


def test_without_tags_the_first_commit_of_the_current_version(tmp_path: Path) -> None:
    r = tmp_path / "r"
    r.mkdir()
    git(r, "init", "-q")
    (r / "pyproject.toml").write_text(pyproject("0.1.0"))
    write_release(r)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "0.1.0")
    (r / "pyproject.toml").write_text(pyproject("0.2.0"))
    git(r, "commit", "-qam", "Version 0.2.0")
    bump = git(r, "rev-parse", "HEAD")
    write_changes(r)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "data")
    rel = release.last_release(r)
    assert rel.commit == bump and rel.label == f"0.2.0 (commit {bump[:7]}, untagged)"
    assert rel.note and "no release tag v*" in rel.note
    d = datadiff.compare(root=r)
    assert d.a.note == rel.why == f"base: {rel.note}"
    check_known_changes(d)
    # the CLI says so on its second line
    res = multisee("diff", "--no-effect", env={"MULTISEE_ROOT": str(r)}, cwd=r)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[1].startswith("base: no release tag v* in this repository")
    # and on standard error for the other formats, which go to a file or a description
    res = multisee("diff", "--no-effect", "--format", "json", env={"MULTISEE_ROOT": str(r)}, cwd=r)
    assert res.stderr.startswith("base: no release tag v*") and json.loads(res.stdout)


def test_without_tags_or_pyproject_history_head(tmp_path: Path) -> None:
    r = tmp_path / "r"
    r.mkdir()
    git(r, "init", "-q")
    write_release(r)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "data")
    rel = release.last_release(r)
    assert rel.rev == "HEAD" and rel.note and "comparing with HEAD" in rel.note
    write_changes(r)
    check_known_changes(datadiff.compare(root=r))


def test_a_tag_off_the_branch_gives_the_merge_base(repo: Path) -> None:
    """A release tagged on another branch (a fix released from a release branch): the base is
    the commit the two share, and the output says so."""
    git(repo, "stash", "-q", "--include-untracked")
    git(repo, "checkout", "-qb", "release-0.1")
    (repo / "notes.txt").write_text("a fix\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fix")
    git(repo, "tag", "v0.1.1")
    git(repo, "checkout", "-q", "-")
    git(repo, "stash", "pop", "-q")
    shared = git(repo, "rev-parse", "v0.1.0")
    rel = release.last_release(repo)
    assert rel.commit == shared and rel.label == f"v0.1.1 (merge base {shared[:7]})"
    assert "merge base of HEAD with the last release tag v0.1.1" in rel.why
    check_known_changes(datadiff.compare(root=repo))


def test_without_tags_the_merge_base_with_the_upstream_branch(repo: Path, tmp_path: Path) -> None:
    """A clone without tags (as CI may make): the merge base with the upstream branch, said."""
    clone = tmp_path / "clone"
    git(repo, "checkout", "-q", "-b", "main")
    subprocess.run(["git", "clone", "-q", "--no-tags", str(repo), str(clone)], check=True)
    assert git(clone, "tag", "--list") == ""
    write_changes(clone)
    rel = release.last_release(clone)
    head = git(clone, "rev-parse", "HEAD")
    assert rel.commit == head and rel.label == f"origin/main (merge base {head[:7]})"
    assert rel.why.startswith("base: no release tag v* in this repository")
    assert "git fetch --tags" in rel.why and "merge base of HEAD with origin/main" in rel.why
    check_known_changes(datadiff.compare(root=clone))


def test_one_record_change_prints_one_record_and_its_effect(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "the known changes")
    git(repo, "checkout", "-q", "v0.1.0", "--", "data/countries/AA.yaml")  # one record taken out
    res = multisee("diff", "HEAD", env={"MULTISEE_ROOT": str(repo)}, cwd=repo)
    assert res.returncode == 0, res.stderr
    out = res.stdout.splitlines()
    assert out[:3] == [
        "Data changes: HEAD → working tree",
        "base: HEAD, as given",
        "1 record changed (0 added, 0 corrected, 1 removed); 1 panel cell changed state;"
        " index ranks moved for 2 jurisdictions",
    ]
    records = [x for x in out if x.startswith(("  + ", "  - ", "  ~ "))]
    assert records == [
        "  - igf_edition aa-igf/2022 (AA)  data/countries/AA.yaml  [sourced: s-aa-2022]"
    ]
    assert "  AA igf 2022: held → unknown" in out


EDITION = """      - year: 2022
        city: Alpha
        sources: [s-aa]
        confidence: sourced
"""


def test_list_fields_are_compared_element_by_element() -> None:
    def rec(conflicts: list[dict[str, object]]) -> dict[tuple[str, str], datadiff.Record]:
        fields = {"tld": "aa", "conflicts": conflicts, "sources": ["s"], "confidence": "sourced"}
        return {("cctld", "aa"): datadiff.Record("cctld", "aa", "AA", "f.yaml", fields)}

    long = "A long note that is the same on both sides " * 3
    c1 = {"field": "manager_since", "value": 2001, "sources": ["x"], "note": long}
    c2 = {"field": "delegated", "value": "1994", "sources": ["y"], "note": long}
    c2b = {**c2, "value": "1995"}
    [r] = datadiff.diff_records(rec([c1, c2]), rec([c1, c2b, c1 | {"field": "website"}]))
    got = [(f.field, f.old, f.new) for f in r.fields]
    assert got == [
        ("conflicts[1].value", "1994", "1995"),
        ("conflicts[2]", None, c1 | {"field": "website"}),
    ]
    # the text shows the element that changed, not two shortened lists that look alike
    d = datadiff.DataDiff(datadiff.Side("a", None, None), datadiff.Side("b", None, None), [r])
    assert "      conflicts[1].value: 1994 → 1995" in diff_render.render_text(d)
    [r] = datadiff.diff_records(rec([c1, c2]), rec([c2]))
    assert [(f.field, f.new) for f in r.fields] == [("conflicts[0]", None)]
    assert r.fields[0].old == c1


def test_a_corrected_edition_year_is_one_correction_and_a_patch(repo: Path) -> None:
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")
    bb = repo / "data" / "countries" / "BB.yaml"
    bb.write_text(bb.read_text().replace("- year: 2022", "- year: 2023", 1))
    d = datadiff.compare(root=repo, effect=False)
    [r] = d.records
    assert (r.change, r.kind, r.key) == ("changed", "igf_edition", "bb-igf/2022 → bb-igf/2023")
    assert [(f.field, f.old, f.new) for f in r.fields] == [("year", 2022, 2023)]
    assert d.bump() == "patch"
    # a new edition beside it is still an addition
    aa = repo / "data" / "countries" / "AA.yaml"
    aa.write_text(aa.read_text() + EDITION)
    d = datadiff.compare(root=repo, effect=False)
    assert {(r.change, r.key) for r in d.records} == {
        ("changed", "bb-igf/2022 → bb-igf/2023"),
        ("added", "aa-igf/2022"),
    }
    assert d.bump() == "minor"


def test_the_html_diff_is_a_whole_page_with_every_year(repo: Path) -> None:
    res = multisee("diff", "--format", "html", env={"MULTISEE_ROOT": str(repo)}, cwd=repo)
    assert res.returncode == 0, res.stderr
    page = res.stdout
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">') and page.endswith("</html>\n")
    assert '<meta charset="utf-8">' in page and "<title>Data changes: v0.1.0 → working tree" in page
    assert "<script" not in page and "<link" not in page
    assert "base: v0.1.0, the last release tag" in page
    assert "<li>AA 2022: score 0.667 → 0.833" in page and "<li>BB 2022: rank 1 → =1</li>" in page
    assert "Multi-SEE index:</p>" in page  # all years, not the latest one only


@pytest.mark.slow
def test_cli_formats(repo: Path) -> None:
    env = {"MULTISEE_ROOT": str(repo)}
    res = multisee("diff", env=env, cwd=repo)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert out.startswith("Data changes: v0.1.0 → working tree\n")
    assert "  + igf_edition aa-igf/2022 (AA)  data/countries/AA.yaml  [sourced: s-aa-2022]" in out
    assert "      city: Beta → Gamma  [sourced: s-bb]" in out
    assert "  - source s-old (CC)  data/sources/CC.yaml  [https://example.org/old]" in out
    assert "  AA igf 2022: unknown → held (sourced)" in out
    assert (
        "  AA 2022 *: score 0.667 → 0.833; bounds 0.333–1.000 → 0.667–1.000; rank 2 → =1;"
        " rank interval 1–3 → 1–2\n"
    ) in out
    assert "  BB 2022 *: rank 1 → =1\n" in out

    res = multisee("diff", "--format", "json", env=env, cwd=repo)
    data = json.loads(res.stdout)
    assert data["counts"] == {"added": 2, "removed": 1, "changed": 1, "cells": 1, "rank_moves": 2}
    assert data["a"]["label"] == "v0.1.0"

    res = multisee("diff", "v0.1.0", "--format", "markdown", env=env, cwd=repo)
    assert "| AA | igf | 2022 | unknown | held | sourced |" in res.stdout
    assert (
        "| changed | IGF edition `bb-igf/2021` | BB | `city` | Beta | Gamma | sourced: s-bb |"
        in (res.stdout)
    )

    res = multisee("release-notes", env=env, cwd=repo)
    assert res.stdout.startswith("### Data changes since v0.1.0\n")
    assert "- IGF edition `aa-igf/2022` (AA), sourced: s-aa-2022" in res.stdout
    assert "index ranks moved for AA, BB" in res.stdout
    res2 = multisee("diff", "--format", "changelog", env=env, cwd=repo)
    assert res2.stdout == res.stdout

    res = multisee("diff", "nope", env=env, cwd=repo)
    assert res.returncode != 0 and res.stderr.count("\n") == 1
    assert "unknown revision 'nope'" in res.stderr


def test_changes_for_a_page(repo: Path) -> None:
    whole = datadiff.changes_since_release(root=repo)
    aa = whole.for_country("AA")
    assert {r.key for r in aa.records} == {"aa-igf/2022", "s-aa-2022"}
    assert [c.country for c in aa.cells] == ["AA"] and [i.country for i in aa.index] == ["AA"]
    cc = datadiff.changes_since_release("CC", root=repo)
    assert [r.key for r in cc.records] == ["s-old"] and cc.cells == [] and cc.index == []
    html = diff_render.render_changes(aa, "html")
    assert html.startswith('<section class="multisee-changes">')
    assert "<h2>Changes since v0.1.0</h2>" in html and "aa-igf/2022" in html
    assert "AA 2022: score 0.667 → 0.833; bounds 0.333–1.000 → 0.667–1.000; rank 2 → =1" in html
    assert "<script" not in html and "http" not in html.replace("https://example.org", "")
    md = diff_render.render_changes(cc, "markdown")
    assert "removed | source `s-old` | CC" in md
    # BB had no record change, but its rank moved: its page says so
    bb = whole.for_country("BB")
    assert [r.key for r in bb.records] == ["bb-igf/2021"] and bb.index[0].rank_moved


def test_no_repository_is_said_not_raised(tmp_path: Path) -> None:
    write_release(tmp_path)
    d = datadiff.changes_since_release("AA", root=tmp_path)
    assert not d.available and "not a git repository" in d.notes[0]
    assert "Not available" in diff_render.render_changes(d)
    with pytest.raises(UserError, match="not a git repository"):
        datadiff.compare(root=tmp_path)


def test_a_revision_that_does_not_validate_still_gives_the_records(repo: Path) -> None:
    bad = repo / "data" / "countries" / "CC.yaml"
    bad.write_text(bad.read_text().replace("legal_form: foundation", "legal_form: fundation"))
    d = datadiff.compare(root=repo)
    assert not d.effect and d.cells == [] and d.index == []
    assert "derived effect not computed" in d.notes[-1] and "CC.yaml" in d.notes[-1]
    assert ("changed", "cctld", "cc") in _by(d)
    assert "legal_form: foundation → fundation" in diff_render.render(d, "text")


def test_unchanged_data_say_so(repo: Path) -> None:
    git(repo, "checkout", "-q", "--", ".")
    git(repo, "clean", "-qfd")
    d = datadiff.compare(root=repo)
    assert d.empty and "no changes" in diff_render.render(d, "text")
    assert d.bump() == "none"


@pytest.mark.slow
def test_the_worked_example_in_the_docs_is_real_output(tmp_path: Path) -> None:
    """CONTRIBUTING.md and the README paste the output of the worked example: run it again on a
    scratch copy of the shipped data and check every pasted line is what the tools print."""
    from conftest import ROOT

    r = tmp_path / "example"
    shutil.copytree(ROOT / "data", r / "data")
    am, src = r / "data" / "countries" / "AM.yaml", r / "data" / "sources" / "AM.yaml"
    git(r, "init", "-q")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "The shipped data")
    lines = am.read_text().split("\n")
    i = lines.index("      - year: 2017")
    assert lines[i + 7] == "      - year: 2022"
    am.write_text("\n".join(lines[:i] + lines[i + 7 :]))
    lines = src.read_text().split("\n")
    j = lines.index("  - id: am-ameria-2017")
    src.write_text("\n".join(lines[:j] + lines[j + 9 :]))
    git(r, "commit", "-qam", "Example release without ArmIGF 2017")
    git(r, "tag", "v0.2.0-example")
    env = {"MULTISEE_ROOT": str(r)}

    def no_lines(text: str) -> str:  # file:line numbers move as the shipped data grow
        return re.sub(r"(\.yaml):\d+(-\d+)?", r"\1:N", text)

    docs = no_lines((ROOT / "CONTRIBUTING.md").read_text() + (ROOT / "README.md").read_text())

    def run(*args: str, pasted: bool = True) -> str:
        res = multisee(*args, env=env, cwd=r)
        assert res.returncode == 0, res.stderr
        for line in res.stdout.splitlines() if pasted else ():
            assert no_lines(line) in docs, line
        return res.stdout

    run(
        "new", "source", "--country", "AM", "--id", "am-ameria-2017",
        "--url", "http://ameriagroupinc.com/armenias-it-field-records-35-growth-in-the-first-half-of-2017/",
        "--title", "Armenia IT field records 35% growth in the first half of 2017",
        "--publisher", "ameriagroupinc.com (republishing Armenpress)",
        "--kind", "aggregator", "--reliability", "low", "--language", "en",
        "--published", "2017", "--accessed", "2026-11-29",
    )  # fmt: skip
    run("new", "edition", "--initiative", "am-igf", "--year", "2017")
    text = am.read_text()
    k = text.index("      - year: 2017\n")
    end = text.index("      - year: 2022\n")
    block = text[k:end]
    assert block in docs  # the block as written, placeholders and all
    filled = (
        "      - year: 2017\n        number: 3\n        sources: [am-ameria-2017]\n"
        '        confidence: sourced\n        notes: The minister spoke at "the 3rd Armenian'
        ' Internet Governance Forum"; only an aggregator copy\n          of an Armenpress item'
        " (weak evidence).\n"
    )
    assert filled in docs
    am.write_text(text[:k] + filled + text[end:])
    run("validate")
    out = run("diff")
    assert "AM igf 2017: unknown → held (sourced, weak evidence)" in out
    run("diff", "--format", "markdown")
    run("release-notes")
    # the re-added records equal the shipped ones (the text differs only in quoting and layout)
    assert "no changes" in run("diff", "v0.2.0-example~1", "--no-effect", pasted=False)
