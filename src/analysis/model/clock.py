"""The one clock of the library: what "today" is.

Every date the library derives from the calendar (the latest admissible year, the latest complete
data year, the date on a cite line or a scaffolded record) comes from :func:`today`, never from
scattered ``date.today()`` calls. ``MULTISEE_TODAY=YYYY-MM-DD`` pins it, so a build is reproducible
and tests can cross 1 January; otherwise it is the system date. Elapsed-time measurements (build
timings) are not dates and use ``time`` directly.
"""

from __future__ import annotations

import datetime as _dt
import os

ENV = "MULTISEE_TODAY"


def today() -> _dt.date:
    """Today's date, or the date pinned by ``MULTISEE_TODAY`` (a one-line error if malformed)."""
    pinned = os.environ.get(ENV, "").strip()
    if not pinned:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(pinned)
    except ValueError:
        raise SystemExit(f"{ENV}={pinned!r}: not a date of the form YYYY-MM-DD") from None


def this_year() -> int:
    """The current year by :func:`today`."""
    return today().year
