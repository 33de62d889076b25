"""The consistency rules of one record (``analysis.model.schema`` validators), one case per rule.

The first test runs the worked examples the codebook prints (section 3.6, from
:data:`analysis.model.schema_examples.EXAMPLES`): documentation and tests are the same table. The other
cases pin rules the codebook states in words only.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from analysis.model import schema
from analysis.model.schema_examples import EXAMPLES, RULES, example_record, verdict


@pytest.mark.parametrize("ex", EXAMPLES, ids=lambda e: f"{e.rule}: {e.text}")
def test_worked_example(ex):
    said = verdict(ex)
    if ex.refused is None:
        assert said is None, f"{ex.text}: refused ({said}), the codebook says accepted"
    else:
        assert said is not None, f"{ex.text}: accepted, the codebook says refused"
        assert ex.refused in said


def test_every_rule_has_an_accepted_and_a_refused_example():
    for key in RULES:
        verdicts = {ex.refused is None for ex in EXAMPLES if ex.rule == key}
        assert verdicts == {True, False}, f"rule {key}: needs an accepted and a refused example"
    assert {ex.rule for ex in EXAMPLES} == set(RULES)


def test_examples_carry_provenance():
    rec = example_record(EXAMPLES[0])
    assert rec["sources"] and rec["confidence"] == "sourced"
    assert all(e["sources"] for e in rec["editions"])


def _fact(**kw):
    return {"sources": ["s"], "confidence": "sourced", **kw}


def _cctld(**kw):
    return schema.CcTLD.model_validate(
        _fact(
            tld="aa",
            idn=False,
            manager="M",
            legal_form="foundation",
            multistakeholder="yes",
            ms_rationale="r",
            **kw,
        )
    )


def _ini(**kw):
    return schema.IGFInitiative.model_validate(_fact(id="x", kind="national", name="X", **kw))


# (model, record, piece of the message or None when accepted)
CASES = [
    # dates: YYYY[-MM[-DD]], year within MIN_YEAR..MAX_YEAR, a real calendar date
    ("date before the data model", lambda: schema.check_date("1984-06"), "year 1984 is outside"),
    ("date in the first year", lambda: schema.check_date("1985-01-31"), None),
    ("date not in the calendar", lambda: schema.check_date("2015-02-30"), "not a valid date"),
    ("date of another form", lambda: schema.check_date("15.2.2015"), "is not a date of the form"),
    # a conflict cites its sources unless recalled
    (
        "inferred alternative without a source",
        lambda: schema.Conflict.model_validate(
            {"field": "year", "value": 2014, "sources": [], "confidence": "inferred"}
        ),
        "must not be empty for a inferred alternative",
    ),
    (
        "recalled alternative without a source",
        lambda: schema.Conflict.model_validate(
            {"field": "year", "value": 2014, "sources": [], "confidence": "recalled"}
        ),
        None,
    ),
    # a record cites its sources unless recalled
    (
        "inferred body without a source",
        lambda: schema.MSBody.model_validate(
            {
                **_fact(id="b", name="B", type="council", legal_basis="decree"),
                "scope": "national_policy",
                "multistakeholder": "yes",
                "sources": [],
                "confidence": "inferred",
            }
        ),
        "sources: must not be empty for a inferred record",
    ),
    # a ccTLD's manager_by bound is not before manager_since
    (
        "manager_by before manager_since",
        lambda: _cctld(manager_since=2007, manager_by=2005),
        "manager_by: 2005 is before manager_since 2007",
    ),
    (
        "manager_by equal to manager_since",
        lambda: _cctld(manager_since=2007, manager_by=2007),
        None,
    ),
    # a field may cite no source only when its own confidence is recalled
    (
        "recalled field without a source in a sourced record",
        lambda: _cctld(
            manager_since=2007,
            field_sources={"manager_since": []},
            field_confidence={"manager_since": "recalled"},
        ),
        None,
    ),
    (
        "sourced field without a source",
        lambda: _cctld(manager_since=2007, field_sources={"manager_since": []}),
        "'manager_since' cites no source",
    ),
    (
        "provenance map naming a provenance field",
        lambda: _cctld(field_confidence={"notes": "inferred"}),
        "'notes' is not a field of this record",
    ),
    # bpf_* dimensions take a value, the seed questions none
    (
        "bpf dimension without a value",
        lambda: schema.Assessment.model_validate(
            _fact(mechanism_id="aa", dimension="bpf_open", text="t")
        ),
        "value: required for dimension bpf_open",
    ),
    (
        "seed question with a value",
        lambda: schema.Assessment.model_validate(
            _fact(mechanism_id="aa", dimension="motivation", value="yes", text="t")
        ),
        "only bpf_* dimensions take a value",
    ),
    # a pause ends after it starts; an ended record has no end
    (
        "pause ending before it starts",
        lambda: schema.Pause.model_validate(
            _fact(type="paused", start=2018, end=2016, description="d")
        ),
        "end: 2016 is before start 2018",
    ),
    (
        "one-year pause",
        lambda: schema.Pause.model_validate(
            _fact(type="paused", start=2018, end=2018, description="d")
        ),
        None,
    ),
    (
        "ended record with an end",
        lambda: schema.Pause.model_validate(
            _fact(type="ended", start=2018, end=2019, description="d")
        ),
        "an ended initiative has no end",
    ),
    # status needs status_confirmed
    (
        "active without status_confirmed",
        lambda: _ini(status="active"),
        "status_confirmed: required for status active",
    ),
    (
        "active without an edition in status_confirmed",
        lambda: _ini(
            status="active", status_confirmed=2018, first_year=2017, editions=[_fact(year=2017)]
        ),
        "active needs an edition in status_confirmed",
    ),
    (
        "ended confirmed before the ended record starts",
        lambda: _ini(
            status="ended",
            status_confirmed=2018,
            pauses=[_fact(type="ended", start=2019, description="d")],
        ),
        "ended needs a pauses record of type ended starting by 2018",
    ),
    # an edition's date lies in its year
    (
        "edition dated in another year",
        lambda: schema.Edition.model_validate(_fact(year=2015, date="2016-05")),
        "date 2016-05 is not in year 2015",
    ),
    # consecutive numbered editions in consecutive years
    (
        "1st in 2014 and 2nd in 2015",
        lambda: _ini(
            first_year=2014, editions=[_fact(year=2014, number=1), _fact(year=2015, number=2)]
        ),
        None,
    ),
]


@pytest.mark.parametrize("name, call, piece", CASES, ids=[c[0] for c in CASES])
def test_record_rule(name, call, piece):
    if piece is None:
        call()
    else:
        with pytest.raises((ValidationError, ValueError)) as exc:
            call()
        assert piece in str(exc.value)
