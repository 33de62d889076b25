"""The ``multisee`` command line. Sub-commands import their heavy modules lazily, so that
``multisee validate`` never pays for pandas, matplotlib or papermill."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

# pydantic scans every installed distribution for plugins on first use (~30 ms); none are used.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis.model import data_warnings, research_log
    from analysis.model.validate import validate_files

    dataset, problems = validate_files([Path(p) for p in args.paths] or None)
    problems += research_log.check_beside(dataset)
    problems = sorted(problems, key=lambda p: (p.file, p.line or 0))
    warned = sorted(data_warnings.warnings(dataset), key=lambda p: (p.file, p.line or 0))
    for p in problems:
        print(p, file=sys.stderr)
    for w in warned:
        print(f"warning: {w}", file=sys.stderr)
    n = len(dataset.documents)
    if problems:
        print(f"{len(problems)} problem(s) in {n} file(s)", file=sys.stderr)
        return 1
    if warned:
        print(f"{len(warned)} warning(s): the data validate; check them", file=sys.stderr)
    if not args.quiet:
        print(f"ok: {n} file(s) valid")
    return 0


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``multisee map: error: ...``, status 2)
    instead of the usage text followed by the error; ``--help`` shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="multisee",
        description="Workbench on national multistakeholder Internet governance in SEE+.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate data files (default: the shipped data)")
    p.add_argument("paths", nargs="*", help="files or directories (default: data/)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing when all is well")
    p.set_defaults(func=_cmd_validate)

    from analysis.cli import commands

    commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a clean one-line error for the expected failures
        from analysis.model.errors import UserError

        if isinstance(exc, UserError):
            print(f"multisee {args.command}: error: {exc}", file=sys.stderr)
            return 2
        if isinstance(exc, OSError):  # unwritable output, full disk ...: one line, no traceback
            where = f": {exc.filename}" if exc.filename else ""
            print(f"multisee {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
            return 1
        raise
