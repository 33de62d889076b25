"""The declarative build list (``build.yaml``): items, what each reads, and parameter checks.

An entry of ``build.yaml`` expands into one :class:`Item` per jurisdiction, peer group or listed
value (``foreach``). Each item names its notebook, the parameters it runs with and ``reads``: the
derived inputs its products read (:data:`READS`), on which its build key depends. Parameters are
checked against the notebook's ``parameters`` cell before anything runs.

This module does not import pandas, nbformat or jupytext at import time (a build with nothing to
do never needs them).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.model import paths
from analysis.model.errors import UserError

#: What a product can read, each hashed into its build key. ``country`` is the item's own
#: jurisdiction (its ``country`` parameter); ``data`` is the conservative default for an entry that
#: declares nothing. The hashes are computed by :class:`analysis.build.provenance.Derivations`.
READS: dict[str, str] = {
    "data": "every data file (the raw data hash): any data change rebuilds the item",
    "country": "the item's jurisdiction: its rows of every table and the sources they cite",
    "panel": "the adoption panel (every jurisdiction, mechanism and year) and the default year",
    "index": "the Multi-SEE index of the panel (every year, default weights)",
    "jurisdictions": "the jurisdictions table (codes, names, roles...) without its free-text notes",
    "peer_groups": "the peer groups (ids, names, members)",
    "events": "the dated events of every jurisdiction (delegations, first IGFs, bodies founded)",
    "composition": "stakeholder balance and BPF profiles, and the names of the mechanisms",
    "boundaries": "the map boundaries and neighbours, data/boundaries/",
    "facts": "every table without its free-text notes (an analysis of all the coded facts)",
    "release": "the last release's commit (what 'changed since the last release' compares with)",
}
DEFAULT_READS = ("data",)


@dataclass
class Item:
    id: str
    notebook: str
    parameters: dict[str, Any]
    title: str = ""
    group: str = ""
    reads: list[str] = field(default_factory=lambda: list(DEFAULT_READS))

    @property
    def source(self) -> Path:
        """The notebook the item executes: the jupytext ``.py`` source when there is one (the
        ``.ipynb`` is generated from it by ``make``), else the ``.ipynb``."""
        py = paths.NOTEBOOKS / f"{self.notebook}.py"
        return py if py.exists() else paths.NOTEBOOKS / f"{self.notebook}.ipynb"

    @property
    def notebook_files(self) -> list[Path]:
        """Both files of the jupytext pair that exist (``.py`` and ``.ipynb``)."""
        return notebook_files(self.notebook)


def notebook_files(name: str) -> list[Path]:
    return [
        p for p in (paths.NOTEBOOKS / f"{name}.py", paths.NOTEBOOKS / f"{name}.ipynb") if p.exists()
    ]


def countries() -> list[str]:
    """The jurisdiction codes, one per ``data/countries/*.yaml``."""
    return sorted(p.stem for p in paths.COUNTRIES.glob("*.yaml"))


def peer_groups() -> list[str]:
    if not paths.PEER_GROUPS.exists():
        return []
    data = yaml.safe_load(paths.PEER_GROUPS.read_text(encoding="utf-8")) or {}
    return [g["id"] for g in data.get("peer_groups", []) if isinstance(g, dict) and "id" in g]


def _fill(value: Any, env: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**env)
    if isinstance(value, list):
        return [_fill(v, env) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, env) for k, v in value.items()}
    return value


def _reads(entry: dict[str, Any], where: str) -> list[str]:
    reads = entry.get("reads", list(DEFAULT_READS))
    if not isinstance(reads, list) or not reads or not all(isinstance(r, str) for r in reads):
        raise UserError(f"{where}.reads: expected a non-empty list such as [country, panel]")
    unknown = [r for r in reads if r not in READS]
    if unknown:
        raise UserError(
            f"{where}.reads: unknown input(s) {', '.join(map(repr, unknown))}"
            f" (known: {', '.join(READS)})"
        )
    if "country" in reads and "country" not in (entry.get("parameters") or {}):
        raise UserError(f"{where}.reads: 'country' needs a 'country' parameter")
    return sorted(set(reads), key=list(READS).index)


def load_build_list(path: Path | None = None) -> list[Item]:
    """Expand ``build.yaml`` into items (``foreach: countries|peer_groups|[values]``)."""
    path = path or paths.BUILD_LIST
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    items: list[Item] = []
    for n, entry in enumerate(spec.get("items", [])):
        where = f"{paths.rel(path)}: items[{n}]"
        foreach = entry.get("foreach")
        if foreach == "countries":
            envs = [{"code": c, "value": c} for c in countries()]
        elif foreach == "peer_groups":
            envs = [{"code": g, "value": g} for g in peer_groups()]
        elif isinstance(foreach, list):
            envs = [{"code": str(v), "value": str(v)} for v in foreach]
        elif foreach is None:
            envs = [{}]
        else:
            raise UserError(f"{where}.foreach: unknown value {foreach!r}")
        reads = _reads(entry, where)
        for env in envs:
            items.append(
                Item(
                    id=_fill(entry["id"], env),
                    notebook=entry["notebook"],
                    parameters=_fill(entry.get("parameters", {}), env),
                    title=_fill(entry.get("title", ""), env),
                    group=entry.get("group", ""),
                    reads=list(reads),
                )
            )
    ids = [i.id for i in items]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise UserError(f"{paths.rel(path)}: duplicate item ids: {', '.join(sorted(dupes))}")
    return items


def select(items: list[Item], only: list[str] | None, codes: list[str] | None) -> list[Item]:
    """The items named by ``--only`` (ids or id prefixes) and ``--countries``."""
    out = items
    if only:
        out = [
            i for i in out if any(i.id == o or i.id.startswith(o.rstrip("/") + "/") for o in only)
        ]
        if not out:
            raise UserError(f"--only {','.join(only)} matches no item of the build list")
    if codes:
        unknown = set(codes) - set(countries())
        if unknown:
            raise UserError(f"--countries: unknown code(s) {', '.join(sorted(unknown))}")
        out = [i for i in out if i.parameters.get("country") in codes]
    return out


# ---------------------------------------------------------------------------------------------
# Parameters: read the notebook's parameters cell and check items against it
# ---------------------------------------------------------------------------------------------


def _parameters_cell(nb_path: Path) -> str | None:
    if nb_path.suffix == ".py":
        import jupytext

        cells = [(c.metadata, c.source) for c in jupytext.read(str(nb_path)).cells]
    else:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        cells = [(c.get("metadata", {}), c["source"]) for c in nb["cells"]]
    for metadata, source in cells:
        if "parameters" in metadata.get("tags", []):
            return "".join(source) if isinstance(source, list) else source
    return None


def notebook_parameters(nb_path: Path) -> dict[str, Any]:
    """Names and default values of the notebook's ``parameters`` cell (``.py`` or ``.ipynb``)."""
    src = _parameters_cell(nb_path)
    if src is None:
        raise UserError(f"{paths.rel(nb_path)}: no cell tagged 'parameters'")
    out: dict[str, Any] = {}
    for node in ast.parse(src).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                out[node.targets[0].id] = None
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.literal_eval(node.value) if node.value else None
    return out


def check_parameters(item: Item, declared: dict[str, Any]) -> list[str]:
    problems = []
    for name, value in item.parameters.items():
        if name not in declared:
            problems.append(
                f"{item.id}: unknown parameter {name!r} for notebook {item.notebook} "
                f"(declared: {', '.join(declared)})"
            )
            continue
        default = declared[name]
        if default is not None and value is not None:
            ok = isinstance(value, type(default)) or (
                isinstance(default, (int, float))
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            )
            if not ok:
                problems.append(
                    f"{item.id}: parameter {name!r} should be {type(default).__name__}, "
                    f"got {type(value).__name__} {value!r}"
                )
    return problems


def check_items(items: list[Item]) -> None:
    """Every item's notebook exists and its parameters match the notebook's parameters cell;
    otherwise one :class:`UserError` listing every problem."""
    declared: dict[str, dict[str, Any]] = {}
    bad: list[str] = []
    for item in items:
        if not item.source.exists():
            bad.append(
                f"{item.id}: notebook notebooks/{item.notebook}.py (or .ipynb) does not exist"
            )
            continue
        if item.notebook not in declared:
            declared[item.notebook] = notebook_parameters(item.source)
        bad.extend(check_parameters(item, declared[item.notebook]))
    if bad:
        raise UserError("bad build parameters; nothing was built:\n" + "\n".join(bad))
