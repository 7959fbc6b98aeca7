"""
Split lines among countries at their borders, fast: which part of each segment lies where.

Every segment (a pair of consecutive vertices) is cut into intervals ``[t0, t1]`` of
its parameter ``t`` in 0..1, each labelled with a country (``iso3``), ``"disputed"``
or ``"sea"`` (in no country). A segment's kilometres in a country are its geodesic
length times the total width of its intervals there, so the parts always add up
to the whole. Cuts are computed on the straight line in longitude and latitude
between the vertices, as the boundaries are drawn; long segments are first
densified along the geodesic (every ``step_m`` metres, 10 km by default) so the
cut lies within a couple of metres of the geodesic's.

Large inputs use a grid: boundaries are cut into small cells once, cells wholly
inside one country are labelled without any intersection, and only segments that
touch a cell with a border in it are cut: first where they cross the grid's lines,
then, in a cell a border runs through, by the edges of that cell's pieces of
country (array arithmetic, never the whole country). Segments that run along a grid
line, which may be a border itself, are cut as without a grid.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from corridors.errors import CorridorDataError
from corridors.measure.geodesic import (
    GEOD,
    Mapper,
    distance_m,
    flat_lines,
    pair_distances_m,
)

__all__ = ["CHUNK_PAIRS", "DISPUTED", "SEA", "Split", "split_lines", "split_metres"]

#: Label of kilometres in no country's polygon (sea, the Caspian, outside the map).
SEA = "sea"
#: Label of kilometres in a boundary feature marked ``disputed``.
DISPUTED = "disputed"

#: Gaps between countries narrower than this (metres) are rounding, not sea.
SLIVER_M = 0.01
#: Inputs with more segments than this are split on a grid of small cells.
GRID_ABOVE = 5_000
#: Side of a grid cell, in degrees.
CELL_DEG = 0.1
#: The coarsest quadtree cells have 2**LEVELS finest cells a side.
LEVELS = 5
#: Grids kept for reuse (each is a few MB): the same boundaries over the same area.
GRIDS_KEPT = 4

Ints = NDArray[np.intp]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Split:
    """
    Lines cut at borders.

    Attributes
    ----------
    lon, lat, owner, joins
        The (densified) vertices, as from :func:`corridors.measure.geodesic.flat_lines`.
    pair_m
        Geodesic length of each consecutive vertex pair (0 where ``joins`` is False).
    labels
        Label names; index ``len(labels) - 1`` is :data:`SEA`.
    seg, t0, t1, label
        The labelled intervals, sorted by pair and start; gaps are sea.
    """

    lon: Floats
    lat: Floats
    owner: Ints
    joins: NDArray[np.bool_]
    pair_m: Floats
    labels: list[str]
    seg: Ints
    t0: Floats
    t1: Floats
    label: Ints

    def runs(self) -> tuple[Ints, Floats, Floats, Ints]:
        """
        Return intervals that cover every pair once, sea gaps included, in order.

        Overlapping intervals (a line along the edge of two pieces) are trimmed so
        that the widths of each pair's intervals add up to exactly 1.
        """
        return _runs(
            self.seg, self.t0, self.t1, self.label, self._all_sea(), self.pair_m, len(self.labels)
        )

    def metres_by_label(self) -> tuple[Ints, Ints, Floats, Floats]:
        """
        Return (line, label, metres, first) for every nonzero part, sea included.

        ``first`` is where the part first appears along its line (pair index + t),
        for ordering.
        """
        # A pair wholly in one piece (most pairs, away from borders) is its own run: only
        # the others need trimming, sea gaps and slivers, which :func:`_runs` gives.
        seg, t0, t1, label = self.seg, self.t0, self.t1, self.label
        alone = np.ones(seg.size, dtype=bool)
        alone[1:] &= seg[1:] != seg[:-1]
        alone[:-1] &= seg[:-1] != seg[1:]
        whole = alone & (t0 <= 0.0) & (t1 >= 1.0)
        rest = ~whole
        r_seg, r_t0, r_t1, r_label = _runs(
            seg[rest], t0[rest], t1[rest], label[rest], self._all_sea(), self.pair_m,
            len(self.labels),
        )  # fmt: skip
        w_seg = seg[whole]
        run_seg = np.concatenate([w_seg, r_seg])
        return _by_part(
            self.owner[run_seg],
            np.concatenate([label[whole], r_label]),
            np.concatenate([self.pair_m[w_seg], (r_t1 - r_t0) * self.pair_m[r_seg]]),
            np.concatenate([w_seg, r_seg + r_t0]),
            len(self.labels),
        )

    def _all_sea(self) -> Ints:
        """Return the pairs no interval touches: wholly sea."""
        pairs = np.flatnonzero(self.joins)
        covered = np.zeros(self.joins.size + 1, dtype=bool)
        covered[self.seg] = True
        return pairs[~covered[pairs]]


def _runs(
    seg: Ints, t0: Floats, t1: Floats, label: Ints, empty: Ints, pair_m: Floats, width: int
) -> tuple[Ints, Floats, Floats, Ints]:
    """
    Return intervals covering the pairs of `seg` and `empty` once each, in order (see Split.runs).

    `seg`, `t0`, `t1`, `label` are intervals sorted by pair and start; `empty` the pairs
    with none (wholly sea); `width` is the number of labels, the last being :data:`SEA`.
    """
    sea = width - 1
    reach = _running_max(seg, t1)  # how far along its pair the intervals so far reach
    first = np.r_[True, seg[1:] != seg[:-1]] if seg.size else np.zeros(0, bool)
    before = np.where(first, 0.0, np.r_[0.0, reach[:-1]])
    start = np.maximum(t0, before)
    last = np.r_[seg[1:] != seg[:-1], True] if seg.size else np.zeros(0, bool)
    # Three slots per interval, already in order along its pair: the sea gap before it,
    # the interval itself (trimmed to start after those before it) and, after a pair's
    # last interval, the sea up to the pair's end. Empty slots are dropped below.
    n = seg.size
    all_seg = np.repeat(seg, 3)
    all_t0 = np.empty(3 * n)
    all_t1 = np.empty(3 * n)
    all_t0[0::3], all_t1[0::3] = before, t0
    all_t0[1::3], all_t1[1::3] = start, np.maximum(t1, start)
    all_t0[2::3], all_t1[2::3] = np.where(last, reach, 1.0), 1.0
    all_label = np.full(3 * n, sea)
    all_label[1::3] = label
    keep = all_t1 > all_t0 + 1e-15
    seg, t0, t1, label = all_seg[keep], all_t0[keep], all_t1[keep], all_label[keep]
    if empty.size:  # pairs wholly at sea, into their places (no pair is in both)
        at = np.searchsorted(seg, empty)
        seg = np.insert(seg, at, empty)
        t0 = np.insert(t0, at, 0.0)
        t1 = np.insert(t1, at, 1.0)
        label = np.insert(label, at, sea)
    # A sliver of sea where two countries' edges meet is rounding, not sea:
    # give it to the country before it (or after it, at the start of a pair).
    sliver = (label == sea) & ((t1 - t0) * pair_m[seg] < SLIVER_M)
    prev_ok = np.r_[False, (seg[1:] == seg[:-1]) & (label[:-1] != sea)]
    next_ok = np.r_[(seg[1:] == seg[:-1]) & (label[1:] != sea), False]
    take_prev = sliver & prev_ok
    take_next = sliver & ~prev_ok & next_ok
    label[take_prev] = label[np.flatnonzero(take_prev) - 1]
    label[take_next] = label[np.flatnonzero(take_next) + 1]
    return seg, t0, t1, label


def _running_max(group: Ints, values: Floats) -> Floats:
    """
    Return the running maximum of `values` within each run of equal `group` (sorted).

    Exact (no offsets added to the values), by doubling the window: a group of k
    elements takes log2(k) passes.

    Examples
    --------
    >>> _running_max(np.array([0, 0, 0, 1, 1]), np.array([0.5, 0.2, 0.9, 0.1, 0.3])).tolist()
    [0.5, 0.5, 0.9, 0.1, 0.3]
    """
    out = np.array(values, dtype=float)
    step = 1
    while step < out.size:
        same = group[step:] == group[:-step]
        if not same.any():
            break
        earlier = np.where(same, out[:-step], -np.inf)  # a copy: the window so far
        np.maximum(out[step:], earlier, out=out[step:])
        step *= 2
    return out


def _by_part(
    line: Ints, label: Ints, metres: Floats, first: Floats, width: int
) -> tuple[Ints, Ints, Floats, Floats]:
    """Add up the metres of each (line, label) and keep where it first appears."""
    # The labels a batch meets are few: number them densely, so that a slot per
    # possible (line, label) is affordable and no sort is needed.
    used = np.flatnonzero(np.bincount(label, minlength=width))
    code = np.zeros(width, dtype=np.int64)
    code[used] = np.arange(used.size)
    key = line.astype(np.int64) * max(used.size, 1) + code[label]
    low = int(key.min()) if key.size else 0
    span = int(key.max()) - low + 1 if key.size else 0
    if span > 4 * key.size + 4096:  # lines too far apart for a slot per key: sort
        unique, inverse = np.unique(key, return_inverse=True)
    else:
        inverse = key - low
        unique = np.flatnonzero(np.bincount(inverse, minlength=span)) + low
    total = np.asarray(np.bincount(inverse, weights=metres), float)
    earliest = np.full(total.size, np.inf)
    np.minimum.at(earliest, inverse, first)
    if unique.size != total.size:  # slots: keep those of the keys given
        total, earliest = total[unique - low], earliest[unique - low]
    per_line = max(used.size, 1)
    return (unique // per_line).astype(np.intp), used[unique % per_line], total, earliest


_DISSOLVED: OrderedDict[bytes, tuple[list[str], NDArray[Any]]] = OrderedDict()
_SEEN: dict[int, tuple[gpd.GeoDataFrame, bytes]] = {}  # the last boundaries hashed


_LOCAL = threading.local()


def _thread_copy(key: Any, geoms: NDArray[Any]) -> NDArray[Any]:
    """
    Return this thread's own copy of kept geometries (made once per thread).

    GEOS builds a prepared geometry's indexes on first use, without a lock, so geometries
    that predicates prepare must not be shared between threads: each batch thread cuts
    with its own copy (WKB keeps every coordinate exactly).
    """
    copies: dict[Any, NDArray[Any]] | None = getattr(_LOCAL, "copies", None)
    if copies is None:
        copies = _LOCAL.copies = {}
    if key not in copies:
        if len(copies) >= 2 * GRIDS_KEPT:
            copies.clear()
        copies[key] = shapely.from_wkb(shapely.to_wkb(geoms))
    return copies[key]


def _labelled_polygons(boundaries: gpd.GeoDataFrame) -> tuple[list[str], NDArray[Any]]:
    """Return the label names and this thread's polygon per label (see :func:`_thread_copy`)."""
    labels, polygons, digest = _dissolved(boundaries)
    return labels, _thread_copy(("dissolved", digest), polygons)


def _dissolved(boundaries: gpd.GeoDataFrame) -> tuple[list[str], NDArray[Any], bytes]:
    """Return the label names, one polygon per label and their key, kept for the same boundaries."""
    with _GRIDS_LOCK:
        seen = _SEEN.get(id(boundaries))
        if seen is not None and seen[0] is boundaries and seen[1] in _DISSOLVED:
            return (*_DISSOLVED[seen[1]], seen[1])  # the very same frame as before: no hashing
    label = np.where(boundaries["disputed"].astype(bool), DISPUTED, boundaries["iso3"])
    digest = hashlib.sha256(
        b"".join(shapely.to_wkb(boundaries.geometry.to_numpy()).tolist())
        + "\0".join(map(str, label)).encode()
    ).digest()
    with _GRIDS_LOCK:
        _SEEN.clear()
        _SEEN[id(boundaries)] = (boundaries, digest)
        if digest in _DISSOLVED:
            return (*_DISSOLVED[digest], digest)
    frame = gpd.GeoDataFrame({"label": label}, geometry=boundaries.geometry.values)
    dissolved = frame.dissolve("label", sort=True)
    result = [*dissolved.index.astype(str), SEA], np.asarray(dissolved.geometry.values)
    with _GRIDS_LOCK:
        _DISSOLVED[digest] = result
        while len(_DISSOLVED) > GRIDS_KEPT:
            _DISSOLVED.popitem(last=False)
    return (*result, digest)


#: Pairs up to this long (metres) are densified along their great ellipse, which lies within
#: 4 cm of the geodesic at this length (tests/measure); longer ones along the geodesic itself.
GREAT_ELLIPSE_M = 25_000.0


def _great_ellipse_points(
    lon1: Floats, lat1: Floats, lon2: Floats, lat2: Floats, fraction: Floats
) -> tuple[Floats, Floats]:
    """
    Return points between two points of the ellipsoid on the plane through them and its centre.

    Interpolated between the geocentric directions of the ends; on the WGS 84 ellipsoid
    this section lies within 4 cm of the geodesic for pairs of up to 25 km (0.6 m at 100 km),
    at a fraction of the cost of ``Geod.inv`` and ``Geod.fwd``. The points divide the angle
    at the centre, so they lie within a metre of the geodesic's equal-distance points.

    Examples
    --------
    >>> lon, lat = _great_ellipse_points(np.array([60.0]), np.array([30.0]),
    ...     np.array([60.2]), np.array([30.1]), np.array([0.5]))
    >>> g_lon, g_lat = GEOD.npts(60.0, 30.0, 60.2, 30.1, 1)[0]
    >>> bool(GEOD.inv(lon[0], lat[0], g_lon, g_lat)[2] < 0.1)
    True
    """
    one_minus_e2 = 1 - GEOD.es

    def direction(lon: Floats, lat: Floats) -> Floats:
        phi, lam = np.radians(lat), np.radians(lon)
        psi = np.arctan2(one_minus_e2 * np.sin(phi), np.cos(phi))  # geocentric latitude
        return np.stack([np.cos(psi) * np.cos(lam), np.cos(psi) * np.sin(lam), np.sin(psi)])

    u1, u2 = direction(lon1, lat1), direction(lon2, lat2)
    omega = np.arccos(np.clip((u1 * u2).sum(axis=0), -1.0, 1.0))
    sin_omega = np.where(omega > 0, np.sin(omega), 1.0)
    a = np.where(omega > 0, np.sin((1 - fraction) * omega) / sin_omega, 1 - fraction)
    b = np.where(omega > 0, np.sin(fraction * omega) / sin_omega, fraction)
    x, y, z = a * u1 + b * u2
    psi = np.arctan2(z, np.hypot(x, y))
    lat = np.degrees(np.arctan2(np.sin(psi), one_minus_e2 * np.cos(psi)))
    return np.degrees(np.arctan2(y, x)), lat


def _pieces(pair: Floats, joins: NDArray[np.bool_], step_m: float) -> Ints:
    """Return how many segments of at most `step_m` each pair becomes (1 where none joins)."""
    return np.where(joins, np.ceil(pair / step_m), 1).astype(np.intp)


def densify(
    lon: Floats,
    lat: Floats,
    owner: Ints,
    joins: NDArray[np.bool_],
    step_m: float,
    pair: Floats | None = None,
) -> tuple[Floats, Floats, Ints, NDArray[np.bool_]]:
    """Insert points along the geodesic so no segment is longer than `step_m` (`pair`: lengths)."""
    if lon.size < 2:
        return lon, lat, owner, joins
    if pair is None:
        pair = pair_distances_m(lon, lat, joins)
    pieces = _pieces(pair, joins, step_m)
    long = np.flatnonzero(pieces > 1)
    if not long.size:
        return lon, lat, owner, joins
    extra = pieces[long] - 1
    src = np.repeat(long, extra)
    k = np.arange(extra.sum()) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    new_lon, new_lat = np.empty(src.size), np.empty(src.size)
    near = pair[src] <= GREAT_ELLIPSE_M
    new_lon[near], new_lat[near] = _great_ellipse_points(
        lon[src[near]], lat[src[near]], lon[src[near] + 1], lat[src[near] + 1],
        (k / pieces[src])[near],
    )  # fmt: skip
    far = np.flatnonzero(~near)
    if far.size:
        longer = pair[long] > GREAT_ELLIPSE_M  # one azimuth per pair, for all its new points
        start_lon, start_lat = lon[long[longer]], lat[long[longer]]
        az, _, _ = GEOD.inv(start_lon, start_lat, lon[long[longer] + 1], lat[long[longer] + 1])
        az = np.repeat(az, extra[longer])
        new_lon[far], new_lat[far], _ = GEOD.fwd(
            lon[src[far]], lat[src[far]], az, pair[src[far]] * k[far] / pieces[src[far]]
        )
    count = np.ones(lon.size, dtype=np.intp)
    count[long] += extra
    start = np.cumsum(count) - count
    out_lon = np.empty(count.sum())
    out_lat = np.empty(count.sum())
    out_lon[start], out_lat[start] = lon, lat
    out_lon[start[src] + k], out_lat[start[src] + k] = new_lon, new_lat
    out_owner = np.repeat(owner, count)
    part = np.repeat(np.concatenate([[0], np.cumsum(~joins)]), count)
    return out_lon, out_lat, out_owner, part[1:] == part[:-1]


@dataclass(frozen=True)
class _Edges:
    """The edges of every ring of some polygons, grouped by polygon."""

    start: Ints  # first edge of each polygon
    count: Ints  # edges of each polygon
    a: Floats  # (n, 2) first end of each edge
    b: Floats  # (n, 2) second end

    @classmethod
    def of(cls, polygons: NDArray[Any]) -> _Edges:
        parts, part_of = shapely.get_parts(polygons, return_index=True)
        rings, ring_of = shapely.get_rings(parts, return_index=True)
        coords, coord_of = shapely.get_coordinates(rings, return_index=True)
        same = coord_of[1:] == coord_of[:-1]
        owner = part_of[ring_of[coord_of[:-1][same]]]
        order = np.argsort(owner, kind="stable")
        count = np.bincount(owner, minlength=len(polygons)).astype(np.intp)
        start = (np.cumsum(count) - count).astype(np.intp)
        return cls(start, count, coords[:-1][same][order], coords[1:][same][order])


@dataclass(frozen=True)
class _Grid:
    x0: float
    y0: float
    cols: int
    rows: int
    cell_label: Ints  # label per finest cell; -1 where a border runs through it
    pieces: NDArray[Any]  # the parts of countries in the cells a border runs through
    piece_label: Ints
    piece_cell: Ints  # finest cell (row * cols + col) of each piece, ascending
    edges: _Edges | None = None  # the pieces' ring edges, for cutting many pairs at once

    def cell(self, lon: Floats, lat: Floats) -> tuple[Ints, Ints]:
        col = np.clip(((lon - self.x0) / CELL_DEG).astype(np.intp), 0, self.cols - 1)
        row = np.clip(((lat - self.y0) / CELL_DEG).astype(np.intp), 0, self.rows - 1)
        return col, row


def _quadtree(
    polygons: NDArray[Any], x0: float, y0: float, cols: int, rows: int
) -> tuple[list[tuple[Ints, Ints, int, Ints]], NDArray[Any], Ints, Ints, Ints]:
    """
    Cut the polygons into quadtree cells of the grid, from 2**LEVELS cells a side down.

    Returns the whole cells per level as (col, row, size in cells, label) and the
    border pieces of the finest cells with their col, row and label.
    """
    size = 2**LEVELS
    tc = np.arange(0, cols, size)
    tr = np.arange(0, rows, size)
    col = np.tile(tc, tr.size)
    row = np.repeat(tr, tc.size)
    bx = shapely.box(
        x0 + col * CELL_DEG,
        y0 + row * CELL_DEG,
        x0 + (col + size) * CELL_DEG,
        y0 + (row + size) * CELL_DEG,
    )
    cell_i, label = shapely.STRtree(bx).query(polygons, predicate="intersects")[::-1]
    geom = polygons[label]
    col, row = col[cell_i], row[cell_i]
    whole: list[tuple[Ints, Ints, int, Ints]] = []
    while True:
        xmin, ymin = x0 + col * CELL_DEG, y0 + row * CELL_DEG
        piece = shapely.intersection(
            geom, shapely.box(xmin, ymin, xmin + size * CELL_DEG, ymin + size * CELL_DEG)
        )
        area = shapely.area(piece)
        full = area >= (size * CELL_DEG) ** 2 * (1 - 1e-9)
        whole.append((col[full], row[full], size, label[full]))
        keep = ~full & (area > 0)
        geom, col, row, label = piece[keep], col[keep], row[keep], label[keep]
        if size == 1:
            return whole, geom, col, row, label
        size //= 2
        geom = np.repeat(geom, 4)
        label = np.repeat(label, 4)
        col = np.repeat(col, 4) + np.tile([0, size, 0, size], col.size)
        row = np.repeat(row, 4) + np.tile([0, 0, size, size], row.size)


def _grid(polygons: NDArray[Any], sea: int, bounds: Floats) -> _Grid:
    x0 = np.floor(bounds[0] / CELL_DEG) * CELL_DEG - CELL_DEG
    y0 = np.floor(bounds[1] / CELL_DEG) * CELL_DEG - CELL_DEG
    cols = int(np.ceil((bounds[2] - x0) / CELL_DEG)) + 2
    rows = int(np.ceil((bounds[3] - y0) / CELL_DEG)) + 2
    whole, pieces, pcol, prow, plabel = _quadtree(polygons, x0, y0, cols, rows)
    raster = np.full((rows + 2**LEVELS, cols + 2**LEVELS), sea, dtype=np.intp)
    for col, row, size, label in whole:
        for c, r, lab in zip(col, row, label, strict=True):
            raster[r : r + size, c : c + size] = lab
    raster[prow, pcol] = -1
    # Tiles overhang the grid; no vertex lies in the cells they add (-1: no cell).
    cell = np.where((pcol < cols) & (prow < rows), prow * cols + pcol, -1)
    order = np.argsort(cell, kind="stable")
    return _Grid(
        x0,
        y0,
        cols,
        rows,
        raster[:rows, :cols].ravel(),
        pieces[order],
        plabel[order],
        cell[order].astype(np.intp),
    )


def _interval_parts(
    lon: Floats,
    lat: Floats,
    pair_m: Floats,
    seg: Ints,
    pieces: NDArray[Any],
    piece_label: Ints,
) -> tuple[Ints, Floats, Floats, Ints]:
    """Cut segments `seg` by the labelled pieces with GEOS; return (seg, t0, t1, label) intervals."""
    lines = shapely.linestrings(
        np.stack([lon[seg], lat[seg], lon[seg + 1], lat[seg + 1]], axis=1).reshape(-1, 2, 2)
    )
    which, piece = shapely.STRtree(pieces).query(lines)
    shapely.prepare(pieces)  # the predicates below then test each piece's prepared form
    inside = shapely.contains_properly(pieces[piece], lines[which])
    cross = ~inside & shapely.intersects(pieces[piece], lines[which])
    seg_in, t0_in, t1_in, label_in = (
        seg[which[inside]],
        np.zeros(inside.sum()),
        np.ones(inside.sum()),
        piece_label[piece[inside]],
    )
    which, piece = which[cross], piece[cross]
    seg_x, t0_x, t1_x, label_x = _cut_by_overlay(
        lon, lat, pair_m, seg[which], pieces[piece], piece_label[piece]
    )
    return (
        np.concatenate([seg_in, seg_x]),
        np.concatenate([t0_in, t0_x]),
        np.concatenate([t1_in, t1_x]),
        np.concatenate([label_in, label_x]),
    )


def _geodesic_share(
    lon: Floats, lat: Floats, pair_m: Floats, s: Ints, t: Floats, x: Floats, y: Floats
) -> Floats:
    """Turn planar parameters `t` of points (x, y) on pairs `s` into shares of their geodesic."""
    t = np.clip(t, 0, 1)
    inner = (t > 0) & (t < 1)
    t[inner] = np.clip(
        distance_m(lon[s][inner], lat[s][inner], x[inner], y[inner])
        / np.maximum(pair_m[s][inner], 1e-300),
        0,
        1,
    )
    return t


def _cut_by_overlay(
    lon: Floats, lat: Floats, pair_m: Floats, seg: Ints, pieces: NDArray[Any], label: Ints
) -> tuple[Ints, Floats, Floats, Ints]:
    """Cut each pair `seg[i]` by polygon `pieces[i]` with GEOS (any size of polygon)."""
    lines = shapely.linestrings(
        np.stack([lon[seg], lat[seg], lon[seg + 1], lat[seg + 1]], axis=1).reshape(-1, 2, 2)
    )
    cut = shapely.intersection(lines, pieces)
    parts, part_of = shapely.get_parts(cut, return_index=True)
    lineal = shapely.get_type_id(parts) == 1
    parts, part_of = parts[lineal], part_of[lineal]
    coords, coord_of = shapely.get_coordinates(parts, return_index=True)
    s = seg[part_of[coord_of]]
    dx, dy = lon[s + 1] - lon[s], lat[s + 1] - lat[s]
    norm = np.maximum(dx * dx + dy * dy, 1e-300)
    t = ((coords[:, 0] - lon[s]) * dx + (coords[:, 1] - lat[s]) * dy) / norm
    # The share of the segment's length, measured geodesically from its start.
    t = _geodesic_share(lon, lat, pair_m, s, t, coords[:, 0], coords[:, 1])
    t0 = np.full(parts.size, np.inf)
    t1 = np.full(parts.size, -np.inf)
    np.minimum.at(t0, coord_of, t)
    np.maximum.at(t1, coord_of, t)
    return seg[part_of], t0, t1, label[part_of]


def _cut_by_edges(
    lon: Floats,
    lat: Floats,
    pair_m: Floats,
    seg: Ints,
    pieces: NDArray[Any],
    piece: Ints,
    piece_label: Ints,
    edges: _Edges,
    lo: Floats | None = None,
    hi: Floats | None = None,
) -> tuple[Ints, Floats, Floats, Ints]:
    """
    Cut each pair `seg[i]` by the small polygon `pieces[piece[i]]`, all pairs at once.

    Only the stretch from `lo[i]` to `hi[i]` of each pair is cut (planar parameters along
    it; the whole pair by default).

    The pair is cut where it crosses an edge of the polygon's rings (array arithmetic
    over every pair and edge); each stretch between cuts is inside when its midpoint is
    in the polygon or on its boundary (as GEOS's intersection keeps a line along an edge).
    Equivalent to :func:`_cut_by_overlay` for grid cells, without one GEOS overlay per pair.
    """
    m = seg.size
    lo = np.zeros(m) if lo is None else lo
    hi = np.ones(m) if hi is None else hi
    n = edges.count[piece]
    pair_of = np.repeat(np.arange(m), n)
    first = np.cumsum(n) - n
    edge = edges.start[piece][pair_of] + (np.arange(pair_of.size) - first[pair_of])
    s = seg[pair_of]
    px, py = lon[s], lat[s]
    rx, ry = lon[s + 1] - px, lat[s + 1] - py
    qx, qy = edges.a[edge, 0], edges.a[edge, 1]
    sx, sy = edges.b[edge, 0] - qx, edges.b[edge, 1] - qy
    den = rx * sy - ry * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        t = ((qx - px) * sy - (qy - py) * sx) / den
        u = ((qx - px) * ry - (qy - py) * rx) / den
    hit = (den != 0) & (t >= lo[pair_of]) & (t <= hi[pair_of]) & (u >= 0) & (u <= 1)
    owner = np.concatenate([np.arange(m), np.arange(m), pair_of[hit]])
    at = np.concatenate([lo, hi, t[hit]])
    order = np.lexsort((at, owner))
    owner, at = owner[order], at[order]
    stretch = (owner[1:] == owner[:-1]) & (at[1:] > at[:-1])
    which = owner[:-1][stretch]
    ta, tb = at[:-1][stretch], at[1:][stretch]
    s = seg[which]
    x0, y0 = lon[s], lat[s]
    dx, dy = lon[s + 1] - x0, lat[s + 1] - y0
    middle = (ta + tb) / 2
    inside = shapely.intersects_xy(pieces[piece[which]], x0 + middle * dx, y0 + middle * dy)
    which, ta, tb, s = which[inside], ta[inside], tb[inside], s[inside]
    x0, y0, dx, dy = x0[inside], y0[inside], dx[inside], dy[inside]
    t0 = _geodesic_share(lon, lat, pair_m, s, ta, x0 + ta * dx, y0 + ta * dy)
    t1 = _geodesic_share(lon, lat, pair_m, s, tb, x0 + tb * dx, y0 + tb * dy)
    return s, t0, t1, piece_label[piece[which]]


def _reject_antimeridian(lon: Floats, owner: Ints, joins: NDArray[np.bool_]) -> None:
    """Raise for segments that cross ±180°: cut in lon/lat, they would wrap the globe."""
    crossing = np.flatnonzero(joins & (np.abs(np.diff(lon)) > 180))
    if crossing.size:
        lines = ", ".join(str(i) for i in dict.fromkeys(owner[crossing].tolist()))
        raise CorridorDataError(
            f"line(s) {lines}: a segment crosses the antimeridian (±180°) — lengths handle "
            "it, but to split by country cut the line at 180° into a MultiLineString."
        )


def split_lines(
    geoms: Any, boundaries: gpd.GeoDataFrame, *, step_m: float | None = 10_000.0
) -> Split:
    """
    Cut (Multi)LineStrings in EPSG:4326 at the borders of `boundaries`.

    Parameters
    ----------
    geoms
        Line geometries, EPSG:4326.
    boundaries
        Polygons with ``iso3`` and ``disputed`` columns, EPSG:4326.
    step_m
        Densify segments longer than this along the geodesic before cutting;
        None cuts the straight lon/lat segments as they are (as an overlay does).

    Raises
    ------
    CorridorDataError
        If a segment crosses the antimeridian: a straight lon/lat segment from
        179.5° to −179.5° would run the long way round the map.
    """
    lon, lat, owner, joins = flat_lines(geoms)
    _reject_antimeridian(lon, owner, joins)
    return _split_vertices(lon, lat, owner, joins, boundaries, step_m)


#: Densified pairs cut at once by :func:`split_metres`: what bounds its memory, whatever the
#: lines' lengths (one segment of 2,000 km is 200 pairs once densified every 10 km).
CHUNK_PAIRS = 1 << 18


def split_metres(
    geoms: Any,
    boundaries: gpd.GeoDataFrame,
    *,
    step_m: float | None = 10_000.0,
    chunk_pairs: int = CHUNK_PAIRS,
    mapper: Mapper = map,
) -> tuple[list[str], Ints, Ints, Floats, Floats]:
    """
    Return the labels and :meth:`Split.metres_by_label` of the lines, cut a chunk at a time.

    The same cut as :func:`split_lines`, in runs of consecutive vertices of at most
    `chunk_pairs` pairs once densified (a run may end inside a line), so that memory
    stays bounded for lines of any length or number of vertices. One chunk gives exactly
    what ``split_lines(...).metres_by_label()`` gives; with several, each part's metres
    are added up over the chunks and ``first`` counts densified pairs from the first line.
    `mapper` (``map``, or a thread pool's ``map``) runs the chunks; each gives the same
    whichever thread cuts it, and they are put together in order.
    """
    lon, lat, owner, joins = flat_lines(geoms)
    _reject_antimeridian(lon, owner, joins)
    pair = None
    if lon.size < 2:
        ends = np.array([0, max(lon.size - 1, 0)])
        starts = np.zeros(1, dtype=np.intp)
    else:
        pair = pair_distances_m(lon, lat, joins, mapper=mapper)
        pieces = _pieces(pair, joins, step_m) if step_m else np.ones(joins.size, dtype=np.intp)
        before = np.concatenate([[0], np.cumsum(pieces)])  # densified pairs before each vertex
        cuts = np.searchsorted(before, np.arange(chunk_pairs, before[-1], chunk_pairs))
        ends = np.unique(np.concatenate([[0], np.clip(cuts, 1, lon.size - 1), [lon.size - 1]]))
        starts = before[ends[:-1]].astype(np.intp)

    def chunk(k: int) -> tuple[Ints, Ints, Floats, Floats]:
        a, b = int(ends[k]), int(ends[k + 1])
        split = _split_vertices(
            lon[a : b + 1],
            lat[a : b + 1],
            owner[a : b + 1],
            joins[a:b],
            boundaries,
            step_m,
            None if pair is None else pair[a:b],
        )
        line, label, metres, first = split.metres_by_label()
        return line, label, metres, first + starts[k]

    results = list(mapper(chunk, range(ends.size - 1)))
    labels = _labelled_polygons(boundaries)[0]
    if len(results) == 1:
        return (labels, *results[0])
    line, label, metres, first = (np.concatenate(column) for column in zip(*results, strict=True))
    return (labels, *_by_part(line, label, metres, first, len(labels)))


def _split_vertices(
    lon: Floats,
    lat: Floats,
    owner: Ints,
    joins: NDArray[np.bool_],
    boundaries: gpd.GeoDataFrame,
    step_m: float | None,
    pair: Floats | None = None,
) -> Split:
    """
    Cut the lines of flat vertex arrays (as from :func:`flat_lines`) at the borders.

    `pair` is the geodesic length of each pair when the caller has it already.
    """
    given = lon
    if step_m:
        lon, lat, owner, joins = densify(lon, lat, owner, joins, step_m, pair)
    # The vertices as given (nothing was long enough to densify): their lengths stand.
    pair_m = pair if pair is not None and lon is given else pair_distances_m(lon, lat, joins)
    labels, polygons = _labelled_polygons(boundaries)
    sea = len(labels) - 1
    pairs = np.flatnonzero(joins)
    if pairs.size <= GRID_ABOVE:
        seg, t0, t1, label = _interval_parts(lon, lat, pair_m, pairs, polygons, np.arange(sea))
    else:
        seg, t0, t1, label = _split_on_grid(lon, lat, pair_m, pairs, polygons, sea)
    order = np.lexsort((t0, seg))
    return Split(
        lon, lat, owner, joins, pair_m, labels, seg[order], t0[order], t1[order], label[order]
    )


_GRIDS: OrderedDict[tuple[Any, ...], _Grid] = OrderedDict()
_GRIDS_LOCK = threading.Lock()
#: One lock per grid being built or kept, so that threads wanting the same grid build it once.
_BUILDING: dict[tuple[Any, ...], threading.Lock] = {}


_DIGESTS: dict[int, tuple[NDArray[Any], bytes]] = {}


def _digest(polygons: NDArray[Any]) -> bytes:
    """Return the SHA-256 of the polygons' WKB, remembered for the same array object."""
    with _GRIDS_LOCK:
        seen = _DIGESTS.get(id(polygons))
        if seen is not None and seen[0] is polygons:
            return seen[1]
    digest = hashlib.sha256(b"".join(shapely.to_wkb(polygons).tolist())).digest()
    with _GRIDS_LOCK:
        if len(_DIGESTS) >= GRIDS_KEPT:
            _DIGESTS.clear()
        _DIGESTS[id(polygons)] = (polygons, digest)
    return digest


def _reused_grid(polygons: NDArray[Any], sea: int, bounds: Floats) -> _Grid:
    """
    Return the grid of `polygons` over `bounds` widened to whole quadtree tiles.

    Building a grid costs more than cutting most inputs with it, so the last
    :data:`GRIDS_KEPT` grids are kept, keyed by the polygons' bytes and the tiles
    covered: every product of a build, and every batch of a large file, cuts with one.
    """
    tile = 2**LEVELS * CELL_DEG
    snapped = np.concatenate([np.floor(bounds[:2] / tile), np.ceil(bounds[2:] / tile)]) * tile
    key = (
        _digest(polygons),
        sea,
        tuple(snapped.tolist()),
    )
    with _GRIDS_LOCK:
        for stale in [k for k, v in _BUILDING.items() if k not in _GRIDS and not v.locked()]:
            del _BUILDING[stale]  # grids dropped from the cache, or whose build failed
        building = _BUILDING.setdefault(key, threading.Lock())
    with building:  # batches that need the same grid at once wait for one build of it
        with _GRIDS_LOCK:
            grid = _GRIDS.get(key)
            if grid is not None:
                _GRIDS.move_to_end(key)
        if grid is None:
            grid = _grid(polygons, sea, snapped)
            grid = _Grid(**{**grid.__dict__, "edges": _Edges.of(grid.pieces)})
            grid.cell_label.setflags(write=False)
            with _GRIDS_LOCK:
                _GRIDS[key] = grid
                while len(_GRIDS) > GRIDS_KEPT:
                    _GRIDS.popitem(last=False)  # its lock goes with the next prune
    # The arrays are shared; the pieces, which predicates prepare, are this thread's own.
    return _Grid(**{**grid.__dict__, "pieces": _thread_copy(("grid", key), grid.pieces)})


def _split_on_grid(
    lon: Floats, lat: Floats, pair_m: Floats, pairs: Ints, polygons: NDArray[Any], sea: int
) -> tuple[Ints, Floats, Floats, Ints]:
    bounds = np.array([lon.min(), lat.min(), lon.max(), lat.max()])
    grid = _reused_grid(polygons, sea, bounds)
    col, row = grid.cell(lon, lat)
    c1, c2, r1, r2 = col[pairs], col[pairs + 1], row[pairs], row[pairs + 1]
    corners = [
        grid.cell_label[r * grid.cols + c] for r, c in ((r1, c1), (r1, c2), (r2, c1), (r2, c2))
    ]
    same = (np.abs(c2 - c1) <= 1) & (np.abs(r2 - r1) <= 1) & (corners[0] >= 0)
    for other in corners[1:]:
        same &= other == corners[0]
    # A pair along a line of the grid lies on the edge of two cells, which the grid cannot
    # tell apart (the line may be a border): such pairs are cut as without a grid.
    aligned = np.flatnonzero((lon[pairs + 1] == lon[pairs]) | (lat[pairs + 1] == lat[pairs]))
    on_line = aligned[_along_grid_lines(lon, lat, pairs[aligned], grid)]
    same[on_line] = False
    hard = np.ones(pairs.size, dtype=bool)
    hard[on_line] = False
    hard &= ~same
    easy = pairs[same & (corners[0] != sea)]
    cut = [
        _cut_on_cells(lon, lat, pair_m, pairs[hard], grid, sea),
        _interval_parts(lon, lat, pair_m, pairs[on_line], polygons, np.arange(sea)),
    ]
    easy_label = grid.cell_label[row[easy] * grid.cols + col[easy]]
    seg, t0, t1, label = (np.concatenate(column) for column in zip(*cut, strict=True))
    return (
        np.concatenate([easy, seg]),
        np.concatenate([np.zeros(easy.size), t0]),
        np.concatenate([np.ones(easy.size), t1]),
        np.concatenate([easy_label, label]),
    )


def _along_grid_lines(lon: Floats, lat: Floats, pairs: Ints, grid: _Grid) -> NDArray[np.bool_]:
    """Return which pairs run along a line of the grid (both ends on it, to 1e-9 of a cell)."""
    out = np.zeros(pairs.size, dtype=bool)
    for values, origin in ((lon, grid.x0), (lat, grid.y0)):
        a, b = (values[pairs] - origin) / CELL_DEG, (values[pairs + 1] - origin) / CELL_DEG
        out |= (np.abs(a - np.round(a)) < 1e-9) & (np.abs(b - np.round(a)) < 1e-9)
    return out


def _cut_on_cells(
    lon: Floats, lat: Floats, pair_m: Floats, pairs: Ints, grid: _Grid, sea: int
) -> tuple[Ints, Floats, Floats, Ints]:
    """
    Cut `pairs` where they cross the grid's lines, then each stretch by its cell's pieces.

    A stretch in a cell wholly inside one country (or wholly sea) takes the cell's label
    with no geometry at all; only those in cells a border runs through are cut by the
    edges of that cell's pieces (:func:`_cut_by_edges`). No pair may run along a grid
    line (see :func:`_along_grid_lines`): its stretches would lie in two cells at once.
    """
    px, py = lon[pairs], lat[pairs]
    dx, dy = lon[pairs + 1] - px, lat[pairs + 1] - py
    c1, r1 = grid.cell(px, py)
    c2, r2 = grid.cell(px + dx, py + dy)
    owner, at = [np.arange(pairs.size)] * 2, [np.zeros(pairs.size), np.ones(pairs.size)]
    for a, b, p, d, origin in ((c1, c2, px, dx, grid.x0), (r1, r2, py, dy, grid.y0)):
        crossed = np.abs(b - a)  # grid lines crossed between the two cells
        of = np.repeat(np.arange(pairs.size), crossed)
        k = np.arange(of.size) - np.repeat(np.cumsum(crossed) - crossed, crossed)
        where = origin + (np.minimum(a, b)[of] + 1 + k) * CELL_DEG
        owner.append(of)
        at.append(np.clip((where - p[of]) / d[of], 0.0, 1.0))
    owner_all, at_all = np.concatenate(owner), np.concatenate(at)
    order = np.lexsort((at_all, owner_all))
    owner_all, at_all = owner_all[order], at_all[order]
    stretch = (owner_all[1:] == owner_all[:-1]) & (at_all[1:] > at_all[:-1])
    which = owner_all[:-1][stretch]
    ta, tb = at_all[:-1][stretch], at_all[1:][stretch]
    middle = (ta + tb) / 2
    col, row = grid.cell(px[which] + middle * dx[which], py[which] + middle * dy[which])
    cell = row * grid.cols + col
    label = grid.cell_label[cell]
    whole = np.flatnonzero((label >= 0) & (label != sea))
    s = pairs[which[whole]]
    ends = []
    for t in (ta[whole], tb[whole]):
        x, y = px[which[whole]] + t * dx[which[whole]], py[which[whole]] + t * dy[which[whole]]
        ends.append(_geodesic_share(lon, lat, pair_m, s, t, x, y))
    border = np.flatnonzero(label < 0)
    first = np.searchsorted(grid.piece_cell, cell[border], side="left")
    count = np.searchsorted(grid.piece_cell, cell[border], side="right") - first
    combo = np.repeat(border, count)
    piece = np.repeat(first, count) + (
        np.arange(combo.size) - np.repeat(np.cumsum(count) - count, count)
    )
    edges = grid.edges if grid.edges is not None else _Edges.of(grid.pieces)
    shapely.prepare(grid.pieces)  # for the tests of points in pieces
    seg_x, t0_x, t1_x, label_x = _cut_by_edges(
        lon, lat, pair_m, pairs[which[combo]], grid.pieces, piece, grid.piece_label,
        edges, ta[combo], tb[combo],
    )  # fmt: skip
    return (
        np.concatenate([s, seg_x]),
        np.concatenate([ends[0], t0_x]),
        np.concatenate([ends[1], t1_x]),
        np.concatenate([label[whole], label_x]),
    )
