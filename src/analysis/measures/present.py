"""Presentation helpers for notebooks: escaped HTML tables, headings, source lists, plain values.

Every value from the data passes through ``html.escape`` (pandas' ``to_html`` escapes by default),
so a ``<script>`` in a YAML note shows as text in reports. :func:`jsonable_records` turns rows of
numpy/pandas values into the plain Python values a notebook records
(:func:`analysis.model.values.plain`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.model.values import plain, value_or_none
from analysis.model.vocab import CONFIDENCE_MARKS, SEP, label

TABLE_CSS = (
    "<style>.multisee-table th,.multisee-table td{text-align:left!important;"
    "vertical-align:top}</style>"
)
CONFIDENCE_MARK = CONFIDENCE_MARKS


#: Where a report page sits relative to the site root (``reports/<group>/<id>.html``).
SITE_ROOT = "../"
#: Columns holding source ids: each id links to its entry on the sources page.
SOURCE_COLUMNS = frozenset({"sources", "source_ids", "field_sources"})
#: Columns never relabelled (ids, free text, URLs).
RAW_COLUMNS = frozenset({"id", "url", "text", "notes", "description", "detail", "name", "tld"})


def source_anchor(source_id: str) -> str:
    """The anchor of a source on the sources page (``sources.html#src-<id>``)."""
    return "src-" + "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(source_id))


def source_link(source_id: str, root: str | None = None) -> str:
    """A source id as a link to its entry on the sources page, escaped."""
    root = SITE_ROOT if root is None else root
    href = html.escape(f"{root}sources.html#{source_anchor(source_id)}", quote=True)
    return f'<a class="source-id" href="{href}"><code>{html.escape(str(source_id))}</code></a>'


def _source_cell(value: Any) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        ids = [str(v) for v in value]
    elif _missing(value) or value == "":
        return ""
    else:
        ids = [v.strip() for v in str(value).replace(",", ";").split(";") if v.strip()]
    return ", ".join(source_link(i) for i in ids)


def display_value(value: Any) -> str:
    """A cell as shown (escaped): missing → empty, floats rounded to 3 decimals (whole floats as
    integers), codes as their human labels, lists joined."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return html.escape(SEP.join(label(v) for v in value))
    if _missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return str(int(f)) if f.is_integer() else f"{round(f, 3):g}"
    if isinstance(value, str):
        if SEP in value:
            return html.escape(SEP.join(label(v) for v in value.split(SEP)))
        return html.escape(label(value))
    return html.escape(str(value))


def humanise(fragment: str) -> str:
    """An HTML fragment made elsewhere (e.g. the changes section) with the enumerated codes it
    shows (``not_multistakeholder``, ``western_balkans``...) replaced by their labels."""
    import re

    from analysis.model.vocab import coded_labels

    codes = coded_labels()
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, codes)) + r")(?![\w-]|\.\w)")
    return pattern.sub(lambda m: html.escape(codes[m.group(1)]), fragment)


def table(
    df: pd.DataFrame,
    columns: Sequence[str] | Mapping[str, str],
    empty: str = "None recorded.",
    source_columns: Sequence[str] = (),
) -> str:
    """An HTML table of the chosen columns (a mapping renames them), escaped; codes shown as
    labels, floats rounded, source ids (columns in :data:`SOURCE_COLUMNS` or ``source_columns``)
    linked to the sources page."""
    if df is None or df.empty:
        return f"<p><em>{html.escape(empty)}</em></p>"
    cols = [c for c in columns if c in df.columns]
    linked = SOURCE_COLUMNS | set(source_columns)
    names = [columns[c] if isinstance(columns, Mapping) else c for c in cols]
    head = "".join(f"<th>{html.escape(str(n))}</th>" for n in names)
    rows = []
    for _, row in df[cols].iterrows():
        cells = []
        for c in cols:
            v = row[c]
            if c in linked:
                cells.append(_source_cell(v))
            elif c in RAW_COLUMNS and isinstance(v, str):
                cells.append(html.escape(v))
            else:
                cells.append(display_value(v))
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    return (
        TABLE_CSS
        + '<table class="dataframe multisee-table"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def heading(text: str, level: int = 2) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def notes(records: pd.DataFrame, name_column: str = "name", title: str = "Notes") -> str:
    """Each record's ``notes``, collapsed in a ``<details>`` (named by ``name_column``)."""
    if records is None or records.empty or "notes" not in records.columns:
        return ""
    items = []
    for _, r in records.iterrows():
        if _missing(r["notes"]) or not str(r["notes"]).strip():
            continue
        name = r.get(name_column) if name_column in records.columns else None
        if _missing(name) or not name:
            name = r.get("id", "")
        items.append(
            f"<li><strong>{html.escape(str(name))}</strong>:"
            f" {humanise(html.escape(str(r['notes'])))}</li>"
        )
    if not items:
        return ""
    return (
        f'<details class="multisee-notes"><summary>{html.escape(title)} ({len(items)})</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


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
            f"<li>{source_link(str(s['id']))} {html.escape(str(s['title']))}"
            f" ({html.escape(label(s.get('kind')))}, reliability"
            f" {html.escape(str(s.get('reliability')))}): {link}</li>"
        )
    return "<ol>" + "".join(items) + "</ol>"


def _missing(value: object) -> bool:
    return value_or_none(value) is None


def legend() -> str:
    return paragraph(
        "Confidence: sourced = read in a cited source; inferred = derived from sourced facts;"
        " recalled = a compiler's recollection, a lead to verify, not evidence."
    )


def jsonable_records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of ``df`` as plain dicts of the given columns (missing values become ``None``)."""
    return [{c: plain(row[c]) for c in columns} for _, row in df.iterrows()]
