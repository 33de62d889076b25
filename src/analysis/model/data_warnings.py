"""Warnings about data that validate but look wrong: printed by ``multisee validate``, which still
exits 0 (a person decides), unlike the problems of :mod:`analysis.model.validate`.

* a free-text field (``notes``, ``note``, ``ms_rationale``, ``text``, ``description``) longer than
  :data:`MAX_TEXT` characters: a pasted page, not a note;
* one URL registered under two source ids (cite the existing one);
* edition numbers that cannot all be right: between the ``n``-th and the ``m``-th edition of an
  initiative there is room for ``m - n - 1`` editions, so more editions listed between them (7th
  in 2023, an unnumbered 2024 edition, 8th in 2025) mean a number or a year is wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from analysis.model.validate import Dataset, Document, Path_, Problem, fmt_path

#: The longest free text that is not reported (characters; the shipped notes stay under 2,000).
MAX_TEXT = 4000
_TEXT_FIELDS = {"notes", "note", "ms_rationale", "text", "description"}


def _texts(obj: Any, where: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in _TEXT_FIELDS and isinstance(v, str):
                yield (*where, k), v
            else:
                yield from _texts(v, (*where, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _texts(v, (*where, i))


def _warn(doc: Document, where: Path_, message: str) -> Problem:
    return Problem(doc.name, doc.line(where), fmt_path(where), message)


def _long_texts(dataset: Dataset) -> Iterator[Problem]:
    for doc in dataset.documents:
        if doc.model is None:
            continue
        for where, text in _texts(doc.data):
            if len(text) > MAX_TEXT:
                yield _warn(
                    doc,
                    where,
                    f"{len(text):,} characters of free text (more than {MAX_TEXT:,}): keep notes"
                    " short and put the page in the source registry",
                )


def _duplicate_urls(dataset: Dataset) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for doc in dataset.of("sources"):
        for i, s in enumerate(doc.model.sources):  # type: ignore[union-attr]
            if not s.url:
                continue
            if s.url in seen and seen[s.url] != s.id:
                yield _warn(
                    doc,
                    ("sources", i, "url"),
                    f"{s.id}: the same URL is registered as '{seen[s.url]}'; cite that id",
                )
            seen.setdefault(s.url, s.id)


def _numbering(dataset: Dataset) -> Iterator[Problem]:
    for doc in [*dataset.of("country"), *dataset.of("regional")]:
        for i, ini in enumerate(getattr(doc.model, "igf_initiatives", [])):
            years = sorted(e.year for e in ini.editions)
            numbered = sorted(
                (e.year, e.number, j) for j, e in enumerate(ini.editions) if e.number is not None
            )
            for (y1, n1, _), (y2, n2, j) in itertools.pairwise(numbered):
                between = [y for y in years if y1 < y < y2]
                if len(between) > n2 - n1 - 1:
                    listed = ", ".join(map(str, between))
                    yield _warn(
                        doc,
                        ("igf_initiatives", i, "editions", j, "number"),
                        f"number {n2} in {y2} follows number {n1} in {y1}, but editions are"
                        f" also listed in {listed}: a number or a year cannot be right",
                    )


def warnings(dataset: Dataset) -> list[Problem]:
    """Every warning about ``dataset`` (see the module docstring)."""
    return [*_long_texts(dataset), *_duplicate_urls(dataset), *_numbering(dataset)]
