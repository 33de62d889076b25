"""Validators for the command-line arguments, in one place.

Each is an ``argparse`` ``type=`` (a bad value is one line and exit status 2, before anything is
read or written) or, for the output paths, a check the command runs before its first write. They
are cheap: no pandas, no data loading (country codes are checked against the names of the data
files).

Output paths (``--out``) follow one rule: an existing directory means "write inside it" (under
the command's default file name); ``/`` and a path whose nearest existing ancestor is not a
writable directory are refused; where a directory is needed, an existing file is refused.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from analysis.model import paths
from analysis.model.errors import UserError
from analysis.model.vocab import MAX_YEAR, MIN_YEAR


def _fail(message: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(message)


def csv_list(value: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``."""
    return [v.strip() for v in value.split(",") if v.strip()]


def _int(value: str, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise _fail(f"{what}: not a whole number: {value!r}") from None


def positive_int(what: str) -> Callable[[str], int]:
    """A ``type=`` for a whole number of at least 1 (``--jobs``, ``--timeout``, ``--top``)."""

    def check(value: str) -> int:
        n = _int(value, "value")
        if n < 1:
            raise _fail(f"must be at least 1, not {n}")
        return n

    check.__name__ = what  # argparse names the type in its messages
    return check


def year(value: str) -> int:
    """A ``type=`` for a year of the data model (:data:`analysis.model.vocab.MIN_YEAR` to this year)."""
    y = _int(value, "year")
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise _fail(f"year {y} is outside {MIN_YEAR}-{MAX_YEAR}")
    return y


def years(value: str) -> list[int]:
    """A ``type=`` for comma-separated years (``2005,2010,2020``)."""
    items = csv_list(value)
    if not items:
        raise _fail("give at least one year, e.g. 2005,2010,2020")
    return [year(v) for v in items]


def choices(allowed: Sequence[str], what: str = "format") -> Callable[[str], list[str]]:
    """A ``type=`` for a comma-separated subset of ``allowed`` (``all``: every one)."""

    def check(value: str) -> list[str]:
        items = [v.lower().lstrip(".") for v in csv_list(value)]
        if items == ["all"]:
            return list(allowed)
        bad = [v for v in items if v not in allowed]
        if bad or not items:
            shown = ", ".join(bad) if bad else "nothing"
            raise _fail(f"unknown {what} {shown}: choose from {', '.join(allowed)}")
        return list(dict.fromkeys(items))

    check.__name__ = what
    return check


def known_countries() -> list[str]:
    """The jurisdiction codes of the data (the names of ``data/countries/*.yaml``)."""
    return sorted(p.stem for p in paths.COUNTRIES.glob("*.yaml"))


def country_codes(value: str) -> list[str]:
    """A ``type=`` for comma-separated jurisdiction codes (``RS,AM``) present in the data."""
    codes = [c.upper() for c in csv_list(value)]
    if not codes:
        raise _fail("give at least one country code, e.g. RS,AM")
    known = set(known_countries())
    bad = [c for c in codes if c not in known]
    if bad:
        raise _fail(f"unknown country {', '.join(bad)} (known: {', '.join(sorted(known))})")
    return codes


def peer_group_ids() -> list[str]:
    """The peer-group ids of ``data/peer_groups.yaml`` (read as text: no YAML parser needed)."""
    import re

    try:
        text = paths.PEER_GROUPS.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return re.findall(r"^\s*-\s*id:\s*['\"]?([\w.-]+)", text, re.M)


def selection(value: str) -> str:
    """A ``type=`` for a selection of jurisdictions: ``all``, a peer-group id or codes ``RS,AM``
    (returned as given, once checked)."""
    text = value.strip()
    if text.lower() == "all" or text in peer_group_ids():
        return text
    try:
        return ",".join(country_codes(text))
    except argparse.ArgumentTypeError:
        groups = ", ".join(peer_group_ids())
        raise _fail(
            f"unknown selection {text!r}: give 'all', a peer group ({groups}) or country codes"
            f" ({', '.join(known_countries())})"
        ) from None


def _writable_ancestor(path: Path, start: Path | None = None) -> None:
    """The nearest existing ancestor of ``start`` (default ``path``) must be a writable folder."""
    p = start if start is not None else path
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    if not p.is_dir():
        raise UserError(f"--out {path}: {p} is a file, not a directory")
    if not os.access(p, os.W_OK | os.X_OK):
        raise UserError(f"--out {path}: {p} is not writable")


def _refuse_root(path: Path) -> None:
    resolved = path.expanduser().resolve()
    if resolved == Path(resolved.anchor):
        raise UserError(f"--out {path}: refusing to write into {resolved}; give a sub-directory")


def out_dir(value: str | Path | None, default: Path) -> Path:
    """The output directory of ``--out`` (``default`` when not given), checked before writing."""
    path = Path(value).expanduser() if value is not None and str(value).strip() else default
    _refuse_root(path)
    if path.exists() and not path.is_dir():
        raise UserError(f"--out {path} is an existing file; give a directory")
    _writable_ancestor(path)
    return path


def out_file(value: str | Path | None, default: Path) -> Path:
    """The output file of ``--out``: ``default`` when not given; inside an existing directory
    (under ``default``'s name) when it names one; checked before writing."""
    if value is None or not str(value).strip():
        path = default
    else:
        path = Path(value).expanduser()
        _refuse_root(path)
        if path.is_dir():
            path = path / default.name
    if path.is_dir():
        raise UserError(f"--out {path} is a directory; give a file name")
    if path.exists() and not os.access(path, os.W_OK):
        raise UserError(f"--out {path} is not writable")
    _writable_ancestor(path, path.parent)
    return path
