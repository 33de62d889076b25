"""The project's vocabulary: every code, mechanism, state, label, colour, mark, footnote and year bound.

This is the one place where these ideas are defined; the schema, the panel, the maps, the views, the
deck and the exports take them from here. It imports nothing heavy (no pandas, matplotlib or
pydantic), so any module can use it.

* :data:`CODES` -- every enumerated code of the data model with its definition (the codebook
  prints them); the schema's ``Literal`` types are built from it.
* :data:`MECHANISMS` -- the three mechanisms of the Multi-SEE typology, in order; their labels.
* :data:`STATES` -- the states a mechanism can be in each year (the adoption panel's ``state``),
  their labels, colours (Okabe-Ito, colour-blind safe) and which count as "adopted".
* :data:`CONFIDENCE_ORDER` and :data:`CONFIDENCE_MARKS` -- the confidence levels and their marks.
* :data:`KOSOVO_FOOTNOTE`, :data:`BOUNDARY_NOTE`, :data:`SOURCE_LINE` -- the lines every map and
  page carries.
"""

from __future__ import annotations

from analysis.model.clock import this_year

#: Years outside this range are rejected (the Internet's national institutions start after 1985).
MIN_YEAR = 1985
MAX_YEAR = this_year()

# --------------------------------------------------------------------------------------------
# Enumerated codes. Each maps a code to its definition (the definitions feed the codebook).
# --------------------------------------------------------------------------------------------

CODES: dict[str, dict[str, str]] = {
    "confidence": {
        "sourced": "Read in a source listed in `sources` (an archived copy of the page at its URL).",
        "inferred": "Derived by the coder from sourced facts; the reasoning is in `notes`.",
        "recalled": (
            "Background knowledge of a compiler, not found in archived material; a lead to verify,"
            " never evidence. Cites no source a reader could open: its `sources` list is empty"
            " (or names only sources that do not state the fact, with the reason in `notes`)."
        ),
    },
    "tri": {
        "yes": "Yes, per the coding rule of the field.",
        "partly": "In part, per the coding rule of the field.",
        "no": "No, per the coding rule of the field.",
    },
    "tri_unknown": {
        "yes": "Yes.",
        "partly": "In part.",
        "no": "No (a sourced absence, not a failure to find).",
        "unknown": "Not established from the sources at hand.",
    },
    "membership": {
        "yes": "A member.",
        "no": "Not a member (sourced).",
        "unknown": "Membership not established from the sources at hand.",
    },
    "subregion": {
        "western_balkans": "Albania, Bosnia and Herzegovina, Kosovo*, Montenegro, North Macedonia, Serbia.",
        "south_east_eu": "EU members of South Eastern Europe: Bulgaria, Croatia, Greece, Romania, Slovenia.",
        "central_europe": "Central European neighbour: Hungary.",
        "eastern_europe": "Moldova, Russia, Ukraine.",
        "south_caucasus": "Armenia, Azerbaijan, Georgia.",
        "eastern_mediterranean": "Cyprus, Türkiye.",
        "western_europe": "Switzerland (the outside reference).",
    },
    "scope_role": {
        "core": "A jurisdiction of the SEE+ region studied by the workbench.",
        "reference": "An outside reference case (Switzerland), shown for comparison, excluded from regional aggregates.",
    },
    "eu_status": {
        "member": "Member state of the European Union.",
        "candidate": "Official EU candidate country.",
        "potential_candidate": "Potential EU candidate.",
        "none": "Neither member nor (potential) candidate.",
    },
    "cctld_status": {
        "active": "Delegated in the DNS root today.",
        "historical": "Formerly delegated, since removed from the root (e.g. .yu).",
    },
    "legal_form": {
        "foundation": "A foundation or fund (private-law endowment) with its own governing bodies.",
        "association": "A membership association or membership NGO.",
        "non_profit_organisation": "A non-profit organisation of another form (e.g. a Russian autonomous non-profit organisation).",
        "non_profit_company": "A company that may not distribute profit (e.g. Hungarian Nonprofit Kft.).",
        "private_company": "A for-profit company (LLC, OOD, AD ...).",
        "public_institution": "A public institution set up by the state (e.g. javni zavod, instituție publică) that is not a regulator, ministry or university.",
        "academic_institution": "A university, university unit or public research institute.",
        "government_body": "A government, ministry or government agency.",
        "regulator": "A statutory sector regulator (telecommunications, ICT).",
        "individual": "Natural persons (early delegations).",
        "unknown": "Legal form not established.",
    },
    "multistakeholder": {
        "yes": (
            "The manager's formal governance (members, founders or board) takes in several"
            " stakeholder groups, or is open to them."
        ),
        "partly": (
            "A membership association or company that draws on one or two stakeholder groups, or a"
            " mixed group of founders with a strong state role."
        ),
        "no": (
            "A single government body, regulator, academic/public institution or private company,"
            " with no formal stakeholder governance found."
        ),
    },
    "event_type": {
        "created": "The TLD was introduced in the root (first delegation of the code).",
        "delegation": "Delegation of the TLD to a manager (for a new TLD, or a new IDN).",
        "redelegation": "Transfer of the TLD to a different manager (IANA redelegation/transfer).",
        "administrative_transfer": "Manager changed by merger or renaming, treated by IANA as administrative.",
        "operator_change": "Registry operator or technical administrator changed, manager unchanged.",
        "founding": "The managing organisation was founded or changed legal form.",
        "launch": "Public registration opened.",
        "policy_change": "Registration policy changed (liberalisation, fees, registrar model).",
        "approval": "A decision (ICANN Board, government) approving a delegation or string.",
        "removal": "The TLD was removed from the root.",
    },
    "initiative_kind": {
        "national": "A national IGF initiative (NRI) for one jurisdiction.",
        "youth": "A youth IGF initiative for one jurisdiction.",
        "regional": "A regional or sub-regional initiative (SEEDIG, EuroDIG).",
    },
    "initiative_status": {
        "active": "Held an edition in `status_confirmed`, the latest year with an edition found.",
        "dormant": "A source says it paused or did not meet: a `pauses` record (not `ended`) covers `status_confirmed`.",
        "ended": "A source says it ended: a `pauses` record of type `ended` starts no later than `status_confirmed`.",
        "planned": "Announced, no edition found yet.",
        "unknown": "Status not established (no edition found recently, and no source on a pause or an end).",
    },
    "pause_type": {
        "not_held": "A source says no edition was held in these years (the initiative went on).",
        "paused": "A source says the initiative was paused or suspended in these years.",
        "ended": "A source says the initiative ended (from `start` on; `end` is left empty).",
    },
    "edition_format": {
        "in_person": "Held in person.",
        "online": "Held online.",
        "hybrid": "In person with remote participation.",
        "unknown": "Format not stated.",
    },
    "organiser_role": {
        "host": "Hosts or leads the organisation of the initiative.",
        "co_organiser": "Co-organises.",
        "secretariat": "Provides the secretariat.",
        "supporter": "Supports (funding, partnership, sponsorship).",
        "committee_member": "Sits on the organising/executive committee.",
    },
    "stakeholder_group": {
        "government": "Government: ministries, agencies, regulators, parliament, local government.",
        "private_sector": "Private sector: companies, business and industry associations.",
        "civil_society": "Civil society: NGOs, user groups, media organisations.",
        "academia": "Academia: universities, research institutes.",
        "technical_community": "Technical community: registries, IXPs, network operators' groups, ISOC chapters, NRENs.",
        "intergovernmental": "Intergovernmental and international organisations (CoE, UNDP, ITU ...).",
        "unknown": "Stakeholder group not established.",
    },
    "legal_basis": {
        "law": "Established or named by a law.",
        "decree": "Established by a government decree or decree-law.",
        "government_decision": "Established by a government decision (other than a decree).",
        "ministerial_order": "Established by an order of a minister.",
        "charter": "Established by its members' own charter, rules or agreement.",
        "administrative_practice": "Run by an administration by practice, without a founding act found.",
        "none": "No legal basis (informal).",
        "unknown": "Legal basis not established.",
    },
    "body_type": {
        "council": "A council or board with appointed members.",
        "platform": "An open platform of interested parties.",
        "forum": "A standing forum with membership and rules.",
        "committee": "A committee or working group.",
    },
    "body_scope": {
        "national_policy": (
            "A national council, commission, platform or coordination body whose remit includes"
            " Internet, ICT, digital or information-society policy."
        ),
        "single_issue": (
            "A body with one narrow remit (e.g. child online safety, one domain's policy): recorded,"
            " but not part of the national-body mechanism."
        ),
    },
    "body_role": {
        "advisory": "Advises a minister or government.",
        "coordination": "Coordinates stakeholders' positions and activities.",
        "consultation": "A channel for consultation on policy.",
        "decision_making": "Takes binding decisions.",
        "unknown": "Role not established.",
    },
    "body_status": {
        "active": "Active at `status_as_of`.",
        "inactive": "Exists formally, not active at `status_as_of`.",
        "ended": "Abolished or replaced (see `ended`).",
        "unknown": "Status not established.",
    },
    "mechanism": {
        "cctld": "The ccTLD registry (mechanism 1 of the Multi-SEE typology).",
        "igf": "A national IGF initiative (mechanism 2).",
        "youth_igf": "A youth IGF initiative.",
        "body": "A national multistakeholder body guiding Internet policy (mechanism 3).",
    },
    "absence_finding": {
        "none": "A sourced absence: the mechanism does not exist (e.g. Kosovo* has no delegated ccTLD).",
        "not_found": "Searched, nothing found in the sources at hand: unknown, never read as 'no'.",
    },
    "dimension": {
        "motivation": "What motivated the mechanism's creation (seed question 1).",
        "external_role": "The role regional and international bodies played (IGF, ICANN, EC, CoE, ISOC, UNDP ...).",
        "challenges": "Challenges met in building or running the mechanism, and how they were addressed.",
        "functioning": "How the mechanism functions (bodies, decisions, participation).",
        "bpf_open": "BPF 2014 characteristic: open to all interested stakeholders.",
        "bpf_transparent": "BPF 2014 characteristic: transparent (process and documents public).",
        "bpf_inclusive": "BPF 2014 characteristic: inclusive and balanced among stakeholder groups.",
        "bpf_accessible": "BPF 2014 characteristic: accessible (low barriers, remote participation).",
        "bpf_iterative": "BPF 2014 characteristic: iterative (recurring, learning process).",
        "bpf_known": "BPF 2014 characteristic: known (publicly announced, visible).",
        "bpf_consensus": "BPF 2014 characteristic: decisions sought by rough consensus.",
    },
    "actor": {
        "IGF": "The UN Internet Governance Forum and its Secretariat.",
        "ICANN": "ICANN (incl. IANA functions and the ccNSO).",
        "EC": "The European Commission.",
        "CoE": "The Council of Europe.",
        "ISOC": "The Internet Society (global) or its chapters.",
        "UNDP": "The United Nations Development Programme.",
        "ITU": "The International Telecommunication Union.",
        "RIPE_NCC": "RIPE NCC.",
        "CENTR": "CENTR, the council of European ccTLD registries.",
        "EuroDIG": "EuroDIG.",
        "SEEDIG": "SEEDIG.",
        "other": "Another actor, named in `text`.",
    },
    "source_kind": {
        "iana_data": "A copy of IANA root-zone data or an IANA/ICANN delegation report.",
        "official": "A government, ministry or official gazette page.",
        "regulator": "A regulator's page.",
        "registry": "A ccTLD registry's own page.",
        "igf_secretariat": "The IGF Secretariat's pages.",
        "initiative": "An IGF initiative's or body's own page.",
        "icann": "ICANN, ccNSO or ICANN mailing-list material.",
        "ngo": "An NGO's or association's page.",
        "news": "A news article or press release.",
        "encyclopedia": "An encyclopedia page or wiki (incl. ICANNWiki).",
        "mirror": "A mirror or copy of another page (e.g. a Wikipedia mirror).",
        "aggregator": "A commercial aggregator of domain data.",
        "blog": "A blog post.",
        "ai_generated": "AI-generated encyclopedia (low reliability).",
        "document": "A report, slide deck or other document.",
        "commercial": "A commercial company's page.",
    },
    "reliability": {
        "high": "Primary or authoritative (IANA, the registry itself, official texts).",
        "medium": "Secondary but careful (encyclopedias, reputable news, NGO reports).",
        "low": "Weak (aggregators, AI-generated pages, low-quality mirrors).",
    },
    "collapse": {
        "yes": "The usual rendering is the ordinary word for 'multilateral' / 'many-sided'.",
        "partly": "Renderings vary; some collapse to 'multilateral', others keep 'stakeholder'.",
        "no": "The rendering keeps the sense of 'stakeholders' (or is a loanword).",
        "unknown": "Not established.",
    },
}

BPF_DIMENSIONS = [d for d in CODES["dimension"] if d.startswith("bpf_")]
TEXT_DIMENSIONS = [d for d in CODES["dimension"] if not d.startswith("bpf_")]


#: Separator of multi-valued cells in flat tables (``"a; b"``).
SEP = "; "

# --------------------------------------------------------------------------------------------
# Mechanisms
# --------------------------------------------------------------------------------------------

#: The three national MS mechanisms of the Multi-SEE typology, in the order they are shown.
MECHANISMS: tuple[str, ...] = tuple(m for m in CODES["mechanism"] if m != "youth_igf")

#: Short label of each mechanism (table columns, legends).
MECHANISM_LABELS: dict[str, str] = {
    "cctld": "ccTLD manager",
    "igf": "national IGF",
    "body": "MS body",
}
#: Full name of each mechanism (deck titles).
MECHANISM_NAMES: dict[str, str] = {
    "cctld": "ccTLD registries run on a multistakeholder (MS) model",
    "igf": "National Internet Governance Forum (IGF) initiatives",
    "body": "National multistakeholder bodies guiding Internet policy",
}
#: Title of each mechanism's map.
MAP_TITLES: dict[str, str] = {
    "cctld": "ccTLD registries: run on a multistakeholder model?",
    "igf": "National IGF initiatives",
    "body": "National multistakeholder bodies",
}
#: Label of each fact table's mechanism in coverage figures (youth IGFs counted apart).
FACT_LABELS: dict[str, str] = {
    "cctld": "ccTLD",
    "igf": "IGF",
    "youth_igf": "youth IGF",
    "body": "MS body",
}
#: What "adopted" means per mechanism (diffusion curves).
ADOPTED_LABELS: dict[str, str] = {
    "cctld": "ccTLD: multistakeholder or partly",
    "igf": "national IGF: held or dormant",
    "body": "MS body: active",
}

# --------------------------------------------------------------------------------------------
# Colours (Okabe-Ito, colour-blind safe)
# --------------------------------------------------------------------------------------------

BLUE, SKY, ORANGE, PURPLE, GREY = "#0072B2", "#56B4E9", "#E69F00", "#CC79A7", "#999999"
VERMILLION, GREEN, INK, MUTED = "#D55E00", "#009E73", "#1A1A1A", "#555555"
#: Fills dark enough to need white text.
DARK_FILLS = frozenset({BLUE, PURPLE, VERMILLION, GREEN})
#: One colour per mechanism (curves and event lanes).
MECHANISM_COLOURS: dict[str, str] = {"cctld": BLUE, "igf": VERMILLION, "body": GREEN}

# --------------------------------------------------------------------------------------------
# States of the adoption panel
# --------------------------------------------------------------------------------------------

#: The panel state a ccTLD manager's ``multistakeholder`` code (yes/partly/no) stands for.
CCTLD_CODING: dict[str, str] = {
    "yes": "multistakeholder",
    "partly": "partly_multistakeholder",
    "no": "not_multistakeholder",
}

#: The panel state a national body's ``multistakeholder`` code stands for: graded like ccTLD
#: managers (a body coded ``no`` is government-led), ``unknown`` composition stays unknown.
BODY_CODING: dict[str, str] = {**CCTLD_CODING, "unknown": "unknown"}

#: Each mechanism's states, from most to least multistakeholder, then ``unknown``:
#: (state, legend label, colour).
PALETTES: dict[str, list[tuple[str, str, str]]] = {
    "cctld": [
        ("multistakeholder", "multistakeholder ccTLD manager", BLUE),
        ("partly_multistakeholder", "partly multistakeholder", SKY),
        ("not_multistakeholder", "not multistakeholder", ORANGE),
        ("none", "no ccTLD delegated", PURPLE),
        ("unknown", "unknown", GREY),
    ],
    "igf": [
        ("held", "national IGF held", BLUE),
        ("dormant", "dormant (exists, no edition found that year)", SKY),
        ("none", "no national IGF", PURPLE),
        ("unknown", "unknown", GREY),
    ],
    "body": [
        ("multistakeholder", "multistakeholder national body", BLUE),
        ("partly_multistakeholder", "partly multistakeholder body", SKY),
        ("not_multistakeholder", "government-led body (not multistakeholder)", ORANGE),
        ("none", "no national body", PURPLE),
        ("unknown", "unknown", GREY),
    ],
}
#: The states of each mechanism, in legend order.
STATES: dict[str, tuple[str, ...]] = {m: tuple(s for s, _, _ in p) for m, p in PALETTES.items()}
#: Fill colour of each state, per mechanism.
STATE_COLOURS: dict[str, dict[str, str]] = {
    m: {s: colour for s, _, colour in p} for m, p in PALETTES.items()
}
#: Short cell label of each state.
STATE_LABELS: dict[str, str] = {
    "multistakeholder": "MS",
    "partly_multistakeholder": "partly MS",
    "not_multistakeholder": "not MS",
    "none": "none",
    "unknown": "unknown",
    "held": "held",
    "dormant": "dormant",
}
#: States counted as "adopted" (diffusion).
ADOPTED: dict[str, frozenset[str]] = {
    "cctld": frozenset({"multistakeholder", "partly_multistakeholder"}),
    "igf": frozenset({"held", "dormant"}),
    "body": frozenset({"multistakeholder", "partly_multistakeholder"}),
}

# --------------------------------------------------------------------------------------------
# Confidence and evidence
# --------------------------------------------------------------------------------------------

#: Confidence levels, weakest first.
CONFIDENCE_ORDER: tuple[str, ...] = ("recalled", "inferred", "sourced")
#: The mark printed beside a value of each confidence.
CONFIDENCE_MARKS: dict[str, str] = {"sourced": "●", "inferred": "◐", "recalled": "○"}
#: Evidence of a panel cell: ``weak`` when it rests on a recalled fact or only on
#: low-reliability sources.
EVIDENCE: tuple[str, ...] = ("strong", "weak")
#: Legend entry of the hatching drawn over weak or unknown values.
WEAK_LABEL = "weak evidence (recalled/inferred, low-reliability or unknown)"

# --------------------------------------------------------------------------------------------
# Lines every map and page carries
# --------------------------------------------------------------------------------------------

KOSOVO_FOOTNOTE = (
    "Kosovo*: This designation is without prejudice to positions on status, and is in line with "
    "UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence."
)
BOUNDARY_NOTE = (
    "Boundaries: Natural Earth 1:10m admin-0 countries (public domain), German point of view; "
    "simplified; Russia clipped to the map frame. Equal-area projection EPSG:3035."
)
#: The source line of maps and deck pages (prefixed with "Source: ").
SOURCE_LINE = "multisee dataset (data/countries/*.yaml, CC BY 4.0); states from the adoption panel"


def display_code(code: str) -> str:
    """A jurisdiction code as printed: ``XK`` carries the asterisk of the Kosovo* footnote."""
    return "XK*" if code == "XK" else code


#: Legend label of the jurisdictions left blank on a map because they are not in the selection.
NOT_SELECTED_LABEL = "not in the selection"


# --------------------------------------------------------------------------------------------
# Human labels of codes (pages show these, never the raw codes)
# --------------------------------------------------------------------------------------------

#: Labels that differ from "the code with spaces".
_LABELS: dict[str, str] = {
    # subregions are names: each word capitalised ("Eastern Mediterranean", "South East EU")
    **{
        s: " ".join(w.upper() if w == "eu" else w.capitalize() for w in s.split("_"))
        for s in CODES["subregion"]
    },
    "multistakeholder": "multistakeholder",
    "partly_multistakeholder": "partly multistakeholder",
    "not_multistakeholder": "not multistakeholder",
    "western_balkans": "Western Balkans",
    "south_east_eu": "South East EU",
    "central_europe": "Central Europe",
    "eastern_europe": "Eastern Europe",
    "south_caucasus": "South Caucasus",
    "cctld": "ccTLD",
    "igf": "national IGF",
    "youth_igf": "youth IGF",
    "body": "MS body",
    "not_found": "not found",
    # source kinds that are acronyms
    "iana_data": "IANA data",
    "ai_generated": "AI-generated",
    "igf_secretariat": "IGF Secretariat",
    "ngo": "NGO",
    "icann": "ICANN",
    **{
        d: "BPF: " + CODES["dimension"][d].split(": ", 1)[1].split(" (")[0].rstrip(".")
        for d in BPF_DIMENSIONS
    },
}


def label(code: object) -> str:
    """The human label of an enumerated code (``western_balkans`` → "Western Balkans",
    ``not_multistakeholder`` → "not multistakeholder", ``bpf_inclusive`` → "BPF: inclusive and
    balanced among stakeholder groups"); any other ``snake_case`` code reads with spaces. Text that
    is not a code (has spaces, capitals...) is returned unchanged."""
    if not isinstance(code, str):
        return "" if code is None else str(code)
    if code in _LABELS:
        return _LABELS[code]
    if code and code.replace("_", "").isalnum() and code == code.lower() and "_" in code:
        return code.replace("_", " ")
    return code


def coded_labels() -> dict[str, str]:
    """The ``snake_case`` codes of :data:`CODES` and the panel states, with their labels."""
    codes = {c for table in CODES.values() for c in table} | {s for p in STATES.values() for s in p}
    return {c: label(c) for c in sorted(codes, key=len, reverse=True) if "_" in c}
