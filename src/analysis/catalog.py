"""The catalogue of tables: every table's fields, types, enums, keys and descriptions."""

from __future__ import annotations

import copy
from typing import Any

from .vocab import CODES, CONFIDENCE_ORDER, MECHANISMS, STATES

# --------------------------------------------------------------------------------------------
# 7. Frictionless Table Schemas
# --------------------------------------------------------------------------------------------

_ALL_STATES: list[str] = list(dict.fromkeys(s for m in MECHANISMS for s in STATES[m]))


_COUNTRY_YEAR_FIELDS: tuple[dict[str, Any], ...] = (
    {
        "name": "country",
        "type": "string",
        "description": "ISO 3166-1 alpha-2 code (XK for Kosovo*).",
        "constraints": {"required": True, "pattern": "[A-Z]{2}"},
    },
    {
        "name": "year",
        "type": "integer",
        "description": "Calendar year.",
        "constraints": {"required": True},
    },
)


#: The `mechanism` field of the derived tables (panel, research queue).
MECHANISM_FIELD: dict[str, Any] = {
    "name": "mechanism",
    "type": "string",
    "description": "ccTLD manager, national IGF or national multistakeholder body.",
    "categories": list(MECHANISMS),
    "constraints": {"required": True, "enum": list(MECHANISMS)},
}


def country_field() -> dict[str, Any]:
    """The `country` field of the derived tables (a fresh copy)."""
    return copy.deepcopy(_COUNTRY_YEAR_FIELDS[0])


def _scope_role_field() -> dict[str, Any]:
    roles = list(CODES["scope_role"])
    return {
        "name": "scope_role",
        "type": "string",
        "description": (
            "core: ranked with the SEE+ jurisdictions; reference: an outside reference case,"
            " shown but not ranked."
        ),
        "categories": roles,
        "constraints": {"required": True, "enum": roles},
    }


def panel_schema() -> dict[str, Any]:
    """Frictionless Table Schema of :func:`adoption_panel`."""
    return {
        "fields": [
            country_field(),
            _scope_role_field(),
            copy.deepcopy(_COUNTRY_YEAR_FIELDS[1]),
            copy.deepcopy(MECHANISM_FIELD),
            {
                "name": "state",
                "type": "string",
                "description": (
                    "State of the mechanism that year; unknown where the data do not tell."
                ),
                "categories": _ALL_STATES,
                "constraints": {"required": True, "enum": _ALL_STATES},
            },
            {
                "name": "confidence",
                "type": "string",
                "description": "Weakest confidence of the facts the state rests on (empty if unknown).",
                "categories": list(reversed(CONFIDENCE_ORDER)),
                "constraints": {"enum": list(reversed(CONFIDENCE_ORDER))},
            },
            {
                "name": "evidence",
                "type": "string",
                "description": (
                    "weak: the state rests on a recalled fact or only on low-reliability sources"
                    " (counted pessimistically and optimistically in the index bounds, hatched on"
                    " maps); strong otherwise; empty if unknown."
                ),
                "categories": ["strong", "weak"],
                "constraints": {"enum": ["strong", "weak"]},
            },
            {
                "name": "sources",
                "type": "string",
                "description": "Ids of the sources the state rests on, separated by '; '.",
            },
        ],
        "primaryKey": ["country", "year", "mechanism"],
        "missingValues": [""],
    }


def index_schema() -> dict[str, Any]:
    """Frictionless Table Schema of :func:`index`."""

    def num(name: str, desc: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "number",
            "description": desc,
            "constraints": {"required": True, "minimum": 0, "maximum": 1},
        }

    def rank(name: str, desc: str) -> dict[str, Any]:
        return {"name": name, "type": "integer", "description": desc, "constraints": {"minimum": 1}}

    return {
        "fields": [
            country_field(),
            _scope_role_field(),
            copy.deepcopy(_COUNTRY_YEAR_FIELDS[1]),
            num("score", "Multi-SEE index: weighted mean of mechanism scores (unknown = 0.5)."),
            num("low", "Pessimistic bound: unknown and weak-evidence states scored 0."),
            num("high", "Optimistic bound: unknown and weak-evidence states scored 1."),
            rank(
                "rank",
                "Rank among core jurisdictions (1 = best; 1 + the number strictly above, so ties"
                " share a rank); empty for the reference case.",
            ),
            rank("rank_best", "Best attainable rank (own high against the others' low)."),
            rank("rank_worst", "Worst attainable rank (own low against the others' high)."),
        ],
        "primaryKey": ["country", "year"],
        "missingValues": [""],
    }
