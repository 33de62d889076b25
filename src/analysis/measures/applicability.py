"""Which cells of the adoption panel are *not applicable*, and so left out of every score.

A mechanism is not applicable in a jurisdiction when it cannot exist there, whatever the
jurisdiction does. One rule: the ccTLD of a jurisdiction with a sourced absence ``cctld`` /
``finding: none`` and no ccTLD record: no ccTLD is delegated to its code (Kosovo*: XK is a
user-assigned ISO code, not in the root zone), so there is no registry whose governance could be
multistakeholder. Such a cell is not ``none`` (not adopted) but outside the comparison: the index
averages over the jurisdiction's applicable mechanisms (:mod:`analysis.measures.scoring`).

A national IGF or body with ``finding: none`` stays ``none``: a jurisdiction can hold one.
"""

from __future__ import annotations

import pandas as pd

from analysis.model.load import Tables

#: The state of a not-applicable cell (scored as missing, never 0).
NOT_APPLICABLE = "not_applicable"

#: Mechanisms whose sourced absence means "cannot exist here" rather than "not adopted".
STRUCTURAL: tuple[str, ...] = ("cctld",)


def not_applicable_cells(tables: Tables) -> frozenset[tuple[str, str]]:
    """(country, mechanism) pairs that are not applicable (see the module docstring)."""
    ab = tables.absences
    if ab.empty:
        return frozenset()
    have = set(tables.cctlds["country"].astype(str)) if not tables.cctlds.empty else set()
    rows = ab[ab["mechanism"].isin(STRUCTURAL) & (ab["finding"] == "none")]
    return frozenset(
        (str(c), str(m))
        for c, m in zip(rows["country"], rows["mechanism"], strict=True)
        if not (m == "cctld" and str(c) in have)
    )


def mark_not_applicable(panel: pd.DataFrame, tables: Tables) -> pd.DataFrame:
    """A copy of ``panel`` whose not-applicable cells have state :data:`NOT_APPLICABLE`."""
    cells = not_applicable_cells(tables)
    if not cells:
        return panel
    key = pd.Series(list(zip(panel["country"], panel["mechanism"], strict=True)), index=panel.index)
    out = panel.copy()
    out.loc[key.isin(cells), "state"] = NOT_APPLICABLE
    return out
