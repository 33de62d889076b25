"""Mutation check: plant each curated rule bug in a copy of the library and see a test fail.

The mutants live in ``tests/mutants.yaml`` (data, not code): each names a module of
``src/analysis``, an exact snippet that must occur there exactly once, its replacement (the
realistic bug), why it is a bug, and the test files that should catch it. For each mutant the
library is copied to a scratch folder, the snippet replaced, and the named tests run against the
copy (``PYTHONPATH`` points at it; the data are the project's own). A mutant is *killed* when the
tests fail, *survived* when they pass.

    python scripts/mutate.py                 # all mutants, prints the kill ratio
    python scripts/mutate.py --only panel    # the mutants whose id starts with panel (panel_igf-...)
    python scripts/mutate.py --check         # only check that every mutant still applies

A run over the whole list (no ``--only``) writes ``tests/mutation-results.json`` (the verdict of
each mutant and the kill ratio) and rewrites the README's generated block
``<!-- generated: scripts.mutate.readme_figure -->`` from it (:func:`figure_line`);
``tests/test_mutants.py`` checks that the block equals the file's figure and that the file covers
exactly the mutants of the list.

First the named tests are run on the library unchanged (the baseline): they must pass, or every
mutant would count as killed.

Exit status: 0 when the kill ratio reaches ``--min`` (default 0.9), 1 when it does not, 2 when a
mutant no longer applies (its snippet is missing or not unique: the list has gone stale), 3 when
the baseline fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "tests" / "mutants.yaml"
RESULTS = ROOT / "tests" / "mutation-results.json"
README = ROOT / "README.md"


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    find: str
    replace: str
    why: str
    tests: tuple[str, ...]


def load_mutants(path: Path = MUTANTS) -> list[Mutant]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, m in enumerate(raw.get("mutants") or []):
        missing = {"id", "file", "find", "replace", "why", "tests"} - set(m)
        if missing:
            raise SystemExit(f"{path.name}: mutant {i + 1}: missing {', '.join(sorted(missing))}")
        out.append(Mutant(m["id"], m["file"], m["find"], m["replace"], m["why"], tuple(m["tests"])))
    ids = [m.id for m in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SystemExit(f"{path.name}: duplicate mutant id(s): {', '.join(dup)}")
    return out


def problems(mutants: list[Mutant], src: Path = ROOT / "src" / "analysis") -> list[str]:
    """Mutants that no longer apply: the file is gone, or the snippet is missing or not unique."""
    out = []
    for m in mutants:
        f = src / m.file
        if not f.is_file():
            out.append(f"{m.id}: no file src/analysis/{m.file}")
            continue
        n = f.read_text(encoding="utf-8").count(m.find)
        if n != 1:
            out.append(f"{m.id}: the snippet occurs {n} times in src/analysis/{m.file} (want 1)")
        if m.find == m.replace:
            out.append(f"{m.id}: the replacement equals the snippet")
        for t in m.tests:
            if not (ROOT / t.split("::")[0]).is_file():
                out.append(f"{m.id}: no test file {t}")
    return out


def run_one(m: Mutant | None, python: str, tests: tuple[str, ...] = ()) -> tuple[int, float, str]:
    """Run ``tests`` (default: the mutant's) on a copy of the library with the mutant planted
    (``None``: unchanged). Returns pytest's exit status, the seconds taken, its last line."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(
            ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
        if m is not None:
            f = src / "analysis" / m.file
            f.write_text(f.read_text(encoding="utf-8").replace(m.find, m.replace), encoding="utf-8")
            tests = tests or m.tests
        env = {**os.environ, "PYTHONPATH": str(src), "MULTISEE_ROOT": str(ROOT)}
        env.pop("PYTEST_XDIST_WORKER", None)
        proc = subprocess.run(
            [
                python,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                "-m",
                "not slow",
                *tests,
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=900,
        )
    tail = (proc.stdout.strip().splitlines() or [""])[-1]
    # pytest: 0 all passed (survived), 1 tests failed (killed); anything else is a broken run.
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{m.id if m else 'baseline'}: pytest exited {proc.returncode}: {tail}")
    return proc.returncode, time.perf_counter() - t0, tail


def run_mutant(m: Mutant, python: str) -> tuple[Mutant, bool, float, str]:
    code, secs, tail = run_one(m, python)
    return m, code == 1, secs, tail


def results_of(verdicts: list[tuple[str, bool]]) -> dict[str, Any]:
    """The results file's content: each mutant's verdict (in list order) and the totals."""
    killed = sum(dead for _, dead in verdicts)
    return {
        "killed": killed,
        "total": len(verdicts),
        "mutants": {i: ("killed" if dead else "survived") for i, dead in verdicts},
    }


def figure_line(results: dict[str, Any]) -> str:
    """The README's sentence on the kill ratio, from a results file's content."""
    killed, total = int(results["killed"]), int(results["total"])
    survived = sorted(i for i, v in results["mutants"].items() if v == "survived")
    ratio = killed / total if total else 1.0
    tail = f"; survived: {', '.join(f'`{i}`' for i in survived)}" if survived else ""
    return f"Kill ratio: **{killed} of {total} mutants killed ({ratio:.0%})**{tail}."


def readme_figure() -> str:
    """The README block ``<!-- generated: scripts.mutate.readme_figure -->``: the kill ratio of
    the last full run, read from :data:`RESULTS`."""
    return figure_line(json.loads(RESULTS.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="", help="run the mutants whose id starts with this")
    ap.add_argument("--check", action="store_true", help="only check that each mutant applies")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min", type=float, default=0.9, help="kill ratio below which to exit 1")
    args = ap.parse_args(argv)
    mutants = [m for m in load_mutants() if m.id.startswith(args.only)]
    bad = problems(mutants)
    if bad:
        for line in bad:
            print(f"stale mutant: {line}", file=sys.stderr)
        return 2
    if args.check:
        print(f"{len(mutants)} mutants apply")
        return 0
    t0 = time.perf_counter()
    # The baseline: every named test passes on the library as it is; otherwise a failing test
    # would "kill" every mutant and the ratio would mean nothing.
    named = tuple(dict.fromkeys(t for m in mutants for t in m.tests))
    code, secs, tail = run_one(None, sys.executable, named)
    if code != 0:
        print(
            f"baseline: the tests fail without any mutant ({tail}); fix them first", file=sys.stderr
        )
        return 3
    print(f"baseline: {len(named)} test file(s) pass unmutated ({secs:.0f} s)")
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda m: run_mutant(m, sys.executable), mutants))
    killed = 0
    for m, dead, secs, tail in results:
        killed += dead
        mark = "killed  " if dead else "SURVIVED"
        print(f"{mark} {m.id:<40} {secs:6.1f} s  {m.why}")
        if not dead:
            print(f"         tests run: {' '.join(m.tests)} -> {tail}")
    n = len(results)
    ratio = killed / n if n else 1.0
    print(f"kill ratio: {killed}/{n} = {ratio:.0%} ({time.perf_counter() - t0:.0f} s)")
    if not args.only:
        res = results_of([(m.id, dead) for m, dead, _, _ in results])
        RESULTS.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
        import update_readme

        update_readme.main(["--only", "scripts.mutate.readme_figure"])
        print(f"wrote {RESULTS.relative_to(ROOT)} and the figure in {README.name}")
    return 0 if ratio >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
