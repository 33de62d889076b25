"""The data files and their content hash, without pandas.

``multisee build`` decides from this hash alone whether anything derived from the data can have
changed, so a build with nothing to do never imports pandas; :mod:`analysis.model.load` uses the same two
functions for ``Tables.data_hash``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from analysis.model.paths import data_dir

#: Folders under ``data/`` that hold map geometry and what is derived from it (the neighbours),
#: not records of the dataset: neither validated nor part of the data hash.
NOT_DATA = ("boundaries",)


def is_data_file(path: Path, base: Path) -> bool:
    """A ``*.yaml`` record file of the dataset: not hidden, not under :data:`NOT_DATA`."""
    rel = path.relative_to(base).parts
    return not path.name.startswith(".") and not (set(rel[:-1]) & set(NOT_DATA))


def data_files(root: Path | None = None) -> list[Path]:
    """Every data file (``*.yaml`` under ``data/``, hidden files and ``boundaries/`` excluded),
    sorted."""
    base = root or data_dir()
    return sorted(p for p in base.rglob("*.yaml") if is_data_file(p, base))


def data_hash(files: Iterable[Path] | None = None, root: Path | None = None) -> str:
    """SHA-256 over the data files' relative paths and bytes: the content hash of the dataset."""
    base = root or data_dir()
    h = hashlib.sha256()
    for p in sorted(files if files is not None else data_files(base)):
        h.update(str(Path(p).relative_to(base)).encode())
        h.update(b"\0")
        h.update(Path(p).read_bytes())
        h.update(b"\0")
    return h.hexdigest()
