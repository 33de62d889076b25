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
        fresh_kernels=args.fresh_kernels,
    )
    if not args.quiet or res.failed:
        print(
            f"built {len(res.built)}, up to date {len(res.skipped)}, failed {len(res.failed)}"
            f" in {res.seconds:.1f} s" + ("; site regenerated" if res.site else ""),
            file=sys.stderr,
        )
        if not args.quiet:  # what ran, and which of its inputs changed
            for pid in res.built:
                print(f"  built {pid} ({', '.join(res.reasons.get(pid, []))})", file=sys.stderr)
        for pid, err in res.failed.items():
            print(f"  FAILED {pid}: {err}", file=sys.stderr)
    return 0 if res.ok else 1


def _cmd_map(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .load import load
    from .mapping import render_map
    from .panel import panel_for
    from .selection import resolve_year

    tables = load()
    year = resolve_year(args.year, panel_for(tables), tables)
    mechanisms = ["cctld", "igf", "body"] if args.mechanism == "all" else [args.mechanism]
    for mech in mechanisms:
        out = Path(args.out) if args.out and len(mechanisms) == 1 else None
        if args.out and len(mechanisms) > 1:
            out = Path(args.out) / f"{mech}_{year}"
        written = render_map(
            mech,
            year,
            out,
            formats=_csv(args.format),
            countries=_csv(args.countries) if args.countries else None,
        )
        for p in written:
            print(p)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .catalog import index_schema, panel_schema
    from .export import export
    from .gaps import gaps, gaps_schema
    from .panel import adoption_panel
    from .scoring import multisee_index

    panel = adoption_panel()
    extra = {
        "adoption_panel": (panel, panel_schema()),
        "index": (multisee_index(panel), index_schema()),
        "gaps": (gaps(panel=panel), gaps_schema()),
    }
    formats = ["datapackage", "xlsx", "csv"] if args.format == "all" else _csv(args.format)
    for p in export(Path(args.out), formats=formats, extra=extra):
        if not args.quiet:
            print(p)
    return 0


def _cmd_codebook(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .codebook import write_codebook

    print(write_codebook(Path(args.out)))
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import render_coverage, render_panel_figures

    print(render_panel_figures() if args.panel else render_coverage(markdown=args.markdown))
    return 0


def _cmd_deck(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .deck import make_animation, make_deck

    years = [int(y) for y in _csv(args.years)] if args.years else None
    info = make_deck(
        Path(args.out),
        args.session,
        countries=args.countries,
        year=args.year,
        years_small_multiples=years,
    )
    print(f"{info['path']}: {info['pages']} pages")
    if args.gif:
        gif = make_animation(Path(args.gif), args.gif_mechanism, args.gif_start, info["year"])
        print(gif)
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .atomic import atomic_write
    from .errors import UserError
    from .gaps import gaps, render_gaps

    if args.top is not None and args.top < 1:
        raise UserError(f"--top must be at least 1, not {args.top}")
    text = render_gaps(gaps(start=args.start, end=args.end), args.format, args.top)
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            raise UserError(f"--out {out} is a directory; give a file name")
        atomic_write(out, text)
        print(out)
    else:
        sys.stdout.write(text)
    return 0


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
    p.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="per-notebook timeout in seconds (a hang becomes a failure)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every notebook (default: reuse one per worker, reset)",
    )
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("map", help="draw an adoption map for a mechanism and year")
    p.add_argument("--mechanism", default="all", choices=["cctld", "igf", "body", "all"])
    p.add_argument("--year", type=int, default=None, help="year (default: latest data year)")
    p.add_argument("--countries", help="comma-separated codes to colour (default: all)")
    p.add_argument("--format", default="png,svg,pdf", help="png,svg,pdf (comma-separated)")
    p.add_argument("--out", help="output file (or directory with --mechanism all)")
    p.set_defaults(func=_cmd_map)

    p = sub.add_parser("deck", help="one multi-page PDF for a discussion session")
    p.add_argument("--session", required=True, help="session title for the title page")
    p.add_argument("--countries", default=None, help="peer-group id, 'all' or codes RS,AM")
    p.add_argument("--year", type=int, default=None, help="map year (default: latest)")
    p.add_argument("--years", default=None, help="small-multiple years, e.g. 2005,2010,2020")
    p.add_argument("--out", default="reports/deck.pdf", help="output PDF")
    p.add_argument("--gif", default=None, help="also write an animated GIF of the panel here")
    p.add_argument("--gif-mechanism", default="cctld", choices=["cctld", "igf", "body"])
    p.add_argument("--gif-start", type=int, default=1995)
    p.set_defaults(func=_cmd_deck)

    p = sub.add_parser("export", help="export the data: Frictionless data package, XLSX, CSV")
    p.add_argument("--format", default="all", help="datapackage,xlsx,csv or all")
    p.add_argument("--out", default="reports/data", help="output directory")
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("codebook", help="write the codebook generated from the schema")
    p.add_argument("--out", default="docs/codebook.md")
    p.set_defaults(func=_cmd_codebook)

    p = sub.add_parser("gaps", help="the research queue: unknowns ranked by how much they matter")
    p.add_argument("--start", type=int, default=None, help="first panel year (default: 2000)")
    p.add_argument("--end", type=int, default=None, help="last panel year (default: latest)")
    p.add_argument("--top", type=int, default=None, help="show only the first N gaps")
    p.add_argument("--format", default="text", choices=["text", "markdown", "csv", "html"])
    p.add_argument("--out", default=None, help="write to this file (default: standard output)")
    p.set_defaults(func=_cmd_gaps)

    p = sub.add_parser("coverage", help="jurisdiction x mechanism: known / none / not found")
    p.add_argument("--markdown", action="store_true", help="Markdown table (for the README)")
    p.add_argument(
        "--panel", action="store_true", help="panel figures: share known, IGF years, dormant cells"
    )
    p.set_defaults(func=_cmd_coverage)
