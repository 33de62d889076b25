"""Sub-commands other than ``validate`` (each imports what it needs when it runs)."""

from __future__ import annotations

import argparse
import sys


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    only = [o for group in (args.only or []) for o in _csv(group)]
    res = build(
        only=only or None,
        countries=_csv(args.countries) if args.countries else None,
        jobs=args.jobs,
        force=args.force,
        fail_fast=args.fail_fast,
        timeout=args.timeout,
        quiet=args.quiet,
    )
    if not args.quiet or res.failed:
        print(
            f"built {len(res.built)}, up to date {len(res.skipped)}, failed {len(res.failed)}"
            f" in {res.seconds:.1f} s",
            file=sys.stderr,
        )
        for pid, err in res.failed.items():
            print(f"  FAILED {pid}: {err}", file=sys.stderr)
    return 0 if res.ok else 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="execute the report notebooks into reports/")
    p.add_argument(
        "--only", action="append", help="item id or prefix, e.g. countries/RS (repeatable)"
    )
    p.add_argument("--countries", help="comma-separated codes, e.g. RS,AM")
    p.add_argument(
        "--jobs", "-j", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    p.add_argument("--force", action="store_true", help="rebuild everything")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    p.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.set_defaults(func=_cmd_build)
