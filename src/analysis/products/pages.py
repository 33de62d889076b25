"""The chrome every page of the report site shares: navigation, breadcrumbs, page titles without
slugs, a country page's related links, and the footer (the data year, the Kosovo* footnote where XK
appears, the "cite this page" line).

Used by :mod:`analysis.build.site` (the site's own pages) and by :func:`analysis.build.execute.to_html` (the
report pages built from notebooks), and :func:`standalone_page`, the one-file page of ``multisee
diff --format html`` and ``multisee gaps --format html`` with the site's stylesheet inlined. Every
value is HTML-escaped; nothing here imports pandas at import time.
"""

from __future__ import annotations

import html
from string import Template
from typing import Any

from analysis.model.paths import ASSETS

#: The page of a standalone HTML file (``multisee diff --format html``, ``multisee gaps --format
#: html``): one file, readable offline, with the site's stylesheet inlined (no script, no link).
STANDALONE = ASSETS / "templates" / "standalone" / "page.html"

#: The site's own stylesheet, written once to ``reports/assets/site.css``.
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1d}
.site-header{background:#0b3d62;color:#fff;padding:1.2em 2em}.site-header h1{margin:0;font-size:1.8em}
.site-header p{margin:.3em 0 0}
nav.site-nav{background:#e9eef3;padding:.5em 2em;font-family:system-ui,sans-serif;font-size:15px}
nav.site-nav a{margin-right:1.3em;color:#0b3d62}
nav.breadcrumbs{padding:.4em 2em;font-size:.9em;color:#555;font-family:system-ui,sans-serif}
nav.breadcrumbs a{color:#0b3d62}
main.site-main{padding:1em 2em;max-width:1200px}table{border-collapse:collapse;width:100%;font-size:.92em}
.site-main th,.site-main td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
.site-main th{background:#f4f6f8}.failed{color:#b00020;font-weight:bold}.muted{color:#666;font-size:.9em}
input#filter{padding:.4em;width:20em;margin:.5em 0}
footer.site-footer{padding:1em 2em;color:#444;font-size:.85em;border-top:1px solid #ddd;
font-family:system-ui,sans-serif;max-width:1200px}
footer.site-footer p{margin:.3em 0}.related{padding:.2em 2em;font-family:system-ui,sans-serif;font-size:.9em}
tr:target{background:#fff6d6}a.source-id code{color:#0b3d62}
#sources{table-layout:fixed}#sources td{overflow-wrap:anywhere;word-break:break-word}
#sources th:nth-child(1){width:11%}#sources th:nth-child(2){width:8%}#sources th:nth-child(3){width:22%}
#sources th:nth-child(6){width:16%}form.source-filters{margin:.5em 0;display:flex;gap:1em;flex-wrap:wrap}
label[for=filter]{margin-right:.5em}
details.multisee-notes{margin:.5em 0}
"""

#: The navigation bar of every page: (label, path from the site root).
NAV: tuple[tuple[str, str], ...] = (
    ("Home", "index.html"),
    ("Jurisdictions", "index.html#jurisdictions"),
    ("Comparisons", "index.html#comparisons"),
    ("Maps", "index.html#maps"),
    ("Analyses", "index.html#analyses"),
    ("Explorer", "explorer/index.html"),
    ("Data", "data.html"),
    ("Method", "method.html"),
    ("Sources", "sources.html"),
)
#: Group id → its heading on the site.
GROUP_TITLES = {
    "jurisdictions": "Jurisdictions",
    "comparisons": "Comparisons",
    "maps": "Maps",
    "analyses": "Analyses",
}
DATASET_TITLE = "multisee: national multistakeholder Internet governance in SEE+"


def e(value: Any) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return html.escape(str(value))


def page_link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{e(text)}</a>'


def nav(root: str = "") -> str:
    """The navigation bar; ``root`` is the path from the page to the site root ("" or "../")."""
    links = "".join(page_link(root + href, label) for label, href in NAV)
    return f'<nav class="site-nav" aria-label="site">{links}</nav>'


def breadcrumbs(root: str, trail: list[tuple[str, str | None]]) -> str:
    """ "Home › Group › Page": ``trail`` is (label, href from the root or None for the page)."""
    parts = [page_link(root + "index.html", "Home")]
    for label, href in trail:
        parts.append(page_link(root + href, label) if href else e(label))
    return '<nav class="breadcrumbs" aria-label="breadcrumbs">' + " › ".join(parts) + "</nav>"


def loaded_tables() -> Any:
    from analysis.model.load import load

    return load()


def data_year() -> int:
    """The default data year every page states (the latest complete data year)."""
    from analysis.measures.selection import complete_year

    return complete_year(loaded_tables())


def year_line(year: int | None = None) -> str:
    from analysis.measures.selection import year_note

    return year_note(data_year() if year is None else year, True)


def cite_line(title: str, data_hash: str | None, date: str | None = None) -> str:
    """The "cite this page" line: dataset title, version, page title, data hash, date."""
    from analysis.model.clock import today
    from analysis.model.release import package_version

    date = (date or today().isoformat())[:10]
    h = f", data hash {(data_hash or '')[:12]}" if data_hash else ""
    return (
        f"Cite this page: {DATASET_TITLE}, version {package_version()}, “{title}”{h},"
        f" {date}. Data CC BY 4.0."
    )


def mentions_kosovo(text: str) -> bool:
    import re

    return bool(re.search(r"\bXK\b|Kosovo", text))


def footer(title: str, data_hash: str | None, date: str | None, text: str) -> str:
    """The footer of every page: the data year, the Kosovo* footnote when the page shows XK,
    and the cite line."""
    from analysis.model.vocab import KOSOVO_FOOTNOTE

    parts = ['<footer class="site-footer">', f"<p>{e(year_line())}</p>"]
    if mentions_kosovo(text):
        parts.append(f"<p>{e(KOSOVO_FOOTNOTE)}</p>")
    parts.append(f'<p class="cite">{e(cite_line(title, data_hash, date))}</p></footer>')
    return "".join(parts)


def page_title(pid: str, title: str) -> str:
    """A product's page title without slugs: "Comparison: EU member states", "Country profile:
    Serbia", "Map: National IGF initiatives"."""
    from analysis.model.vocab import MAP_TITLES

    group, _, slug = pid.partition("/")
    t = loaded_tables()
    if group == "countries":
        names = dict(zip(t.countries["code"], t.countries["name"], strict=False))
        if slug in names:
            return f"Country profile: {names[slug]}"
    if group == "comparisons":
        pg = dict(zip(t.peer_groups["id"], t.peer_groups["name"], strict=False))
        if slug in pg:
            return f"Comparison: {pg[slug]}"
    if group == "maps":
        return "Map: " + MAP_TITLES.get(slug, "the Multi-SEE index")
    return title


def related(code: str, root: str = "../") -> str:
    """A country page's links: the comparisons it belongs to, the maps, the explorer."""
    from analysis.model.vocab import MAP_TITLES

    t = loaded_tables()
    comps = [page_link(root + "comparisons/region.html", "all SEE+ jurisdictions")]
    for _, g in t.peer_groups.iterrows():
        members = g["members"]
        if isinstance(members, str):
            members = [m.strip() for m in members.replace(";", ",").split(",")]
        if code in list(members):
            comps.append(page_link(f"{root}comparisons/{g['id']}.html", g["name"]))
    maps = [
        page_link(f"{root}maps/{m}.html", MAP_TITLES.get(m, "Multi-SEE index"))
        for m in ("cctld", "igf", "body", "index")
    ]
    explorer = page_link(
        f"{root}explorer/index.html#countries={code}&view=chart", "open in the explorer"
    )
    timeline = page_link(root + "comparisons/timeline.html", "timeline")
    return (
        '<div class="related"><p><strong>Comparisons:</strong> '
        + ", ".join(comps)
        + f"; {timeline}.</p><p><strong>Maps:</strong> "
        + ", ".join(maps)
        + f". <strong>Explorer:</strong> {explorer}.</p></div>"
    )


def report_chrome(prov: dict[str, Any], title: str, text: str) -> tuple[str, str, str]:
    """(page title, header, footer) of a report page built from a notebook: navigation,
    breadcrumbs, a country page's related links; the data year, the Kosovo* footnote, the cite
    line. ``prov`` is the notebook's ``metadata.multisee``, ``text`` the page's body.

    Errors propagate: the report then fails with the error in the manifest, never ships without
    its footer (Kosovo* footnote, cite line) or its links."""
    pid = str(prov.get("id") or "")
    shown = page_title(pid, title)
    group, _, slug = pid.partition("/")
    trail: list[tuple[str, str | None]] = []
    if group:
        gid = "jurisdictions" if group == "countries" else group
        trail.append((GROUP_TITLES.get(gid, gid.title()), f"index.html#{gid}"))
    trail.append(
        (shown.split(": ", 1)[-1] if group in ("countries", "comparisons", "maps") else shown, None)
    )
    head = nav("../") + breadcrumbs("../", trail)
    if group == "countries" and slug:
        head += related(slug)
    # no fallback: a page without its footer would drop the Kosovo* footnote and the cite line,
    # so an error here fails the report (the build records it) rather than passing silently
    foot = footer(shown, prov.get("data_hash"), prov.get("end"), text)
    return shown, head, foot


def page(title: str, body: str, trail: list[tuple[str, str | None]], data_hash: str | None) -> str:
    """A page at the site root with the shared chrome."""
    return "\n".join(
        [
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            "<meta name='viewport' content='width=device-width, initial-scale=1'>",
            f"<title>{e(title)}</title>",
            '<link rel="stylesheet" href="assets/site.css"></head><body>',
            nav("") + (breadcrumbs("", trail) if trail else ""),
            f"<main class='site-main'>{body}</main>",
            footer(title, data_hash, None, body),
            "</body></html>",
        ]
    )


def standalone_page(title: str, body: str) -> str:
    """A whole page in one file (:data:`STANDALONE`): doctype, charset, the escaped ``title``,
    the site's :data:`CSS` inlined, and ``body`` (HTML, already escaped) as its main part."""
    template = Template(STANDALONE.read_text(encoding="utf-8"))
    return template.substitute(title=e(title), css=CSS, body=body)
