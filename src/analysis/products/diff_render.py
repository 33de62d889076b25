"""The fact-level diff (:mod:`analysis.measures.datadiff`) rendered for people and tools.

:func:`render` gives one :class:`~analysis.measures.datadiff.DataDiff` as ``text`` (the terminal),
``markdown`` (a pull-request description), ``json``, ``changelog`` (the "data changes" section of
``CHANGELOG.md``) or ``html`` (a whole page in one file, :func:`render_page`, with the site's
stylesheet: :func:`analysis.products.pages.standalone_page`). :func:`render_changes` is the short
HTML or Markdown summary of :func:`~analysis.measures.datadiff.changes_since_release` a page shows.
"""

from __future__ import annotations

import html
import json
from typing import Any

from analysis.measures.datadiff import (
    FIELD_MAPS,
    KINDS,
    CellChange,
    DataDiff,
    FieldChange,
    IndexChange,
    RecordChange,
    moved,
)
from analysis.model.errors import UserError
from analysis.products.pages import standalone_page

FORMATS = ("text", "markdown", "json", "changelog", "html")


def _short(value: Any, width: int = 70) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        text = "[" + ", ".join(_short(v, 1000) for v in value) + "]"
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _prov(sources: list[str], confidence: str | None) -> str:
    ids = ", ".join(sources) if sources else "no source"
    return f"{confidence or '?'}: {ids}"


def _fmt_num(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def _index_text(i: IndexChange) -> str:
    o, n = i.old, i.new
    parts = []
    if moved(o["score"], n["score"]):
        parts.append(f"score {_fmt_num(o['score'])} → {_fmt_num(n['score'])}")
    if moved(o["low"], n["low"]) or moved(o["high"], n["high"]):
        parts.append(
            f"bounds {_fmt_num(o['low'])}–{_fmt_num(o['high'])} →"
            f" {_fmt_num(n['low'])}–{_fmt_num(n['high'])}"
        )
    if o.get("rank_label") != n.get("rank_label") or o["rank"] != n["rank"]:
        ro = o.get("rank_label") or _fmt_num(o["rank"])
        rn = n.get("rank_label") or _fmt_num(n["rank"])
        parts.append(f"rank {ro} → {rn}")
    if (o["rank_best"], o["rank_worst"]) != (n["rank_best"], n["rank_worst"]):
        parts.append(
            f"rank interval {_fmt_num(o['rank_best'])}–{_fmt_num(o['rank_worst'])} →"
            f" {_fmt_num(n['rank_best'])}–{_fmt_num(n['rank_worst'])}"
        )
    return "; ".join(parts)


def _cell_prov(c: CellChange) -> str:
    what = [c.new_confidence, "weak evidence" if c.new_evidence == "weak" else None]
    return ", ".join(x for x in what if x)


def _cell_text(c: CellChange) -> str:
    prov = _cell_prov(c)
    return f"{c.old_state or '(no cell)'} → {c.new_state or '(no cell)'}" + (
        f" ({prov})" if prov else ""
    )


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _headline(d: DataDiff) -> str:
    n = d.counts()
    records = (
        f"{_n(n['added'] + n['changed'] + n['removed'], 'record')} changed"
        f" ({n['added']} added, {n['changed']} corrected, {n['removed']} removed)"
    )
    if d.country and not d.records:
        records = f"no record of {d.country} changed"
    parts = [records]
    if d.effect:
        parts.append(f"{_n(n['cells'], 'panel cell')} changed state")
        if d.country:
            years = sorted({i.years for i in d.index if i.rank_moved})
            moved = f"its index rank moved in {', '.join(years)}" if years else "no rank moved"
            if years and not d.records:
                moved += " (because of changes elsewhere)"
            parts.append(moved)
        else:
            parts.append(f"index ranks moved for {_n(n['rank_moves'], 'jurisdiction')}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _title(d: DataDiff) -> str:
    return f"Data changes: {d.a.label} → {d.b.label}"


def _is_prov(name: str) -> bool:
    return name in ("sources", "confidence") or name.split(".")[0] in FIELD_MAPS


def _record_prov(r: RecordChange) -> str:
    if r.url:
        return r.url
    return _prov(r.sources, r.confidence) if r.confidence else ""


def _field_prov(f: FieldChange) -> str:
    return "" if _is_prov(f.field) or not f.confidence else _prov(f.sources, f.confidence)


def render_text(d: DataDiff, limit: int = 40) -> str:
    out = [_title(d), *([d.a.note] if d.a.note else []), *[f"note: {n}" for n in d.notes]]
    if not d.available:
        return "\n".join(out) + "\n"
    out.append(_headline(d))
    if d.empty:
        out.append("no changes")
        return "\n".join(out) + "\n"
    mark = {"added": "+", "removed": "-", "changed": "~"}
    if d.records:
        out += ["", "records (+ added, - removed, ~ changed)  [confidence: sources]"]
    for r in d.records:
        where = f" ({r.country})" if r.country else ""
        prov = _record_prov(r) if r.change != "changed" else ""
        out.append(
            f"  {mark[r.change]} {r.label}{where}  {r.file}" + (f"  [{prov}]" if prov else "")
        )
        for f in r.fields:
            fp = _field_prov(f)
            out.append(
                f"      {f.field}: {_short(f.old)} → {_short(f.new)}" + (f"  [{fp}]" if fp else "")
            )
    if d.cells:
        out.append("")
        out.append("adoption panel: cells whose state changed")
        for c in d.cells[:limit]:
            out.append(f"  {c.country} {c.mechanism} {c.years}: {_cell_text(c)}")
        if len(d.cells) > limit:
            out.append(f"  … and {len(d.cells) - limit} more (use --format json)")
    if d.index:
        out.append("")
        out.append("Multi-SEE index: scores and ranks that moved")
        for i in d.index[:limit]:
            star = " *" if d.year is not None and i.start <= d.year <= i.end else ""
            out.append(f"  {i.country} {i.years}{star}: {_index_text(i)}")
        if len(d.index) > limit:
            out.append(f"  … and {len(d.index) - limit} more (use --format json)")
        if d.year is not None and any(i.start <= d.year <= i.end for i in d.index):
            out.append(f"  (* includes {d.year}, the latest complete data year)")
    return "\n".join(out) + "\n"


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(d: DataDiff, limit: int = 60) -> str:
    out = [f"## {_title(d)}", ""]
    notes = ([d.a.note] if d.a.note else []) + d.notes
    out += [f"> {n}" for n in notes] + ([""] if notes else [])
    if not d.available:
        return "\n".join(out)
    out += [f"**{_headline(d)}**", ""]
    if d.empty:
        return "\n".join([*out, "No changes.", ""])
    if d.records:
        out += [
            "### Records",
            "",
            "| change | record | jurisdiction | field | before | after | confidence: sources |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in d.records:
            rec = f"{KINDS.get(r.kind, r.kind)} `{_md(r.key)}`"
            if r.change != "changed":
                prov = _record_prov(r)
                out.append(f"| {r.change} | {rec} | {r.country or ''} | | | | {_md(prov)} |")
            for f in r.fields:
                out.append(
                    f"| changed | {rec} | {r.country or ''} | `{f.field}` | {_md(_short(f.old))}"
                    f" | {_md(_short(f.new))} | {_md(_field_prov(f))} |"
                )
        out.append("")
    if d.effect and d.cells:
        out += [
            "### Effect on the adoption panel",
            "",
            "| jurisdiction | mechanism | years | before | after | confidence |",
            "|---|---|---|---|---|---|",
        ]
        for c in d.cells[:limit]:
            out.append(
                f"| {c.country} | {c.mechanism} | {c.years} | {c.old_state or '(no cell)'}"
                f" | {c.new_state or '(no cell)'} | {_cell_prov(c)} |"
            )
        if len(d.cells) > limit:
            out.append(f"\n… and {len(d.cells) - limit} more runs of cells.")
        out.append("")
    if d.effect and d.index:
        out += [
            "### Effect on the Multi-SEE index",
            "",
            "| jurisdiction | years | what moved |",
            "|---|---|---|",
        ]
        for i in d.index[:limit]:
            star = " (latest complete year)" if d.year and i.start <= d.year <= i.end else ""
            out.append(f"| {i.country} | {i.years}{star} | {_md(_index_text(i))} |")
        if len(d.index) > limit:
            out.append(f"\n… and {len(d.index) - limit} more.")
        out.append("")
    return "\n".join(out)


def render_changelog(d: DataDiff, version: str | None = None) -> str:
    """The "data changes" section for ``CHANGELOG.md``."""
    out = [f"### Data changes since {d.a.label}", ""]
    if not d.available:
        return "\n".join([*out, *[f"- {n}" for n in d.notes], ""])
    if d.empty:
        return "\n".join([*out, "- None.", ""])
    groups = [("added", "Added"), ("changed", "Corrected or completed"), ("removed", "Removed")]
    for change, title in groups:
        recs = [r for r in d.records if r.change == change]
        if not recs:
            continue
        out.append(f"{title}:")
        out.append("")
        for r in recs:
            where = f" ({r.country})" if r.country else ""
            what = f"{KINDS.get(r.kind, r.kind)} `{r.key}`{where}"
            if change == "changed":
                fields = ", ".join(
                    f"`{f.field}` {_short(f.old, 30)} → {_short(f.new, 30)}" for f in r.fields
                )
                out.append(f"- {what}: {fields}")
            elif r.kind == "source":
                out.append(f"- {what}: {r.url or ''}")
            else:
                prov = _record_prov(r)
                out.append(f"- {what}" + (f", {prov}" if prov else ""))
        out.append("")
    if d.effect:
        n = d.counts()
        movers = sorted({i.country for i in d.index if i.rank_moved})
        out.append(
            f"Effect: {_n(n['cells'], 'adoption-panel cell')} changed state"
            + (
                f"; index ranks moved for {', '.join(movers)}"
                if movers
                else "; no index rank moved"
            )
            + "."
        )
        out.append("")
    bump = d.bump()
    if version and bump != "none":
        out.append(
            f"Version: {bump} bump from {version} ({'new facts' if bump == 'minor' else 'corrections only'};"
            " a renamed or removed column also bumps the minor version while < 1.0)."
        )
        out.append("")
    return "\n".join(out)


def field_words(path: str) -> str:
    """A field path as a reader says it: ``field_sources.manager_since`` → "sources of manager
    since", ``editions.2016.url`` → "url of editions 2016"."""
    parts = [p.replace("_", " ") for p in str(path).split(".")]
    if parts[0] == "field sources" and len(parts) > 1:
        return "sources of " + " ".join(parts[1:])
    return " of ".join([parts[-1], " ".join(parts[:-1])]) if len(parts) > 1 else parts[0]


def _in_words(value: Any) -> Any:
    """A value for a page: a mapping as "key: value; ..." (never JSON), a list joined."""
    if isinstance(value, dict):
        return "; ".join(
            f"{field_words(k)}: {_short(_in_words(v), 1000)}" for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(_short(_in_words(v), 1000) for v in value)
    return value


def render_html(d: DataDiff, limit: int = 20, all_years: bool = False) -> str:
    """A self-contained HTML fragment (no scripts, no external resources) for a page: the index
    moves of the latest complete year only, unless ``all_years``."""
    e = html.escape
    since = e(d.a.label)
    head = f"<h2>Changes since {since}</h2>"
    if not d.available:
        note = e(d.notes[0]) if d.notes else "not available"
        return f'<section class="multisee-changes">{head}<p>Not available: {note}</p></section>\n'
    parts = ['<section class="multisee-changes">', head, f"<p>{e(_headline(d))}.</p>"]
    if d.empty:
        parts.append("<p>No changes.</p>")
    if d.records:
        parts.append('<ul class="records">')
        for r in d.records[:limit]:
            fields = ", ".join(
                f"{e(field_words(f.field))} {e(_short(_in_words(f.old), 40))} →"
                f" {e(_short(_in_words(f.new), 40))}"
                for f in r.fields
            )
            prov = e(_record_prov(r))
            parts.append(
                f"<li>{e(r.change)}: {e(KINDS.get(r.kind, r.kind))} <code>{e(r.key)}</code>"
                + (f": {fields}" if fields else (f" <small>({prov})</small>" if prov else ""))
                + "</li>"
            )
        if len(d.records) > limit:
            parts.append(f"<li>… and {len(d.records) - limit} more</li>")
        parts.append("</ul>")
    if d.cells:
        parts.append('<p>Adoption panel:</p><ul class="cells">')
        for c in d.cells[:limit]:
            parts.append(
                f"<li>{e(c.country)} {e(c.mechanism)} {e(c.years)}: {e(_cell_text(c))}</li>"
            )
        if len(d.cells) > limit:
            parts.append(f"<li>… and {len(d.cells) - limit} more</li>")
        parts.append("</ul>")
    if d.index:
        latest = [i for i in d.index if d.year is not None and i.start <= d.year <= i.end]
        if all_years:
            latest = []
        shown = latest or d.index[: limit if not all_years else None]
        label = f"Multi-SEE index in {d.year}:" if latest else "Multi-SEE index:"
        parts.append(f'<p>{e(label)}</p><ul class="index">')
        for i in shown[:limit]:
            parts.append(f"<li>{e(i.country)} {e(i.years)}: {e(_index_text(i))}</li>")
        parts.append("</ul>")
    for n in d.notes:
        parts.append(f'<p class="note"><small>{e(n)}</small></p>')
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def render_page(d: DataDiff) -> str:
    """A whole HTML page (doctype, charset, title, the site's stylesheet inlined; no scripts, no
    external resources) with every record, every panel run and the index moves of all years
    (``multisee diff --format html``)."""
    e = html.escape
    body = render_html(d, limit=10**9, all_years=True).replace(
        f"<h2>Changes since {e(d.a.label)}</h2>", f"<h1>{e(_title(d))}</h1>", 1
    )
    base = f"<p><small>{e(d.a.note)}</small></p>\n" if d.a.note else ""
    return standalone_page(_title(d), base + body)


def render(d: DataDiff, fmt: str = "text", version: str | None = None) -> str:
    if fmt == "text":
        return render_text(d)
    if fmt == "markdown":
        return render_markdown(d)
    if fmt == "json":
        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "changelog":
        return render_changelog(d, version)
    if fmt == "html":
        return render_page(d)
    raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def render_changes(d: DataDiff, fmt: str = "html") -> str:
    """A short summary of :func:`changes_since_release` for a page: ``html`` or ``markdown``."""
    if fmt == "html":
        return render_html(d)
    if fmt == "markdown":
        return render_markdown(d, limit=20)
    raise UserError(f"format must be html or markdown, not {fmt!r}")
