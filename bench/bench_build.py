"""Benchmark the report build (run by `make bench`; prints ratios and absolute times).

All measurements run in one go on this machine, in a scratch copy of the project so the real
reports/ are untouched:

1. `multisee build --force` of the whole build list versus the naive loop (papermill CLI, then
   `jupyter nbconvert --to html --no-input` CLI, per notebook, one after another); target <= 0.20.
2. A no-op `multisee build`; target <= 1 s.
3. Rebuilding one country profile after touching its YAML versus papermill on an empty
   parameterised notebook; target <= 2.0.
4. `multisee validate` of all data; target <= 0.3 s.

Use `--naive-sample N` to time the naive loop on N items and extrapolate (default: all items).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env={**os.environ, **(env or {})}, cwd=cwd)
    return time.perf_counter() - t0


def best(n: int, fn) -> float:
    return min(fn() for _ in range(n))


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
        from analysis.build import load_build_list

        items = load_build_list()
        n = len(items)

        t_build = run([str(BIN / "multisee"), "build", "--force", "--quiet"], env)
        t_noop = best(3, lambda: run([str(BIN / "multisee"), "build", "--quiet"], env))

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
        rs.write_text(rs.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
        t_one = run([str(BIN / "multisee"), "build", "--only", "countries/RS", "--quiet"], env)
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
            "3. one profile after touching YAML / empty papermill",
            t_one / t_empty,
            2.0,
            f"{t_one:.2f} s vs {t_empty:.2f} s",
        ),
        ("4. validate all data", t_validate, 0.3, f"{t_validate:.3f} s"),
    ]
    for name, value, target, detail in rows:
        flag = "ok" if value <= target else "MISSED"
        print(f"{name:55s} {value:7.3f}  (target <= {target})  {flag}  [{detail}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
