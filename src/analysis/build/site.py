"""The report site: ``reports/index.html``, a static page that works offline from a file: URL.

It lists every product of the build (by group: jurisdictions, comparisons, maps), a filterable
table of all jurisdictions with the state of each mechanism, and links to the exported data and
the deck. Every value from the data is HTML-escaped.

:func:`site_inputs` hashes everything the page shows (the products' listing in the manifest, the
data and library it was made with, and which linked files exist), without pandas: ``multisee
build`` regenerates the page when that hash changed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from analysis.model import notices, paths
from analysis.model.atomic import atomic_write
from analysis.model.errors import UserError
from analysis.products.pages import (
    CSS,
    DATASET_TITLE,
    GROUP_TITLES,
    e,
    loaded_tables,
    page,
    page_link,
    page_title,
    year_line,
)

FILTER_JS = """
document.getElementById('filter').addEventListener('input', function(e){
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('#jurisdictions tbody tr').forEach(function(tr){
    tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
"""


def notebook_css() -> str:
    """The CSS nbconvert's lab template inlines in every page, written once to
    ``reports/assets/notebook.css``."""
    import re

    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.v4.new_notebook())
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", body, flags=re.S))


def write_assets(reports: Path | None = None) -> Path:
    """``reports/assets/``: the notebook CSS and the site CSS, once for every page."""
    reports = reports or paths.REPORTS
    assets = reports / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    atomic_write(assets / "notebook.css", notebook_css())
    atomic_write(assets / "site.css", CSS)
    return assets


def jurisdiction_rows() -> list[dict[str, Any]]:
    """One row per jurisdiction: the state of each mechanism, as the site's table shows it."""
    from analysis.model.load import load
    from analysis.model.vocab import label

    t = load()
    rows = []
    for _, c in t.countries.iterrows():
        code = c["code"]
        tl = (
            t.cctlds[(t.cctlds["country"] == code) & (t.cctlds["status"] == "active")]
            if not t.cctlds.empty
            else t.cctlds
        )
        ig = (
            t.igf_initiatives[t.igf_initiatives["country"] == code]
            if not t.igf_initiatives.empty
            else t.igf_initiatives
        )
        bd = t.ms_bodies[t.ms_bodies["country"] == code] if not t.ms_bodies.empty else t.ms_bodies
        ab = t.absences[t.absences["country"] == code] if not t.absences.empty else t.absences
        cctld = "; ".join(f".{r.tld}: {r.multistakeholder}" for r in tl.itertuples()) or (
            "none (" + ", ".join(label(f) for f in ab[ab["mechanism"] == "cctld"]["finding"]) + ")"
            if len(ab)
            else ""
        )
        nat = ig[ig["kind"] == "national"] if len(ig) else ig
        igf = "; ".join(
            f"{r.acronym if isinstance(r.acronym, str) else r.name} ({int(r.first_year) if r.first_year == r.first_year and r.first_year is not None else '?'}"
            f"–{int(r.last_year) if r.last_year == r.last_year and r.last_year is not None else '?'})"
            for r in nat.itertuples()
        ) or ("not found" if len(ab[ab["mechanism"] == "igf"]) else "")
        body = "; ".join(f"{r.name} (MS: {r.multistakeholder})" for r in bd.itertuples()) or (
            "not found" if len(ab[ab["mechanism"] == "body"]) else ""
        )
        rows.append(
            {
                "code": code,
                "name": c["name"],
                "subregion": c["subregion"],
                "eu_status": c.get("eu_status"),
                "cctld": cctld,
                "igf": igf,
                "body": body,
            }
        )
    return rows


#: Files the page links to when they exist (besides the maps folder).
LINKED_FILES = (
    ("Data package (datapackage.json + CSV)", "data/datapackage.json"),
    ("Excel workbook", "data/multisee.xlsx"),
    ("Session deck (PDF)", "deck.pdf"),
    ("Research queue: which unknown matters most", "gaps.html"),
    ("Build manifest", "manifest.json"),
)
#: What the page shows of each product.
PRODUCT_FIELDS = ("group", "title", "status", "outputs", "end", "duration_s", "error", "last_good")
MAP_FILES = ("*.png", "*.svg", "*.pdf", "*.gif")


def site_inputs(manifest: dict[str, Any], reports: Path | None = None) -> str:
    """Hash of everything :func:`write_site` reads: the page is regenerated when it changes.

    The jurisdictions table comes from the data (its hash), the product list from the manifest,
    the file links from which files exist; the page's own code is in the library hash.
    """
    reports = reports or paths.REPORTS
    maps_dir = reports / "maps"
    listed = {
        "build_list": manifest.get("build_list"),
        "products": {
            pid: {k: prod.get(k) for k in PRODUCT_FIELDS}
            for pid, prod in manifest.get("products", {}).items()
        },
        "data_hash": manifest.get("data_hash"),
        "library": manifest.get("library"),
        "git_commit": manifest.get("git_commit"),
        "updated": manifest.get("updated"),
        "maps": sorted(p.name for pat in MAP_FILES for p in maps_dir.glob(pat))
        if maps_dir.exists()
        else [],
        "files": [href for _, href in LINKED_FILES if (reports / href).exists()],
        "csv": sorted(p.name for p in (reports / "data").glob("*.csv"))
        if (reports / "data").exists()
        else [],
        "release": _release_key(),
    }
    return hashlib.sha256(json.dumps(listed, sort_keys=True, default=str).encode()).hexdigest()


def _changes_html() -> str:
    """What changed since the last release, for the index (computed once per site build)."""
    try:
        from analysis.measures.datadiff import changes_since_release
        from analysis.measures.present import humanise
        from analysis.products.diff_render import render_changes

        return humanise(render_changes(changes_since_release()))
    except UserError as exc:  # an expected condition (no release yet, no git): said on the page
        reason = str(exc)
    except Exception as exc:  # never fail the site for the diff, but never swallow it either
        reason = notices.degraded("site: changes since the last release", exc)
    return f"<section><h2>Changes since the last release</h2><p>Not available: {e(reason)}</p></section>"


def _release_key() -> str | None:
    """The last release the "changes" section is measured from (its commit)."""
    try:
        from analysis.model.release import last_release

        return last_release().commit
    except UserError:  # no release yet, or not a git checkout
        return None
    except Exception as exc:
        notices.degraded("site: the last release", exc)
        return None


def write_site(manifest: dict[str, Any], reports: Path | None = None) -> Path:
    """The index page, the sources, method, data and codebook pages, and the shared assets."""
    reports = reports or paths.REPORTS
    reports.mkdir(parents=True, exist_ok=True)
    write_assets(reports)
    dh = manifest.get("data_hash")
    write_sources_page(reports, dh)
    write_method_page(reports, dh)
    write_codebook_page(reports, dh)
    write_data_page(reports, dh)
    return write_index(manifest, reports)


def write_index(manifest: dict[str, Any], reports: Path) -> Path:
    from analysis.model.vocab import label

    products: dict[str, Any] = manifest.get("products", {})
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for pid in manifest.get("build_list", sorted(products)):
        prod = products.get(pid)
        if prod is None:
            continue
        groups.setdefault(prod.get("group") or pid.split("/")[0], []).append((pid, prod))

    parts = [
        "<header class='site-header'><h1>multisee reports</h1><p>National multistakeholder"
        " Internet governance in South Eastern Europe and the neighbouring area (SEE+): ccTLD"
        " registries, national IGF initiatives and national multistakeholder bodies.</p></header>",
        f"<p>{e(year_line())} How the states, the index and the ranks are derived:"
        f" {page_link('method.html', 'method')}; every source: {page_link('sources.html', 'sources')};"
        f" downloads: {page_link('data.html', 'data')}.</p>",
    ]
    parts.append("<h2 id='table'>All jurisdictions</h2>")
    parts.append(
        "<label for='filter'>Filter the jurisdictions</label> "
        "<input id='filter' type='search' placeholder='e.g. Western Balkans, yes, IGF'>"
    )
    parts.append(
        "<table id='jurisdictions'><thead><tr><th>Code</th><th>Jurisdiction</th><th>Subregion</th>"
        "<th>EU status</th><th>ccTLD: MS model</th><th>National IGF (first–last edition)</th>"
        "<th>MS bodies</th></tr></thead><tbody>"
    )
    rows = jurisdiction_rows()
    for r in rows:
        pid = f"countries/{r['code']}"
        prod = products.get(pid)
        name = (
            page_link(prod["outputs"]["html"], r["name"])
            if prod and prod.get("outputs") and prod.get("status") == "ok"
            else e(r["name"])
        )
        parts.append(
            f"<tr><td>{e(r['code'])}</td><td>{name}</td><td>{e(label(r['subregion']))}</td>"
            f"<td>{e(label(r['eu_status']) if r['eu_status'] else '')}</td>"
            f"<td>{e(r['cctld'])}</td><td>{e(r['igf'])}</td><td>{e(r['body'])}</td></tr>"
        )
    parts.append("</tbody></table>")
    order = [*GROUP_TITLES, *[g for g in groups if g not in GROUP_TITLES]]
    for g in order:
        prods = groups.get(g, [])
        gid = "jurisdictions" if g == "countries" else g
        parts.append(f"<h2 id='{e(gid)}'>{e(GROUP_TITLES.get(gid, gid.title()))}</h2><ul>")
        for pid, prod in prods:
            title = page_title(pid, prod.get("title") or pid)
            if g == "jurisdictions":
                title = title.split(": ", 1)[-1]
            if prod.get("status") == "ok":
                parts.append(
                    f"<li>{page_link(prod['outputs']['html'], title)} <span class='muted'>"
                    f"{e(prod.get('end'))}</span></li>"
                )
            else:
                out = prod.get("outputs") or {}
                failed = page_link(out["html"], "partial output") if out.get("html") else ""
                good = prod.get("last_good") or {}
                last = page_link(good["html"], "last good report") if good.get("html") else ""
                parts.append(
                    f"<li>{e(title)} <span class='failed'>failed: {e(prod.get('error'))}</span>"
                    f" {failed} {last}</li>"
                )
        files = _map_files(reports) if g == "maps" else []
        parts += files
        if not prods and not files:
            parts.append("<li class='muted'>None built.</li>")
        parts.append("</ul>")
    parts.append(
        f"<h2 id='explorer'>Explorer</h2><p>{page_link('explorer/index.html', 'The interactive explorer')}:"
        " a map, a chart and a table by year for each mechanism and the Multi-SEE index,"
        " a comparison of two years, the sources of each view, downloads and embed"
        " code.</p>"
    )
    parts.append(_changes_html())
    parts.append(
        f"<p class='muted'>Data hash {e((manifest.get('data_hash') or '')[:12])}; code"
        f" {e(manifest.get('git_commit'))}; updated {e(manifest.get('updated'))}.</p>"
    )
    parts.append(f"<script>{FILTER_JS}</script>")
    out = reports / "index.html"
    atomic_write(out, page(DATASET_TITLE, "\n".join(parts), [], manifest.get("data_hash")))
    return out


def write_sources_page(reports: Path, data_hash: str | None = None) -> Path:
    """``reports/sources.html``: every source of the registry with its anchor (``#src-<id>``)."""
    from analysis.measures.present import source_anchor
    from analysis.model.vocab import label

    src = loaded_tables().sources
    cols = [
        ("title", "title"),
        ("publisher", "publisher"),
        ("kind", "kind"),
        ("reliability", "reliability"),
        ("url", "URL"),
        ("accessed", "accessed"),
        ("archived", "archived"),
    ]
    from analysis.measures.selection import country_names

    names = country_names(loaded_tables())
    rows = []
    where_of: dict[str, str] = {}
    for _, r in src.sort_values("id").iterrows():
        where = _source_place(r.get("file"), names)
        where_of[where] = where
        cells = [f"<td><code>{e(r['id'])}</code></td>", f"<td>{e(where)}</td>"]
        for c, _ in cols:
            v = r.get(c)
            if c == "url" and isinstance(v, str) and v:
                cells.append(f"<td class='url'>{page_link(v, v)}</td>")
            elif c in ("kind", "reliability"):
                cells.append(f"<td>{e(label(v) if isinstance(v, str) else v)}</td>")
            else:
                cells.append(f"<td>{e(v)}</td>")
        data = {
            "where": where,
            "kind": label(r["kind"]) if isinstance(r.get("kind"), str) else "",
            "reliability": label(r["reliability"]) if isinstance(r.get("reliability"), str) else "",
        }
        attrs = "".join(f" data-{k}='{e(v)}'" for k, v in data.items())
        rows.append(f"<tr id='{e(source_anchor(r['id']))}'{attrs}>{''.join(cells)}</tr>")
    head = "".join(f"<th>{e(h)}</th>" for h in ("id", "jurisdiction", *[h for _, h in cols]))
    filters = "".join(
        f"<label>{e(title)} <select data-filter='{key}'><option value=''>all</option>"
        + "".join(f"<option>{e(v)}</option>" for v in values)
        + "</select></label> "
        for key, title, values in (
            ("where", "Jurisdiction", sorted(where_of)),
            ("kind", "Kind", sorted({label(k) for k in src["kind"].dropna().astype(str)})),
            ("reliability", "Reliability", ["high", "medium", "low"]),
        )
    )
    body = (
        f"<h1>Sources</h1><p>{len(rows)} sources: every source id on a report links here. Each"
        " URL is the address exactly as archived; reliability is the compiler's rating (high:"
        " primary or authoritative; medium: secondary but careful; low: weak).</p>"
        f"<form class='source-filters' role='search' aria-label='filter the sources'>{filters}"
        "<output id='sources-shown' aria-live='polite'></output></form>"
        f"<table id='sources'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<script>{SOURCES_JS}</script>"
    )
    out = reports / "sources.html"
    atomic_write(out, page("Sources", body, [("Sources", None)], data_hash))
    return out


SOURCES_JS = """
(function(){
  var sels = document.querySelectorAll('select[data-filter]');
  function apply(){
    var n = 0, rows = document.querySelectorAll('#sources tbody tr');
    rows.forEach(function(tr){
      var ok = Array.prototype.every.call(sels, function(s){
        return !s.value || tr.dataset[s.dataset.filter] === s.value; });
      tr.style.display = ok ? '' : 'none'; if (ok) n++;
    });
    document.getElementById('sources-shown').textContent = n + ' of ' + rows.length + ' shown';
  }
  sels.forEach(function(s){ s.addEventListener('change', apply); });
  apply();
})();
"""


def _source_place(file: Any, names: dict[str, str]) -> str:
    """The jurisdiction a source was registered for (from its file, ``data/sources/RS.yaml``),
    as its name; the shared files by what they hold."""
    stem = Path(str(file)).stem if isinstance(file, str) and file else ""
    if stem in names:
        return names[stem] + ("*" if stem == "XK" else "")
    return {"regional": "regional", "peers": "peer groups"}.get(stem, stem or "unknown")


def _md(text: str) -> str:
    import mistune

    return str(mistune.html(text))


def write_codebook_page(reports: Path, data_hash: str | None = None) -> Path:
    """``reports/codebook.html``: the codebook (``docs/codebook.md``, regenerated) as HTML."""
    from analysis.products.codebook import render_codebook

    body = _md(render_codebook())
    out = reports / "codebook.html"
    atomic_write(
        out, page("Codebook", body, [("Method", "method.html"), ("Codebook", None)], data_hash)
    )
    return out


def method_intro() -> str:
    """The method page's text before the panel rules; every number comes from the code
    (:mod:`analysis.measures.method`)."""
    from analysis.measures.method import index_method, method_numbers

    year = method_numbers()["typology_year"]
    return f"""
# Method

This page says in plain words how the reports are made. The full definitions of every table,
field and code are in the [codebook](codebook.html) (also `docs/codebook.md` in the repository).

## The mechanisms

Each jurisdiction is described by the three national multistakeholder (MS) mechanisms named by
the SEEDIG {year} session "Multi-SEE model": **the ccTLD registry** (is the manager of the country
code top-level domain run on a multistakeholder model?), **a national IGF initiative** (a national
Internet Governance Forum with yearly editions) and **a national multistakeholder body** (a council
or platform guiding Internet policy, graded like the ccTLD: multistakeholder, partly, or
government-led).

## States, year by year

For each jurisdiction, mechanism and year the adoption panel gives one state. A year the data do
not speak to is *unknown*, never "no": a missing record is not a claim. Every state carries the
confidence of what it rests on (sourced, inferred, recalled) and its sources; evidence resting on
recalled facts or only on low-reliability sources is marked weak.

## The Multi-SEE index and its bounds

{index_method()}

## Shared ranks and the year rule

Jurisdictions with the same score share a rank, printed "=N" (two jurisdictions tied for the
same place both show "=N"). Every page states its data year: by default the *latest complete data
year*, the latest year the data reach that has also ended; a page that chose another year says
so.
"""


def write_method_page(reports: Path, data_hash: str | None = None) -> Path:
    """``reports/method.html``: mechanisms, states and rules, the index and its bounds, shared ranks
    and the year rule; the panel rules from the codebook."""
    from analysis.products import codebook

    text = method_intro() + f"\nThe current default: {year_line()}\n"
    # no fallback: a method page without the panel rules would pass silently, so an error in the
    # codebook fails the site build
    rules = codebook._panel_rules()[1:]
    if not any(line.strip() for line in rules):
        raise ValueError("codebook: the adoption panel rules are empty; the method page needs them")
    text += "\n## The rules of the adoption panel (from the codebook)\n\n" + "\n".join(rules)
    body = _md(text)
    out = reports / "method.html"
    atomic_write(out, page("Method", body, [("Method", None)], data_hash))
    return out


def _map_files(reports: Path) -> list[str]:
    """List items linking the map files (PNG with its SVG and PDF, animated GIFs)."""
    maps_dir = reports / "maps"
    pngs = sorted(maps_dir.glob("*.png")) if maps_dir.exists() else []
    gifs = sorted(maps_dir.glob("*.gif")) if maps_dir.exists() else []
    out = []
    for png in pngs:
        alts = " ".join(
            page_link(f"maps/{png.stem}.{ext}", ext.upper())
            for ext in ("svg", "pdf")
            if (maps_dir / f"{png.stem}.{ext}").exists()
        )
        out.append(f"<li>Map file: {page_link(f'maps/{png.name}', png.stem)} {alts}</li>")
    for gif in gifs:
        out.append(f"<li>{page_link(f'maps/{gif.name}', gif.stem)} (animated, year by year)</li>")
    return out


def write_data_page(reports: Path, data_hash: str | None = None) -> Path:
    """``reports/data.html``: the exports, the deck, the maps and the research queue."""
    parts = ["<h1>Data and downloads</h1><ul>"]
    for label_, href in LINKED_FILES:
        if (reports / href).exists():
            parts.append(f"<li>{page_link(href, label_)}</li>")
        else:
            parts.append(f"<li>{e(label_)} <span class='muted'>(not built yet)</span></li>")
    parts.append(f"<li>{page_link('codebook.html', 'Codebook')}</li>")
    parts.append(f"<li>{page_link('sources.html', 'Sources')}</li></ul>")
    data_dir = reports / "data"
    csvs = sorted(data_dir.glob("*.csv")) if data_dir.exists() else []
    if csvs:
        parts.append("<h2 id='csv'>CSV tables</h2><ul>")
        parts += [f"<li>{page_link(f'data/{c.name}', c.name)}</li>" for c in csvs]
        parts.append("</ul>")
    parts.append("<h2 id='map-files'>Map files for sessions (PNG 300 dpi, SVG, PDF, GIF)</h2><ul>")
    parts += _map_files(reports)
    parts.append("</ul>")
    out = reports / "data.html"
    atomic_write(out, page("Data", "\n".join(parts), [("Data", None)], data_hash))
    return out
