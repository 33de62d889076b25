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
# # Timeline: how the mechanisms spread
#
# Diffusion of the three national multistakeholder (MS) mechanisms over the years, and the dated
# events behind them: ccTLD delegations and redelegations, the first national IGF edition and the
# founding of MS bodies.

# %% tags=["parameters"]
countries = "all"
start = 1990
end = None  # None: the latest complete data year

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.measures.events import timeline
from analysis.measures.narrative import diffusion_alt, events_alt
from analysis.products.figures import diffusion_figure, figure_image, timeline_figure
from analysis.products.record import record

tl = timeline(countries, start, end)
record("diffusion", tl.diffusion_records())
record("events", len(tl.events))
display(HTML(present.heading(f"Timeline {tl.start}–{tl.end}: {tl.label}", 1)))
display(HTML(present.paragraph(tl.note)))

# %% [markdown]
# ## Diffusion
#
# Jurisdictions (of the selection) where the mechanism is adopted each year: a ccTLD manager run
# on a multistakeholder model (fully or partly), a national IGF held or dormant, a (partly) multistakeholder national body.
# The grey band adds the jurisdictions whose state is unknown: the count could be that high.

# %%
display(figure_image(diffusion_figure(tl.diffusion), diffusion_alt(tl)))
last = tl.diffusion[tl.diffusion["year"] == tl.end]
display(
    HTML(
        present.table(
            last,
            {
                "year": "year",
                "mechanism": "mechanism",
                "adopted": "adopted",
                "unknown": "unknown",
                "n": "jurisdictions",
            },
        )
    )
)

# %% [markdown]
# ## Events
#
# Hollow markers rest on inferred or recalled facts.

# %%
display(
    figure_image(timeline_figure(tl.events, tl.codes, tl.start, tl.end, tl.names), events_alt(tl))
)
display(
    HTML(
        present.table(
            tl.events,
            {
                "country": "code",
                "date": "date",
                "event": "event",
                "detail": "what",
                "confidence": "confidence",
                "sources": "sources",
            },
            empty="No dated event in these years.",
        )
    )
)
