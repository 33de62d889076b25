"""Who and what stood around each success: the registry and ISOC chapters among later mechanisms'
organisers, the coded external roles (IGF, ICANN, EC, CoE, ...), and per success case a note of
the conditions the data records around the founding (issue 13). Core layer: pandas only.

Every generated sentence is a :class:`Statement` carrying the source ids of the coded facts it
rests on; a comparison of years computed from coded facts is marked ``derived``. Names are matched
automatically (:func:`aliases`), so each match shows the text matched and both sides' sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.borders import adjacency
from analysis.measures.drivers_timing import hostings, regional_initiatives
from analysis.measures.panel import is_ms_body, main_cctld, ms_body_mask, panel_for
from analysis.model.load import Tables, data_hash
from analysis.model.paths import data_dir
from analysis.model.values import source_ids, value_or_none, year_of
from analysis.model.vocab import CODES, MECHANISM_LABELS, MECHANISMS, SEP, display_code

# --------------------------------------------------------------------------------------------
# 3. Who reappears: the registry and ISOC chapters among later mechanisms' organisers
# --------------------------------------------------------------------------------------------

#: Upper-case tokens too generic to identify an organisation.
_GENERIC = frozenset(
    {
        "NGO", "LLC", "LTD", "INC", "ICT", "IGF", "TLD", "ISP", "ISPS", "NRI", "JSC", "PLC",
        "GMBH", "NIC", "THE", "AND", "FOR", "RIGF", "MS", "CEO", "EU", "UN", "ICANN", "IANA",
        "ISOC", "CENTR", "RIPE", "NCC",
    }
)  # fmt: skip
_LEGAL_SUFFIX = re.compile(
    r"\b(ltd|llc|inc|ad|ood|eood|d\.?o\.?o|kft|nonprofit|jsc|plc|gmbh|sa|ag|po)\.?$", re.I
)
_ISOC = re.compile(r"\bISOC\b|internet society", re.I)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def aliases(*names: Any) -> set[str]:
    """Normalised strings that identify an organisation: its acronyms (tokens with three or more
    capitals, not generic), quoted names, and its full name without brackets or legal suffix."""
    out: set[str] = set()
    for name in names:
        name = value_or_none(name)
        if not name:
            continue
        s = str(name)
        for q in re.findall(r"\"([^\"]+)\"|«([^»]+)»|“([^”]+)”", s):
            quoted = _norm(next(x for x in q if x))
            if len(quoted) >= 6:
                out.add(quoted)
        for tok in re.findall(r"[\w][\w.&-]*", s):
            core = tok.strip(".-&")
            if sum(ch.isupper() for ch in core) >= 3 and core.upper() not in _GENERIC:
                out.add(_norm(core))
        full = re.sub(r"\([^)]*\)", " ", s).replace('"', " ").strip(" -,")
        full = _LEGAL_SUFFIX.sub("", full.strip()).strip(" ,.-")
        normed = _norm(full)
        if len(normed) >= 8:
            out.add(normed)
    return {a for a in out if a}


def matches(text: Any, names: set[str]) -> str:
    """The first alias found as whole words in ``text`` (``""`` if none)."""
    t = _norm(str(value_or_none(text) or ""))
    for a in sorted(names, key=lambda x: (-len(x), x)):
        if re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", t):
            return a
    return ""


Provenance = dict[tuple[str, str], tuple[tuple[str, ...], str | None]]


@lru_cache(maxsize=4)
def _declared(root: str, digest: str) -> Provenance:
    """(record key, field) -> (sources, confidence) declared per field in the YAML files; the
    key is a ccTLD's ``tld`` or an initiative's or body's ``id``."""
    from analysis.model.validate import validate

    out: Provenance = {}
    for doc in validate([Path(root)]).documents:
        model = doc.model
        if model is None:
            continue
        recs = [
            *((t.tld, t) for t in getattr(model, "cctlds", [])),
            *((r.id, r) for r in getattr(model, "igf_initiatives", [])),
            *((b.id, b) for b in getattr(model, "ms_bodies", [])),
        ]
        for key, rec in recs:
            for f in set(rec.field_sources) | set(rec.field_confidence):
                out[(key, f)] = (tuple(rec.sources_of(f)), rec.confidence_of(f))
    return out


def field_provenance(tables: Tables, root: Path | None = None) -> Provenance:
    """Field-level sources and confidence of ccTLDs, initiatives and bodies (``organisers``,
    ``committee``, ``composition``, ``manager_by`` ...), as declared in the YAML files.

    Read from the data directory the tables were loaded from (``root``, as for
    :func:`analysis.model.load.load`; default the project's ``data/``) when its content hash is the
    tables'; tables built otherwise (tests) declare none, and their records' sources apply.
    """
    base = (Path(root) if root is not None else data_dir()).resolve()
    if not base.exists() or data_hash(root=base) != tables.data_hash:
        return {}
    return _declared(str(base), tables.data_hash)


def _prov(
    declared: Provenance, key: Any, rec: Mapping[str, Any] | pd.Series, fld: str
) -> tuple[tuple[str, ...], str | None]:
    """(sources, confidence) of one field: declared, else the table's provenance columns, else
    the record's own."""
    hit = declared.get((str(key), fld))
    if hit is not None:
        return hit
    own = rec.get(f"{fld}_sources")
    if value_or_none(own) is not None:
        return source_ids(own), value_or_none(rec.get(f"{fld}_confidence")) or value_or_none(
            rec.get("confidence")
        )
    return source_ids(rec.get("sources")), value_or_none(rec.get("confidence"))


ACTOR_COLUMNS = [
    "country",
    "mechanism",
    "mechanism_id",
    "mechanism_first",
    "field",
    "actor",
    "role",
    "years",
    "sources",
    "confidence",
]
LINK_COLUMNS = [
    *ACTOR_COLUMNS,
    "registry_match",
    "isoc",
    "registry",
    "tld",
    "registry_since",
    "registry_since_kind",
    "registry_sources",
    "registry_earlier",
]


def named_actors(
    tables: Tables, codes: Iterable[str] | None = None, declared: Provenance | None = None
) -> pd.DataFrame:
    """Every named actor of the jurisdictions' national IGFs (organisers, committee notes) and
    multistakeholder bodies (composition notes, convenor), with the field's sources.
    ``mechanism_first``: the initiative's first edition or establishment year, the body's
    establishment year."""
    declared = declared or {}
    wanted = set(codes) if codes is not None else set(tables.countries["code"].astype(str))
    rows: list[dict[str, Any]] = []

    def add(
        base: dict[str, Any], key: str, rec: Any, fld: str, items: list[tuple[Any, ...]]
    ) -> None:
        src, conf = _prov(declared, key, rec, fld)
        for actor, role, years in items:
            rows.append({**base, "field": fld, "actor": " ".join(str(actor).split()),
                         "role": value_or_none(role), "years": str(value_or_none(years) or ""),
                         "sources": SEP.join(src), "confidence": conf})  # fmt: skip

    ini = tables.igf_initiatives
    ini = ini[ini["country"].isin(wanted) & (ini["kind"] == "national")] if not ini.empty else ini
    eds, org, comp = tables.igf_editions, tables.igf_organisers, tables.body_composition
    for _, r in ini.iterrows():
        years = [year_of(x) for x in eds.loc[eds["initiative"] == r["id"], "year"]]
        years.append(year_of(r.get("established")))
        known = [y for y in years if y is not None]
        base = {"country": r["country"], "mechanism": "igf", "mechanism_id": str(r["id"]),
                "mechanism_first": min(known) if known else None}  # fmt: skip
        o = org[org["initiative"] == r["id"]]
        add(
            base, r["id"], r, "organisers", list(zip(o["name"], o["role"], o["years"], strict=True))
        )
        c = comp[
            (comp["body"] == r["id"]) & (comp["kind"] == "igf_committee") & comp["note"].notna()
        ]
        add(
            base,
            r["id"],
            r,
            "committee",
            [(n, g, "") for n, g in zip(c["note"], c["group"], strict=True)],
        )
    bodies = tables.ms_bodies
    if not bodies.empty:
        bodies = bodies[bodies["country"].isin(wanted) & ms_body_mask(bodies)]
    for _, b in bodies.iterrows():
        base = {"country": b["country"], "mechanism": "body", "mechanism_id": str(b["id"]),
                "mechanism_first": year_of(b.get("established"))}  # fmt: skip
        c = comp[(comp["body"] == b["id"]) & (comp["kind"] == "body") & comp["note"].notna()]
        add(
            base,
            b["id"],
            b,
            "composition",
            [(n, g, "") for n, g in zip(c["note"], c["group"], strict=True)],
        )
        if value_or_none(b.get("convenor")):
            add(base, b["id"], b, "convenor", [(b["convenor"], "convenor", "")])
    out = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
    out["mechanism_first"] = out["mechanism_first"].astype("Int64")
    return out.sort_values(
        ["country", "mechanism", "mechanism_id"], kind="stable", ignore_index=True
    )


def registries(
    tables: Tables, code: str, declared: Provenance | None = None
) -> list[dict[str, Any]]:
    """The jurisdiction's active ccTLD managers: tld, manager, aliases, and since when the manager
    holds the TLD (``manager_since``, kind ``since``; else the sourced bound ``manager_by``, kind
    ``by``; else ``None``) with that field's sources."""
    declared = declared or {}
    c = tables.cctlds
    rows = c[(c["country"] == code) & (c["status"] != "historical")] if not c.empty else c
    out = []
    for _, t in rows.iterrows():
        since, kind, fld = year_of(t.get("manager_since")), "since", "manager_since"
        if since is None and year_of(t.get("manager_by")) is not None:
            since, kind, fld = year_of(t.get("manager_by")), "by", "manager_by"
        src, _ = _prov(declared, t["tld"], t, fld if since is not None else "manager")
        msrc, _ = _prov(declared, t["tld"], t, "manager")
        out.append(
            {
                "tld": str(t["tld"]),
                "manager": str(t["manager"]),
                "aliases": aliases(t.get("manager"), t.get("manager_local"), t.get("registry_operator")),
                "since": since,
                "since_kind": kind if since is not None else None,
                "sources": tuple(dict.fromkeys([*msrc, *src])),
            }
        )  # fmt: skip
    return out


def actor_links(
    tables: Tables,
    codes: Iterable[str] | None = None,
    root: Path | None = None,
    named: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where a ccTLD manager or an ISOC chapter reappears among the organisers or committee of a
    national IGF, or the members or convenor of a multistakeholder body, of the same jurisdiction.

    Matching is by name (acronyms, quoted names, full names; :func:`aliases`), so each row shows
    the text matched (``registry_match``; ``isoc`` for "ISOC"/"Internet Society") and both sides'
    sources: a reader can check it. ``registry_earlier``: the manager held the TLD before the
    mechanism's first year (``True``), took it over in or after that year (``False``), or this
    cannot be told from the recorded years (``None``).
    """
    declared = field_provenance(tables, root)
    named = named_actors(tables, codes, declared) if named is None else named
    regs: dict[str, list[dict[str, Any]]] = {}
    rows = []
    for _, t in named.iterrows():
        code = str(t["country"])
        if code not in regs:
            regs[code] = registries(tables, code, declared)
        hit, reg = "", None
        for r in regs[code]:
            hit = matches(t["actor"], r["aliases"])
            if hit:
                reg = r
                break
        isoc = bool(_ISOC.search(str(t["actor"])))
        if not hit and not isoc:
            continue
        first = value_or_none(t["mechanism_first"])
        since = reg["since"] if reg else None
        earlier: bool | None = None
        if since is not None and first is not None:
            if since < first:
                earlier = True
            elif reg is not None and reg["since_kind"] == "since":
                earlier = False
        rows.append(
            {
                **t.to_dict(),
                "registry_match": hit,
                "isoc": isoc,
                "registry": reg["manager"] if reg else "",
                "tld": reg["tld"] if reg else "",
                "registry_since": since,
                "registry_since_kind": reg["since_kind"] if reg else None,
                "registry_sources": SEP.join(reg["sources"]) if reg else "",
                "registry_earlier": earlier,
            }
        )
    out = pd.DataFrame(rows, columns=LINK_COLUMNS)
    for col in ("registry_since", "mechanism_first"):
        out[col] = out[col].astype("Int64")
    return out


def seeding_summary(
    fa: pd.DataFrame, named: pd.DataFrame, links: pd.DataFrame, codes: Iterable[str]
) -> pd.DataFrame:
    """Per jurisdiction and later mechanism (national IGF, MS body): its first-adoption status,
    how many actors are named, and whether the registry or an ISOC chapter is among them
    (``not recorded`` when no actor is named: unknown, not "no")."""
    rows = []
    for code in sorted(codes):
        for mech in ("igf", "body"):
            st = fa[(fa["country"] == code) & (fa["mechanism"] == mech)]
            n_named = int(((named["country"] == code) & (named["mechanism"] == mech)).sum())
            lk = links[(links["country"] == code) & (links["mechanism"] == mech)]
            reg = bool((lk["registry_match"] != "").any()) if not lk.empty else False
            isoc = bool(lk["isoc"].astype(bool).any()) if not lk.empty else False
            rows.append(
                {
                    "country": code,
                    "mechanism": mech,
                    "adoption": str(st["status"].iloc[0]) if not st.empty else "unknown",
                    "actors_named": n_named,
                    "registry": "not recorded" if not n_named else ("yes" if reg else "no"),
                    "isoc_chapter": "not recorded" if not n_named else ("yes" if isoc else "no"),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["country", "mechanism", "adoption", "actors_named", "registry", "isoc_chapter"],
    )


# --------------------------------------------------------------------------------------------
# 8. External roles
# --------------------------------------------------------------------------------------------


def mechanism_kinds(tables: Tables) -> dict[str, str]:
    """``mechanism_id`` -> ``cctld``, ``igf``, ``youth_igf``, ``regional``, ``body`` or
    ``body_not_ms`` (a body coded not multistakeholder: a contrast case)."""
    out: dict[str, str] = {}
    for tld in tables.cctlds.get("tld", pd.Series(dtype=str)):
        out[str(tld)] = "cctld"
    ini = tables.igf_initiatives
    for _, r in ini.iterrows():
        out[str(r["id"])] = {"national": "igf", "youth": "youth_igf"}.get(
            str(r["kind"]), str(r["kind"])
        )
    for _, b in tables.ms_bodies.iterrows():
        out[str(b["id"])] = "body" if is_ms_body(b) else "body_not_ms"
    return out


OUTCOMES = {"known": "adopted", "by": "adopted", "not_adopted": "not adopted", "unknown": "unknown"}


def external_roles(
    tables: Tables, fa: pd.DataFrame, codes: Iterable[str] | None = None, regional: bool = True
) -> pd.DataFrame:
    """The ``external_role`` assessments, one row per (assessment, actor): jurisdiction,
    mechanism id and kind, actor, the jurisdiction's outcome for that mechanism (panel: adopted /
    not adopted / unknown; ``n/a`` for youth and regional initiatives), text, sources, confidence."""
    a = tables.assessments
    a = a[a["dimension"] == "external_role"] if not a.empty else a
    wanted = set(codes) if codes is not None else None
    kinds = mechanism_kinds(tables)
    status = {(r["country"], r["mechanism"]): r["status"] for _, r in fa.iterrows()}
    rows = []
    for i, r in a.iterrows():
        country = value_or_none(r["country"])
        if country is None and not regional:
            continue
        if country is not None and wanted is not None and country not in wanted:
            continue
        kind = kinds.get(str(r["mechanism_id"]), "unknown")
        panel_mech = {"body_not_ms": "body"}.get(kind, kind)
        outcome = (
            OUTCOMES.get(status.get((country, panel_mech), ""), "unknown")
            if country is not None and panel_mech in MECHANISMS
            else "n/a"
        )
        for actor in [x for x in str(value_or_none(r.get("actors")) or "").split(SEP) if x] or [
            "(none coded)"
        ]:
            rows.append(
                {
                    "assessment": int(i),
                    "country": country or "",
                    "mechanism_id": str(r["mechanism_id"]),
                    "mechanism": kind,
                    "actor": actor,
                    "outcome": outcome,
                    "text": " ".join(str(r["text"]).split()),
                    "sources": str(value_or_none(r["sources"]) or ""),
                    "confidence": value_or_none(r["confidence"]),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "assessment",
            "country",
            "mechanism_id",
            "mechanism",
            "actor",
            "outcome",
            "text",
            "sources",
            "confidence",
        ],
    )


def crosstab(roles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Assessments per actor and ``by`` (``mechanism`` or ``outcome``), with row totals."""
    if roles.empty:
        return pd.DataFrame(columns=["actor", "total"])
    t = pd.crosstab(roles["actor"], roles[by])
    t["total"] = t.sum(axis=1)
    t = t.sort_values(["total"], ascending=False)
    t.columns.name = None
    return t.reset_index()


# --------------------------------------------------------------------------------------------
# 9. Replicability notes
# --------------------------------------------------------------------------------------------


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
    src, conf = _prov(declared, tld, t, "manager")
    local = f" ({t['manager_local']})" if value_or_none(t.get("manager_local")) else ""
    out.append(Statement(f"Manager of .{tld}: {t['manager']}{local}.", src, conf))
    lf = value_or_none(t.get("legal_form"))
    if lf:
        src, conf = _prov(declared, tld, t, "legal_form")
        out.append(
            Statement(f"Legal form coded {lf}: {CODES['legal_form'].get(str(lf), '')}", src, conf)
        )
    ms = value_or_none(t.get("multistakeholder"))
    if ms:
        src, conf = _prov(declared, tld, t, "multistakeholder")
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
            src, conf = _prov(declared, tld, t, fld)
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
            src, conf = _prov(declared, key, r, "established")
            out.append(Statement(f"{name}: established {est}.", src, conf))
        for fld, text in (
            ("ms_committee", "multistakeholder committee"),
            ("recognised", "recognised by the IGF Secretariat"),
        ):
            v = value_or_none(r.get(fld))
            if v is not None:
                src, conf = _prov(declared, key, r, fld)
                yr = value_or_none(r.get("recognised_year")) if fld == "recognised" else None
                yr_text = f" ({int(yr)})" if yr is not None else ""
                out.append(Statement(f"{name}: {text}: {v}{yr_text}.", src, conf))
        org = tables.igf_organisers
        org = org[org["initiative"] == key]
        if not org.empty:
            src, conf = _prov(declared, key, r, "organisers")
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
        src, conf = _prov(declared, key, r, "established")
        bits = [f"established {r['established']}"]
        bits.extend(
            f"{f} {r[f]}" for f in ("type", "role") if value_or_none(r.get(f)) and r[f] != "unknown"
        )
        out.append(Statement(f"{name}: " + ", ".join(bits) + ".", src, conf))
        lb = value_or_none(r.get("legal_basis"))
        if lb:
            src, conf = _prov(declared, key, r, "legal_basis")
            ref = f" ({r['legal_basis_ref']})" if value_or_none(r.get("legal_basis_ref")) else ""
            out.append(Statement(f"{name}: legal basis {lb}{ref}.", src, conf))
        if value_or_none(r.get("convenor")):
            src, conf = _prov(declared, key, r, "convenor")
            out.append(Statement(f"{name}: convenor {r['convenor']}.", src, conf))
        src, conf = _prov(declared, key, r, "multistakeholder")
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
