"""Small synthetic datasets for rule tests, two ways.

:class:`TablesBuilder` (from :mod:`analysis.model.synthetic`, the library's builder) adds rows straight to the raw tables, with only the fields a rule reads (the
rest of the catalogue's columns stay empty), so a test states exactly the case it checks::

    t = TablesBuilder().country("AA").source("s2015", published=2015)
    t.body("AA", "aa-council", established="2014", multistakeholder="yes", sources=["s2015"])
    panel = adoption_panel(t.build(), start=2010, end=2020)

The functions below it (:func:`country`, :func:`initiative`, :func:`body`, ... then
:func:`tables` or :func:`problems`) write whole records as YAML files into a scratch ``data/``
folder, then validate (:func:`analysis.model.validate.validate_files`) and flatten them
(:func:`analysis.model.load.build_tables`) exactly as :func:`analysis.model.load.load` does with the shipped
data; use them where the validator or the loader's derived columns are part of the rule::

    t = tables(country("AA", igf=[initiative("aa-igf", editions=[2015, 2017])]))

Records built that way cite :data:`SRC` (a source the builder registers) and are ``sourced``
unless told.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from analysis.model.load import Tables, build_tables
from analysis.model.synthetic import TablesBuilder
from analysis.model.validate import Dataset, validate_files

__all__ = ["TablesBuilder"]


# ---------------------------------------------------------------------------------------------
# Through the data files: whole records, validated and loaded as the shipped data are
# ---------------------------------------------------------------------------------------------

SRC = "test-source"


def fact(**kw: Any) -> dict[str, Any]:
    """A fact-bearing record: sources and confidence unless given."""
    return {"sources": [SRC], "confidence": "sourced", **kw}


def cctld(tld: str, multistakeholder: str = "yes", **kw: Any) -> dict[str, Any]:
    return fact(
        tld=tld,
        idn=not tld.isascii(),
        manager=f"Registry of .{tld}",
        legal_form="foundation",
        multistakeholder=multistakeholder,
        ms_rationale="Members from several stakeholder groups.",
        **kw,
    )


def event(date: str, type: str, **kw: Any) -> dict[str, Any]:
    return fact(date=date, type=type, description=f"{type} on {date}", **kw)


def edition(year: int, **kw: Any) -> dict[str, Any]:
    return fact(year=year, **kw)


def pause(type: str, start: int, end: int | None = None, **kw: Any) -> dict[str, Any]:
    extra = {"end": end} if end is not None else {}
    return fact(type=type, start=start, description="As the source says.", **extra, **kw)


def initiative(
    id: str, editions: Sequence[int | dict[str, Any]] = (), kind: str = "national", **kw: Any
) -> dict[str, Any]:
    """An IGF initiative; ``editions`` are years or :func:`edition` dicts; ``first_year`` defaults
    to the earliest edition."""
    eds = [edition(e) if isinstance(e, int) else e for e in editions]
    if eds and "first_year" not in kw:
        kw["first_year"] = min(e["year"] for e in eds)
    return fact(id=id, kind=kind, name=kw.pop("name", f"IGF {id}"), editions=eds, **kw)


def body(id: str, multistakeholder: str = "yes", **kw: Any) -> dict[str, Any]:
    return fact(
        id=id,
        name=kw.pop("name", f"Council {id}"),
        type="council",
        legal_basis="decree",
        scope=kw.pop("scope", "national_policy"),
        multistakeholder=multistakeholder,
        **kw,
    )


def absence(mechanism: str, finding: str = "not_found", **kw: Any) -> dict[str, Any]:
    if finding == "not_found" and "searched" not in kw:
        kw["searched"] = [{"query": "national forum", "looked_at": "news", "date": "2026-01"}]
    return fact(mechanism=mechanism, finding=finding, text="Searched.", **kw)


def assessment(
    mechanism_id: str, dimension: str, value: str | None = None, **kw: Any
) -> dict[str, Any]:
    extra = {"value": value} if value is not None else {}
    return fact(mechanism_id=mechanism_id, dimension=dimension, text="As coded.", **extra, **kw)


def country(
    code: str,
    *,
    cctlds: Iterable[dict[str, Any]] = (),
    igf: Iterable[dict[str, Any]] = (),
    bodies: Iterable[dict[str, Any]] = (),
    absences: Iterable[dict[str, Any]] = (),
    assessments: Iterable[dict[str, Any]] = (),
    **kw: Any,
) -> dict[str, Any]:
    """A country file's content (``scope_role`` core, subregion western_balkans unless given)."""
    return {
        "code": code,
        "name": kw.pop("name", f"Country {code}"),
        "subregion": kw.pop("subregion", "western_balkans"),
        **kw,
        "cctlds": list(cctlds),
        "igf_initiatives": list(igf),
        "ms_bodies": list(bodies),
        "absences": list(absences),
        "assessments": list(assessments),
    }


def source(id: str = SRC, **kw: Any) -> dict[str, Any]:
    return {
        "id": id,
        "title": f"Source {id}",
        "url": f"https://example.org/{id}",
        "kind": "official",
        "accessed": "2026-01-01",
        **kw,
    }


def write_data(
    folder: Path,
    countries: Iterable[dict[str, Any]],
    *,
    regional: Iterable[dict[str, Any]] | None = None,
    sources: Sequence[dict[str, Any]] | dict[str, Sequence[dict[str, Any]]] | None = None,
    peer_groups: Iterable[dict[str, Any]] | None = None,
    rename_file: dict[str, str] | None = None,
) -> Path:
    """Write a ``data/`` folder under ``folder``; ``sources`` may map file stems to lists;
    ``rename_file`` writes a country's file under another name (code -> file stem)."""
    data = folder / "data"
    (data / "countries").mkdir(parents=True)
    (data / "sources").mkdir()

    def dump(path: Path, obj: Any) -> None:
        path.write_text(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True), encoding="utf-8")

    for c in countries:
        stem = (rename_file or {}).get(c["code"], c["code"])
        dump(data / "countries" / f"{stem}.yaml", c)
    if sources is None:
        sources = [source()]
    files = sources if isinstance(sources, dict) else {"common": sources}
    for stem, lst in files.items():
        dump(data / "sources" / f"{stem}.yaml", {"sources": list(lst)})
    if regional is not None:
        dump(data / "regional.yaml", {"igf_initiatives": list(regional)})
    if peer_groups is not None:
        dump(data / "peer_groups.yaml", {"peer_groups": list(peer_groups)})
    return data


def problems(*countries: dict[str, Any], **kw: Any) -> list[str]:
    """Every problem the validator reports for these files (one line each)."""
    with tempfile.TemporaryDirectory(prefix="builder-") as tmp:
        data = write_data(Path(tmp), countries, **kw)
        _, probs = validate_files([data])
        return [str(p) for p in probs]


def dataset(*countries: dict[str, Any], **kw: Any) -> Dataset:
    with tempfile.TemporaryDirectory(prefix="builder-") as tmp:
        data = write_data(Path(tmp), countries, **kw)
        ds, probs = validate_files([data])
    if probs:
        raise AssertionError("the synthetic data do not validate:\n" + "\n".join(map(str, probs)))
    return ds


def tables(*countries: dict[str, Any], **kw: Any) -> Tables:
    """The loaded tables of these countries (validated first, as :func:`analysis.model.load.load`)."""
    return build_tables(dataset(*countries, **kw), digest="synthetic")
