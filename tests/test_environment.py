"""pyproject.toml is the single list of dependencies; environment.yml must agree with it."""

from __future__ import annotations

import re
import sys

import yaml
from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {
        _name(r) for r in project["optional-dependencies"]["dev"]
    }
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip or "-e .[dev]" in pip
    assert conda == wanted, (
        f"only in environment.yml: {conda - wanted}; only in pyproject: {wanted - conda}"
    )


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci
    cmds = re.findall(r"^(make \w+)$", readme, flags=re.M)
    assert cmds[:2] == ["make reports", "make test"]
