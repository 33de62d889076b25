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
# # Country profile
#
# One jurisdiction's three national multistakeholder (MS) Internet-governance mechanisms, as in
# the SEEDIG 2015 "Multi-SEE model" session: the ccTLD registry, the national IGF initiative and
# national MS bodies. Every row shows its confidence (sourced / inferred / recalled) and the
# sources are listed at the end.

# %% tags=["parameters"]
country = "RS"

# %%
from IPython.display import HTML, display

from analysis.measures import present
from analysis.measures.profile import country_profile
from analysis.model.vocab import label
from analysis.products.record import record

p = country_profile(country)
summary = p.summary()
record("summary", summary)
c = p.country
display(HTML(present.heading(f"{c['name']} ({p.code})", 1)))
eu = c.get("eu_status") or "not recorded"
display(
    HTML(
        present.paragraph(
            f"Subregion: {label(c['subregion'])}; EU status: {label(eu)}; role: {label(c['scope_role'])}."
        )
    )
)
if c.get("footnote"):
    display(HTML(present.paragraph(c["footnote"])))
display(HTML(present.legend()))

# %% [markdown]
# ## 1. ccTLD registries

# %%
display(
    HTML(
        present.table(
            p.cctlds,
            {
                "tld": "TLD",
                "status": "status",
                "manager": "manager (IANA)",
                "legal_form": "legal form",
                "multistakeholder": "MS model",
                "manager_since": "since",
                "centr": "CENTR",
                "ccnso": "ccNSO",
                "domains": "domains",
                "domains_as_of": "as of",
                "confidence": "confidence",
            },
        )
    )
)
display(HTML(present.table(p.cctlds, {"tld": "TLD", "ms_rationale": "why this MS coding"})))
display(HTML(present.heading("Delegation history", 3)))
display(
    HTML(
        present.table(
            p.events,
            {
                "tld": "TLD",
                "date": "date",
                "type": "event",
                "description": "what happened",
                "confidence": "confidence",
                "sources": "sources",
            },
        )
    )
)
display(HTML(present.notes(p.cctlds, "tld", "Notes on the ccTLD records")))

# %% [markdown]
# ## 2. IGF initiatives

# %%
display(
    HTML(
        present.table(
            p.igf,
            {
                "name": "initiative",
                "kind": "kind",
                "first_year": "first year",
                "edition_years": "editions found",
                "organisers": "organisers",
                "ms_committee": "MS committee",
                "recognised": "IGF-recognised",
                "status": "status",
                "confidence": "confidence",
            },
        )
    )
)
editions = p.editions.copy()
if not editions.empty and "initiative" in editions.columns:
    igf_names = dict(zip(p.igf["id"], p.igf["name"], strict=False)) if not p.igf.empty else {}
    editions["initiative"] = editions["initiative"].map(lambda i: igf_names.get(i, i))
display(
    HTML(
        present.table(
            editions,
            {
                "initiative": "initiative",
                "year": "year",
                "number": "no.",
                "date": "date",
                "city": "city",
                "format": "format",
                "confidence": "confidence",
            },
            empty="No editions found.",
        )
    )
)
display(HTML(present.notes(p.igf, "name", "Notes on the IGF initiatives")))
display(HTML(present.notes(p.editions, "year", "Notes on the editions")))

# %% [markdown]
# ## 3. National multistakeholder bodies

# %%
display(
    HTML(
        present.table(
            p.bodies,
            {
                "name": "body",
                "established": "established",
                "legal_basis": "legal basis",
                "multistakeholder": "MS",
                "groups": "stakeholder groups",
                "status": "status",
                "confidence": "confidence",
            },
            empty="No body recorded.",
        )
    )
)
display(HTML(present.notes(p.bodies, "name", "Notes on the bodies")))

# %% [markdown]
# ## Not found, or absent

# %%
display(
    HTML(
        present.table(
            p.absences,
            {
                "mechanism": "mechanism",
                "finding": "finding",
                "text": "what was searched / found",
                "confidence": "confidence",
                "sources": "sources",
            },
            empty="Nothing recorded as absent.",
        )
    )
)
display(HTML(present.notes(p.absences, "mechanism", "Notes on the absences")))

# %% [markdown]
# ## The seed session's questions and the BPF 2014 characteristics

# %%
record_names = {
    str(r["id"]): str(r["name"])
    for df in (p.cctlds, p.igf, p.bodies)
    if not df.empty and "id" in df.columns and "name" in df.columns
    for _, r in df.iterrows()
}
record_names.update(
    {str(r["id"]): f".{r['tld']}" for _, r in p.cctlds.iterrows()}
    if not p.cctlds.empty and "id" in p.cctlds.columns and "tld" in p.cctlds.columns
    else {}
)
assessments = p.assessments.copy()
if not assessments.empty and "mechanism_id" in assessments.columns:
    assessments["mechanism_id"] = assessments["mechanism_id"].map(lambda i: record_names.get(i, i))
display(
    HTML(
        present.table(
            assessments,
            {
                "mechanism_id": "mechanism",
                "dimension": "question",
                "value": "coding",
                "actors": "actors",
                "text": "evidence",
                "confidence": "confidence",
                "sources": "sources",
            },
            empty="No assessment coded yet.",
        )
    )
)
display(HTML(present.notes(assessments, "mechanism_id", "Notes on the assessments")))

# %% [markdown]
# ## Timeline
#
# The state of each mechanism by year in the adoption panel (hatched: resting on inferred or
# recalled facts), and the dated events.

# %%
from analysis.measures.events import events
from analysis.measures.narrative import country_states_alt
from analysis.measures.panel import adoption_panel
from analysis.products.figures import country_states_figure, figure_image

panel = adoption_panel()
display(
    figure_image(country_states_figure(panel, p.code), country_states_alt(c["name"], panel, p.code))
)
display(
    HTML(
        present.table(
            events([p.code]),
            {
                "date": "date",
                "event": "event",
                "detail": "what",
                "confidence": "confidence",
                "sources": "sources",
            },
            empty="No dated event recorded.",
        )
    )
)

# %% [markdown]
# ## Position among peers
#
# The Multi-SEE index ranked as stated below (the default ranking of every page: the latest
# complete data year, or the stock over the years to it when that year is thinly documented;
# default weights), with its bounds (unknowns counted worst / best) and rank interval, among all
# core jurisdictions and within each peer group ("=12": a rank shared within that group);
# p05–p95: percentiles over 1000 draws that vary the weights, the imputation of unknowns, the
# scores of partial states and the aggregation together.

# %%
from analysis.measures.comparison import PEER_HEADINGS, peer_positions, position, source_citations
from analysis.measures.selection import resolve_period, year_note

period = resolve_period(None, panel)
pos = position(p.code, panel)
record("position", pos)
display(HTML(present.paragraph(f"{year_note(pos['year'], True)} {period.note}")))
peers = peer_positions(p.code, panel=panel)
peers["rank"] = peers["rank_label"]  # as printed: "=12" when shared within the group
if pos["rank"] is None:
    display(
        HTML(
            present.paragraph(
                f"{c['name']} is a reference case outside the core jurisdictions: it is scored, not ranked."
            )
        )
    )
display(HTML(present.table(peers.round(3), PEER_HEADINGS)))

# %% [markdown]
# ## Sources

# %%
display(HTML(present.sources_list(p.sources)))
_ = record("n_sources", len(p.sources))

# %%
citations = source_citations(
    [p.cctlds, p.events, p.igf, p.editions, p.bodies, p.assessments, p.absences], p.sources
)
display(HTML(present.heading("Records citing each source, by confidence", 3)))
display(
    HTML(
        present.table(
            citations,
            {
                "id": "source",
                "sourced": "sourced",
                "inferred": "inferred",
                "recalled": "recalled",
                "total": "records",
            },
            source_columns=["id"],
        )
    )
)

# %% [markdown]
# ## What changed since the last release

# %%
from analysis.measures.datadiff import changes_since_release
from analysis.products.diff_render import render_changes

display(HTML(present.humanise(render_changes(changes_since_release(p.code, effect=False)))))
