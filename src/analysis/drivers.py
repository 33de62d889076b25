"""Why did some jurisdictions succeed? Everything of issue 13 for one selection (the seed questions
of the SEEDIG 2015 "Multi-SEE model" session): sequences of the three mechanisms, who reappears,
peer and regional effects, groupings, external roles and replicability notes.

:func:`drivers` bundles :mod:`analysis.drivers_timing` and :mod:`analysis.drivers_cases` for the
``drivers`` notebook; :meth:`Drivers.records` gives the values the notebook records and
:meth:`Drivers.findings` plain-language sentences with the numbers measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .drivers_cases import (
    CaseNote,
    actor_links,
    crosstab,
    external_roles,
    field_provenance,
    named_actors,
    replicability_notes,
    seeding_summary,
)
from .drivers_timing import (
    STATUSES,
    VARIANTS,
    adjacency,
    event_history,
    first_adoptions,
    group_tests,
    hostings,
    mechanisms_of,
    neighbour_tests,
    order_counts,
    precedence,
    regional_initiatives,
    regional_tests,
    regional_timing,
    sequences,
    window_of,
)
from .load import Tables, load
from .panel import _ids, _v, panel_for
from .selection import select
from .vocab import MECHANISM_LABELS, display_code


@dataclass
class Drivers:
    """Every result of issue 13 for one selection, mechanism(s) and window (see :func:`drivers`)."""

    codes: tuple[str, ...]
    label: str
    mechanisms: tuple[str, ...]
    window: tuple[int, int]
    n_permutations: int
    seed: int
    weak_as_unknown: bool
    first: pd.DataFrame
    sequences: pd.DataFrame
    order_counts: pd.DataFrame
    precedence: pd.DataFrame
    named: pd.DataFrame
    links: pd.DataFrame
    seeding: pd.DataFrame
    adjacency: dict[str, frozenset[str]]
    histories: dict[str, pd.DataFrame]
    neighbour_tests: pd.DataFrame
    regional: pd.DataFrame
    regional_timing: pd.DataFrame
    hostings: pd.DataFrame
    regional_tests: pd.DataFrame
    group_tests: pd.DataFrame
    roles: pd.DataFrame
    notes: list[CaseNote]
    source_table: pd.DataFrame

    def first_table(self) -> pd.DataFrame:
        """The first adoptions of the chosen mechanisms."""
        return self.first[self.first["mechanism"].isin(self.mechanisms)].reset_index(drop=True)

    def roles_by(self, by: str) -> pd.DataFrame:
        """External-role assessments per actor and ``mechanism`` or ``outcome``."""
        return crosstab(self.roles, by)

    def cited_sources(self) -> pd.DataFrame:
        """The rows of the source registry cited anywhere in the results, in order of id."""
        ids: set[str] = set()
        for df, cols in (
            (self.first_table(), ["sources"]),
            (self.links, ["sources", "registry_sources"]),
            (self.roles, ["sources"]),
            (self.regional, ["sources"]),
            (self.hostings, ["sources"]),
        ):
            for col in cols:
                ids.update(i for v in df[col] for i in _ids(v))
        for note in self.notes:
            for st in note.statements:
                ids.update(st.sources)
        src = self.source_table
        return src[src["id"].isin(ids)].sort_values("id", ignore_index=True)

    def counts(self) -> pd.DataFrame:
        """Per mechanism: how many jurisdictions are in each first-adoption status."""
        f = self.first[self.first["mechanism"].isin(self.mechanisms)]
        t = pd.crosstab(f["mechanism"], f["status"]).reindex(
            index=list(self.mechanisms), columns=list(STATUSES), fill_value=0
        )
        t["n"] = t.sum(axis=1)
        t.columns.name = None
        return t.reset_index()

    def records(self) -> dict[str, Any]:
        """The values the notebook records (plain JSON types)."""
        f = self.first[self.first["mechanism"].isin(self.mechanisms)]
        test_cols = ["mechanism", "variant", "n", "n_events", "observed", "expected", "p_value"]
        return {
            "countries": list(self.codes),
            "mechanisms": list(self.mechanisms),
            "window": list(self.window),
            "weak_as_unknown": self.weak_as_unknown,
            "first_adoptions": plain(
                f, ["country", "mechanism", "status", "first_year", "earliest"]
            ),
            "order_counts": plain(self.order_counts, ["order", *VARIANTS]),
            "neighbour_tests": plain(self.neighbour_tests, test_cols),
            "regional_tests": plain(self.regional_tests, test_cols),
            "group_tests": plain(
                self.group_tests,
                ["group", "mechanism", "variant", "members", "others", "observed", "p_value"],
            ),
            "external_roles": {
                "assessments": int(self.roles["assessment"].nunique()) if len(self.roles) else 0,
                "actor_mentions": len(self.roles),
            },
            "links": plain(
                self.links, ["country", "mechanism_id", "field", "actor", "registry_match", "isoc"]
            ),
            "notes": [
                {"country": n.country, "mechanism": n.mechanism, "statements": len(n.statements)}
                for n in self.notes
            ],
        }

    def findings(self) -> list[str]:
        """Plain-language sentences with the numbers measured (n, unknowns, p-values)."""
        out: list[str] = []
        n = len(self.codes)
        c = self.counts().set_index("mechanism")
        for m in self.mechanisms:
            r = c.loc[m]
            out.append(
                f"{MECHANISM_LABELS[m]}: of {n} jurisdictions, the first adoption year is known in "
                f"{r['known']}, known only as an upper bound in {r['by']}; {r['not_adopted']} never "
                f"adopted it (every year known) and {r['unknown']} are unknown."
            )
        f = self.first_table()
        weak = f[f["evidence"] == "weak"]
        if self.weak_as_unknown:
            out.append("Panel cells on weak evidence are counted as unknown here.")
        elif len(weak):
            out.append(
                f"{len(weak)} first-adoption years rest on weak evidence (recalled, or only "
                "low-reliability sources): "
                + ", ".join(
                    f"{display_code(c)} {m} {y}"
                    for c, m, y in zip(
                        weak["country"], weak["mechanism"], weak["first_year"], strict=True
                    )
                )
                + "; run with weak_as_unknown=True to count them as unknown."
            )
        seq = self.sequences
        det = seq[seq["order"] != "undetermined"]
        listed = ", ".join(
            f"{display_code(x)} ({o})" for x, o in zip(det["country"], det["order"], strict=True)
        )
        out.append(
            f"Order of the three mechanisms: determined in {len(det)} of {n} jurisdictions"
            + (f": {listed}." if len(det) else ".")
        )
        pr = self.precedence
        for pair, g in pr.groupby("pair", sort=False):
            a, b = str(pair).split(" / ")
            if a not in self.mechanisms or b not in self.mechanisms:
                continue
            k = dict(zip(g["relation"], g["known"], strict=True))
            told = sum(v for r, v in k.items() if r != "cannot be told")
            parts = ", ".join(f"{r} {v}" for r, v in k.items() if r != "cannot be told" and v)
            out.append(
                f"{a} vs {b}: the order can be told in {told} of {n} jurisdictions"
                + (f" ({parts})" if parts else "")
                + "."
            )
        adopted_igf = self.seeding[
            (self.seeding["mechanism"] == "igf") & self.seeding["adoption"].isin(["known", "by"])
        ]
        if "igf" in self.mechanisms and len(adopted_igf):
            reg = (
                adopted_igf[adopted_igf["registry"] == "yes"]["country"].map(display_code).tolist()
            )
            isoc = (
                adopted_igf[adopted_igf["isoc_chapter"] == "yes"]["country"]
                .map(display_code)
                .tolist()
            )
            none = int((adopted_igf["registry"] == "not recorded").sum())
            out.append(
                f"Of the {len(adopted_igf)} jurisdictions with a national IGF, the ccTLD manager is "
                f"named among its organisers in {len(reg)} ({', '.join(reg) or 'none'}) and an ISOC "
                f"chapter in {len(isoc)} ({', '.join(isoc) or 'none'}); for {none} no organiser is "
                "recorded."
            )
        for label, df in (("a neighbour adopted earlier", self.neighbour_tests),
                          ("it hosted a SEEDIG or EuroDIG edition earlier", self.regional_tests)):  # fmt: skip
            for m in self.mechanisms:
                g = df[df["mechanism"] == m]
                bits = []
                for _, r in g.iterrows():
                    if _v(r["p_value"]) is None:
                        bits.append(f"{r['variant']}: not testable ({r['note']})")
                    else:
                        bits.append(
                            f"{r['variant']}: n = {r['n']}, {r['n_events']} adoptions, "
                            f"{r['observed']} when exposed vs {r['expected']:.1f} expected, "
                            f"p = {r['p_value']:.2f}"
                        )
                out.append(
                    f"{MECHANISM_LABELS[m]}, adoption after {label}: " + "; ".join(bits) + "."
                )
        gt = self.group_tests[self.group_tests["p_value"].notna()]
        if len(gt):
            low = gt[gt["p_value"] < 0.05]
            lows = ", ".join(
                f"{r['group']} / {r['mechanism']} / {r['variant']} (p = {r['p_value']:.3f}, "
                f"Holm {r['p_holm']:.2f})"
                for _, r in low.iterrows()
            )
            out.append(
                f"Groups (peer groups and EU membership at the time): {len(gt)} tests, "
                f"{len(low)} with p < 0.05 where about {0.05 * len(gt):.1f} would be expected by "
                f"chance alone" + (f": {lows}." if lows else ".")
            )
        if len(self.roles):
            top = self.roles.groupby("actor")["assessment"].nunique().sort_values(ascending=False)
            out.append(
                f"External roles: {self.roles['assessment'].nunique()} coded assessments name "
                + ", ".join(f"{a} ({v})" for a, v in top.head(4).items())
                + " most often; they describe roles, not causes."
            )
        return out


def plain(df: pd.DataFrame, cols: Sequence[str]) -> list[dict[str, Any]]:
    """Rows of ``df`` as JSON-ready dicts (missing values ``None``, numpy scalars unwrapped)."""
    out = []
    for _, r in df.iterrows():
        out.append(
            {
                c: (None if _v(r[c]) is None else getattr(r[c], "item", lambda v=r[c]: v)())
                for c in cols
            }
        )
    return out


def drivers(
    countries: str | Iterable[str] | None = "all",
    mechanism: str | Iterable[str] | None = "all",
    start: Any = None,
    end: Any = None,
    tables: Tables | None = None,
    n_permutations: int = 999,
    seed: int = 0,
    boundaries: Path | str | None = None,
    root: Path | None = None,
    weak_as_unknown: bool = False,
) -> Drivers:
    """Every result for a selection (:func:`analysis.selection.select`: ``all``, a peer-group id
    or codes), one or all mechanisms, and a window of years (default: the panel's).

    First adoptions come from the whole panel; the window bounds the years of the event-history
    tests (adoptions before it expose neighbours; those after it count as not adopted).
    ``root``: the data directory (as for :func:`analysis.load.load`); ``weak_as_unknown``: panel
    cells on weak evidence count as unknown (:func:`first_adoptions`)."""
    tables = tables or load(root)
    sel = select(countries, tables)
    mechs = mechanisms_of(mechanism)
    panel = panel_for(tables)
    window = window_of(panel, start, end)
    codes = list(sel.codes)
    p = panel[panel["country"].isin(codes)]
    fa = first_adoptions(p, weak_as_unknown=weak_as_unknown)
    adj = adjacency(boundaries)
    seq = sequences(fa, p)
    declared = field_provenance(tables, root)
    named = named_actors(tables, codes, declared)
    links = actor_links(tables, codes, root, named)
    tests = {"n_permutations": n_permutations, "seed": seed}
    return Drivers(
        codes=sel.codes,
        label=sel.label,
        mechanisms=mechs,
        window=window,
        n_permutations=n_permutations,
        seed=seed,
        weak_as_unknown=weak_as_unknown,
        first=fa,
        sequences=seq,
        order_counts=order_counts(seq),
        precedence=precedence(fa, p),
        named=named,
        links=links,
        seeding=seeding_summary(fa, named, links, codes),
        adjacency=adj,
        histories={m: event_history(fa, codes, window, m, adj) for m in mechs},
        neighbour_tests=neighbour_tests(fa, codes, window, adj, mechs, **tests),
        regional=regional_initiatives(tables),
        regional_timing=regional_timing(fa, tables, codes, window, mechs),
        hostings=hostings(tables, codes),
        regional_tests=regional_tests(fa, tables, codes, window, mechs, **tests),
        group_tests=group_tests(fa, tables, codes, window, mechs, **tests),
        roles=external_roles(tables, fa, codes),
        notes=replicability_notes(tables, fa, codes, mechs, adj, links, root, panel),
        source_table=tables.sources,
    )
