"""Strict parsing of GeoJSON text into checked features, one problem per line."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_TEXT_CHARS",
    "check_line_geometry",
    "decode_json",
    "feature_label",
    "parse_feature_collection",
]

#: Longest string a property may hold; longer ones are almost surely not data.
MAX_TEXT_CHARS = 20_000

_WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
    "CRS84",
}


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def feature_label(index: int, properties: dict[str, Any] | None) -> str:
    """
    Return how a message names a feature: its index and, when it has one, its name.

    Examples
    --------
    >>> feature_label(3, {"name": "Herat–Kandahar"})
    "feature 3 ('Herat–Kandahar')"
    >>> feature_label(0, None)
    'feature 0'
    """
    name = (properties or {}).get("name") or (properties or {}).get("segment_id")
    if isinstance(name, str) and name:
        short = name if len(name) <= 60 else name[:57] + "..."
        return f"feature {index} ({short!r})"
    return f"feature {index}"


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) < len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise ValueError(f"key {twice!r} appears twice in one object; keep one")
    return dict(pairs)


def decode_json(path: Path, raw: bytes, *, expected: str) -> tuple[Any, list[str]]:
    """
    Parse `raw` as strict JSON; return the document, or None and a one-line problem.

    Strict means UTF-8 without a byte-order mark, no NaN or Infinity, no key
    twice in one object, and nesting shallow enough to parse.

    Examples
    --------
    >>> decode_json(Path("a.json"), b'{"km": 1}', expected="an object")
    ({'km': 1}, [])
    >>> decode_json(Path("a.json"), b'{"km": 1, "km": 2}', expected="an object")[1]
    ["a.json: invalid JSON: key 'km' appears twice in one object; keep one — fix the syntax."]
    """
    if not raw.strip():
        return None, [f"{path}: file is empty — expected {expected}."]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            f"{path}: starts with a UTF-8 byte-order mark — save it as UTF-8 without BOM."
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [
            f"{path}: byte {error.start} is not valid UTF-8 — save the file as UTF-8 (RFC 7946)."
        ]
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys), []
    except RecursionError:
        return None, [f"{path}: nested too deeply to read — expected {expected}."]
    except ValueError as error:
        where = ""
        if isinstance(error, json.JSONDecodeError):
            where = f" at line {error.lineno}, column {error.colno}"
            reason = error.msg
        else:
            reason = str(error)
        return None, [f"{path}: invalid JSON{where}: {reason} — fix the syntax."]


def _check_crs(path: Path, document: dict[str, Any]) -> list[str]:
    crs = document.get("crs")
    if crs is None:
        return []
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if name in _WGS84_NAMES:
        return []
    return [
        f"{path}: crs: expected WGS 84 longitude/latitude (RFC 7946 has no crs member), got {name!r} "
        "— reproject to EPSG:4326 and drop the crs member."
    ]


def _check_position(where: str, position: Any) -> list[str]:
    if not isinstance(position, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in position
    ):
        return [f"{where}: coordinates: expected [lon, lat] numbers, got {str(position)[:40]}."]
    if len(position) != 2:
        return [
            f"{where}: coordinates: expected [lon, lat], got {len(position)} values "
            f"{str(position)[:40]} — drop altitude and measure values."
        ]
    lon, lat = position
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return [f"{where}: coordinates: expected finite numbers, got {position}."]
    if -180 <= lon <= 180 and -90 <= lat <= 90:
        return []
    if -180 <= lat <= 180 and -90 <= lon <= 90:
        return [
            f"{where}: coordinates look like (lat, lon): {lon}, {lat} lies outside "
            "[-180, 180] x [-90, 90] unless swapped — write [lon, lat] as RFC 7946 requires."
        ]
    return [f"{where}: coordinates: {lon}, {lat} lie outside [-180, 180] x [-90, 90]."]


def _check_line(where: str, coordinates: Any) -> list[str]:
    if not isinstance(coordinates, list) or not coordinates:
        return [f"{where}: geometry is empty — give at least two [lon, lat] positions."]
    problems: list[str] = []
    for position in coordinates:
        problems += _check_position(where, position)
        if problems:
            return problems[:1]
    distinct = {tuple(p) for p in coordinates}
    if len(distinct) < 2:
        return [f"{where}: line has fewer than two distinct positions — add the route's other end."]
    lons = [p[0] for p in coordinates]
    if any(abs(b - a) > 180 for a, b in itertools.pairwise(lons)):
        return [
            f"{where}: line crosses the antimeridian (a step of more than 180° in longitude) "
            "— split it at ±180° into a MultiLineString."
        ]
    return []


def check_line_geometry(where: str, geometry: Any) -> list[str]:
    """Return problems of a (Multi)LineString geometry object; empty if it is sound."""
    if geometry is None:
        return [f"{where}: geometry is missing — give a LineString or MultiLineString."]
    if not isinstance(geometry, dict) or "type" not in geometry:
        return [f"{where}: geometry: expected a GeoJSON geometry object, got {str(geometry)[:40]}."]
    kind = geometry["type"]
    coordinates = geometry.get("coordinates")
    if kind == "LineString":
        return _check_line(where, coordinates)
    if kind == "MultiLineString":
        if not isinstance(coordinates, list) or not coordinates:
            return [f"{where}: geometry is empty — give at least one line."]
        for part in coordinates:
            problems = _check_line(where, part)
            if problems:
                return problems
        return []
    return [
        f"{where}: geometry: expected LineString or MultiLineString, got {kind} "
        "— corridors are lines; keep points in places.geojson."
    ]


def _check_properties(where: str, properties: Any) -> list[str]:
    if properties is None:
        return []
    if not isinstance(properties, dict):
        return [f"{where}: properties: expected an object, got {type(properties).__name__}."]
    problems = []
    for key, value in properties.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, dict | list):
                problems.append(
                    f"{where}: {key}: expected text, a number or a list of them, got nested "
                    f"{type(item).__name__} — flatten the property."
                )
                break
            if isinstance(item, str) and len(item) > MAX_TEXT_CHARS:
                problems.append(
                    f"{where}: {key}: text of {len(item):,} characters exceeds {MAX_TEXT_CHARS:,} "
                    "— shorten it or move it to a document."
                )
                break
    return problems


def parse_feature_collection(
    path: Path, raw: bytes, *, geometry_check: Any = check_line_geometry
) -> tuple[list[dict[str, Any]], list[str]]:
    """
    Parse `raw` as an RFC 7946 FeatureCollection and check every feature.

    Parameters
    ----------
    path
        The file name used in messages.
    raw
        The file's bytes.
    geometry_check
        Called as ``geometry_check(where, geometry)``; returns a list of problems.

    Returns
    -------
    features, problems
        The features as parsed (only meaningful when `problems` is empty) and
        every problem found, one line each.
    """
    document, problems = decode_json(path, raw, expected="a GeoJSON FeatureCollection")
    if problems:
        return [], problems
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        got = document.get("type") if isinstance(document, dict) else type(document).__name__
        return [], [
            f"{path}: expected a GeoJSON FeatureCollection, got {got!r} "
            '— wrap the features in {"type": "FeatureCollection", "features": [...]}.'
        ]
    problems += _check_crs(path, document)
    if problems:  # positions in another CRS would each fail the range check
        return [], problems
    features = document.get("features")
    if not isinstance(features, list):
        return [], [*problems, f"{path}: features: expected a list of Feature objects."]
    if not features:
        problems.append(f"{path}: features: the collection is empty — add at least one feature.")
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{path}: feature {index}: expected a GeoJSON Feature object.")
            continue
        where = f"{path}: {feature_label(index, feature.get('properties'))}"
        problems += _check_properties(where, feature.get("properties"))
        problems += geometry_check(where, feature.get("geometry"))
    return features, problems
