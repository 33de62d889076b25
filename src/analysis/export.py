"""Export the tables as a Frictionless Data Package (v2), CSV files and an XLSX workbook.

The column specification of every table (:data:`TABLE_SPECS`) is derived from ``schema.py``: field
types from the pydantic annotations, descriptions from the ``Field`` descriptions, allowed values
from ``CODES``. The Table Schemas of the data package and the codebook (``analysis.codebook``) are
both generated from it, so they never drift from the schema.

``export()`` writes into a temporary directory beside ``out_dir`` and moves the finished files into
place only when everything has been written, so a failure leaves no half-written export behind.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import json
import math
import os
import shutil
import tempfile
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import numpy as np
import pandas as pd
from annotated_types import Ge, Le, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from . import schema, vocab
from .errors import UserError
from .load import PROVENANCE_FIELDS
from .vocab import SEP

# --------------------------------------------------------------------------------------------
# Package metadata
# --------------------------------------------------------------------------------------------

DP_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
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

FORMATS = ("datapackage", "xlsx", "csv")
XLSX_NAME = "multisee.xlsx"
DATAPACKAGE_NAME = "datapackage.json"

#: Codes whose order is meaningful (written as ``categoriesOrdered``).
ORDERED_CODES = frozenset({"tri", "multistakeholder", "confidence", "reliability"})

DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"

# --------------------------------------------------------------------------------------------
# Column specifications
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an exported table."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean, year
    description: str
    required: bool = False
    codes: str | None = None  # key of vocab.CODES
    local_codes: Mapping[str, str] | None = None  # codes defined here (not in vocab.CODES)
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    is_list: bool = False  # a list joined with "; "
    is_date: bool = False  # YYYY, YYYY-MM or YYYY-MM-DD
    element: str | None = None  # type of the list elements, for lists

    @property
    def values(self) -> dict[str, str] | None:
        """Allowed values (code -> definition), or None."""
        if self.codes:
            return dict(vocab.CODES[self.codes])
        if self.local_codes:
            return dict(self.local_codes)
        return None

    @property
    def display_type(self) -> str:
        if self.is_list:
            return f"list of {self.element or 'string'} (joined with `{SEP}`)"
        if self.is_date:
            return "date string (YYYY, YYYY-MM or YYYY-MM-DD)"
        if self.values is not None:
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
        if values and not self.is_list:
            out["categories"] = list(values)
            if self.codes in ORDERED_CODES:
                out["categoriesOrdered"] = True
            cons["enum"] = list(values)
        if self.minimum is not None and self.type in ("integer", "year", "number"):
            cons["minimum"] = self.minimum
        if self.maximum is not None and self.type in ("integer", "year", "number"):
            cons["maximum"] = self.maximum
        if self.pattern and self.type == "string" and not self.is_list and not values:
            cons["pattern"] = self.pattern
        if cons:
            out["constraints"] = cons
        return out


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    models: tuple[type[BaseModel], ...] = ()
    #: columns of the loaded frame that are not exported (nested records flattened elsewhere)
    dropped: frozenset[str] = field(default_factory=frozenset)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def table_schema(self) -> dict[str, Any]:
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


def _flatten_meta(meta: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for m in meta:
        if isinstance(m, FieldInfo):
            out.extend(_flatten_meta(m.metadata))
        else:
            out.append(m)
    return out


def _codes_for(values: tuple[Any, ...], field_name: str) -> str:
    candidates = [k for k, v in vocab.CODES.items() if tuple(v) == tuple(values)]
    if not candidates:
        raise ValueError(f"field {field_name}: no CODES entry with values {values}")
    for k in candidates:  # several codes share values: prefer the one the field is named after
        if k == field_name:
            return k
    for k in candidates:
        if k in field_name or field_name in k:
            return k
    return candidates[0]


@dataclass
class _Ann:
    type: str = "string"
    codes: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    is_list: bool = False
    is_date: bool = False
    optional: bool = False
    min_len: int = 0
    element: str | None = None
    mixed: bool = False


def _analyse(ann: Any, metadata: Sequence[Any], field_name: str) -> _Ann:
    """Table Schema type, codes and constraints of a pydantic annotation."""
    out = _Ann()
    meta = list(metadata)
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann, *extra = get_args(ann)
            meta.extend(extra)
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(ann) if a is not type(None)]
            if len(args) < len(get_args(ann)):
                out.optional = True
            if len(args) == 1:
                ann = args[0]
                continue
            out.mixed = True
            return out
        break
    for m in _flatten_meta(meta):
        if isinstance(m, Ge):
            out.minimum = int(m.ge)  # type: ignore[call-overload]
        elif isinstance(m, Le):
            out.maximum = int(m.le)  # type: ignore[call-overload]
        elif isinstance(m, MinLen):
            out.min_len = m.min_length
        elif isinstance(m, AfterValidator) and m.func is schema.check_date:
            out.is_date = True
        elif isinstance(getattr(m, "pattern", None), str):
            out.pattern = m.pattern.removeprefix("^").removesuffix("$")
    if out.is_date:
        out.pattern = DATE_PATTERN
    if get_origin(ann) is list:
        inner = _analyse(get_args(ann)[0], (), field_name)
        out.is_list = True
        out.codes = inner.codes
        out.element = _element_name(inner)
        out.minimum = out.maximum = None
        out.pattern = None
        return out
    if get_origin(ann) is Literal:
        out.codes = _codes_for(get_args(ann), field_name)
    elif ann is bool:
        out.type = "boolean"
    elif ann is int:
        is_year = out.minimum == vocab.MIN_YEAR and out.maximum == vocab.MAX_YEAR
        out.type = "year" if is_year else "integer"
    elif ann is float:
        out.type = "number"
    return out


def _element_name(a: _Ann) -> str:
    if a.codes:
        return f"`{a.codes}` codes"
    if a.type == "year":
        return "years"
    if a.pattern == "[A-Z]{2}":
        return "country codes"
    return {"string": "strings", "integer": "integers"}.get(a.type, a.type)


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
    a = _analyse(info.annotation, info.metadata, fname)
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


def _is_nested(model: type[BaseModel], fname: str) -> bool:
    """Whether the field holds records (a model or a list of models): flattened elsewhere."""

    def has_model(ann: Any) -> bool:
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return True
        return any(has_model(a) for a in get_args(ann))

    ann = model.model_fields[fname].annotation
    return has_model(ann) or get_origin(ann) is dict


def _model_cols(
    model: type[BaseModel], *, optional: bool = False, **overrides: Column
) -> list[Column]:
    """The scalar columns of a model (nested records skipped): its own fields first, then the
    provenance fields every fact carries (``sources``, ``confidence``, ``notes``)."""
    names = [f for f in model.model_fields if f not in _SKIP and not _is_nested(model, f)]
    names = [f for f in names if f not in _FACT] + [f for f in names if f in _FACT]
    return [overrides.get(f) or _col(model, f, optional=optional) for f in names]


def _nested(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(f for f in model.model_fields if f not in _SKIP and _is_nested(model, f))


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


def _build_specs() -> dict[str, TableSpec]:
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
    return {t.name: t for t in specs}


TABLE_SPECS: dict[str, TableSpec] = _build_specs()


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------


def _isna(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _text(v: Any) -> str | None:
    if _isna(v):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def infer_column(name: str, series: pd.Series) -> Column:
    """A column spec for an undocumented column, from its dtype."""
    if pd.api.types.is_bool_dtype(series):
        typ = "boolean"
    elif pd.api.types.is_integer_dtype(series):
        typ = "integer"
    elif pd.api.types.is_float_dtype(series):
        vals = series.dropna()
        typ = "integer" if len(vals) and bool((vals == vals.round()).all()) else "number"
    else:
        typ = "string"
    return Column(name, typ, "")


def _column_from_descriptor(d: Mapping[str, Any]) -> Column:
    cons = d.get("constraints", {})
    return Column(
        name=d["name"],
        type=d.get("type", "string"),
        description=d.get("description", ""),
        required=bool(cons.get("required", False)),
    )


def typed_frame(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """The frame with exactly ``columns``, each cast to its type (nullable integers as Int64)."""
    out: dict[str, pd.Series] = {}
    n = len(frame)
    for c in columns:
        if c.name in frame.columns:
            s = frame[c.name]
        else:
            s = pd.Series([None] * n, index=frame.index, dtype="object")
        if c.type in ("integer", "year"):
            s = pd.to_numeric(s, errors="raise").astype("Int64")
        elif c.type == "number":
            s = pd.to_numeric(s, errors="raise").astype("Float64")
        elif c.type == "boolean":
            s = s.astype("boolean")
        else:
            s = pd.Series([_text(v) for v in s], index=frame.index, dtype="object")
        out[c.name] = s
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def _csv_cell(v: Any) -> str:
    if _isna(v):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    return str(v)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV, comma-separated, minimal quoting, "\\n" line ends, empty cell for missing."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            w.writerow([_csv_cell(v) for v in row])


@dataclass
class _Resource:
    name: str
    frame: pd.DataFrame  # typed
    schema: dict[str, Any]
    title: str | None
    description: str | None
    columns: list[Column]


def _resources(
    tables: Mapping[str, pd.DataFrame],
    extra: Mapping[str, tuple[pd.DataFrame, Mapping[str, Any]]] | None,
) -> list[_Resource]:
    out: list[_Resource] = []
    for name, frame in tables.items():
        spec = TABLE_SPECS.get(name)
        if spec is None:
            cols = [infer_column(c, frame[c]) for c in frame.columns]
            ts: dict[str, Any] = {
                "fields": [c.field_descriptor() for c in cols],
                "missingValues": [""],
            }
            out.append(_Resource(name, typed_frame(frame, cols), ts, None, None, cols))
            continue
        cols = list(spec.columns)
        known = set(spec.column_names) | spec.dropped
        cols += [infer_column(c, frame[c]) for c in frame.columns if c not in known]
        ts = spec.table_schema()
        ts["fields"] = [c.field_descriptor() for c in cols]
        out.append(
            _Resource(name, typed_frame(frame, cols), ts, spec.title, spec.description, cols)
        )
    for name, (frame, given) in (extra or {}).items():
        if name in tables:
            raise UserError(f"extra resource '{name}' clashes with a table of the same name")
        given = dict(given)
        title = given.pop("title", None)
        description = given.pop("description", None)
        declared = {f["name"]: f for f in given.get("fields", [])}
        fields_: list[dict[str, Any]] = []
        cols = []
        for cname in frame.columns:
            if cname in declared:
                d = dict(declared[cname])
                d.setdefault("type", infer_column(cname, frame[cname]).type)
                col = _column_from_descriptor(d)
            else:
                col = infer_column(cname, frame[cname])
                d = col.field_descriptor()
                d.pop("description", None)
            fields_.append(d)
            cols.append(col)
        missing = set(declared) - set(frame.columns)
        if missing:
            raise UserError(
                f"extra resource '{name}': schema fields not in the frame: {sorted(missing)}"
            )
        ts = {**given, "fields": fields_}
        ts.setdefault("missingValues", [""])
        out.append(_Resource(name, typed_frame(frame, cols), ts, title, description, cols))
    return out


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("multisee")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _descriptor(
    resources: Sequence[_Resource], tmp: Path, *, created: str, data_hash: str | None
) -> dict[str, Any]:
    res = []
    for r in resources:
        path = tmp / f"{r.name}.csv"
        entry: dict[str, Any] = {"name": r.name, "type": "table", "path": path.name}
        if r.title:
            entry["title"] = r.title
        if r.description:
            entry["description"] = r.description
        entry.update(
            {
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": f"sha256:{_sha256(path)}",
                "schema": r.schema,
            }
        )
        res.append(entry)
    version = package_version()
    desc: dict[str, Any] = {
        "$schema": DP_PROFILE,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "contributors": CONTRIBUTORS,
        "keywords": KEYWORDS,
        "citation": CITATION.format(version=version),
    }
    if data_hash:
        desc["dataHash"] = f"sha256:{data_hash}"
    desc["resources"] = res
    return desc


def _xlsx_value(v: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if _isna(v):
        return None
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)
        return v if len(v) <= 32767 else v[:32760] + " [...]"
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def sheet_name(name: str, taken: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    out, i = base, 1
    while out.lower() in {t.lower() for t in taken}:
        suffix = f"~{i}"
        out = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(out)
    return out


def _write_xlsx(
    resources: Sequence[_Resource], path: Path, *, created: str, data_hash: str | None
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    version = package_version()
    rows: list[list[Any]] = []
    headers: set[int] = set()

    def add(*row: Any, header: bool = False) -> None:
        rows.append(list(row))
        if header:
            headers.add(len(rows))

    add(TITLE)
    add()
    add("Description", DESCRIPTION)
    add("Version", version)
    add("Created", created)
    add("Licence", f"{LICENSE['title']} ({LICENSE['name']}), {LICENSE['path']}")
    add("Citation", CITATION.format(version=version))
    add("Data hash", f"sha256:{data_hash}" if data_hash else "")
    add("Missing values", "An empty cell is a missing value.")
    add("Lists", f"List-valued cells are joined with '{SEP}'.")
    for code, label in (("confidence", "Confidence"), ("reliability", "Source reliability")):
        add()
        add(label, "Definition", header=True)
        for k, v in vocab.CODES[code].items():
            add(k, v)
    add()
    add("Sheet", "Rows", "Description", header=True)
    taken = {"README"}
    names: dict[str, str] = {}
    for r in resources:
        names[r.name] = sheet_name(r.name, taken)
        add(names[r.name], len(r.frame), r.description or r.title or "")
    add()
    add("Sheet", "Column", "Type", "Description", header=True)
    for r in resources:
        for c in r.columns:
            add(names[r.name], c.name, c.display_type, c.field_descriptor()["description"])
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    ws["A1"].font = Font(bold=True, size=14)
    for i in headers:
        for cell in ws[i]:
            cell.font = bold
    for letter, width in zip("ABCD", (22, 60, 30, 100), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3, max_row=10):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    for r in resources:
        sh = wb.create_sheet(names[r.name])
        sh.append(list(r.frame.columns))
        for cell in sh[1]:
            cell.font = bold
        for row in r.frame.itertuples(index=False, name=None):
            sh.append([_xlsx_value(v) for v in row])
        sh.freeze_panes = "A2"
        if len(r.frame.columns):
            sh.auto_filter.ref = sh.dimensions
        for col_cells in sh.iter_cols(min_row=1, max_row=min(sh.max_row, 200)):
            width = max((len(str(c.value)) for c in col_cells if c.value is not None), default=8)
            sh.column_dimensions[col_cells[0].column_letter].width = min(max(width, 8) + 2, 60)
    wb.save(path)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def export(
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    tables: Any = None,
    *,
    extra: Mapping[str, tuple[pd.DataFrame, Mapping[str, Any]]] | None = None,
    created: str | None = None,
) -> list[Path]:
    """Export the tables into ``out_dir`` and return the written files.

    ``formats``: ``datapackage`` (``datapackage.json`` and one CSV per table), ``csv`` (the CSVs
    alone), ``xlsx`` (``multisee.xlsx``: a README sheet and one sheet per table). ``tables``: a
    :class:`analysis.load.Tables` or a mapping name -> DataFrame (default: ``load()``).
    ``extra``: derived resources, name -> (frame, Table Schema); the schema may be partial (missing
    fields are inferred) and may carry ``title`` and ``description`` for the resource.
    ``created``: ISO 8601 timestamp for the package (default: now, UTC).
    """
    fmts = [f.lower() for f in ([formats] if isinstance(formats, str) else formats)]
    bad = [f for f in fmts if f not in FORMATS]
    if bad:
        raise UserError(
            f"unknown export format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}"
        )
    if not fmts:
        return []
    if tables is None:
        from .load import load

        tables = load()
    data_hash = getattr(tables, "data_hash", None)
    frames: dict[str, pd.DataFrame] = (
        tables.as_dict() if hasattr(tables, "as_dict") else dict(tables)
    )
    from .load import TABLES

    order = [t for t in TABLES if t in frames] + [t for t in frames if t not in TABLES]
    frames = {t: frames[t] for t in order}
    resources = _resources(frames, extra)
    created = created or _now()

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        names: list[str] = []
        if "datapackage" in fmts or "csv" in fmts:
            for r in resources:
                write_csv(r.frame, tmp / f"{r.name}.csv")
                names.append(f"{r.name}.csv")
        if "xlsx" in fmts:
            _write_xlsx(resources, tmp / XLSX_NAME, created=created, data_hash=data_hash)
            names.append(XLSX_NAME)
        if "datapackage" in fmts:
            desc = _descriptor(resources, tmp, created=created, data_hash=data_hash)
            text = json.dumps(desc, ensure_ascii=False, indent=2) + "\n"
            (tmp / DATAPACKAGE_NAME).write_text(text, encoding="utf-8")
            names.append(DATAPACKAGE_NAME)  # last: moved into place after the files it lists
        out_dir.mkdir(exist_ok=True)
        written = []
        for n in names:
            os.replace(tmp / n, out_dir / n)
            written.append(out_dir / n)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
