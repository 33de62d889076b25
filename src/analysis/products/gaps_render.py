"""The research queue (:func:`analysis.measures.gaps.gaps`) rendered for people.

Text for the terminal, Markdown, CSV, or a standalone HTML page (``multisee gaps --format html``,
``reports/gaps.html``) in the site's look (:func:`analysis.products.pages.standalone_page`).
"""

from __future__ import annotations

import html

import pandas as pd

from analysis.products.pages import standalone_page

#: What the page says the queue is, above the table.
INTRO = (
    "Every unknown or weak-evidence span of the adoption panel and every mechanism"
    " searched and not found, ranked by how far resolving it could move the Multi-SEE"
    " rank intervals of the default comparison year (<em>impact</em>: the largest change"
    " in any jurisdiction's best or worst attainable rank when the gap is set to its best"
    " or worst state). Unknown is never 'no'."
)


def render_page(shown: pd.DataFrame, cols: list[str]) -> str:
    """The queue's rows as a whole page: columns ``cols``, then what was searched."""
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(getattr(r, c)))}</td>" for c in cols)
        + f"<td>{html.escape(str(r.searched or ''))}</td></tr>"
        for r in shown.itertuples()
    )
    header = "".join(f"<th>{html.escape(c)}</th>" for c in [*cols, "searched"])
    body = (
        "<p><a href='index.html'>&larr; multisee reports</a></p>\n"
        "<h1>Research queue: which unknown matters most</h1>\n"
        f"<p>{INTRO}</p>\n"
        f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>\n"
    )
    return standalone_page("multisee: research queue", body)


def render_gaps(frame: pd.DataFrame, fmt: str = "text", top: int | None = None) -> str:
    """The research queue as text (terminal), Markdown, CSV or a standalone offline HTML page."""
    shown = frame.head(top) if top else frame
    cols = ["priority", "country", "mechanism", "from_year", "to_year", "impact", "look_for"]
    if fmt == "csv":
        return shown.to_csv(index=False)
    if fmt == "markdown":
        head = "| " + " | ".join([*cols, "searched"]) + " |"
        lines = [head, "|" + "---|" * (len(cols) + 1)]
        for r in shown.itertuples():
            cells = [str(getattr(r, c)) for c in cols] + [str(r.searched or "")]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines) + "\n"
    if fmt == "html":
        return render_page(shown, cols)
    width = {
        c: max(len(c), *(len(str(v)) for v in shown[c])) if len(shown) else len(c)
        for c in cols[:-1]
    }
    lines = ["  ".join(c.ljust(width[c]) for c in cols[:-1]) + "  look_for [searched]"]
    for r in shown.itertuples():
        done = f" [searched: {r.searched}]" if r.searched else ""
        lines.append(
            "  ".join(str(getattr(r, c)).ljust(width[c]) for c in cols[:-1])
            + f"  {r.look_for}{done}"
        )
    return "\n".join(lines) + "\n"
