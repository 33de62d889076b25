"""What a contributor gives ``multisee new``: one-line checks of the input, and the data files and records it names (a country's file, the source registry, an initiative).

Every check raises :class:`~analysis.model.errors.UserError` with one line, before anything is
written.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from analysis.model.errors import UserError
from analysis.model.paths import data_dir, project_root, rel
from analysis.model.validate import read_document
from analysis.model.vocab import CODES, MAX_YEAR, MIN_YEAR

# --------------------------------------------------------------------------------------------
# Input checks (one line each)
# --------------------------------------------------------------------------------------------


def check_year(value: Any, what: str = "--year") -> int:
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise UserError(f"{what} must be a year such as 2023, not {value!r}")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UserError(f"{what} {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    return year


def check_date(value: str, what: str) -> str:
    from analysis.model.schema import check_date as _check

    try:
        return _check(str(value).strip())
    except ValueError as exc:
        raise UserError(f"{what}: {exc}") from None


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, no spaces and no ellipsis (a truncated URL)."""
    u = str(url).strip()
    parts = urlsplit(u) if re.match(r"^https?://\S+$", u) else None
    host = parts.hostname if parts else None
    if not parts or not host or ("." not in host and host != "localhost") or "…" in u:
        raise UserError(
            f"--url {url!r} is not an http(s) URL (give it exactly as archived, e.g."
            " https://host/path)"
        )
    return u


def check_code(value: str | None, code_list: str, what: str) -> str | None:
    if value is None:
        return None
    if value not in CODES[code_list]:
        raise UserError(f"{what} {value!r} is not one of {', '.join(CODES[code_list])}")
    return value


def check_ident(ident: str | None) -> None:
    if ident is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UserError(f"--id {ident!r} must be lower-case letters, digits and '-'")


def check_edition(year: Any, number: Any, date: str | None) -> tuple[int, int | None, str | None]:
    """The checked year, ordinal and date of a new edition (the date in that year)."""
    y = check_year(year)
    if number is not None:
        if not re.fullmatch(r"[1-9]\d{0,2}", str(number).strip()):
            raise UserError(f"--number must be a positive whole number, not {number!r}")
        number = int(str(number).strip())
    if date:
        date = check_date(date, "--date")
        if int(date[:4]) != y:
            raise UserError(f"--date {date} is not in --year {y}")
    return y, number, date


def check_source(
    url: str,
    title: str,
    publisher: str,
    dates: dict[str, str | None],
    language: str | None,
    ident: str | None,
) -> tuple[str, str, str]:
    """The checked URL, title and publisher (the other values are checked as they are)."""
    url = check_url(url)
    title, publisher = str(title or "").strip(), str(publisher or "").strip()
    if not title:
        raise UserError("--title must not be empty (the page's title as it reads)")
    if not publisher:
        raise UserError("--publisher must not be empty (who published the page)")
    for what, value in dates.items():
        if value:
            check_date(value, what)
    if language and not re.fullmatch(r"[a-z]{2,3}", language):
        raise UserError(f"--language must be an ISO 639-1 code such as en, not {language!r}")
    check_ident(ident)
    return url, title, publisher


def norm_url(url: str) -> str:
    """The same URL up to the host's case and a trailing slash."""
    p = urlsplit(url)
    path = p.path.rstrip("/")
    return f"{p.scheme}://{(p.netloc or '').lower()}{path}{'?' + p.query if p.query else ''}"


# --------------------------------------------------------------------------------------------
# Ids
# --------------------------------------------------------------------------------------------

STOP = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "by", "with", "from", "de"}


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (accents dropped; other scripts drop out)."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")


def source_id(prefix: str, publisher: str, title: str, url: str, taken: Iterable[str]) -> str:
    """``<country>-<publisher words>-<title words>``, at most about 40 characters, unique."""
    pub = [w for w in slug(publisher).split("-") if w and w not in STOP][:2]
    words = pub + [w for w in slug(title).split("-") if w and w not in STOP and w not in pub]
    if not words:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        words = [w for w in slug(host).split("-") if w]
    if prefix and words and words[0] == prefix:
        words = words[1:]
    out = [prefix] if prefix else []
    for w in words:
        if out and len("-".join([*out, w])) > 40:
            break
        out.append(w)
    base = "-".join(out) or "source"
    taken = set(taken)
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def body_id(code: str, name: str) -> str | None:
    """``<country>-<name words>`` (at most 48 characters), or None when the name has no words."""
    words = [w for w in slug(name).split("-") if w and w not in STOP]
    return "-".join([code.lower(), *words])[:48].rstrip("-") if words else None


# --------------------------------------------------------------------------------------------
# The data files and the records they hold
# --------------------------------------------------------------------------------------------


def root_of(root: Path | None) -> Path:
    return root or project_root()


def country_files(root: Path) -> list[Path]:
    return sorted((data_dir(root) / "countries").glob("*.yaml"))


def sources_files(root: Path) -> list[Path]:
    return sorted((data_dir(root) / "sources").glob("*.yaml"))


def fact_files(root: Path) -> list[tuple[Path, str]]:
    """The files that hold records (every country's, and the regional one if there is one), each
    with its kind."""
    out = [(p, "country") for p in country_files(root)]
    regional = data_dir(root) / "regional.yaml"
    if regional.exists():
        out.append((regional, "regional"))
    return out


def read(path: Path, kind: str) -> Any:
    """A data file's data; a file that does not read is the user's to fix first."""
    doc, problems = read_document(path, kind)
    if problems:
        raise UserError(f"{problems[0]} (fix the file first)")
    return doc.data


def registry(root: Path) -> dict[str, tuple[str, Path, dict[str, Any]]]:
    """Every source: id -> (id, file, record)."""
    out: dict[str, tuple[str, Path, dict[str, Any]]] = {}
    for p in sources_files(root):
        data = read(p, "sources")
        for s in data.get("sources") or []:
            if isinstance(s, dict) and isinstance(s.get("id"), str):
                out.setdefault(s["id"], (s["id"], p, s))
    return out


def check_sources(ids: Iterable[str], root: Path) -> list[str]:
    """Source ids (a value may list several, comma-separated), each in the registry."""
    ids = [i.strip() for raw in ids for i in str(raw).split(",") if i.strip()]
    if not ids:
        return []
    known = registry(root)
    unknown = [i for i in ids if i not in known]
    if unknown:
        near = difflib.get_close_matches(unknown[0], list(known), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else " (add it first: multisee new source)"
        raise UserError(f"unknown source id '{unknown[0]}'{hint}")
    return ids


def country_file(country: str, root: Path) -> Path:
    code = str(country).strip().upper()
    path = data_dir(root) / "countries" / f"{code}.yaml"
    if not re.fullmatch(r"[A-Z]{2}", code) or not path.exists():
        known = ", ".join(p.stem for p in country_files(root))
        raise UserError(f"unknown country '{country}' (one of {known})")
    return path


def sources_file(country: str, root: Path) -> tuple[Path, str]:
    """The registry file of a country (``RS``) or of a shared file (``regional``, ``common``
    ...), and its stem; a country's file need not exist yet."""
    stem = str(country).strip()
    stem = stem.upper() if re.fullmatch(r"[A-Za-z]{2}", stem) else stem.lower()
    path = data_dir(root) / "sources" / f"{stem}.yaml"
    if len(stem) == 2:
        country_file(stem, root)  # a known jurisdiction
    elif not path.exists():
        known = ", ".join(p.stem for p in sources_files(root))
        raise UserError(f"unknown sources file '{country}' (a country code, or one of {known})")
    return path, stem


def find_initiative(initiative: str, root: Path) -> tuple[Path, str, int]:
    """(file, kind, index in igf_initiatives) of an initiative id."""
    ids: list[str] = []
    for path, kind in fact_files(root):
        data = read(path, kind)
        for i, ini in enumerate(data.get("igf_initiatives") or []):
            if isinstance(ini, dict):
                if ini.get("id") == initiative:
                    return path, kind, i
                ids.append(str(ini.get("id")))
    near = difflib.get_close_matches(str(initiative), ids, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise UserError(
        f"unknown initiative '{initiative}' (not in data/countries/*.yaml or data/regional.yaml){hint}"
    )


def check_id_free(ident: str, path: Path, force: bool, root: Path) -> bool:
    """Whether the body ``ident`` is to be replaced in ``path`` (``force``); an id is unique
    across all files (ccTLDs, initiatives and bodies)."""
    replaced = False
    for p, kind in fact_files(root):
        data = read(p, kind)
        for key, attr in (("cctlds", "tld"), ("igf_initiatives", "id"), ("ms_bodies", "id")):
            for rec in data.get(key) or []:
                if not (isinstance(rec, dict) and rec.get(attr) == ident):
                    continue
                if p == path and key == "ms_bodies" and force:
                    replaced = True
                elif p == path and key == "ms_bodies":
                    raise UserError(
                        f"body '{ident}' already exists in {rel(p)}; edit it there, or"
                        " pass --force to replace it"
                    )
                else:
                    raise UserError(f"id '{ident}' is taken ({key} in {rel(p)})")
    return replaced
