"""Why did some jurisdictions succeed? Everything of issues 13 and 20 for one selection (the seed
questions of the SEEDIG 2015 "Multi-SEE model" session): sequences of the three mechanisms, who
reappears, the event-history model of neighbour, regional and group effects with its power,
external roles and replicability notes.

:func:`drivers` bundles :mod:`analysis.measures.drivers_timing`, :mod:`analysis.measures.drivers_model`,
:mod:`analysis.measures.drivers_actors`, :mod:`analysis.measures.drivers_roles` and
:mod:`analysis.measures.drivers_cases` for the ``drivers`` notebook; :meth:`Drivers.records` gives the values
the notebook records, :meth:`Drivers.findings` plain-language sentences with the numbers measured,
and :func:`summary_sentences` the three to five sentences a moderator can read aloud (the deck
calls it too); :func:`readme_block` renders the README's drivers summary from the results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.measures.borders import MAIN, Neighbours, load_neighbours
from analysis.measures.drivers_actors import actor_links, named_actors, seeding_summary
from analysis.measures.drivers_cases import CaseNote, replicability_notes
from analysis.measures.drivers_model import NOT_TESTED, RESULT_COLUMNS, model_tests
from analysis.measures.drivers_roles import crosstab, external_roles
from analysis.measures.drivers_timing import (
    STATUSES,
    VARIANTS,
    event_history,
    first_adoptions,
    hostings,
    mechanisms_of,
    order_counts,
    precedence,
    regional_initiatives,
    regional_timing,
    sequences,
    window_of,
)
from analysis.measures.drivers_tracing import CaseNarrative, as_dicts, case_narratives
from analysis.measures.field_sources import field_provenance
from analysis.measures.panel import panel_for
from analysis.measures.present import jsonable_records
from analysis.measures.selection import select
from analysis.model.load import Tables, load
from analysis.model.values import source_ids, value_or_none
from analysis.model.vocab import MECHANISM_LABELS, display_code

#: The model's columns the notebook records (plain numbers and ids, no prose).
RECORDED_COLUMNS = [
    c
    for c in RESULT_COLUMNS
    if c not in ("family", "exposure", "years", "alternative", "confidence", "sources", "note")
]


@dataclass
class Drivers:
    """Every result of issue 13 for one selection, mechanism(s) and window (see :func:`drivers`)."""

    codes: tuple[str, ...]
    label: str
    mechanisms: tuple[str, ...]
    window: tuple[int, int]
    n_permutations: int
    n_imputations: int
    seed: int
    weak_as_unknown: bool
    first: pd.DataFrame
    sequences: pd.DataFrame
    order_counts: pd.DataFrame
    precedence: pd.DataFrame
    named: pd.DataFrame
    links: pd.DataFrame
    seeding: pd.DataFrame
    neighbours: Neighbours
    adjacency: dict[str, frozenset[str]]
    histories: dict[str, pd.DataFrame]
    tests: pd.DataFrame
    regional: pd.DataFrame
    regional_timing: pd.DataFrame
    hostings: pd.DataFrame
    roles: pd.DataFrame
    notes: list[CaseNote]
    narratives: list[CaseNarrative]
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
                ids.update(i for v in df[col] for i in source_ids(v))
        for note in self.notes:
            for st in note.statements:
                ids.update(st.sources)
        for nar in self.narratives:
            for step in [*nar.steps, *nar.undated]:
                ids.update(step.sources)
            for st in nar.tests:
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

    def main_tests(self) -> pd.DataFrame:
        """The main rows of the model (one per mechanism and exposure, unknown years imputed)."""
        return self.tests[self.tests["role"] == "main"].reset_index(drop=True)

    def test_row(self, mechanism: str, exposure_id: str) -> dict[str, Any] | None:
        """One row of the model's results as a dict (``None`` if absent)."""
        t = self.tests
        g = t[(t["mechanism"] == mechanism) & (t["exposure_id"] == exposure_id)]
        return None if g.empty else g.iloc[0].to_dict()

    def records(self) -> dict[str, Any]:
        """The values the notebook records (plain JSON types)."""
        f = self.first[self.first["mechanism"].isin(self.mechanisms)]
        return {
            "countries": list(self.codes),
            "mechanisms": list(self.mechanisms),
            "window": list(self.window),
            "weak_as_unknown": self.weak_as_unknown,
            "n_imputations": self.n_imputations,
            "first_adoptions": jsonable_records(
                f, ["country", "mechanism", "status", "first_year", "earliest"]
            ),
            "order_counts": jsonable_records(self.order_counts, ["order", *VARIANTS]),
            "tests": jsonable_records(self.tests, RECORDED_COLUMNS),
            "summary": self.summary_sentences(),
            "external_roles": {
                "assessments": int(self.roles["assessment"].nunique()) if len(self.roles) else 0,
                "actor_mentions": len(self.roles),
            },
            "links": jsonable_records(
                self.links, ["country", "mechanism_id", "field", "actor", "registry_match", "isoc"]
            ),
            "notes": [
                {"country": n.country, "mechanism": n.mechanism, "statements": len(n.statements)}
                for n in self.notes
            ],
            "narratives": as_dicts(self.narratives),
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
                + "; the notebook's weak-evidence option counts them as unknown."
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
        for m in self.mechanisms:
            rows = self.tests[(self.tests["mechanism"] == m) & (self.tests["role"] == "main")]
            bits = [self.effect_text(r) for _, r in rows.iterrows()]
            out.append(
                f"{MECHANISM_LABELS[m]}, adoption after an exposure: " + "; ".join(bits) + "."
            )
        main = self.main_tests()
        tested = main[main["p_value"].notna()]
        low = tested[tested["p_value"] < 0.05]
        lows = ", ".join(
            f"{r['exposure']} for the {MECHANISM_LABELS[r['mechanism']]} (p = {r['p_value']:.3f}, "
            f"Holm {r['p_holm']:.2f})"
            for _, r in low.iterrows()
        )
        out.append(
            f"Main tests: {len(tested)}, {len(low)} with p < 0.05 where about "
            f"{0.05 * len(tested):.1f} would be expected by chance alone"
            + (f": {lows}." if lows else ".")
        )
        for m in self.mechanisms:
            crude = self.test_row(m, "eastern-partnership")
            adj = self.test_row(m, "eastern-partnership-adjusted")
            if (
                not (crude and adj)
                or value_or_none(crude["p_value"]) is None
                or value_or_none(adj["p_value"]) is None
            ):
                continue
            out.append(
                f"{MECHANISM_LABELS[m]}: adjusted for former Soviet republics, the Eastern "
                f"Partnership's odds ratio moves from {crude['odds_ratio']:.2f} (p = "
                f"{crude['p_value']:.2f}) to {adj['odds_ratio']:.2f} (p = {adj['p_value']:.2f}): "
                "its members are almost all former Soviet republics, so the two cannot be told "
                "apart with these data."
            )
        out.append("Not tested: " + "; ".join(f"{k} ({v})" for k, v in NOT_TESTED.items()) + ".")
        if len(self.roles):
            top = self.roles.groupby("actor")["assessment"].nunique().sort_values(ascending=False)
            out.append(
                f"External roles: {self.roles['assessment'].nunique()} coded assessments name "
                + ", ".join(f"{a} ({v})" for a, v in top.head(4).items())
                + " most often; they describe roles, not causes."
            )
        return out

    def effect_text(self, r: Mapping[str, Any]) -> str:
        """``hosted a SEEDIG ...: 1.9 adoptions when exposed vs 2.6 expected, odds ratio 0.68
        [0.08, 5.48], p = 0.82; power 0.28 at odds ratio 2, 0.44 at 3`` (or why not tested)."""
        if value_or_none(r["p_value"]) is None:
            return f"{r['exposure']}: not testable ({r['note']})"
        text = (
            f"{r['exposure']}: {r['exposed_events']:.1f} of {r['events']:.1f} adoptions when "
            f"exposed vs {r['expected']:.1f} expected, odds ratio {r['odds_ratio']:.2f} "
            f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}], p = {r['p_value']:.2f}"
        )
        if value_or_none(r["power_or2"]) is not None:
            text += f"; power {r['power_or2']:.2f} at odds ratio 2, {r['power_or3']:.2f} at 3"
        return text

    def summary_sentences(self) -> list[str]:
        """Three to five plain sentences a moderator can read aloud, each with its number, n and
        caveat, generated from the results (for the top of the page, the deck and the README)."""
        return summary_sentences(self)


def drivers(
    countries: str | Iterable[str] | None = "all",
    mechanism: str | Iterable[str] | None = "all",
    start: Any = None,
    end: Any = None,
    tables: Tables | None = None,
    n_permutations: int = 999,
    seed: int = 0,
    neighbours: Path | str | None = None,
    root: Path | None = None,
    weak_as_unknown: bool = False,
    n_imputations: int = 20,
    n_sim: int = 200,
) -> Drivers:
    """Every result for a selection (:func:`analysis.measures.selection.select`: ``all``, a peer-group id
    or codes), one or all mechanisms, and a window of years (default: the panel's).

    First adoptions come from the whole panel; the window bounds the years of the event-history
    tests (adoptions before it expose neighbours; those after it count as not adopted).
    ``root``: the data directory (as for :func:`analysis.model.load.load`); ``weak_as_unknown``: panel
    cells on weak evidence count as unknown (:func:`first_adoptions`); ``neighbours``: the
    neighbours file (:func:`analysis.measures.borders.load_neighbours`); ``n_imputations`` draws of the
    unknown years, ``n_permutations`` per test, ``n_sim`` simulated data sets per odds ratio for
    the power (:mod:`analysis.measures.drivers_model`)."""
    tables = tables or load(root)
    sel = select(countries, tables)
    mechs = mechanisms_of(mechanism)
    panel = panel_for(tables)
    window = window_of(panel, start, end)
    codes = list(sel.codes)
    p = panel[panel["country"].isin(codes)]
    fa = first_adoptions(p, weak_as_unknown=weak_as_unknown)
    nb = load_neighbours(neighbours)
    adj = nb.adjacency(MAIN)
    seq = sequences(fa, p)
    declared = field_provenance(tables, root)
    named = named_actors(tables, codes, declared)
    links = actor_links(tables, codes, root, named)
    return Drivers(
        codes=sel.codes,
        label=sel.label,
        mechanisms=mechs,
        window=window,
        n_permutations=n_permutations,
        n_imputations=n_imputations,
        seed=seed,
        weak_as_unknown=weak_as_unknown,
        first=fa,
        sequences=seq,
        order_counts=order_counts(seq),
        precedence=precedence(fa, p),
        named=named,
        links=links,
        seeding=seeding_summary(fa, named, links, codes),
        neighbours=nb,
        adjacency=adj,
        histories={m: event_history(fa, codes, window, m, adj) for m in mechs},
        tests=model_tests(
            fa,
            p,
            tables,
            codes,
            window,
            mechs,
            nb,
            n_permutations=n_permutations,
            n_imputations=n_imputations,
            n_sim=n_sim,
            seed=seed,
        ),
        regional=regional_initiatives(tables),
        regional_timing=regional_timing(fa, tables, codes, window, mechs),
        hostings=hostings(tables, codes),
        roles=external_roles(tables, fa, codes),
        notes=replicability_notes(tables, fa, codes, mechs, adj, links, root, panel),
        narratives=case_narratives(tables, fa, codes, adj, links, hostings(tables, codes)),
        source_table=tables.sources,
    )


# --------------------------------------------------------------------------------------------
# Plain-language summary and the README block
# --------------------------------------------------------------------------------------------


def _pct(x: Any) -> str:
    return "n/a" if value_or_none(x) is None else f"{float(x):.0%}"


def _verb(k: int, plural: str, singular: str) -> str:
    return singular if k == 1 else plural


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: Short names of the neighbour definitions (exposure ids) for the summary.
DEFINITIONS: dict[str, str] = {
    "neighbours-borders": "land and sea borders",
    "neighbours-land": "land borders only",
    "neighbours-with_closed": "closed borders counted",
    "neighbours-near": "distance",
    "neighbours-post-soviet": "former Soviet republics",
    "neighbours-language": "shared language",
    "neighbours-ripe-ncc": "the RIPE NCC region",
    "neighbours-pessimistic": "unknown years as not adopted",
}


def _definition(r: Mapping[str, Any]) -> str:
    return DEFINITIONS.get(str(r["exposure_id"]), str(r["exposure"]))


def _lead_mechanism(d: Drivers) -> str:
    return "igf" if "igf" in d.mechanisms else d.mechanisms[0]


def summary_sentences(d: Drivers) -> list[str]:
    """Three to five sentences a moderator can read aloud, each with its number, n and caveat,
    generated from ``d`` (see :meth:`Drivers.summary_sentences`)."""
    n = len(d.codes)
    out: list[str] = []
    c = d.counts().set_index("mechanism")
    parts = [
        f"{c.loc[m, 'known']} for the {MECHANISM_LABELS[m]} ({c.loc[m, 'by']} more bounded)"
        for m in d.mechanisms
    ]
    undated = int(sum(c.loc[m, "unknown"] + c.loc[m, "by"] for m in d.mechanisms))
    out.append(
        f"Of the {n} jurisdictions, the data date the first adoption in {_and(parts)}; the other "
        f"{undated} first years are bounded or unknown and are drawn {d.n_imputations} times from "
        "the years they may fall in, so every test leans on those draws."
    )
    lead = _lead_mechanism(d)
    r = d.test_row(lead, f"neighbours-{MAIN}")
    if r is not None and value_or_none(r["p_value"]) is not None:
        verdict = "is detectable" if r["p_value"] < 0.05 else "is not detectable"
        mde = (
            f"the smallest effect it finds 80% of the time is an odds ratio of {r['mde']:.1f}"
            if value_or_none(r["mde"]) is not None
            else "even a tenfold odds is found less than 80% of the time"
        )
        out.append(
            f"Following neighbours {verdict} for the {MECHANISM_LABELS[lead]}: "
            f"{r['exposed_events']:.1f} of {r['events']:.1f} adoptions came after a neighbour's "
            f"against {r['expected']:.1f} expected (odds ratio {r['odds_ratio']:.1f}, 95% interval "
            f"{r['ci_low']:.1f} to {r['ci_high']:.1f}, p = {r['p_value']:.2f}, n = {n}); but with "
            f"so few adoptions the test would catch a doubling of the odds only "
            f"{_pct(r['power_or2'])} of the time and a tripling {_pct(r['power_or3'])}: {mde}."
        )
    main = d.main_tests()
    tested = main[main["p_value"].notna()]
    if len(tested):
        best = tested.sort_values("p_value").iloc[0]
        survives = value_or_none(best["p_holm"]) is not None and best["p_holm"] < 0.05
        low = int((tested["p_value"] < 0.05).sum())
        out.append(
            f"Of {len(tested)} main tests (neighbours, hosting a regional edition, EU status and "
            f"peer groups, for each mechanism), {low} fall below p = 0.05 where about "
            f"{0.05 * len(tested):.1f} would by chance alone; the smallest, "
            f"for the {MECHANISM_LABELS[best['mechanism']]}, {best['exposure']} (odds ratio "
            f"{best['odds_ratio']:.1f}, p = {best['p_value']:.3f}), "
            + (
                "survives the correction for multiple tests"
                if survives
                else f"does not survive the correction for multiple tests (Holm p = {best['p_holm']:.2f})"
            )
            + "."
        )
    sens = d.tests[
        (d.tests["mechanism"] == lead)
        & (d.tests["family"] == "neighbours")
        & d.tests["p_value"].notna()
    ]
    if len(sens) > 1 and r is not None and value_or_none(r["p_value"]) is not None:
        main_low = r["p_value"] < 0.05
        flips = sens[(sens["p_value"] < 0.05) != main_low]
        lo, hi = sens.loc[sens["p_value"].idxmin()], sens.loc[sens["p_value"].idxmax()]
        span = (
            f"the neighbour p-value for the {MECHANISM_LABELS[lead]} runs from "
            f"{lo['p_value']:.2f} ({_definition(lo)}) to {hi['p_value']:.2f} ({_definition(hi)})"
        )
        if len(flips):
            out.append(
                f"That verdict depends on how neighbours are defined: across {len(sens)} "
                f"definitions {span}, and {len(flips)} of them "
                f"({_and([_definition(x) for _, x in flips.iterrows()])}) "
                f"{_verb(len(flips), 'reach', 'reaches') if not main_low else _verb(len(flips), 'miss', 'misses')} "
                "p = 0.05; each definition is one more "
                "chance of a small p by luck."
            )
        else:
            out.append(f"That verdict holds across {len(sens)} definitions of neighbours: {span}.")
    if len(d.roles):
        top = d.roles.groupby("actor")["assessment"].nunique().sort_values(ascending=False)
        actor, k = str(top.index[0]), int(top.iloc[0])
        out.append(
            f"The {d.roles['assessment'].nunique()} coded assessments of external roles name "
            f"{actor} most often ({k}); they describe roles, not causes, and carry no years, so "
            "they are not tested."
        )
    return out[:5]


def readme_block(d: Drivers) -> str:
    """The README's drivers summary: the summary sentences and the main neighbour test per
    mechanism."""
    lines = [
        f"In plain words ({len(d.codes)} core jurisdictions, {d.window[0]}-{d.window[1]}, "
        f"{d.n_imputations} imputations, {d.n_permutations} permutations, seed {d.seed}):",
        "",
        *[f"- {s}" for s in summary_sentences(d)],
        "",
        "| adoption after a neighbour's | adoptions when exposed / expected | odds ratio [95% CI] "
        "| p | power at OR 2 / 3 | minimum detectable OR |",
        "|---|---|---|---|---|---|",
    ]
    for m in d.mechanisms:
        r = d.test_row(m, f"neighbours-{MAIN}")
        if r is None or value_or_none(r["p_value"]) is None:
            continue
        mde = "> 10" if value_or_none(r["mde"]) is None else f"{r['mde']:.1f}"
        lines.append(
            f"| {MECHANISM_LABELS[m]} | {r['exposed_events']:.1f} / {r['expected']:.1f} of "
            f"{r['events']:.1f} | {r['odds_ratio']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}] "
            f"| {r['p_value']:.2f} | {_pct(r['power_or2'])} / {_pct(r['power_or3'])} | {mde} |"
        )
    return "\n".join(lines)


def readme_summary() -> str:
    """The README block ``<!-- generated: analysis.measures.drivers.readme_summary -->``: the
    drivers summary of the shipped data with the default settings (:func:`readme_block`)."""
    return readme_block(drivers())
