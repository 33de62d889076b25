"""The ``multisee new`` sub-command: scaffold a new record for a person to fill in.

The records are written by :mod:`analysis.model.scaffold`; the record kinds and their options
are data (:data:`NEW_KINDS`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

#: One option of a sub-command: its flags and the keyword arguments of ``add_argument``.
Option = tuple[tuple[str, ...], dict[str, Any]]


def _opt(*flags: str, **kwargs: Any) -> Option:
    return flags, kwargs


def _add_options(p: argparse.ArgumentParser, options: tuple[Option, ...]) -> None:
    for flags, kwargs in options:
        p.add_argument(*flags, **kwargs)


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


_SOURCE = _opt("--source", action="append", help="source id(s) (repeatable or a,b)")
_CONFIDENCE = _opt("--confidence", help="sourced | inferred | recalled")
_COUNTRY = _opt("--country", required=True, help="country code, e.g. RS")

#: The record kinds of ``multisee new``, in help order: (kind, help, its options).
NEW_KINDS: tuple[tuple[str, str, tuple[Option, ...]], ...] = (
    (
        "edition",
        "a yearly edition of an IGF initiative",
        (
            _opt("--initiative", required=True, help="initiative id, e.g. rs-igf"),
            _opt("--year", required=True, help="the year it was held"),
            _opt("--source", action="append", help="source id(s) it rests on (repeatable or a,b)"),
            _CONFIDENCE,
            _opt("--number", help="its ordinal, as a source states it"),
            _opt("--date", help="YYYY-MM-DD or YYYY-MM"),
            _opt("--city"),
            _opt("--venue"),
            _opt("--format", dest="edition_format", help="in_person | online | hybrid | unknown"),
        ),
    ),
    (
        "source",
        "a source (a page a reader can open) in the registry",
        (
            _opt(
                "--country", required=True, help="country code (or regional, common ...): the file"
            ),
            _opt("--url", required=True, help="the URL exactly as archived"),
            _opt("--title", required=True, help="the page's title"),
            _opt("--publisher", required=True, help="who published it"),
            _opt("--kind", help="source kind (see the codebook)"),
            _opt("--reliability", help="high | medium | low"),
            _opt("--accessed", help="YYYY-MM-DD you read the archived copy"),
            _opt("--archived", help="YYYY-MM-DD: the archived copy's own date"),
            _opt("--published", help="publication date, if stated"),
            _opt("--language", help="ISO 639-1 code of the text"),
            _opt("--id", help="the source id (default: from country, publisher and title)"),
        ),
    ),
    (
        "body",
        "a national multistakeholder body of a jurisdiction",
        (
            _COUNTRY,
            _opt("--id", help="body id (default: from the country and --name)"),
            _opt("--name", help="name in English"),
            _opt("--type", help="council | platform | forum | committee"),
            _opt("--legal-basis", help="law | decree | ... (see the codebook)"),
            _opt("--multistakeholder", help="yes | partly | no | unknown"),
            _opt("--scope", help="national_policy | single_issue"),
            _SOURCE,
            _CONFIDENCE,
            _opt("--established", help="YYYY[-MM[-DD]]"),
        ),
    ),
    (
        "absence",
        "a mechanism searched for and not found, or absent",
        (
            _COUNTRY,
            _opt("--mechanism", required=True, help="cctld | igf | body"),
            _opt("--finding", help="not_found (searched, unknown) | none (a source says so)"),
            _opt("--text", help="what was searched, or what the source says"),
            _opt("--query", help="the first search, as typed"),
            _SOURCE,
            _CONFIDENCE,
        ),
    ),
    (
        "search",
        "one more search made for an absent mechanism",
        (
            _COUNTRY,
            _opt("--mechanism", required=True, help="the absence's mechanism: cctld | igf | body"),
            _opt("--query", required=True, help="the words searched for, as typed"),
            _opt("--looked-at", help="the kinds of sources looked at"),
            _opt("--date", help="YYYY-MM-DD (default: today)"),
        ),
    ),
    (
        "conflict",
        "an alternative value of a field, with its sources",
        (
            _opt(
                "--record",
                required=True,
                help="cctld:am, initiative:am-igf, body:ID, edition:am-igf/2017",
            ),
            _opt("--field", required=True, help="the field the value is for, e.g. manager_by"),
            _opt("--value", required=True, help="the alternative value, as the source gives it"),
            _SOURCE,
            _CONFIDENCE,
            _opt("--note", help="why the record's own value is preferred"),
        ),
    ),
    (
        "event",
        "an event in a ccTLD's history",
        (
            _opt("--tld", required=True, help="the ccTLD without its dot, e.g. rs"),
            _opt("--date", required=True, help="YYYY[-MM[-DD]]"),
            _opt("--type", help="created | delegation | redelegation | ... (see the codebook)"),
            _opt("--description", help="what happened, in one sentence"),
            _opt("--to-manager", help="the manager after the event"),
            _SOURCE,
            _CONFIDENCE,
        ),
    ),
)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``new`` and its record kinds (:data:`NEW_KINDS`) to ``sub``."""
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
    for kind, helptext, options in NEW_KINDS:
        q = kinds.add_parser(kind, parents=[common], help=helptext)
        _add_options(q, options)
        q.set_defaults(func=_cmd_new)
