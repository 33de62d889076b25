"""The catalogue of tables: every table's fields, types, enums, keys and descriptions, in one place.

:data:`TABLE_SPECS` holds one :class:`TableSpec` per table, in export order:

* the tables loaded from the data files (:data:`RAW_TABLES`: ``countries`` ... ``sources``), whose
  columns are derived from ``schema.py`` (types from the pydantic annotations, descriptions from
  the ``Field`` descriptions, allowed values from ``vocab.CODES``) plus the columns the loader adds;
* the derived tables (:data:`DERIVED_TABLES`: ``adoption_panel``, ``index``, ``gaps``), computed
  from the others by :mod:`analysis.measures.panel`, :mod:`analysis.measures.scoring` and :mod:`analysis.measures.gaps`.

The loader (:mod:`analysis.model.load`) builds its frames with these columns, the exporter
(:mod:`analysis.products.export`) writes the Table Schemas of the data package from them
(:meth:`TableSpec.table_schema`) and the codebook (:mod:`analysis.products.codebook`) documents them, so the
three never drift apart. The package metadata (title, licence, version ...) lives here too.

This module writes nothing and imports no pandas: any module can read the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from analysis.model import schema, vocab
from analysis.model.fieldtypes import DATE_PATTERN, field_type, is_nested
from analysis.model.vocab import SEP

# --------------------------------------------------------------------------------------------
# 1. The package
# --------------------------------------------------------------------------------------------

NAME = "multisee"
TITLE = (
    "multisee: national multistakeholder Internet governance in South Eastern Europe and the"
    " neighbouring area (SEE+)"
)
DESCRIPTION = (
    "How far each jurisdiction of South Eastern Europe and the neighbouring area (SEE+) has adopted"
    " the three national multistakeholder Internet governance mechanisms named by the SEEDIG 2015"
    ' session "Multi-SEE model": (1) ccTLD registries run on a multistakeholder model, (2) national'
    " (and youth) IGF initiatives with their yearly editions and organisers, (3) national"
    " multistakeholder bodies guiding Internet policy. Every fact-bearing record cites its sources"
    " (the `sources` resource) and carries a confidence (sourced, inferred, recalled); absences are"
    " recorded explicitly, and 'not found' means unknown, never 'no'."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
CONTRIBUTORS = [{"title": "multisee contributors", "roles": ["creator"]}]
KEYWORDS = [
    "Internet governance",
    "multistakeholder",
    "ccTLD",
    "IGF",
    "national and regional IGF initiatives",
    "SEEDIG",
    "EuroDIG",
    "South Eastern Europe",
    "Western Balkans",
    "South Caucasus",
]
CITATION = (
    "multisee contributors (2026). multisee: national multistakeholder Internet governance in"
    " South Eastern Europe and the neighbouring area (SEE+). Dataset, version {version}."
    " Licensed under CC BY 4.0."
)

# --------------------------------------------------------------------------------------------
# 2. Columns and tables
# --------------------------------------------------------------------------------------------

#: Codes whose order is meaningful (written as ``categoriesOrdered``).
ORDERED_CODES = frozenset({"tri", "multistakeholder", "confidence", "reliability"})


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean, year
    description: str
    required: bool = False
    codes: str | None = None  # key of vocab.CODES (definitions appended to the description)
    local_codes: Mapping[str, str] | None = None  # codes defined here (not in vocab.CODES)
    enum: tuple[str, ...] | None = None  # allowed values the description itself explains
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    is_list: bool = False  # a list joined with "; "
    is_date: bool = False  # YYYY, YYYY-MM or YYYY-MM-DD
    element: str | None = None  # type of the list elements, for lists

    @property
    def values(self) -> dict[str, str] | None:
        """Allowed values with their definitions (code -> definition), or None."""
        if self.codes:
            return dict(vocab.CODES[self.codes])
        if self.local_codes:
            return dict(self.local_codes)
        return None

    @property
    def allowed(self) -> list[str] | None:
        """Allowed values (with or without definitions), or None when any value is allowed."""
        values = self.values
        if values is not None:
            return list(values)
        return list(self.enum) if self.enum is not None else None

    @property
    def display_type(self) -> str:
        if self.is_list:
            return f"list of {self.element or 'string'} (joined with `{SEP}`)"
        if self.is_date:
            return "date string (YYYY, YYYY-MM or YYYY-MM-DD)"
        if self.allowed is not None:
            return "code"
        return self.type

    def field_descriptor(self) -> dict[str, Any]:
        """The Table Schema (v2) field descriptor."""
        desc = self.description
        values = self.values
        if values and self.is_list:
            desc += " Values: " + " ".join(f"`{k}`: {v}" for k, v in values.items())
        elif values:
            desc += " Codes: " + " ".join(f"`{k}`: {v}" for k, v in values.items())
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": desc}
        if self.is_date:
            out["format"] = "default"
        cons: dict[str, Any] = {}
        if self.required:
            cons["required"] = True
        allowed = self.allowed
        if allowed and not self.is_list:
            out["categories"] = allowed
            if self.codes in ORDERED_CODES:
                out["categoriesOrdered"] = True
            cons["enum"] = list(allowed)
        if self.minimum is not None and self.type in ("integer", "year", "number"):
            cons["minimum"] = self.minimum
        if self.maximum is not None and self.type in ("integer", "year", "number"):
            cons["maximum"] = self.maximum
        if self.pattern and self.type == "string" and not self.is_list and not allowed:
            cons["pattern"] = self.pattern
        if cons:
            out["constraints"] = cons
        return out


ForeignKey = tuple[tuple[str, ...], str, tuple[str, ...]]  # (columns, resource, its columns)


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns, keys and descriptions."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: the record models of ``schema.py`` the rows come from (none for derived tables)
    models: tuple[type[BaseModel], ...] = ()
    #: model fields that are not columns (nested records, flattened into tables of their own)
    dropped: frozenset[str] = field(default_factory=frozenset)
    #: computed from the other tables (not loaded from the data files)
    derived: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def table_schema(self) -> dict[str, Any]:
        """The Frictionless Table Schema (v2)."""
        out: dict[str, Any] = {
            "fields": [c.field_descriptor() for c in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            out["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            out["foreignKeys"] = [
                {
                    "fields": list(cols),
                    "reference": {"resource": res, "fields": list(ref)},
                }
                for cols, res, ref in self.foreign_keys
            ]
        return out


# --------------------------------------------------------------------------------------------
# 3. The tables loaded from the data files, derived from schema.py
# --------------------------------------------------------------------------------------------

#: Fields whose provenance may differ from their record's: each gets ``<field>_confidence`` and
#: ``<field>_sources`` columns in its table.
PROVENANCE_FIELDS: dict[str, tuple[str, ...]] = {
    "cctlds": (
        "manager",
        "legal_form",
        "multistakeholder",
        "manager_since",
        "manager_by",
        "delegated",
        "centr",
        "ccnso",
        "hosts_igf",
    ),
    "igf_initiatives": ("first_year", "ms_committee", "recognised"),
    "ms_bodies": ("established", "legal_basis", "multistakeholder", "status"),
}


def _col(
    model: type[BaseModel],
    fname: str,
    *,
    name: str | None = None,
    description: str | None = None,
    optional: bool = False,
    type_: str | None = None,
) -> Column:
    info = model.model_fields[fname]
    a = field_type(info.annotation, info.metadata, fname)
    if a.is_list:
        required = a.min_len >= 1
    else:  # a field with a (non-None) default always has a value
        required = not a.optional and (info.is_required() or info.default is not None)
    if optional:
        required = False
    return Column(
        name=name or fname,
        type=type_ or a.type,
        description=description or info.description or "",
        required=required,
        codes=a.codes,
        minimum=a.minimum,
        maximum=a.maximum,
        pattern=a.pattern,
        is_list=a.is_list,
        is_date=a.is_date,
        element="source ids" if a.is_list and fname.endswith("sources") else a.element,
    )


_SKIP = frozenset({"conflicts", "field_sources", "field_confidence"})
_FACT = ("sources", "confidence", "notes")


def _model_cols(
    model: type[BaseModel], *, optional: bool = False, **overrides: Column
) -> list[Column]:
    """The scalar columns of a model (nested records skipped): its own fields first, then the
    provenance fields every fact carries (``sources``, ``confidence``, ``notes``)."""
    names = [f for f in model.model_fields if f not in _SKIP and not is_nested(model, f)]
    names = [f for f in names if f not in _FACT] + [f for f in names if f in _FACT]
    return [overrides.get(f) or _col(model, f, optional=optional) for f in names]


def _nested(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(f for f in model.model_fields if f not in _SKIP and is_nested(model, f))


def _prov(model: type[BaseModel], coded: Sequence[str]) -> list[Column]:
    out = []
    for f in coded:
        kind = "field" if f in model.model_fields else "value"
        out.append(
            Column(
                f"{f}_confidence",
                "string",
                f"Confidence of `{f}`: the record's `confidence`, unless `field_confidence` sets one"
                f" for this {kind}.",
                required=True,
                codes="confidence",
            )
        )
        out.append(
            Column(
                f"{f}_sources",
                "string",
                f"Source ids for `{f}`: the record's `sources`, unless `field_sources` sets them for"
                f" this {kind}; empty when it is recalled (no source a reader could open).",
                is_list=True,
                element="source ids",
            )
        )
    return out


def _country(required: bool = True, what: str = "record") -> Column:
    desc = f"Jurisdiction of the {what} (`countries.code`)."
    if not required:
        desc += " Empty for regional initiatives (SEEDIG, EuroDIG)."
    return Column("country", "string", desc, required=required, pattern="[A-Z]{2}")


_COUNTRY_FK = (("country",), "countries", ("code",))

_BODY_KIND = {
    "body": "A multistakeholder body (`body` is an `ms_bodies.id`).",
    "igf_committee": "An IGF organising committee (`body` is an `igf_initiatives.id`).",
}


def _raw_specs() -> list[TableSpec]:
    s = schema
    specs: list[TableSpec] = []

    eu = [
        _col(s.EUStatus, "value", name="eu_status", optional=True),
        _col(s.EUStatus, "since", name="eu_since", optional=True, type_="year"),
        Column("eu_status_confidence", "string", "Confidence of `eu_status`.", codes="confidence"),
        Column(
            "eu_status_sources",
            "string",
            "Source ids for `eu_status`.",
            is_list=True,
            element="source ids",
        ),
    ]
    specs.append(
        TableSpec(
            "countries",
            "Jurisdictions",
            "One row per jurisdiction (one data file each): names, subregion, scope role, official"
            " languages and relation to the European Union.",
            (
                *_model_cols(s.CountryFile),
                *eu,
                Column("file", "string", "The data file of the jurisdiction.", required=True),
            ),
            primary_key=("code",),
            models=(s.CountryFile, s.EUStatus),
            dropped=_nested(s.CountryFile),
        )
    )

    specs.append(
        TableSpec(
            "cctlds",
            "ccTLDs",
            "One row per ccTLD or IDN ccTLD delegated to a jurisdiction (including historical ones),"
            " with its manager as listed by IANA, the manager's legal form and multistakeholder"
            " coding, memberships, and the latest domain count.",
            (
                _country(),
                *_model_cols(s.CcTLD),
                Column(
                    "tld_ascii",
                    "string",
                    "The TLD in ASCII (the Punycode `xn--` form for IDN ccTLDs).",
                    required=True,
                ),
                Column(
                    "domains",
                    "integer",
                    "Latest domain count (the most recent `as_of` in `cctld_domains`).",
                    minimum=0,
                ),
                Column(
                    "domains_as_of",
                    "string",
                    "Date the latest domain count refers to.",
                    is_date=True,
                    pattern=DATE_PATTERN,
                ),
                *_prov(s.CcTLD, PROVENANCE_FIELDS["cctlds"]),
            ),
            primary_key=("tld",),
            foreign_keys=(_COUNTRY_FK,),
            models=(s.CcTLD,),
            dropped=_nested(s.CcTLD),
        )
    )

    tld_col = Column("tld", "string", "The ccTLD (`cctlds.tld`).", required=True)
    specs.append(
        TableSpec(
            "cctld_events",
            "ccTLD delegation history",
            "Dated history of the ccTLDs (creation, delegations, redelegations, launches, policy"
            " changes, removal): one row per event.",
            (_country(), tld_col, *_model_cols(s.Event)),
            primary_key=("tld", "date", "type"),
            foreign_keys=(_COUNTRY_FK, (("tld",), "cctlds", ("tld",))),
            models=(s.Event,),
        )
    )
    specs.append(
        TableSpec(
            "cctld_domains",
            "ccTLD domain counts",
            "Numbers of registered domain names under the ccTLDs, one row per count and date.",
            (_country(), tld_col, *_model_cols(s.DomainCount)),
            primary_key=("tld", "as_of"),
            foreign_keys=(_COUNTRY_FK, (("tld",), "cctlds", ("tld",))),
            models=(s.DomainCount,),
        )
    )

    specs.append(
        TableSpec(
            "igf_initiatives",
            "IGF initiatives",
            "National, youth and regional IGF initiatives, one row per initiative; regional"
            " initiatives (SEEDIG, EuroDIG) have no country.",
            (
                _country(required=False, what="initiative"),
                *_model_cols(s.IGFInitiative),
                Column(
                    "n_editions",
                    "integer",
                    "Number of editions found (rows in `igf_editions`).",
                    required=True,
                    minimum=0,
                ),
                Column("last_year", "year", "Year of the latest edition found."),
                Column(
                    "edition_years",
                    "string",
                    "Years of the editions found, ascending.",
                    is_list=True,
                    element="years",
                ),
                Column(
                    "organisers",
                    "string",
                    "Names of the organisers (roles and groups in `igf_organisers`).",
                    is_list=True,
                    element="strings",
                ),
                *_prov(s.IGFInitiative, PROVENANCE_FIELDS["igf_initiatives"]),
            ),
            primary_key=("id",),
            foreign_keys=(_COUNTRY_FK,),
            models=(s.IGFInitiative,),
            dropped=_nested(s.IGFInitiative) - {"organisers"},
        )
    )
    ini_col = Column(
        "initiative", "string", "The IGF initiative (`igf_initiatives.id`).", required=True
    )
    specs.append(
        TableSpec(
            "igf_organisers",
            "IGF organisers",
            "Organisers of the IGF initiatives with their stakeholder group and role, one row per"
            " initiative, organisation and role.",
            (ini_col, _country(required=False, what="initiative"), *_model_cols(s.Organiser)),
            primary_key=("initiative", "name", "role"),
            foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
            models=(s.Organiser,),
        )
    )
    specs.append(
        TableSpec(
            "igf_editions",
            "IGF editions",
            "Editions of the IGF initiatives, one row per initiative and year.",
            (
                ini_col,
                _country(required=False, what="initiative"),
                _col(
                    s.IGFInitiative,
                    "kind",
                    description="Kind of the initiative (as in `igf_initiatives`).",
                ),
                *_model_cols(s.Edition),
            ),
            primary_key=("initiative", "year"),
            foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
            models=(s.Edition,),
        )
    )

    specs.append(
        TableSpec(
            "igf_pauses",
            "IGF pauses and ends",
            "Years in which a source says an IGF initiative did not meet, paused, or from which it"
            " ended; one row per initiative, type and start year. Years with no edition found and"
            " no such record are unknown, never a pause.",
            (ini_col, _country(required=False, what="initiative"), *_model_cols(s.Pause)),
            primary_key=("initiative", "type", "start"),
            foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
            models=(s.Pause,),
        )
    )

    specs.append(
        TableSpec(
            "ms_bodies",
            "Multistakeholder bodies",
            "National multistakeholder bodies guiding Internet policy (councils, platforms, forums,"
            " committees), and contrast cases coded `multistakeholder: no`; one row per body.",
            (
                _country(what="body"),
                *_model_cols(s.MSBody),
                Column(
                    "groups",
                    "string",
                    "Stakeholder groups in the body's composition (details in `body_composition`),"
                    " sorted.",
                    is_list=True,
                    codes="stakeholder_group",
                    element="`stakeholder_group` codes",
                ),
                *_prov(s.MSBody, PROVENANCE_FIELDS["ms_bodies"]),
            ),
            primary_key=("id",),
            foreign_keys=(_COUNTRY_FK, (("successor",), "ms_bodies", ("id",))),
            models=(s.MSBody,),
            dropped=_nested(s.MSBody),
        )
    )
    specs.append(
        TableSpec(
            "body_composition",
            "Composition of bodies and committees",
            "Composition by stakeholder group of the multistakeholder bodies (`kind` body) and of"
            " the IGF organising committees (`kind` igf_committee), one row per group entry.",
            (
                Column(
                    "body",
                    "string",
                    "Id of the body (`ms_bodies.id`) or of the IGF initiative"
                    " (`igf_initiatives.id`), per `kind`.",
                    required=True,
                ),
                _country(required=False, what="body or initiative"),
                Column(
                    "kind",
                    "string",
                    "Whose composition the row describes.",
                    required=True,
                    local_codes=_BODY_KIND,
                ),
                *_model_cols(s.Member),
            ),
            primary_key=("body", "kind", "group"),
            foreign_keys=(_COUNTRY_FK,),
            models=(s.Member,),
        )
    )

    specs.append(
        TableSpec(
            "assessments",
            "Assessments",
            "Answers to the seed questions (motivation, external role, challenges, functioning)"
            " and the BPF 2014 codings, one row per mechanism and dimension.",
            (_country(required=False, what="mechanism"), *_model_cols(s.Assessment)),
            primary_key=("mechanism_id", "dimension"),
            foreign_keys=(_COUNTRY_FK,),
            models=(s.Assessment,),
        )
    )
    specs.append(
        TableSpec(
            "absences",
            "Absences",
            "Mechanisms recorded as absent (`none`, a sourced absence) or searched and not found"
            " (`not_found`: unknown, never 'no'), one row per jurisdiction and mechanism.",
            (
                _country(what="absence"),
                *_model_cols(s.Absence),
                Column(
                    "n_searches",
                    "integer",
                    "Number of searches recorded for it (rows in `searches`).",
                    required=True,
                    minimum=0,
                ),
            ),
            primary_key=("country", "mechanism"),
            foreign_keys=(_COUNTRY_FK,),
            models=(s.Absence,),
            dropped=_nested(s.Absence),
        )
    )
    specs.append(
        TableSpec(
            "searches",
            "Searches that found nothing",
            "The searches behind each `not_found` absence (what was searched for, where, when), so"
            " that a gap can be audited and the search repeated; one row per search.",
            (
                _country(what="search"),
                _col(s.Absence, "mechanism"),
                *_model_cols(s.Search),
            ),
            primary_key=("country", "mechanism", "query", "looked_at"),
            foreign_keys=(
                _COUNTRY_FK,
                (("country", "mechanism"), "absences", ("country", "mechanism")),
            ),
            models=(s.Search,),
        )
    )
    specs.append(
        TableSpec(
            "terms",
            "Renderings of 'multistakeholder'",
            "How 'multistakeholder' is rendered in the languages of the region, and whether the"
            " rendering collapses to 'multilateral'.",
            tuple(_model_cols(s.Term)),
            primary_key=("language_code", "rendering"),
            models=(s.Term,),
        )
    )
    specs.append(
        TableSpec(
            "peer_groups",
            "Peer groups",
            "Groups of jurisdictions used for comparisons (EU members, candidates, Eastern"
            " Partnership ...).",
            tuple(_model_cols(s.PeerGroup)),
            primary_key=("id",),
            models=(s.PeerGroup,),
        )
    )
    c = s.Conflict
    specs.append(
        TableSpec(
            "conflicts",
            "Conflicting values",
            "Alternative values found in other sources for single fields, beside the preferred"
            " value the record keeps; one row per alternative.",
            (
                Column(
                    "table",
                    "string",
                    "Table of the record.",
                    required=True,
                    local_codes={
                        "cctlds": "A ccTLD (`key` is the `tld`).",
                        "cctld_events": "A ccTLD event (`key` is `tld/date`).",
                        "igf_initiatives": "An IGF initiative (`key` is its `id`).",
                        "igf_editions": "An IGF edition (`key` is `initiative/year`).",
                        "ms_bodies": "A multistakeholder body (`key` is its `id`).",
                    },
                ),
                Column("key", "string", "Key of the record in that table.", required=True),
                _country(required=False),
                _col(c, "field"),
                Column("preferred_value", "string", "The record's own (preferred) value, as text."),
                Column(
                    "preferred_sources",
                    "string",
                    "Source ids of the preferred value (empty when it is recalled).",
                    is_list=True,
                    element="source ids",
                ),
                _col(c, "value", name="alternative_value", type_="string"),
                _col(c, "sources", name="alternative_sources"),
                _col(c, "confidence", name="alternative_confidence"),
                _col(c, "note"),
            ),
            foreign_keys=(_COUNTRY_FK,),
            models=(c,),
        )
    )
    specs.append(
        TableSpec(
            "sources",
            "Sources",
            "The source registry: every source cited in a `sources` column, with the URL exactly"
            " as archived, its kind and reliability.",
            (
                *_model_cols(s.Source),
                Column("file", "string", "The registry file listing the source.", required=True),
            ),
            primary_key=("id",),
            models=(s.Source,),
        )
    )
    return specs


# --------------------------------------------------------------------------------------------
# 4. The derived tables: adoption panel, index, research queue
# --------------------------------------------------------------------------------------------

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


def _derived_specs() -> list[TableSpec]:
    panel = TableSpec(
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
    )
    index = TableSpec(
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
    )
    gaps = TableSpec(
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
    )
    sensitivity = TableSpec(
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
    )
    robust = TableSpec(
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
    )
    quality = TableSpec(
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
    )
    return [panel, index, gaps, sensitivity, robust, quality]


# --------------------------------------------------------------------------------------------
# 5. The catalogue
# --------------------------------------------------------------------------------------------

#: Every table's spec, in export order: the loaded tables, then the derived ones.
#: Columns the exports add to a table (not in the library's frame): table -> (after, column).
EXPORT_COLUMNS: dict[str, tuple[tuple[str, Column], ...]] = {"index": (("country", _D_NAME),)}


def export_columns(name: str) -> list[Column]:
    """The columns the exports write for table ``name``: its spec's, with :data:`EXPORT_COLUMNS`
    inserted."""
    cols = list(TABLE_SPECS[name].columns)
    for after, col in EXPORT_COLUMNS.get(name, ()):
        cols.insert([c.name for c in cols].index(after) + 1, col)
    return cols


def export_schema(name: str) -> dict[str, Any]:
    """The Table Schema the exports carry for table ``name`` (:func:`export_columns`)."""
    schema = TABLE_SPECS[name].table_schema()
    schema["fields"] = [c.field_descriptor() for c in export_columns(name)]
    return schema


TABLE_SPECS: dict[str, TableSpec] = {t.name: t for t in (*_raw_specs(), *_derived_specs())}
#: The tables, in export order.
TABLES: tuple[str, ...] = tuple(TABLE_SPECS)
#: The tables loaded from the data files (:class:`analysis.model.load.Tables`), in export order.
RAW_TABLES: tuple[str, ...] = tuple(n for n, t in TABLE_SPECS.items() if not t.derived)
#: The tables computed from the others (the adoption panel, the index, the research queue).
DERIVED_TABLES: tuple[str, ...] = tuple(n for n, t in TABLE_SPECS.items() if t.derived)
