"""Rules of stakeholder balance and the BPF profile (``analysis.measures.composition``), one case each."""

from __future__ import annotations

import math

import pytest
from builders import assessment, body, cctld, country, initiative, tables

from analysis.measures.composition import balance, balance_of, bpf_profile

# (name, groups, seats, expected n_groups, evenness, largest_share, basis)
BALANCE = [
    ("one group", ["government"], [5], 1, 0.0, 1.0, "seats"),
    ("two groups, equal seats", ["government", "civil_society"], [3, 3], 2, math.log(2) / math.log(5), 0.5, "seats"),
    ("five groups, one seat each", ["government", "private_sector", "civil_society", "academia", "technical_community"], [1] * 5, 5, 1.0, 0.2, "seats"),
    ("seats 3 and 1", ["government", "academia"], [3, 1], 2, -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(5), 0.75, "seats"),
    ("a seat count missing: presence", ["government", "academia"], [3, None], 2, math.log(2) / math.log(5), 0.5, "presence"),
    ("groups outside the five are left out", ["government", "intergovernmental", "unknown"], [2, 5, 5], 1, 0.0, 1.0, "seats"),
    ("no group of the five", ["intergovernmental"], [4], 0, math.nan, math.nan, "presence"),
    ("the same group twice adds seats", ["government", "government", "academia"], [1, 2, 3], 2, math.log(2) / math.log(5), 0.5, "seats"),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, groups, seats, n, even, largest, basis", BALANCE, ids=[b[0] for b in BALANCE]
)
def test_balance_of(name, groups, seats, n, even, largest, basis):  # fmt: skip
    b = balance_of(groups, seats)
    assert b["n_groups"] == n
    assert b["basis"] == basis
    for key, want in (("evenness", even), ("largest_share", largest)):
        got = b[key]
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want), key


def test_balance_table_counts_other_groups():
    members = [
        {"group": "government", "seats": 2},
        {"group": "intergovernmental", "seats": 1},
        {"group": "unknown"},
    ]
    t = tables(country("AA", bodies=[body("aa-council", composition=members)]))
    row = balance(t).set_index("body").loc["aa-council"]
    assert row["n_other"] == 2
    assert row["groups"] == "government"
    assert row["kind"] == "body"


def _profile(values, extra=()):
    """BPF profile of one ccTLD whose characteristics are coded ``values`` (dimension -> value)."""
    coded = [assessment("aa", d, v) for d, v in [*values.items(), *extra]]
    return bpf_profile(_four_mechanisms(coded)).set_index("mechanism_id").loc["aa"]


def _four_mechanisms(coded):
    """Tables of one country with a ccTLD, a national and a youth IGF and a body, coded ``coded``."""
    return tables(
        country(
            "AA",
            cctlds=[cctld("aa")],
            igf=[initiative("aa-igf"), initiative("aa-youth", kind="youth")],
            bodies=[body("aa-council")],
            assessments=coded,
        )
    )


# (name, coded values, extra (dimension, value) listed later, share, n_coded, n_unknown)
PROFILE = [
    ("yes and no", {"bpf_open": "yes", "bpf_transparent": "no"}, (), 0.5, 2, 5),
    ("partly counts a half", {"bpf_open": "yes", "bpf_inclusive": "partly"}, (), 0.75, 2, 5),
    ("unknown is not coded", {"bpf_open": "yes", "bpf_known": "unknown"}, (), 1.0, 1, 6),
    ("the last listed value wins", {"bpf_open": "yes"}, (("bpf_open", "no"),), 0.0, 1, 6),
    ("seed questions do not count", {"bpf_open": "no"}, (("motivation", None),), 0.0, 1, 6),
]


@pytest.mark.parametrize(
    "name, values, extra, share, n_coded, n_unknown", PROFILE, ids=[p[0] for p in PROFILE]
)
def test_bpf_profile(name, values, extra, share, n_coded, n_unknown):  # fmt: skip
    row = _profile(values, extra)
    assert row["share"] == pytest.approx(share)
    assert row["n_coded"] == n_coded
    assert row["n_unknown"] == n_unknown
    assert row["mechanism_kind"] == "cctld"


def test_bpf_profile_mechanism_kinds():
    coded = [assessment(m, "bpf_open", "yes") for m in ("aa", "aa-igf", "aa-youth", "aa-council")]
    kinds = (
        bpf_profile(_four_mechanisms(coded)).set_index("mechanism_id")["mechanism_kind"].to_dict()
    )
    assert kinds == {"aa": "cctld", "aa-igf": "igf", "aa-youth": "youth_igf", "aa-council": "body"}
