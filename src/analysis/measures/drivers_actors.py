"""Who reappears: the ccTLD registry and ISOC chapters among the named organisers, committee
members and convenors of later mechanisms (national IGFs, multistakeholder bodies) of the same
jurisdiction, matched by name (issue 13). Core layer: pandas only.

Names are matched automatically (:func:`aliases`), so each match shows the text matched and both
sides' sources (:func:`analysis.measures.field_sources.field_source`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.field_sources import Provenance, field_provenance, field_source
from analysis.measures.panel import ms_body_mask
from analysis.model.load import Tables
from analysis.model.values import value_or_none, year_of
from analysis.model.vocab import SEP

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
        src, conf = field_source(declared, key, rec, fld)
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
        src, _ = field_source(declared, t["tld"], t, fld if since is not None else "manager")
        msrc, _ = field_source(declared, t["tld"], t, "manager")
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
