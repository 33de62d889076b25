"""quality: the criteria of a constructed IGF and body, coverage, and the shipped data."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from analysis.measures import comparison as cmp
from analysis.measures.quality import CRITERIA, MIN_GROUPS, quality, quality_by_country
from analysis.model.load import Tables
from analysis.model.vocab import BPF_DIMENSIONS


def _tables(tables: Tables) -> Tables:
    """The shipped tables reduced to one national IGF (XX-igf) and two bodies of country AL."""
    ini = tables.igf_initiatives.iloc[:1].copy()
    ini[["country", "id", "kind", "ms_committee"]] = ["AL", "xx-igf", "national", "partly"]
    bodies = tables.ms_bodies.iloc[:2].copy()
    bodies["country"] = "AL"
    bodies["id"] = ["xx-body", "xx-gov"]
    bodies["multistakeholder"] = ["yes", "no"]
    bodies["groups"] = ["government; civil_society; academia; private_sector", "government"]
    org = pd.DataFrame(
        {
            "initiative": ["xx-igf", "xx-igf", "xx-igf"],
            "country": "AL",
            "name": ["a", "b", "c"],
            "group": ["government", "civil_society", "unknown"],
            "role": "co_organiser",
            "years": "",
        }
    )
    a = tables.assessments.iloc[:3].copy()
    a["country"] = "AL"
    a["mechanism_id"] = "xx-igf"
    a["dimension"] = [BPF_DIMENSIONS[0], BPF_DIMENSIONS[1], BPF_DIMENSIONS[1]]
    a["value"] = ["yes", "yes", "no"]  # the last listed wins: no
    return dataclasses.replace(
        tables,
        igf_initiatives=ini,
        ms_bodies=bodies,
        igf_organisers=org,
        body_composition=tables.body_composition.iloc[:0],
        assessments=a,
    )


def test_criteria_of_a_constructed_igf_and_body(tables: Tables) -> None:
    q = quality(_tables(tables)).set_index("mechanism_id")
    igf = q.loc["xx-igf"]
    # known: groups (2 of 3 needed), ms_committee partly, bpf one yes and one no
    assert igf["n_groups"] == 2 and igf["known"] == 4
    assert igf["criteria"] == len(CRITERIA["igf"])
    assert igf["coverage"] == pytest.approx(4 / len(CRITERIA["igf"]))
    assert igf["score"] == pytest.approx((2 / MIN_GROUPS + 0.5 + 1 + 0) / 4)
    body = q.loc["xx-body"]
    assert body["n_groups"] == 4 and body["known"] == 1 and body["score"] == pytest.approx(1)
    by = quality_by_country(_tables(tables)).set_index("country")
    # only bodies that count for adoption (yes/partly) enter the jurisdiction's body quality
    assert by.loc["AL", "body_quality"] == pytest.approx(1)
    assert by.loc["AL", "body_quality_coverage"] == pytest.approx(1 / len(CRITERIA["body"]))
    assert math.isnan(by.loc["AM", "igf_quality"])  # no mechanism: no score, not 0


def test_shipped_quality_is_bounded_and_in_the_comparison(tables: Tables, panel) -> None:
    q = quality(tables)
    assert ((q["coverage"] >= 0) & (q["coverage"] <= 1)).all()
    known = q.dropna(subset=["score"])
    assert ((known["score"] >= 0) & (known["score"] <= 1)).all()
    assert (q.loc[q["known"] == 0, "score"].isna()).all()
    c = cmp.comparison("all", tables=tables, panel=panel, n=10)
    by = quality_by_country(tables).set_index("country")
    t = c.table.set_index("country")
    for col in ("igf_quality", "igf_quality_coverage", "body_quality", "body_quality_coverage"):
        pd.testing.assert_series_equal(
            t[col], by.loc[t.index, col], check_names=False, check_index_type=False
        )
    # the index does not move with quality: same scores as the comparison without it
    assert "igf_quality" not in cmp.COMPARISON_INDEX
