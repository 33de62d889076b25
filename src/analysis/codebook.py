"""Generate the codebook (``docs/codebook.md``) from the schema.

Everything in the codebook comes from ``analysis.schema`` (field descriptions, enumerated codes and
their definitions) through the column specifications of ``analysis.export``, which also produce the
Table Schemas of the data package: the codebook, the data package and the validator describe the
same data. The output is deterministic (no timestamps), so a test can check the committed file is
current.
"""

from __future__ import annotations

from pathlib import Path

from . import schema
from .export import SEP, TABLE_SPECS, TITLE, Column, TableSpec

_TEXT_DIMENSIONS = schema.TEXT_DIMENSIONS
_BPF_DIMENSIONS = schema.BPF_DIMENSIONS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(name: str, indent: str = "") -> list[str]:
    return [f"{indent}- `{k}`: {v}" for k, v in schema.CODES[name].items()]


def _intro() -> list[str]:
    out = [
        "# multisee codebook",
        "",
        f"*{TITLE}*",
        "",
        "This codebook is generated from `src/analysis/schema.py` by `analysis.codebook`"
        " (`make codebook`); do not edit it by hand. The same definitions produce the Table Schemas"
        " of the Frictionless Data Package (`datapackage.json`) and the README sheet of the XLSX"
        " export.",
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
        *[f"- `{d}`: {schema.CODES['dimension'][d]}" for d in _TEXT_DIMENSIONS],
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
        " archived copy was read.",
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
        "### 3.3 Absences: `none` versus `not_found`",
        "",
        *_codes("absence_finding"),
        "",
        '"Not found" is a value meaning unknown: it must never be read or aggregated as "no".'
        " A jurisdiction and mechanism with neither a record nor an absence is unresearched.",
        "",
        "### 3.4 BPF 2014 characteristics",
        "",
        "The characteristics of multistakeholder processes listed by the IGF's 2014 Best Practice"
        " Forum (BPF) on multistakeholder mechanisms. Each is an `assessments.dimension`, coded in"
        " `assessments.value` (`yes`, `partly`, `no`, `unknown`) with the evidence in `text`:",
        "",
        *[f"- `{d}`: {schema.CODES['dimension'][d]}" for d in _BPF_DIMENSIONS],
        "",
        "Coding values:",
        "",
        *_codes("tri_unknown"),
        "",
        "The seed-question dimensions take no value; the external-role answers list the actors"
        " involved in `assessments.actors`.",
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
    coded = [c for c in spec.columns if c.values is not None]
    if coded:
        out += ["", "Allowed values:", ""]
        for c in coded:
            if c.codes == "confidence":
                out.append(f"- `{c.name}`: a confidence level (see section 2).")
                continue
            src = f" (codes `{c.codes}`)" if c.codes else ""
            out.append(f"- `{c.name}`{src}:")
            values = c.values or {}
            out += [f"    - `{k}`: {v}" for k, v in values.items()]
    out.append("")
    return out


def _required(spec: TableSpec, name: str) -> bool:
    return any(c.name == name and c.required for c in spec.columns)


def _tables() -> list[str]:
    out = [
        "## 4. Tables and fields",
        "",
        "Types: `string`; `integer`; `year` (an integer year); `boolean` (`true`/`false`); `code`"
        " (one of the listed values); `date string`; `list of ...` (values joined with"
        f" `{SEP}`). A required field always has a value; an optional one may be empty.",
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
        "absence_finding",
        "tri_unknown",
    }
    rest = [k for k in schema.CODES if k not in used]
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_codebook(), encoding="utf-8")
    tmp.replace(path)
    return path
