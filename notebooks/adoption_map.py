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
# # Adoption map
#
# One map of the SEE+ jurisdictions for a discussion session: the state of one national
# multistakeholder (MS) mechanism in a given year (`cctld`, `igf`, `body`), or the Multi-SEE index
# score (`index`, 0..1). Hatching marks weak evidence: a state that is unknown, or rests on recalled
# or inferred facts or only on low-reliability sources (for the index: any of the three
# mechanisms). Unknown is never read as "no". The map is the one `multisee map` draws for the same
# parameters (`analysis.products.adoption_map`).
#
# Parameters: `mechanism` (cctld | igf | body | index), `year`, `countries` (a peer-group id such
# as `western-balkans`, `all` for the core jurisdictions, codes such as `RS,AM`, or empty for every
# jurisdiction), `formats` (comma-separated png, svg, pdf) and `out_dir` (empty: display only; else
# a folder under the project's `reports/`, e.g. `maps`: nothing is written outside it).

# %% tags=["parameters"]
mechanism = "cctld"
year = None  # None: the latest complete data year
countries = "all"
formats = "png"
out_dir = ""

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.products.adoption_map import adoption_map, confine_out_dir, parse_formats
from analysis.products.record import record

fmts = parse_formats(formats)
save_dir = confine_out_dir(out_dir) if out_dir else None
view = adoption_map(mechanism, year, countries)
display(HTML(present.heading(f"{view.title}, {view.year}: {view.label}", 2)))
display(HTML(present.paragraph(view.year_note)))
display(HTML(view.img_html()))
display(HTML(present.paragraph(view.legend)))
display(HTML(present.legend()))

# %% [markdown]
# ## States and confidence

# %%
columns = (
    {
        "country": "code",
        "name": "jurisdiction",
        "score": "index",
        "low": "low",
        "high": "high",
        "rank": "rank",
        "rank_best": "best rank",
        "rank_worst": "worst rank",
        "cctld": "ccTLD",
        "cctld_confidence": "ccTLD conf.",
        "igf": "IGF",
        "igf_confidence": "IGF conf.",
        "body": "MS body",
        "body_confidence": "body conf.",
        "weak_evidence": "weak evidence",
    }
    if view.mechanism == "index"
    else {
        "country": "code",
        "name": "jurisdiction",
        "state": "state",
        "confidence": "confidence",
        "weak_evidence": "weak evidence",
    }
)
shown = view.table.copy()
if "rank" in shown.columns:  # ties as shared ranks ("=11")
    from analysis.measures.scoring import rank_labels

    shown["rank"] = (
        shown["rank_label"] if "rank_label" in shown.columns else rank_labels(shown["rank"])
    )
display(HTML(present.table(shown, columns)))
record("mechanism", view.mechanism)
record("year", view.year)
record("countries", view.countries)
record("states", view.states)
record("weak", view.weak)
_ = record("figure", view.describe())

# %%
if save_dir is not None:
    saved = [str(p) for p in view.save(save_dir, fmts)]
    display(HTML(present.paragraph("Saved: " + ", ".join(saved))))
    record("saved", saved)
