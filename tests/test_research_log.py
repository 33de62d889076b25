"""The research-log check inside `multisee validate`: every source URL is in a research log, and a
dated log gives it with a real quote (issue 22)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, multisee

from analysis.model import research_log
from analysis.model.validate import validate_files

URL = "https://example.org/forum-2019"
SOURCE = f"""sources:
  - id: aa-forum-2019
    title: "The 2019 forum"
    url: {URL}
    publisher: Example
    kind: ngo
    reliability: high
    accessed: "2026-12-06"
"""
ENTRY = """# Research log

### AA igf aa-igf
- fact: edition 2019
- url: {url}
- quote: {quote}
- page_date: 2019; publisher: Example; kind: ngo; reliability: high
"""


def project(tmp_path: Path, log: str | None, legacy: str | None = None) -> Path:
    root = tmp_path / "proj"
    (root / "data" / "sources").mkdir(parents=True)
    (root / "data" / "sources" / "AA.yaml").write_text(SOURCE, encoding="utf-8")
    (root / "research" / "2026-12-06").mkdir(parents=True)
    if log is not None:
        (root / "research" / "2026-12-06" / "aa.md").write_text(log, encoding="utf-8")
    if legacy is not None:
        (root / "research" / "earlier-sessions.md").write_text(legacy, encoding="utf-8")
    return root


def problems(root: Path) -> list[str]:
    dataset, found = validate_files([root / "data" / "sources" / "AA.yaml"])
    assert found == []
    return [str(p).replace(str(root) + "/", "") for p in research_log.check_beside(dataset)]


def test_a_logged_url_with_a_real_quote_passes(tmp_path: Path) -> None:
    quote = '"The second national forum met in Alpha on 5 October 2019."'
    assert problems(project(tmp_path, ENTRY.format(url=URL, quote=quote))) == []


def test_a_token_quote_fails(tmp_path: Path) -> None:
    root = project(tmp_path, ENTRY.format(url=URL, quote='"TEST"'))
    assert problems(root) == [
        "data/sources/AA.yaml:4: sources[0].url: aa-forum-2019: the research log gives"
        f" {URL} with a quote of 4 character(s); quote at least 20 characters of what the page"
        " says"
    ]
    no_quote = ENTRY.format(url=URL, quote="").replace("- quote: \n", "")
    assert "with no quote" in problems(project(tmp_path / "b", no_quote))[0]


def test_a_url_in_no_log_names_the_host_urls_the_logs_have(tmp_path: Path) -> None:
    other = "https://www.example.org/forum-2019/"
    root = project(tmp_path, ENTRY.format(url=other, quote='"' + "x" * 30 + '"'))
    [msg] = problems(root)
    assert msg.startswith(f"data/sources/AA.yaml:4: sources[0].url: aa-forum-2019: {URL} is in no")
    assert f"other URL(s) of example.org, e.g. {other}: copy the URL exactly as read" in msg
    [msg] = problems(project(tmp_path / "b", None))
    assert "no log mentions example.org" in msg


def test_the_lists_kept_from_before_dated_logs_need_no_quote(tmp_path: Path) -> None:
    legacy = f"- `aa-forum-2019` (AA.yaml): {URL}\n"
    assert problems(project(tmp_path, None, legacy)) == []


def test_multisee_validate_runs_the_check(tmp_path: Path) -> None:
    root = tmp_path / "copy"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "research", root / "research")
    ok = multisee("validate", env={"MULTISEE_ROOT": str(root)})
    assert ok.returncode == 0, ok.stderr
    am = root / "data" / "sources" / "AM.yaml"
    text = am.read_text(encoding="utf-8")
    am.write_text(text.replace("https://", "https://typed.", 1), encoding="utf-8")
    res = multisee("validate", env={"MULTISEE_ROOT": str(root)})
    assert res.returncode == 1
    assert "is in no research log under research/" in res.stderr
    assert re.fullmatch(r"1 problem\(s\) in \d+ file\(s\)", res.stderr.strip().splitlines()[-1])


def test_the_pre_commit_hook_validates_a_data_change(tmp_path: Path) -> None:
    """The documented hook (`.venv/bin/pre-commit install`) runs `multisee validate` when a data
    file or a research log changes, and fails the commit on a bad value."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data", repo / "data")
    shutil.copytree(ROOT / "research", repo / "research")
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the hook's .venv/bin/...
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    env = {"MULTISEE_ROOT": str(repo), "PRE_COMMIT_HOME": str(tmp_path / "pc")}

    def hook(path: str) -> subprocess.CompletedProcess[str]:
        bin_ = Path(sys.executable).parent
        return subprocess.run(
            [str(bin_ / "pre-commit"), "run", "validate", "--files", path],
            capture_output=True,
            text=True,
            cwd=repo,
            env={**os.environ, **env},
            timeout=300,
        )

    ok = hook("data/countries/AM.yaml")
    assert ok.returncode == 0 and "Passed" in ok.stdout, ok.stdout + ok.stderr
    am = repo / "data" / "countries" / "AM.yaml"
    am.write_text(am.read_text(encoding="utf-8").replace('"1994-08-26"', '"1994-13-26"', 1))
    bad = hook("data/countries/AM.yaml")
    assert bad.returncode == 1 and "Failed" in bad.stdout, bad.stdout + bad.stderr
    assert "data/countries/AM.yaml:" in bad.stdout and "1994-13-26" in bad.stdout
    skipped = hook("README.md")  # no data file changed: the hook does not run
    assert "(no files to check)Skipped" in skipped.stdout
