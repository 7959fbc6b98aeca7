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
latitudes and azimuths, poles included): 1.2 µm at 100 km and 39 µm at 200 km;
at mid-latitudes the error is a fifth of that. Pairs whose chord exceeds
:data:`EXACT_ABOVE_M` (before the bound reaches 0.1 mm) go to ``pyproj.Geod.inv`` —
GeographicLib itself.

The chord uses no subtraction of large, nearly equal numbers: with ρ = N cos φ the
distance from the axis, ``c² = (ρ₂ − ρ₁)² cos²(Δλ/2) + (ρ₁ + ρ₂)² sin²(Δλ/2) + (z₂ − z₁)²``,
each term accurate to a few nanometres. Each segment is the shortest geodesic
between its two vertices, so a segment written from 179.5° to −179.5° measures
about 111 km, across the antimeridian, as GeographicLib does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    "SPAN_PAIRS",
    "Mapper",
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
BOUND_COEFFICIENT = 2e-4
#: Floating-point rounding of the chord, in metres (a few ulps of 6.4e6 m).
ROUNDING_M = 2e-8
#: Chords longer than this go to the exact geodesic, in metres (bound ≈ 0.04 mm here).
EXACT_ABOVE_M = 200_000.0

Floats = NDArray[np.float64]
#: ``map``, or a thread pool's ``map``: how independent spans of work are run.
Mapper = Callable[..., Iterable[Any]]


def error_bound_m(length_m: Any) -> Floats:
    """
    Return the proven error bound of the closed form for segments of `length_m` metres.

    Examples
    --------
    >>> [f"{b:.1e}" for b in error_bound_m([1_000.0, 100_000.0, 200_000.0])]
    ['2.0e-08', '1.2e-06', '3.9e-05']
    """
    s = np.asarray(length_m, dtype=float)
    return np.asarray(BOUND_COEFFICIENT * s**5 / _R**4 + ROUNDING_M, dtype=float)


def _vertex_terms(lon: Floats, lat: Floats) -> tuple[Floats, Floats, Floats, Floats, Floats]:
    """Return half the longitude (rad), sin φ, cos φ, ρ = N cos φ and z of each vertex."""
    phi = np.radians(lat)
    sin_phi = np.sin(phi)
    cos_phi = np.cos(phi, out=phi)
    n = sin_phi * sin_phi
    n *= -_E2
    n += 1.0
    np.sqrt(n, out=n)
    np.divide(_A, n, out=n)
    rho = n * cos_phi
    z = n
    z *= sin_phi
    z *= 1.0 - _E2
    half_lon = np.radians(lon)
    half_lon *= 0.5
    return half_lon, sin_phi, cos_phi, rho, z


def _closed_form(v1: tuple[Floats, ...], v2: tuple[Floats, ...], out: Floats) -> Floats:
    """Write the geodesic estimate between vertex terms `v1` and `v2` into `out`; return chords."""
    h1, s1, c1, rho1, z1 = v1
    h2, s2, c2, rho2, z2 = v2
    sin_h = np.subtract(h2, h1)
    np.sin(sin_h, out=sin_h)
    cos_h = sin_h * sin_h
    np.subtract(1.0, cos_h, out=cos_h)
    np.sqrt(cos_h, out=cos_h)
    dx = np.subtract(rho2, rho1)
    dx *= cos_h
    dy = np.add(rho1, rho2)
    dy *= sin_h  # east, at the mid-longitude
    dz = np.subtract(z2, z1)
    east2 = np.multiply(dy, dy, out=dy)
    chord2 = dx * dx
    chord2 += east2
    np.multiply(dz, dz, out=cos_h)
    chord2 += cos_h
    sm = np.add(s1, s2, out=sin_h)
    sm *= 0.5
    north = np.add(c1, c2)
    north *= 0.5
    north *= dz
    dx *= sm
    north -= dx
    north2 = np.multiply(north, north, out=north)
    w2 = np.multiply(sm, sm, out=sm)
    w2 *= -_E2
    w2 += 1.0
    w = np.sqrt(w2, out=dz)
    k = np.multiply(w2, w, out=w2)
    k *= north2 / (1.0 - _E2)
    east_w = np.multiply(east2, w, out=dx)
    k += east_w
    horizontal = np.add(north2, east2, out=north2)
    np.maximum(horizontal, 1e-300, out=horizontal)
    horizontal *= _A
    k /= horizontal
    q = np.multiply(k, k, out=k)
    q *= chord2
    poly = np.multiply(q, 3.0 / 640.0, out=east2)
    poly += 1.0 / 24.0
    poly *= q
    poly += 1.0
    chord = np.sqrt(chord2, out=chord2)
    np.multiply(chord, poly, out=out)
    return chord


#: Pairs measured per block: small enough that the temporaries stay in cache.
_BLOCK = 1 << 14
#: Pairs per task when a mapper shares the work out among threads (64 blocks).
SPAN_PAIRS = 1 << 20


def _exact_where_long(
    length: Floats, chord: Floats, lon1: Floats, lat1: Floats, lon2: Floats, lat2: Floats
) -> None:
    long = np.flatnonzero(chord > EXACT_ABOVE_M)
    if long.size:
        _, _, exact = GEOD.inv(lon1[long], lat1[long], lon2[long], lat2[long])
        length[long] = exact


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
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    )
    length = np.empty(lon1.shape)
    chord = _closed_form(_vertex_terms(lon1, lat1), _vertex_terms(lon2, lat2), length)
    _exact_where_long(length, chord, lon1, lat1, lon2, lat2)
    return length


def pair_distances_m(lon: Any, lat: Any, joins: Any = None, *, mapper: Mapper = map) -> Floats:
    """
    Return the geodesic distance between each vertex and the next (``len - 1`` values).

    Each vertex's trigonometry is computed once, for both pairs it belongs to, in
    blocks small enough to stay in the processor's cache. With `joins` (one bool
    per pair, as from :func:`flat_lines`), pairs that join two different lines
    are not measured and come back as 0. `mapper` (``map``, or a thread pool's ``map``)
    runs the spans of :data:`SPAN_PAIRS` pairs; each span's values are the same
    whichever thread measures it.

    Examples
    --------
    >>> pair_distances_m([0, 0, 0], [0, 1, 2]).round(1).tolist()
    [110574.4, 110575.1]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    length = np.empty(max(lon.size - 1, 0))
    joins = None if joins is None else np.asarray(joins, dtype=bool)

    def span(first: int) -> None:
        end = min(first + SPAN_PAIRS, length.size)
        for start in range(first, end, _BLOCK):
            _measure_block(lon, lat, joins, length, start, min(start + _BLOCK, end))

    for _ in mapper(span, range(0, length.size, SPAN_PAIRS)):
        pass
    if joins is not None:
        length[~joins] = 0.0
    return length


def _measure_block(
    lon: Floats, lat: Floats, joins: Any, length: Floats, start: int, stop: int
) -> None:
    """Measure the pairs from `start` to `stop` into `length` (in place)."""
    terms = _vertex_terms(lon[start : stop + 1], lat[start : stop + 1])
    v1 = tuple(t[:-1] for t in terms)
    v2 = tuple(t[1:] for t in terms)
    chord = _closed_form(v1, v2, length[start:stop])
    if joins is not None:
        chord[~joins[start:stop]] = 0.0
    _exact_where_long(
        length[start:stop],
        chord,
        lon[start:stop],
        lat[start:stop],
        lon[start + 1 : stop + 1],
        lat[start + 1 : stop + 1],
    )


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
    coords, owner = shapely.get_coordinates(array, return_index=True)
    joins = owner[1:] == owner[:-1]
    multi = np.flatnonzero(shapely.get_type_id(array) == 5)
    if multi.size:  # break the joins where one part of a MultiLineString ends
        parts, part_owner = shapely.get_parts(array[multi], return_index=True)
        sizes = shapely.get_num_coordinates(parts)
        first_vertex = np.searchsorted(owner, multi)[part_owner]
        offset = np.cumsum(sizes) - sizes
        offset -= offset[np.searchsorted(part_owner, part_owner)]
        ends = first_vertex + offset + sizes - 1
        joins[ends[ends < joins.size]] = False
    return coords[:, 0], coords[:, 1], owner, joins


def line_lengths_m(geoms: Any, *, mapper: Mapper = map) -> Floats:
    """
    Return the geodesic length in metres of each (Multi)LineString in EPSG:4326 coordinates.

    Missing geometries measure NaN; empty ones 0. One vectorised pass over all
    vertices; no Python loop runs per geometry. `mapper` as for :func:`pair_distances_m`.

    Examples
    --------
    >>> from shapely import LineString
    >>> (line_lengths_m([LineString([(0, 0), (1, 0)]), None]) / 1000).round(3).tolist()
    [111.319, nan]
    """
    array = np.asarray(geoms, dtype=object)
    lon, lat, owner, joins = flat_lines(array)
    pairs = pair_distances_m(lon, lat, joins, mapper=mapper)
    total = np.asarray(np.bincount(owner[:-1], weights=pairs, minlength=array.size), dtype=float)
    total[shapely.is_missing(array)] = np.nan
    return total
