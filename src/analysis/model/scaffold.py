"""Scaffolding for contributors: ``multisee new edition | source | body``.

Each function inserts one new record, as YAML text, into the right data file and leaves the rest of
the file's text exactly as it was (comments, order, blank lines, quoting): the file is never
re-written through a YAML dumper. What the caller does not give is written as a *placeholder*
(``TODO``, with a comment saying what belongs there) or as a commented-out optional line, never as
a plausible value: the validator reports every placeholder until a person fills it in from a
source (see ``CONTRIBUTING.md``).

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

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from analysis.model import research_log
from analysis.model.atomic import atomic_write
from analysis.model.clock import today as clock_today
from analysis.model.errors import UserError
from analysis.model.paths import data_dir, project_root, rel
from analysis.model.validate import PLACEHOLDER, LineLoader, Problem, read_document, validate_files
from analysis.model.vocab import CODES, MAX_YEAR, MIN_YEAR

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


# --------------------------------------------------------------------------------------------
# Input checks (one line each)
# --------------------------------------------------------------------------------------------


def check_year(value: Any, what: str = "--year") -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise UserError(f"{what} must be a year such as 2023, not {value!r}")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"{what} {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    return year


def check_date(value: str, what: str) -> str:
    from analysis.model.schema import check_date as _check

    try:
        return _check(str(value).strip())
    except ValueError as exc:
        raise UserError(f"{what}: {exc}") from None


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, no spaces and no ellipsis (a truncated URL)."""
    u = str(url).strip()
    parts = urlsplit(u) if re.match(r"^https?://\S+$", u) else None
    host = parts.hostname if parts else None
    if not parts or not host or ("." not in host and host != "localhost") or "…" in u:
        raise UserError(
            f"--url {url!r} is not an http(s) URL (give it exactly as archived, e.g."
            " https://host/path)"
        )
    return u


def check_code(value: str | None, code_list: str, what: str) -> str | None:
    if value is None:
        return None
    if value not in CODES[code_list]:
        raise UserError(f"{what} {value!r} is not one of {', '.join(CODES[code_list])}")
    return value


def _norm_url(url: str) -> str:
    """The same URL up to the host's case and a trailing slash."""
    p = urlsplit(url)
    path = p.path.rstrip("/")
    return f"{p.scheme}://{(p.netloc or '').lower()}{path}{'?' + p.query if p.query else ''}"


# --------------------------------------------------------------------------------------------
# YAML text helpers
# --------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][\w .,()/&'+-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value: Any, quote: bool = False) -> str:
    """A YAML scalar for ``value``: plain when that is unambiguous, else double-quoted (JSON
    string syntax is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    s = str(value)
    if (
        not quote
        and _PLAIN.match(s)
        and s.lower() not in _RESERVED
        and not s.endswith((" ", ":"))
        and ": " not in s
        and " #" not in s
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def _plain_url(url: str) -> bool:
    """Whether a URL reads back unchanged as a plain YAML scalar (as the data files write them)."""
    return bool(re.fullmatch(r"https?://\S+", url)) and not url.endswith(":") and "#" not in url


def flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _line(indent: int, key: str, value: str, comment: str | None = None) -> str:
    text = f"{' ' * indent}{key}: {value}" if value != "" else f"{' ' * indent}{key}:"
    return f"{text}  # {comment}" if comment else text


def _optional(indent: int, key: str, hint: str) -> str:
    return f"{' ' * indent}# {key}:  # {hint}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _compose(text: str) -> yaml.MappingNode:
    node = yaml.compose(text, Loader=LineLoader)
    if not isinstance(node, yaml.MappingNode):
        raise UserError("the file's top level is not a mapping of keys")
    return node


def _get(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _key_node(node: yaml.MappingNode, key: str) -> yaml.ScalarNode | None:
    for k, _v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k
    return None


def _scalar_of(node: yaml.MappingNode, key: str) -> str | None:
    v = _get(node, key)
    return v.value if isinstance(v, yaml.ScalarNode) else None


def _item_span(lines: list[str], item: yaml.Node) -> tuple[int, int, int]:
    """(first line, last line, dash column) of a block sequence item, 0-based and inclusive.

    The item runs from its dash to the last line indented deeper than the dash (blank lines and
    comments inside included; trailing blank lines and comments at the dash's depth or less,
    which belong to what follows, excluded)."""
    start = item.start_mark.line
    col = item.start_mark.column
    dash = lines[start].rfind("-", 0, col)
    while dash < 0 and start > 0:  # "-" alone on the line above its content
        start -= 1
        dash = lines[start].rfind("-")
    end = start
    j = start + 1
    while j < len(lines):
        ln = lines[j]
        if _blank(ln) or _indent(ln) > dash:
            if not _blank(ln):
                end = j
            j += 1
            continue
        break
    return start, end, dash


def _block_seq(node: yaml.Node | None, what: str) -> yaml.SequenceNode | None:
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return None
    if not isinstance(node, yaml.SequenceNode):
        raise UserError(f"{what} is not a list")
    if node.flow_style:
        if not node.value:
            return None
        raise UserError(f"{what} is written in flow style ([...]); write it as a block list first")
    return node


def _separated(lines: list[str], spans: list[tuple[int, int, int]]) -> bool:
    """Whether existing items are separated by blank lines."""
    if len(spans) < 2:
        return False
    return _blank(lines[spans[1][0] - 1])


def _comments_above(lines: list[str], start: int, dash: int) -> int:
    """Move ``start`` up over comment lines directly above it at the item's depth."""
    while (
        start > 0 and lines[start - 1].strip().startswith("#") and _indent(lines[start - 1]) == dash
    ):
        start -= 1
    return start


@dataclass
class _Edit:
    """Replace ``lines[start:stop]`` by ``new`` (``start == stop``: insert)."""

    start: int
    stop: int
    new: list[str]
    block_first: int  # 0-based line of the record's first line in the result
    block_len: int


def _apply(lines: list[str], edit: _Edit) -> list[str]:
    return [*lines[: edit.start], *edit.new, *lines[edit.stop :]]


def _insert_item(
    lines: list[str],
    seq: yaml.SequenceNode,
    block: list[str],
    before: int | None,
    replace: int | None,
) -> _Edit:
    """Insert ``block`` (item lines with the dash at column 0) into a block list: before item
    ``before``, in place of item ``replace``, or at the end."""
    spans = [_item_span(lines, it) for it in seq.value]
    dash = spans[0][2]
    body = [(" " * dash + b) if b else b for b in block]
    sep = _separated(lines, spans)
    if replace is not None:
        s, e, _ = spans[replace]
        return _Edit(s, e + 1, body, s, len(body))
    if before is not None:
        s = _comments_above(lines, spans[before][0], dash)
        new = [*body, ""] if sep else body
        return _Edit(s, s, new, s, len(body))
    e = spans[-1][1] + 1
    new = ["", *body] if sep else body
    return _Edit(e, e, new, e + (1 if sep else 0), len(body))


# --------------------------------------------------------------------------------------------
# The data files
# --------------------------------------------------------------------------------------------


def _root(root: Path | None) -> Path:
    return root or project_root()


def _country_files(root: Path) -> list[Path]:
    return sorted((data_dir(root) / "countries").glob("*.yaml"))


def _sources_files(root: Path) -> list[Path]:
    return sorted((data_dir(root) / "sources").glob("*.yaml"))


def _read(path: Path, kind: str) -> Any:
    doc, problems = read_document(path, kind)
    if problems:
        raise UserError(f"{problems[0]} (fix the file first)")
    return doc.data


def _registry(root: Path) -> dict[str, tuple[str, Path, dict[str, Any]]]:
    """Every source: id -> (id, file, record)."""
    out: dict[str, tuple[str, Path, dict[str, Any]]] = {}
    for p in _sources_files(root):
        data = _read(p, "sources")
        for s in data.get("sources") or []:
            if isinstance(s, dict) and isinstance(s.get("id"), str):
                out.setdefault(s["id"], (s["id"], p, s))
    return out


def _check_sources(ids: Iterable[str], root: Path) -> list[str]:
    ids = [i.strip() for raw in ids for i in str(raw).split(",") if i.strip()]
    if not ids:
        return []
    known = _registry(root)
    unknown = [i for i in ids if i not in known]
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(known), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else " (add it first: multisee new source)"
        raise UserError(f"unknown source id '{unknown[0]}'{hint}")
    return ids


def _country_file(country: str, root: Path) -> Path:
    code = str(country).strip().upper()
    path = data_dir(root) / "countries" / f"{code}.yaml"
    if not re.fullmatch(r"[A-Z]{2}", code) or not path.exists():
        known = ", ".join(p.stem for p in _country_files(root))
        raise UserError(f"unknown country '{country}' (one of {known})")
    return path


def _keep_line_ends(path: Path, text: str) -> str:
    """``text`` (read with universal newlines) with the line ends the file at ``path`` has: a file
    written with CRLF keeps CRLF (a byte-order mark is kept by the UTF-8 round trip itself)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return text
    return text.replace("\n", "\r\n") if b"\r\n" in raw else text


def _finish(
    path: Path,
    old_text: str,
    edit: _Edit,
    kind: str,
    expect: tuple[Sequence[str | int], dict[str, Any]],
    record: str,
    key: str,
    replaced: bool,
    dry_run: bool,
    root: Path,
) -> Written:
    """Check the new text reads back as intended, write it, validate the data."""
    lines = old_text.split("\n")
    new_lines = _apply(lines, edit)
    new_text = "\n".join(new_lines)
    if not new_text.endswith("\n"):
        new_text += "\n"
    doc, problems = read_document(path, kind, text=new_text)
    if problems:  # pragma: no cover - a bug in the scaffolding, never the user's input
        raise UserError(
            f"internal error: the new text would not parse ({problems[0]}); nothing written"
        )
    cur: Any = doc.data
    where, want = expect
    for part in where:
        cur = cur[part]
    got = {k: cur.get(k) for k in want} if isinstance(cur, dict) else None
    if got != want:  # pragma: no cover - ditto
        raise UserError(f"internal error: the new record reads back as {got!r}; nothing written")
    block = "\n".join(new_lines[edit.block_first : edit.block_first + edit.block_len]) + "\n"
    w = Written(
        path=path,
        record=record,
        first_line=edit.block_first + 1,
        last_line=edit.block_first + edit.block_len,
        text=block,
        replaced=replaced,
        written=not dry_run,
        key=key,
    )
    if dry_run:
        return w
    atomic_write(path, _keep_line_ends(path, new_text))
    _, problems = validate_files([data_dir(root)])
    w.todo = sorted((p for p in problems if p.file == rel(path)), key=lambda p: p.line or 0)
    return w


# --------------------------------------------------------------------------------------------
# multisee new edition
# --------------------------------------------------------------------------------------------


def _find_initiative(initiative: str, root: Path) -> tuple[Path, str, int]:
    """(file, kind, index in igf_initiatives) of an initiative id."""
    candidates = [(p, "country") for p in _country_files(root)]
    regional = data_dir(root) / "regional.yaml"
    if regional.exists():
        candidates.append((regional, "regional"))
    ids: list[str] = []
    for path, kind in candidates:
        data = _read(path, kind)
        for i, ini in enumerate(data.get("igf_initiatives") or []):
            if isinstance(ini, dict):
                if ini.get("id") == initiative:
                    return path, kind, i
                ids.append(str(ini.get("id")))
    near = difflib.get_close_matches(str(initiative), ids, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise UserError(
        f"unknown initiative '{initiative}' (not in data/countries/*.yaml or data/regional.yaml){hint}"
    )


def _fact_lines(
    out: list[str], want: dict[str, Any], sources: Iterable[str], confidence: str | None
) -> None:
    """The lines every fact ends with (sources, confidence, notes), placeholders where not given."""
    sources = list(sources)
    if sources:
        out.append(_line(2, "sources", flow_list(sources)))
        want["sources"] = sources
    else:
        out.append(_line(2, "sources", f"[{TODO}]", "ids from data/sources/ (multisee new source)"))
        want["sources"] = [TODO]
    hint = " | ".join(CODES["confidence"])
    out.append(_line(2, "confidence", confidence or TODO, None if confidence else hint))
    want["confidence"] = confidence or TODO
    out.append(_optional(2, "notes", "how the facts were read; the reasoning for inferred ones"))


def edition_block(
    year: int,
    sources: Sequence[str] = (),
    confidence: str | None = None,
    number: int | None = None,
    date: str | None = None,
    city: str | None = None,
    venue: str | None = None,
    format: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """The lines of a new edition (dash at column 0) and the values they must read back as."""
    want: dict[str, Any] = {"year": year}
    out = [f"- year: {year}"]
    if number is not None:
        out.append(_line(2, "number", str(number)))
        want["number"] = number
    else:
        out.append(_optional(2, "number", "the ordinal, only as a source states it"))
    if date:
        out.append(_line(2, "date", scalar(date, quote=True)))
        want["date"] = date
    else:
        out.append(_optional(2, "date", f'"{year}-MM-DD" or "{year}-MM"'))
    for key, value, hint in (
        ("city", city, "city (leave out for an online edition)"),
        ("venue", venue, "venue"),
    ):
        if value:
            out.append(_line(2, key, scalar(value)))
            want[key] = value
        else:
            out.append(_optional(2, key, hint))
    if format:
        out.append(_line(2, "format", format))
        want["format"] = format
    else:
        out.append(_optional(2, "format", " | ".join(CODES["edition_format"])))
    out.append(_optional(2, "participants", "number of participants, as stated"))
    _fact_lines(out, want, sources, confidence)
    return out, want


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
    root = _root(root)
    y = check_year(year)
    check_code(confidence, "confidence", "--confidence")
    check_code(format, "edition_format", "--format")
    if number is not None:
        if not re.fullmatch(r"[1-9]\d{0,2}", str(number).strip()):
            raise UserError(f"--number must be a positive whole number, not {number!r}")
        number = int(str(number).strip())
    if date:
        date = check_date(date, "--date")
        if int(date[:4]) != y:
            raise UserError(f"--date {date} is not in --year {y}")
    ids = _check_sources(sources, root)
    path, kind, idx = _find_initiative(initiative, root)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    top = _compose(text)
    inis = _block_seq(_get(top, "igf_initiatives"), "igf_initiatives")
    assert inis is not None
    ini = inis.value[idx]
    assert isinstance(ini, yaml.MappingNode)
    block, want = edition_block(y, ids, confidence, number, date, city, venue, format)
    eds = _block_seq(_get(ini, "editions"), f"{initiative}: editions")
    replaced = False
    if eds is None or not eds.value:
        key = _key_node(ini, "editions")
        keycol = ini.start_mark.column
        body = [(" " * (keycol + 2) + b) if b else b for b in block]
        if key is not None:  # "editions:" with nothing or "[]": put the list under the key
            s = key.start_mark.line
            new = [" " * keycol + "editions:", *body]
            edit = _Edit(s, s + 1, new, s + 1, len(body))
        else:
            _, e, _ = _item_span(lines, ini)
            new = [" " * keycol + "editions:", *body]
            edit = _Edit(e + 1, e + 1, new, e + 2, len(body))
        pos = 0
    else:
        years = []
        for it in eds.value:
            v = _scalar_of(it, "year") if isinstance(it, yaml.MappingNode) else None
            years.append(int(v) if v and v.isdigit() else None)
        if y in years:
            pos = years.index(y)
            if not force:
                line = eds.value[pos].start_mark.line + 1
                raise UserError(
                    f"{initiative} already has an edition in {y} ({rel(path)}:{line}); edit it"
                    " there, or pass --force to replace it"
                )
            edit = _insert_item(lines, eds, block, None, pos)
            replaced = True
        else:
            later = [i for i, v in enumerate(years) if v is not None and v > y]
            pos = later[0] if later else len(years)
            edit = _insert_item(lines, eds, block, later[0] if later else None, None)
    where: list[str | int] = ["igf_initiatives", idx, "editions", pos]
    w = _finish(
        path,
        text,
        edit,
        kind,
        (where, want),
        f"igf_edition {initiative}/{y}",
        f"{initiative}/{y}",
        replaced,
        dry_run,
        root,
    )
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

_STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "by", "with", "from", "de"}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (accents dropped; other scripts drop out)."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def source_id(prefix: str, publisher: str, title: str, url: str, taken: Iterable[str]) -> str:
    """``<country>-<publisher words>-<title words>``, at most about 40 characters, unique."""
    pub = [w for w in slug(publisher).split("-") if w and w not in _STOP][:2]
    words = pub + [w for w in slug(title).split("-") if w and w not in _STOP and w not in pub]
    if not words:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        words = [w for w in slug(host).split("-") if w]
    if prefix and words and words[0] == prefix:
        words = words[1:]
    out = [prefix] if prefix else []
    for w in words:
        if out and len("-".join([*out, w])) > 40:
            break
        out.append(w)
    base = "-".join(out) or "source"
    taken = set(taken)
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def source_block(
    ident: str,
    title: str,
    url: str,
    publisher: str,
    kind: str | None = None,
    reliability: str | None = None,
    accessed: str | None = None,
    archived: str | None = None,
    published: str | None = None,
    language: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    out = [
        f"- id: {ident}",
        _line(2, "title", scalar(title, quote=True)),
        _line(2, "url", url if _plain_url(url) else scalar(url, quote=True)),
        _line(2, "publisher", scalar(publisher)),
    ]
    want: dict[str, Any] = {"id": ident, "title": title, "url": url, "publisher": publisher}
    out.append(_line(2, "kind", kind or TODO, None if kind else " | ".join(CODES["source_kind"])))
    want["kind"] = kind or TODO
    rel_hint = "high | medium | low (see the codebook)"
    out.append(_line(2, "reliability", reliability or TODO, None if reliability else rel_hint))
    want["reliability"] = reliability or TODO
    if language:
        out.append(_line(2, "language", scalar(language)))
        want["language"] = language
    else:
        out.append(_optional(2, "language", "ISO 639-1 code of the text, e.g. en"))
    if published:
        out.append(_line(2, "published", scalar(published, quote=True)))
        want["published"] = published
    else:
        out.append(
            _optional(2, "published", '"YYYY-MM-DD": publication date, if the page states it')
        )
    if archived:
        out.append(_line(2, "archived", scalar(archived, quote=True)))
        want["archived"] = archived
    else:
        out.append(
            _optional(
                2, "archived", '"YYYY-MM-DD": the archived copy\'s own date (capture or page date)'
            )
        )
    if accessed:
        out.append(_line(2, "accessed", scalar(accessed, quote=True)))
    else:
        out.append(_line(2, "accessed", TODO, '"YYYY-MM-DD": the date you read the archived copy'))
    want["accessed"] = accessed or TODO
    out.append(_optional(2, "note", "archive caveats, what the page is"))
    return out, want


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
    root = _root(root)
    url = check_url(url)
    title, publisher = str(title or "").strip(), str(publisher or "").strip()
    if not title:
        raise UserError("--title must not be empty (the page's title as it reads)")
    if not publisher:
        raise UserError("--publisher must not be empty (who published the page)")
    check_code(kind, "source_kind", "--kind")
    check_code(reliability, "reliability", "--reliability")
    for value, what in (
        (accessed, "--accessed"),
        (archived, "--archived"),
        (published, "--published"),
    ):
        if value:
            check_date(value, what)
    if language and not re.fullmatch(r"[a-z]{2,3}", language):
        raise UserError(f"--language must be an ISO 639-1 code such as en, not {language!r}")
    if ident is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UserError(f"--id {ident!r} must be lower-case letters, digits and '-'")
    stem = str(country).strip()
    stem = stem.upper() if re.fullmatch(r"[A-Za-z]{2}", stem) else stem.lower()
    path = data_dir(root) / "sources" / f"{stem}.yaml"
    if len(stem) == 2:
        _country_file(stem, root)  # a known jurisdiction
    elif not path.exists():
        known = ", ".join(p.stem for p in _sources_files(root))
        raise UserError(f"unknown sources file '{country}' (a country code, or one of {known})")
    registry = _registry(root)
    same = [
        (i, p, rec)
        for i, p, rec in registry.values()
        if isinstance(rec.get("url"), str) and _norm_url(rec["url"]) == _norm_url(url)
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
        ident = (
            same[0][0]
            if replaced
            else source_id(stem.lower() if len(stem) == 2 else "", publisher, title, url, registry)
        )
    elif ident in registry and not (replaced and same[0][0] == ident):
        raise UserError(f"source id '{ident}' is taken ({rel(registry[ident][1])})")
    block, want = source_block(
        ident, title, url, publisher, kind, reliability, accessed, archived, published, language
    )
    if not path.exists():
        header = [
            f"# Sources for {stem}. URLs exactly as archived; how each was found, with the quote"
            " read at it, is in research/.",
            "sources:",
        ]
        text = ""
        body = [(" " * 2 + b) if b else b for b in block]
        edit = _Edit(0, 0, [*header, *body], len(header), len(body))
        pos = 0
        if not dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
    else:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        top = _compose(text)
        seq = _block_seq(_get(top, "sources"), "sources")
        if seq is None:
            key = _key_node(top, "sources")
            body = [(" " * 2 + b) if b else b for b in block]
            if key is not None:
                s = key.start_mark.line
                edit = _Edit(s, s + 1, ["sources:", *body], s + 1, len(body))
            else:
                e = len(lines) - (1 if lines and lines[-1] == "" else 0)
                edit = _Edit(e, e, ["sources:", *body], e + 1, len(body))
            pos = 0
        elif replaced:
            pos = next(
                i
                for i, it in enumerate(seq.value)
                if isinstance(it, yaml.MappingNode) and _scalar_of(it, "id") == same[0][0]
            )
            edit = _insert_item(lines, seq, block, None, pos)
        else:
            pos = len(seq.value)
            edit = _insert_item(lines, seq, block, None, None)
    w = _finish(
        path,
        text,
        edit,
        "sources",
        (["sources", pos], want),
        f"source {ident}",
        ident,
        replaced,
        dry_run,
        root,
    )
    w.hints.append(
        f"log {url} with the quote you read at it in a research log under research/ (multisee"
        " validate checks every URL in the registry is there, with a quote of"
        f" {research_log.MIN_QUOTE} characters or more)"
    )
    return w


# --------------------------------------------------------------------------------------------
# multisee new body
# --------------------------------------------------------------------------------------------


def body_block(
    ident: str | None,
    name: str | None,
    type: str | None = None,
    legal_basis: str | None = None,
    multistakeholder: str | None = None,
    sources: Sequence[str] = (),
    confidence: str | None = None,
    established: str | None = None,
    scope: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    want: dict[str, Any] = {}
    out: list[str] = []

    def req(key: str, value: str | None, hint: str, quote: bool = False, indent: int = 2) -> None:
        if value:
            out.append(_line(indent, key, scalar(value, quote=quote)))
        else:
            out.append(_line(indent, key, TODO, hint))
        want[key] = value or TODO

    out.append(
        f"- id: {ident}"
        if ident
        else f"- id: {TODO}  # lower-case slug: the country code, then a short name"
    )
    want["id"] = ident or TODO
    req("name", name, "name in English, as the source gives it")
    out.append(_optional(2, "name_local", "name in the local language"))
    req("type", type, " | ".join(CODES["body_type"]))
    out.append(_optional(2, "role", " | ".join(CODES["body_role"])))
    if established:
        out.append(_line(2, "established", scalar(established, quote=True)))
        want["established"] = established
    else:
        out.append(_optional(2, "established", '"YYYY-MM-DD" (or YYYY-MM, YYYY)'))
    out.append(_optional(2, "ended", '"YYYY-MM-DD", if ended or replaced'))
    req("legal_basis", legal_basis, " | ".join(CODES["legal_basis"]))
    out.append(_optional(2, "legal_basis_ref", "the act's number and title"))
    out.append(_optional(2, "convenor", "who convenes or chairs it"))
    req("scope", scope, " | ".join(CODES["body_scope"]))
    req(
        "multistakeholder",
        multistakeholder,
        "yes | partly | no | unknown: its membership spans stakeholder groups",
    )
    out.append(_optional(2, "composition", "by stakeholder group, one line each:"))
    out.append("  #   - {group: government, seats: ..., note: ...}")
    out.append(_optional(2, "size", "number of members, as stated"))
    out.append(_optional(2, "status", " | ".join(CODES["body_status"])))
    out.append(_optional(2, "status_as_of", "the year the status refers to"))
    out.append(_optional(2, "last_evidenced", "latest year a source dates its activity"))
    out.append(_optional(2, "website", "host name"))
    _fact_lines(out, want, sources, confidence)
    return out, want


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
    root = _root(root)
    path = _country_file(country, root)
    code = path.stem
    if ident is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UserError(f"--id {ident!r} must be lower-case letters, digits and '-'")
    if ident is None and name:
        words = [w for w in slug(name).split("-") if w and w not in _STOP]
        ident = "-".join([code.lower(), *words])[:48].rstrip("-") if words else None
    check_code(type, "body_type", "--type")
    check_code(legal_basis, "legal_basis", "--legal-basis")
    check_code(multistakeholder, "tri_unknown", "--multistakeholder")
    check_code(scope, "body_scope", "--scope")
    check_code(confidence, "confidence", "--confidence")
    if established:
        check_date(established, "--established")
    ids = _check_sources(sources, root)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    top = _compose(text)
    seq = _block_seq(_get(top, "ms_bodies"), "ms_bodies")
    replaced = False
    pos = 0
    if ident:  # ids are unique across all files
        for p in [*_country_files(root), data_dir(root) / "regional.yaml"]:
            if not p.exists():
                continue
            data = _read(p, "regional" if p.name == "regional.yaml" else "country")
            for key, attr in (("cctlds", "tld"), ("igf_initiatives", "id"), ("ms_bodies", "id")):
                for rec in data.get(key) or []:
                    if isinstance(rec, dict) and rec.get(attr) == ident:
                        if p == path and key == "ms_bodies" and force:
                            replaced = True
                        elif p == path and key == "ms_bodies":
                            raise UserError(
                                f"body '{ident}' already exists in {rel(p)}; edit it there, or"
                                " pass --force to replace it"
                            )
                        else:
                            raise UserError(f"id '{ident}' is taken ({key} in {rel(p)})")
    block, want = body_block(
        ident, name, type, legal_basis, multistakeholder, ids, confidence, established, scope
    )
    if seq is None:
        knode = _key_node(top, "ms_bodies")
        body = [(" " * 2 + b) if b else b for b in block]
        if knode is not None:
            s = knode.start_mark.line
            edit = _Edit(s, s + 1, ["ms_bodies:", *body], s + 1, len(body))
        else:
            after = [k for k in ("assessments", "absences") if _key_node(top, k) is not None]
            if after:
                kn = _key_node(top, after[0])
                assert kn is not None
                s = _comments_above(lines, kn.start_mark.line, 0)
                edit = _Edit(s, s, ["ms_bodies:", *body, ""], s + 1, len(body))
            else:
                e = len(lines) - (1 if lines and lines[-1] == "" else 0)
                edit = _Edit(e, e, ["", "ms_bodies:", *body], e + 2, len(body))
    elif replaced:
        pos = next(
            i
            for i, it in enumerate(seq.value)
            if isinstance(it, yaml.MappingNode) and _scalar_of(it, "id") == ident
        )
        edit = _insert_item(lines, seq, block, None, pos)
    else:
        pos = len(seq.value)
        edit = _insert_item(lines, seq, block, None, None)
    label = ident or "(id to fill in)"
    w = _finish(
        path,
        text,
        edit,
        "country",
        (["ms_bodies", pos], want),
        f"ms_body {label}",
        ident or "",
        replaced,
        dry_run,
        root,
    )
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
# multisee new absence
# --------------------------------------------------------------------------------------------


def absence_block(
    mechanism: str,
    finding: str | None,
    text: str | None,
    query: str | None,
    sources: Sequence[str] = (),
    confidence: str | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """An absence with one search (``not_found``: the searches are its evidence)."""
    want: dict[str, Any] = {"mechanism": mechanism}
    out = [f"- mechanism: {mechanism}"]
    out.append(_line(2, "finding", finding or TODO, None if finding else "none | not_found"))
    want["finding"] = finding or TODO
    out.append(
        _line(2, "text", scalar(text) if text else TODO, None if text else "what was searched")
    )
    want["text"] = text or TODO
    out.append("  searched:")
    out.append(_line(4, "- query", scalar(query) if query else TODO, None if query else "as typed"))
    out.append(_line(6, "looked_at", TODO, "the kinds of sources looked at"))
    out.append(_line(6, "date", scalar(today(), quote=True)))
    if finding == "not_found" and not sources:  # a search that found nothing cites no page
        out.append(_line(2, "sources", "[]"))
        want["sources"] = []
        hint = None if confidence else " | ".join(CODES["confidence"])
        out.append(_line(2, "confidence", confidence or TODO, hint))
        want["confidence"] = confidence or TODO
        out.append(_optional(2, "notes", "what the search covered and what it did not"))
    else:
        _fact_lines(out, want, sources, confidence)
    return out, want


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
    root = _root(root)
    path = _country_file(country, root)
    check_code(mechanism, "mechanism", "--mechanism")
    check_code(finding, "absence_finding", "--finding")
    check_code(confidence, "confidence", "--confidence")
    ids = _check_sources(sources, root)
    text_ = path.read_text(encoding="utf-8")
    lines = text_.split("\n")
    top = _compose(text_)
    seq = _block_seq(_get(top, "absences"), "absences")
    replaced, pos = False, 0
    for i, it in enumerate(seq.value if seq is not None else []):
        if isinstance(it, yaml.MappingNode) and _scalar_of(it, "mechanism") == mechanism:
            if not force:
                line = it.start_mark.line + 1
                raise UserError(
                    f"{rel(path)}:{line} already has an absence of {mechanism}; edit it there, or"
                    " pass --force to replace it"
                )
            replaced, pos = True, i
    block, want = absence_block(mechanism, finding, text, query, ids, confidence)
    if seq is None:
        body = [(" " * 2 + b) if b else b for b in block]
        knode = _key_node(top, "absences")
        if knode is not None:
            k = knode.start_mark.line
            edit = _Edit(k, k + 1, ["absences:", *body], k + 1, len(body))
        else:
            e = len(lines) - (1 if lines and lines[-1] == "" else 0)
            edit = _Edit(e, e, ["", "absences:", *body], e + 2, len(body))
    elif replaced:
        edit = _insert_item(lines, seq, block, None, pos)
    else:
        pos = len(seq.value)
        edit = _insert_item(lines, seq, block, None, None)
    w = _finish(
        path,
        text_,
        edit,
        "country",
        (["absences", pos], want),
        f"absence {path.stem}/{mechanism}",
        f"{path.stem}/{mechanism}",
        replaced,
        dry_run,
        root,
    )
    if finding == "none":
        w.hints.append(
            "a `none` absence says the mechanism does not exist: it needs a source that says so"
            " (a search that found nothing is `not_found`)"
        )
    return w


def _into_list(
    lines: list[str], node: yaml.MappingNode, key: str, block: list[str], before: int | None = None
) -> tuple[_Edit, int]:
    """An edit adding ``block`` (item lines, dash at column 0) to the list ``key`` of the mapping
    ``node`` (before item ``before``, else at the end), starting the list -- after the record's
    last line, or in place of an empty ``key:`` -- when there is none; and the new item's index."""
    seq = _block_seq(_get(node, key), key)
    if seq is not None and seq.value:
        pos = before if before is not None else len(seq.value)
        return _insert_item(lines, seq, block, before, None), pos
    col = node.value[0][0].start_mark.column
    body = [(" " * (col + 2) + b) if b else b for b in block]
    knode = _key_node(node, key)
    if knode is not None:
        k = knode.start_mark.line
        return _Edit(k, k + 1, [" " * col + f"{key}:", *body], k + 1, len(body)), 0
    end = _item_span(lines, node)[1] + 1
    return _Edit(end, end, [" " * col + f"{key}:", *body], end + 1, len(body)), 0


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
    root = _root(root)
    path = _country_file(country, root)
    check_code(mechanism, "mechanism", "--mechanism")
    date = check_date(date, "--date") if date else today()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    top = _compose(text)
    absences = _block_seq(_get(top, "absences"), "absences")
    found = [
        (i, it)
        for i, it in enumerate(absences.value if absences is not None else [])
        if isinstance(it, yaml.MappingNode) and _scalar_of(it, "mechanism") == mechanism
    ]
    if not found:
        raise UserError(
            f"{rel(path)} has no absence of {mechanism}; add one with `multisee new absence`"
        )
    i, node = found[0]
    block = [_line(0, "- query", scalar(query))]
    block.append(
        _line(
            2,
            "looked_at",
            scalar(looked_at) if looked_at else TODO,
            None if looked_at else "the kinds of sources looked at",
        )
    )
    block.append(_line(2, "date", scalar(date, quote=True)))
    want = {"query": query, "looked_at": looked_at or TODO, "date": date}
    edit, pos = _into_list(lines, node, "searched", block)
    return _finish(
        path,
        text,
        edit,
        "country",
        (["absences", i, "searched", pos], want),
        f"search for {path.stem}/{mechanism}",
        f"{path.stem}/{mechanism}",
        False,
        dry_run,
        root,
    )


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
    root = _root(root)
    date = check_date(date, "--date")
    check_code(type, "event_type", "--type")
    check_code(confidence, "confidence", "--confidence")
    ids = _check_sources(sources, root)
    tld = tld.lower().lstrip(".")
    for path in _country_files(root):
        data = _read(path, "country")
        hits = [i for i, t in enumerate(data.get("cctlds") or []) if t.get("tld") == tld]
        if hits:
            break
    else:
        raise UserError(f"no ccTLD '{tld}' in data/countries/ (the tld without its dot, e.g. rs)")
    k = hits[0]
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    top = _compose(text)
    cctlds = _block_seq(_get(top, "cctlds"), "cctlds")
    assert cctlds is not None
    node = cctlds.value[k]
    assert isinstance(node, yaml.MappingNode)
    want: dict[str, Any] = {"date": date, "type": type or TODO}
    block = [_line(0, "- date", scalar(date, quote=True))]
    codes = " | ".join(CODES["event_type"])
    block.append(_line(2, "type", type or TODO, None if type else codes))
    if to_manager:
        block.append(_line(2, "to_manager", scalar(to_manager)))
        want["to_manager"] = to_manager
    else:
        block.append(_optional(2, "to_manager", "the manager after the event"))
    block.append(
        _line(2, "description", scalar(description) if description else TODO,
              None if description else "what happened, in one sentence")
    )  # fmt: skip
    want["description"] = description or TODO
    _fact_lines(block, want, ids, confidence)
    events = [e for e in (data["cctlds"][k].get("events") or []) if isinstance(e, dict)]
    later = [i for i, e in enumerate(events) if str(e.get("date", "")) > date]
    edit, pos = _into_list(lines, node, "events", block, later[0] if later else None)
    return _finish(
        path,
        text,
        edit,
        "country",
        (["cctlds", k, "events", pos], want),
        f"cctld_event {tld}/{date}/{type or TODO}",
        f"{tld}/{date}",
        False,
        dry_run,
        root,
    )


# --------------------------------------------------------------------------------------------
# multisee new conflict
# --------------------------------------------------------------------------------------------

#: ``--record KIND:KEY`` -> the list key in a country or regional file and the record's id key.
_CONFLICT_KINDS = {
    "cctld": ("cctlds", "tld"),
    "initiative": ("igf_initiatives", "id"),
    "body": ("ms_bodies", "id"),
}


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
    root = _root(root)
    kind, _, key = record.partition(":")
    if kind not in (*_CONFLICT_KINDS, "edition") or not key:
        raise UserError(
            f"--record {record!r}: give KIND:KEY, KIND one of {', '.join(_CONFLICT_KINDS)},"
            " edition (e.g. cctld:am, edition:am-igf/2017)"
        )
    check_code(confidence, "confidence", "--confidence")
    ids = _check_sources(sources, root)
    want_key, year = [*key.rsplit("/", 1), ""][:2] if kind == "edition" else [key, ""]
    list_key, id_key = _CONFLICT_KINDS.get(kind, ("igf_initiatives", "id"))
    for path in [*_country_files(root), data_dir(root) / "regional.yaml"]:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        top = _compose(text)
        seq = _block_seq(_get(top, list_key), list_key)
        for i, it in enumerate(seq.value if seq is not None else []):
            if isinstance(it, yaml.MappingNode) and _scalar_of(it, id_key) == want_key:
                where: list[str | int] = [list_key, i]
                node = it
                if kind == "edition":
                    eds = _block_seq(_get(it, "editions"), "editions")
                    hits = [
                        (j, e)
                        for j, e in enumerate(eds.value if eds is not None else [])
                        if isinstance(e, yaml.MappingNode) and _scalar_of(e, "year") == year
                    ]
                    if not hits:
                        continue
                    where += ["editions", hits[0][0]]
                    node = hits[0][1]
                break
        else:
            continue
        break
    else:
        raise UserError(f"--record {record!r}: no such record in data/countries/ or regional.yaml")
    lines = text.split("\n")
    typed: Any = int(value) if re.fullmatch(r"-?\d+", value) else value
    block = [_line(0, "- field", scalar(field)), _line(2, "value", scalar(typed))]
    want: dict[str, Any] = {"field": field, "value": typed}
    if ids:
        block.append(_line(2, "sources", flow_list(ids)))
    else:
        block.append(_line(2, "sources", f"[{TODO}]", "ids of the sources of this value"))
    want["sources"] = ids or [TODO]
    hint = None if confidence else " | ".join(CODES["confidence"])
    block.append(_line(2, "confidence", confidence or TODO, hint))
    want["confidence"] = confidence or TODO
    block.append(
        _line(2, "note", scalar(note) if note else TODO, None if note else "why the record's value is preferred")
    )  # fmt: skip
    want["note"] = note or TODO
    assert isinstance(node, yaml.MappingNode)
    edit, pos = _into_list(lines, node, "conflicts", block)
    return _finish(
        path,
        text,
        edit,
        "regional" if path.name == "regional.yaml" else "country",
        ([*where, "conflicts", pos], want),
        f"conflict on {record} {field}",
        f"{record}/{field}",
        False,
        dry_run,
        root,
    )


def today() -> str:
    return clock_today().isoformat()
