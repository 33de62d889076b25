"""Reading one data file safely: the YAML line loader with its limits, the file kinds, and
pydantic's errors turned into one-line messages that name the file and line.

Every problem is reported as ``path:line: field.path: what is wrong`` (:class:`Problem`). The
reader keeps YAML line numbers for every key (:class:`Document`), so schema errors from pydantic
(:func:`schema_problems`) and the cross-file rules of :mod:`analysis.model.validate` point at the
line to fix. A hostile file (too large, too deep, aliases, not UTF-8) fails fast with one line.

The YAML dialect is YAML 1.2-like on purpose: only ``true``/``false`` are booleans (``yes``/``no``
stay strings, as the codes ``yes|partly|no`` need) and dates stay strings (a YAML date object would
break papermill's parameter injection).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from analysis.model import vocab
from analysis.model.datafiles import is_data_file
from analysis.model.paths import data_dir, rel

try:  # libyaml when available: about ten times faster
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader


class LineLoader(_BaseLoader):
    """SafeLoader with YAML 1.2 booleans and no implicit timestamps."""


_STR = "tag:yaml.org,2002:str"

LineLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
}
LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_SCALAR = yaml.constructor.SafeConstructor()
_INT = "tag:yaml.org,2002:int"
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


@dataclass
class Document:
    """One parsed file: its data, the line of every key path, and what it is."""

    path: Path
    kind: str
    name: str = field(init=False)
    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    model: BaseModel | None = None

    def __post_init__(self) -> None:
        self.name = rel(self.path)

    def line(self, where: Path_) -> int | None:
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)


def fmt_path(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


#: Hard limits of the reader: a hostile file fails fast with one line instead of exhausting memory.
MAX_BYTES = 100 * 1024 * 1024  # a file larger than this is refused before parsing
MAX_DEPTH = 50  # nesting of mappings and lists


def _construct(
    node: yaml.Node,
    where: Path_,
    lines: dict[Path_, int],
    doc: str,
    depth: int = 0,
    seen: set[int] | None = None,
) -> Any:
    if depth > MAX_DEPTH:
        raise _ReadError(node.start_mark.line + 1, f"nesting is deeper than {MAX_DEPTH} levels")
    if seen is None:
        seen = set()
    if id(node) in seen:  # composed once, reached twice: an alias (*name) of an anchor (&name)
        raise _ReadError(
            node.start_mark.line + 1, "anchors and aliases (&name, *name) are not supported"
        )
    seen.add(id(node))
    lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _ReadError(knode.start_mark.line + 1, "a key must be a plain scalar")
            if knode.tag == "tag:yaml.org,2002:merge":
                raise _ReadError(knode.start_mark.line + 1, "merge keys (<<) are not supported")
            try:
                key = _SCALAR.construct_object(knode)
            except Exception as exc:  # e.g. an unknown !tag on the key
                raise _ReadError(
                    knode.start_mark.line + 1, f"cannot read key: {_one_line(exc)}"
                ) from None
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise _ReadError(knode.start_mark.line + 1, f"duplicate key '{key}'")
            path = (*where, key)
            lines[path] = knode.start_mark.line + 1
            out[key] = _construct(vnode, path, lines, doc, depth + 1, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*where, i), lines, doc, depth + 1, seen)
            for i, item in enumerate(node.value)
        ]
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _INT and node.value.isdigit() and not node.value.startswith("0"):
        return int(node.value)
    try:
        return _SCALAR.construct_object(node)
    except Exception as exc:  # e.g. an unknown !tag or a bad !!binary
        raise _ReadError(node.start_mark.line + 1, f"cannot read value: {_one_line(exc)}") from None


def _one_line(exc: Exception) -> str:
    """A YAML error's problem without its multi-line position (the line is reported apart)."""
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else (str(exc).splitlines() or ["error"])[0]


class _ReadError(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _not_utf8(name: str, exc: UnicodeDecodeError) -> Problem:
    """A file that is not UTF-8, with the line and column of the first byte that is not."""
    data = exc.object if isinstance(exc.object, bytes) else b""
    before = data[: exc.start]
    line = before.count(b"\n") + 1
    col = exc.start - (before.rfind(b"\n") + 1) + 1
    byte = data[exc.start : exc.start + 1].hex() or "?"
    return Problem(
        name,
        line,
        "",
        f"the file is not UTF-8 text: byte 0x{byte} at column {col} is not UTF-8 (save the file"
        " as UTF-8, e.g. with your editor's 'save with encoding')",
    )


def _tab_at(text: str, mark: Any) -> bool:
    """Whether the YAML error's position is on a tab character."""
    if mark is None:
        return False
    lines = text.splitlines()
    return 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]


def read_document(path: Path, kind: str, text: str | None = None) -> tuple[Document, list[Problem]]:
    """Parse one YAML file, keeping line numbers; never raises for bad content."""
    doc = Document(path=path, kind=kind)
    try:
        if text is None:
            if not path.is_file():
                return doc, [Problem(doc.name, None, "", "not a regular file")]
            size = path.stat().st_size
            if size > MAX_BYTES:
                return doc, [
                    Problem(
                        doc.name,
                        None,
                        "",
                        f"file of {size:,} bytes is over the {MAX_BYTES:,}-byte limit",
                    )
                ]
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return doc, [_not_utf8(doc.name, exc)]
    except OSError as exc:
        return doc, [Problem(doc.name, None, "", f"cannot read file: {exc.strerror or exc}")]
    try:
        node = yaml.compose(text, Loader=LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if "\\t" in what or "tab character" in what or _tab_at(text, mark):
            what = "a tab character; YAML indents with spaces only (replace the tab with spaces)"
        return doc, [Problem(doc.name, line, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return doc, [Problem(doc.name, None, "", f"YAML error: {exc}")]
    except RecursionError:
        return doc, [Problem(doc.name, None, "", "YAML nesting is too deep")]
    if node is None:
        return doc, [Problem(doc.name, 1, "", "the file is empty")]
    try:
        doc.data = _construct(node, (), doc.lines, doc.name)
    except _ReadError as exc:
        return doc, [Problem(doc.name, exc.line, "", exc.message)]
    if not isinstance(doc.data, dict):
        return doc, [Problem(doc.name, 1, "", "the top level must be a mapping of keys")]
    return doc, []


# ---------------------------------------------------------------------------------------------
# Schema validation with readable messages
# ---------------------------------------------------------------------------------------------

_SUBPATH = re.compile(
    r"^([A-Za-z_][\w]*(?:\[\d+\])?(?:\.[A-Za-z_][\w]*(?:\[\d+\])?)*): (.*)$", re.S
)


def _split_subpath(text: str) -> tuple[Path_, str]:
    m = _SUBPATH.match(text)
    if not m:
        return (), text
    parts: list[str | int] = []
    for piece in m.group(1).split("."):
        name, _, idx = piece.partition("[")
        parts.append(name)
        if idx:
            parts.append(int(idx.rstrip("]")))
    return tuple(parts), m.group(2)


def _real_path(data: Any, loc: tuple[Any, ...], missing: bool) -> Path_:
    """Keep the part of pydantic's location that exists in the data (drops union tags)."""
    out: list[str | int] = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(cur, dict) and isinstance(part, str) and part in cur:
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
        elif missing and i == len(loc) - 1 and isinstance(part, str):
            out.append(part)
            break
        else:
            break
        out.append(part)
    return tuple(out)


#: Keys renamed in a release: (list key, old key) -> new key (see CHANGELOG.md).
RENAMED_KEYS: dict[tuple[str, str], str] = {("assessments", "mechanism"): "mechanism_id"}


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters (a whole record never fills one message)."""
    if isinstance(value, dict):
        keys = ", ".join(str(k)[:20] for k in list(value)[:5])
        return f"a mapping with keys {keys}" + (", ..." if len(value) > 5 else "")
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: The id and code patterns of the schema, in words (a regular expression is not shown to people).
PATTERN_WORDS: dict[str, str] = {
    r"^[A-Z]{2}$": "a two-letter code in capitals (e.g. RS)",
    r"^[a-z0-9][a-z0-9-]*$": (
        "an id of lower-case letters, digits and hyphens, starting with a letter or digit"
        " (e.g. am-igf)"
    ),
    r"^[a-z]{2,3}$": "a language code of two or three lower-case letters (e.g. sr)",
    r"^[\w.-]+/[\w.-]+$": "of the form owner/name",
}


def _yaml(value: Any) -> str:
    """A scalar as it is written in YAML (``true``, ``null``, ``'text'``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return _short(value)


def _describe(err: Mapping[str, Any]) -> str:
    typ, inp, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    loc = [p for p in err.get("loc", ()) if isinstance(p, str)]
    if typ == "extra_forbidden" and len(loc) >= 2 and (loc[0], loc[-1]) in RENAMED_KEYS:
        return f"unknown key (renamed to '{RENAMED_KEYS[(loc[0], loc[-1])]}' in 0.2.0)"
    if typ == "literal_error":
        hint = ""
        if isinstance(inp, bool) and "'yes'" in str(ctx.get("expected")):
            hint = " (write yes or no, not true or false)"
        return f"{_yaml(inp)} is not one of {ctx.get('expected')}{hint}"
    if typ == "missing":
        return "required field is missing"
    if typ == "extra_forbidden":
        return "unknown key"
    if typ in ("greater_than_equal", "less_than_equal"):
        if ctx.get("ge") == vocab.MIN_YEAR or ctx.get("le") == vocab.MAX_YEAR:
            return f"year {inp!r} is outside {vocab.MIN_YEAR}..{vocab.MAX_YEAR}"
        bound = ctx.get("ge", ctx.get("le"))
        return f"{inp!r} must be {'>=' if 'ge' in ctx else '<='} {bound}"
    if typ == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        want = PATTERN_WORDS.get(pattern, f"the form {pattern}")
        return f"{_yaml(inp)} is not {want}"
    if typ == "too_short":
        return "must not be empty"
    if typ.endswith("_type"):
        want = {
            "int_type": "an integer",
            "string_type": "a string",
            "bool_type": "true or false",
            "list_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping",
            "float_type": "a number",
        }.get(typ, typ.removesuffix("_type"))
        if inp is None:
            return f"expected {want}, got null"
        if isinstance(inp, (dict, list)):
            return f"expected {want}, got {_short(inp)}"
        if isinstance(inp, bool):
            return f"expected {want}, got {_yaml(inp)}"
        return f"expected {want}, got {type(inp).__name__} {_short(inp)}"
    if typ == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def schema_problems(doc: Document, exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path_, str]] = set()
    seen_paths: set[Path_] = set()
    errors = exc.errors()
    # An old key renamed in a release: report the rename, not also the new key as missing.
    renamed = {
        (*err["loc"][:-1], RENAMED_KEYS[(str(err["loc"][0]), str(err["loc"][-1]))])
        for err in errors
        if err["type"] == "extra_forbidden"
        and len(err["loc"]) >= 2
        and (str(err["loc"][0]), str(err["loc"][-1])) in RENAMED_KEYS
    }
    errors = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in renamed)]
    # Union members each report; keep one message per path.
    for err in errors:
        loc = tuple(err["loc"])
        path = _real_path(doc.data, loc, err["type"] == "missing")
        message = _describe(err)
        if err["type"] == "value_error":
            sub, message = _split_subpath(message)
            path = path + sub
        if path in seen_paths and len(loc) > len(path):
            continue  # a second union branch complaining about the same value
        key = (path, message)
        if key in seen:
            continue
        seen.add(key)
        seen_paths.add(path)
        problems.append(Problem(doc.name, doc.line(path), fmt_path(path), message))
    return problems


def kind_of(path: Path, base: Path) -> str:
    p = path.resolve()
    if p.parent.name == "countries":
        return "country"
    if p.parent.name == "sources":
        return "sources"
    if p.name == "regional.yaml":
        return "regional"
    if p.name == "terms.yaml":
        return "terms"
    if p.name == "peer_groups.yaml":
        return "peer_groups"
    return "unknown"


def discover(paths: Iterable[Path] | None = None) -> list[Path]:
    """The data files to validate: the shipped data by default; a path may be a file or folder."""
    if not paths:
        paths = [data_dir()]
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.yaml") if is_data_file(q, p)))
        else:
            out.append(p)
    return out
