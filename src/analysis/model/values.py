"""Missing values, plain values, years and source-id lists as the tables hold them: the one home
of these small readers, used by the panel and every module that reads its records."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from analysis.model.vocab import SEP


def value_or_none(x: Any) -> Any:
    """``None`` for missing values (NaN, NA, NaT, None), the value otherwise. A list or array is
    a value, even one holding a single missing element."""
    if x is None:
        return None
    try:
        missing = pd.isna(x)
    except (TypeError, ValueError):
        return x
    return None if isinstance(missing, bool | np.bool_) and missing else x


def number_or_none(x: Any) -> float | None:
    """The value as a float, ``None`` for a missing value or one that is not a number (text)."""
    x = value_or_none(x)
    if x is None:
        return None
    try:
        number = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def plain(value: Any) -> Any:
    """A plain Python value: ``None`` for missing (:func:`value_or_none`), int/float/bool for numpy
    and pandas scalars, anything else as it is."""
    value = value_or_none(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return value


def year_of(x: Any) -> int | None:
    """The year of a ``YYYY[-MM[-DD]]`` string or a number, ``None`` if missing."""
    x = value_or_none(x)
    if x is None:
        return None
    if isinstance(x, str):
        m = re.match(r"^\s*(\d{4})", x)
        return int(m.group(1)) if m else None
    return int(x)


def source_ids(x: Any) -> tuple[str, ...]:
    """Source ids of a joined ``sources`` value (``"a; b"``), in order, without blanks."""
    x = value_or_none(x)
    if not x:
        return ()
    return tuple(s for s in str(x).split(SEP) if s)
