"""Where the shipped data lives."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_data_dir"]


def default_data_dir() -> Path:
    """
    Return the ``geodata`` folder shipped beside the package source.

    The package is installed in editable mode from ``src/``, so the folder sits
    two levels above this file's package directory.

    Returns
    -------
    data_dir
        Absolute path of the repository's ``geodata`` folder.

    Examples
    --------
    >>> default_data_dir().name
    'geodata'
    """
    return Path(__file__).resolve().parents[2] / "geodata"
