"""Strict parsing of GeoJSON text into checked features, one problem per line."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import shapely

from corridors.data.collector import collector_paused

__all__ = [
    "MAX_TEXT_CHARS",
    "check_line_geometry",
    "decode_json",
    "feature_label",
    "parse_feature_collection",
    "parse_line_collection",
    "sound_lines",
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
    if not isinstance(properties, dict):  # a list or text: the property check names it
        properties = {}
    name = properties.get("name") or properties.get("segment_id")
    if isinstance(name, str) and name:
        short = name if len(name) <= 60 else name[:57] + "..."
        return f"feature {index} ({short!r})"
    return f"feature {index}"


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    unique = dict(pairs)
    if len(unique) < len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for key in keys if keys.count(key) > 1)
        raise ValueError(f"key {twice!r} appears twice in one object; keep one")
    return unique


_UNSURE = object()
#: Digits to one digit: a run of 19 digits, the length of integers orjson reads as floats
#: (beyond 64 bits), is then a run of 19 zeros.
_DIGIT_RUNS = bytes.maketrans(b"0123456789", b"0" * 10)


def _fast_document(raw: bytes) -> Any:
    r"""
    Return the document of valid UTF-8 `raw` parsed by orjson, or ``_UNSURE``.

    orjson refuses what the standard parser here refuses (NaN, Infinity, bad syntax), and
    more (lone surrogates, deep nesting), but keeps the last of a key written twice and
    reads integers beyond 64 bits as floats. Each member of an object is written with one
    ``:`` outside strings, and orjson writes back every member and every ``:`` inside a
    string as one ``:``; so when the file has as many ``:`` as orjson's copy of what it
    read, no member was lost. ``_UNSURE`` sends everything else (a key twice, a ``:``
    written as ``\u003a``, 19 digits in a row, anything orjson refuses) to the standard
    parser, which names the problem and its place.
    """
    if b"\\u003a" in raw or b"\\u003A" in raw or b"0" * 19 in raw.translate(_DIGIT_RUNS):
        return _UNSURE
    try:
        document = orjson.loads(raw)
        written = orjson.dumps(document)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return _UNSURE
    return document if written.count(b":") == raw.count(b":") else _UNSURE


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
        with collector_paused():
            document = _fast_document(raw)
            if document is _UNSURE:
                document = json.loads(
                    text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys
                )
        return document, []
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


_SCALARS = frozenset({int, float, bool, type(None)})


def _plain_values(values: Any) -> bool:
    """Return whether every value is a number, a boolean, null or a short enough text."""
    for value in values:
        kind = type(value)
        if kind is str:
            if len(value) > MAX_TEXT_CHARS:
                return False
        elif kind not in _SCALARS:
            return False  # lists (allowed when flat) go to the full check
    return True


def sound_lines(features: list[Any]) -> Any:
    """
    Return the features' lines as one shapely array when every feature is a sound line.

    The same tests as :func:`check_line_geometry` and the property checks, made over
    all the coordinates at once (types, two values per position, finite, in range,
    two distinct positions, no step across the antimeridian) instead of position by
    position. None when any feature fails any test, or is not a plain (Multi)LineString
    Feature: then the per-feature checks run, to name each problem.

    Examples
    --------
    >>> line = {"type": "LineString", "coordinates": [[60, 30], [61, 30.5]]}
    >>> sound_lines([{"type": "Feature", "properties": None, "geometry": line}]).tolist()
    [<LINESTRING (60 30, 61 30.5)>]
    >>> line["coordinates"][1] = [61, 95]
    >>> print(sound_lines([{"type": "Feature", "properties": None, "geometry": line}]))
    None
    """
    parts: list[Any] = []
    parts_of: list[int] = []  # parts per feature; 0 marks a LineString (one part, not multi)
    for feature in features:
        if type(feature) is not dict or feature.get("type") != "Feature":
            return None
        properties = feature.get("properties")
        if properties is not None and (
            type(properties) is not dict or not _plain_values(properties.values())
        ):
            return None
        geometry = feature.get("geometry")
        if type(geometry) is not dict:
            return None
        kind, coordinates = geometry.get("type"), geometry.get("coordinates")
        if type(coordinates) is not list or not coordinates:
            return None
        if kind == "LineString":
            parts.append(coordinates)
            parts_of.append(0)
        elif kind == "MultiLineString" and all(type(c) is list and c for c in coordinates):
            parts.extend(coordinates)
            parts_of.append(len(coordinates))
        else:
            return None
    if not parts:
        return None
    positions = list(itertools.chain.from_iterable(parts))
    if set(map(type, positions)) != {list} or set(map(len, positions)) != {2}:
        return None
    values = list(itertools.chain.from_iterable(positions))
    if not set(map(type, values)) <= {int, float}:  # bool, str, None and nested lists fail
        return None
    try:
        xy = np.array(values, dtype=float).reshape(-1, 2)
    except OverflowError:
        return None
    lon, lat = xy[:, 0], xy[:, 1]
    if not (np.isfinite(xy).all() and (np.abs(lon) <= 180).all() and (np.abs(lat) <= 90).all()):
        return None
    sizes = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    part = np.repeat(np.arange(len(parts)), sizes)
    first = np.cumsum(sizes) - sizes
    moved = (xy != xy[first][part]).any(axis=1)
    if (np.bincount(part, weights=moved, minlength=len(parts)) == 0).any():
        return None  # a part without two distinct positions
    step = (np.abs(np.diff(lon)) > 180) & (part[1:] == part[:-1])
    if step.any():
        return None
    lines = shapely.linestrings(xy, indices=part)
    counts = np.asarray(parts_of, dtype=np.int64)
    if not counts.any():
        return lines
    geoms = np.empty(len(features), dtype=object)
    feature_of_part = np.repeat(np.arange(len(features)), np.maximum(counts, 1))
    in_multi = counts[feature_of_part] > 0
    geoms[counts == 0] = lines[~in_multi]
    rank = np.cumsum(counts > 0) - 1  # each MultiLineString's place among them
    geoms[counts > 0] = shapely.multilinestrings(
        lines[in_multi], indices=rank[feature_of_part[in_multi]]
    )
    return geoms


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
    features, problems = _collection(path, raw)
    if features and geometry_check is check_line_geometry and sound_lines(features) is not None:
        return features, problems  # every feature passed the same checks, made at once
    return features, problems + _feature_problems(path, features, geometry_check)


def parse_line_collection(path: Path, raw: bytes) -> tuple[list[dict[str, Any]], list[str], Any]:
    """
    Parse `raw` as a FeatureCollection of lines; return features, problems and geometries.

    As :func:`parse_feature_collection` with the line check, and also the lines as one
    shapely array (from :func:`sound_lines`) when there are no problems, else None.
    """
    features, problems = _collection(path, raw)
    lines = sound_lines(features) if features else None
    if lines is not None:
        return features, problems, lines
    return features, problems + _feature_problems(path, features, check_line_geometry), None


def _collection(path: Path, raw: bytes) -> tuple[list[Any], list[str]]:
    """Return the collection's features and its document-level problems."""
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
    return features, problems


def _feature_problems(path: Path, features: list[Any], geometry_check: Any) -> list[str]:
    """Check each feature on its own; return every problem, one line each."""
    problems: list[str] = []
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{path}: feature {index}: expected a GeoJSON Feature object.")
            continue
        where = f"{path}: {feature_label(index, feature.get('properties'))}"
        problems += _check_properties(where, feature.get("properties"))
        problems += geometry_check(where, feature.get("geometry"))
    return problems
