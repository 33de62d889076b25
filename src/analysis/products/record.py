"""Record key values from a notebook so tests and builds can read them back.

``record("n_cctlds", 3)`` displays a small JSON output with the MIME type ``MIME``; it is
invisible in HTML reports. :func:`recorded` reads every recorded value from an executed notebook
(a path or an ``nbformat`` node), so a test can compare them with what the library computes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MIME = "application/vnd.multisee.record+json"


def _jsonable(value: Any) -> Any:
    return json.loads(
        json.dumps(value, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    )


def record(name: str, value: Any) -> Any:
    """Display ``value`` under ``name`` as a machine-readable output; returns the value."""
    from IPython.display import display

    display({MIME: {name: _jsonable(value)}, "text/plain": ""}, raw=True)
    return value


def recorded(notebook: Any) -> dict[str, Any]:
    """All values recorded in an executed notebook (later records win)."""
    if isinstance(notebook, (str, Path)):
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    out: dict[str, Any] = {}
    for cell in notebook.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if MIME in data:
                out.update(data[MIME])
    return out
