"""The types of the table catalogue: a :class:`Column` and a :class:`TableSpec` (a table's columns,
keys and descriptions), with the Frictionless Table Schema (v2) each writes.

The catalogue itself (:mod:`analysis.model.catalog`) is built of them; this module knows no table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from analysis.model import vocab
from analysis.model.vocab import SEP

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
