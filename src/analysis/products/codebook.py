"""Generate the codebook (``docs/codebook.md``) from the table catalogue.

The tables and fields of the codebook come from the table catalogue (:mod:`analysis.model.catalog`),
which derives them from ``analysis.model.schema`` (field descriptions, enumerated codes and their
definitions) and which also produces the Table Schemas of the data package: the codebook, the data
package and the validator describe the same data. The output is deterministic (no timestamps), so a
test can check the committed file is current.
"""

from __future__ import annotations

from pathlib import Path

from analysis.measures.method import index_method
from analysis.measures.panel import CARRY_FORWARD_YEARS
from analysis.model import vocab
from analysis.model.atomic import atomic_write
from analysis.model.catalog import DERIVED_TABLES, RAW_TABLES, TABLE_SPECS, TITLE, Column, TableSpec
from analysis.model.schema_examples import EXAMPLES, RULES, verdict
from analysis.model.vocab import SEP

_TEXT_DIMENSIONS = vocab.TEXT_DIMENSIONS
_BPF_DIMENSIONS = vocab.BPF_DIMENSIONS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(name: str, indent: str = "") -> list[str]:
    return [f"{indent}- `{k}`: {v}" for k, v in vocab.CODES[name].items()]


def _intro() -> list[str]:
    out = [
        "# multisee codebook",
        "",
        f"*{TITLE}*",
        "",
        "This codebook is generated from the table catalogue (`src/analysis/model/catalog.py`, built on"
        " `src/analysis/model/schema.py`) by `analysis.products.codebook` (`make codebook`); do not edit it by"
        " hand. The same definitions produce the Table Schemas of the Frictionless Data Package"
        " (`datapackage.json`) and the README sheet of the XLSX export.",
        "",
        "**Spreadsheet safety.** In the CSV files a text cell that starts with `=`, `+`, `-`, `@`,"
        " a tab or a carriage return is written with a leading single quote (`'`), so that a"
        " spreadsheet shows it as text instead of running it as a formula (OWASP's advice against"
        " CSV injection); numbers, negative ones included, are written as they are. Strip that"
        " quote, or export with `multisee export --raw-csv` (`export(..., raw_csv=True)`) to get"
        " the text unchanged. The XLSX workbook stores every text cell as text, never as a"
        " formula.",
        "",
        "## 1. The dataset",
        "",
        "multisee records how far each jurisdiction of South Eastern Europe and the neighbouring"
        " area (SEE+) has adopted the three national multistakeholder (MS) Internet governance"
        ' mechanisms named by the SEEDIG 2015 session "Multi-SEE model" (EuroDIG wiki:'
        ' "Multistakeholder Internet governance mechanisms/approaches at national level"):',
        "",
        "1. **the ccTLD registry** run on a multistakeholder model (e.g. RNIDS for .rs), as opposed"
        " to a government, regulator, academic or private manager (tables `cctlds`,"
        " `cctld_events`, `cctld_domains`);",
        "2. **a national IGF initiative** (and youth IGF): first year, yearly editions, organisers,"
        " multistakeholder organising committee (tables `igf_initiatives`, `igf_editions`,"
        " `igf_organisers`, `body_composition`);",
        "3. **a national multistakeholder body** guiding Internet policy: councils, platforms,"
        " forums, with their legal basis and composition (tables `ms_bodies`, `body_composition`).",
        "",
        "For each mechanism the session's seed questions are answered in `assessments`:",
        "",
        *[f"- `{d}`: {vocab.CODES['dimension'][d]}" for d in _TEXT_DIMENSIONS],
        "",
        "Where a mechanism was not found, `absences` says whether its absence is sourced or whether"
        " it is simply unknown. The mechanism codes used there are:",
        "",
        *_codes("mechanism"),
        "",
        "### Scope",
        "",
        "One data file per jurisdiction (ISO 3166-1 alpha-2 codes; `XK` for Kosovo*, a designation"
        " without prejudice to positions on status). Subregions (a project classification):",
        "",
        *_codes("subregion"),
        "",
        "Scope roles:",
        "",
        *_codes("scope_role"),
        "",
        "The regional initiatives (SEEDIG, EuroDIG) are recorded without a jurisdiction.",
        "",
        "### Conventions of the tables",
        "",
        "- One row per record; the tables are listed in section 4 with their keys.",
        f"- List-valued fields (e.g. `sources`, `languages`) are joined with `{SEP}`.",
        '- A missing value is an empty cell (`missingValues: [""]`); integers are written'
        " without a decimal part.",
        "- Years are integers within 1985 and the current year (EU accession years may be"
        " earlier); dates are strings of the form YYYY, YYYY-MM or YYYY-MM-DD, as precise as the"
        " source allows.",
        "- Each `country` column refers to `countries.code`.",
        "",
    ]
    return out


def _provenance() -> list[str]:
    return [
        "## 2. Provenance",
        "",
        "### Confidence levels",
        "",
        "Every fact-bearing record carries `sources` (ids in the `sources` table) and a"
        " `confidence`:",
        "",
        *_codes("confidence"),
        "",
        "A `recalled` value is a lead to verify, never evidence: analyses should be able to drop"
        " it. Single fields whose provenance differs from their record's carry their own sources"
        " and confidence in the data files (`field_sources`, `field_confidence`); in the tables"
        " the coded fields have `<field>_confidence` and `<field>_sources` columns, which equal the"
        " record's unless set per field.",
        "",
        "Where sources disagree, the record keeps the preferred value and the alternatives, with"
        " their own sources and a note on why they are not preferred, are listed in `conflicts`.",
        "",
        "### Source reliability",
        "",
        "Each source in the `sources` table has a reliability:",
        "",
        *_codes("reliability"),
        "",
        "and a kind:",
        "",
        *_codes("source_kind"),
        "",
        "URLs are recorded exactly as archived, never reconstructed; `accessed` is the date the"
        " archived copy was read and `archived` the copy's own date where known. Every cited"
        " source can be opened by a reader; a fact with no such source is `recalled` and cites"
        " none.",
        "",
    ]


def _rules() -> list[str]:
    return [
        "## 3. Coding rules",
        "",
        "### 3.1 Multistakeholder (`yes` / `partly` / `no`)",
        "",
        "The same rule codes ccTLD managers (`cctlds.multistakeholder`, and the manager after an"
        " event in `cctld_events.manager_multistakeholder`) and national bodies"
        " (`ms_bodies.multistakeholder`): it looks at formal governance (members, founders, board,"
        " composition), not at consultation practice.",
        "",
        *_codes("multistakeholder"),
        "",
        "The facts the coding rests on are given in `cctlds.ms_rationale` (registries) and in"
        " `notes` and `body_composition` (bodies). The manager's legal form (`legal_form`) is coded"
        " separately; it informs but does not decide the coding. Bodies coded `no` are kept as"
        " contrast cases.",
        "",
        "### 3.2 IGF initiatives and editions",
        "",
        "An IGF edition is a national or youth forum of an initiative held in a given year, as"
        " found in the sources: one row per initiative and year in `igf_editions`. `number` is the"
        " ordinal as stated by the organisers or the sources (never computed by counting rows);"
        " an edition without a stated number has none. A year without an edition found is not"
        " coded as a year without a forum. `first_year` is the year of the first edition found;"
        " `established` is the year stated by the IGF Secretariat or the initiative. `recognised`"
        " says whether the IGF Secretariat lists the initiative as an NRI.",
        "",
        "Initiative kinds:",
        "",
        *_codes("initiative_kind"),
        "",
        "Initiative status:",
        "",
        *_codes("initiative_status"),
        "",
        "Pauses and ends (`igf_pauses`), recorded only where a source says so:",
        "",
        *_codes("pause_type"),
        "",
        "### 3.3 Absences: `none` versus `not_found`",
        "",
        *_codes("absence_finding"),
        "",
        '"Not found" is a value meaning unknown: it must never be read or aggregated as "no".'
        " A jurisdiction and mechanism with neither a record nor an absence is unresearched."
        " A `not_found` absence lists its searches (`searches`: the words, the kinds of sources"
        " looked at, the date), so that the gap can be audited and the search repeated.",
        "",
        *_panel_rules(),
        "### 3.6 The Multi-SEE index (written from the code)",
        "",
        index_method(),
        "",
        "### 3.4 BPF 2014 characteristics",
        "",
        "The characteristics of multistakeholder processes listed by the IGF's 2014 Best Practice"
        " Forum (BPF) on multistakeholder mechanisms. Each is an `assessments.dimension`, coded in"
        " `assessments.value` (`yes`, `partly`, `no`, `unknown`) with the evidence in `text`:",
        "",
        *[f"- `{d}`: {vocab.CODES['dimension'][d]}" for d in _BPF_DIMENSIONS],
        "",
        "Coding values:",
        "",
        *_codes("tri_unknown"),
        "",
        "The seed-question dimensions take no value; the external-role answers list the actors"
        " involved in `assessments.actors`.",
        "",
        *_record_rules(),
    ]


def _record_rules() -> list[str]:
    """The consistency rules of one record, with the worked examples of
    :mod:`analysis.model.schema_examples` and the verdict the schema gives each (tests run the same)."""
    out = [
        "### 3.7 Consistency rules of one record, with worked examples",
        "",
        "The validator (`multisee validate`) refuses a record that breaks one of these rules."
        " Each example below is run by the tests (`tests/test_rules_schema.py`) and its verdict"
        " here is the schema's own.",
        "",
    ]
    for key, rule in RULES.items():
        out += [f"- **{rule}**"]
        for ex in EXAMPLES:
            if ex.rule != key:
                continue
            said = verdict(ex)
            out.append(
                f"  - *Example:* {ex.text}: "
                + ("accepted." if said is None else f"refused (`{_cell(said)}`).")
            )
    return [*out, ""]


def _panel_rules() -> list[str]:
    """The rules of the adoption panel (``panel.adoption_panel``), with worked examples whose
    verdicts are computed (:mod:`analysis.measures.panel_examples`; the tests check them)."""
    from analysis.measures.panel_examples import example_sentence as ex

    return [
        "### 3.5 The adoption panel: one state per jurisdiction, year and mechanism",
        "",
        "The derived table `adoption_panel` gives the state of each mechanism in each year, the"
        " confidence of what the state rests on, whether that evidence is weak, and the source"
        " ids. The rules never turn a missing record into a claim: a year the data do not speak"
        " to is `unknown`, and nothing that rests on the absence of a record is `sourced`."
        " Each example below is a small constructed case; its verdict is the one the panel"
        " computes for it (`analysis.measures.panel_examples`, checked by"
        " `tests/test_panel_rules.py`).",
        "",
        "**National IGF** (youth and regional initiatives are not counted):",
        "",
        "1. `held` in a year with an edition found (the edition's confidence). "
        + ex("igf-edition"),
        "2. `held`, `inferred`, in the years bridged by ordinals: with the n-th edition in year Y"
        " and the (n+k)-th in year Y+k, and at most one edition a year, every year between held"
        " one. " + ex("igf-ordinals") + " " + ex("igf-ordinals-none"),
        "3. `dormant` in the years of a `not_held` or `paused` record, and `none` from the start"
        " of an `ended` record, with that record's source and confidence. An open pause runs to"
        " the initiative's `status_confirmed`. " + ex("igf-pause"),
        "4. `none`, `inferred`, before the start, when a source dates the start: the year of an"
        " edition numbered 1, or the `established` year. " + ex("igf-first"),
        "5. Every other year is `unknown`: an edition not found is not an edition not held. "
        + ex("igf-gap"),
        "6. Several national initiatives: the most active state wins (held > dormant >"
        " unknown > none). No national initiative: `none` only with an absence `none`, otherwise"
        " `unknown`.",
        "",
        "The initiative's `status` agrees with the panel: `active` needs an edition in"
        " `status_confirmed`; `dormant` a pause covering it; `ended` an `ended` record (checked"
        " by the validator).",
        "",
        "**ccTLD** (the jurisdiction's main ASCII ccTLD):",
        "",
        "1. The current manager's coding holds from `manager_since` to the latest year its"
        " sources date (the evidence rule below). " + ex("cctld-since"),
        '2. Without `manager_since`, from `manager_by` (a sourced "no later than" year),'
        ' `inferred`. *Example:* a dated 2014 page saying the manager has run the TLD "for over'
        ' 25 years" gives `manager_by: 1989`.',
        "3. Without either, from the earliest publication year of the coding's own sources,"
        " `inferred`; earlier years stay `unknown`. " + ex("cctld-from-sources"),
        "4. Before that, the coding carried by the latest manager-change event; before the first"
        " delegation, `none` (the delegation record's confidence); years under a recorded"
        " predecessor TLD (e.g. .yu) are `unknown`. *Example:* a TLD delegated in 1992 is `none`"
        " in 1990-1991.",
        "",
        "**National body** (bodies of `scope: national_policy`; single-issue bodies are"
        " recorded but excluded by rule), graded like ccTLD managers (`panel.body_grade`):",
        "",
        "1. A body holds its grade (`multistakeholder`, `partly_multistakeholder`,"
        " `not_multistakeholder` for a government-led body) from `established` to the last year"
        " its sources date it: the greatest of `last_evidenced`, `status_as_of` when `active`,"
        " and the years of its sources dated after its founding (without `established`, from"
        " the earliest of these, `inferred`); a year only `last_evidenced` dates carries that"
        " field's own confidence and sources (`inferred` when it was inferred). " + ex("body-span"),
        "2. A body of unknown composition is `unknown` (with a note): it exists, but may be"
        " either. " + ex("body-composition") + " After a sourced `ended`, the body is `none`"
        " (unless another body is known). " + ex("body-ended"),
        "3. Several bodies in a year: multistakeholder > partly > unknown > not multistakeholder"
        " > none. " + ex("body-several"),
        "4. Before the first body and after the evidence, `unknown` (another body may exist"
        " unseen); `none` only with an absence `none` or after a sourced end.",
        "",
        "**The evidence rule, the same for the three mechanisms.** A state holds over the years"
        " its sources date and no further; the carry-forward parameter"
        f" (`panel.CARRY_FORWARD_YEARS`, now {CARRY_FORWARD_YEARS}) carries a state that many"
        " years past its last dated source (`inferred`). A source is dated by `published`, else"
        " `archived`, else, for a live register (IANA root-zone data, a registry's own pages),"
        " the year it was read (`accessed`). " + ex("cctld-live"),
        "",
        "**Plans are not events.** A cell attested only by sources dated before its year reports"
        " a plan: `unknown`, with a note; it is `held` only with a later source. " + ex("igf-plan"),
        "",
        "**Conflicts and ordinals that move a start.** A recorded conflict whose alternative"
        " dates the start earlier (a delegation, an IGF's `established` or `first_year`) keeps"
        " the years from it to the accepted start `unknown`, never `none`; so does an ordinal"
        " (the n-th edition in year Y allows a first in Y - n + 1). " + ex("igf-ordinal-start"),
        "",
        "**Partial ordinals.** Between two numbered editions, the editions the ordinals leave"
        " for the years with no edition found (k in n years) bound the share of those years"
        " held: the cells stay `unknown` with `held_share` = k/n; k = n bridges them (`held`,"
        " `inferred`), k = 0 makes them `none` (`inferred`). " + ex("igf-partial"),
        "",
        "**Weak evidence.** A state is weak (`evidence: weak`) when it rests on a `recalled` fact"
        " or only on sources of `low` reliability (AI-generated pages, mirrors of unknown"
        " fidelity). The Multi-SEE index counts weak states like unknown ones in its bounds (0 in"
        " `low`, the maximum in `high`), maps hatch them and the country profile flags them. "
        + ex("weak")
        + " Weak evidence never outranks a sound inference: a year whose edition record is weak"
        " but which the ordinals of two better-sourced editions prove held is `held`,"
        " `inferred`, not weak. " + ex("igf-weak-bridged"),
        "",
    ]


def _field_row(c: Column) -> str:
    req = "required" if c.required else "optional"
    return f"| `{c.name}` | {_cell(c.display_type)} | {req} | {_cell(c.description)} |"


def _table(spec: TableSpec, n: int) -> list[str]:
    out = [f"### 4.{n} `{spec.name}`: {spec.title}", "", spec.description, ""]
    if spec.primary_key:
        out.append("Primary key: " + ", ".join(f"`{k}`" for k in spec.primary_key) + ".")
    else:
        out.append("Primary key: none (rows are not keyed).")
    for cols, res, ref in spec.foreign_keys:
        out.append(
            "Foreign key: "
            + ", ".join(f"`{c}`" for c in cols)
            + " references "
            + ", ".join(f"`{res}.{r}`" for r in ref)
            + (" (may be empty)." if not all(_required(spec, c) for c in cols) else ".")
        )
    out += ["", "| field | type | required | meaning |", "|---|---|---|---|"]
    out += [_field_row(c) for c in spec.columns]
    coded = [c for c in spec.columns if c.allowed is not None]
    if coded:
        out += ["", "Allowed values:", ""]
        for c in coded:
            if c.codes == "confidence":
                out.append(f"- `{c.name}`: a confidence level (see section 2).")
                continue
            values = c.values
            if values is None:  # values the field's description explains
                out.append(f"- `{c.name}`: " + ", ".join(f"`{v}`" for v in c.allowed or ()) + ".")
                continue
            src = f" (codes `{c.codes}`)" if c.codes else ""
            out.append(f"- `{c.name}`{src}:")
            out += [f"    - `{k}`: {v}" for k, v in values.items()]
    out.append("")
    return out


def _required(spec: TableSpec, name: str) -> bool:
    return any(c.name == name and c.required for c in spec.columns)


def _tables() -> list[str]:
    sections = {name: f"4.{i}" for i, name in enumerate(TABLE_SPECS, 1)}
    raw = f"{sections[RAW_TABLES[0]]}-{sections[RAW_TABLES[-1]]}"
    derived = f"{sections[DERIVED_TABLES[0]]}-{sections[DERIVED_TABLES[-1]]}"
    out = [
        "## 4. Tables and fields",
        "",
        "Types: `string`; `integer`; `year` (an integer year); `boolean` (`true`/`false`); `code`"
        " (one of the listed values); `date string`; `list of ...` (values joined with"
        f" `{SEP}`). A required field always has a value; an optional one may be empty.",
        "",
        f"Tables {raw} are read from the data files; tables {derived} are derived from them (the"
        " adoption panel of section 3.5, the Multi-SEE index and the research queue). The exports"
        " contain all of them.",
        "",
        "| section | table | contents | key |",
        "|---|---|---|---|",
    ]
    for i, spec in enumerate(TABLE_SPECS.values(), 1):
        key = ", ".join(f"`{k}`" for k in spec.primary_key) or "none"
        out.append(f"| 4.{i} | `{spec.name}` | {_cell(spec.title)} | {key} |")
    out.append("")
    for i, spec in enumerate(TABLE_SPECS.values(), 1):
        out += _table(spec, i)
    return out


def _other_codes() -> list[str]:
    used = {c.codes for t in TABLE_SPECS.values() for c in t.columns if c.codes}
    used |= {
        "confidence",
        "reliability",
        "source_kind",
        "mechanism",
        "subregion",
        "scope_role",
        "multistakeholder",
        "initiative_kind",
        "initiative_status",
        "pause_type",
        "absence_finding",
        "tri_unknown",
    }
    rest = [k for k in vocab.CODES if k not in used]
    if not rest:
        return []
    out = ["## 5. Other codes", ""]
    for k in rest:
        out += [f"`{k}`:", "", *_codes(k), ""]
    return out


def render_codebook() -> str:
    """The codebook as Markdown (deterministic)."""
    lines = [*_intro(), *_provenance(), *_rules(), *_tables(), *_other_codes()]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def write_codebook(path: Path) -> Path:
    """Write the codebook to ``path`` (atomically) and return the path."""
    return atomic_write(path, render_codebook())
