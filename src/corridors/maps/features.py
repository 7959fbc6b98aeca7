"""
Turn the atlas into the JSON data blocks the map pages read.

Geometry is written once, by orjson, straight from NumPy arrays: coordinates are
rounded to :data:`DISPLAY_DECIMALS` places (about a metre) for display only, and
a line costs about 20 bytes per vertex. Measurement never sees these rounded
values; it runs on the atlas at full precision in :mod:`corridors.measure.lengths`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "BOUNDARY_TOLERANCE_DEG",
    "DISPLAY_DECIMALS",
    "PATH_ZOOM",
    "countries_geojson",
    "country_paths",
    "lines_geojson",
    "mercator_pixels",
    "points_geojson",
    "source_entries",
    "web_link",
    "with_line_paths",
]

#: Decimal places of displayed coordinates: 1e-5° is about 1.1 m.
DISPLAY_DECIMALS = 5
#: Coverage simplification of the country polygons drawn as the atlas's basemap, in
#: degrees: under a pixel at the zoom the atlas opens at (about 0.05° a pixel), and 7,300
#: vertices to project instead of 11,600 at 0.03°. Corridor pages draw finer borders.
BOUNDARY_TOLERANCE_DEG = 0.05


def _plain(value: Any) -> Any:
    """Return `value` as a JSON-ready Python value (NaN and NA become None)."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value


def _rounded_parts(geoms: Any) -> tuple[list[np.ndarray], np.ndarray]:
    """Split geometries into rounded coordinate arrays per part, with each part's owner."""
    parts, owner = shapely.get_parts(np.asarray(geoms), return_index=True)
    coords, index = shapely.get_coordinates(parts, return_index=True)
    coords = np.round(coords, DISPLAY_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    cuts = np.flatnonzero(np.diff(index)) + 1
    return np.split(np.ascontiguousarray(coords), cuts), owner


def lines_geojson(frame: gpd.GeoDataFrame, properties: Sequence[str]) -> dict[str, Any]:
    """
    Return a FeatureCollection of `frame`'s lines with only `properties`, rounded for display.

    Rows keep their order. Coordinates stay NumPy arrays, which
    :func:`corridors.maps.html.json_text` writes without a Python loop per vertex.

    Examples
    --------
    >>> from shapely import LineString
    >>> frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[LineString([(1.123456, 2, ), (3, -0.000001)])])
    >>> feature = lines_geojson(frame, ["id"])["features"][0]
    >>> feature["properties"], feature["geometry"]["coordinates"].tolist()
    ({'id': 'a'}, [[1.12346, 2.0], [3.0, 0.0]])
    """
    arrays, owner = _rounded_parts(frame.geometry.values)
    by_row: list[list[np.ndarray]] = [[] for _ in range(len(frame))]
    for row, array in zip(owner.tolist(), arrays, strict=True):
        by_row[row].append(array)
    columns = [frame[name].tolist() for name in properties]
    features = []
    for row, lines in enumerate(by_row):
        geometry = (
            {"type": "LineString", "coordinates": lines[0]}
            if len(lines) == 1
            else {"type": "MultiLineString", "coordinates": lines}
        )
        props = {
            name: _plain(column[row]) for name, column in zip(properties, columns, strict=True)
        }
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def countries_geojson(
    boundaries: gpd.GeoDataFrame,
    *,
    tolerance_deg: float = BOUNDARY_TOLERANCE_DEG,
    bbox: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """
    Return the country polygons, coverage-simplified for drawing, sorted by ISO3.

    Simplifying the polygons as one coverage keeps shared borders shared, so no
    gaps or overlaps appear between neighbours. With `bbox` (west, south, east,
    north) the polygons are first clipped to it, and countries outside it left out.

    Examples
    --------
    >>> from corridors.data.atlas import read_boundaries
    >>> clipped = countries_geojson(read_boundaries(), bbox=(66.0, 30.0, 70.0, 33.0))
    >>> [f["properties"]["iso3"] for f in clipped["features"]]
    ['AFG', 'PAK']
    """
    frame = boundaries.sort_values("iso3", kind="stable")
    geoms = frame.geometry.values
    if bbox is not None:
        geoms = shapely.clip_by_rect(geoms, *bbox)
        keep = ~shapely.is_empty(geoms)
        frame, geoms = frame[keep], geoms[keep]
    simplified = shapely.coverage_simplify(geoms, tolerance_deg)
    features = []
    for iso3, name, disputed, geom in zip(
        frame["iso3"], frame["name"], frame["disputed"], simplified, strict=True
    ):
        polygons = [shapely.get_rings(p) for p in shapely.get_parts(geom)]
        rings = [_rounded_parts(ring)[0] for ring in polygons]
        largest = max(shapely.get_parts(geom), key=shapely.area)
        label = shapely.get_coordinates(shapely.point_on_surface(largest))[0]
        properties = {
            "iso3": iso3,
            "name": name,
            "disputed": bool(disputed),
            "label": (np.round(label, 2) + 0.0).tolist(),
        }
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "MultiPolygon", "coordinates": rings},
            }
        )
    return {"type": "FeatureCollection", "features": features}


#: Zoom of the Web Mercator pixels map pages get countries and lines in: at zoom 17 the
#: world is 2**25 pixels wide and a pixel is at most 1.2 m, the precision of 1e-5 degree.
PATH_ZOOM = 17
_PATH_WORLD_PX = 256 * 2**PATH_ZOOM
#: Leaflet's limit of the spherical Mercator projection, in degrees of latitude.
_MERCATOR_MAX_LAT = 85.0511287798


def mercator_pixels(lonlat: np.ndarray) -> np.ndarray:
    """
    Return ``(lon, lat)`` rows as integer Web Mercator pixels at zoom :data:`PATH_ZOOM`.

    These are the pixels Leaflet computes for the same points (``map.project`` at that
    zoom), rounded; at zoom ``z`` a page scales them by ``2 ** (z - 17)``.

    Examples
    --------
    >>> mercator_pixels(np.array([[0.0, 0.0], [-180.0, 85.0511287798], [67.0, 30.0]])).tolist()
    [[16777216, 16777216], [0, 0], [23022069, 13843727]]
    """
    lon = lonlat[:, 0]
    lat = np.radians(np.clip(lonlat[:, 1], -_MERCATOR_MAX_LAT, _MERCATOR_MAX_LAT))
    u = lon / 360.0 + 0.5
    v = 0.5 - np.arctanh(np.sin(lat)) / (2 * np.pi)
    return np.rint(np.column_stack([u, v]) * _PATH_WORLD_PX).astype(np.int64)


def _path_data(parts: list[np.ndarray], origin: np.ndarray, *, closed: bool) -> str:
    """Return `parts` (``(lon, lat)`` arrays) as SVG path data in pixels from `origin`."""
    data = []
    for part in parts:
        # A closed GeoJSON ring repeats its first point; Z closes it.
        pixels = (mercator_pixels(part[:-1] if closed else part) - origin).tolist()
        data.append("M" + "L".join(f"{x} {y}" for x, y in pixels) + ("Z" if closed else ""))
    return "".join(data)


def _bbox(lonlat: np.ndarray) -> list[float]:
    west, south = lonlat.min(axis=0).tolist()
    east, north = lonlat.max(axis=0).tolist()
    return [west, south, east, north]


def country_paths(collection: dict[str, Any]) -> dict[str, Any]:
    """
    Return the countries of `collection` (from :func:`countries_geojson`) as map pages draw them.

    Each feature keeps its properties and gets ``bbox`` (west, south, east, north, in
    degrees), ``origin`` (the north-west corner of the bbox in Web Mercator pixels at zoom
    :data:`PATH_ZOOM`, see :func:`mercator_pixels`) and ``path``: every ring of every
    polygon as SVG path data (``M x y L x y ... Z``) in whole pixels at that zoom, measured
    from ``origin``. A page gives the path to the browser as it is and draws it at any zoom
    with a scale and a shift, with no JavaScript a vertex; the rings are filled together by
    the even-odd rule, so holes and islands need no nesting. Coordinates stay under 2**24,
    so the browser's single-precision points hold them exactly.

    Examples
    --------
    >>> from corridors.data.atlas import read_boundaries
    >>> clipped = countries_geojson(read_boundaries(), bbox=(66.0, 30.0, 70.0, 33.0))
    >>> feature = country_paths(clipped)["features"][0]
    >>> feature["properties"]["iso3"], feature["bbox"], feature["origin"]
    ('AFG', [66.0, 30.0, 69.47889, 33.0], [22928862, 13515715])
    >>> feature["path"][:40]
    'M323627 0L324256 15892L314861 25255L3195'
    """
    features = []
    for feature in collection["features"]:
        rings = [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]
        bbox = _bbox(np.concatenate(rings))
        origin = mercator_pixels(np.array([[bbox[0], bbox[3]]]))[0]
        features.append(
            {
                "properties": feature["properties"],
                "bbox": bbox,
                "origin": origin.tolist(),
                "path": _path_data(rings, origin, closed=True),
            }
        )
    return {"features": features}


def with_line_paths(collection: dict[str, Any]) -> dict[str, Any]:
    """
    Return a copy of `collection` (from :func:`lines_geojson`) that map pages can draw as is.

    The collection gets ``origin``, the north-west corner of all its lines in Web Mercator
    pixels at zoom :data:`PATH_ZOOM`; each feature keeps its geometry and properties and
    gets its ``bbox`` and ``path``, its lines as SVG path data in whole pixels from that
    one origin (so the paths of several features can be joined into one).

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.LineString([(60, 30), (61, 31)])])
    >>> block = with_line_paths(lines_geojson(frame, ["id"]))
    >>> block["origin"], block["features"][0]["bbox"], block["features"][0]["path"]
    ([22369621, 13735550], [60.0, 30.0, 61.0, 31.0], 'M0 108177L93207 0')
    """
    parts_of = [
        geometry["coordinates"]
        if geometry["type"] == "MultiLineString"
        else [geometry["coordinates"]]
        for geometry in (f["geometry"] for f in collection["features"])
    ]
    west, _, _, north = _bbox(np.concatenate([np.concatenate(parts) for parts in parts_of]))
    origin = mercator_pixels(np.array([[west, north]]))[0]
    features = [
        {
            **feature,
            "bbox": _bbox(np.concatenate(parts)),
            "path": _path_data(parts, origin, closed=False),
        }
        for feature, parts in zip(collection["features"], parts_of, strict=True)
    ]
    return {**collection, "origin": origin.tolist(), "features": features}


def points_geojson(
    lon: Iterable[float], lat: Iterable[float], properties: list[dict[str, Any]]
) -> dict[str, Any]:
    """
    Return a FeatureCollection of points, rounded for display.

    Examples
    --------
    >>> points_geojson([62.123456], [35.0], [{"id": "x"}])["features"][0]["geometry"]
    {'type': 'Point', 'coordinates': [62.12346, 35.0]}
    """
    lons = np.round(np.asarray(list(lon), dtype=float), DISPLAY_DECIMALS) + 0.0
    lats = np.round(np.asarray(list(lat), dtype=float), DISPLAY_DECIMALS) + 0.0
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {k: _plain(v) for k, v in props.items()},
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
            for x, y, props in zip(lons.tolist(), lats.tolist(), properties, strict=True)
        ],
    }


def web_link(reference: str) -> str | None:
    """
    Return the http(s) URL a source reference starts with, or None.

    Only ``http`` and ``https`` URLs with a host become links; anything else
    (``javascript:``, ``data:``, plain text) stays text.

    Examples
    --------
    >>> web_link("https://example.org/a (quoted by B)")
    'https://example.org/a'
    >>> web_link("javascript:alert(1)") is None, web_link("Interview, 2024") is None
    (True, True)
    """
    first = reference.split(maxsplit=1)[0] if reference.strip() else ""
    try:
        parts = urlsplit(first)
    except ValueError:
        return None
    if parts.scheme in {"http", "https"} and parts.netloc and not any(c in first for c in "<>\"'"):
        return first
    return None


def source_entries(sources: dict[str, str], keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """
    Return each cited source's reference text and web link, by key.

    Examples
    --------
    >>> source_entries({"A": "https://a.org/x", "B": "Book"}, ["B", "A"])
    {'A': {'text': 'https://a.org/x', 'url': 'https://a.org/x'}, 'B': {'text': 'Book', 'url': None}}
    """
    return {
        key: {"text": sources[key], "url": web_link(sources[key])}
        for key in sorted(set(keys))
        if key in sources
    }
