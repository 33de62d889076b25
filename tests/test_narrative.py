"""narrative: the sentences of a comparison and the alt texts of its figures."""

from __future__ import annotations

import pandas as pd

from analysis.measures import narrative
from analysis.measures.comparison import comparison
from analysis.model.load import Tables
from analysis.model.vocab import MECHANISM_LABELS


def _table(rows: list[tuple]) -> pd.DataFrame:
    cols = ["country", "cctld", "igf", "body", "score", "low", "high", "rank"]
    return pd.DataFrame(rows, columns=cols)


def test_differences_on_synthetic_tables() -> None:
    t = _table(
        [
            ("AA", "multistakeholder", "held", "multistakeholder", 1.0, 1.0, 1.0, 1),
            ("BB", "not_multistakeholder", "unknown", "none", 1 / 6, 0.0, 1 / 3, 2),
            ("CC", "not_multistakeholder", "dormant", "none", 0.5 / 3, 0.5 / 3, 0.5 / 3, 3),
        ]
    )
    text = narrative.differences(t, 2020, {"AA": "Aland", "BB": "Bland", "CC": "Cland"})
    assert text[0].startswith("Highest Multi-SEE score in 2020: Aland (AA) with 1.00")
    assert "lowest: Bland (BB), Cland (CC) with 0.17 each" in text[0]
    assert any("Only 2 of the 3 pairs" in s for s in text)
    assert any("Aland (AA) leads even in the least favourable case" in s for s in text)
    assert any(s.startswith("ccTLD manager: MS in Aland; not MS in Bland, Cland") for s in text)
    assert any(
        s.startswith("national IGF: held in Aland; dormant in Cland; unknown in Bland")
        for s in text
    )
    assert any("1 of 9 mechanism states are unknown" in s for s in text)

    same = _table([("AA", "none", "none", "none", 0.0, 0.0, 0.0, 1)] * 1)
    assert narrative.differences(same, 2020)[0] == (
        "AA (AA) scores 0.00 in 2020 (bounds 0.00–0.00)."
    )
    equal = _table(
        [
            ("AA", "none", "none", "none", 0.0, 0.0, 0.0, 1),
            ("BB", "none", "none", "none", 0.0, 0.0, 0.0, 2),
        ]
    )
    text = narrative.differences(equal, 2020)
    assert text[0] == "All 2 jurisdictions have the same Multi-SEE score in 2020: 0.00."
    assert "ccTLD manager: the same state everywhere (none)." in text
    assert narrative.differences(_table([]), 2020) == ["No jurisdiction selected."]


def test_sensitivity_sentence_names_the_widest_rank_range() -> None:
    t = _table(
        [
            ("AA", "none", "none", "none", 0.5, 0.0, 1.0, 1),
            ("BB", "none", "none", "none", 0.4, 0.0, 1.0, 2),
        ]
    ).assign(rank_p05=[1.0, 1.0], rank_p95=[1.0, 2.0])
    text = narrative.differences(t, 2020)
    assert "the rank moves most for BB (BB): 1 to 2." in text[-1]
    steady = t.assign(rank_p95=[1.0, 1.0])
    assert narrative.differences(steady, 2020)[-1] == (
        "Ranks do not move when the weights, the imputation of unknowns, the scores of partial"
        " states and the aggregation vary."
    )


def test_comparison_summary_mentions_every_mechanism(tables: Tables, panel: pd.DataFrame) -> None:
    c = comparison("western-balkans", 2020, "", tables, panel)
    text = c.summary()
    assert text == narrative.differences(c.table, 2020, c.names)
    for label in MECHANISM_LABELS.values():
        assert any(s.startswith(label) for s in text)
    assert narrative.rank_alt(c).startswith("Scores with bounds and rank intervals in 2020 for 6 ")
    assert narrative.matrix_alt(c).startswith("State of each mechanism in 2020 for 6 ")


def test_country_states_alt_says_the_years_and_the_last_states_in_words() -> None:
    panel = pd.DataFrame(
        [
            ("AA", 2000, "cctld", "unknown"),
            ("AA", 2001, "cctld", "partly_multistakeholder"),
            ("AA", 2001, "igf", "held"),
            ("BB", 2001, "igf", "none"),
        ],
        columns=["country", "year", "mechanism", "state"],
    )
    alt = narrative.country_states_alt("Aland", panel, "AA")
    assert alt.startswith("States of the ccTLD manager, national IGF and MS body of Aland")
    assert "2000-2001" in alt
    assert "In 2001: ccTLD manager partly multistakeholder; national IGF held." in alt
    assert narrative.country_states_alt("Aland").endswith("Aland by year.")
