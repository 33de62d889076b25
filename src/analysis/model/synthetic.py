"""Small synthetic datasets: a builder of :class:`~analysis.model.load.Tables` from a few rows.

:class:`TablesBuilder` adds rows straight to the raw tables, with only the fields a rule reads (the
rest of the catalogue's columns stay empty), so a worked example or a test states exactly the case
it is about::

    t = TablesBuilder().country("AA").source("s2015", published=2015)
    t.body("AA", "aa-council", established="2014", multistakeholder="yes", sources=["s2015"])
    panel = adoption_panel(t.build(), start=2010, end=2020)

The codebook's worked examples of the panel rules (:mod:`analysis.measures.panel_examples`) and the
rule tests are built with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from analysis.model.catalog import RAW_TABLES, TABLE_SPECS
from analysis.model.load import Tables
from analysis.model.vocab import SEP


def _join(ids: Iterable[str]) -> str:
    return SEP.join(ids)


class TablesBuilder:
    """Collects rows per raw table; :meth:`build` gives a ``Tables`` with the catalogue's columns."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in RAW_TABLES}

    def add(self, name: str, /, **row: Any) -> TablesBuilder:
        unknown = set(row) - set(TABLE_SPECS[name].column_names)
        if unknown:
            raise ValueError(f"{name}: no columns {sorted(unknown)}")
        self.rows[name].append(row)
        return self

    def country(self, code: str, scope_role: str = "core") -> TablesBuilder:
        return self.add("countries", code=code, name=code, scope_role=scope_role)

    def source(
        self,
        sid: str,
        published: int | str | None = None,
        kind: str = "news",
        reliability: str = "medium",
        accessed: str | None = None,
    ) -> TablesBuilder:
        return self.add(
            "sources",
            id=sid,
            title=sid,
            kind=kind,
            reliability=reliability,
            published=None if published is None else str(published),
            accessed=accessed,
        )

    def cctld(
        self,
        country: str,
        tld: str,
        multistakeholder: str = "yes",
        sources: Iterable[str] = (),
        **fields: Any,
    ) -> TablesBuilder:
        return self.add(
            "cctlds",
            country=country,
            tld=tld,
            idn=False,
            status="active",
            multistakeholder=multistakeholder,
            sources=_join(sources),
            confidence="sourced",
            **fields,
        )

    def event(
        self, country: str, tld: str, date: str, type_: str, sources: Iterable[str], **fields: Any
    ) -> TablesBuilder:
        return self.add(
            "cctld_events",
            country=country,
            tld=tld,
            date=date,
            type=type_,
            sources=_join(sources),
            confidence="sourced",
            **fields,
        )

    def initiative(
        self, country: str, iid: str, sources: Iterable[str] = (), **fields: Any
    ) -> TablesBuilder:
        return self.add(
            "igf_initiatives",
            country=country,
            id=iid,
            kind="national",
            name=iid,
            sources=_join(sources),
            confidence="sourced",
            **fields,
        )

    def edition(
        self,
        country: str,
        iid: str,
        year: int,
        sources: Iterable[str],
        number: int | None = None,
        confidence: str = "sourced",
    ) -> TablesBuilder:
        return self.add(
            "igf_editions",
            initiative=iid,
            country=country,
            kind="national",
            year=year,
            number=number,
            sources=_join(sources),
            confidence=confidence,
        )

    def body(
        self,
        country: str,
        bid: str,
        established: str | None,
        multistakeholder: str = "yes",
        scope: str = "national_policy",
        sources: Iterable[str] = (),
        **fields: Any,
    ) -> TablesBuilder:
        return self.add(
            "ms_bodies",
            country=country,
            id=bid,
            name=bid,
            established=established,
            scope=scope,
            multistakeholder=multistakeholder,
            sources=_join(sources),
            confidence="sourced",
            **fields,
        )

    def conflict(
        self, table: str, key: str, field: str, preferred: Any, alternative: Any
    ) -> TablesBuilder:
        return self.add(
            "conflicts",
            table=table,
            key=key,
            field=field,
            preferred_value=preferred,
            alternative_value=alternative,
        )

    def absence(
        self, country: str, mechanism: str, finding: str, sources: Iterable[str] = ()
    ) -> TablesBuilder:
        return self.add(
            "absences",
            country=country,
            mechanism=mechanism,
            finding=finding,
            sources=_join(sources),
            confidence="sourced",
        )

    def build(self) -> Tables:
        frames = {
            t: pd.DataFrame(self.rows[t], columns=TABLE_SPECS[t].column_names) for t in RAW_TABLES
        }
        return Tables(**frames, data_hash="synthetic")
