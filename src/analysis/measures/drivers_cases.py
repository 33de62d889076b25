"""Replicability notes: per success case (a jurisdiction and an adopted mechanism), the conditions
the data record around the founding (issue 13). Core layer: pandas only.

Every generated sentence is a :class:`Statement` carrying the source ids of the coded facts it
rests on; a comparison of years computed from coded facts, or a name match
(:mod:`analysis.measures.drivers_actors`), is marked ``derived``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.borders import adjacency
from analysis.measures.drivers_actors import actor_links
from analysis.measures.drivers_timing import hostings, regional_initiatives
from analysis.measures.field_sources import Provenance, field_provenance, field_source
from analysis.measures.panel import main_cctld, ms_body_mask, panel_for
from analysis.model.load import Tables
from analysis.model.values import source_ids, value_or_none, year_of
from analysis.model.vocab import CODES, MECHANISM_LABELS, MECHANISMS, SEP, display_code


@dataclass(frozen=True)
class Statement:
    """One generated sentence and what it rests on. ``derived``: computed from coded data (a
    comparison of years, a name match), not read in a source; its sources are those of the facts
    compared."""

    text: str
    sources: tuple[str, ...]
    confidence: str | None = None
    derived: bool = False


@dataclass
class CaseNote:
    """The replicability note of one success case (a jurisdiction and a mechanism)."""

    country: str
    name: str
    mechanism: str
    first: str
    statements: list[Statement] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "mechanism": self.mechanism,
            "first": self.first,
            "statements": [
                {"text": s.text, "sources": list(s.sources), "confidence": s.confidence,
                 "derived": s.derived}
                for s in self.statements
            ],
        }  # fmt: skip


def success_cases(
    fa: pd.DataFrame, codes: Iterable[str], mechanisms: Sequence[str] = MECHANISMS
) -> pd.DataFrame:
    """Jurisdiction x mechanism pairs adopted in some year of the panel (status ``known`` or
    ``by``), jurisdictions with more adopted mechanisms first."""
    f = fa[
        fa["country"].isin(set(codes))
        & fa["mechanism"].isin(mechanisms)
        & fa["status"].isin(["known", "by"])
    ]
    n_adopted = f.groupby("country")["mechanism"].transform("count")
    return (
        f.assign(n_adopted=n_adopted)
        .sort_values(["n_adopted", "country", "first_year"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def _when(row: Mapping[str, Any]) -> str:
    first, earliest = int(row["first_year"]), int(row["earliest"])
    if row["status"] == "known":
        return f"in {first}"
    span = f"{earliest}-{first - 1}" if first - 1 > earliest else str(earliest)
    return f"by {first} (the panel's {span} is unknown, so possibly earlier)"


def _cell_sources(panel: pd.DataFrame, code: str, mech: str, years: Iterable[int]) -> list[str]:
    p = panel[(panel["country"] == code) & (panel["mechanism"] == mech)]
    p = p[p["year"].isin(list(years)) & (p["state"] != "unknown")]
    return [s for v in p["sources"] for s in source_ids(v)]


def _neighbours(
    fa: pd.DataFrame,
    panel: pd.DataFrame,
    row: Mapping[str, Any],
    adj: Mapping[str, Iterable[str]],
) -> Statement:
    """Which neighbours had adopted the mechanism before this jurisdiction's first adoption."""
    code, mech = str(row["country"]), str(row["mechanism"])
    first, earliest = int(row["first_year"]), int(row["earliest"])
    f = fa[fa["mechanism"] == mech].set_index("country")
    neigh = sorted(n for n in adj.get(code, ()) if n in f.index)
    if not neigh:
        return Statement(
            f"{display_code(code)} shares a border with none of the jurisdictions selected.",
            (),
            None,
            True,
        )
    earlier: list[str] = []
    not_earlier: list[str] = []
    unknown: list[str] = []
    srcs: list[str] = []
    for n in neigh:
        nr = f.loc[n]
        n_first, n_earliest = value_or_none(nr["first_year"]), value_or_none(nr["earliest"])
        text = f"{display_code(n)} {nr['label']}"
        if n_first is not None and int(n_first) < earliest:
            earlier.append(text)
            srcs.extend(source_ids(nr["sources"]))
        elif n_earliest is None or int(n_earliest) >= first:
            not_earlier.append(text)
            srcs.extend(_cell_sources(panel, n, mech, range(earliest - 1, first)))
        else:
            unknown.append(text)
    parts = []
    for items, what in (
        (earlier, "had adopted it earlier"),
        (not_earlier, "had not adopted it earlier"),
        (unknown, "cannot be told"),
    ):
        if items:
            parts.append(f"{len(items)} {what} ({', '.join(items)})")
    return Statement(
        f"Of its {len(neigh)} neighbours, " + "; ".join(parts) + ".",
        tuple(dict.fromkeys(srcs)),
        None,
        True,
    )


def _eu(tables: Tables, row: Mapping[str, Any]) -> Statement | None:
    code = str(row["country"])
    first, earliest = int(row["first_year"]), int(row["earliest"])
    c = tables.countries.set_index("code")
    if code not in c.index or value_or_none(c.loc[code, "eu_status"]) is None:
        return None
    st, since = str(c.loc[code, "eu_status"]), value_or_none(c.loc[code, "eu_since"])
    src, conf = (
        source_ids(c.loc[code, "eu_status_sources"]),
        value_or_none(c.loc[code, "eu_status_confidence"]),
    )
    label = {
        "member": "EU member",
        "candidate": "EU candidate",
        "potential_candidate": "potential EU candidate",
        "none": "neither an EU member nor a candidate",
    }.get(st, st)
    if since is None or st not in ("member", "candidate"):
        return Statement(f"EU status (as coded today): {label}.", src, conf)
    what = "a member" if st == "member" else "a candidate"
    if int(since) <= earliest:
        at = f"already {what}"
    elif int(since) > first:
        at = f"not yet {what}"
    else:
        at = f"{what} or not yet (cannot be told)"
    return Statement(
        f"EU status: {label} since {int(since)}; at the first adoption {at}.", src, conf, True
    )


def _context(
    tables: Tables,
    panel: pd.DataFrame,
    fa: pd.DataFrame,
    row: Mapping[str, Any],
    adj: Mapping[str, Iterable[str]],
    regional: pd.DataFrame,
    hosted: pd.DataFrame,
) -> list[Statement]:
    """Regional initiatives, hosted editions, neighbours and EU status around the first year."""
    code = str(row["country"])
    first, earliest = int(row["first_year"]), int(row["earliest"])
    cell_src = source_ids(row["sources"])
    out: list[Statement] = []
    for _, r in regional.iterrows():
        s = int(r["start"])
        if first < s:
            rel = f"before the first {r['acronym']} ({s})"
        elif earliest >= s:
            rel = f"in or after the year of the first {r['acronym']} ({s})"
        else:
            rel = f"before or after the first {r['acronym']} ({s}): cannot be told"
        out.append(
            Statement(
                f"The first adoption falls {rel}.",
                (*cell_src, *source_ids(r["sources"])),
                None,
                True,
            )
        )
    for _, e in hosted[hosted["country"] == code].iterrows():
        y = int(e["year"])
        when = "before" if y < earliest else ("after" if y > first else "in the period of")
        city = f" in {e['city']}" if value_or_none(e.get("city")) else ""
        out.append(
            Statement(
                f"{display_code(code)} hosted {e['initiative']} {y}{city}, {when} the first adoption.",
                (*source_ids(e["sources"]), *cell_src),
                value_or_none(e["confidence"]),
                True,
            )
        )
    out.append(_neighbours(fa, panel, row, adj))
    eu = _eu(tables, row)
    if eu is not None:
        out.append(eu)
    return out


def _assessment_statements(
    tables: Tables, ids: Iterable[str], dims: Sequence[str]
) -> list[Statement]:
    a = tables.assessments
    if a.empty:
        return []
    a = a[a["mechanism_id"].isin(set(ids)) & a["dimension"].isin(dims)]
    out = []
    for _, r in a.iterrows():
        who = f" [{str(r['actors']).replace(SEP, ', ')}]" if value_or_none(r.get("actors")) else ""
        label = {"external_role": "External role", "motivation": "Motivation"}.get(
            str(r["dimension"]), str(r["dimension"])
        )
        out.append(
            Statement(
                f"{label}{who}: “{' '.join(str(r['text']).split())}”",
                source_ids(r["sources"]),
                value_or_none(r["confidence"]),
            )
        )
    return out


def _cctld_statements(
    tables: Tables, code: str, row: Mapping[str, Any], declared: Provenance
) -> tuple[list[Statement], list[str]]:
    t = main_cctld(tables, code)
    if t is None:
        return [], []
    tld = str(t["tld"])
    out: list[Statement] = []
    src, conf = field_source(declared, tld, t, "manager")
    local = f" ({t['manager_local']})" if value_or_none(t.get("manager_local")) else ""
    out.append(Statement(f"Manager of .{tld}: {t['manager']}{local}.", src, conf))
    lf = value_or_none(t.get("legal_form"))
    if lf:
        src, conf = field_source(declared, tld, t, "legal_form")
        out.append(
            Statement(f"Legal form coded {lf}: {CODES['legal_form'].get(str(lf), '')}", src, conf)
        )
    ms = value_or_none(t.get("multistakeholder"))
    if ms:
        src, conf = field_source(declared, tld, t, "multistakeholder")
        why = " ".join(str(value_or_none(t.get("ms_rationale")) or "").split())
        why = f" Rationale recorded: “{why}”" if why else ""
        out.append(Statement(f"Multistakeholder coding: {ms}.{why}", src, conf))
    for fld, what in (
        ("manager_since", "Manager since"),
        ("manager_by", "Manager no later than"),
        ("delegated", "First delegated"),
    ):
        y = value_or_none(t.get(fld))
        if y is not None:
            src, conf = field_source(declared, tld, t, fld)
            out.append(Statement(f"{what}: {int(y) if isinstance(y, float) else y}.", src, conf))
    ev = tables.cctld_events
    ev = ev[(ev["country"] == code) & (ev["tld"] == tld)] if not ev.empty else ev
    lo, hi = int(row["earliest"]) - 3, int(row["first_year"]) + 1
    for _, e in ev.sort_values("date").iterrows():
        y = year_of(e["date"])
        if y is not None and lo <= y <= hi:
            out.append(
                Statement(
                    f"{e['date']} ({e['type']}): {' '.join(str(e['description']).split())}",
                    source_ids(e["sources"]),
                    value_or_none(e["confidence"]),
                )
            )
    return out, [tld]


def _igf_statements(
    tables: Tables, code: str, declared: Provenance
) -> tuple[list[Statement], list[str]]:
    ini = tables.igf_initiatives
    ini = ini[(ini["country"] == code) & (ini["kind"] == "national")] if not ini.empty else ini
    out: list[Statement] = []
    for _, r in ini.iterrows():
        key, name = str(r["id"]), f"{r['name']} ({r['id']})"
        eds = tables.igf_editions
        eds = eds[eds["initiative"] == key].sort_values("year")
        if not eds.empty:
            e = eds.iloc[0]
            bits = [f"first edition found: {int(e['year'])}"]
            if value_or_none(e.get("number")) is not None:
                bits.append(f"numbered {int(e['number'])}")
            if value_or_none(e.get("city")):
                bits.append(f"in {e['city']}")
            if value_or_none(e.get("format")) and e["format"] != "unknown":
                bits.append(f"format {e['format']}")
            out.append(
                Statement(
                    f"{name}: " + ", ".join(bits) + ".",
                    source_ids(e["sources"]),
                    value_or_none(e["confidence"]),
                )
            )
        est = year_of(r.get("established"))
        if est is not None:
            src, conf = field_source(declared, key, r, "established")
            out.append(Statement(f"{name}: established {est}.", src, conf))
        for fld, text in (
            ("ms_committee", "multistakeholder committee"),
            ("recognised", "recognised by the IGF Secretariat"),
        ):
            v = value_or_none(r.get(fld))
            if v is not None:
                src, conf = field_source(declared, key, r, fld)
                yr = value_or_none(r.get("recognised_year")) if fld == "recognised" else None
                yr_text = f" ({int(yr)})" if yr is not None else ""
                out.append(Statement(f"{name}: {text}: {v}{yr_text}.", src, conf))
        org = tables.igf_organisers
        org = org[org["initiative"] == key]
        if not org.empty:
            src, conf = field_source(declared, key, r, "organisers")
            items = []
            for _, o in org.iterrows():
                yrs = (
                    f", {str(o['years']).replace(SEP, ', ')}"
                    if value_or_none(o.get("years"))
                    else ""
                )
                items.append(f"{o['name']} ({o['group']}, {o['role']}{yrs})")
            out.append(
                Statement(f"{name}: organisers recorded: " + "; ".join(items) + ".", src, conf)
            )
        else:
            out.append(
                Statement(f"{name}: no organiser recorded (unknown, not none).", (), None, True)
            )
    return out, [str(i) for i in ini["id"]]


def _body_statements(
    tables: Tables, code: str, row: Mapping[str, Any], declared: Provenance
) -> tuple[list[Statement], list[str]]:
    """The bodies established by the first adoption year."""
    b = tables.ms_bodies
    if not b.empty:
        b = b[(b["country"] == code) & ms_body_mask(b)]
        first = int(row["first_year"])
        b = b[[(year_of(x) or first + 1) <= first for x in b["established"]]]
    out: list[Statement] = []
    for _, r in b.iterrows():
        key, name = str(r["id"]), f"{r['name']} ({r['id']})"
        src, conf = field_source(declared, key, r, "established")
        bits = [f"established {r['established']}"]
        bits.extend(
            f"{f} {r[f]}" for f in ("type", "role") if value_or_none(r.get(f)) and r[f] != "unknown"
        )
        out.append(Statement(f"{name}: " + ", ".join(bits) + ".", src, conf))
        lb = value_or_none(r.get("legal_basis"))
        if lb:
            src, conf = field_source(declared, key, r, "legal_basis")
            ref = f" ({r['legal_basis_ref']})" if value_or_none(r.get("legal_basis_ref")) else ""
            out.append(Statement(f"{name}: legal basis {lb}{ref}.", src, conf))
        if value_or_none(r.get("convenor")):
            src, conf = field_source(declared, key, r, "convenor")
            out.append(Statement(f"{name}: convenor {r['convenor']}.", src, conf))
        src, conf = field_source(declared, key, r, "multistakeholder")
        groups = str(value_or_none(r.get("groups")) or "").replace(SEP, ", ")
        groups = f"; stakeholder groups recorded: {groups}" if groups else ""
        out.append(
            Statement(f"{name}: multistakeholder {r['multistakeholder']}{groups}.", src, conf)
        )
    return out, [str(i) for i in b["id"]]


def _link_statements(links: pd.DataFrame, code: str, mech: str) -> list[Statement]:
    """The registry or an ISOC chapter among this mechanism's actors (``mech`` igf/body), or the
    registry among later mechanisms' actors (``mech`` cctld); one statement per field."""
    lk = links[links["country"] == code]
    if mech == "cctld":
        lk = lk[lk["registry_match"] != ""]
    else:
        lk = lk[lk["mechanism"] == mech]
    out = []
    for (mid, fld), g in lk.groupby(["mechanism_id", "field"], sort=False):
        items = []
        for _, k in g.iterrows():
            who = [f".{k['tld']} manager"] if k["registry_match"] else []
            who += ["ISOC chapter"] if k["isoc"] and mech != "cctld" else []
            extra = [str(k["role"])] if value_or_none(k["role"]) else []
            extra += [str(k["years"]).replace(SEP, ", ")] if k["years"] else []
            items.append(f"“{k['actor']}” ({', '.join(extra + who)})")
        k = g.iloc[0]
        lead = (
            f"The .{k['tld']} manager ({k['registry']}) reappears in {mid} ({fld})"
            if mech == "cctld"
            else f"{mid} {fld} include the registry or an ISOC chapter"
        )
        order = ""
        e = g["registry_earlier"].dropna()
        if not e.empty and bool(e.iloc[0]):
            order = (
                f" The manager held .{k['tld']} before {mid}'s first year ({k['mechanism_first']})."
            )
        elif not e.empty:
            order = f" The manager took .{k['tld']} over in or after {mid}'s first year ({k['mechanism_first']})."
        srcs = [s for v in [*g["sources"], *g["registry_sources"]] for s in source_ids(v)]
        out.append(
            Statement(
                f"{lead}: {'; '.join(items)} (matched by name).{order}",
                tuple(dict.fromkeys(srcs)),
                value_or_none(k["confidence"]),
                True,
            )
        )
    return out


def replicability_notes(
    tables: Tables,
    fa: pd.DataFrame,
    codes: Sequence[str],
    mechanisms: Sequence[str] = MECHANISMS,
    adj: Mapping[str, Iterable[str]] | None = None,
    links: pd.DataFrame | None = None,
    root: Path | None = None,
    panel: pd.DataFrame | None = None,
) -> list[CaseNote]:
    """Per success case (:func:`success_cases`): the conditions the data records around the
    founding -- the first year and what it rests on; the manager, legal form, multistakeholder
    coding and events (ccTLD); first edition, committee, recognition and organisers (IGF); the
    founding act, convenor and groups (body); coded motivations and external roles; regional
    initiatives and editions hosted; neighbours; EU status; the registry or an ISOC chapter among
    the actors. Each statement carries its source ids; comparisons and name matches are marked
    ``derived``."""
    adj = adjacency() if adj is None else adj
    declared = field_provenance(tables, root)
    links = actor_links(tables, codes, root) if links is None else links
    panel = panel_for(tables) if panel is None else panel
    regional = regional_initiatives(tables)
    hosted = hostings(tables, codes)
    names = dict(zip(tables.countries["code"], tables.countries["name"], strict=True))
    notes: list[CaseNote] = []
    for _, row in success_cases(fa, codes, mechanisms).iterrows():
        code, mech = str(row["country"]), str(row["mechanism"])
        st: list[Statement] = [
            Statement(
                f"{names.get(code, code)} ({display_code(code)}): {MECHANISM_LABELS[mech]} adopted "
                f"{_when(row)}; panel state {row['state']}, evidence {row['evidence']}.",
                source_ids(row["sources"]),
                value_or_none(row["confidence"]),
            )
        ]
        if mech == "cctld":
            more, ids = _cctld_statements(tables, code, row, declared)
        elif mech == "igf":
            more, ids = _igf_statements(tables, code, declared)
        else:
            more, ids = _body_statements(tables, code, row, declared)
        st.extend(more)
        st.extend(_assessment_statements(tables, ids, ("motivation", "external_role")))
        st.extend(_link_statements(links, code, mech))
        st.extend(_context(tables, panel, fa, row, adj, regional, hosted))
        notes.append(CaseNote(code, names.get(code, code), mech, str(row["label"]), st))
    return notes
