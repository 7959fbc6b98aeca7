"""Exceptions raised for bad input data and unwritable output."""

from __future__ import annotations

__all__ = ["CorridorDataError", "CorridorOutputError"]


class CorridorDataError(ValueError):
    """
    Input data is invalid.

    Carries every problem found, one line each, so that a user sees them all at
    once. ``str(error)`` joins them with newlines.

    Examples
    --------
    >>> err = CorridorDataError(["a.geojson: feature 0: name: expected text, got 3."])
    >>> print(err)
    a.geojson: feature 0: name: expected text, got 3.
    >>> err.problems
    ['a.geojson: feature 0: name: expected text, got 3.']
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class CorridorOutputError(OSError):
    """An output file or folder cannot be written; nothing was half-written."""
