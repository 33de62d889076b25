"""Field-level sources and confidence of ccTLDs, initiatives and bodies, as declared in the YAML
files (``field_sources`` / ``field_confidence``), with the record's own sources as the fallback.
Core layer: pandas only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.model.load import Tables, data_hash
from analysis.model.paths import data_dir
from analysis.model.values import source_ids, value_or_none

Provenance = dict[tuple[str, str], tuple[tuple[str, ...], str | None]]


@lru_cache(maxsize=4)
def _declared(root: str, digest: str) -> Provenance:
    """(record key, field) -> (sources, confidence) declared per field in the YAML files; the
    key is a ccTLD's ``tld`` or an initiative's or body's ``id``."""
    from analysis.model.validate import validate

    out: Provenance = {}
    for doc in validate([Path(root)]).documents:
        model = doc.model
        if model is None:
            continue
        recs = [
            *((t.tld, t) for t in getattr(model, "cctlds", [])),
            *((r.id, r) for r in getattr(model, "igf_initiatives", [])),
            *((b.id, b) for b in getattr(model, "ms_bodies", [])),
        ]
        for key, rec in recs:
            for f in set(rec.field_sources) | set(rec.field_confidence):
                out[(key, f)] = (tuple(rec.sources_of(f)), rec.confidence_of(f))
    return out


def field_provenance(tables: Tables, root: Path | None = None) -> Provenance:
    """Field-level sources and confidence of ccTLDs, initiatives and bodies (``organisers``,
    ``committee``, ``composition``, ``manager_by`` ...), as declared in the YAML files.

    Read from the data directory the tables were loaded from (``root``, as for
    :func:`analysis.model.load.load`; default the project's ``data/``) when its content hash is the
    tables'; tables built otherwise (tests) declare none, and their records' sources apply.
    """
    base = (Path(root) if root is not None else data_dir()).resolve()
    if not base.exists() or data_hash(root=base) != tables.data_hash:
        return {}
    return _declared(str(base), tables.data_hash)


def field_source(
    declared: Provenance, key: Any, rec: Mapping[str, Any] | pd.Series, fld: str
) -> tuple[tuple[str, ...], str | None]:
    """(sources, confidence) of one field: declared, else the table's provenance columns, else
    the record's own."""
    hit = declared.get((str(key), fld))
    if hit is not None:
        return hit
    own = rec.get(f"{fld}_sources")
    if value_or_none(own) is not None:
        return source_ids(own), value_or_none(rec.get(f"{fld}_confidence")) or value_or_none(
            rec.get("confidence")
        )
    return source_ids(rec.get("sources")), value_or_none(rec.get("confidence"))
