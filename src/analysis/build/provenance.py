"""Provenance of the build: what each product was made from, and its build key.

A product's build key (:meth:`Inputs.key`) hashes everything it reads:

* ``notebook``: both files of the jupytext pair (``notebooks/<name>.py`` and ``.ipynb``);
* ``library``: the installed ``analysis`` package (every ``*.py`` of it);
* ``packages``: the versions of the key packages and Python;
* ``parameters``: the item's parameters;
* ``reads``: one hash per derived input the item declares in ``build.yaml``
  (:data:`analysis.build.buildlist.READS`): its jurisdiction's rows, the panel, the index, ...

The derived hashes are computed from the loaded tables (pandas) only when the raw data hash, the
library or the key packages changed since they were last computed; they are kept in
``reports/.cache/inputs.json`` together with the fact that this data validated. A build with
nothing to do therefore reads bytes and hashes them, and never imports pandas.

The manifest (``reports/manifest.json``) records every product's provenance: parameters, raw data
hash, build key, git commit, library hash, package versions, timings, status and error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.build.buildlist import Item, notebook_files
from analysis.model import paths
from analysis.model.atomic import atomic_write
from analysis.model.clock import this_year

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from analysis.model.load import Tables

KEY_PACKAGES = (
    "pandas",
    "matplotlib",
    "geopandas",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "papermill",
    "jupytext",
)
MANIFEST = "manifest.json"
CACHE = Path(".cache") / "inputs.json"

#: Derived inputs computed from the tables (the others, ``data`` and ``boundaries``, are files).
DERIVED = (
    "panel",
    "index",
    "jurisdictions",
    "peer_groups",
    "events",
    "composition",
    "facts",
    "release",
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha_json(value: Any) -> str:
    return sha(json.dumps(value, sort_keys=True, default=str).encode())


def files_hash(files: list[Path], base: Path | None = None) -> str:
    """SHA-256 over the files' paths (relative to ``base``) and bytes; ``missing`` if none."""
    if not files:
        return "missing"
    h = hashlib.sha256()
    for p in files:
        h.update(paths.rel(p, base).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def library_dir() -> Path:
    """The ``analysis`` package the kernels import (the installed one, not a copy's ``src/``)."""
    return paths.PACKAGE


def library_hash() -> str:
    h = hashlib.sha256()
    for p in sorted(library_dir().rglob("*.py")):
        h.update(p.relative_to(library_dir()).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in (*KEY_PACKAGES, "multisee"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit() -> str | None:
    """``HEAD`` of the project's repository, with ``-dirty`` when tracked files are modified."""
    try:
        res = subprocess.run(
            ["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        commit = res.stdout.strip() or None
        if commit:
            dirty = subprocess.run(
                ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return None


# ---------------------------------------------------------------------------------------------
# Derived inputs: what a product reads of the data, hashed
# ---------------------------------------------------------------------------------------------


def _canon(value: Any) -> Any:
    """A value as plain JSON, the same whatever the column's dtype: missing values (None, NaN,
    NA) are ``None`` and integral floats are ints, so a column that gains its first value or its
    first missing value elsewhere does not change the hash of the other rows."""
    from analysis.model.values import plain  # pandas: only when derived hashes are computed

    value = plain(value)
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    return str(value)


def _row_digests(df: pd.DataFrame) -> list[bytes]:
    """One SHA-256 digest per row of values (not the index labels)."""
    return [
        hashlib.sha256(json.dumps([_canon(v) for v in row], ensure_ascii=False).encode()).digest()
        for row in df.itertuples(index=False, name=None)
    ]


def frame_hash(*frames: pd.DataFrame) -> str:
    """Content hash of data frames: column names and values, in row order."""
    h = hashlib.sha256()
    for df in frames:
        h.update(json.dumps([str(c) for c in df.columns]).encode() + b"\0")
        h.update(b"".join(_row_digests(df)) + b"\0")
    return h.hexdigest()


def _without_notes(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in ("notes", "note") if c in df.columns])


def country_hashes(tables: Tables, codes: list[str]) -> dict[str, str]:
    """For each code, the hash of everything the data says about that jurisdiction: its row of
    ``countries``, its rows of every table with a ``country`` column (notes included), and the
    rows of ``sources`` its rows cite."""
    from analysis.model.vocab import SEP

    h = {code: hashlib.sha256() for code in codes}
    cited: dict[str, set[str]] = {code: set() for code in codes}
    for name, df in tables.as_dict().items():
        col = "code" if name == "countries" else "country"
        if col not in df.columns:
            continue
        head = json.dumps([name, [str(c) for c in df.columns]]).encode() + b"\0"
        mine: dict[str, list[bytes]] = {code: [head] for code in codes}
        source_cols = [c for c in df.columns if c == "sources" or c.endswith("_sources")]
        for owner, digest, (_, row) in zip(
            df[col].astype(str), _row_digests(df), df[source_cols].iterrows(), strict=True
        ):
            if owner in mine:
                mine[owner].append(digest)
                for cell in row:
                    if isinstance(cell, str):
                        cited[owner].update(s for s in cell.split(SEP) if s)
        for code in codes:
            h[code].update(b"".join(mine[code]))
    src = tables.sources
    if "id" in src.columns:
        src = src.sort_values("id", ignore_index=True)
        pairs = list(zip(src["id"].astype(str), _row_digests(src), strict=True))
        for code in codes:
            h[code].update(b"".join(d for i, d in pairs if i in cited[code]))
    return {code: h[code].hexdigest() for code in codes}


class Derivations:
    """Computes the derived inputs of one set of tables, each on demand (the panel once).

    Each is hashed from the library functions the notebooks call, so a change the notebooks
    cannot see (a note, a comment) changes no hash but ``country``.
    """

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    @functools.cached_property
    def panel(self) -> pd.DataFrame:
        from analysis.measures.panel import adoption_panel
        from analysis.model.vocab import MIN_YEAR

        # From the earliest year of the data model: covers the default panel (from 1990; a
        # year's states do not depend on the first year) and a timeline started earlier.
        return adoption_panel(self.tables, start=MIN_YEAR)

    def hash(self, name: str) -> str:
        """The hash of derived input ``name`` (one of :data:`DERIVED`). An input the library
        fails to compute hashes to a value that changes with the raw data, so its readers are
        rebuilt (and show the error) whenever the data changes."""
        try:
            return getattr(self, f"_{name}")()
        except Exception as exc:  # the notebooks will meet the same error: rebuild them
            return f"failed {type(exc).__name__}: {self.tables.data_hash}"

    def _panel(self) -> str:
        from analysis.measures.selection import complete_year

        return sha_json([frame_hash(self.panel), complete_year(self.tables)])

    def _index(self) -> str:
        from analysis.measures.scoring import multisee_index

        return frame_hash(multisee_index(self.panel))

    def _release(self) -> str:
        from analysis.model.errors import UserError
        from analysis.model.release import last_release

        try:
            return sha_json(last_release(paths.ROOT).commit)
        except UserError:  # not a git checkout: no release to compare with (wherever it lies)
            return sha_json("no release")

    def _facts(self) -> str:
        return frame_hash(*(_without_notes(df) for df in self.tables.as_dict().values()))

    def _jurisdictions(self) -> str:
        return frame_hash(_without_notes(self.tables.countries))

    def _peer_groups(self) -> str:
        return frame_hash(_without_notes(self.tables.peer_groups))

    def _events(self) -> str:
        from analysis.measures.events import events

        return frame_hash(events(list(self.tables.countries["code"].astype(str)), self.tables))

    def _composition(self) -> str:
        from analysis.measures.composition import balance, bpf_profile

        t = self.tables
        names = [
            df[[c for c in cols if c in df.columns]]
            for df, cols in (
                (t.cctlds, ["country", "tld"]),
                (t.igf_initiatives, ["country", "id", "name", "kind"]),
                (t.ms_bodies, ["country", "id", "name", "multistakeholder"]),
            )
        ]
        return frame_hash(balance(t), bpf_profile(t), *names)

    def countries(self, codes: list[str]) -> dict[str, str]:
        try:
            return country_hashes(self.tables, codes)
        except Exception as exc:
            return {c: f"failed {type(exc).__name__}: {self.tables.data_hash}" for c in codes}


def derived_hashes(tables: Tables, codes: list[str]) -> dict[str, str]:
    """Every derived input (:data:`DERIVED`) and ``country/<code>`` for each of ``codes``."""
    d = Derivations(tables)
    out = {name: d.hash(name) for name in DERIVED}
    out.update({f"country/{c}": h for c, h in d.countries(codes).items()})
    return out


class DerivedInputs:
    """The derived-input hashes of the current data, cached in ``reports/.cache/inputs.json``.

    The cache is valid for one raw data hash, library hash, set of package versions and calendar
    year (the default data year is the latest *complete* year); a valid cache also means the data
    validated. A hash the cache cannot answer is computed on request from the tables (loaded once
    by :func:`analysis.model.load.load`, which validates).
    """

    def __init__(self, data: str, library: str, packages: dict[str, str]) -> None:
        self.path = paths.REPORTS / CACHE
        self.stamp: dict[str, Any] = {
            "data": data,
            "library": library,
            "packages": sha_json(packages),
            "year": this_year(),
        }
        cached: dict[str, Any] = {}
        try:
            cached = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        self.valid = (
            isinstance(cached, dict)
            and cached.get("stamp") == self.stamp
            and isinstance(cached.get("hashes", {}), dict)
        )
        self.hashes: dict[str, str] = dict(cached.get("hashes", {})) if self.valid else {}
        self.computed: list[str] = []
        self._derivations: Derivations | None = None

    def tables(self) -> Tables:
        """The loaded tables (validated: a bad file is a :class:`UserError` listing every
        problem); loading marks the data validated."""
        if self._derivations is None:
            from analysis.model.errors import UserError
            from analysis.model.load import load
            from analysis.model.validate import DataError

            try:
                tables = load()
            except DataError as exc:
                raise UserError(
                    "the data does not validate; nothing was built:\n"
                    + "\n".join(
                        str(p) for p in sorted(exc.problems, key=lambda p: (p.file, p.line or 0))
                    )
                ) from None
            self._derivations = Derivations(tables)
            if not self.valid:
                self.valid = True
                self.computed.append("validated")
        return self._derivations.tables

    def get(self, name: str, code: str | None = None) -> str:
        key = name if code is None else f"{name}/{code}"
        if key not in self.hashes:
            self.tables()
            assert self._derivations is not None
            if name == "country":
                from analysis.build.buildlist import countries

                codes = sorted({*countries(), *([code] if code else [])})
                self.hashes.update(
                    {f"country/{c}": h for c, h in self._derivations.countries(codes).items()}
                )
            else:
                self.hashes[key] = self._derivations.hash(name)
            self.computed.append(key)
        return self.hashes[key]

    def save(self) -> None:
        """Write the cache when something was computed (or validated) in this build."""
        if self.computed and self.valid:
            atomic_write(self.path, json.dumps({"stamp": self.stamp, "hashes": self.hashes}))
            self.computed = []


@dataclass
class Inputs:
    """What the current sources hash to; :meth:`key` is one item's build key."""

    data: str
    library: str
    packages: dict[str, str]
    derived: DerivedInputs
    notebooks: dict[str, str] = field(default_factory=dict)
    _boundaries: str | None = None

    def notebook(self, name: str) -> str:
        if name not in self.notebooks:
            self.notebooks[name] = files_hash(notebook_files(name), paths.ROOT)
        return self.notebooks[name]

    def boundaries(self) -> str:
        if self._boundaries is None:
            self._boundaries = files_hash(
                [p for p in (paths.BOUNDARIES, paths.NEIGHBOURS) if p.exists()], paths.ROOT
            )
        return self._boundaries

    def read(self, name: str, item: Item) -> str:
        if name == "data":
            return self.data
        if name == "boundaries":
            return self.boundaries()
        if name == "country":
            return self.derived.get("country", str(item.parameters.get("country")))
        return self.derived.get(name)

    def key(self, item: Item) -> dict[str, Any]:
        return {
            "notebook": self.notebook(item.notebook),
            "library": self.library,
            "packages": sha_json(self.packages),
            "parameters": sha_json(item.parameters),
            "reads": {name: self.read(name, item) for name in item.reads},
        }


def changed(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """The parts of a build key that differ (``reads.<name>`` for a derived input)."""
    if not old:
        return ["new"]
    out = []
    for k, v in new.items():
        if k == "reads" and isinstance(v, dict) and isinstance(old.get(k), dict):
            out += [f"reads.{r}" for r, h in v.items() if old[k].get(r) != h]
            out += [f"reads.{r}" for r in old[k] if r not in v]
        elif old.get(k) != v:
            out.append(k)
    return out or [k for k in old if k not in new]


# ---------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------


def warn(message: str) -> None:
    """A one-line warning on standard error."""
    print(f"warning: {message}", file=sys.stderr)


def _set_aside(path: Path) -> Path:
    """Rename a broken file or directory to ``<name>.broken[-N]`` (kept for inspection)."""
    n, aside = 0, path.with_name(path.name + ".broken")
    while aside.exists() or aside.is_symlink():
        n += 1
        aside = path.with_name(f"{path.name}.broken-{n}")
    path.rename(aside)
    return aside


def _manifest_problem(manifest: Any) -> str | None:
    """Why ``manifest`` (parsed JSON) is not a manifest, or ``None``."""
    if not isinstance(manifest, dict):
        return f"it holds a JSON {type(manifest).__name__}, not an object"
    products = manifest.get("products", {})
    if not isinstance(products, dict):
        return "its 'products' is not an object"
    bad = sorted(str(k) for k, v in products.items() if not isinstance(v, dict))
    if bad:
        return f"product(s) {', '.join(bad)} are not objects"
    return None


def products_from_notebooks(reports: Path | None = None) -> dict[str, Any]:
    """The manifest's products recovered from the executed notebooks' own metadata
    (``metadata.multisee``, written by :func:`analysis.build.execute.execute_item`)."""
    reports = reports or paths.REPORTS
    products: dict[str, Any] = {}
    for nb_path in sorted(reports.rglob("*.ipynb")):
        rel = nb_path.relative_to(reports)
        if rel.parts[0].startswith(".") or nb_path.name.endswith(".failed.ipynb"):
            continue
        try:
            nb = json.loads(nb_path.read_text(encoding="utf-8"))
            prov = dict(nb["metadata"]["multisee"])
            pid = str(prov["id"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        html = nb_path.with_suffix(".html")
        prov["outputs"] = {"ipynb": rel.as_posix()}
        if html.exists():
            prov["outputs"]["html"] = html.relative_to(reports).as_posix()
        try:
            import nbformat

            from analysis.products.record import recorded

            prov["recorded"] = recorded(nbformat.from_dict(nb))
        except Exception:  # the record is a convenience; the product stands without it
            prov["recorded"] = {}
        products[pid] = prov
    return products


def read_manifest(reports: Path | None = None, *, recover: bool = True) -> dict[str, Any]:
    """The build manifest. One that is missing is empty; one that is unreadable, not UTF-8, not
    JSON or of the wrong shape (or a directory) is set aside as ``manifest.json.broken`` and
    rebuilt from the products' notebooks, with a one-line warning (``recover=False``: only read,
    change nothing)."""
    reports = reports or paths.REPORTS
    path = reports / MANIFEST
    if not path.exists() and not path.is_symlink():
        return {"products": {}}
    problem: str | None = None
    manifest: Any = None
    if not path.is_file():
        problem = "it is not a regular file"
    else:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problem = "it is not UTF-8"
        except ValueError:
            problem = "it is not valid JSON"
        except OSError as exc:
            problem = f"it cannot be read ({exc.strerror or exc})"
        else:
            problem = _manifest_problem(manifest)
    if problem is None:
        manifest.setdefault("products", {})
        return dict(manifest)
    if not recover:
        return {"products": {}}
    products = products_from_notebooks(reports)
    try:
        aside: str = f"; the old one is {paths.rel(_set_aside(path), reports)}"
    except OSError:
        aside = ""
    warn(
        f"{paths.rel(path)} was unusable ({problem}); rebuilt from the notebooks of"
        f" {len(products)} product(s){aside}"
    )
    return {"products": products}


def write_manifest(manifest: dict[str, Any], reports: Path | None = None) -> None:
    atomic_write(
        (reports or paths.REPORTS) / MANIFEST,
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False),
    )
