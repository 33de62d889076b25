"""Presentation helpers for notebooks: escaped HTML tables, headings, source lists, plain values.

Every value from the data passes through ``html.escape`` (pandas' ``to_html`` escapes by default),
so a ``<script>`` in a YAML note shows as text in reports. :func:`plain` and
:func:`jsonable_records` turn numpy/pandas values into the plain Python values a notebook records.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .vocab import CONFIDENCE_MARKS

TABLE_CSS = (
    "<style>.multisee-table th,.multisee-table td{text-align:left!important;"
    "vertical-align:top}</style>"
)
CONFIDENCE_MARK = CONFIDENCE_MARKS


def table(
    df: pd.DataFrame, columns: Sequence[str] | Mapping[str, str], empty: str = "None recorded."
) -> str:
    """An HTML table of the chosen columns (a mapping renames them), escaped."""
    if df is None or df.empty:
        return f"<p><em>{html.escape(empty)}</em></p>"
    cols = list(columns)
    present = [c for c in cols if c in df.columns]
    out = df[present].copy()
    for col in out.columns:  # whole-number floats (ints with gaps) print as integers
        if pd.api.types.is_float_dtype(out[col]) and (out[col].dropna() % 1 == 0).all():
            out[col] = out[col].astype("Int64")
    if isinstance(columns, Mapping):
        out = out.rename(columns={c: columns[c] for c in present})
    out = out.astype(object).where(out.notna(), "")
    return TABLE_CSS + out.to_html(index=False, escape=True, border=0, classes="multisee-table")


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def sources_list(sources: pd.DataFrame) -> str:
    """An ordered list of sources with their links (URL shown as archived)."""
    if sources.empty:
        return "<p><em>No sources.</em></p>"
    items = []
    for _, row in sources.iterrows():
        s = {k: (None if _missing(v) else v) for k, v in row.items()}
        where = s.get("url") or ""
        if where:
            link = f'<a href="{html.escape(where, quote=True)}">{html.escape(where)}</a>'
        elif s.get("repository"):
            link = html.escape(f"repository {s['repository']}, {s.get('repo_path') or ''}")
        else:
            link = html.escape(f"{s.get('path') or ''}")
        items.append(
            f"<li><code>{html.escape(str(s['id']))}</code> {html.escape(str(s['title']))}"
            f" ({html.escape(str(s.get('kind')))}, reliability {html.escape(str(s.get('reliability')))}): {link}</li>"
        )
    return "<ol>" + "".join(items) + "</ol>"


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def legend() -> str:
    return paragraph(
        "Confidence: sourced = read in a cited source; inferred = derived from sourced facts;"
        " recalled = a compiler's recollection, a lead to verify, not evidence."
    )


def plain(value: Any) -> Any:
    """A plain Python value: ``None`` for missing, int/float/bool for numpy and pandas scalars."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value


def jsonable_records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of ``df`` as plain dicts of the given columns (missing values become ``None``)."""
    return [{c: plain(row[c]) for c in columns} for _, row in df.iterrows()]
