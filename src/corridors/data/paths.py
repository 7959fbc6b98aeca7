"""Where the shipped data lives and where outputs go by default."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_data_dir", "default_output_dir"]

_ROOT = Path(__file__).resolve().parents[3]


def default_data_dir() -> Path:
    """
    Return the ``geodata`` folder shipped beside the package source.

    The package is installed in editable mode from ``src/``, so the folder sits
    three levels above this file's folder.

    Returns
    -------
    data_dir
        Absolute path of the repository's ``geodata`` folder.

    Examples
    --------
    >>> default_data_dir().name
    'geodata'
    """
    return _ROOT / "geodata"


def default_output_dir() -> Path:
    """
    Return the repository's ``output`` folder, where ``corridors build`` writes.

    Examples
    --------
    >>> default_output_dir().name
    'output'
    """
    return _ROOT / "output"
