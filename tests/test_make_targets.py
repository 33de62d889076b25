"""``make maps`` and ``make deck`` run the same commands as ``make reports`` (dry run)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT


def _commands(target: str) -> list[str]:
    """The ``multisee`` commands ``make -n <target>`` would run, without output redirection."""
    res = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target], capture_output=True, text=True, check=True
    )
    joined = res.stdout.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        words = line.split()
        if words and words[0].endswith("/multisee"):
            out.append(" ".join(w for w in words if w != ">/dev/null"))
    return out


@pytest.mark.parametrize("target, sub", [("maps", "map"), ("deck", "deck")])
def test_target_runs_the_reports_command(target: str, sub: str) -> None:
    mine = _commands(target)
    assert len(mine) == 1, f"make {target} runs one multisee command, not {mine}"
    assert mine[0].split()[1] == sub
    assert mine[0] in _commands("reports")
