"""Worked examples of the consistency rules of one record (the validators of :mod:`analysis.model.schema`).

One table, :data:`EXAMPLES`, serves twice: the codebook (:mod:`analysis.products.codebook`) renders each
example under its rule with the verdict the schema gives, and ``tests/test_rules_schema.py`` runs
each example and checks the verdict is the expected one. Documentation and tests cannot drift:
an example that no longer behaves as written fails the tests, and a changed message changes the
codebook (whose committed copy a test keeps current).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from analysis.model import schema

#: The source id the examples cite (a placeholder: examples are not data).
EXAMPLE_SOURCE = "example-source"

#: The fields every example of a model starts from (the example's ``record`` adds to them).
BASES: dict[str, dict[str, Any]] = {
    "IGFInitiative": {"id": "xx-igf", "kind": "national", "name": "Example IGF"},
    "MSBody": {
        "id": "xx-council",
        "name": "Example council",
        "type": "council",
        "legal_basis": "decree",
        "scope": "national_policy",
        "multistakeholder": "yes",
    },
    "Pause": {"type": "not_held", "start": 2018, "description": "Not held, says the site."},
    "Absence": {"mechanism": "igf", "finding": "not_found", "text": "Searched, nothing found."},
}


@dataclass(frozen=True)
class RuleExample:
    """One worked example: a record of ``model`` and whether the schema accepts it."""

    rule: str  #: the rule's heading in the codebook
    model: str  #: a key of :data:`BASES` (a class of :mod:`analysis.model.schema`)
    text: str  #: the example in words
    record: dict[str, Any]  #: fields added to the model's base record
    refused: str | None  #: a piece of the error message, or ``None`` when the record is accepted


def _ed(year: int, number: int | None = None) -> dict[str, Any]:
    return {"year": year, **({"number": number} if number is not None else {})}


#: The rules, in codebook order, each with the examples that pin it (accepted and refused).
RULES: dict[str, str] = {
    "ordinals": "Edition numbers rise with the years, at most one edition a year.",
    "first_year": "Editions are listed once per year, none before `first_year`, which they require.",
    "pauses": (
        "A pause (`not_held`, `paused`) covers its years inclusive; an open one runs to"
        " `status_confirmed`; an `ended` record covers its start year and after. No edition may"
        " fall in a pause."
    ),
    "status": (
        "`status` agrees with the editions and pauses: `active` needs the latest edition in"
        " `status_confirmed`; `dormant` a `not_held` or `paused` record covering it; `ended` an"
        " `ended` record starting by it."
    ),
    "body_dates": (
        "A body's `ended` is not before its `established` (compared by year); years lie within"
        " the data model's range."
    ),
    "absence": (
        "An absence cites a source, unless it is `not_found` and lists the searches that found"
        " nothing."
    ),
    "composition": "A composition lists each stakeholder group once.",
}

EXAMPLES: tuple[RuleExample, ...] = (
    RuleExample(
        "ordinals",
        "IGFInitiative",
        "the 2nd edition in 2011 and the 8th in 2017 (six editions in six years)",
        {"first_year": 2011, "editions": [_ed(2011, 2), _ed(2017, 8)]},
        None,
    ),
    RuleExample(
        "ordinals",
        "IGFInitiative",
        "the 2nd edition in 2011 and the 4th in 2012",
        {"first_year": 2011, "editions": [_ed(2011, 2), _ed(2012, 4)]},
        "at most one a year",
    ),
    RuleExample(
        "ordinals",
        "IGFInitiative",
        "the 2nd edition in 2011 and the 2nd again in 2013",
        {"first_year": 2011, "editions": [_ed(2011, 2), _ed(2013, 2)]},
        "numbers must rise with the years",
    ),
    RuleExample(
        "first_year",
        "IGFInitiative",
        "first_year 2012 with an edition in 2012",
        {"first_year": 2012, "editions": [_ed(2012)]},
        None,
    ),
    RuleExample(
        "first_year",
        "IGFInitiative",
        "first_year 2012 with an edition in 2011",
        {"first_year": 2012, "editions": [_ed(2011), _ed(2012)]},
        "is before the initiative's first_year",
    ),
    RuleExample(
        "first_year",
        "IGFInitiative",
        "two editions listed for 2015",
        {"first_year": 2015, "editions": [_ed(2015), _ed(2015)]},
        "appears twice",
    ),
    RuleExample(
        "first_year",
        "IGFInitiative",
        "an edition in 2015 and no first_year",
        {"editions": [_ed(2015)]},
        "first_year: required when editions are listed",
    ),
    RuleExample(
        "pauses",
        "IGFInitiative",
        "not held 2018-2020 and an edition in 2020",
        {
            "first_year": 2017,
            "editions": [_ed(2017), _ed(2020)],
            "pauses": [{"type": "not_held", "start": 2018, "end": 2020}],
        },
        "overlaps the edition held in 2020",
    ),
    RuleExample(
        "pauses",
        "IGFInitiative",
        "ended from 2019 and an edition in 2019",
        {
            "first_year": 2017,
            "editions": [_ed(2017), _ed(2019)],
            "pauses": [{"type": "ended", "start": 2019}],
        },
        "overlaps the edition held in 2019",
    ),
    RuleExample(
        "pauses",
        "IGFInitiative",
        "paused from 2018 (open), confirmed in 2019, and an edition in 2021",
        {
            "first_year": 2017,
            "status_confirmed": 2019,
            "editions": [_ed(2017), _ed(2021)],
            "pauses": [{"type": "paused", "start": 2018}],
        },
        None,
    ),
    RuleExample(
        "status",
        "IGFInitiative",
        "active, editions in 2015 and 2017, status_confirmed 2015",
        {
            "first_year": 2015,
            "status": "active",
            "status_confirmed": 2015,
            "editions": [_ed(2015), _ed(2017)],
        },
        "is not the latest edition's year (2017)",
    ),
    RuleExample(
        "status",
        "IGFInitiative",
        "dormant in 2019 with a pause from 2018, open",
        {
            "first_year": 2017,
            "status": "dormant",
            "status_confirmed": 2019,
            "editions": [_ed(2017)],
            "pauses": [{"type": "paused", "start": 2018}],
        },
        None,
    ),
    RuleExample(
        "status",
        "IGFInitiative",
        "dormant in 2019 with only an ended record from 2018",
        {
            "first_year": 2017,
            "status": "dormant",
            "status_confirmed": 2019,
            "editions": [_ed(2017)],
            "pauses": [{"type": "ended", "start": 2018}],
        },
        "dormant needs a pauses record covering status_confirmed",
    ),
    RuleExample(
        "status",
        "IGFInitiative",
        "ended, confirmed in 2019, with an ended record from 2019",
        {
            "first_year": 2017,
            "status": "ended",
            "status_confirmed": 2019,
            "editions": [_ed(2017)],
            "pauses": [{"type": "ended", "start": 2019}],
        },
        None,
    ),
    RuleExample(
        "body_dates",
        "MSBody",
        "established 2014-05 and ended 2014",
        {"established": "2014-05", "ended": "2014"},
        None,
    ),
    RuleExample(
        "body_dates",
        "MSBody",
        "established 2014 and ended 2012",
        {"established": "2014", "ended": "2012"},
        "ended 2012 is before established 2014",
    ),
    RuleExample(
        "body_dates",
        "MSBody",
        "established in 1985, the first year of the data model",
        {"established": "1985"},
        None,
    ),
    RuleExample(
        "absence",
        "Absence",
        "not found, no source, with its searches listed",
        {
            "sources": [],
            "searched": [
                {"query": "national IGF", "looked_at": "news, ministry site", "date": "2026-01"}
            ],
        },
        None,
    ),
    RuleExample(
        "absence",
        "Absence",
        "not found, no source and no searches",
        {"sources": []},
        "sources: must not be empty",
    ),
    RuleExample(
        "composition",
        "MSBody",
        "government and private sector, one entry each",
        {"composition": [{"group": "government"}, {"group": "private_sector", "seats": 3}]},
        None,
    ),
    RuleExample(
        "composition",
        "MSBody",
        "government listed twice (two decrees read)",
        {"composition": [{"group": "government", "note": "2011"}, {"group": "government"}]},
        "'government' is listed twice",
    ),
)


def _cite(record: dict[str, Any]) -> dict[str, Any]:
    """The record with sources and a confidence on it and on its editions and pauses."""
    out = {"sources": [EXAMPLE_SOURCE], "confidence": "sourced", **record}
    for key in ("editions", "pauses"):
        if key in out:
            out[key] = [_cite(r) for r in out[key]]
    if "pauses" in out:
        out["pauses"] = [{"description": "As the source says.", **p} for p in out["pauses"]]
    return out


def example_record(ex: RuleExample) -> dict[str, Any]:
    """The full record of an example: the model's base, the example's fields, provenance."""
    return _cite({**BASES[ex.model], **ex.record})


def verdict(ex: RuleExample) -> str | None:
    """The schema's error message for the example's record, ``None`` when it is accepted."""
    model = getattr(schema, ex.model)
    try:
        model.model_validate(example_record(ex))
    except ValidationError as exc:
        err = exc.errors()[0]
        return str((err.get("ctx") or {}).get("error", err["msg"]))
    return None
