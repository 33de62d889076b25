"""The catalogue of tables: every table's fields, types, enums, keys and descriptions, in one place.

:data:`TABLE_SPECS` holds one :class:`TableSpec` per table, in export order:

* the tables loaded from the data files (:data:`RAW_TABLES`: ``countries`` ... ``sources``), whose
  columns are derived from ``schema.py`` (types from the pydantic annotations, descriptions from
  the ``Field`` descriptions, allowed values from ``vocab.CODES``) plus the columns the loader adds;
* the derived tables (:data:`DERIVED_TABLES`: ``adoption_panel``, ``index``, ``gaps``), computed
  from the others by :mod:`analysis.measures.panel`, :mod:`analysis.measures.scoring` and :mod:`analysis.measures.gaps`.

The specs are module data: the loaded tables' in :mod:`analysis.model.catalog_raw`, the derived
tables' in :mod:`analysis.model.catalog_derived`, both built of the types of
:mod:`analysis.model.tablespec` (:class:`Column`, :class:`TableSpec`), which this module re-exports.

The loader (:mod:`analysis.model.load`) builds its frames with these columns, the exporter
(:mod:`analysis.products.export`) writes the Table Schemas of the data package from them
(:meth:`TableSpec.table_schema`) and the codebook (:mod:`analysis.products.codebook`) documents them, so the
three never drift apart. The package metadata (title, licence, version ...) lives here too.

This module writes nothing and imports no pandas: any module can read the catalogue.
"""

from __future__ import annotations

from typing import Any

from analysis.model.catalog_derived import DERIVED_SPECS, EXPORT_COLUMNS
from analysis.model.catalog_raw import PROVENANCE_FIELDS, RAW_SPECS
from analysis.model.tablespec import ORDERED_CODES, Column, ForeignKey, TableSpec

__all__ = [
    "CITATION",
    "CONTRIBUTORS",
    "DERIVED_TABLES",
    "DESCRIPTION",
    "EXPORT_COLUMNS",
    "KEYWORDS",
    "LICENSE",
    "NAME",
    "ORDERED_CODES",
    "PROVENANCE_FIELDS",
    "RAW_TABLES",
    "TABLES",
    "TABLE_SPECS",
    "TITLE",
    "Column",
    "ForeignKey",
    "TableSpec",
    "export_columns",
    "export_schema",
]

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
# 2. The catalogue
# --------------------------------------------------------------------------------------------

#: Every table's spec, in export order: the loaded tables, then the derived ones.
TABLE_SPECS: dict[str, TableSpec] = {t.name: t for t in (*RAW_SPECS, *DERIVED_SPECS)}
#: The tables, in export order.
TABLES: tuple[str, ...] = tuple(TABLE_SPECS)
#: The tables loaded from the data files (:class:`analysis.model.load.Tables`), in export order.
RAW_TABLES: tuple[str, ...] = tuple(n for n, t in TABLE_SPECS.items() if not t.derived)
#: The tables computed from the others (the adoption panel, the index, the research queue).
DERIVED_TABLES: tuple[str, ...] = tuple(n for n, t in TABLE_SPECS.items() if t.derived)


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
