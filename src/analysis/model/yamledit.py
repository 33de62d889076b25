"""Round-trip YAML editing for the scaffolding: read a data file with ruamel.yaml, render a new record in the file's style and splice it in, every other byte kept.

This module is the one place that knows :mod:`ruamel.yaml`. A data file is read in round-trip mode
(:class:`~ruamel.yaml.comments.CommentedMap` / :class:`~ruamel.yaml.comments.CommentedSeq`, which
keep key order and comments and know the line and column of every key and item); a new record is a
:class:`Record` turned into a ``CommentedMap`` -- its placeholder hints as end-of-line comments, its
optional keys as commented-out lines -- and rendered by ruamel.yaml with the data files' layout (block
lists under a key indented by two, ``- `` then the record's keys, flow lists ``[a, b]``, no line
folding).

The file itself is **not** re-dumped: the rendered record is inserted as lines at the place the
round-trip tree gives, and every other line stays byte for byte what it was. A whole-document dump
cannot keep the data files as they are written by hand: ruamel.yaml applies one list indentation to
a whole document (the files mix ``key:\\n  - item`` with ``key:\\n- item``) and re-flows a plain
scalar continued over several lines: a load and dump with the best settings changes 8 of the 47
files ``multisee new`` writes to (measured on the data of 2026-12-06), outside any new record.

Line ends: a file written with CRLF keeps CRLF, the new lines' too (:func:`keep_line_ends`).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from analysis.model.errors import UserError

# --------------------------------------------------------------------------------------------
# Scalars as the data files write them
# --------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][\w .,()/&'+-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def needs_quotes(text: str) -> bool:
    """Whether ``text`` must be quoted to read back as this string (the data files write a plain
    scalar only when it is unambiguous)."""
    return not (
        _PLAIN.match(text)
        and text.lower() not in _RESERVED
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
    )


def scalar(value: Any, quote: bool = False) -> str:
    """A YAML scalar for ``value``: plain when that is unambiguous, else double-quoted (JSON
    string syntax is valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    s = str(value)
    if not quote and not needs_quotes(s):
        return s
    return json.dumps(s, ensure_ascii=False)


def flow_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def plain_url(url: str) -> bool:
    """Whether a URL reads back unchanged as a plain YAML scalar (as the data files write them)."""
    return bool(re.fullmatch(r"https?://\S+", url)) and not url.endswith(":") and "#" not in url


# --------------------------------------------------------------------------------------------
# Reading: the round-trip tree
# --------------------------------------------------------------------------------------------


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 1 << 16  # a value stays on its line, as the builders write it
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


def load(text: str) -> CommentedMap:
    """A data file's text as a round-trip tree (its top level must be a mapping)."""
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        raise UserError(f"the file does not read as YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(data, CommentedMap):
        raise UserError("the file's top level is not a mapping of keys")
    return data


def block_list(node: CommentedMap, key: str, what: str) -> CommentedSeq | None:
    """The block list at ``node[key]``; None when there is none yet (no key, nothing, ``[]``).

    A list written in flow style (``[...]``) with items is refused: a record is added to a block
    list only."""
    value = node.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, CommentedSeq):
        raise UserError(f"{what} is not a list")
    if value.fa.flow_style():
        if not value:
            return None
        raise UserError(f"{what} is written in flow style ([...]); write it as a block list first")
    return value


def maps(seq: CommentedSeq | None) -> list[tuple[int, CommentedMap]]:
    """The (index, record) pairs of a list that are mappings."""
    return [(i, it) for i, it in enumerate(seq or []) if isinstance(it, CommentedMap)]


def find(seq: CommentedSeq | None, key: str, value: object) -> list[tuple[int, CommentedMap]]:
    """The records of ``seq`` whose ``key`` reads as ``value`` (compared as text)."""
    return [(i, it) for i, it in maps(seq) if key in it and str(it[key]) == str(value)]


def record_at(seq: CommentedSeq | None, index: int) -> CommentedMap:
    """Item ``index`` of a list, which must be a record (a mapping)."""
    item = seq[index] if seq is not None and 0 <= index < len(seq) else None
    if not isinstance(item, CommentedMap):
        raise UserError(f"item {index} of the list is not a record")
    return item


def line_of(seq: CommentedSeq | None, index: int) -> int:
    """1-based line of item ``index`` of a list."""
    assert seq is not None
    return int(seq.lc.item(index)[0]) + 1


# --------------------------------------------------------------------------------------------
# A new record
# --------------------------------------------------------------------------------------------

TODO = "TODO"


@dataclass
class Record:
    """A new record: its keys in order, each with an optional hint (an end-of-line comment), and
    commented-out lines (an optional key to fill in, an example) after a key.

    :attr:`want` holds what the record must read back as."""

    fields: list[tuple[str, Any, str | None]] = field(default_factory=list)
    comments: dict[str, list[str]] = field(default_factory=dict)

    def put(self, key: str, value: Any, hint: str | None = None, quote: bool | None = None) -> None:
        """``key: value``; a string is double-quoted when ``quote``, or (``quote`` None) when it
        must be to read back as itself; ``quote=False`` leaves the choice to the emitter."""
        if isinstance(value, str) and (quote or (quote is None and needs_quotes(value))):
            value = DoubleQuotedScalarString(value)
        self.fields.append((key, value, hint))

    def need(self, key: str, value: Any, hint: str, quote: bool | None = None) -> None:
        """``key: value``, or the placeholder with ``hint`` when no value is given."""
        if value in (None, "", []):
            self.fields.append((key, TODO, hint))
        else:
            self.put(key, value, quote=quote)

    def optional(self, key: str, hint: str) -> None:
        """``# key:  # hint``: a key left out, for a person to fill in if a source gives it."""
        self.comment(f"# {key}:  # {hint}")

    def comment(self, text: str) -> None:
        """A comment line at the record's key indentation, after the last key put."""
        assert self.fields, "a record starts with a key"
        self.comments.setdefault(self.fields[-1][0], []).append(text)

    @property
    def want(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            if isinstance(v, list):
                return [plain(x) for x in v]
            return v.want if isinstance(v, Record) else (str(v) if isinstance(v, str) else v)

        return {k: plain(v) for k, v, _ in self.fields}

    def tree(self, col: int) -> CommentedMap:
        """The record as a ``CommentedMap`` whose keys start at column ``col``."""
        m = CommentedMap()
        for key, value, hint in self.fields:
            if isinstance(value, list):
                seq = CommentedSeq([v.tree(col + 4) if isinstance(v, Record) else v for v in value])
                if not any(isinstance(v, Record) for v in value):
                    seq.fa.set_flow_style()
                value = seq
            m[key] = value
            tail = [" " * col + c for c in self.comments.get(key, [])]
            if hint is None and not tail:
                continue
            text = (f" # {hint}" if hint else "") + "".join("\n" + t for t in tail) + "\n"
            m.ca.items[key] = [None, None, CommentToken(text, CommentMark(0), None), None]
        return m


def render(record: Record, dash: int) -> list[str]:
    """The lines of ``record`` as a list item whose ``-`` is at column ``dash``."""
    out = io.StringIO()
    _yaml().dump(CommentedSeq([record.tree(4)]), out)
    lines = out.getvalue().rstrip("\n").split("\n")
    assert all(ln.startswith("  ") or not ln for ln in lines), lines
    return [(" " * dash + ln[2:]) if ln else ln for ln in lines]


# --------------------------------------------------------------------------------------------
# Where the record goes: an edit of the file's lines
# --------------------------------------------------------------------------------------------


@dataclass
class Edit:
    """Replace ``lines[start:stop]`` by ``new`` (``start == stop``: insert)."""

    start: int
    stop: int
    new: list[str]
    block_first: int  #: 0-based line of the record's first line in the result
    block_len: int

    def apply(self, lines: list[str]) -> list[str]:
        return [*lines[: self.start], *self.new, *lines[self.stop :]]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _span(lines: list[str], line: int, col: int) -> tuple[int, int, int]:
    """(first line, last line, dash column) of the block list item whose content starts at
    ``line``/``col`` (0-based; the last line inclusive).

    The item runs from its dash to the last line indented deeper than the dash (blank lines and
    comments inside included; trailing blank lines and comments at the dash's depth or less,
    which belong to what follows, excluded)."""
    start = line
    dash = lines[start].rfind("-", 0, col)
    while dash < 0 and start > 0:  # "-" alone on the line above its content
        start -= 1
        dash = lines[start].rfind("-")
    end = start
    for j in range(start + 1, len(lines)):
        if not _blank(lines[j]) and _indent(lines[j]) <= dash:
            break
        if not _blank(lines[j]):
            end = j
    return start, end, dash


def item_span(lines: list[str], seq: CommentedSeq, index: int) -> tuple[int, int, int]:
    line, col = seq.lc.item(index)
    return _span(lines, int(line), int(col))


def _record_end(lines: list[str], node: CommentedMap) -> int:
    """0-based last line of a record that is a list item."""
    return _span(lines, int(node.lc.line), int(node.lc.col))[1]


def _comments_above(lines: list[str], start: int, col: int) -> int:
    """Move ``start`` up over comment lines directly above it at column ``col``."""
    while (
        start > 0 and lines[start - 1].strip().startswith("#") and _indent(lines[start - 1]) == col
    ):
        start -= 1
    return start


def insert_item(
    lines: list[str],
    seq: CommentedSeq,
    record: Record,
    before: int | None = None,
    replace: int | None = None,
) -> Edit:
    """Put ``record`` into a block list that has items: before item ``before``, in place of item
    ``replace``, or at the end. A list whose items are separated by blank lines gets one with the
    new item too."""
    spans = [item_span(lines, seq, i) for i in range(len(seq))]
    dash = spans[0][2]
    body = render(record, dash)
    sep = len(spans) > 1 and _blank(lines[spans[1][0] - 1])
    if replace is not None:
        s, e, _ = spans[replace]
        return Edit(s, e + 1, body, s, len(body))
    if before is not None:
        s = _comments_above(lines, spans[before][0], dash)
        return Edit(s, s, [*body, ""] if sep else body, s, len(body))
    e = spans[-1][1] + 1
    return Edit(e, e, ["", *body] if sep else body, e + (1 if sep else 0), len(body))


def add_to_list(
    lines: list[str],
    node: CommentedMap,
    key: str,
    record: Record,
    *,
    before: int | None = None,
    replace: int | None = None,
    what: str | None = None,
) -> tuple[Edit, int]:
    """An edit putting ``record`` into the list ``key`` of the record ``node`` (a list item), and
    the new item's index. Without a list (no key, an empty ``key:`` or ``key: []``) the list is
    started: in place of the key's line, else after the record's last line."""
    seq = block_list(node, key, what or key)
    if seq:
        pos = replace if replace is not None else before if before is not None else len(seq)
        return insert_item(lines, seq, record, before, replace), pos
    col = int(node.lc.col)
    return _start(lines, node, key, record, col, _record_end(lines, node) + 1, False), 0


def add_to_top(
    lines: list[str],
    top: CommentedMap,
    key: str,
    record: Record,
    *,
    replace: int | None = None,
    before_keys: Sequence[str] = (),
    blank: bool = True,
) -> tuple[Edit, int]:
    """An edit putting ``record`` into the top-level list ``key``, and the new item's index.
    Without a list it is started in place of an empty ``key:``, else before the first of
    ``before_keys`` the file has (and the comments above it), else at the end of the file;
    ``blank``: a blank line separates the new list from what is around it."""
    seq = block_list(top, key, key)
    if seq:
        pos = replace if replace is not None else len(seq)
        return insert_item(lines, seq, record, None, replace), pos
    present = [k for k in before_keys if k in top]
    if key in top or not present:
        end = len(lines) - (1 if lines and lines[-1] == "" else 0)
        return _start(lines, top, key, record, 0, end, blank), 0
    s = _comments_above(lines, int(top.lc.key(present[0])[0]), 0)
    body = render(record, 2)
    new = [f"{key}:", *body, ""] if blank else [f"{key}:", *body]
    return Edit(s, s, new, s + 1, len(body)), 0


def _start(
    lines: list[str], node: CommentedMap, key: str, record: Record, col: int, at: int, blank: bool
) -> Edit:
    """Start the list ``key`` of ``node`` (keys at column ``col``) with ``record``: in place of the
    key's line when the key is there, else at line ``at`` (after a blank line if ``blank``)."""
    body = render(record, col + 2)
    head = " " * col + f"{key}:"
    if key in node:
        k = int(node.lc.key(key)[0])
        return Edit(k, k + 1, [head, *body], k + 1, len(body))
    if blank:
        return Edit(at, at, ["", head, *body], at + 2, len(body))
    return Edit(at, at, [head, *body], at + 1, len(body))


def new_file(header: Sequence[str], key: str, record: Record) -> Edit:
    """The edit that writes a new file: ``header`` comment lines, ``key:`` and the record."""
    body = render(record, 2)
    new = [*header, f"{key}:", *body]
    return Edit(0, 0, new, len(header) + 1, len(body))


# --------------------------------------------------------------------------------------------
# Line ends
# --------------------------------------------------------------------------------------------


def keep_line_ends(path: Path, text: str) -> str:
    """``text`` (read with universal newlines) with the line ends the file at ``path`` has: a file
    written with CRLF keeps CRLF (a byte-order mark is kept by the UTF-8 round trip itself)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return text
    return text.replace("\n", "\r\n") if b"\r\n" in raw else text
