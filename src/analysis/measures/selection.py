"""Which jurisdictions and which year a product shows: one selection, one year rule, one panel cache.

Every page, map, deck and table chooses its jurisdictions with :func:`select` and its year with
:func:`resolve_year`, so that a country profile, a comparison and a map made from the same data
show the same year unless told otherwise.

Selections
----------
``"all"`` (or ``"region"``, or ``None``) is the *core* jurisdictions of the SEE+ study; add the
reference case (Switzerland) with ``reference=True``. A peer-group id from
``data/peer_groups.yaml`` or country codes (``"RS,HR"``, ``["RS", "HR"]``) select exactly those.
Which jurisdictions are *ranked* never depends on the selection: it is the ``scope_role`` column
of the panel and the index.

Years
-----
The default year is the *latest complete data year* (:func:`complete_year`): the latest year the
data reach that has also ended. A given year is checked against the panel's years.

Periods
-------
What a ranking measures is a :class:`Period` from :func:`resolve_period`, the one resolver of
year and window (it calls :func:`resolve_year`): by default the latest complete data year; when
that year is *thinly documented* (more than :data:`THIN_SHARE` of the core jurisdictions'
mechanism-years unknown), the ranking is the *stock* over the :data:`DEFAULT_WINDOW` years that end
in it (:mod:`analysis.measures.stock`), and the period's :attr:`Period.note` states the rule, the window and
the reason. A chosen year ranks that year alone unless a window is given.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from analysis.model.clock import this_year
from analysis.model.clock import today as clock_today
from analysis.model.errors import UserError
from analysis.model.vocab import MIN_YEAR, SEP, display_code

if TYPE_CHECKING:
    import pandas as pd

    from analysis.model.load import Tables

#: Years in the default stock window (:mod:`analysis.measures.stock`).
DEFAULT_WINDOW = 5
#: A year is thinly documented when more than this share of the core cells is unknown.
THIN_SHARE = 1 / 3

#: Names that select the core jurisdictions.
ALL_NAMES = ("all", "region")


@dataclass(frozen=True)
class Selection:
    """Sorted jurisdiction codes, a human label, and whether the reference case is among them."""

    codes: tuple[str, ...]
    label: str
    includes_reference: bool


def _roles(tables: Tables) -> dict[str, str]:
    c = tables.countries
    if c.empty:
        return {}
    return dict(zip(c["code"].astype(str), c["scope_role"].astype(str), strict=True))


def country_names(tables: Tables) -> dict[str, str]:
    """Jurisdiction code -> name."""
    c = tables.countries
    if c.empty:
        return {}
    return dict(zip(c["code"].astype(str), c["name"].astype(str), strict=True))


def core_codes(tables: Tables | None = None) -> list[str]:
    """Codes of the core jurisdictions (``scope_role: core``), sorted."""
    if tables is None:
        from analysis.model.load import load

        tables = load()
    return sorted(c for c, r in _roles(tables).items() if r == "core")


def _codes_of(spec: str | Iterable[str], tables: Tables) -> tuple[list[str], str | None]:
    """(codes, group label or None) of a peer-group id or a list of codes."""
    roles = _roles(tables)
    groups = tables.peer_groups
    ids = sorted(groups["id"].astype(str)) if not groups.empty else []
    label: str | None = None
    if isinstance(spec, str):
        name = spec.strip()
        if name in ids:
            row = groups.loc[groups["id"] == name].iloc[0]
            return sorted(m for m in str(row["members"]).split(SEP) if m), str(row["name"])
        parts = [p for p in re.split(r"[,\s;]+", name) if p]
        if not parts or not all(re.fullmatch(r"[A-Za-z]{2}", p) for p in parts):
            raise UserError(
                f"unknown selection {spec!r} (known: all, region, {', '.join(ids)}, "
                "or country codes such as 'RS,HR')"
            )
        raw: list[str] = parts
    else:
        raw = [str(c) for c in spec]
    out: list[str] = []
    for c in raw:
        code = c.strip().upper()
        if code not in roles:
            raise UserError(f"unknown country {c!r} (known: {', '.join(sorted(roles))})")
        if code not in out:
            out.append(code)
    if not out:
        raise UserError("empty selection: give at least one country code")
    return sorted(out), label


def select(
    spec: str | Iterable[str] | None = None,
    tables: Tables | None = None,
    *,
    reference: bool = False,
) -> Selection:
    """Resolve a selection: ``None``/``"all"``/``"region"``, a peer-group id, or country codes.

    ``reference=True`` adds the reference case(s) to ``"all"``; explicit groups and codes are
    taken as given. Unknown names or codes raise a one-line :class:`UserError`.
    """
    if tables is None:
        from analysis.model.load import load

        tables = load()
    roles = _roles(tables)
    names = country_names(tables)
    if isinstance(spec, str) and not spec.strip():
        raise UserError("no countries given: use 'all', a peer-group id or codes such as 'RS,HR'")
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ALL_NAMES):
        core = core_codes(tables)
        refs = sorted(c for c, r in roles.items() if r != "core") if reference else []
        codes = sorted([*core, *refs])
        label = f"the {len(core)} core jurisdictions"
        if refs:
            label += " and the reference case" + ("s" if len(refs) > 1 else "")
            label += f" ({', '.join(names.get(c, c) for c in refs)})"
        return Selection(tuple(codes), label, bool(refs))
    codes, group = _codes_of(spec, tables)
    if group is not None:
        label = f"{group}, {len(codes)} jurisdictions"
    else:
        label = ", ".join(f"{names.get(c, c)} ({display_code(c)})" for c in codes)
    return Selection(tuple(codes), label, any(roles.get(c) != "core" for c in codes))


# --------------------------------------------------------------------------------------------
# Years
# --------------------------------------------------------------------------------------------


def as_year(value: Any, what: str = "year") -> int:
    """``value`` as a year (2024, 2024.0, "2024"), else a one-line :class:`UserError`."""
    if isinstance(value, bool):
        raise UserError(f"{what} must be a year such as 2024, got {value!r}")
    try:
        import numpy as np

        if isinstance(value, np.integer):
            return int(value)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    raise UserError(f"{what} must be a year such as 2024, got {value!r}")


def _year(x: Any) -> int | None:
    """The year of a ``YYYY[-MM[-DD]]`` string or a number, ``None`` if missing or NaN."""
    if x is None or (isinstance(x, float) and x != x):
        return None
    if isinstance(x, str):
        m = re.match(r"^\s*(\d{4})", x)
        return int(m.group(1)) if m else None
    try:
        return int(x)
    except (TypeError, ValueError):  # pandas' NA
        return None


def latest_data_year(tables: Tables) -> int:
    """The latest year found in editions, events and establishment dates, capped at today."""
    years: list[int] = []
    for df, cols in (
        (tables.igf_editions, ("year",)),
        (tables.cctld_events, ("date",)),
        (tables.igf_initiatives, ("established", "first_year")),
        (tables.ms_bodies, ("established", "ended")),
        (tables.cctlds, ("manager_since", "delegated")),
    ):
        for col in cols:
            if col in df:
                years.extend(y for y in (_year(x) for x in df[col]) if y is not None)
    today = this_year()
    return min(max(years, default=today), today)


def complete_year(tables: Tables, today: _dt.date | None = None) -> int:
    """The latest complete data year: the latest year the data reach that has also ended."""
    year = (today or clock_today()).year
    return min(latest_data_year(tables), year - 1)


def year_note(year: int, default: bool) -> str:
    """The sentence every page states about its year."""
    if default:
        return f"Data year {year}: the latest complete data year."
    return f"Data year {year} (chosen; the default is the latest complete data year)."


def resolve_year(year: Any, panel: pd.DataFrame, tables: Tables | None = None) -> int:
    """``year`` checked against the panel's years; ``None``: the latest complete data year."""
    lo, hi = int(panel["year"].min()), int(panel["year"].max())
    if year is None:
        if tables is None:
            from analysis.model.load import load

            tables = load()
        return max(lo, min(complete_year(tables), hi))
    y = as_year(year)
    if not lo <= y <= hi:
        raise UserError(f"no data for year {y}: the panel covers {lo}-{hi}")
    return y


def resolve_range(start: Any, end: Any, latest: int) -> tuple[int, int]:
    """(start, end) with ``MIN_YEAR <= start <= end <= latest``; ``end=None`` is ``latest``."""
    s = as_year(start, "start")
    e = latest if end is None else as_year(end, "end")
    if s < MIN_YEAR:
        raise UserError(f"start year {s} is before {MIN_YEAR}, the earliest year in the data model")
    if e > latest:
        raise UserError(f"end year {e} is after the latest data year {latest}")
    if e < s:
        raise UserError(f"end year {e} is before start year {s}")
    return s, e


def _whole(x: Any) -> int | None:
    """``x`` as a whole number (5, 5.0, "5"), else ``None``."""
    if isinstance(x, bool):
        return None
    if isinstance(x, str):
        return int(x) if x.strip().isdigit() else None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else None


def unknown_share(panel: pd.DataFrame, year: int) -> float:
    """Share of the core jurisdictions' mechanism cells of ``year`` that are ``unknown``."""
    rows = panel[panel["year"] == year]
    if "scope_role" in rows:
        rows = rows[rows["scope_role"] == "core"]
    return float((rows["state"] == "unknown").mean()) if len(rows) else 1.0


@dataclass(frozen=True)
class Period:
    """What a ranking measures: the ``window`` years ending in ``year`` (1: that year alone)."""

    year: int
    window: int
    reason: str
    default: bool

    @property
    def first(self) -> int:
        """The window's first year."""
        return self.year - self.window + 1

    @property
    def is_stock(self) -> bool:
        return self.window > 1

    @property
    def label(self) -> str:
        """``"2021-2025"`` or ``"2025"``."""
        return f"{self.first}-{self.year}" if self.is_stock else str(self.year)

    @property
    def measure(self) -> str:
        """What is ranked, in words (without the reason)."""
        if self.is_stock:
            return (
                f"the share of the {self.window} years {self.label} in which each mechanism is"
                f" evidenced (stock; ties separated by the {self.window} years before)"
            )
        return f"the states of {self.year} alone"

    @property
    def note(self) -> str:
        """The sentence every product that shows a ranking states: year rule, window, reason."""
        return f"Ranking: {self.measure}. {self.reason}"


def resolve_period(
    year: Any, panel: pd.DataFrame, tables: Tables | None = None, window: Any = None
) -> Period:
    """The year and window a ranking measures (see the module docstring, "Periods").

    ``year=None`` is the latest complete data year (:func:`resolve_year`); ``window=None`` is
    :data:`DEFAULT_WINDOW` years when that default year is thinly documented (more than
    :data:`THIN_SHARE` of its core cells unknown), else the year alone. A given ``window`` (a
    positive whole number of years, 1 = the year alone) is used as given.
    """
    y = resolve_year(year, panel, tables)
    share = unknown_share(panel, y)
    rule = (
        f"{y} is the latest complete data year" if year is None else f"{y} was chosen"
    ) + f"; {share:.0%} of its core mechanism-years are unknown"
    if window is not None:
        w = _whole(window)
        if w is None or not 1 <= w <= 100:
            raise UserError(f"window must be a whole number of years from 1 to 100, got {window!r}")
        return Period(y, w, f"Window chosen ({rule}).", year is None)
    if year is None and share > THIN_SHARE:
        reason = (
            f"Why: {rule}, more than {THIN_SHARE:.0%}, so one year would rank how much was"
            " documented rather than what was adopted."
        )
        return Period(y, DEFAULT_WINDOW, reason, True)
    return Period(y, 1, f"Why: {rule}.", year is None)
