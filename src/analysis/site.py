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
import html
import json
from pathlib import Path
from typing import Any

from . import paths
from .atomic import atomic_write

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1d}
header{background:#0b3d62;color:#fff;padding:1.2em 2em}header h1{margin:0;font-size:1.8em}
header p{margin:.3em 0 0}nav{background:#e9eef3;padding:.5em 2em}nav a{margin-right:1.5em}
main{padding:1em 2em;max-width:1200px}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f4f6f8}.failed{color:#b00020;font-weight:bold}.muted{color:#666;font-size:.9em}
input#filter{padding:.4em;width:20em;margin:.5em 0}footer{padding:1em 2em;color:#555;font-size:.85em}
"""

FILTER_JS = """
document.getElementById('filter').addEventListener('input', function(e){
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('#jurisdictions tbody tr').forEach(function(tr){
    tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
"""


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


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{e(text)}</a>'


def jurisdiction_rows() -> list[dict[str, Any]]:
    """One row per jurisdiction: the state of each mechanism, as the site's table shows it."""
    from .load import load

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
            "none (" + ", ".join(ab[ab["mechanism"] == "cctld"]["finding"]) + ")" if len(ab) else ""
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
    }
    return hashlib.sha256(json.dumps(listed, sort_keys=True, default=str).encode()).hexdigest()


def write_site(manifest: dict[str, Any], reports: Path | None = None) -> Path:
    reports = reports or paths.REPORTS
    products: dict[str, Any] = manifest.get("products", {})
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for pid in manifest.get("build_list", sorted(products)):
        prod = products.get(pid)
        if prod is None:
            continue
        groups.setdefault(prod.get("group") or pid.split("/")[0], []).append((pid, prod))

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>multisee: national multistakeholder Internet governance in SEE+</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>multisee reports</h1><p>National multistakeholder Internet governance in South"
        " Eastern Europe and the neighbouring area (SEE+): ccTLD registries, national IGF initiatives"
        " and national multistakeholder bodies.</p></header>",
        "<nav>"
        + "".join(f'<a href="#{e(g)}">{e(g.title())}</a>' for g in groups)
        + '<a href="#table">All jurisdictions</a><a href="#data">Data</a></nav><main>',
    ]
    parts.append("<h2 id='table'>All jurisdictions</h2>")
    parts.append(
        "<input id='filter' type='search' placeholder='Filter (e.g. western_balkans, yes, IGF)'>"
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
            _link(prod["outputs"]["html"], r["name"])
            if prod and prod.get("outputs") and prod.get("status") == "ok"
            else e(r["name"])
        )
        parts.append(
            f"<tr><td>{e(r['code'])}</td><td>{name}</td><td>{e(r['subregion'])}</td><td>{e(r['eu_status'])}</td>"
            f"<td>{e(r['cctld'])}</td><td>{e(r['igf'])}</td><td>{e(r['body'])}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(
        "<p class='muted'>Kosovo*: This designation is without prejudice to positions on status,"
        " and is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of"
        " independence.</p>"
    )
    names = {f"countries/{r['code']}": r["name"] for r in rows}
    for g, prods in groups.items():
        parts.append(f"<h2 id='{e(g)}'>{e(g.title())}</h2><ul>")
        for pid, prod in prods:
            title = names.get(pid) or prod.get("title") or pid
            if prod.get("status") == "ok":
                parts.append(
                    f"<li>{_link(prod['outputs']['html'], title)} <span class='muted'>"
                    f"{e(prod.get('end'))}, {e(prod.get('duration_s'))} s</span></li>"
                )
            else:
                out = prod.get("outputs") or {}
                failed = _link(out["html"], "partial output") if out.get("html") else ""
                good = prod.get("last_good") or {}
                last = _link(good["html"], "last good report") if good.get("html") else ""
                parts.append(
                    f"<li>{e(title)} <span class='failed'>failed: {e(prod.get('error'))}</span>"
                    f" {failed} {last}</li>"
                )
        parts.append("</ul>")
    maps_dir = reports / "maps"
    pngs = sorted(maps_dir.glob("*.png")) if maps_dir.exists() else []
    gifs = sorted(maps_dir.glob("*.gif")) if maps_dir.exists() else []
    if pngs or gifs:
        parts.append(
            "<h2 id='map-files'>Map files for sessions (PNG 300 dpi, SVG, PDF, GIF)</h2><ul>"
        )
        for png in pngs:
            alts = " ".join(
                _link(f"maps/{png.stem}.{ext}", ext.upper())
                for ext in ("svg", "pdf")
                if (maps_dir / f"{png.stem}.{ext}").exists()
            )
            parts.append(f"<li>{_link(f'maps/{png.name}', png.stem)} {alts}</li>")
        for gif in gifs:
            parts.append(f"<li>{_link(f'maps/{gif.name}', gif.stem)} (animated, year by year)</li>")
        parts.append("</ul>")
    parts.append("<h2 id='data'>Data</h2><ul>")
    for label, href in LINKED_FILES:
        if (reports / href).exists():
            parts.append(f"<li>{_link(href, label)}</li>")
    parts.append("</ul></main>")
    parts.append(
        f"<footer>Data hash {e(manifest.get('data_hash', '')[:12])}; code {e(manifest.get('git_commit'))};"
        f" updated {e(manifest.get('updated'))}. Data CC BY 4.0.</footer>"
    )
    parts.append(f"<script>{FILTER_JS}</script></body></html>")
    out = reports / "index.html"
    atomic_write(out, "\n".join(parts))
    return out
