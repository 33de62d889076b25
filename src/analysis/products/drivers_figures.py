"""Figures and HTML for the ``drivers`` notebook (issue 13): event-history curves with their bounds,
first-adoption intervals per jurisdiction, and the replicability notes and external roles with
their source ids. Products layer: matplotlib (``Figure``, no pyplot), escaped HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from analysis.measures import present
from analysis.measures.borders import MAIN, MATRICES
from analysis.measures.drivers import Drivers
from analysis.measures.drivers_cases import CaseNote, Statement
from analysis.measures.drivers_model import READINGS
from analysis.measures.drivers_timing import VARIANT_LABELS, VARIANTS
from analysis.model.vocab import (
    CONFIDENCE_MARKS,
    GREY,
    INK,
    MECHANISM_COLOURS,
    MECHANISM_LABELS,
    MUTED,
    display_code,
)

_GRID = "#E5E5E5"


def _style(ax: Any) -> None:
    ax.grid(color=_GRID, lw=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _p(d: Drivers, mechanism: str) -> str:
    """``OR 0.7 [0.1, 4.7], p = 0.68`` of the main neighbour test (``not testable``)."""
    r = d.test_row(mechanism, f"neighbours-{MAIN}")
    if r is None or r["p_value"] is None or pd.isna(r["p_value"]):
        return "not testable"
    return (
        f"OR {float(r['odds_ratio']):.1f} [{float(r['ci_low']):.1f}, {float(r['ci_high']):.1f}], "
        f"p = {float(r['p_value']):.2f}"
    )


def event_history_figure(d: Drivers, title: str = "") -> Figure:
    """One panel per mechanism: jurisdictions that had adopted it by each year -- first year seen
    (solid, unknown counted as not adopted), first year possible (dashed, unknown counted as
    adopted) and the determined cases (dotted) -- with the start of EuroDIG and SEEDIG, and each
    adoption (first year seen) marked filled when a neighbour had adopted before, hollow when not.
    Each title gives n, the undetermined cases and the neighbour test's p-values."""
    mechs = list(d.mechanisms)
    fig = Figure(figsize=(3.9 * len(mechs) + 0.6, 4.1), layout="constrained")
    axes = fig.subplots(1, len(mechs), sharey=True, squeeze=False)[0]
    n = len(d.codes)
    for ax, m in zip(axes, mechs, strict=True):
        h = d.histories[m]
        x = h["year"].to_numpy(dtype=float)
        col = MECHANISM_COLOURS[m]
        ax.fill_between(
            x,
            h["adopted_pessimistic"],
            h["adopted_optimistic"],
            step="mid",
            color=GREY,
            alpha=0.3,
            lw=0,
        )
        ax.step(x, h["adopted_optimistic"], where="mid", color=MUTED, lw=1.1, ls="--")
        ax.step(x, h["adopted_known"], where="mid", color=INK, lw=1.1, ls=":")
        ax.step(x, h["adopted_pessimistic"], where="mid", color=col, lw=2)
        ev = h[h["adoptions"] > 0]
        for _, r in ev.iterrows():
            y = float(r["adopted_pessimistic"])
            k, e = int(r["adoptions"]), int(r["adoptions_exposed"])
            for i in range(k):
                filled = i < e
                ax.plot(
                    r["year"],
                    y - i * 0.45,
                    "o",
                    ms=5.5,
                    mec=col,
                    mfc=col if filled else "white",
                    zorder=3,
                )
        for _, r in d.regional.iterrows():
            s = r["start"]
            if pd.notna(s) and d.window[0] <= int(s) <= d.window[1]:
                ax.axvline(int(s), color=MUTED, lw=0.8, ls=(0, (4, 3)))
                ax.text(
                    int(s) - 0.4,
                    n + 0.2,
                    str(r["acronym"]),
                    rotation=90,
                    va="top",
                    ha="right",
                    fontsize=8,
                    color=MUTED,
                )
        und = int(h["undetermined"].iloc[0]) if len(h) else 0
        ax.set_title(
            f"{MECHANISM_LABELS[m]}: n = {n}, {und} undetermined\nafter a neighbour: {_p(d, m)}",
            fontsize=9.5,
        )
        ax.set_ylim(0, n + 0.5)
        ax.set_xlim(d.window[0] - 0.5, d.window[1] + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("year", fontsize=9)
        _style(ax)
    axes[0].set_ylabel("jurisdictions adopted", fontsize=9)
    handles = [
        Line2D([], [], color=INK, lw=2, label="first year seen (unknown = not adopted)"),
        Line2D([], [], color=MUTED, lw=1.1, ls="--", label="first year possible (unknown = adopted)"),
        Line2D([], [], color=INK, lw=1.1, ls=":", label="determined cases only"),
        Patch(color=GREY, alpha=0.3, label="range over the unknowns"),
        Line2D([], [], ls="", marker="o", mec=INK, mfc=INK, label="adoption, a neighbour before"),
        Line2D([], [], ls="", marker="o", mec=INK, mfc="white", label="adoption, no neighbour before"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    fig.suptitle(
        title
        or f"When the mechanisms appeared: {d.label}, {d.window[0]}-{d.window[1]} "
        f"({d.n_permutations} permutations)",
        fontsize=11,
    )
    return fig


def first_adoption_figure(d: Drivers, title: str = "") -> Figure:
    """One row per jurisdiction, one lane per mechanism: a dot at the first year seen adopted
    (filled: known; hollow: an upper bound, with a line back to the first possible year), a faint
    line over the years an unknown first adoption may fall in, ``x`` at the right edge when never
    adopted (every year known)."""
    codes = list(d.codes)
    mechs = list(d.mechanisms)
    f = d.first.set_index(["country", "mechanism"])
    lo, hi = d.window
    fig = Figure(figsize=(9.5, 1.4 + 0.36 * len(codes)), layout="constrained")
    ax = fig.subplots()
    step = 0.24
    for i, c in enumerate(codes):
        for j, m in enumerate(mechs):
            if (c, m) not in f.index:
                continue
            r = f.loc[(c, m)]
            y = i + (j - (len(mechs) - 1) / 2) * step
            col = MECHANISM_COLOURS[m]
            st = r["status"]
            first, earliest = r["first_year"], r["earliest"]
            if st == "known":
                ax.plot(first, y, "o", ms=6, color=col, zorder=3)
            elif st == "by":
                ax.plot([earliest, first], [y, y], color=col, lw=1.4, alpha=0.7)
                ax.plot(first, y, "o", ms=6, mec=col, mfc="white", mew=1.4, zorder=3)
            elif st == "unknown":
                ax.plot([earliest, hi], [y, y], color=col, lw=1, alpha=0.3, ls=(0, (2, 2)))
            else:
                ax.plot(hi + 0.8, y, "x", ms=5, color=col)
    ax.set_yticks(range(len(codes)), [display_code(c) for c in codes], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(lo - 0.8, hi + 1.6)
    ax.set_xlabel("year", fontsize=9)
    _style(ax)
    handles = [
        Line2D([], [], ls="", marker="o", color=MECHANISM_COLOURS[m], label=MECHANISM_LABELS[m])
        for m in mechs
    ] + [
        Line2D([], [], ls="", marker="o", mec=INK, mfc=INK, label="first year known"),
        Line2D([], [], color=INK, marker="o", mfc="white", label="adopted by (line: may be earlier)"),
        Line2D([], [], color=INK, alpha=0.3, ls=(0, (2, 2)), label="unknown: may fall here or never"),
        Line2D([], [], ls="", marker="x", color=INK, label="never adopted (all years known)"),
    ]  # fmt: skip
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    counts = d.counts().set_index("mechanism")
    sub = "; ".join(
        f"{MECHANISM_LABELS[m]}: {counts.loc[m, 'known']} known, {counts.loc[m, 'by']} upper "
        f"bounds, {counts.loc[m, 'unknown']} unknown"
        for m in mechs
    )
    fig.suptitle(
        (title or f"First adoption of each mechanism: {d.label}") + f"\n{sub}", fontsize=10
    )
    return fig


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


#: Mechanism codes as words on the page (tables, orders such as "cctld → igf", findings).
MECHANISM_WORDS: dict[str, str] = {"cctld": "ccTLD", "igf": "IGF"}
_ACTOR_RE = re.compile(r"(?<![\w/.#=-])[A-Z]+(?:_[A-Z]+)+(?![\w-])")
_MECH_RE = re.compile(r"(?<![\w/.#=-])(cctld|igf)(?![\w-]|\.\w)")


def words(fragment: str) -> str:
    """An HTML fragment with the bare mechanism codes (``cctld``, ``igf``) and the timing variants
    in words (ids, URLs and source ids, where the codes sit inside longer tokens, are left)."""
    out = _MECH_RE.sub(lambda m: MECHANISM_WORDS[m.group(1)], fragment)
    out = _ACTOR_RE.sub(lambda m: m.group(0).replace("_", " "), out)  # RIPE_NCC -> RIPE NCC
    for v, label in VARIANT_LABELS.items():
        out = out.replace(f"<td>{v}</td>", f"<td>{html.escape(label)}</td>")
    return out


def _e(x: Any) -> str:
    return html.escape(str(x))


def _sources(ids: Iterable[str]) -> str:
    ids = [i for i in ids if i]
    if not ids:
        return "<span class='muted'>[no source id]</span>"
    return "[" + ", ".join(f"<code>{_e(i)}</code>" for i in ids) + "]"


def statement_html(s: Statement) -> str:
    """One statement: its text, its confidence mark, ``derived`` if computed, its source ids."""
    mark = CONFIDENCE_MARKS.get(s.confidence or "", "")
    tag = " <em>(derived from coded data)</em>" if s.derived else ""
    conf = f" {mark} {_e(s.confidence)}" if s.confidence else ""
    recalled = (
        " <strong>recalled: a lead, not evidence</strong>" if s.confidence == "recalled" else ""
    )
    return f"<li>{_e(s.text)}{tag}{conf}{recalled} {_sources(s.sources)}</li>"


def notes_html(notes: Sequence[CaseNote], empty: str = "No success case in this selection.") -> str:
    """Every note as a heading and a list of statements."""
    if not notes:
        return f"<p><em>{_e(empty)}</em></p>"
    parts = []
    for n in notes:
        parts.append(
            f"<h4>{_e(n.name)} ({_e(display_code(n.country))}): "
            f"{_e(MECHANISM_LABELS.get(n.mechanism, n.mechanism))}, first adoption {_e(n.first)}</h4>"
        )
        parts.append("<ul>" + "".join(statement_html(s) for s in n.statements) + "</ul>")
    return words("".join(parts))


def roles_html(roles: pd.DataFrame) -> str:
    """The external-role assessments, one item per assessment, quoting the text with its sources."""
    if roles.empty:
        return "<p><em>No external role coded for this selection.</em></p>"
    items = []
    for _, g in roles.groupby("assessment", sort=False):
        r = g.iloc[0]
        who = ", ".join(g["actor"])
        where = f"{display_code(r['country'])} " if r["country"] else "regional: "
        conf = r["confidence"] or ""
        flag = " <strong>recalled: a lead, not evidence</strong>" if conf == "recalled" else ""
        items.append(
            f"<li><strong>{_e(where)}{_e(r['mechanism_id'])}</strong> ({_e(r['mechanism'])}, "
            f"outcome: {_e(r['outcome'])}; actors: {_e(who)}): “{_e(r['text'])}” "
            f"{CONFIDENCE_MARKS.get(conf, '')} {_e(conf)}{flag} "
            f"{_sources(str(r['sources']).split('; '))}</li>"
        )
    return words("<ul>" + "".join(items) + "</ul>")


#: Columns of the model's result tables.
TEST_COLUMNS: dict[str, str] = {
    "mechanism": "mechanism",
    "exposure": "exposure",
    "reading": "unknown years",
    "n": "n",
    "events": "adoptions",
    "exposed_events": "when exposed",
    "expected": "expected",
    "odds_ratio": "odds ratio",
    "interval": "95% interval",
    "p_value": "p (permutation)",
    "p_holm": "p (Holm)",
    "power_or2": "power at OR 2",
    "power_or3": "power at OR 3",
    "mde": "minimum detectable OR",
    "confidence": "basis",
    "sources": "sources",
    "note": "note",
}


def tests_frame(d: Drivers, family: str, role: str | None = None) -> pd.DataFrame:
    """The model's rows of one family (``neighbours``, ``regional``, ``groups``) for display:
    mechanism and reading as words, the interval as text, power as shares, no codes."""
    t = d.tests[d.tests["family"] == family]
    if role is not None:
        t = t[t["role"] == role]
    t = t.copy()
    t["mechanism"] = t["mechanism"].map(MECHANISM_LABELS)
    t["reading"] = t["reading"].map(READINGS)
    t["interval"] = [
        "" if pd.isna(lo) else f"{lo:.2f} to {hi:.2f}"
        for lo, hi in zip(t["ci_low"], t["ci_high"], strict=True)
    ]
    t["mde"] = [
        "" if pd.isna(p) else ("above 10" if pd.isna(m) else f"{m:.1f}")
        for p, m in zip(t["p_value"], t["mde"], strict=True)
    ]
    for col, fmt in (("events", "{:.1f}"), ("exposed_events", "{:.1f}"), ("expected", "{:.1f}"),
                     ("odds_ratio", "{:.2f}"), ("p_value", "{:.3f}"), ("p_holm", "{:.2f}"),
                     ("power_or2", "{:.0%}"), ("power_or3", "{:.0%}")):  # fmt: skip
        t[col] = ["" if v is None or pd.isna(v) else fmt.format(float(v)) for v in t[col]]
    return t.reset_index(drop=True)


def tests_html(d: Drivers, family: str, role: str | None = None) -> str:
    """One family of the model's results as an HTML table."""
    return present.table(tests_frame(d, family, role), TEST_COLUMNS, empty="No test.")


def narratives_html(d: Drivers) -> str:
    """The case narratives: the outcome, dated steps, undated roles and motivations, and the
    derived tests of the four explanations, each with its sources."""
    if not d.narratives:
        return "<p><em>None of the narrated cases is in this selection.</em></p>"
    parts = []
    for n in d.narratives:
        parts.append(f"<h4>{_e(n.name)} ({_e(display_code(n.country))})</h4>")
        parts.append(f"<p><strong>Outcome:</strong> {_e(n.outcome)}.</p>")
        steps = "".join(
            statement_html(Statement(f"{s.year}: {s.text}", s.sources, s.confidence))
            for s in n.steps
        )
        parts.append(f"<p><strong>What happened, in order</strong></p><ul>{steps}</ul>")
        if n.undated:
            und = "".join(
                statement_html(Statement(s.text, s.sources, s.confidence)) for s in n.undated
            )
            parts.append(f"<p><strong>Undated: roles and motivations</strong></p><ul>{und}</ul>")
        parts.append(
            "<p><strong>Tests of four explanations</strong> (derived from the coded years and "
            "names: consistent is not proof)</p><ul>"
            + "".join(statement_html(t) for t in n.tests)
            + "</ul>"
        )
    return words("".join(parts))


def neighbours_note(d: Drivers) -> str:
    """Which neighbours are out of scope, the closed borders with their basis, and which
    definitions are recalled rather than derived or sourced (plain text)."""
    nb = d.neighbours
    every = nb.adjacency("with_closed")
    outside = {
        c: sorted(x for x in every.get(c, ()) if x not in d.codes) for c in d.codes if c in every
    }
    outside = {c: v for c, v in outside.items() if v}
    bits = [
        f"{len(outside)} of {len(d.codes)} jurisdictions have neighbours outside the scope, whose "
        "adoptions are not coded and so expose no one: "
        + "; ".join(f"{display_code(c)}: {', '.join(v)}" for c, v in sorted(outside.items()))
        + "."
    ]
    for c in nb.closed:
        since = f" since {c.since}" if c.since else ""
        bits.append(
            f"Closed border {c.a}-{c.b}{since} ({c.confidence}; {len(c.sources)} sources in the "
            "neighbours file); left out of the main definition, also in the years before it closed."
        )
    recalled = [nb.describe(m) for m in MATRICES if nb.confidence(m) == "recalled"]
    if recalled:
        bits.append(
            "Written from memory (recalled), not from a source: " + "; ".join(recalled) + "."
        )
    return " ".join(bits)


def parameters_text(d: Drivers) -> str:
    """The run's parameters in words, for the top of the page."""
    return (
        f"{len(d.codes)} jurisdictions; mechanisms: "
        f"{', '.join(MECHANISM_LABELS[m] for m in d.mechanisms)}; unknown first years drawn "
        f"{d.n_imputations} times; {d.n_permutations} permutations per test (seed {d.seed})."
        + (" Panel cells on weak evidence count as unknown." if d.weak_as_unknown else "")
    )


def summary_html(d: Drivers) -> str:
    """The plain-language summary (:func:`analysis.measures.drivers.summary_sentences`) as a list."""
    return (
        "<ol class='summary'>"
        + "".join(f"<li>{_e(s)}</li>" for s in d.summary_sentences())
        + "</ol>"
    )


def findings_html(d: Drivers) -> str:
    return words("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in d.findings()) + "</ul>")


def variants_note() -> str:
    """What the three variants mean (for table captions)."""
    return "; ".join(f"{v}: {VARIANT_LABELS[v]}" for v in VARIANTS)


#: Column labels of each table the notebook shows.
COLUMNS: dict[str, dict[str, str]] = {
    "counts": {
        "mechanism": "mechanism", "known": "known", "by": "by (upper bound)",
        "not_adopted": "not adopted", "unknown": "unknown", "n": "n",
    },
    "first": {
        "country": "code", "mechanism": "mechanism", "label": "first adoption", "status": "status",
        "state": "state", "confidence": "confidence", "evidence": "evidence", "sources": "sources",
    },
    "sequences": {
        "country": "code", "cctld": "ccTLD", "igf": "national IGF", "body": "MS body",
        "order": "order (determined)", "relations": "determined pairs",
        "order_pessimistic": "order, unknown = not adopted",
        "order_optimistic": "order, unknown = adopted",
    },
    "order_counts": {
        "order": "order", "known": "determined", "pessimistic": "unknown = not adopted",
        "optimistic": "unknown = adopted",
    },
    "precedence": {
        "pair": "pair", "relation": "relation", "known": "determined",
        "pessimistic": "unknown = not adopted", "optimistic": "unknown = adopted",
    },
    "seeding": {
        "country": "code", "mechanism": "mechanism", "adoption": "first adoption",
        "actors_named": "actors named", "registry": "registry among them",
        "isoc_chapter": "ISOC chapter among them",
    },
    "links": {
        "country": "code", "mechanism_id": "mechanism", "field": "field",
        "actor": "actor (as coded)", "role": "role", "years": "years",
        "registry_match": "matched registry name", "isoc": "ISOC",
        "registry_since": "manager since / by", "mechanism_first": "mechanism's first year",
        "registry_earlier": "registry earlier", "sources": "sources",
        "registry_sources": "registry sources",
    },
    "regional": {
        "acronym": "initiative", "start": "start", "sources": "sources", "confidence": "confidence",
    },
    "regional_timing": {
        "mechanism": "mechanism", "variant": "variant", "initiative": "initiative", "n": "n",
        "n_left_out": "left out", "adoptions_before": "adoptions before",
        "at_risk_years_before": "at-risk years before", "rate_before": "rate before",
        "adoptions_from": "adoptions from", "at_risk_years_from": "at-risk years from",
        "rate_from": "rate from",
    },
    "hostings": {
        "country": "code", "initiative": "initiative", "year": "year", "city": "city",
        "sources": "sources", "confidence": "confidence",
    },
}  # fmt: skip
EMPTY: dict[str, str] = {
    "links": "No registry or ISOC chapter found among the named actors.",
    "hostings": "No SEEDIG or EuroDIG edition hosted by these jurisdictions.",
}


def tables_html(d: Drivers, *names: str) -> str:
    """The named tables of ``d`` (``counts``, ``first``, ``sequences``, ... see :data:`COLUMNS`;
    ``roles_mechanism`` and ``roles_outcome`` for the external-role cross-tabs), escaped."""
    parts = []
    for name in names:
        if name in ("roles_mechanism", "roles_outcome"):
            df = d.roles_by(name.split("_")[1])
            parts.append(present.table(df, list(df.columns), empty="No external role coded."))
            continue
        df = {"counts": d.counts(), "first": d.first_table()}.get(name)
        df = getattr(d, name) if df is None else df
        parts.append(present.table(df, COLUMNS[name], empty=EMPTY.get(name, "None.")))
    return words("".join(parts))
