"""The derived tables, as data: :data:`DERIVED_SPECS`, one :class:`TableSpec` each.

The adoption panel, the index, the research queue, the index's sensitivity and robustness and the
quality sub-score are computed from the loaded tables by :mod:`analysis.measures.panel`,
:mod:`analysis.measures.scoring`, :mod:`analysis.measures.gaps`, :mod:`analysis.measures.robustness`
and :mod:`analysis.measures.quality`; this module only describes their columns.
"""

from __future__ import annotations

from analysis.model import vocab
from analysis.model.tablespec import Column, TableSpec

#: Every state of the panel, in legend order of the mechanisms.
_ALL_STATES: tuple[str, ...] = tuple(
    dict.fromkeys(s for m in vocab.MECHANISMS for s in vocab.STATES[m])
)

_D_COUNTRY = Column(
    "country",
    "string",
    "ISO 3166-1 alpha-2 code (XK for Kosovo*).",
    required=True,
    pattern="[A-Z]{2}",
)
_D_YEAR = Column("year", "integer", "Calendar year.", required=True)
_D_MECHANISM = Column(
    "mechanism",
    "string",
    "ccTLD manager, national IGF or national multistakeholder body.",
    required=True,
    enum=vocab.MECHANISMS,
)
_D_SCOPE_ROLE = Column(
    "scope_role",
    "string",
    "core: ranked with the SEE+ jurisdictions; reference: an outside reference case, shown but"
    " not ranked.",
    required=True,
    enum=tuple(vocab.CODES["scope_role"]),
)


_D_NAME = Column("name", "string", "Name of the jurisdiction in English.", required=True)
#: How precise the exported numbers are (the exports round; the library does not).
_PRECISION = "Scores are rounded to 3 decimals in the exports (CSV, XLSX, data package)."


def _bound(name: str, description: str) -> Column:
    return Column(name, "number", description, required=True, minimum=0, maximum=1)


def _rank(name: str, description: str) -> Column:
    return Column(name, "integer", description, minimum=1)


def _rank_percentiles(draws: str) -> tuple[Column, ...]:
    """rank_p05/p50/p95 of a Monte Carlo over ``draws``."""
    return tuple(
        Column(f"rank_{p}", "number", f"{what} of the rank over the {draws}{end}.", minimum=1)
        for p, what, end in (
            ("p05", "5th percentile", " (the better end)"),
            ("p50", "Median", ""),
            ("p95", "95th percentile", " (the worse end)"),
        )
    )


def _count(name: str, description: str) -> Column:
    return Column(name, "integer", description, required=True)


#: The derived tables, in export order.
DERIVED_SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "adoption_panel",
        "Adoption panel",
        "The state of each mechanism in each jurisdiction and year, with the confidence and the"
        " sources the state rests on; computed from the tables above by the rules of the codebook"
        " (section 3.5). A year the data do not speak to is `unknown`.",
        (
            _D_COUNTRY,
            _D_SCOPE_ROLE,
            _D_YEAR,
            _D_MECHANISM,
            Column(
                "state",
                "string",
                "State of the mechanism that year; unknown where the data do not tell.",
                required=True,
                enum=_ALL_STATES,
            ),
            Column(
                "confidence",
                "string",
                "Weakest confidence of the facts the state rests on (empty if unknown).",
                enum=tuple(reversed(vocab.CONFIDENCE_ORDER)),
            ),
            Column(
                "evidence",
                "string",
                "weak: the state rests on a recalled fact or only on low-reliability sources"
                " (counted pessimistically and optimistically in the index bounds, hatched on"
                " maps); strong otherwise; empty if unknown.",
                enum=vocab.EVIDENCE,
            ),
            Column(
                "sources",
                "string",
                "Ids of the sources the state rests on, separated by '; '.",
            ),
            Column(
                "note",
                "string",
                "Why a rule gave this state, where it is not read off one record: a plan (only"
                " sources published before the year), a recorded conflict allowing an earlier"
                " start, the end of a body's evidence, an ordinal span; '; '-separated.",
            ),
            Column(
                "held_share",
                "number",
                "IGF years between two numbered editions with no edition found: the share of"
                " those years that held an edition, as the ordinals imply (k editions in n"
                " years: k/n); the span's years sum to k, so a window measure can bound the"
                " years held. Empty elsewhere.",
                minimum=0,
                maximum=1,
            ),
        ),
        primary_key=("country", "year", "mechanism"),
        derived=True,
    ),
    TableSpec(
        "index",
        "Multi-SEE index",
        "The Multi-SEE index of each jurisdiction and year, computed from the adoption panel: the"
        " weighted mean of the mechanism scores, its pessimistic and optimistic bounds, and the"
        " rank among the core jurisdictions with the best and worst ranks the bounds allow."
        " Not-applicable cells (the ccTLD of a jurisdiction to which no ccTLD is delegated,"
        " `analysis.measures.applicability`) are left out of the mean, not scored 0. The exports add the"
        " jurisdiction's name after its code; the index's sensitivity to the weights is the table"
        " `index_sensitivity`, and the joint robustness of the default ranking"
        f" `index_robustness`. {_PRECISION}",
        (
            _D_COUNTRY,
            _D_SCOPE_ROLE,
            _D_YEAR,
            _bound("score", "Multi-SEE index: weighted mean of mechanism scores (unknown = 0.5)."),
            _bound("low", "Pessimistic bound: unknown and weak-evidence states scored 0."),
            _bound("high", "Optimistic bound: unknown and weak-evidence states scored 1."),
            _rank(
                "rank",
                "Rank among core jurisdictions (1 = best; 1 + the number strictly above, so ties"
                " share a rank); empty for the reference case.",
            ),
            _rank("rank_best", "Best attainable rank (own high against the others' low)."),
            _rank("rank_worst", "Worst attainable rank (own low against the others' high)."),
        ),
        primary_key=("country", "year"),
        derived=True,
    ),
    TableSpec(
        "gaps",
        "Research queue",
        "The unknowns that matter most: every span of unknown or weak-evidence years of the"
        " adoption panel and every mechanism searched and not found, ranked by how far resolving"
        " it could move the index's rank intervals in the default comparison year, with what to"
        " look for and what was already searched.",
        (
            _count("priority", "Research priority (1 = first)."),
            Column(
                "kind",
                "string",
                "unknown: a span of unknown panel years; weak: a span of years whose state rests"
                " on weak evidence; not_found: a searched absence.",
                required=True,
                enum=("unknown", "weak", "not_found"),
            ),
            _D_COUNTRY,
            _D_MECHANISM,
            _count("from_year", "First year of the gap."),
            _count("to_year", "Last year of the gap."),
            _count("n_years", "Number of years in the gap."),
            _count(
                "impact",
                "Largest change in any core jurisdiction's best or worst attainable rank in the"
                " default comparison year if the gap is resolved (best or worst state); 0 for a"
                " gap outside that year.",
            ),
            _count("impact_year", "The year in which that change is largest."),
            _count(
                "impact_any_year",
                "The same change, largest over all the gap's years (breaks ties of `impact`).",
            ),
            Column("look_for", "string", "What to look for."),
            Column("searched", "string", "What was already searched, separated by '; '."),
        ),
        primary_key=("kind", "country", "mechanism", "from_year"),
        derived=True,
    ),
    TableSpec(
        "index_sensitivity",
        "Sensitivity of the Multi-SEE index to its weights",
        "How much each jurisdiction's index and rank depend on the mechanism weights: for each"
        " year, 1000 draws, each of one of 20 weight vectors drawn around the default weights"
        " (Dirichlet, concentration 20, seed 0; `analysis.measures.robustness.robustness` with the weights"
        " alone varied), give a distribution of scores and ranks, of"
        " which the 5th, 50th and 95th percentiles are listed. A narrow p05-p95 interval means"
        " the rank does not hinge on the weights. Rank percentiles are interpolated, so they may"
        f" be fractional; empty for the reference case. {_PRECISION}",
        (
            _D_COUNTRY,
            _D_NAME,
            _D_SCOPE_ROLE,
            _D_YEAR,
            _bound("score_p05", "5th percentile of the index over the weight draws."),
            _bound("score_p50", "Median of the index over the weight draws."),
            _bound("score_p95", "95th percentile of the index over the weight draws."),
            *_rank_percentiles("weight draws"),
        ),
        primary_key=("country", "year"),
        derived=True,
    ),
    TableSpec(
        "index_robustness",
        "Robustness of the default ranking",
        "How far the default ranking (the period of `analysis.measures.selection.resolve_period`: the stock"
        " over the last years when the latest year is thinly documented) rests on the index's"
        " modelling choices: 1000 draws (seed 0; `analysis.measures.robustness.robustness`) vary jointly"
        " the weights (Dirichlet around the defaults), the imputation of unknown and"
        " weak-evidence cells (low, high or a uniform draw), the score of partial states (0.25 to"
        " 0.75) and the aggregation (arithmetic, geometric, counting). Per jurisdiction: the"
        " default ranking's score, bounds and rank, the 5th-95th percentile rank interval and,"
        " per choice, the first-order sensitivity index (Saisana-Saltelli: the share of the"
        " rank's variance that fixing the choice removes); `driver` is the choice with the"
        f" largest index. Ranks and indices are empty for the reference case. {_PRECISION}",
        (
            _D_COUNTRY,
            _D_NAME,
            _D_SCOPE_ROLE,
            _D_YEAR,
            _count("window", "Years ranked, ending in `year` (1: that year alone)."),
            _bound(
                "score",
                "The default ranking's score: over the window, the mean yearly score of each"
                " mechanism (unknown = 0.5), aggregated like the index.",
            ),
            _bound("low", "Its pessimistic bound: unknown and weak-evidence years scored 0."),
            _bound("high", "Its optimistic bound: unknown and weak-evidence years scored 1."),
            _rank("rank", "Rank in the default ranking (1 = best; ties share a rank)."),
            *_rank_percentiles("joint draws"),
            *(
                Column(
                    c,
                    "number",
                    f"First-order sensitivity index of the rank to the {what}.",
                    minimum=0,
                    maximum=1,
                )
                for c, what in (
                    ("weights", "weights"),
                    ("imputation", "imputation of unknowns"),
                    ("partial", "score of partial states"),
                    ("aggregation", "aggregation"),
                )
            ),
            Column(
                "driver",
                "string",
                "The choice with the largest first-order index (empty if the rank never moves).",
            ),
        ),
        primary_key=("country",),
        derived=True,
    ),
    TableSpec(
        "quality",
        "Quality of national IGFs and multistakeholder bodies",
        "A quality sub-score, separate from adoption and never mixed into the index: for each"
        " national IGF initiative and each body, the criteria of good multistakeholder practice"
        " recorded for it (`analysis.measures.quality`): at least three of the five stakeholder groups"
        " among its organisers, committee or members (IGF NRI toolkit; scored n/3 up to 1), a"
        " multistakeholder organising committee (IGFs; yes 1, partly 0.5, no 0) and the seven"
        " characteristics of the IGF Best Practice Forum 2014 (yes 1, partly 0.5, no 0); `score`"
        " is the mean of the known criteria and `coverage` the share of the criteria known."
        f" {_PRECISION}",
        (
            _D_COUNTRY,
            _D_NAME,
            Column(
                "mechanism",
                "string",
                "igf: a national IGF initiative; body: a national body.",
                required=True,
                enum=("igf", "body"),
            ),
            Column("mechanism_id", "string", "Id of the initiative or body.", required=True),
            Column(
                "multistakeholder",
                "string",
                "The body's multistakeholder coding (empty for IGFs); bodies coded yes or partly"
                " count for adoption.",
            ),
            _count("n_groups", "Stakeholder groups (of five) recorded among its people."),
            _count("criteria", "Criteria that apply to it."),
            _count("known", "Criteria known."),
            _bound("coverage", "Share of the criteria known."),
            Column(
                "score",
                "number",
                "Mean of the known criteria (empty when none is known).",
                minimum=0,
                maximum=1,
            ),
        ),
        primary_key=("mechanism", "mechanism_id"),
        derived=True,
    ),
)


#: Columns the exports add to a table (not in the library's frame): table -> (after, column).
EXPORT_COLUMNS: dict[str, tuple[tuple[str, Column], ...]] = {"index": (("country", _D_NAME),)}
