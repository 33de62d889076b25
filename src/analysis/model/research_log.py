"""The research-log check: every URL in the source registry was read, and the log says what it said.

Research logs are Markdown files under ``research/``: dated logs ``research/<date>/*.md`` whose
entries give a page's URL and the words read at it::

    ### AM igf am-igf
    - fact: edition 2017: number 3
    - url: http://ameriagroupinc.com/armenias-it-field-records-35-growth-in-the-first-half-of-2017/
    - quote: "... said at the 3rd Armenian Internet Governance Forum ..."

and the two lists kept from before dated logs (``research/fact-sheets.md``,
``research/earlier-sessions.md``), which give URLs without quotes. :func:`check` requires, for
every ``url`` of every source in ``data/sources/``:

1. the URL appears verbatim in a log (so it was copied as read, not typed from memory); when it
   does not, but other URLs of the same host do, the message names them (a URL retyped or
   shortened is the usual cause);
2. where it appears in a dated log, the entry that gives it (the lines from its heading or its
   ``url`` line to the next) carries a quote of at least :data:`MIN_QUOTE` characters (a quote
   ``"TEST"`` is not one).

``multisee validate`` runs it on the shipped data (it needs ``research/`` beside ``data/``); the
pre-commit hook and CI run ``multisee validate``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from analysis.model.validate import Dataset, Problem

#: The shortest quote that counts (characters, quotation marks and ellipses aside).
MIN_QUOTE = 20
#: Lists of URLs kept from before dated logs: a URL listed there needs no quote.
LEGACY_LISTS = ("fact-sheets.md", "earlier-sessions.md")

_URL = re.compile(r"https?://[^\s<>\"'`|)]+")
_ENTRY_START = re.compile(r"^\s*(?:#{1,6}\s|[-*]\s+url:)", re.I)
_QUOTE = re.compile(r"^\s*[-*]\s+quotes?:\s*(.*)$", re.I)


@dataclass
class Log:
    """The research logs of a project: their text, and the entries of the dated logs."""

    text: str  #: every log, concatenated (the verbatim check)
    quoted: dict[str, int]  #: URL -> length of the longest quote of an entry giving it
    files: list[str]  #: the log files read (for messages)

    def hosts(self, host: str) -> list[str]:
        """URLs of the logs on ``host`` (``www.`` aside)."""
        return sorted({u for u in _URL.findall(self.text) if _host(u) == host})


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _quote_length(line: str) -> int:
    text = re.sub(r"[\"“”„«»'‘’…]|\.\.\.", "", line)
    return len(" ".join(text.split()))


def _entries(lines: list[str]) -> Iterable[list[str]]:
    block: list[str] = []
    for line in lines:
        if _ENTRY_START.match(line) and block:
            yield block
            block = []
        block.append(line)
    if block:
        yield block


def read_logs(research: Path) -> Log:
    """Read every ``*.md`` under ``research`` (none when the folder is missing)."""
    texts: list[str] = []
    quoted: dict[str, int] = {}
    files = sorted(research.rglob("*.md")) if research.is_dir() else []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        texts.append(text)
        if path.parent == research:  # the lists and notes at the top: no entries to read
            continue
        for block in _entries(text.splitlines()):
            longest = max(
                (_quote_length(m.group(1)) for line in block if (m := _QUOTE.match(line))),
                default=0,
            )
            for line in block:
                if _QUOTE.match(line):
                    continue  # a URL inside a quote is not the page read
                for url in _URL.findall(line):
                    url = url.rstrip(".,;:")
                    quoted[url] = max(quoted.get(url, 0), longest)
    return Log("\n".join(texts), quoted, [str(f) for f in files])


def _legacy(research: Path) -> str:
    return "\n".join(
        (research / name).read_text(encoding="utf-8", errors="replace")
        for name in LEGACY_LISTS
        if (research / name).is_file()
    )


def check(dataset: Dataset, research: Path) -> list[Problem]:
    """Problems with the research log of every source URL of ``dataset`` (see the module doc)."""
    log = read_logs(research)
    legacy = _legacy(research)
    where = "research/"
    problems: list[Problem] = []
    for doc in dataset.of("sources"):
        for i, s in enumerate(doc.model.sources):  # type: ignore[union-attr]
            url = s.url
            if not url:
                continue
            line = doc.line(("sources", i, "url"))
            field = f"sources[{i}].url"
            if url not in log.text:
                others = log.hosts(_host(url))
                hint = (
                    f"; the logs have {len(others)} other URL(s) of {_host(url)}, e.g. {others[0]}:"
                    " copy the URL exactly as read"
                    if others
                    else f"; no log mentions {_host(url) or 'its host'}"
                )
                problems.append(
                    Problem(
                        doc.name,
                        line,
                        field,
                        f"{s.id}: {url} is in no research log under {where}{hint}"
                        " (log it with the quote you read there: see CONTRIBUTING.md)",
                    )
                )
                continue
            if url in log.quoted and log.quoted[url] < MIN_QUOTE and url not in legacy:
                n = log.quoted[url]
                problems.append(
                    Problem(
                        doc.name,
                        line,
                        field,
                        f"{s.id}: the research log gives {url} with "
                        + (f"a quote of {n} character(s)" if n else "no quote")
                        + f"; quote at least {MIN_QUOTE} characters of what the page says",
                    )
                )
    return problems


def check_beside(dataset: Dataset) -> list[Problem]:
    """:func:`check` for the sources files of ``dataset`` against the ``research/`` folder of the
    project each lies in (``data/sources/X.yaml`` -> ``research/``); files outside a project with
    a ``research/`` folder are not checked."""
    by_root: dict[Path, list] = {}
    for doc in dataset.of("sources"):
        root = doc.path.resolve().parent.parent.parent
        if (root / "research").is_dir() and doc.path.resolve().parent.parent.name == "data":
            by_root.setdefault(root, []).append(doc)
    problems: list[Problem] = []
    for root, docs in sorted(by_root.items()):
        problems += check(Dataset(docs), root / "research")
    return problems
