"""Load the validated data files into tidy pandas DataFrames, one per table.

``load()`` validates first (a bad file raises :class:`analysis.model.validate.DataError` with every
problem) and caches the result per data directory and file fingerprint (paths, sizes, mtimes), so
repeated calls in a notebook cost nothing and an edited file is picked up at once.

Conventions of the tables: one row per record; list-valued fields (``sources``, ``languages``,
``organisers``) are joined with ``"; "``; every fact-bearing row has ``confidence`` and
``sources``; coded fields whose provenance may differ from the record's carry
``<field>_confidence`` and ``<field>_sources`` columns. Every frame has exactly the columns of its
table in the catalogue (:mod:`analysis.model.catalog`), in that order, even when it has no rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.model import schema
from analysis.model.catalog import PROVENANCE_FIELDS, RAW_TABLES, TABLE_SPECS
from analysis.model.datafiles import data_files, data_hash
from analysis.model.paths import data_dir
from analysis.model.validate import Dataset, validate
from analysis.model.vocab import SEP


@dataclass
class Tables:
    """The loaded tables (:data:`analysis.model.catalog.RAW_TABLES`, in that order) and the data hash."""

    countries: pd.DataFrame
    cctlds: pd.DataFrame
    cctld_events: pd.DataFrame
    cctld_domains: pd.DataFrame
    igf_initiatives: pd.DataFrame
    igf_organisers: pd.DataFrame
    igf_editions: pd.DataFrame
    igf_pauses: pd.DataFrame
    ms_bodies: pd.DataFrame
    body_composition: pd.DataFrame
    assessments: pd.DataFrame
    absences: pd.DataFrame
    searches: pd.DataFrame
    terms: pd.DataFrame
    peer_groups: pd.DataFrame
    conflicts: pd.DataFrame
    sources: pd.DataFrame
    data_hash: str

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "data_hash"}

    def content_hash(self) -> str:
        """SHA-256 over the frames as they are now (names, columns, dtypes and values): unlike
        ``data_hash`` (the files the tables were loaded from), it changes with any edit of a
        frame, so a cache keyed by it never serves results computed for other content."""
        h = hashlib.sha256()
        for name, df in self.as_dict().items():
            h.update(f"{name}\0{[str(t) for t in df.dtypes]}\0".encode())
            h.update(df.to_csv(lineterminator="\n").encode())
        return h.hexdigest()

    def copy(self) -> Tables:
        """A deep copy: editing it never changes the tables it was copied from."""
        return Tables(
            **{name: df.copy(deep=True) for name, df in self.as_dict().items()},
            data_hash=self.data_hash,
        )


def _join(values: Iterable[Any]) -> str:
    return SEP.join(str(v) for v in values)


def _scalars(rec: schema.BaseModel, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The record's scalar fields (lists of scalars joined), without provenance maps."""
    out: dict[str, Any] = {}
    skip = set(skip) | {"conflicts", "field_sources", "field_confidence"}
    for name in type(rec).model_fields:
        if name in skip:
            continue
        value = getattr(rec, name)
        if isinstance(value, list):
            if value and isinstance(value[0], schema.BaseModel):
                continue
            value = _join(value)
        elif isinstance(value, schema.BaseModel) or isinstance(value, dict):
            continue
        out[name] = value
    return out


def _prov(rec: schema.Fact, coded: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in coded:
        out[f"{f}_confidence"] = rec.confidence_of(f)
        out[f"{f}_sources"] = _join(rec.sources_of(f))
    return out


def _ascii(tld: str) -> str:
    try:
        return tld.encode("idna").decode("ascii")
    except UnicodeError:
        return tld


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The table's frame with the catalogue's columns (in its order), even without rows."""
    spec = TABLE_SPECS[name]
    columns = spec.column_names
    unlisted = {k for r in rows for k in r} - set(columns) - spec.dropped
    if unlisted:  # a loader change the catalogue does not describe: fail rather than drop it
        raise RuntimeError(f"table {name}: columns not in the catalogue: {sorted(unlisted)}")
    return pd.DataFrame(rows, columns=columns)


#: The rows of each loaded table while they are collected (table -> rows).
Rows = dict[str, list[dict[str, Any]]]


def build_tables(dataset: Dataset, digest: str) -> Tables:
    """The tables of a validated dataset: each country file's records, then the regional
    initiatives, the terms, the peer groups and the source registry."""
    rows: Rows = {t: [] for t in RAW_TABLES}
    for doc in dataset.of("country"):
        m: schema.CountryFile = doc.model  # type: ignore[assignment]
        _add_country(rows, m, doc.name)
        _add_cctlds(rows, m)
        _add_bodies(rows, m)
        _add_absences(rows, m)
        _add_initiatives(rows, m, m.code)
    for doc in dataset.of("regional"):
        _add_initiatives(rows, doc.model, None)
    _add_shared(rows, dataset)

    frames = {name: _frame(name, rows[name]) for name in RAW_TABLES}
    if not frames["countries"].empty:
        frames["countries"] = frames["countries"].sort_values("code", ignore_index=True)
    return Tables(**frames, data_hash=digest)


def _add_conflicts(rows: Rows, table: str, key: str, rec: schema.Fact, country: str | None) -> None:
    """A ``conflicts`` row for each alternative value recorded on ``rec``."""
    for c in rec.conflicts:
        rows["conflicts"].append(
            {
                "table": table,
                "key": key,
                "country": country,
                "field": c.field,
                "preferred_value": getattr(rec, c.field, None),
                "preferred_sources": _join(rec.sources_of(c.field)),
                "alternative_value": c.value,
                "alternative_sources": _join(c.sources),
                "alternative_confidence": c.confidence,
                "note": c.note,
            }
        )


def _add_country(rows: Rows, m: schema.CountryFile, file: str) -> None:
    """The jurisdiction's ``countries`` row, with its relation to the EU flattened."""
    eu = m.eu_status
    rows["countries"].append(
        {
            **_scalars(m),
            "eu_status": eu.value if eu else None,
            "eu_since": eu.since if eu else None,
            "eu_status_confidence": eu.confidence if eu else None,
            "eu_status_sources": _join(eu.sources) if eu else "",
            "file": file,
        }
    )


def _add_cctlds(rows: Rows, m: schema.CountryFile) -> None:
    """The jurisdiction's ccTLDs, with their events and domain counts."""
    c = m.code
    for t in m.cctlds:
        latest = max(t.domains, key=lambda d: d.as_of, default=None)
        r = {"country": c, **_scalars(t), "tld_ascii": _ascii(t.tld)}
        r["domains"] = latest.count if latest else None
        r["domains_as_of"] = latest.as_of if latest else None
        r.update(_prov(t, PROVENANCE_FIELDS["cctlds"]))
        rows["cctlds"].append(r)
        _add_conflicts(rows, "cctlds", t.tld, t, c)
        for e in t.events:
            rows["cctld_events"].append({"country": c, "tld": t.tld, **_scalars(e)})
            _add_conflicts(rows, "cctld_events", f"{t.tld}/{e.date}", e, c)
        for d in t.domains:
            rows["cctld_domains"].append({"country": c, "tld": t.tld, **_scalars(d)})


def _add_bodies(rows: Rows, m: schema.CountryFile) -> None:
    """The jurisdiction's multistakeholder bodies, with their composition."""
    c = m.code
    for b in m.ms_bodies:
        r = {"country": c, **_scalars(b)}
        r["groups"] = _join(sorted({x.group for x in b.composition}))
        r.update(_prov(b, PROVENANCE_FIELDS["ms_bodies"]))
        rows["ms_bodies"].append(r)
        _add_conflicts(rows, "ms_bodies", b.id, b, c)
        for x in b.composition:
            rows["body_composition"].append(
                {"body": b.id, "country": c, "kind": "body", **_scalars(x)}
            )


def _add_absences(rows: Rows, m: schema.CountryFile) -> None:
    """The jurisdiction's absences, with the searches behind them."""
    c = m.code
    for a in m.absences:
        rows["absences"].append({"country": c, **_scalars(a), "n_searches": len(a.searched)})
        for q in a.searched:
            rows["searches"].append({"country": c, "mechanism": a.mechanism, **_scalars(q)})


def _add_initiatives(rows: Rows, doc_model: Any, country: str | None) -> None:
    """The IGF initiatives of a country or regional file, then the file's assessments."""
    for ini in doc_model.igf_initiatives:
        _add_initiative(rows, ini, country)
    for a in getattr(doc_model, "assessments", []):
        rows["assessments"].append({"country": country, **_scalars(a)})


def _add_initiative(rows: Rows, ini: schema.IGFInitiative, country: str | None) -> None:
    """One IGF initiative, with its organisers, committee, editions and pauses."""
    r = {"country": country, **_scalars(ini)}
    r["n_editions"] = len(ini.editions)
    r["last_year"] = max((e.year for e in ini.editions), default=None)
    r["edition_years"] = _join(sorted(e.year for e in ini.editions))
    r["organisers"] = _join(o.name for o in ini.organisers)
    r.update(_prov(ini, PROVENANCE_FIELDS["igf_initiatives"]))
    rows["igf_initiatives"].append(r)
    _add_conflicts(rows, "igf_initiatives", ini.id, ini, country)
    for o in ini.organisers:
        rows["igf_organisers"].append(
            {
                "initiative": ini.id,
                "country": country,
                "name": o.name,
                "group": o.group,
                "role": o.role,
                "years": _join(o.years),
            }
        )
    for m in ini.committee:
        rows["body_composition"].append(
            {"body": ini.id, "country": country, "kind": "igf_committee", **_scalars(m)}
        )
    for e in ini.editions:
        rows["igf_editions"].append(
            {"initiative": ini.id, "country": country, "kind": ini.kind, **_scalars(e)}
        )
        _add_conflicts(rows, "igf_editions", f"{ini.id}/{e.year}", e, country)
    for p in ini.pauses:
        rows["igf_pauses"].append({"initiative": ini.id, "country": country, **_scalars(p)})


def _add_shared(rows: Rows, dataset: Dataset) -> None:
    """The records of the files shared by all jurisdictions: terms, peer groups, sources."""
    for doc in dataset.of("terms"):
        for t in doc.model.terms:  # type: ignore[union-attr]
            rows["terms"].append(_scalars(t))
    for doc in dataset.of("peer_groups"):
        for g in doc.model.peer_groups:  # type: ignore[union-attr]
            rows["peer_groups"].append(_scalars(g))
    for doc in dataset.of("sources"):
        for s in doc.model.sources:  # type: ignore[union-attr]
            rows["sources"].append({**_scalars(s), "file": doc.name})


def _fingerprint(base: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in data_files(base):
        st = p.stat()
        out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=4)
def _load_cached(base: str, fingerprint: tuple[tuple[str, int, int], ...]) -> Tables:
    files = [Path(f) for f, _, _ in fingerprint]
    dataset = validate([Path(base)])
    return build_tables(dataset, data_hash(files, Path(base)))


def load(root: Path | None = None) -> Tables:
    """Validated tables of the data under ``root`` (default: the project's ``data/``).

    Each call returns its own copy: a caller that edits a frame (a what-if analysis) never
    changes what the next caller gets."""
    base = (root or data_dir()).resolve()
    return _load_cached(str(base), _fingerprint(base)).copy()
