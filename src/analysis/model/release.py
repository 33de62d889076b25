"""Versions and releases: the package version, release tags and revisions of the data in git.

The version lives in one place, ``pyproject.toml``; the library reads it through
:mod:`importlib.metadata` (:func:`package_version`), and it is also the version of the data package
and of ``CITATION.cff``. A *release* is a git tag ``v<version>`` (e.g. ``v0.2.0``).

:func:`last_release` picks the revision that "changes since the last release" (``multisee diff``,
``multisee release-notes``, the pages) are measured from, and says why in :attr:`Release.why`:

1. the merge base of ``HEAD`` with the latest tag ``v*`` (by version order): the tag itself when
   the branch grew from it, else the commit the branch and the release share;
2. without any such tag (a clone made without tags, or before the first tag was set): the merge
   base with the upstream branch (``@{upstream}``), when there is one, with a note;
3. without either: the first commit of the current version, i.e. the commit that set
   ``pyproject.toml`` to the version the working tree has, with a note;
4. without that either (``pyproject.toml`` has no history, e.g. a shallow clone): ``HEAD``, with a
   note.

:func:`export_data` writes a revision's ``data/`` folder into a directory (``git archive``), so the
validator and the loader can read it like any other copy of the data.

:func:`site_url` is the public address of the built site, set in one place (``[tool.multisee]
site_url`` in ``pyproject.toml``); ``None`` while none is known. The deck's QR code and sources link
(:func:`site_page`) and the ``url`` of ``CITATION.cff`` follow it.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from analysis.model import paths
from analysis.model.errors import UserError
from analysis.model.paths import project_root

_VERSION_RE = re.compile(r'^version\s*=\s*"([^"]+)"\s*$', re.M)


#: The checkout's pyproject.toml (absent when the package is installed, not run from a checkout).
_PYPROJECT = paths.PACKAGE.parents[1] / "pyproject.toml"


def version(name: str) -> str:
    """The installed distribution's version (indirection kept for tests of a stale install)."""
    from importlib.metadata import version as _version

    return _version(name)


def package_version() -> str:
    """The version of the multisee package, which is also the data package's ``version``.

    From the checkout's ``pyproject.toml`` when the package runs from a source tree (the metadata
    of an editable install keeps the version it was installed with until it is reinstalled), else
    from the installed distribution's metadata.
    """
    from importlib.metadata import PackageNotFoundError

    if _PYPROJECT.is_file():
        found = pyproject_version(_PYPROJECT.read_text(encoding="utf-8"))
        if found:
            return found
    try:
        return version("multisee")
    except PackageNotFoundError:  # pragma: no cover - neither a checkout nor installed
        return "0.0.0"


def pyproject_version(text: str) -> str | None:
    """The ``[project]`` version of a pyproject.toml naming the multisee project, else None."""
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if not section or not re.search(r'^name\s*=\s*"multisee"\s*$', section.group(1), re.M):
        return None
    found = _VERSION_RE.search(section.group(1))
    return found.group(1) if found else None


_SITE_SECTION_RE = re.compile(r"^\[tool\.multisee\]\s*$(.*?)(?=^\[|\Z)", re.M | re.S)
_SITE_URL_RE = re.compile(r"^site_url\s*=\s*(.*?)\s*$", re.M)
_HTTP_RE = re.compile(r"https?://[^\s/\"'<>]+(/[^\s\"'<>]*)?")


def pyproject_site_url(text: str, name: str = "pyproject.toml") -> str | None:
    """The ``[tool.multisee]`` ``site_url`` of a pyproject.toml's ``text`` without a trailing
    slash; ``None`` when the key is absent or empty. Anything but a quoted http(s) address is a
    :class:`UserError` naming the file and line."""
    section = _SITE_SECTION_RE.search(text)
    if not section:
        return None
    found = _SITE_URL_RE.search(section.group(1))
    if not found:
        return None
    line = text.count("\n", 0, section.start(1) + found.start()) + 1
    raw = found.group(1).split(" #")[0].strip()
    quoted = re.fullmatch(r'"([^"]*)"|\'([^\']*)\'', raw)
    if not quoted:
        raise UserError(f"{name} line {line}: site_url must be a quoted string, not {raw}")
    value = (quoted.group(1) if quoted.group(1) is not None else quoted.group(2)).strip()
    if not value:
        return None
    if not _HTTP_RE.fullmatch(value):
        raise UserError(
            f"{name} line {line}: site_url {value!r} is not an http(s) address "
            "(e.g. https://host/multisee); leave it empty while none is known"
        )
    return value.rstrip("/")


def site_url() -> str | None:
    """The public address of the built site (``reports/`` published), from ``[tool.multisee]
    site_url`` in the checkout's ``pyproject.toml``; ``None`` when none is set (or the package
    does not run from a checkout). Never guessed."""
    if not _PYPROJECT.is_file():
        return None
    return pyproject_site_url(_PYPROJECT.read_text(encoding="utf-8"))


def site_page(page: str, url: str | None = None) -> str | None:
    """The public address of one page of the site (``sources.html`` ...) under ``url`` (default:
    :func:`site_url`); ``None`` when no site address is set."""
    base = url if url is not None else site_url()
    return f"{base.rstrip('/')}/{page.lstrip('/')}" if base else None


def git(root: Path, *args: str, check: bool = True) -> str:
    """Run ``git -C root args`` and return its standard output (a one-line error otherwise)."""
    try:
        res = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=120
        )
    except FileNotFoundError:
        raise UserError("git is not installed; it is needed to read other revisions") from None
    if check and res.returncode != 0:
        msg = (res.stderr.strip().splitlines() or ["failed"])[-1]
        raise UserError(f"git {' '.join(args[:2])}: {msg}")
    return res.stdout


def _git_bytes(root: Path, *args: str) -> bytes:
    res = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=300)
    if res.returncode != 0:
        msg = (res.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1]
        raise UserError(f"git {' '.join(args[:2])}: {msg}")
    return res.stdout


def is_repository(root: Path | None = None) -> bool:
    root = root or project_root()
    try:
        res = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return res.returncode == 0 and res.stdout.strip() == "true"


def resolve(rev: str, root: Path | None = None) -> str:
    """The full commit id of ``rev`` (a tag, branch, commit or ``HEAD~1``), or a one-line error."""
    root = root or project_root()
    res = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if res.returncode != 0 or not res.stdout.strip():
        raise UserError(f"unknown revision '{rev}' (a tag, branch or commit of this repository)")
    return res.stdout.strip()


def release_tags(root: Path | None = None) -> list[str]:
    """Release tags ``v*``, newest version first."""
    out = git(root or project_root(), "tag", "--list", "v*", "--sort=-v:refname")
    return [t for t in out.split() if re.match(r"^v\d", t)]


@dataclass(frozen=True)
class Release:
    """The revision changes are measured from."""

    rev: str  #: what to pass to git: a tag or a commit id
    label: str  #: how to name it ("v0.2.0", "0.2.0 (commit 1a2b3c4, untagged)", "HEAD")
    commit: str  #: the full commit id
    note: str | None = None  #: why this revision, when it is not a release tag
    why: str = ""  #: which base was chosen and how, in one line (printed by ``multisee diff``)


def _version_at(root: Path, commit: str, prefix: str) -> str | None:
    res = subprocess.run(
        ["git", "-C", str(root), "show", f"{commit}:{prefix}pyproject.toml"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return pyproject_version(res.stdout) if res.returncode == 0 else None


def current_version(root: Path | None = None) -> str:
    """The version of the project at ``root``: its ``pyproject.toml`` when it has one (a copy
    pointed at by ``MULTISEE_ROOT``), else the installed package's."""
    root = root or project_root()
    p = root / "pyproject.toml"
    if p.exists():
        v = pyproject_version(p.read_text(encoding="utf-8"))
        if v:
            return v
    return package_version()


def merge_base(root: Path, a: str, b: str = "HEAD") -> str | None:
    """The best common ancestor of ``a`` and ``b`` (``None`` when they share no history)."""
    out = git(root, "merge-base", a, b, check=False).strip()
    return out or None


def upstream(root: Path) -> str | None:
    """The upstream branch of the current branch (``origin/main``), or ``None``."""
    out = git(
        root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}", check=False
    ).strip()
    return out or None


def last_release(root: Path | None = None) -> Release:
    """The base that changes are measured from: the merge base with the latest ``v*`` tag, else
    with the upstream branch, else the first commit of the current version, else ``HEAD`` (see
    the module docstring)."""
    root = root or project_root()
    if not is_repository(root):
        raise UserError(f"{root} is not a git repository: there is no release to compare with")
    tags = release_tags(root)
    if tags:
        tag = tags[0]
        tagged = resolve(tag, root)
        base = merge_base(root, tag)
        if base is None or base == tagged:
            why = f"base: {tag}, the last release tag"
            return Release(tag, tag, tagged, why=why)
        why = (
            f"base: {base[:7]}, the merge base of HEAD with the last release tag {tag}"
            f" ({tagged[:7]}), which is not an ancestor of HEAD"
        )
        return Release(base, f"{tag} (merge base {base[:7]})", base, why=why)
    hint = "no release tag v* in this repository (a clone without tags: git fetch --tags)"
    up = upstream(root)
    base = merge_base(root, up) if up else None
    if up and base:
        note = f"{hint}; comparing with commit {base[:7]}, the merge base of HEAD with {up}"
        return Release(base, f"{up} (merge base {base[:7]})", base, note=note, why=f"base: {note}")
    version = current_version(root)
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    commits = git(root, "log", "--format=%H", "--", f"{prefix}pyproject.toml", check=False).split()
    first: str | None = None
    for c in commits:  # newest first: walk back while the version is the current one
        if _version_at(root, c, prefix) != version:
            break
        first = c
    if first:
        note = (
            f"{hint} and no upstream branch; comparing with commit {first[:7]}, the first commit"
            f" with version {version} in pyproject.toml"
        )
        label = f"{version} (commit {first[:7]}, untagged)"
        return Release(first, label, first, note=note, why=f"base: {note}")
    head = resolve("HEAD", root)
    note = (
        f"{hint}, no upstream branch and no history of pyproject.toml; comparing with HEAD"
        " (the last commit)"
    )
    return Release("HEAD", f"HEAD ({head[:7]})", head, note=note, why=f"base: {note}")


def export_data(rev: str, dest: Path, root: Path | None = None) -> Path:
    """Write the ``data/`` folder of revision ``rev`` under ``dest``; return ``dest/data``."""
    root = root or project_root()
    commit = resolve(rev, root)
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    listing = git(root, "ls-tree", "--name-only", commit, f"{prefix}data")
    if not listing.strip():
        raise UserError(f"revision '{rev}' has no data/ folder")
    blob = _git_bytes(root, "archive", "--format=tar", commit, f"{prefix}data")
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
        for m in members:
            name = m.name[len(prefix) :] if prefix and m.name.startswith(prefix) else m.name
            target = (dest / name).resolve()
            if not str(target).startswith(str(dest.resolve())):
                raise UserError(f"revision '{rev}': unsafe path {m.name!r} in the archive")
            if m.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            fh = tar.extractfile(m)
            if fh is not None:
                target.write_bytes(fh.read())
    return dest / "data"
