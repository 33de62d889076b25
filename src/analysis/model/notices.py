"""Degraded products are recorded, never swallowed: where a product carries on without one of its
parts (the site without its "changes since the last release" section, say), the failure is printed
as a one-line warning and collected, so the build writes it into the manifest (``warnings``) and
the tests fail on one."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

_COLLECTORS: list[list[dict[str, str]]] = []


@contextlib.contextmanager
def collect() -> Iterator[list[dict[str, str]]]:
    """Collect the notices raised inside the block: ``[{"where": ..., "error": ...}, ...]``."""
    found: list[dict[str, str]] = []
    _COLLECTORS.append(found)
    try:
        yield found
    finally:
        _COLLECTORS.remove(found)


def degraded(where: str, exc: BaseException) -> str:
    """Record that ``where`` went on without a part because of ``exc``; returns the message."""
    error = f"{type(exc).__name__}: {exc}"
    for found in _COLLECTORS:
        found.append({"where": where, "error": error})
    message = f"{where}: {error}"
    print(f"warning: {message}", file=sys.stderr)
    return message
