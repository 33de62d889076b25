"""Scaffolding for contributors: ``multisee new edition | source | body | absence | search | event | conflict``.

Each function inserts one new record into the right data file and leaves the rest of the file's
text exactly as it was (comments, order, blank lines, quoting, line ends): the file is read
round-trip by :mod:`analysis.model.yamledit`, the record rendered in the file's layout and spliced
in; the file is never re-written through a YAML dumper. The records themselves, with their
placeholders, are built by :mod:`analysis.model.scaffold_records`; the input is checked by
:mod:`analysis.model.scaffold_input`.

Rules every function keeps:

* bad input (an unknown initiative or country, a year outside the data model's range, a URL that is
  not http(s), an unknown source id, a code that is not in the codebook) raises
  :class:`~analysis.model.errors.UserError` with one line and writes nothing;
* an existing record with the same identity (an edition of that initiative and year, a source with
  the same URL, a body with the same id) is never overwritten or changed unless ``force=True``,
  which replaces that record's text block and nothing else;
* the new text is parsed before it is written (the record must read back as intended, or nothing is
  written), and the data are validated after writing: :attr:`Written.todo` lists what is still to
  fill in or fix, with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.model import research_log, yamledit
from analysis.model.atomic import atomic_write
from analysis.model.clock import today as clock_today
from analysis.model.errors import UserError
from analysis.model.paths import data_dir, rel
from analysis.model.scaffold_input import (
    body_id,
    check_code,
    check_date,
    check_edition,
    check_id_free,
    check_ident,
    check_source,
    check_sources,
    country_file,
    country_files,
    fact_files,
    find_initiative,
    norm_url,
    read,
    registry,
    root_of,
    source_id,
    sources_file,
)
from analysis.model.scaffold_records import (
    absence_record,
    body_record,
    conflict_record,
    edition_record,
    event_record,
    search_record,
    source_record,
)
from analysis.model.validate import PLACEHOLDER, Problem, read_document, validate_files
from analysis.model.yamledit import Edit, Record

TODO = PLACEHOLDER


@dataclass
class Written:
    """What a scaffolding call did (or, with ``dry_run``, would do)."""

    path: Path  #: the data file
    record: str  #: e.g. ``igf_edition rs-igf/2023`` or ``source rs-pc-press-igf-2023``
    first_line: int  #: 1-based line of the new block in the file
    last_line: int
    text: str  #: the inserted block
    replaced: bool = False  #: ``force`` replaced an existing record's block
    written: bool = True  #: False for a dry run
    todo: list[Problem] = field(default_factory=list)  #: problems left in the file after writing
    hints: list[str] = field(default_factory=list)  #: what else may need a look
    key: str = ""  #: the new record's id (a source id, a body id, ``initiative/year``)

    def summary(self) -> str:
        where = f"{rel(self.path)}:{self.first_line}-{self.last_line}"
        if not self.written:
            verb = "would replace" if self.replaced else "would add"
            return f"{verb} {self.record} in {where} (dry run: nothing written)"
        verb = "replaced" if self.replaced else "added"
        return f"{verb} {self.record} in {where}"


@dataclass
class _Target:
    """Where a new record goes: the file, its kind and text, the edit, and the record's place in
    the file's data."""

    path: Path
    kind: str
    text: str
    edit: Edit
    where: Sequence[str | int]


def _finish(
    t: _Target,
    record: Record,
    label: str,
    key: str,
    replaced: bool,
    dry_run: bool,
    root: Path,
) -> Written:
    """Check the new text reads back as intended, write it, validate the data."""
    new_lines = t.edit.apply(t.text.split("\n"))
    new_text = "\n".join(new_lines)
    if not new_text.endswith("\n"):
        new_text += "\n"
    doc, problems = read_document(t.path, t.kind, text=new_text)
    if problems:  # pragma: no cover - a bug in the scaffolding, never the user's input
        raise UserError(
            f"internal error: the new text would not parse ({problems[0]}); nothing written"
        )
    cur: Any = doc.data
    for part in t.where:
        cur = cur[part]
    want = record.want
    got = {k: cur.get(k) for k in want} if isinstance(cur, dict) else None
    if got != want:  # pragma: no cover - ditto
        raise UserError(f"internal error: the new record reads back as {got!r}; nothing written")
    first, n = t.edit.block_first, t.edit.block_len
    w = Written(
        path=t.path,
        record=label,
        first_line=first + 1,
        last_line=first + n,
        text="\n".join(new_lines[first : first + n]) + "\n",
        replaced=replaced,
        written=not dry_run,
        key=key,
    )
    if dry_run:
        return w
    atomic_write(t.path, yamledit.keep_line_ends(t.path, new_text))
    _, problems = validate_files([data_dir(root)])
    w.todo = sorted((p for p in problems if p.file == rel(t.path)), key=lambda p: p.line or 0)
    return w


def _open(path: Path) -> tuple[str, list[str], Any]:
    """A data file's text, its lines and its round-trip tree."""
    text = path.read_text(encoding="utf-8")
    return text, text.split("\n"), yamledit.load(text)


def today() -> str:
    return clock_today().isoformat()


# --------------------------------------------------------------------------------------------
# multisee new edition
# --------------------------------------------------------------------------------------------


def new_edition(
    initiative: str,
    year: Any,
    *,
    sources: Iterable[str] = (),
    confidence: str | None = None,
    number: Any = None,
    date: str | None = None,
    city: str | None = None,
    venue: str | None = None,
    format: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add an edition ``year`` to the initiative ``initiative`` (its ``editions`` list, in year
    order)."""
    root = root_of(root)
    check_code(confidence, "confidence", "--confidence")
    check_code(format, "edition_format", "--format")
    y, number, date = check_edition(year, number, date)
    ids = check_sources(sources, root)
    path, kind, idx = find_initiative(initiative, root)
    text, lines, top = _open(path)
    ini = yamledit.record_at(yamledit.block_list(top, "igf_initiatives", "igf_initiatives"), idx)
    record = edition_record(y, ids, confidence, number, date, city, venue, format)
    what = f"{initiative}: editions"
    eds = yamledit.block_list(ini, "editions", what)
    years = [
        int(e["year"]) if isinstance(e, dict) and str(e.get("year", "")).isdigit() else None
        for e in eds or []
    ]
    replaced = y in years
    if replaced:
        if not force:
            line = yamledit.line_of(eds, years.index(y))
            raise UserError(
                f"{initiative} already has an edition in {y} ({rel(path)}:{line}); edit it"
                " there, or pass --force to replace it"
            )
        edit, pos = yamledit.add_to_list(
            lines, ini, "editions", record, replace=years.index(y), what=what
        )
    else:
        later = [i for i, v in enumerate(years) if v is not None and v > y]
        edit, pos = yamledit.add_to_list(
            lines, ini, "editions", record, before=later[0] if later else None, what=what
        )
    where: list[str | int] = ["igf_initiatives", idx, "editions", pos]
    t = _Target(path, kind, text, edit, where)
    key = f"{initiative}/{y}"
    w = _finish(t, record, f"igf_edition {key}", key, replaced, dry_run, root)
    data = read_document(path, kind)[0].data if not dry_run else None
    if data:
        ini_data = data["igf_initiatives"][idx]
        fy = ini_data.get("first_year")
        if isinstance(fy, int) and y < fy:
            w.hints.append(
                f"{y} is before first_year {fy}: update first_year if a source supports it"
            )
        sc = ini_data.get("status_confirmed")
        if isinstance(sc, int) and y > sc:
            w.hints.append(
                f"{y} is after status_confirmed {sc}: review status and status_confirmed"
            )
    return w


# --------------------------------------------------------------------------------------------
# multisee new source
# --------------------------------------------------------------------------------------------


def _source_ident(
    url: str,
    path: Path,
    stem: str,
    ident: str | None,
    title: str,
    publisher: str,
    force: bool,
    root: Path,
) -> tuple[str, bool]:
    """The new source's id, and whether it replaces the record with its URL (``force``)."""
    known = registry(root)
    same = [
        (i, p, rec)
        for i, p, rec in known.values()
        if isinstance(rec.get("url"), str) and norm_url(rec["url"]) == norm_url(url)
    ]
    if same and not force:
        i, p, rec = same[0]
        exact = "" if rec["url"] == url else f" (as {rec['url']})"
        raise UserError(
            f"{url} is already source '{i}' in {rel(p)}{exact}; cite that id, or pass --force to"
            " replace that record"
        )
    replaced = bool(same)
    if replaced and same[0][1] != path:
        raise UserError(
            f"{url} is source '{same[0][0]}' in {rel(same[0][1])}, not in {rel(path)}; replace it there"
        )
    if ident is None:
        prefix = stem.lower() if len(stem) == 2 else ""
        ident = same[0][0] if replaced else source_id(prefix, publisher, title, url, known)
    elif ident in known and not (replaced and same[0][0] == ident):
        raise UserError(f"source id '{ident}' is taken ({rel(known[ident][1])})")
    return ident, replaced


def new_source(
    country: str,
    url: str,
    title: str,
    publisher: str,
    *,
    kind: str | None = None,
    reliability: str | None = None,
    accessed: str | None = None,
    archived: str | None = None,
    published: str | None = None,
    language: str | None = None,
    ident: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add a source to ``data/sources/<COUNTRY>.yaml`` (or ``regional``, ``common`` ...)."""
    root = root_of(root)
    dates = {"--accessed": accessed, "--archived": archived, "--published": published}
    url, title, publisher = check_source(url, title, publisher, dates, language, ident)
    check_code(kind, "source_kind", "--kind")
    check_code(reliability, "reliability", "--reliability")
    path, stem = sources_file(country, root)
    ident, replaced = _source_ident(url, path, stem, ident, title, publisher, force, root)
    record = source_record(
        ident, title, url, publisher, kind, reliability, accessed, archived, published, language
    )
    if not path.exists():
        header = [
            f"# Sources for {stem}. URLs exactly as archived; how each was found, with the quote"
            " read at it, is in research/."
        ]
        text, edit, pos = "", yamledit.new_file(header, "sources", record), 0
        if not dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
    else:
        text, lines, top = _open(path)
        seq = yamledit.block_list(top, "sources", "sources")
        at = yamledit.find(seq, "id", ident)[0][0] if replaced else None
        edit, pos = yamledit.add_to_top(lines, top, "sources", record, replace=at, blank=False)
    t = _Target(path, "sources", text, edit, ["sources", pos])
    w = _finish(t, record, f"source {ident}", ident, replaced, dry_run, root)
    w.hints.append(
        f"log {url} with the quote you read at it in a research log under research/ (multisee"
        " validate checks every URL in the registry is there, with a quote of"
        f" {research_log.MIN_QUOTE} characters or more)"
    )
    return w


# --------------------------------------------------------------------------------------------
# multisee new body
# --------------------------------------------------------------------------------------------


def new_body(
    country: str,
    *,
    ident: str | None = None,
    name: str | None = None,
    type: str | None = None,
    legal_basis: str | None = None,
    multistakeholder: str | None = None,
    sources: Iterable[str] = (),
    confidence: str | None = None,
    established: str | None = None,
    scope: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add a multistakeholder body to ``data/countries/<COUNTRY>.yaml`` (its ``ms_bodies``)."""
    root = root_of(root)
    path = country_file(country, root)
    check_ident(ident)
    if ident is None and name:
        ident = body_id(path.stem, name)
    check_code(type, "body_type", "--type")
    check_code(legal_basis, "legal_basis", "--legal-basis")
    check_code(multistakeholder, "tri_unknown", "--multistakeholder")
    check_code(scope, "body_scope", "--scope")
    check_code(confidence, "confidence", "--confidence")
    if established:
        check_date(established, "--established")
    ids = check_sources(sources, root)
    text, lines, top = _open(path)
    seq = yamledit.block_list(top, "ms_bodies", "ms_bodies")
    replaced = check_id_free(ident, path, force, root) if ident else False
    record = body_record(
        ident, name, type, legal_basis, multistakeholder, ids, confidence, established, scope
    )
    at = yamledit.find(seq, "id", ident)[0][0] if replaced else None
    edit, pos = yamledit.add_to_top(
        lines, top, "ms_bodies", record, replace=at, before_keys=("assessments", "absences")
    )
    t = _Target(path, "country", text, edit, ["ms_bodies", pos])
    label = ident or "(id to fill in)"
    w = _finish(t, record, f"ms_body {label}", ident or "", replaced, dry_run, root)
    data = read_document(path, "country")[0]
    for i, a in enumerate(data.data.get("absences") or []):
        if isinstance(a, dict) and a.get("mechanism") == "body":
            line = data.line(("absences", i))
            w.hints.append(
                f"{rel(path)}:{line} records the body as {a.get('finding')}: revise or remove that"
                " absence if the new body fills the gap"
            )
    return w


# --------------------------------------------------------------------------------------------
# multisee new absence, multisee new search
# --------------------------------------------------------------------------------------------


def new_absence(
    country: str,
    mechanism: str,
    *,
    finding: str | None = None,
    text: str | None = None,
    query: str | None = None,
    sources: Iterable[str] = (),
    confidence: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add an absence (a sourced ``none`` or a searched ``not_found``) to a jurisdiction's file."""
    root = root_of(root)
    path = country_file(country, root)
    check_code(mechanism, "mechanism", "--mechanism")
    check_code(finding, "absence_finding", "--finding")
    check_code(confidence, "confidence", "--confidence")
    ids = check_sources(sources, root)
    text_, lines, top = _open(path)
    seq = yamledit.block_list(top, "absences", "absences")
    hits = yamledit.find(seq, "mechanism", mechanism)
    if hits and not force:
        line = yamledit.line_of(seq, hits[0][0])
        raise UserError(
            f"{rel(path)}:{line} already has an absence of {mechanism}; edit it there, or"
            " pass --force to replace it"
        )
    record = absence_record(mechanism, finding, text, query, today(), ids, confidence)
    at = hits[-1][0] if hits else None
    edit, pos = yamledit.add_to_top(lines, top, "absences", record, replace=at)
    t = _Target(path, "country", text_, edit, ["absences", pos])
    key = f"{path.stem}/{mechanism}"
    w = _finish(t, record, f"absence {key}", key, bool(hits), dry_run, root)
    if finding == "none":
        w.hints.append(
            "a `none` absence says the mechanism does not exist: it needs a source that says so"
            " (a search that found nothing is `not_found`)"
        )
    return w


def new_search(
    country: str,
    mechanism: str,
    query: str,
    *,
    looked_at: str | None = None,
    date: str | None = None,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add a search to the ``searched`` list of a jurisdiction's absence of ``mechanism``."""
    root = root_of(root)
    path = country_file(country, root)
    check_code(mechanism, "mechanism", "--mechanism")
    date = check_date(date, "--date") if date else today()
    text, lines, top = _open(path)
    found = yamledit.find(yamledit.block_list(top, "absences", "absences"), "mechanism", mechanism)
    if not found:
        raise UserError(
            f"{rel(path)} has no absence of {mechanism}; add one with `multisee new absence`"
        )
    i, node = found[0]
    record = search_record(query, looked_at, date)
    edit, pos = yamledit.add_to_list(lines, node, "searched", record)
    t = _Target(path, "country", text, edit, ["absences", i, "searched", pos])
    key = f"{path.stem}/{mechanism}"
    return _finish(t, record, f"search for {key}", key, False, dry_run, root)


# --------------------------------------------------------------------------------------------
# multisee new event
# --------------------------------------------------------------------------------------------


def new_event(
    tld: str,
    date: str,
    type: str | None = None,
    *,
    description: str | None = None,
    to_manager: str | None = None,
    sources: Iterable[str] = (),
    confidence: str | None = None,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Add an event (created, delegation, redelegation, ...) to a ccTLD's ``events``, in date
    order."""
    root = root_of(root)
    date = check_date(date, "--date")
    check_code(type, "event_type", "--type")
    check_code(confidence, "confidence", "--confidence")
    ids = check_sources(sources, root)
    tld = tld.lower().lstrip(".")
    for path in country_files(root):
        data = read(path, "country")
        hits = [i for i, t in enumerate(data.get("cctlds") or []) if t.get("tld") == tld]
        if hits:
            break
    else:
        raise UserError(f"no ccTLD '{tld}' in data/countries/ (the tld without its dot, e.g. rs)")
    k = hits[0]
    text, lines, top = _open(path)
    node = yamledit.record_at(yamledit.block_list(top, "cctlds", "cctlds"), k)
    record = event_record(date, type, description, to_manager, ids, confidence)
    events = [e for e in (data["cctlds"][k].get("events") or []) if isinstance(e, dict)]
    later = [i for i, e in enumerate(events) if str(e.get("date", "")) > date]
    edit, pos = yamledit.add_to_list(
        lines, node, "events", record, before=later[0] if later else None
    )
    t = _Target(path, "country", text, edit, ["cctlds", k, "events", pos])
    label = f"cctld_event {tld}/{date}/{type or TODO}"
    return _finish(t, record, label, f"{tld}/{date}", False, dry_run, root)


# --------------------------------------------------------------------------------------------
# multisee new conflict
# --------------------------------------------------------------------------------------------

#: ``--record KIND:KEY`` -> the list key in a country or regional file and the record's id key.
_CONFLICT_KINDS = {
    "cctld": ("cctlds", "tld"),
    "initiative": ("igf_initiatives", "id"),
    "body": ("ms_bodies", "id"),
}


def _conflict_key(record: str) -> tuple[str, str, str]:
    """(kind, id, edition year or "") of ``--record KIND:KEY``."""
    kind, _, key = record.partition(":")
    if kind not in (*_CONFLICT_KINDS, "edition") or not key:
        raise UserError(
            f"--record {record!r}: give KIND:KEY, KIND one of {', '.join(_CONFLICT_KINDS)},"
            " edition (e.g. cctld:am, edition:am-igf/2017)"
        )
    want_key, year = [*key.rsplit("/", 1), ""][:2] if kind == "edition" else [key, ""]
    return kind, want_key, year


def _conflict_target(record: str, root: Path) -> tuple[Path, str, str, list[str | int], Any]:
    """(file, kind, text, place in the data, round-trip node) of the record ``KIND:KEY``."""
    kind, want_key, year = _conflict_key(record)
    list_key, id_key = _CONFLICT_KINDS.get(kind, ("igf_initiatives", "id"))
    for path, file_kind in fact_files(root):
        text = path.read_text(encoding="utf-8")
        top = yamledit.load(text)
        for i, node in yamledit.find(
            yamledit.block_list(top, list_key, list_key), id_key, want_key
        ):
            where: list[str | int] = [list_key, i]
            if kind == "edition":
                eds = yamledit.block_list(node, "editions", "editions")
                hits = yamledit.find(eds, "year", year)
                if not hits:
                    continue
                where += ["editions", hits[0][0]]
                node = hits[0][1]
            return path, file_kind, text, where, node
    raise UserError(f"--record {record!r}: no such record in data/countries/ or regional.yaml")


def new_conflict(
    record: str,
    field: str,
    value: str,
    *,
    sources: Iterable[str] = (),
    confidence: str | None = None,
    note: str | None = None,
    dry_run: bool = False,
    root: Path | None = None,
) -> Written:
    """Keep an alternative value of one field of a record (``cctld:am``, ``initiative:am-igf``,
    ``body:rs-council``, ``edition:am-igf/2017``) in its ``conflicts``, with its own sources."""
    root = root_of(root)
    _conflict_key(record)
    check_code(confidence, "confidence", "--confidence")
    ids = check_sources(sources, root)
    path, file_kind, text, where, node = _conflict_target(record, root)
    typed: Any = int(value) if re.fullmatch(r"-?\d+", value) else value
    new = conflict_record(field, typed, ids, confidence, note)
    edit, pos = yamledit.add_to_list(text.split("\n"), node, "conflicts", new)
    t = _Target(path, file_kind, text, edit, [*where, "conflicts", pos])
    label = f"conflict on {record} {field}"
    return _finish(t, new, label, f"{record}/{field}", False, dry_run, root)
