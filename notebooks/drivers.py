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
# # Why did some jurisdictions succeed?
#
# The seed questions of the SEEDIG 2015 "Multi-SEE model" session: why have some jurisdictions
# implemented national multistakeholder (MS) mechanisms and others not, can the examples be
# replicated, what motivated them, and have regional and international organisations (IGF, ICANN,
# EC, CoE ...) played a role? This page answers only as far as the coded data go.

# %% tags=["parameters"]
countries = "all"  # "all", a peer-group id (e.g. "western-balkans") or codes ("RS,HR,AL")
mechanism = "all"  # "all", "cctld", "igf" or "body"
start = 1990
end = None  # None: the latest data year
n_permutations = 999
n_imputations = 20
seed = 0
weak_as_unknown = False  # True: panel cells on weak evidence count as unknown

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.measures.drivers import drivers
from analysis.products import drivers_figures as dfig
from analysis.products.figures import figure_image
from analysis.products.record import record

d = drivers(
    countries,
    mechanism,
    start,
    end,
    n_permutations=n_permutations,
    n_imputations=n_imputations,
    seed=seed,
    weak_as_unknown=weak_as_unknown,
)
for key, value in d.records().items():
    record(key, value)
display(HTML(present.heading(f"Why did some succeed? {d.label}, {d.window[0]}–{d.window[1]}", 1)))
display(HTML(present.paragraph(dfig.parameters_text(d))))

# %% [markdown]
# ## In short
#
# Generated from the results below; each sentence carries its number, n and caveat.

# %%
display(HTML(present.humanise(dfig.summary_html(d))))

# %% [markdown]
# ## What the data can and cannot say
#
# At this n, a large p-value means "not detectable with these data", never "no effect"; a small
# one among many tests may be chance.

# %%
display(HTML(present.humanise(dfig.findings_html(d))))

# %% [markdown]
# ## When each mechanism first appeared
#
# Status: *known* (every earlier year known not adopted), *by* (adopted by that year, earlier
# years unknown), *not adopted* (every year known), *unknown* (never seen adopted, some years
# unknown). Confidence and sources are those of the panel cell of the first year seen adopted.

# %%
display(HTML(present.humanise(dfig.tables_html(d, "counts"))))
display(
    figure_image(
        dfig.first_adoption_figure(d),
        f"First adoption year of each mechanism for {len(d.codes)} jurisdictions, with the years an "
        "unknown may fall in.",
    )
)
display(HTML(present.humanise(dfig.tables_html(d, "first"))))

# %% [markdown]
# ## Sequences
#
# The order is given only where every pair of mechanisms is determined by the years the first
# adoptions may fall in; otherwise the determined pairs are listed. Under each bound every order
# is determined, but it is then an order of assumptions. Below: how often each order occurs, and
# each pair of mechanisms.

# %%
display(HTML(present.humanise(dfig.tables_html(d, "sequences", "order_counts", "precedence"))))

# %% [markdown]
# ## Did a registry or an ISOC chapter seed the others?
#
# The ccTLD manager (by name or acronym) or an ISOC chapter ("ISOC", "Internet Society") among a
# national IGF's organisers or committee, or an MS body's members or convenor. Matches are
# automatic: each row shows the text matched and its sources. "not recorded": no actor is named
# for that mechanism, which says nothing either way.

# %%
display(HTML(present.humanise(dfig.tables_html(d, "seeding", "links"))))

# %% [markdown]
# ## How the tests work
#
# Each test is a discrete-time event-history model: for every jurisdiction and year until it
# adopts, a logistic regression of adopting that year on a linear time trend and the exposure
# (a neighbour adopted earlier; it hosted a SEEDIG or EuroDIG edition; it was an EU candidate or
# member at the time; it belonged to a group). Firth's penalty keeps the odds ratio finite when
# few adoptions separate the groups. First years that are only bounded or unknown are drawn from
# the years they may fall in (no national IGF before the first global IGF in 2006), with the
# chances of a yearly hazard fitted to the years seen; the odds ratios are pooled over the draws,
# with a 95% Wald interval on the penalised fit. The p-value comes from shuffling the first years
# across jurisdictions (borders, memberships and years kept) and comparing the adoptions in
# exposed years with those expected from each year's own rate. Power: the share of data sets
# simulated on the real borders and memberships, with the odds doubled or tripled by the
# exposure, in which the test finds the effect at the 5% level; the minimum detectable odds ratio
# is the one found 80% of the time. For speed the simulations use the Wald test of the penalised
# fit, which rejects a little less often than the permutation test: the power shown is, if
# anything, an underestimate.

# %% [markdown]
# ## Do jurisdictions follow their neighbours?
#
# Neighbours are data (`data/boundaries/neighbours.yaml`): land borders and sea links derived from
# the boundary file, out-of-scope neighbours (Italy, Austria, Poland, Belarus, ...) included but
# not coded, so they expose no one; the closed borders of Armenia with Turkey and Azerbaijan are
# left out of the main definition. Every other definition is a sensitivity row. Filled dots in
# the figure: adoptions after a neighbour's.

# %%
display(
    figure_image(
        dfig.event_history_figure(d),
        f"Jurisdictions that had adopted each mechanism by year, {d.window[0]}-{d.window[1]}, with the "
        "range over the unknowns, the start of EuroDIG and SEEDIG, and the neighbour test.",
    )
)
display(HTML(present.heading("Main definition", 3)))
display(HTML(dfig.tests_html(d, "neighbours", "main")))
display(HTML(present.heading("Other definitions of neighbours (sensitivity)", 3)))
display(HTML(dfig.tests_html(d, "neighbours", "sensitivity")))
display(HTML(present.paragraph(dfig.neighbours_note(d))))

# %% [markdown]
# ## Regional initiatives
#
# Adoptions and at-risk years before and from the start of EuroDIG and SEEDIG. Every jurisdiction
# meets the same calendar, so a break in time cannot be told apart from the general trend: this
# table is descriptive, without a p-value. The test after it asks instead whether jurisdictions
# that hosted a SEEDIG or EuroDIG edition adopted more often afterwards.

# %%
display(HTML(present.humanise(dfig.tables_html(d, "regional", "regional_timing", "hostings"))))
display(HTML(dfig.tests_html(d, "regional")))

# %% [markdown]
# ## EU status and other groupings
#
# EU candidate or member, and EU member, at the time (from each jurisdiction's EU status and its
# year); the Eastern Partnership from its launch in 2009; the other peer groups of
# `data/peer_groups.yaml` with their membership fixed over time. The p-values are two-sided. Many
# tests are run: compare the number below 0.05 with what chance alone would give, and the Holm
# column (over every main test of the page). Council of Europe membership and the external actors
# are not tested: the data carry no years for them.

# %%
display(HTML(dfig.tests_html(d, "groups")))

# %% [markdown]
# ## External roles
#
# The coded `external_role` assessments: how many name each actor, by mechanism and by the
# jurisdiction's outcome for that mechanism (from the panel; n/a for youth and regional
# initiatives). They record roles the sources describe, not causes.

# %%
display(
    HTML(
        present.paragraph(
            f"{d.roles['assessment'].nunique()} assessments, {len(d.roles)} actor mentions."
        )
    )
)
display(HTML(present.humanise(dfig.tables_html(d, "roles_mechanism", "roles_outcome"))))
display(HTML(present.humanise(dfig.roles_html(d.roles))))

# %% [markdown]
# ## Four cases, step by step
#
# Armenia, Serbia, Russia and Hungary: the coded events in the order they happened, then four
# candidate explanations (the registry seeded the others; neighbours went first; the EU pulled; a
# regional initiative pushed) held against the coded years and names. A consistent test is not
# proof; a failed one weighs against the explanation; "not recorded" says nothing either way.

# %%
display(HTML(present.humanise(dfig.narratives_html(d))))

# %% [markdown]
# ## Replicability notes: the conditions around each success
#
# One note per jurisdiction and adopted mechanism, generated from the coded data: every line
# carries its source ids; lines marked *derived* compare coded years or match names.

# %%
display(HTML(present.humanise(dfig.notes_html(d.notes))))

# %% [markdown]
# ## Sources cited

# %%
display(HTML(present.sources_list(d.cited_sources())))
