# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: multisee
#     language: python
#     name: multisee
# ---

# %% [markdown]
# # Regional comparison
#
# How far a group of jurisdictions has adopted the three national multistakeholder (MS)
# mechanisms of the SEEDIG 2015 "Multi-SEE model": the ccTLD registry, the national IGF and
# national MS bodies. The Multi-SEE index is shown with its bounds (unknowns counted worst and
# best) and rank intervals, with how much the ranks move when the weights, the imputation of
# unknowns, the scores of partial states and the aggregation vary, and which of them moves each
# rank; a quality sub-score of the IGFs and bodies is shown beside it.

# %% tags=["parameters"]
countries = "all"
year = None  # None: the latest complete data year
weights = ""
window = None  # years ranked; None: the stock over 5 years when that year is thinly documented

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.measures.comparison import comparison, comparison_html
from analysis.measures.narrative import matrix_alt, rank_alt
from analysis.model.vocab import MECHANISM_LABELS
from analysis.products.figures import figure_image, mechanism_matrix_figure, rank_interval_figure
from analysis.products.record import record

c = comparison(countries, year, weights, window=window)
record("countries", c.codes)
record("year", c.year)
record("index", c.index_records())
record("states", c.states())
display(HTML(present.heading(f"Regional comparison {c.year}: {c.label}", 1)))
display(HTML(present.paragraph(c.note)))
w = ", ".join(f"{MECHANISM_LABELS[m]} {v:.2f}" for m, v in c.weights.items())
display(HTML(present.paragraph(f"{len(c.codes)} jurisdictions; weights: {w}.")))

# %% [markdown]
# ## What differs

# %%
display(HTML("<ul>" + "".join(f"<li>{present.paragraph(s)}</li>" for s in c.summary()) + "</ul>"))

# %% [markdown]
# ## Multi-SEE index: scores, bounds and rank intervals
#
# What is ranked (one year, or the stock over the last years when the latest year is thinly
# documented) is stated above. `low`/`high`: unknown or weak-evidence states counted 0 / 1. Ranks
# are among all core jurisdictions (1 = best; "=12": shared with another core jurisdiction, shown
# here or not); `best`/`worst` is the rank interval over the bounds; p05–p95 are the 5th and 95th
# percentiles over 1000 draws that vary the weights, the imputation of unknowns, the scores of
# partial states and the aggregation together.

# %%
display(HTML(comparison_html(c)))
display(figure_image(rank_interval_figure(c.table), rank_alt(c)))

# %% [markdown]
# ## Which choice moves each rank
#
# First-order sensitivity index of each jurisdiction's rank to each choice of the draws above
# (the share of the rank's variance that fixing the choice would remove; 0 = the choice does not
# move the rank); `driver` is the choice with the largest index.

# %%
display(
    HTML(
        present.table(
            c.attribution(),
            {
                "country": "code",
                "weights": "weights",
                "imputation": "imputation of unknowns",
                "partial": "partial states",
                "aggregation": "aggregation",
                "driver": "driver",
            },
            empty="No rank moves.",
        )
    )
)

# %% [markdown]
# ## Mechanism matrix

# %%
matrix = c.state_matrix()
matrix.index = [f"{c.names.get(k, k)} ({k})" for k in matrix.index]
display(figure_image(mechanism_matrix_figure(matrix), matrix_alt(c)))
display(
    HTML(
        present.table(
            c.table,
            {
                "country": "code",
                "name": "jurisdiction",
                "cctld": "ccTLD manager",
                "igf": "national IGF",
                "body": "MS body",
            },
        )
    )
)

# %% [markdown]
# ## Quality of the national IGFs and bodies (separate from the index)
#
# How far a jurisdiction's national IGFs and multistakeholder bodies meet the recorded criteria of
# good practice: at least three stakeholder groups among the organisers (IGF NRI toolkit), a
# multistakeholder organising committee, and the seven BPF 2014 characteristics. `quality` is the
# mean of the known criteria, `coverage` the share of the criteria known; empty where the
# jurisdiction has no such mechanism. It is not part of the Multi-SEE index.

# %%
display(
    HTML(
        present.table(
            c.table,
            {
                "country": "code",
                "name": "jurisdiction",
                "igf_quality": "IGF quality",
                "igf_quality_coverage": "IGF coverage",
                "body_quality": "body quality",
                "body_quality_coverage": "body coverage",
            },
        )
    )
)

# %% [markdown]
# ## Stakeholder balance
#
# Bodies and IGF committees with a known composition. Evenness: Shannon evenness over the five
# stakeholder groups (0 = one group, 1 = all five equally); basis: seats, or presence of a group.

# %%
display(
    HTML(
        present.table(
            c.balance,
            {
                "country": "code",
                "name": "body / committee",
                "kind": "kind",
                "n_groups": "groups",
                "groups": "stakeholder groups",
                "evenness": "evenness",
                "largest_share": "largest share",
                "basis": "basis",
            },
            empty="No composition recorded for these jurisdictions.",
        )
    )
)

# %% [markdown]
# ## BPF 2014 characteristics
#
# Share of the seven characteristics of the IGF Best Practice Forum 2014 coded yes (partly
# counts half) among those coded; the rest are unknown.

# %%
display(
    HTML(
        present.table(
            c.bpf,
            {
                "country": "code",
                "name": "mechanism",
                "mechanism_kind": "kind",
                "share": "share",
                "n_yes": "yes",
                "n_partly": "partly",
                "n_no": "no",
                "n_unknown": "unknown",
            },
            empty="No BPF characteristic coded for these jurisdictions.",
        )
    )
)
