"""Sub-commands other than ``validate`` (each imports what it needs when it runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.cli import cliargs
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


def _print_written(w: object) -> int:
    from analysis.model.scaffold import Written

    assert isinstance(w, Written)
    print(w.summary())
    if not w.written:
        sys.stdout.write(w.text)
        return 0
    if w.todo:
        print(f"still to fill in or fix before the data validate ({len(w.todo)}):")
        for p in w.todo:
            print(f"  {p}")
    else:
        print("the data validate")
    for h in w.hints:
        print(f"note: {h}")
    if w.todo:
        print("then run: multisee validate")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from analysis.model import scaffold

    common = {"force": args.force, "dry_run": args.dry_run}
    if args.what == "edition":
        w = scaffold.new_edition(
            args.initiative,
            args.year,
            sources=args.source or [],
            confidence=args.confidence,
            number=args.number,
            date=args.date,
            city=args.city,
            venue=args.venue,
            format=args.edition_format,
            **common,
        )
    elif args.what == "source":
        w = scaffold.new_source(
            args.country,
            args.url,
            args.title,
            args.publisher,
            kind=args.kind,
            reliability=args.reliability,
            accessed=args.accessed,
            archived=args.archived,
            published=args.published,
            language=args.language,
            ident=args.id,
            **common,
        )
    elif args.what == "event":
        w = scaffold.new_event(
            args.tld,
            args.date,
            args.type,
            description=args.description,
            to_manager=args.to_manager,
            sources=args.source or [],
            confidence=args.confidence,
            dry_run=args.dry_run,
        )
    elif args.what == "conflict":
        w = scaffold.new_conflict(
            args.record,
            args.field,
            args.value,
            sources=args.source or [],
            confidence=args.confidence,
            note=args.note,
            dry_run=args.dry_run,
        )
    elif args.what == "search":
        w = scaffold.new_search(
            args.country,
            args.mechanism,
            args.query,
            looked_at=args.looked_at,
            date=args.date,
            dry_run=args.dry_run,
        )
    elif args.what == "absence":
        w = scaffold.new_absence(
            args.country,
            args.mechanism,
            finding=args.finding,
            text=args.text,
            query=args.query,
            sources=args.source or [],
            confidence=args.confidence,
            **common,
        )
    else:
        w = scaffold.new_body(
            args.country,
            ident=args.id,
            name=args.name,
            type=args.type,
            legal_basis=args.legal_basis,
            multistakeholder=args.multistakeholder,
            sources=args.source or [],
            confidence=args.confidence,
            established=args.established,
            scope=args.scope,
            **common,
        )
    return _print_written(w)


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


def register(sub: argparse._SubParsersAction[Any]) -> None:
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

    p = sub.add_parser("codebook", help="write the codebook generated from the schema")
    p.add_argument("--out", default=None, help="output file (default: docs/codebook.md)")
    p.set_defaults(func=_cmd_codebook)

    p = sub.add_parser("gaps", help="the research queue: unknowns ranked by how much they matter")
    p.add_argument("--start", type=cliargs.year, default=None, help="first year (default: 2000)")
    p.add_argument("--end", type=cliargs.year, default=None, help="last year (default: latest)")
    p.add_argument(
        "--top", type=cliargs.positive_int("--top"), default=None, help="only the first N gaps"
    )
    p.add_argument("--format", default="text", choices=["text", "markdown", "csv", "html"])
    p.add_argument("--out", default=None, help="write to this file (default: standard output)")
    p.set_defaults(func=_cmd_gaps)

    p = sub.add_parser("coverage", help="jurisdiction x mechanism: known / none / not found")
    p.add_argument("--markdown", action="store_true", help="Markdown table (for the README)")
    p.add_argument(
        "--panel", action="store_true", help="panel figures: share known, IGF years, dormant cells"
    )
    p.set_defaults(func=_cmd_coverage)

    p = sub.add_parser(
        "new", help="scaffold a new record (edition, source, body) for a person to fill in"
    )
    kinds = p.add_subparsers(dest="what", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--force", action="store_true", help="replace an existing record with the same identity"
    )
    common.add_argument(
        "--dry-run",
        action="store_true",
        help="print the block that would be written, write nothing",
    )
    q = kinds.add_parser("edition", parents=[common], help="a yearly edition of an IGF initiative")
    q.add_argument("--initiative", required=True, help="initiative id, e.g. rs-igf")
    q.add_argument("--year", required=True, help="the year it was held")
    q.add_argument("--source", action="append", help="source id(s) it rests on (repeatable or a,b)")
    q.add_argument("--confidence", help="sourced | inferred | recalled")
    q.add_argument("--number", help="its ordinal, as a source states it")
    q.add_argument("--date", help="YYYY-MM-DD or YYYY-MM")
    q.add_argument("--city")
    q.add_argument("--venue")
    q.add_argument("--format", dest="edition_format", help="in_person | online | hybrid | unknown")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser(
        "source", parents=[common], help="a source (a page a reader can open) in the registry"
    )
    q.add_argument(
        "--country", required=True, help="country code (or regional, common ...): the file"
    )
    q.add_argument("--url", required=True, help="the URL exactly as archived")
    q.add_argument("--title", required=True, help="the page's title")
    q.add_argument("--publisher", required=True, help="who published it")
    q.add_argument("--kind", help="source kind (see the codebook)")
    q.add_argument("--reliability", help="high | medium | low")
    q.add_argument("--accessed", help="YYYY-MM-DD you read the archived copy")
    q.add_argument("--archived", help="YYYY-MM-DD: the archived copy's own date")
    q.add_argument("--published", help="publication date, if stated")
    q.add_argument("--language", help="ISO 639-1 code of the text")
    q.add_argument("--id", help="the source id (default: from country, publisher and title)")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser(
        "body", parents=[common], help="a national multistakeholder body of a jurisdiction"
    )
    q.add_argument("--country", required=True, help="country code, e.g. RS")
    q.add_argument("--id", help="body id (default: from the country and --name)")
    q.add_argument("--name", help="name in English")
    q.add_argument("--type", help="council | platform | forum | committee")
    q.add_argument("--legal-basis", help="law | decree | ... (see the codebook)")
    q.add_argument("--multistakeholder", help="yes | partly | no | unknown")
    q.add_argument("--scope", help="national_policy | single_issue")
    q.add_argument("--source", action="append", help="source id(s) (repeatable or a,b)")
    q.add_argument("--confidence", help="sourced | inferred | recalled")
    q.add_argument("--established", help="YYYY[-MM[-DD]]")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser(
        "absence", parents=[common], help="a mechanism searched for and not found, or absent"
    )
    q.add_argument("--country", required=True, help="country code, e.g. RS")
    q.add_argument("--mechanism", required=True, help="cctld | igf | body")
    q.add_argument("--finding", help="not_found (searched, unknown) | none (a source says so)")
    q.add_argument("--text", help="what was searched, or what the source says")
    q.add_argument("--query", help="the first search, as typed")
    q.add_argument("--source", action="append", help="source id(s) (repeatable or a,b)")
    q.add_argument("--confidence", help="sourced | inferred | recalled")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser(
        "search", parents=[common], help="one more search made for an absent mechanism"
    )
    q.add_argument("--country", required=True, help="country code, e.g. RS")
    q.add_argument("--mechanism", required=True, help="the absence's mechanism: cctld | igf | body")
    q.add_argument("--query", required=True, help="the words searched for, as typed")
    q.add_argument("--looked-at", help="the kinds of sources looked at")
    q.add_argument("--date", help="YYYY-MM-DD (default: today)")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser(
        "conflict", parents=[common], help="an alternative value of a field, with its sources"
    )
    q.add_argument(
        "--record", required=True, help="cctld:am, initiative:am-igf, body:ID, edition:am-igf/2017"
    )
    q.add_argument("--field", required=True, help="the field the value is for, e.g. manager_by")
    q.add_argument("--value", required=True, help="the alternative value, as the source gives it")
    q.add_argument("--source", action="append", help="source id(s) (repeatable or a,b)")
    q.add_argument("--confidence", help="sourced | inferred | recalled")
    q.add_argument("--note", help="why the record's own value is preferred")
    q.set_defaults(func=_cmd_new)
    q = kinds.add_parser("event", parents=[common], help="an event in a ccTLD's history")
    q.add_argument("--tld", required=True, help="the ccTLD without its dot, e.g. rs")
    q.add_argument("--date", required=True, help="YYYY[-MM[-DD]]")
    q.add_argument("--type", help="created | delegation | redelegation | ... (see the codebook)")
    q.add_argument("--description", help="what happened, in one sentence")
    q.add_argument("--to-manager", help="the manager after the event")
    q.add_argument("--source", action="append", help="source id(s) (repeatable or a,b)")
    q.add_argument("--confidence", help="sourced | inferred | recalled")
    q.set_defaults(func=_cmd_new)

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
    _register_explorer(sub)
    _register_import(sub)


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
