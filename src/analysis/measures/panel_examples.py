"""Worked examples of the adoption panel's rules: each builds the few records its rule reads, and
its verdict is what :func:`analysis.measures.panel.adoption_panel` computes for them.

The codebook (section 3.5) prints every example with its computed verdict and the tests
(``tests/test_panel_rules.py``) check each verdict against the one stated here, so the
documentation, the rule and its tests cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.measures.panel import adoption_panel
from analysis.model.synthetic import TablesBuilder

#: The synthetic jurisdiction of every example.
CODE = "AA"


@dataclass(frozen=True)
class Verdict:
    """The cell of one year as the codebook shows it."""

    state: str
    confidence: str | None = None
    weak: bool = False
    held_share: float | None = None


@dataclass(frozen=True)
class PanelExample:
    """One worked example: the case in words, the records it stands for, the years it speaks
    of and, for each span of them, the verdict the rule gives."""

    key: str
    text: str
    mechanism: str
    build: Callable[[], TablesBuilder]
    expect: tuple[tuple[int, int, Verdict], ...]

    @property
    def years(self) -> tuple[int, int]:
        return min(a for a, _, _ in self.expect), max(b for _, b, _ in self.expect)


#: The years of the pages every example may cite (source ``s<year>``, published that year).
PAGE_YEARS = (2009, 2011, 2012, 2014, 2016, 2017, 2019, 2023)


def _base() -> TablesBuilder:
    b = TablesBuilder().country(CODE)
    for y in PAGE_YEARS:
        b.source(f"s{y}", published=y)
    return b


def _igf(*editions: tuple[int, int | None], first_year: int | None = None) -> TablesBuilder:
    """An initiative with these (year, number) editions, each on a page of its own year where
    there is one, else on the 2023 page (never on a page before it: that would be a plan)."""
    b = _base().initiative(CODE, "aa-igf", first_year=first_year)
    for year, number in editions:
        b.edition(CODE, "aa-igf", year, [f"s{year}" if year in PAGE_YEARS else "s2023"], number)
    return b


def _paused() -> TablesBuilder:
    b = _igf((2017, None), (2023, None))
    return b.add(
        "igf_pauses",
        initiative="aa-igf",
        country=CODE,
        type="not_held",
        start=2018,
        end=2022,
        sources="s2023",
        confidence="sourced",
    )


def _plan() -> TablesBuilder:
    b = _base().source("dec2017", published="2017-12").initiative(CODE, "aa-igf", first_year=2016)
    return b.edition(CODE, "aa-igf", 2016, ["s2016"]).edition(CODE, "aa-igf", 2018, ["dec2017"])


def _weak() -> TablesBuilder:
    b = _base().source("ai-page", published=2020, kind="encyclopedia", reliability="low")
    return b.body(CODE, "aa-council", "2015", sources=["ai-page"])


def _two_bodies() -> TablesBuilder:
    b = _base().body(CODE, "aa-gov", "2014", multistakeholder="no", sources=["s2016"])
    return b.body(CODE, "aa-x", "2014", multistakeholder="unknown", sources=["s2016"])


def _ended() -> TablesBuilder:
    b = _base().body(CODE, "aa-council", "2009", sources=["s2009", "s2011"], ended="2011")
    return b


def _weak_bridged() -> TablesBuilder:
    b = _igf((2011, 2), (2016, 7))
    b.source("mirror", published=2013, kind="encyclopedia", reliability="low")
    return b.edition(CODE, "aa-igf", 2013, ["mirror"], 4)


_HELD, _UNKNOWN = Verdict("held", "sourced"), Verdict("unknown")
_MS = Verdict("multistakeholder", "sourced")

EXAMPLES: tuple[PanelExample, ...] = (
    PanelExample(
        "igf-edition",
        "an edition recorded for 2016 with a page published in 2016",
        "igf",
        lambda: _igf((2016, None), first_year=2016),
        ((2016, 2016, _HELD),),
    ),
    PanelExample(
        "igf-ordinals",
        "the 2nd edition in 2011 and the 8th in 2017",
        "igf",
        lambda: _igf((2011, 2), (2017, 8)),
        ((2011, 2011, _HELD), (2012, 2016, Verdict("held", "inferred")), (2017, 2017, _HELD)),
    ),
    PanelExample(
        "igf-ordinals-none",
        "the 10th edition in 2019 and the 11th in 2021 (no edition left for 2020)",
        "igf",
        lambda: _igf((2019, 10), (2021, 11)),
        ((2020, 2020, Verdict("none", "inferred")),),
    ),
    PanelExample(
        "igf-pause",
        'a page of 2023 saying the 2023 forum came "after five years of gap" (a pause 2018-2022)',
        "igf",
        _paused,
        ((2018, 2022, Verdict("dormant", "sourced")),),
    ),
    PanelExample(
        "igf-first",
        "a first edition (numbered 1) in 2015",
        "igf",
        lambda: _igf((2015, 1), first_year=2015),
        ((1990, 2014, Verdict("none", "inferred")), (2015, 2015, _HELD)),
    ),
    PanelExample(
        "igf-gap",
        "editions found for 2016, 2017 and 2019, without ordinals",
        "igf",
        lambda: _igf((2016, None), (2017, None), (2019, None), first_year=2016),
        ((2017, 2017, _HELD), (2018, 2018, _UNKNOWN), (2019, 2019, _HELD)),
    ),
    PanelExample(
        "igf-plan",
        "an edition listed for 2018 only in a December 2017 list of planned dates",
        "igf",
        _plan,
        ((2018, 2018, _UNKNOWN),),
    ),
    PanelExample(
        "igf-ordinal-start",
        "the 2nd edition in 2014, no first edition found",
        "igf",
        lambda: _igf((2014, 2)),
        ((2013, 2013, _UNKNOWN), (2014, 2014, _HELD)),
    ),
    PanelExample(
        "igf-partial",
        "the 3rd edition in 2017 and the 8th in 2023, nothing found between (4 editions left"
        " for 5 years)",
        "igf",
        lambda: _igf((2017, 3), (2023, 8)),
        ((2018, 2022, Verdict("unknown", held_share=0.8)),),
    ),
    PanelExample(
        "igf-weak-bridged",
        "the 2nd edition in 2011 and the 7th in 2016 on sound pages, the 4th in 2013 only on a"
        " mirror of unknown fidelity",
        "igf",
        _weak_bridged,
        ((2012, 2015, Verdict("held", "inferred")),),
    ),
    PanelExample(
        "cctld-since",
        "a manager coded `yes` since 2007, on a page published in 2016",
        "cctld",
        lambda: _base().cctld(CODE, "aa", "yes", ["s2016"], manager_since=2007, delegated="2007"),
        ((2006, 2006, Verdict("none", "sourced")), (2007, 2016, _MS), (2017, 2017, _UNKNOWN)),
    ),
    PanelExample(
        "cctld-live",
        "a manager coded `yes` since 2007 whose latest dated source is the IANA database read in"
        " 2025",
        "cctld",
        lambda: (
            _base()
            .source("iana", kind="iana_data", reliability="high", accessed="2025-03-01")
            .cctld(CODE, "aa", "yes", ["iana"], manager_since=2007, delegated="2007")
        ),
        ((2007, 2025, _MS), (2026, 2026, _UNKNOWN)),
    ),
    PanelExample(
        "cctld-from-sources",
        "a manager coded `yes` with neither `manager_since` nor `manager_by`, on pages published"
        " in 2012 and 2016",
        "cctld",
        lambda: _base().cctld(CODE, "aa", "yes", ["s2012", "s2016"], delegated="1995"),
        ((2011, 2011, _UNKNOWN), (2012, 2016, Verdict("multistakeholder", "inferred"))),
    ),
    PanelExample(
        "body-span",
        "a council (coded `yes`) set up in 2014 and named in a 2023 membership list",
        "body",
        lambda: _base().body(CODE, "aa-council", "2014", sources=["s2014", "s2023"]),
        ((2013, 2013, _UNKNOWN), (2014, 2023, _MS), (2024, 2024, _UNKNOWN)),
    ),
    PanelExample(
        "body-composition",
        "a council set up in 2012 whose composition is not established, on a page of 2016",
        "body",
        lambda: _base().body(
            CODE, "aa-council", "2012", multistakeholder="unknown", sources=["s2016"]
        ),
        ((2012, 2016, _UNKNOWN),),
    ),
    PanelExample(
        "body-ended",
        "a council (coded `yes`) set up in 2009 and abolished in 2011 by a decree",
        "body",
        _ended,
        ((2009, 2011, _MS), (2012, 2014, Verdict("none", "sourced"))),
    ),
    PanelExample(
        "body-several",
        "a government-led council and a body of unknown composition, both set up in 2014 and"
        " named on a page of 2016",
        "body",
        _two_bodies,
        ((2014, 2016, _UNKNOWN),),
    ),
    PanelExample(
        "weak",
        "a council whose founding year and coding rest only on an AI-generated encyclopedia page"
        " of 2020",
        "body",
        _weak,
        ((2015, 2020, Verdict("multistakeholder", "sourced", weak=True)),),
    ),
)

BY_KEY = {e.key: e for e in EXAMPLES}


def computed(example: PanelExample) -> dict[int, Verdict]:
    """The verdict of each year of ``example`` as the panel computes it."""
    first, last = example.years
    p = adoption_panel(example.build().build(), start=min(first, 1990), end=last)
    p = p[(p["country"] == CODE) & (p["mechanism"] == example.mechanism)]
    p = p[p["year"].between(first, last)]
    out = {}
    for _, r in p.iterrows():
        share = r["held_share"]
        out[int(r["year"])] = Verdict(
            str(r["state"]),
            None if pd.isna(r["confidence"]) else str(r["confidence"]),
            r["evidence"] == "weak",
            None if pd.isna(share) else round(float(share), 3),
        )
    return out


def expected(example: PanelExample) -> dict[int, Verdict]:
    """The verdict of each year of ``example`` as stated."""
    return {y: v for a, b, v in example.expect for y in range(a, b + 1)}


def _phrase(v: Verdict) -> str:
    bits = [f"`{v.state}`"]
    if v.confidence:
        bits.append(f"`{v.confidence}`")
    if v.held_share is not None:
        bits.append(f"`held_share` {v.held_share:g}")
    if v.weak:
        bits.append("weak evidence")
    return ", ".join(bits)


def verdict_text(example: PanelExample) -> str:
    """The computed verdict in words, one phrase per run of years with the same cell."""
    cells = sorted(computed(example).items())
    runs: list[tuple[int, int, Verdict]] = []
    for year, v in cells:
        if runs and runs[-1][2] == v and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year, v)
        else:
            runs.append((year, year, v))
    return "; ".join(f"{a}{'' if a == b else f'-{b}'} {_phrase(v)}" for a, b, v in runs)


def example_sentence(key: str) -> str:
    """``*Example:* <the case>: <the computed verdict>.`` for the codebook."""
    e = BY_KEY[key]
    return f"*Example:* {e.text}: {verdict_text(e)}."
