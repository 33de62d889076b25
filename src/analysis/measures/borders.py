"""Who neighbours whom: ``data/boundaries/neighbours.yaml``, beside the boundary file it is derived
from (``scripts/build_neighbours.py``), and the weight matrices of the drivers analysis.

* land borders and sea links, with out-of-scope neighbours (IT, AT, PL, BY, KZ, IR, SK, ...);
* closed borders (AM-TR, AM-AZ), each with its basis and confidence, left out of the main matrix;
* alternative matrices, each a sensitivity row of the drivers tests: land borders only, closed
  borders counted, distance (territories within a few hundred km), former Soviet republics, shared
  language, the RIPE NCC service region.

Core layer: yaml and numpy only (the geometry is read by the build script, not here).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from analysis.model.errors import UserError
from analysis.model.paths import NEIGHBOURS, rel

#: The weight matrices, in the order shown: id -> what links two jurisdictions.
MATRICES: dict[str, str] = {
    "borders": "a land border or a sea link (closed borders left out)",
    "land": "a land border only (closed borders left out)",
    "with_closed": "a land border or a sea link, closed borders counted",
    "near": "territories within {near_km} km of each other",
    "post-soviet": "both former Soviet republics",
    "language": "a shared or mutually intelligible official language",
    "ripe-ncc": "both in the RIPE NCC service region (everyone)",
}
#: The main matrix.
MAIN = "borders"


@dataclass(frozen=True)
class Border:
    a: str
    b: str
    kind: str  # land | sea
    km: int


@dataclass(frozen=True)
class Closed:
    a: str
    b: str
    since: int | None
    confidence: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Neighbours:
    """The content of ``neighbours.yaml``."""

    borders: tuple[Border, ...]
    closed: tuple[Closed, ...]
    groups: tuple[dict[str, Any], ...]
    near: tuple[tuple[str, str, int], ...]
    near_km: int
    path: str

    def closed_pairs(self) -> set[frozenset[str]]:
        return {frozenset((c.a, c.b)) for c in self.closed}

    def pairs(self, matrix: str = MAIN) -> set[frozenset[str]]:
        """The linked pairs of a matrix (:data:`MATRICES`), out-of-scope codes included."""
        if matrix not in MATRICES:
            raise UserError(f"unknown weight matrix {matrix!r} (known: {', '.join(MATRICES)})")
        closed = self.closed_pairs()
        if matrix in ("borders", "land", "with_closed"):
            kinds = {"land"} if matrix == "land" else {"land", "sea"}
            return {
                frozenset((b.a, b.b))
                for b in self.borders
                if b.kind in kinds
                and (matrix == "with_closed" or frozenset((b.a, b.b)) not in closed)
            }
        if matrix == "near":
            return {frozenset((a, b)) for a, b, _ in self.near}
        group = self.group(matrix)
        sets = group.get("sets") or [group.get("members") or []]
        return {frozenset(p) for s in sets for p in itertools.combinations(sorted(s), 2)}

    def group(self, gid: str) -> dict[str, Any]:
        for g in self.groups:
            if g.get("id") == gid:
                return g
        raise UserError(f"{rel(Path(self.path))}: groups: no group with id {gid!r}")

    def adjacency(self, matrix: str = MAIN) -> dict[str, frozenset[str]]:
        """Each code's linked codes under a matrix."""
        out: dict[str, set[str]] = {}
        for p in self.pairs(matrix):
            a, b = sorted(p)
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
        return {c: frozenset(v) for c, v in sorted(out.items())}

    def matrix(self, codes: Sequence[str], matrix: str = MAIN) -> np.ndarray:
        """Boolean matrix of the links among ``codes`` (in that order)."""
        return adjacency_matrix(self.adjacency(matrix), codes)

    def describe(self, matrix: str) -> str:
        return MATRICES[matrix].format(near_km=self.near_km)

    def confidence(self, matrix: str) -> str:
        """``derived`` for the geometry-derived matrices, else the group's confidence."""
        if matrix in ("borders", "land", "with_closed", "near"):
            return "derived"
        return str(self.group(matrix).get("confidence") or "recalled")


def adjacency_matrix(adj: Mapping[str, Iterable[str]], codes: Sequence[str]) -> np.ndarray:
    """Boolean matrix of links among ``codes`` (in that order) from a code -> neighbours map."""
    idx = {c: i for i, c in enumerate(codes)}
    m = np.zeros((len(codes), len(codes)), dtype=bool)
    for c in codes:
        for n in adj.get(c, ()):
            if n in idx:
                m[idx[c], idx[n]] = True
    return m


def _pair(entry: Any, where: str) -> tuple[str, str]:
    p = entry.get("pair") if isinstance(entry, dict) else None
    if not (isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) for c in p)):
        raise UserError(f"{where}.pair: expected two country codes such as [AL, GR]")
    a, b = sorted(p)
    if a == b:
        raise UserError(f"{where}.pair: a country cannot neighbour itself ({a})")
    return a, b


def _parse(text: str, name: str) -> Neighbours:
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise UserError(f"{name}{line}: not valid YAML") from None
    if not isinstance(doc, dict):
        raise UserError(f"{name}: expected a mapping with borders, closed, groups, near")
    borders = []
    for i, e in enumerate(doc.get("borders") or []):
        where = f"{name}: borders[{i}]"
        a, b = _pair(e, where)
        if e.get("kind") not in ("land", "sea"):
            raise UserError(f"{where}.kind: expected land or sea, got {e.get('kind')!r}")
        borders.append(Border(a, b, str(e["kind"]), int(e.get("km") or 0)))
    known = {frozenset((b.a, b.b)) for b in borders}
    closed = []
    for i, e in enumerate(doc.get("closed") or []):
        where = f"{name}: closed[{i}]"
        a, b = _pair(e, where)
        if frozenset((a, b)) not in known:
            raise UserError(f"{where}.pair: {a}-{b} is not a border in borders")
        conf = e.get("confidence")
        if conf not in ("sourced", "inferred", "recalled"):
            raise UserError(f"{where}.confidence: expected sourced, inferred or recalled")
        srcs = tuple(str(s) for s in e.get("sources") or ())
        if conf == "sourced" and not srcs:
            raise UserError(f"{where}.sources: a sourced entry needs at least one source")
        since = e.get("since")
        closed.append(Closed(a, b, None if since is None else int(since), conf, srcs,
                             str(e.get("note") or "")))  # fmt: skip
    groups = []
    for i, g in enumerate(doc.get("groups") or []):
        if not isinstance(g, dict) or not g.get("id") or not (g.get("members") or g.get("sets")):
            raise UserError(f"{name}: groups[{i}]: expected an id and members (or sets)")
        groups.append(dict(g))
    near = []
    for i, e in enumerate(doc.get("near") or []):
        a, b = _pair(e, f"{name}: near[{i}]")
        near.append((a, b, int(e.get("km") or 0)))
    near_km = doc.get("near_km")
    if not isinstance(near_km, int) or near_km <= 0:
        raise UserError(f"{name}: near_km: expected a positive number of km, got {near_km!r}")
    return Neighbours(tuple(borders), tuple(closed), tuple(groups), tuple(near), near_km, name)


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Neighbours:
    p = Path(path)
    return _parse(p.read_text(encoding="utf-8"), rel(p))


def load_neighbours(path: Path | str | None = None) -> Neighbours:
    """The neighbours file (default ``data/boundaries/neighbours.yaml``), cached per file and
    modification time (the result is frozen)."""
    p = Path(path) if path is not None else NEIGHBOURS
    if not p.exists():
        raise UserError(f"{rel(p)}: no such file (run scripts/build_neighbours.py)")
    return _load(str(p.resolve()), p.stat().st_mtime_ns)


def adjacency(path: Path | str | None = None, matrix: str = MAIN) -> dict[str, frozenset[str]]:
    """Each code's neighbours under a matrix (default: land borders and sea links, closed borders
    left out), out-of-scope neighbours included."""
    return load_neighbours(path).adjacency(matrix)
