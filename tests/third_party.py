"""Line files that other projects ship in their PyPI packages (test-only dependencies)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyproj

GEOD = pyproj.Geod(ellps="WGS84")


def shipped_with(package: str, *parts: str) -> Path:
    """Return a data file that a PyPI package ships, found without importing the package."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is a dev dependency"
    return Path(next(iter(spec.submodule_search_locations)), *parts)


#: momepy's GeoPackage of Bubeneč, Prague: four layers, one of them the streets (lines).
BUBENEC = shipped_with("momepy", "datasets", "bubenec.gpkg")
#: momepy's test GeoPackage: three line layers and a polygon layer.
MOMEPY_TESTS = shipped_with("momepy", "datasets", "tests.gpkg")
#: libpysal's geodanet streets: a line Shapefile with a .prj and an ID column.
STREETS_SHP = shipped_with("libpysal", "examples", "geodanet", "streets.shp")
