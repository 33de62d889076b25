"""Benchmark the report build (run by `make bench`; prints ratios and absolute times).

All measurements run in one go on this machine, in a scratch copy of the project so the real
reports/ are untouched:

1. `multisee build --force` of the whole build list versus the naive loop (papermill CLI, then
   `jupyter nbconvert --to html --no-input` CLI, per notebook, one after another); target <= 0.20.
2. A no-op `multisee build`; target <= 1 s.
3. Rebuilding one country profile after editing a note in its YAML versus papermill on an empty
   parameterised notebook; target <= 2.0.
4. `multisee validate` of all data; target <= 0.3 s.
5. A whole `multisee build` after a note edit in one country (the panel does not move): items
   rebuilt (target: 1, that country's profile) and time, versus rebuilding that one profile
   alone (3.): keying the other 32 items costs little; target <= 1.5.
6. A whole `multisee build` after adding an IGF edition year to one country (the panel moves):
   items rebuilt (target: every item that reads the panel) and time versus `build --force`
   (fine-grained keys cost nothing when everything changed); target <= 1.1.
7. Whether the no-op build imported pandas (target: no).

Use `--naive-sample N` to time the naive loop on N items and extrapolate (default: all items).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})}, cwd=cwd)
    return time.perf_counter() - t0


def best(n: int, fn) -> float:
    return min(fn() for _ in range(n))


def build(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds, items built and items in the run of `multisee build ARGS`."""
    t0 = time.perf_counter()
    res = subprocess.run(
        [str(BIN / "multisee"), "build", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    seconds = time.perf_counter() - t0
    m = re.search(r"^built (\d+), up to date (\d+), failed (\d+)", res.stderr, re.M)
    if not m:
        raise SystemExit(f"unexpected build output:\n{res.stderr}")
    n_built, n_skipped, n_failed = map(int, m.groups())
    return seconds, n_built, n_built + n_skipped + n_failed


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"bench: {old!r} is no longer in {path.name}; update bench_build.py")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def noop_imports_pandas(env: dict[str, str]) -> bool:
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "analysis.cli", "build", "--quiet"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    return re.search(r"\|\s+pandas$", res.stderr, re.M) is not None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--naive-sample", type=int, default=0, help="time the naive loop on N items")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp) / "proj"
        for name in ("data", "notebooks", "src", "build.yaml"):
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, proj / name)
            else:
                shutil.copy(src, proj / name)
        (proj / "reports").mkdir()
        env = {"MULTISEE_ROOT": str(proj)}
        sys.path.insert(0, str(ROOT / "src"))
        os.environ["MULTISEE_ROOT"] = str(proj)
        from analysis.build.buildlist import load_build_list

        items = load_build_list()
        n = len(items)
        n_readers = sum("panel" in it.reads for it in items)

        t_build = run([str(BIN / "multisee"), "build", "--force", "--quiet"], env)
        t_noop = best(3, lambda: run([str(BIN / "multisee"), "build", "--quiet"], env))
        noop_pandas = noop_imports_pandas(env)

        sample = items[: args.naive_sample] if args.naive_sample else items
        t0 = time.perf_counter()
        out = Path(tmp) / "naive"
        out.mkdir()
        for it in sample:
            nb_out = out / (it.id.replace("/", "_") + ".ipynb")
            cmd = [
                str(BIN / "papermill"),
                str(proj / "notebooks" / f"{it.notebook}.ipynb"),
                str(nb_out),
                "-k",
                "multisee",
                "--no-progress-bar",
            ]
            for k, v in it.parameters.items():
                cmd += ["-p", k, str(v)]
            subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **env})
            subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)],
                check=True,
                capture_output=True,
            )
        t_naive = (time.perf_counter() - t0) * (n / len(sample))

        rs = proj / "data" / "countries" / "RS.yaml"
        edit(rs, "RNIDS operated as a fund", "RNIDS (edited) operated as a fund")
        t_one = run([str(BIN / "multisee"), "build", "--only", "countries/RS", "--quiet"], env)
        build([], env)  # the rest of the build list catches up with the RS edit

        # (a) a note edit in one country: only its profile reads it
        al = proj / "data" / "countries" / "AL.yaml"
        edit(
            al,
            "End of 2022, per an aggregator site (weak).",
            "End of 2022, per an aggregator site (weak; edited).",
        )
        t_note, n_note, n_all = build([], env)
        # (b) a second edition of the Albania IGF (2019): the panel moves
        edit(
            al,
            "        notes: Meeting date as listed by SEEDIG (list dated 27 December 2017).\n",
            "        notes: Meeting date as listed by SEEDIG (list dated 27 December 2017).\n"
            "      - year: 2019\n"
            "        sources: [seedig-nri-2017]\n"
            "        confidence: sourced\n",
        )
        t_panel, n_panel, _ = build([], env)
        empty = Path(tmp) / "empty.ipynb"
        empty.write_text(
            json.dumps(
                {
                    "cells": [
                        {
                            "cell_type": "code",
                            "metadata": {"tags": ["parameters"]},
                            "source": "x = 1",
                            "outputs": [],
                            "execution_count": None,
                        }
                    ],
                    "metadata": {
                        "kernelspec": {
                            "name": "multisee",
                            "display_name": "multisee",
                            "language": "python",
                        }
                    },
                    "nbformat": 4,
                    "nbformat_minor": 5,
                }
            )
        )
        t_empty = best(
            2,
            lambda: run(
                [
                    str(BIN / "papermill"),
                    str(empty),
                    str(Path(tmp) / "e.ipynb"),
                    "-p",
                    "x",
                    "2",
                    "-k",
                    "multisee",
                    "--no-progress-bar",
                ]
            ),
        )
        t_validate = best(5, lambda: run([str(BIN / "multisee"), "validate", "-q"], env))

    cores = os.cpu_count()
    print(f"machine: {cores} cores; {n} notebooks in the build list")
    rows = [
        (
            "1. build --force / naive loop",
            t_build / t_naive,
            0.20,
            f"{t_build:.1f} s vs {t_naive:.1f} s"
            + (f" (naive extrapolated from {len(sample)})" if len(sample) < n else ""),
        ),
        ("2. no-op build", t_noop, 1.0, f"{t_noop:.2f} s"),
        (
            "3. one profile after a note edit / empty papermill",
            t_one / t_empty,
            2.0,
            f"{t_one:.2f} s vs {t_empty:.2f} s",
        ),
        ("4. validate all data", t_validate, 0.3, f"{t_validate:.3f} s"),
        (
            "5a. note edit in one country: items rebuilt",
            n_note,
            1,
            f"{n_note}/{n_all} items in {t_note:.1f} s (build --force: {t_build:.1f} s)",
        ),
        (
            "5b. note edit, whole build / its one profile (3.)",
            t_note / t_one,
            1.5,
            f"{t_note:.2f} s vs {t_one:.2f} s",
        ),
        (
            "6a. IGF edition added (panel moves): items rebuilt",
            n_panel,
            n_readers,
            f"{n_panel}/{n_all} items, {n_readers} read the panel",
        ),
        (
            "6b. IGF edition added, whole build / build --force",
            t_panel / t_build,
            1.1,
            f"{t_panel:.1f} s vs {t_build:.1f} s",
        ),
        ("7. no-op build imported pandas", float(noop_pandas), 0, "yes" if noop_pandas else "no"),
    ]
    exact = {"5a", "6a"}  # items rebuilt: exactly the target, neither fewer nor more
    for name, value, target, detail in rows:
        is_exact = name.split(".")[0] in exact
        flag = "ok" if (value == target if is_exact else value <= target) else "MISSED"
        op = "==" if is_exact else "<="
        print(f"{name:55s} {value:7.3f}  (target {op} {target})  {flag}  [{detail}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
