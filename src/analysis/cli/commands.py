"""Sub-commands other than ``validate`` (each imports what it needs when it runs).

:func:`register` adds them in ``--help`` order; ``new`` lives in :mod:`analysis.cli.new_record`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.cli import cliargs, new_record
from analysis.cli.cliargs import csv_list as _csv
from analysis.model import paths

#: The export formats (:data:`analysis.products.export.FORMATS`; not imported here: it pulls in pandas).
EXPORT_FORMATS = ("datapackage", "xlsx", "csv")
MAP_FORMATS = ("png", "svg", "pdf")


def _cmd_build(args: argparse.Namespace) -> int:
    from analysis.build.runner import build

    only = [o for group in (args.only or []) for o in _csv(group)]
    res = build(
        only=only or None,
        countries=args.countries or None,
        jobs=args.jobs,
        force=args.force,
        fail_fast=args.fail_fast,
        timeout=args.timeout,
        quiet=args.quiet,
        fresh_kernels=args.fresh_kernels,
        wait=args.wait,
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
    from analysis.model.vocab import MECHANISMS
    from analysis.products.adoption_map import write_maps

    mechanisms = list(MECHANISMS) if args.mechanism == "all" else [args.mechanism]
    out: Path
    if args.out is None or len(mechanisms) > 1 or Path(args.out).is_dir():
        out = cliargs.out_dir(args.out, paths.REPORTS / "maps")
    else:  # one mechanism: a file name (its suffix, if png/svg/pdf, is the format)
        out = cliargs.out_file(args.out, paths.REPORTS / "maps" / "map.png")
    written = write_maps(
        mechanisms,
        year=args.year,
        countries=args.countries or None,
        formats=args.format,
        out=out,
    )
    for p in written:
        print(p)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from analysis.products.export import export

    out = cliargs.out_dir(args.out, paths.REPORTS / "data")
    for p in export(out, formats=args.format, raw_csv=args.raw_csv):
        if not args.quiet:
            print(p)
    return 0


def _cmd_codebook(args: argparse.Namespace) -> int:
    from analysis.products.codebook import write_codebook

    print(write_codebook(cliargs.out_file(args.out, paths.DOCS / "codebook.md")))
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    from analysis.measures.coverage import render_coverage, render_panel_figures

    print(render_panel_figures() if args.panel else render_coverage(markdown=args.markdown))
    return 0


def _cmd_deck(args: argparse.Namespace) -> int:
    out = cliargs.out_file(args.out, paths.REPORTS / "deck.pdf")
    gif_out = cliargs.out_file(args.gif, paths.REPORTS / "adoption.gif") if args.gif else None
    pptx_out = cliargs.out_file(args.pptx, paths.REPORTS / "deck.pptx") if args.pptx else None

    from analysis.measures.selection import year_note
    from analysis.products.deck import make_deck

    years = args.years or None
    kwargs: dict[str, Any] = {} if args.site_url is None else {"site_url": args.site_url}
    info = make_deck(
        out,
        args.session,
        countries=args.countries,
        year=args.year,
        years_small_multiples=years,
        pptx=pptx_out,
        **kwargs,
    )
    note = year_note(info["year"], args.year is None)
    if info.get("path") is not None:
        print(f"{info['path']}: {info['pages']} pages; {note}")
    if info.get("pptx") is not None:
        print(f"{info['pptx']}: {info['pages']} slides" + ("" if info.get("path") else f"; {note}"))
    if gif_out is not None:
        from analysis.products.adoption_map import animation

        # The last frame is the deck's map year: the same rule (resolve_year) on the same value.
        gif = animation(gif_out, args.gif_mechanism, args.gif_start, args.year)
        print(gif)
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    from analysis.measures.gaps import gaps
    from analysis.model.atomic import atomic_write
    from analysis.products.gaps_render import render_gaps

    ext = {"text": "txt", "markdown": "md"}.get(args.format, args.format)
    out = cliargs.out_file(args.out, paths.REPORTS / f"gaps.{ext}") if args.out else None
    text = render_gaps(gaps(start=args.start, end=args.end), args.format, args.top)
    if out is not None:
        atomic_write(out, text)
        print(out)
    else:
        sys.stdout.write(text)
    return 0


def _write_or_print(text: str, path: Path | None) -> None:
    """Write ``text`` to ``path`` (checked by :func:`analysis.cli.cliargs.out_file`) or to standard
    output."""
    from analysis.model.atomic import atomic_write

    if path is not None:
        atomic_write(path, text)
        print(path)
    else:
        sys.stdout.write(text)


def _cmd_diff(args: argparse.Namespace) -> int:
    from analysis.measures.datadiff import compare
    from analysis.model.release import current_version
    from analysis.products.diff_render import render

    fmt = "changelog" if args.command == "release-notes" else args.format
    ext = {"text": "txt", "markdown": "md", "changelog": "md"}.get(fmt, fmt)
    default = paths.REPORTS / f"{args.command}.{ext}"
    out = cliargs.out_file(args.out, default) if args.out else None  # checked before any work
    d = compare(args.rev_a, args.rev_b, effect=not args.no_effect)
    if getattr(args, "country", None):
        d = d.for_country(args.country)
    if d.a.note and (fmt != "text" or out is not None):  # the text output has it on line 2
        print(d.a.note, file=sys.stderr)
    _write_or_print(render(d, fmt, version=current_version()), out)
    return 0


def _register_build(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("build", help="execute the report notebooks into reports/")
    p.add_argument(
        "--only", action="append", help="item id or prefix, e.g. countries/RS (repeatable)"
    )
    p.add_argument(
        "--countries", type=cliargs.country_codes, help="comma-separated codes, e.g. RS,AM"
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=cliargs.positive_int("--jobs"),
        default=None,
        help="parallel notebooks (default: cores)",
    )
    p.add_argument("--force", action="store_true", help="rebuild everything")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    p.add_argument(
        "--timeout",
        type=cliargs.positive_int("--timeout"),
        default=600,
        help="per-notebook timeout in seconds (a hang becomes a failure)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every notebook (default: reuse one per worker, reset)",
    )
    p.add_argument(
        "--wait",
        action="store_true",
        help="if another build is running, wait for it to finish (default: exit with a message)",
    )
    p.set_defaults(func=_cmd_build)


def _register_map(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("map", help="draw an adoption map for a mechanism and year")
    p.add_argument("--mechanism", default="all", choices=["cctld", "igf", "body", "all"])
    p.add_argument("--year", type=cliargs.year, default=None, help="year (default: latest)")
    p.add_argument(
        "--countries",
        type=cliargs.selection,
        help="codes to colour (RS,AM), a peer-group id or 'all' (default: every jurisdiction)",
    )
    p.add_argument(
        "--format",
        type=cliargs.choices(MAP_FORMATS),
        default="png,svg,pdf",
        help="png,svg,pdf (comma-separated)",
    )
    p.add_argument(
        "--out",
        help="output directory (default: reports/maps), or a file with one --mechanism",
    )
    p.set_defaults(func=_cmd_map)


def _register_deck(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "deck", help="the slides of a discussion session: a PDF, or an editable PPTX"
    )
    p.add_argument("--session", required=True, help="session title for the title page")
    p.add_argument(
        "--countries",
        type=cliargs.selection,
        default=None,
        help="peer-group id, 'all' or codes RS,AM",
    )
    p.add_argument("--year", type=cliargs.year, default=None, help="map year (default: latest)")
    p.add_argument(
        "--years", type=cliargs.years, default=None, help="small-multiple years, e.g. 2005,2010"
    )
    p.add_argument(
        "--out",
        default=None,
        help="output .pdf or .pptx (by its extension), or a directory (default: reports/deck.pdf)",
    )
    p.add_argument("--pptx", default=None, help="also write the slides as PowerPoint (.pptx) here")
    p.add_argument(
        "--site-url",
        default=None,
        help="public address of the built site for this deck's sources link and QR code "
        "(default: site_url in pyproject.toml [tool.multisee]; none set: no QR code)",
    )
    p.add_argument("--gif", default=None, help="also write an animated GIF of the panel here")
    p.add_argument("--gif-mechanism", default="cctld", choices=["cctld", "igf", "body"])
    p.add_argument("--gif-start", type=cliargs.year, default=1995)
    p.set_defaults(func=_cmd_deck)


def _register_export(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("export", help="export the data: Frictionless data package, XLSX, CSV")
    p.add_argument(
        "--format",
        type=cliargs.choices(EXPORT_FORMATS),
        default="all",
        help="datapackage,xlsx,csv or all",
    )
    p.add_argument("--out", default=None, help="output directory (default: reports/data)")
    p.add_argument(
        "--raw-csv",
        action="store_true",
        help="write CSV text exactly as it is (default: a leading ' before text a spreadsheet"
        " would run as a formula: =, +, -, @, tab, carriage return)",
    )
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(func=_cmd_export)


def _register_codebook(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("codebook", help="write the codebook generated from the schema")
    p.add_argument("--out", default=None, help="output file (default: docs/codebook.md)")
    p.set_defaults(func=_cmd_codebook)


def _register_gaps(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("gaps", help="the research queue: unknowns ranked by how much they matter")
    p.add_argument("--start", type=cliargs.year, default=None, help="first year (default: 2000)")
    p.add_argument("--end", type=cliargs.year, default=None, help="last year (default: latest)")
    p.add_argument(
        "--top", type=cliargs.positive_int("--top"), default=None, help="only the first N gaps"
    )
    p.add_argument("--format", default="text", choices=["text", "markdown", "csv", "html"])
    p.add_argument("--out", default=None, help="write to this file (default: standard output)")
    p.set_defaults(func=_cmd_gaps)


def _register_coverage(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("coverage", help="jurisdiction x mechanism: known / none / not found")
    p.add_argument("--markdown", action="store_true", help="Markdown table (for the README)")
    p.add_argument(
        "--panel", action="store_true", help="panel figures: share known, IGF years, dormant cells"
    )
    p.set_defaults(func=_cmd_coverage)


def _register_diff(sub: argparse._SubParsersAction[Any]) -> None:
    for name, helptext in (
        ("diff", "fact-level diff of the data between two revisions, with its derived effect"),
        ("release-notes", "the 'data changes' section for CHANGELOG.md (diff --format changelog)"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument(
            "rev_a", nargs="?", default=None, help="older revision (default: the last release)"
        )
        p.add_argument(
            "rev_b", nargs="?", default=None, help="newer revision (default: the working tree)"
        )
        if name == "diff":
            p.add_argument(
                "--format",
                default="text",
                choices=["text", "markdown", "json", "changelog", "html"],
            )
            p.add_argument("--country", help="only the changes of one jurisdiction")
        p.add_argument(
            "--no-effect", action="store_true", help="records only (skip the panel and index)"
        )
        p.add_argument("--out", default=None, help="write to this file (default: standard output)")
        p.set_defaults(func=_cmd_diff)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add every sub-command but ``validate`` to ``sub``, in the order ``--help`` lists them."""
    for add in (
        _register_build,
        _register_map,
        _register_deck,
        _register_export,
        _register_codebook,
        _register_gaps,
        _register_coverage,
        new_record.register,
        _register_diff,
        _register_explorer,
        _register_import,
    ):
        add(sub)


def _cmd_import(args: argparse.Namespace) -> int:
    from analysis.model.errors import UserError
    from analysis.products.diff_render import render_text
    from analysis.products.importer import describe, import_cells

    path = Path(args.file)
    if not path.exists():
        raise UserError(f"{args.file}: no such file or folder")
    result = import_cells(path, dry_run=args.dry_run)
    for line in describe(result):
        print(line)
    print(render_text(result.diff), end="")
    print("(dry run: nothing written)" if args.dry_run else "the data validate")
    return 0


def _register_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="write cells edited in the exported multisee.xlsx (or its CSVs) back into data/",
    )
    p.add_argument("file", help="the edited multisee.xlsx, a table's CSV or a folder of CSVs")
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.set_defaults(func=_cmd_import)


def _cmd_explorer(args: argparse.Namespace) -> int:
    from analysis.products.interactive import describe, write_explorer

    written = write_explorer(args.out)
    if not args.quiet:
        for line in describe(written):
            print(line)
    return 0


def _register_explorer(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "explorer", help="the interactive explorer (map, chart, table) of the static site"
    )
    p.add_argument(
        "--out",
        default=None,
        help="directory of the page (default: reports/explorer; the shared bundle goes to "
        "its parent's assets/)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing")
    p.set_defaults(func=_cmd_explorer)
