"""Errors meant for users: printed as one line by the CLI, never as a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix (bad parameter, bad input file)."""
