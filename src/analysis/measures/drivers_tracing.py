"""Structured case narratives (process tracing) for the drivers page (issue 20): for a few cases
(:data:`CASES`: AM, RS, RU, HU), the coded events in the order they happened, and the tests the
data allow of four candidate explanations -- the registry seeded the others, neighbours went
first, the EU pulled, a regional initiative pushed. Core layer: pandas only.

Every step carries its year (when coded), its source ids and confidence; the tests are *derived*
(comparisons of coded years and names) and say only whether the account is consistent with the
data -- a passed test is not proof, a failed one weighs against the account, and "not recorded"
says nothing either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.measures.drivers_cases import Statement
from analysis.measures.drivers_timing import years_of
from analysis.model.load import Tables
from analysis.model.values import source_ids, value_or_none, year_of
from analysis.model.vocab import MECHANISM_LABELS, MECHANISMS, display_code, label

#: The cases narrated (issue 20).
CASES: tuple[str, ...] = ("AM", "RS", "RU", "HU")


@dataclass(frozen=True)
class Step:
    """One coded event of a case, in time order (``year`` ``None``: undated)."""

    year: int | None
    text: str
    sources: tuple[str, ...]
    confidence: str | None = None


@dataclass
class CaseNarrative:
    """The steps of one case and the tests of the candidate explanations."""

    country: str
    name: str
    outcome: str
    steps: list[Step] = field(default_factory=list)
    undated: list[Step] = field(default_factory=list)
    tests: list[Statement] = field(default_factory=list)


def _steps(tables: Tables, code: str) -> list[Step]:
    out: list[Step] = []
    c = tables.countries.set_index("code")
    if code in c.index and value_or_none(c.loc[code, "eu_since"]) is not None:
        out.append(
            Step(
                int(c.loc[code, "eu_since"]),
                f"EU status: {label(str(c.loc[code, 'eu_status']))} from this year.",
                source_ids(c.loc[code, "eu_status_sources"]),
                value_or_none(c.loc[code, "eu_status_confidence"]),
            )
        )
    ev = tables.cctld_events
    for _, e in ev[ev["country"] == code].iterrows():
        who = f" (to {e['to_manager']})" if value_or_none(e.get("to_manager")) else ""
        out.append(
            Step(
                year_of(e["date"]),
                f"{e['tld']} {label(str(e['type'])).lower()}{who}: {value_or_none(e['description']) or ''}".rstrip(
                    ": "
                ),
                source_ids(e["sources"]),
                value_or_none(e["confidence"]),
            )
        )
    ini = tables.igf_initiatives
    for _, i in ini[(ini["country"] == code) & ini["kind"].isin(["national", "youth"])].iterrows():
        first = year_of(i.get("first_year"))
        if first is None:
            continue
        orgs = value_or_none(i.get("organisers"))
        out.append(
            Step(
                first,
                f"First edition of {i['name']} ({i['kind']})"
                + (f"; organisers as coded: {str(orgs).replace(';', ',')}." if orgs else "."),
                source_ids(i.get("first_year_sources")) or source_ids(i.get("sources")),
                value_or_none(i.get("first_year_confidence")) or value_or_none(i.get("confidence")),
            )
        )
    bodies = tables.ms_bodies
    for _, b in bodies[bodies["country"] == code].iterrows():
        scope = value_or_none(b.get("scope"))
        out.append(
            Step(
                year_of(b.get("established")),
                f"{b['name']} established"
                + (f" (scope: {label(str(scope))})" if scope else "")
                + (
                    f"; multistakeholder: {b['multistakeholder']}"
                    if value_or_none(b.get("multistakeholder"))
                    else ""
                )
                + ".",
                source_ids(b.get("established_sources")) or source_ids(b.get("sources")),
                value_or_none(b.get("established_confidence"))
                or value_or_none(b.get("confidence")),
            )
        )
    return out


def _hosted(hostings: pd.DataFrame, code: str) -> list[Step]:
    h = hostings[hostings["country"] == code]
    return [
        Step(
            int(r["year"]),
            f"Hosted {r['initiative']}"
            + (f" in {r['city']}" if value_or_none(r.get("city")) else "")
            + ".",
            source_ids(r["sources"]),
            value_or_none(r["confidence"]),
        )
        for _, r in h.iterrows()
        if value_or_none(r["year"]) is not None
    ]


def _undated(tables: Tables, code: str) -> list[Step]:
    a = tables.assessments
    a = a[(a["country"] == code) & a["dimension"].isin(["motivation", "external_role"])]
    out = []
    for _, r in a.iterrows():
        actors = str(value_or_none(r.get("actors")) or "").replace(";", ",")
        what = "Motivation" if r["dimension"] == "motivation" else f"External role [{actors}]"
        out.append(
            Step(
                None,
                f"{what} ({r['mechanism_id']}): {value_or_none(r['text']) or ''}",
                source_ids(r["sources"]),
                value_or_none(r["confidence"]),
            )
        )
    return out


def _tests(
    tables: Tables,
    fa: pd.DataFrame,
    code: str,
    codes: Sequence[str],
    adj: Mapping[str, Iterable[str]],
    links: pd.DataFrame,
    hostings: pd.DataFrame,
) -> list[Statement]:
    f = fa[fa["country"] == code].set_index("mechanism")
    adopted = [m for m in MECHANISMS if m in f.index and f.loc[m, "status"] in ("known", "by")]
    out: list[Statement] = []
    # 1. the registry seeded the others
    lk = links[(links["country"] == code) & (links["registry_match"] != "")]
    if "igf" in adopted:
        if len(lk):
            srcs = tuple(s for v in lk["sources"] for s in source_ids(v))
            out.append(
                Statement(
                    "Registry seeded the IGF: consistent -- the ccTLD manager is named among the "
                    f"actors ({', '.join(sorted(set(lk['actor'])))}).",
                    srcs, None, True,
                )
            )  # fmt: skip
        else:
            out.append(
                Statement(
                    "Registry seeded the IGF: not supported by the coded actors (the ccTLD "
                    "manager is not named among them; absence of a record is not evidence).",
                    (), None, True,
                )
            )  # fmt: skip
    # 2. neighbours went first
    for m in adopted:
        first = float(f.loc[m, "first_year"])
        ys = years_of(fa, m, "pessimistic")
        earlier = sorted(
            n for n in adj.get(code, ()) if n in codes and n in ys.index and ys[n] < first
        )
        later_or_never = sorted(
            n for n in adj.get(code, ()) if n in codes and n in ys.index and ys[n] >= first
        )
        srcs = tuple(
            s
            for n in earlier
            for s in source_ids(
                fa[(fa["country"] == n) & (fa["mechanism"] == m)]["sources"].iloc[0]
            )
        )
        verdict = "consistent" if earlier else "not consistent (no neighbour in scope went first)"
        out.append(
            Statement(
                f"Followed neighbours ({MECHANISM_LABELS[m]}, {f.loc[m, 'label']}): {verdict}"
                + (f"; earlier: {', '.join(map(display_code, earlier))}" if earlier else "")
                + (
                    f"; not earlier (or not seen): {', '.join(map(display_code, later_or_never))}"
                    if later_or_never
                    else ""
                )
                + ". Out-of-scope neighbours are not coded.",
                srcs, None, True,
            )
        )  # fmt: skip
    # 3. the EU pulled
    c = tables.countries.set_index("code")
    status = str(value_or_none(c.loc[code, "eu_status"]) or "none") if code in c.index else "none"
    raw = value_or_none(c.loc[code, "eu_since"]) if code in c.index else None
    since = None if raw is None else int(raw)
    for m in adopted:
        first = int(f.loc[m, "first_year"])
        inside = status in ("candidate", "member") and since is not None and since <= first
        out.append(
            Statement(
                f"EU pull ({MECHANISM_LABELS[m]}): "
                + (
                    f"consistent -- {label(status)} since {since}, before the first year seen."
                    if inside
                    else f"not consistent -- EU status {label(status)}"
                    + (f" only from {since}" if since is not None else "")
                    + " at the first year seen."
                ),
                source_ids(c.loc[code, "eu_status_sources"]) if code in c.index else (),
                None,
                True,
            )
        )
    # 4. a regional initiative pushed
    if "igf" in adopted:
        first = int(f.loc["igf", "first_year"])
        h = hostings[(hostings["country"] == code) & (hostings["year"] < first)]
        out.append(
            Statement(
                "Regional push (national IGF): "
                + (
                    f"consistent -- hosted {', '.join(f'{i} {y}' for i, y in zip(h['initiative'], h['year'], strict=True))} before."
                    if len(h)
                    else "not consistent -- no SEEDIG or EuroDIG edition hosted before the first IGF."
                ),
                tuple(s for v in h["sources"] for s in source_ids(v)),
                None,
                True,
            )
        )
    return out


def case_narratives(
    tables: Tables,
    fa: pd.DataFrame,
    codes: Sequence[str],
    adj: Mapping[str, Iterable[str]],
    links: pd.DataFrame,
    hostings: pd.DataFrame,
    cases: Sequence[str] = CASES,
) -> list[CaseNarrative]:
    """The narratives of the :data:`CASES` in the selection: dated steps in time order, undated
    motivations and external roles, and the derived tests of the four explanations."""
    names = dict(zip(tables.countries["code"], tables.countries["name"], strict=True))
    out = []
    for code in cases:
        if code not in codes:
            continue
        f = fa[fa["country"] == code]
        outcome = "; ".join(
            f"{MECHANISM_LABELS[m]} {r['label']}"
            for m in MECHANISMS
            for _, r in f[f["mechanism"] == m].iterrows()
        )
        steps = _steps(tables, code) + _hosted(hostings, code)
        dated = sorted((s for s in steps if s.year is not None), key=lambda s: s.year or 0)
        undated = [s for s in steps if s.year is None] + _undated(tables, code)
        out.append(
            CaseNarrative(
                country=code,
                name=str(names.get(code, code)),
                outcome=outcome,
                steps=dated,
                undated=undated,
                tests=_tests(tables, fa, code, codes, adj, links, hostings),
            )
        )
    return out


def as_dicts(narratives: Sequence[CaseNarrative]) -> list[dict[str, Any]]:
    """Plain JSON of the narratives (for the notebook's records)."""
    return [
        {
            "country": n.country,
            "steps": len(n.steps),
            "undated": len(n.undated),
            "tests": [t.text for t in n.tests],
        }
        for n in narratives
    ]
