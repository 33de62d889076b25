"""Validating the data files: each file against the schema, then the rules across records and
files, with every problem as one line (``path:line: field.path: what is wrong``).

:func:`validate_files` reads each file with :mod:`analysis.model.datafile_reader`, reports the
placeholders ``multisee new`` left to fill in, checks the schema, and then runs the cross-file rules
of :func:`cross_check`, each a named function below (unique ids, assessments, absences beside bodies,
successors, jurisdictions of peer groups and terms, cited sources resolve). The reading names
(:class:`Problem`, :class:`Document`, :func:`read_document`, ...) are importable from here as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from analysis.model import schema, vocab
from analysis.model.datafile_reader import (
    MAX_BYTES,
    MAX_DEPTH,
    PATTERN_WORDS,
    RENAMED_KEYS,
    Document,
    LineLoader,
    Path_,
    Problem,
    discover,
    fmt_path,
    kind_of,
    read_document,
    schema_problems,
)
from analysis.model.paths import rel

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "PATTERN_WORDS",
    "PLACEHOLDER",
    "RENAMED_KEYS",
    "DataError",
    "Dataset",
    "Document",
    "LineLoader",
    "Path_",
    "Problem",
    "Report",
    "assessments_name_a_mechanism",
    "cited_sources_resolve",
    "codes_match_file_names",
    "counts_as_ms_body",
    "cross_check",
    "discover",
    "fmt_path",
    "is_placeholder",
    "kind_of",
    "members_are_jurisdictions",
    "no_body_absence_beside_a_body",
    "placeholders",
    "read_document",
    "registry_beside",
    "schema_problems",
    "successors_are_bodies",
    "unique_mechanism_ids",
    "unique_source_ids",
    "validate",
    "validate_files",
]


class DataError(Exception):
    """Raised when data files do not validate; ``problems`` holds the one-line messages."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Dataset:
    """All validated documents, by kind."""

    documents: list[Document]

    def of(self, kind: str) -> Iterator[Document]:
        return (d for d in self.documents if d.kind == kind and d.model is not None)


#: What ``multisee new`` writes where a person must fill in a value: a string that is ``TODO`` or
#: starts with ``TODO`` followed by a non-letter (``TODO: ...``, ``TODO-id``). The validator reports
#: each one (and not also the schema errors of the same value) until it is filled in.
PLACEHOLDER = "TODO"
_PLACEHOLDER_RE = re.compile(r"^TODO(?![A-Za-z])")


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLACEHOLDER_RE.match(value))


def placeholders(obj: Any, where: Path_ = ()) -> Iterator[Path_]:
    """The paths of every placeholder value in parsed data."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from placeholders(v, (*where, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from placeholders(v, (*where, i))
    elif is_placeholder(obj):
        yield where


def _under(where: str, holes: set[str]) -> bool:
    return any(where == h or where.startswith((f"{h}.", f"{h}[")) for h in holes)


def validate_files(paths: Iterable[Path] | None = None) -> tuple[Dataset, list[Problem]]:
    """Validate files against the schema and each other. Returns the dataset and all problems."""
    files = discover(paths)
    problems: list[Problem] = []
    docs: list[Document] = []
    for path in files:
        kind = kind_of(path, path.parent)
        if kind == "unknown":
            problems.append(
                Problem(
                    rel(path),
                    None,
                    "",
                    "not a known data file (expected data/countries/XX.yaml, "
                    "data/sources/*.yaml, regional.yaml, terms.yaml or peer_groups.yaml)",
                )
            )
            continue
        if path.suffix != ".yaml":
            problems.append(Problem(rel(path), None, "", "data files must end in .yaml"))
            continue
        doc, probs = read_document(path, kind)
        docs.append(doc)
        if probs:
            problems.extend(probs)
            continue
        holes = list(placeholders(doc.data))
        for where in holes:
            problems.append(
                Problem(
                    doc.name,
                    doc.line(where),
                    fmt_path(where),
                    f"placeholder {_at(doc.data, where)!r} to fill in (see CONTRIBUTING.md)",
                )
            )
        try:
            doc.model = schema.MODELS[kind].model_validate(doc.data)
        except ValidationError as exc:
            hole_names = {fmt_path(h) for h in holes}
            problems.extend(p for p in schema_problems(doc, exc) if not _under(p.where, hole_names))
    dataset = Dataset(docs)
    problems.extend(cross_check(dataset))
    return dataset, problems


def _at(data: Any, where: Path_) -> Any:
    for part in where:
        data = data[part]
    return data


def _walk_sources(obj: Any, where: Path_) -> Iterator[tuple[Path_, str]]:
    """Every source id cited anywhere in a document, with its path."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "sources" and isinstance(v, list):
                for i, s in enumerate(v):
                    if isinstance(s, str):
                        yield (*where, k, i), s
            elif k == "field_sources" and isinstance(v, dict):
                for f, lst in v.items():
                    if isinstance(lst, list):
                        for i, s in enumerate(lst):
                            if isinstance(s, str):
                                yield (*where, k, f, i), s
            else:
                yield from _walk_sources(v, (*where, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk_sources(v, (*where, i))


def counts_as_ms_body(body: Any) -> bool:
    """Whether a body record is one the adoption panel counts as a multistakeholder body: the
    rule of :func:`analysis.measures.panel_body.is_ms_body` (its home; the panel is above this layer,
    so this reads the same vocabulary, and tests/test_validate.py checks the two agree)."""
    if getattr(body, "scope", None) != "national_policy":
        return False
    coded = str(getattr(body, "multistakeholder", None))
    return vocab.BODY_CODING.get(coded, "unknown") in vocab.ADOPTED["body"]


#: How a rule reports a problem: the document, the path in it, the message.
Report = Callable[[Document, Path_, str], None]


def unique_source_ids(dataset: Dataset, add: Report) -> dict[str, str]:
    """Rule: a source id is registered once. Returns the registry (id → file name).

    A sources file with a schema error (say one bad URL) still registers its ids, so that one
    mistake gives one line, not one "unknown source id" line per citation of that file."""
    source_ids: dict[str, str] = {}
    for doc in dataset.of("sources"):
        for i, s in enumerate(doc.model.sources):  # type: ignore[union-attr]
            if s.id in source_ids:
                add(
                    doc,
                    ("sources", i, "id"),
                    f"duplicate source id '{s.id}' (also in {source_ids[s.id]})",
                )
            else:
                source_ids[s.id] = doc.name
    for doc in dataset.documents:
        if doc.kind != "sources" or doc.model is not None or not isinstance(doc.data, dict):
            continue
        for s in doc.data.get("sources") or []:
            if isinstance(s, dict) and isinstance(s.get("id"), str):
                source_ids.setdefault(s["id"], doc.name)
    return source_ids


def registry_beside(dataset: Dataset, source_ids: dict[str, str]) -> bool:
    """Whether the cited source ids can be resolved: the dataset holds a sources file, or (when
    validating single files) the registry beside them is read into ``source_ids``."""
    if any(d.kind == "sources" for d in dataset.documents):
        return True
    roots = {d.path.resolve().parent.parent for d in dataset.documents if d.kind == "country"}
    roots |= {
        d.path.resolve().parent
        for d in dataset.documents
        if d.kind in ("regional", "terms", "peer_groups")
    }
    found = False
    for root in sorted(roots):
        for path in sorted((root / "sources").glob("*.yaml")):
            sdoc, probs = read_document(path, "sources")
            if probs:
                continue
            try:
                model = schema.SourcesFile.model_validate(sdoc.data)
            except ValidationError:
                continue
            for s in model.sources:
                source_ids.setdefault(s.id, sdoc.name)
            found = True
    return found


def codes_match_file_names(dataset: Dataset, add: Report) -> set[str]:
    """Rule: a country file's code is its file name. Returns the jurisdiction codes.

    A file with other problems still names its code, so its jurisdiction is not reported missing
    everywhere else."""
    codes: set[str] = set()
    for doc in dataset.documents:
        if doc.kind == "country" and doc.model is None and isinstance(doc.data, dict):
            if isinstance(doc.data.get("code"), str):
                codes.add(doc.data["code"])
        elif (
            doc.kind == "country" and doc.model is None and re.fullmatch(r"[A-Z]{2}", doc.path.stem)
        ):
            codes.add(doc.path.stem)  # unreadable: its file name names it (no knock-on errors)
    for doc in dataset.of("country"):
        code = doc.model.code  # type: ignore[union-attr]
        if doc.path.stem != code:
            add(doc, ("code",), f"code '{code}' differs from the file name '{doc.path.name}'")
        codes.add(code)
    return codes


def unique_mechanism_ids(doc: Document, ids: dict[str, str], add: Report) -> set[str]:
    """Rule: a ccTLD, initiative or body id is used once across all files (``ids``: those seen
    so far, id → file name). Returns the ids of this file."""
    local: set[str] = set()
    for key, attr in (("cctlds", "tld"), ("igf_initiatives", "id"), ("ms_bodies", "id")):
        for i, rec in enumerate(getattr(doc.model, key, [])):
            ident = getattr(rec, attr)
            if ident in ids:
                add(doc, (key, i, attr), f"duplicate id '{ident}' (also in {ids[ident]})")
            ids[ident] = doc.name
            local.add(ident)
    return local


def assessments_name_a_mechanism(doc: Document, local: set[str], add: Report) -> None:
    """Rule: an assessment names a ccTLD, initiative or body of its own file."""
    for i, a in enumerate(getattr(doc.model, "assessments", [])):
        if a.mechanism_id not in local:
            add(
                doc,
                ("assessments", i, "mechanism_id"),
                f"'{a.mechanism_id}' is not a ccTLD, initiative or body id in this file",
            )


def no_body_absence_beside_a_body(doc: Document, add: Report) -> None:
    """Rule: no ``not_found`` body absence in a file holding a body the panel counts."""
    bodies = getattr(doc.model, "ms_bodies", [])
    counted = [(j, b.id) for j, b in enumerate(bodies) if counts_as_ms_body(b)]
    for i, a in enumerate(getattr(doc.model, "absences", [])):
        if a.mechanism == "body" and a.finding == "not_found" and counted:
            j, body = counted[0]
            add(
                doc,
                ("absences", i, "finding"),
                f"'not_found' body absence beside the MS body '{body}' (ms_bodies[{j}]):"
                " remove the absence, or revise it",
            )


def successors_are_bodies(doc: Document, local: set[str], add: Report) -> None:
    """Rule: a body's ``successor`` is a body id of its own file."""
    for i, b in enumerate(getattr(doc.model, "ms_bodies", [])):
        if b.successor and b.successor not in local:
            add(
                doc,
                ("ms_bodies", i, "successor"),
                f"'{b.successor}' is not a body id in this file",
            )


def members_are_jurisdictions(dataset: Dataset, codes: set[str], add: Report) -> None:
    """Rule: peer-group members and the countries of a term are jurisdictions with a data file
    (not checked when there is no country file to check against)."""
    for kind, attr in (("peer_groups", "members"), ("terms", "countries")):
        for doc in dataset.of(kind):
            for i, rec in enumerate(getattr(doc.model, kind)):
                for j, c in enumerate(getattr(rec, attr)):
                    if codes and c not in codes:
                        add(
                            doc, (kind, i, attr, j), f"'{c}' is not a jurisdiction with a data file"
                        )


def cited_sources_resolve(
    dataset: Dataset, source_ids: dict[str, str], have_registry: bool, add: Report
) -> None:
    """Rule: every cited source id is registered (unless there is no registry, or a sources
    file could not be read at all: its ids are unknown, and its own problem is the one to fix)."""
    unreadable = any(
        d.kind == "sources" and not isinstance(d.data, dict) for d in dataset.documents
    )
    if not have_registry or unreadable:
        return
    for doc in dataset.documents:
        if doc.model is None or doc.kind == "sources":
            continue
        for where, sid in _walk_sources(doc.data, ()):
            if sid not in source_ids and not is_placeholder(sid):
                add(doc, where, f"unknown source id '{sid}'")


def cross_check(dataset: Dataset) -> list[Problem]:
    """The rules across records and files, each a function above, in the order they report."""
    problems: list[Problem] = []

    def add(doc: Document, where: Path_, message: str) -> None:
        problems.append(Problem(doc.name, doc.line(where), fmt_path(where), message))

    source_ids = unique_source_ids(dataset, add)
    have_registry = registry_beside(dataset, source_ids)
    codes = codes_match_file_names(dataset, add)
    ids: dict[str, str] = {}
    for doc in [*dataset.of("country"), *dataset.of("regional")]:
        local = unique_mechanism_ids(doc, ids, add)
        assessments_name_a_mechanism(doc, local, add)
        no_body_absence_beside_a_body(doc, add)
        successors_are_bodies(doc, local, add)
    members_are_jurisdictions(dataset, codes, add)
    cited_sources_resolve(dataset, source_ids, have_registry, add)
    return problems


def validate(paths: Iterable[Path] | None = None) -> Dataset:
    """Validate and return the dataset, or raise :class:`DataError` listing every problem."""
    dataset, problems = validate_files(paths)
    if problems:
        raise DataError(problems)
    return dataset
