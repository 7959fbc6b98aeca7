r"""
Fast, error-bounded geodesic distances on the WGS 84 ellipsoid, in one vectorised pass.

For each pair of consecutive vertices the engine computes the straight 3-D chord
``c`` between the two points on the ellipsoid and turns it into the geodesic
length with the series of a circular arc,

.. math:: s = c \left(1 + \frac{c^2 k^2}{24} + \frac{3 c^4 k^4}{640}\right),

where ``k`` is the normal curvature of the ellipsoid at the chord's mid-latitude in
the chord's direction (Euler: ``k = cos²α / M + sin²α / N``). A geodesic has no
curvature within the surface, so its curvature in space is exactly that normal
curvature; the series is symmetric about the midpoint, so the first neglected
terms are of fifth order, from the change of curvature and the torsion along the
line. Against GeographicLib the error is below :data:`BOUND_COEFFICIENT` ·
s⁵ / R⁴ plus :data:`ROUNDING_M` (``tests/test_measure_geodesic.py`` checks it at all
latitudes and azimuths): 0.3 µm at 100 km and 25 µm at 250 km. Pairs whose
chord exceeds :data:`EXACT_ABOVE_M` (where the bound would reach 0.1 mm) go to
``pyproj.Geod.inv`` — GeographicLib itself.

The chord uses no subtraction of large, nearly equal numbers: with ρ = N cos φ the
distance from the axis, ``c² = (ρ₂ − ρ₁)² cos²(Δλ/2) + (ρ₁ + ρ₂)² sin²(Δλ/2) + (z₂ − z₁)²``,
each term accurate to a few nanometres. Each segment is the shortest geodesic
between its two vertices, so a segment written from 179.5° to −179.5° measures
about 111 km, across the antimeridian, as GeographicLib does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray

__all__ = [
    "BOUND_COEFFICIENT",
    "EXACT_ABOVE_M",
    "GEOD",
    "ROUNDING_M",
    "distance_m",
    "error_bound_m",
    "flat_lines",
    "line_lengths_m",
    "pair_distances_m",
]

#: The WGS 84 ellipsoid as GeographicLib sees it.
GEOD = pyproj.Geod(ellps="WGS84")

_A = GEOD.a
_E2 = GEOD.es
_R = 6_371_008.8  # mean radius, the unit of the error bound

#: Coefficient of the fifth-order error bound ``BOUND_COEFFICIENT * s**5 / R**4``.
BOUND_COEFFICIENT = 1e-4
#: Floating-point rounding of the chord, in metres (a few ulps of 6.4e6 m).
ROUNDING_M = 2e-8
#: Chords longer than this go to the exact geodesic, in metres (bound ≈ 0.05 mm here).
EXACT_ABOVE_M = 250_000.0

Floats = NDArray[np.float64]


def error_bound_m(length_m: Any) -> Floats:
    """
    Return the proven error bound of the closed form for segments of `length_m` metres.

    Examples
    --------
    >>> [f"{b:.1e}" for b in error_bound_m([1_000.0, 100_000.0, 250_000.0])]
    ['2.0e-08', '6.3e-07', '5.9e-05']
    """
    s = np.asarray(length_m, dtype=float)
    return np.asarray(BOUND_COEFFICIENT * s**5 / _R**4 + ROUNDING_M, dtype=float)


def _vertex_terms(lon: Floats, lat: Floats) -> tuple[Floats, Floats, Floats, Floats, Floats]:
    phi = np.radians(lat)
    sin_phi = np.sin(phi)
    cos_phi = np.cos(phi)
    n = _A / np.sqrt(1.0 - _E2 * sin_phi * sin_phi)
    rho = n * cos_phi
    z = n * (1.0 - _E2) * sin_phi
    half_lon = np.radians(lon) * 0.5
    return half_lon, sin_phi, cos_phi, rho, z


def _closed_form(v1: tuple[Floats, ...], v2: tuple[Floats, ...]) -> tuple[Floats, Floats]:
    """Return (geodesic estimate, chord) between vertex terms `v1` and `v2`."""
    h1, s1, c1, rho1, z1 = v1
    h2, s2, c2, rho2, z2 = v2
    sin_h = np.sin(h2 - h1)
    cos_h = np.sqrt(1.0 - sin_h * sin_h)
    dx = (rho2 - rho1) * cos_h
    dy = (rho1 + rho2) * sin_h  # east, at the mid-longitude
    dz = z2 - z1
    chord2 = dx * dx + dy * dy + dz * dz
    sm = (s1 + s2) * 0.5
    north = dz * (c1 + c2) * 0.5 - sm * dx
    north2 = north * north
    east2 = dy * dy
    w2 = 1.0 - _E2 * sm * sm
    w = np.sqrt(w2)
    horizontal = np.maximum(north2 + east2, 1e-300)
    k = (north2 * (w2 * w / (1.0 - _E2)) + east2 * w) / (_A * horizontal)
    q = chord2 * k * k
    chord = np.sqrt(chord2)
    return chord * (1.0 + q * (1.0 / 24.0 + q * (3.0 / 640.0))), chord


def _exact_where_long(
    length: Floats, chord: Floats, lon1: Floats, lat1: Floats, lon2: Floats, lat2: Floats
) -> Floats:
    long = np.flatnonzero(chord > EXACT_ABOVE_M)
    if long.size:
        _, _, exact = GEOD.inv(lon1[long], lat1[long], lon2[long], lat2[long])
        length[long] = exact
    return length


def distance_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Floats:
    """
    Return the geodesic distance in metres between points 1 and 2, element by element.

    Examples
    --------
    >>> round(float(distance_m(0, 0, 1, 0)[0]), 3)
    111319.491
    >>> round(float(distance_m(179.5, 0, -179.5, 0)[0]) / 1000, 3)
    111.319
    """
    lon1, lat1, lon2, lat2 = (
        np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    length, chord = _closed_form(_vertex_terms(lon1, lat1), _vertex_terms(lon2, lat2))
    return _exact_where_long(length, chord, lon1, lat1, lon2, lat2)


def pair_distances_m(lon: Any, lat: Any) -> Floats:
    """
    Return the geodesic distance between each vertex and the next (``len - 1`` values).

    Each vertex's trigonometry is computed once, for both pairs it belongs to.

    Examples
    --------
    >>> pair_distances_m([0, 0, 0], [0, 1, 2]).round(1).tolist()
    [110574.4, 110575.1]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.size < 2:
        return np.zeros(0)
    terms = _vertex_terms(lon, lat)
    v1 = tuple(t[:-1] for t in terms)
    v2 = tuple(t[1:] for t in terms)
    length, chord = _closed_form(v1, v2)
    return _exact_where_long(length, chord, lon[:-1], lat[:-1], lon[1:], lat[1:])


def flat_lines(geoms: Any) -> tuple[Floats, Floats, NDArray[np.intp], NDArray[np.bool_]]:
    """
    Flatten (Multi)LineStrings into vertex arrays and mark which pairs are real segments.

    Returns
    -------
    lon, lat
        Every vertex of every part, in order.
    owner
        For each vertex, the position of its geometry in `geoms`.
    joins
        For each consecutive pair of vertices, True when both belong to the same
        part (a segment of the line), False where one part or geometry ends.

    Examples
    --------
    >>> from shapely import LineString, MultiLineString
    >>> lon, lat, owner, joins = flat_lines(
    ...     [LineString([(0, 0), (1, 0)]), MultiLineString([[(2, 0), (3, 0)], [(5, 0), (6, 0)]])]
    ... )
    >>> owner.tolist(), joins.tolist()
    ([0, 0, 1, 1, 1, 1], [True, False, True, False, True])
    """
    array = np.asarray(geoms, dtype=object)
    parts, part_owner = shapely.get_parts(array, return_index=True)
    coords, part_of_vertex = shapely.get_coordinates(parts, return_index=True)
    owner = part_owner[part_of_vertex]
    joins = part_of_vertex[1:] == part_of_vertex[:-1]
    return coords[:, 0], coords[:, 1], owner, joins


def line_lengths_m(geoms: Any) -> Floats:
    """
    Return the geodesic length in metres of each (Multi)LineString in EPSG:4326 coordinates.

    Missing geometries measure NaN; empty ones 0. One vectorised pass over all
    vertices; no Python loop runs per geometry.

    Examples
    --------
    >>> from shapely import LineString
    >>> (line_lengths_m([LineString([(0, 0), (1, 0)]), None]) / 1000).round(3).tolist()
    [111.319, nan]
    """
    array = np.asarray(geoms, dtype=object)
    lon, lat, owner, joins = flat_lines(array)
    pairs = pair_distances_m(lon, lat)
    total = np.asarray(
        np.bincount(owner[:-1][joins], weights=pairs[joins], minlength=array.size), dtype=float
    )
    total[shapely.is_missing(array)] = np.nan
    return total
