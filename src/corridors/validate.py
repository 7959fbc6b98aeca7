"""
Validate whole geodata folders and single files: ``corridors validate``.

A geodata-like folder holds three kinds of data read by three layers (the atlas by
:mod:`corridors.data`, the network links by :mod:`corridors.network`, the bilateral
tables by :mod:`corridors.bilateral`), so checking a folder as a whole lives here,
above all three.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas, load_catalog, read_lines, read_places
from corridors.data.cpmm import CPMM_DIR, read_claims, read_parameters
from corridors.errors import CorridorDataError
from corridors.network.graph import LINKS_FILE, load_network

__all__ = ["validate_folder", "validate_paths"]


def _problems_of(read: Any, path: Path) -> list[str]:
    try:
        read(path)
    except CorridorDataError as error:
        return error.problems
    return []


def validate_folder(folder: Path) -> list[str]:
    """Problems of every file in a geodata-like folder: atlas, links, bilateral, cpmm; each once."""
    problems = []
    try:
        atlas = load_atlas(folder)
        if (folder / LINKS_FILE).is_file():
            load_network(atlas)
    except CorridorDataError as error:
        problems += error.problems
    if (folder / "bilateral").is_dir():
        problems += _problems_of(load_bilateral, folder)
    if (folder / CPMM_DIR).is_dir():
        problems += _problems_of(read_parameters, folder)
        if (folder / CPMM_DIR / "claims.csv").is_file():
            problems += _problems_of(read_claims, folder)
    return list(dict.fromkeys(problems))  # a bad sources.csv is read by several loaders


def validate_paths(paths: list[str | Path]) -> list[str]:
    """
    Check files or geodata-like folders; return every problem found (empty when all is well).

    Examples
    --------
    >>> from corridors.data.paths import default_data_dir
    >>> validate_paths([default_data_dir()])
    []
    """
    problems: list[str] = []
    for item in map(Path, paths):
        if item.is_dir():
            problems += validate_folder(item)
        elif item.name.endswith("catalog.json"):
            problems += _problems_of(load_catalog, item)
        elif item.name.endswith("places.geojson"):
            problems += _problems_of(read_places, item)
        else:
            problems += _problems_of(read_lines, item)
    return problems
