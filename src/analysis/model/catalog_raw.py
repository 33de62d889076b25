"""The tables loaded from the data files, as data: :data:`RAW_SPECS`, one :class:`TableSpec` each.

Their columns are derived from ``schema.py`` (types from the pydantic annotations, descriptions
from the ``Field`` descriptions, allowed values from ``vocab.CODES``), followed by the columns the
loader (:mod:`analysis.model.load`) adds; :mod:`analysis.model.catalog` assembles the catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from analysis.model import schema
from analysis.model.fieldtypes import DATE_PATTERN, field_type, is_nested
from analysis.model.tablespec import Column, TableSpec

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
    "ms_bodies": ("established", "legal_basis", "multistakeholder", "status", "last_evidenced"),
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


_EU_COLUMNS = (
    _col(schema.EUStatus, "value", name="eu_status", optional=True),
    _col(schema.EUStatus, "since", name="eu_since", optional=True, type_="year"),
    Column("eu_status_confidence", "string", "Confidence of `eu_status`.", codes="confidence"),
    Column(
        "eu_status_sources",
        "string",
        "Source ids for `eu_status`.",
        is_list=True,
        element="source ids",
    ),
)
_TLD = Column("tld", "string", "The ccTLD (`cctlds.tld`).", required=True)
_INITIATIVE = Column(
    "initiative", "string", "The IGF initiative (`igf_initiatives.id`).", required=True
)

#: The tables loaded from the data files, in export order.
RAW_SPECS: tuple[TableSpec, ...] = (
    TableSpec(
        "countries",
        "Jurisdictions",
        "One row per jurisdiction (one data file each): names, subregion, scope role, official"
        " languages and relation to the European Union.",
        (
            *_model_cols(schema.CountryFile),
            *_EU_COLUMNS,
            Column("file", "string", "The data file of the jurisdiction.", required=True),
        ),
        primary_key=("code",),
        models=(schema.CountryFile, schema.EUStatus),
        dropped=_nested(schema.CountryFile),
    ),
    TableSpec(
        "cctlds",
        "ccTLDs",
        "One row per ccTLD or IDN ccTLD delegated to a jurisdiction (including historical ones),"
        " with its manager as listed by IANA, the manager's legal form and multistakeholder"
        " coding, memberships, and the latest domain count.",
        (
            _country(),
            *_model_cols(schema.CcTLD),
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
            *_prov(schema.CcTLD, PROVENANCE_FIELDS["cctlds"]),
        ),
        primary_key=("tld",),
        foreign_keys=(_COUNTRY_FK,),
        models=(schema.CcTLD,),
        dropped=_nested(schema.CcTLD),
    ),
    TableSpec(
        "cctld_events",
        "ccTLD delegation history",
        "Dated history of the ccTLDs (creation, delegations, redelegations, launches, policy"
        " changes, removal): one row per event.",
        (_country(), _TLD, *_model_cols(schema.Event)),
        primary_key=("tld", "date", "type"),
        foreign_keys=(_COUNTRY_FK, (("tld",), "cctlds", ("tld",))),
        models=(schema.Event,),
    ),
    TableSpec(
        "cctld_domains",
        "ccTLD domain counts",
        "Numbers of registered domain names under the ccTLDs, one row per count and date.",
        (_country(), _TLD, *_model_cols(schema.DomainCount)),
        primary_key=("tld", "as_of"),
        foreign_keys=(_COUNTRY_FK, (("tld",), "cctlds", ("tld",))),
        models=(schema.DomainCount,),
    ),
    TableSpec(
        "igf_initiatives",
        "IGF initiatives",
        "National, youth and regional IGF initiatives, one row per initiative; regional"
        " initiatives (SEEDIG, EuroDIG) have no country.",
        (
            _country(required=False, what="initiative"),
            *_model_cols(schema.IGFInitiative),
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
            *_prov(schema.IGFInitiative, PROVENANCE_FIELDS["igf_initiatives"]),
        ),
        primary_key=("id",),
        foreign_keys=(_COUNTRY_FK,),
        models=(schema.IGFInitiative,),
        dropped=_nested(schema.IGFInitiative) - {"organisers"},
    ),
    TableSpec(
        "igf_organisers",
        "IGF organisers",
        "Organisers of the IGF initiatives with their stakeholder group and role, one row per"
        " initiative, organisation and role.",
        (_INITIATIVE, _country(required=False, what="initiative"), *_model_cols(schema.Organiser)),
        primary_key=("initiative", "name", "role"),
        foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
        models=(schema.Organiser,),
    ),
    TableSpec(
        "igf_editions",
        "IGF editions",
        "Editions of the IGF initiatives, one row per initiative and year.",
        (
            _INITIATIVE,
            _country(required=False, what="initiative"),
            _col(
                schema.IGFInitiative,
                "kind",
                description="Kind of the initiative (as in `igf_initiatives`).",
            ),
            *_model_cols(schema.Edition),
        ),
        primary_key=("initiative", "year"),
        foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
        models=(schema.Edition,),
    ),
    TableSpec(
        "igf_pauses",
        "IGF pauses and ends",
        "Years in which a source says an IGF initiative did not meet, paused, or from which it"
        " ended; one row per initiative, type and start year. Years with no edition found and"
        " no such record are unknown, never a pause.",
        (_INITIATIVE, _country(required=False, what="initiative"), *_model_cols(schema.Pause)),
        primary_key=("initiative", "type", "start"),
        foreign_keys=(_COUNTRY_FK, (("initiative",), "igf_initiatives", ("id",))),
        models=(schema.Pause,),
    ),
    TableSpec(
        "ms_bodies",
        "Multistakeholder bodies",
        "National multistakeholder bodies guiding Internet policy (councils, platforms, forums,"
        " committees), and contrast cases coded `multistakeholder: no`; one row per body.",
        (
            _country(what="body"),
            *_model_cols(schema.MSBody),
            Column(
                "groups",
                "string",
                "Stakeholder groups in the body's composition (details in `body_composition`),"
                " sorted.",
                is_list=True,
                codes="stakeholder_group",
                element="`stakeholder_group` codes",
            ),
            *_prov(schema.MSBody, PROVENANCE_FIELDS["ms_bodies"]),
        ),
        primary_key=("id",),
        foreign_keys=(_COUNTRY_FK, (("successor",), "ms_bodies", ("id",))),
        models=(schema.MSBody,),
        dropped=_nested(schema.MSBody),
    ),
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
            *_model_cols(schema.Member),
        ),
        primary_key=("body", "kind", "group"),
        foreign_keys=(_COUNTRY_FK,),
        models=(schema.Member,),
    ),
    TableSpec(
        "assessments",
        "Assessments",
        "Answers to the seed questions (motivation, external role, challenges, functioning)"
        " and the BPF 2014 codings, one row per mechanism and dimension.",
        (_country(required=False, what="mechanism"), *_model_cols(schema.Assessment)),
        primary_key=("mechanism_id", "dimension"),
        foreign_keys=(_COUNTRY_FK,),
        models=(schema.Assessment,),
    ),
    TableSpec(
        "absences",
        "Absences",
        "Mechanisms recorded as absent (`none`, a sourced absence) or searched and not found"
        " (`not_found`: unknown, never 'no'), one row per jurisdiction and mechanism.",
        (
            _country(what="absence"),
            *_model_cols(schema.Absence),
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
        models=(schema.Absence,),
        dropped=_nested(schema.Absence),
    ),
    TableSpec(
        "searches",
        "Searches that found nothing",
        "The searches behind each `not_found` absence (what was searched for, where, when), so"
        " that a gap can be audited and the search repeated; one row per search.",
        (
            _country(what="search"),
            _col(schema.Absence, "mechanism"),
            *_model_cols(schema.Search),
        ),
        primary_key=("country", "mechanism", "query", "looked_at"),
        foreign_keys=(
            _COUNTRY_FK,
            (("country", "mechanism"), "absences", ("country", "mechanism")),
        ),
        models=(schema.Search,),
    ),
    TableSpec(
        "terms",
        "Renderings of 'multistakeholder'",
        "How 'multistakeholder' is rendered in the languages of the region, and whether the"
        " rendering collapses to 'multilateral'.",
        tuple(_model_cols(schema.Term)),
        primary_key=("language_code", "rendering"),
        models=(schema.Term,),
    ),
    TableSpec(
        "peer_groups",
        "Peer groups",
        "Groups of jurisdictions used for comparisons (EU members, candidates, Eastern"
        " Partnership ...).",
        tuple(_model_cols(schema.PeerGroup)),
        primary_key=("id",),
        models=(schema.PeerGroup,),
    ),
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
            _col(schema.Conflict, "field"),
            Column("preferred_value", "string", "The record's own (preferred) value, as text."),
            Column(
                "preferred_sources",
                "string",
                "Source ids of the preferred value (empty when it is recalled).",
                is_list=True,
                element="source ids",
            ),
            _col(schema.Conflict, "value", name="alternative_value", type_="string"),
            _col(schema.Conflict, "sources", name="alternative_sources"),
            _col(schema.Conflict, "confidence", name="alternative_confidence"),
            _col(schema.Conflict, "note"),
        ),
        foreign_keys=(_COUNTRY_FK,),
        models=(schema.Conflict,),
    ),
    TableSpec(
        "sources",
        "Sources",
        "The source registry: every source cited in a `sources` column, with the URL exactly"
        " as archived, its kind and reliability.",
        (
            *_model_cols(schema.Source),
            Column("file", "string", "The registry file listing the source.", required=True),
        ),
        primary_key=("id",),
        models=(schema.Source,),
    ),
)
