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
# # Explore the Multi-SEE index
#
# Pick jurisdictions, a year and the weight of each mechanism; the table and the rank-interval
# figure below the controls update on every change (run the notebook in JupyterLab). Weights are
# normalised to sum 1; unknown states count 0.5, with bounds 0 and 1. Ranks are among all core
# jurisdictions ("=12": shared).

# %% tags=["parameters"]
countries = "all"
year = None  # None: the latest complete data year

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.measures.narrative import rank_alt
from analysis.products.explorer import Explorer
from analysis.products.figures import figure_image
from analysis.products.record import record

explorer = Explorer(countries=countries, year=year)
display(explorer.widget)
shown = explorer.render()

# %% [markdown]
# ## Default view
#
# A static copy of the view for the current choice: when the notebook is executed without a
# browser (reports, papermill) that is the initial choice (the `countries` and `year` parameters,
# equal weights).

# %%
chosen_codes, chosen_year, chosen_weights = explorer.current()
c, table_html, fig = explorer.view(chosen_codes, chosen_year, chosen_weights)
record("default_view", c.codes)
display(HTML(present.heading(f"Multi-SEE index {c.year}: {len(c.codes)} jurisdictions", 3)))
display(HTML(present.paragraph(c.note)))
display(HTML(table_html))
display(figure_image(fig, rank_alt(c)))
