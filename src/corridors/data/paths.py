"""Where the shipped data lives and where outputs go by default."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["default_data_dir", "default_output_dir"]


def default_data_dir() -> Path:
    """
    Return the folder of the shipped data, installed inside the package as ``corridors.geodata``.

    The repository keeps the data at its top level as ``geodata/``; the build maps that folder
    into the package, so an editable install reads the repository's copy and a wheel, ``pip`` or
    ``pipx`` install reads the copy inside ``site-packages``.

    Returns
    -------
    data_dir
        Absolute path of the shipped data folder.

    Examples
    --------
    >>> (default_data_dir() / "catalog.json").is_file()
    True
    """
    return Path(str(resources.files("corridors.geodata"))).resolve()


def default_output_dir() -> Path:
    """
    Return ``output`` in the current folder: where ``build``, ``export``, ``figure`` and ``report`` write.

    Outputs never go inside the installed package.

    Examples
    --------
    >>> default_output_dir() == Path.cwd() / "output"
    True
    """
    return Path.cwd() / "output"
