"""
Geodesic lengths, per-country splits, border crossings and chainage of corridor lines.

Pure functions, no I/O. Every length is a geodesic on the WGS 84 ellipsoid from
:mod:`corridors.measure.geodesic`; the cut at borders comes from :mod:`corridors.measure.borders`.
How a corridor's total is counted: its **main route** is the segments with role
``main``. Segments with role ``parallel`` (a second mode laid along the main route,
such as the TAP fibre cable beside the power line) are reported separately as
``parallel_km`` and never added to the total; ``alternative`` segments (shelved or
competing alignments) are excluded and reported as ``alternative_km``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from corridors.data.atlas import Atlas
from corridors.data.memo import per_build
from corridors.errors import CorridorDataError
from corridors.measure.borders import Split, split_lines, split_metres
from corridors.measure.geodesic import (
    GEOD,
    Mapper,
    distance_m,
    line_lengths_m,
    pair_distances_m,
)

__all__ = [
    "Parts",
    "chainage",
    "corridor_lengths",
    "country_parts",
    "country_split",
    "crossings",
    "geodesic_length_m",
    "official_totals",
    "segment_lengths",
]

_SEGMENT_COLUMNS = ["corridor_id", "segment_id", "name", "mode", "status", "role"]


def _in_4326(geoms: Any) -> Any:
    """Return the geometry values of `geoms` in EPSG:4326, checking CRS and type."""
    if isinstance(geoms, gpd.GeoDataFrame):
        geoms = geoms.geometry
    if isinstance(geoms, gpd.GeoSeries):
        if geoms.crs is None:
            raise CorridorDataError(
                "geometries have no CRS — set one (e.g. EPSG:4326) so lengths can be measured."
            )
        if not geoms.crs.equals("EPSG:4326"):
            geoms = geoms.to_crs("EPSG:4326")
        geoms = geoms.values
    array = np.asarray(geoms, dtype=object)
    lineal = np.isin(shapely.get_type_id(array), [-1, 1, 5])  # missing, line, multiline
    bad = sorted({g.geom_type for g in array[~lineal]})
    if bad:
        raise CorridorDataError(
            f"geometry: expected LineString or MultiLineString, got {', '.join(bad)}."
        )
    return array


def geodesic_length_m(geoms: Any, *, mapper: Mapper = map) -> np.ndarray:
    """
    Measure each (Multi)LineString on the WGS 84 ellipsoid, in metres.

    All vertices go through one vectorised pass (see :mod:`corridors.measure.geodesic`);
    no Python loop runs per geometry. A GeoSeries or GeoDataFrame in another CRS
    is transformed to EPSG:4326 first; one without a CRS is an error. Plain arrays
    of geometries are taken to be EPSG:4326. Each segment is the shortest geodesic
    between its vertices, so lines across the antimeridian (179° to −179°) are
    measured correctly; the parts of a MultiLineString are added, without the gaps.
    `mapper` (``map``, or a thread pool's ``map``) runs spans of a million pairs.

    Returns
    -------
    length_m
        One float per geometry: NaN for a missing one, 0 for an empty one.

    Raises
    ------
    CorridorDataError
        If a GeoSeries or GeoDataFrame has no CRS, or a geometry is not a
        LineString or MultiLineString (Points, Polygons).

    Examples
    --------
    >>> from shapely import LineString
    >>> equator = gpd.GeoSeries([LineString([(0, 0), (1, 0)])], crs=4326)
    >>> (geodesic_length_m(equator) / 1000).round(3).tolist()
    [111.319]
    >>> geodesic_length_m(gpd.GeoSeries([LineString([(0, 0), (1, 0)])]))
    Traceback (most recent call last):
    corridors.errors.CorridorDataError: geometries have no CRS — set one (e.g. EPSG:4326) so lengths can be measured.
    """
    return line_lengths_m(_in_4326(geoms), mapper=mapper)


def _segments(atlas_or_segments: Atlas | gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if isinstance(atlas_or_segments, Atlas):
        return atlas_or_segments.segments
    return atlas_or_segments


@per_build
def segment_lengths(atlas_or_segments: Atlas | gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Return one row per segment: corridor_id, segment_id, name, mode, status, role, length_km.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> table = segment_lengths(load_atlas())
    >>> table.loc[0, "segment_id"], round(float(table.loc[0, "length_km"]), 1)
    ('tapi_tkm', 224.3)
    """
    segments = _segments(atlas_or_segments)
    table = pd.DataFrame(
        {c: segments[c].to_numpy() if c in segments else None for c in _SEGMENT_COLUMNS}
    )
    table["length_km"] = geodesic_length_m(segments.geometry) / 1000
    return table


def official_totals(corridor: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the corridor's official figures for the whole corridor, in catalog order."""
    return [
        e
        for e in corridor["official_lengths"]
        if not (e.get("country") or e.get("segments") or e.get("from_place"))
    ]


def _figure(entry: dict[str, Any]) -> str:
    qualifier = {"about": "about ", "over": "over ", "at_least": "at least ", "up_to": "up to "}
    km = f"{entry['km']:,g}" + (f"–{entry['km_max']:,g}" if entry.get("km_max") else "")
    return f"{qualifier.get(entry['qualifier'], '')}{km} km ({', '.join(entry['sources'])})"


@per_build
def corridor_lengths(atlas: Atlas) -> pd.DataFrame:
    """
    Return one row per corridor: the main route's length beside the official totals.

    Columns: corridor_id, name, modes, status, length_km (main route),
    parallel_km, alternative_km, segments (count on the main route),
    official_km and official_source (the first total in the catalog),
    official_figures (every total, with sources), ratio (official / measured).
    Parallel and alternative segments are not in ``length_km``; see the module
    notes.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> table = corridor_lengths(load_atlas())
    >>> print(table.loc[0, "official_figures"])
    about 1,814 km (TREND-2018, AFINTL-2025, NGW-2018, MOFA-SEED, W-TAPI, BAKHTAR); about 1,840 km (STEELGURU-2018, TODAYAZ-2020); 1,821 km (NCA-2025-10); about 1,800 km (PAJHWOK-2024); 1,680 km (GASANDOIL-2005, UP-APP-2019); 1,735 km (DAWN-2014)
    """
    table = segment_lengths(atlas)
    rows = []
    for cid, corridor in atlas.catalog.items():
        mine = table[table["corridor_id"] == cid]
        by_role = mine.groupby("role")["length_km"].sum()
        totals = official_totals(corridor)
        main_km = float(by_role.get("main", 0.0))
        official = totals[0]["km"] if totals else None
        rows.append(
            {
                "corridor_id": cid,
                "name": corridor["name"],
                "modes": ", ".join(corridor["modes"]),
                "status": corridor["status"],
                "length_km": main_km,
                "parallel_km": float(by_role.get("parallel", 0.0)),
                "alternative_km": float(by_role.get("alternative", 0.0)),
                "segments": int((mine["role"] == "main").sum()),
                "official_km": official,
                "official_source": ", ".join(totals[0]["sources"]) if totals else "",
                "official_figures": "; ".join(_figure(e) for e in totals)
                or f"no total stated; {len(corridor['official_lengths'])} figures for parts",
                "ratio": official / main_km if official and main_km else None,
            }
        )
    return pd.DataFrame(rows)


def _ids(segments: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(segments)
    corridor = segments["corridor_id"].to_numpy() if "corridor_id" in segments else [None] * n
    segment = segments["segment_id"].to_numpy() if "segment_id" in segments else np.arange(n)
    return np.asarray(corridor, dtype=object), np.asarray(segment, dtype=object)


@per_build
def _split(
    segments: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, *, step_m: float | None
) -> Split:
    """Cut `segments` at `boundaries` (for :func:`crossings`)."""
    return split_lines(_in_4326(segments.geometry), _boundaries_4326(boundaries), step_m=step_m)


def _boundaries_4326(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if boundaries.crs is None or not boundaries.crs.equals("EPSG:4326"):
        return boundaries.to_crs("EPSG:4326")
    return boundaries  # the same object: the grids and polygons kept for it are used again


@per_build
def country_split(
    segments: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, *, step_m: float | None = 10_000.0
) -> pd.DataFrame:
    """
    Return the km of each segment in each country, in ``sea`` and in ``disputed`` areas.

    Rows: corridor_id, segment_id, iso3 (an ISO 3166-1 alpha-3 code, ``"sea"`` for
    km in no country's polygon, ``"disputed"`` for km in a feature marked
    disputed, such as Kashmir), length_km. Rows of one segment come in the order
    the line enters each area; the parts add up to the segment's length.

    Parameters
    ----------
    segments
        Lines with a CRS; ``corridor_id`` and ``segment_id`` columns are used when present.
    boundaries
        Polygons with ``iso3`` and ``disputed`` columns.
    step_m
        Densify along the geodesic before cutting (see :mod:`corridors.measure.borders`).

    Examples
    --------
    >>> from shapely import LineString
    >>> boxes = gpd.GeoDataFrame(
    ...     {"iso3": ["AAA", "BBB"], "disputed": [False, False]},
    ...     geometry=[shapely.box(0, -1, 1, 1), shapely.box(1, -1, 2, 1)], crs=4326)
    >>> line = gpd.GeoDataFrame({"segment_id": ["s"]},
    ...     geometry=[LineString([(0.5, 0), (2.5, 0)])], crs=4326)
    >>> country_split(line, boxes).round(3)[["iso3", "length_km"]].values.tolist()
    [['AAA', 55.66], ['BBB', 111.319], ['sea', 55.66]]
    """
    parts = _parts(_in_4326(segments.geometry), _boundaries_4326(boundaries), step_m)
    corridor, segment = _ids(segments)
    return pd.DataFrame(
        {
            "corridor_id": corridor[parts.line],
            "segment_id": segment[parts.line],
            "iso3": parts.iso3,
            "length_km": parts.length_km,
        }
    )


class Parts(NamedTuple):
    """The km of lines by area: one element per part, lines in order (see :func:`country_parts`)."""

    line: np.ndarray  # the line's position
    code: np.ndarray  # the area, as an index into `codes`
    codes: np.ndarray  # the areas' names: ISO 3166-1 alpha-3, "sea", "disputed"
    length_km: np.ndarray

    @property
    def iso3(self) -> np.ndarray:
        """The area of each part, by name."""
        return self.codes[self.code]


def _parts(
    geoms: Any, boundaries: gpd.GeoDataFrame, step_m: float | None, mapper: Mapper = map
) -> Parts:
    labels, line, label, metres, first = split_metres(
        geoms, boundaries, step_m=step_m, mapper=mapper
    )
    order = np.lexsort((first, line))
    codes = np.asarray(labels, dtype=object)
    return Parts(line[order], label[order], codes, metres[order] / 1000)


def country_parts(
    geoms: Any,
    boundaries: gpd.GeoDataFrame,
    *,
    step_m: float | None = 10_000.0,
    mapper: Mapper = map,
) -> Parts:
    """
    Return the km of each line in each country as arrays, without a table around them.

    The same cut as :func:`country_split` (which returns it as a DataFrame), for callers
    that build their own records from many batches of lines.

    Parameters
    ----------
    geoms
        (Multi)LineStrings in EPSG:4326 (an array, or a GeoSeries, transformed if needed).
    boundaries
        Polygons with ``iso3`` and ``disputed`` columns, in EPSG:4326.
    mapper
        ``map``, or a thread pool's ``map``, to cut the chunks of a long batch on
        several threads; the parts are the same.

    Returns
    -------
    Parts
        One element per part: the line's position in `geoms`, the area (``iso3``,
        ``"sea"`` or ``"disputed"``; as an index into ``codes``) and the km; lines in
        order, each line's parts in the order the line enters them.

    Examples
    --------
    One line half in a square country, half out at sea, and one wholly inside:

    >>> square = gpd.GeoDataFrame({"iso3": ["AAA"], "disputed": [False]},
    ...     geometry=[shapely.box(0, -1, 1, 1)], crs=4326)
    >>> parts = country_parts(shapely.from_wkt(["LINESTRING (0.5 0, 1.5 0)",
    ...     "LINESTRING (0.1 0, 0.2 0)"]), square)
    >>> parts.line.tolist(), parts.iso3.tolist(), parts.length_km.round(3).tolist()
    ([0, 0, 1], ['AAA', 'sea', 'AAA'], [55.66, 55.66, 11.132])
    """
    return _parts(_in_4326(geoms), boundaries, step_m, mapper)


def _runs(split: Split) -> pd.DataFrame:
    """
    Return the labelled stretches of every line in order, sea included, merged.

    Columns: owner, part, label, seg and t (where the stretch starts), km (from
    the start of its line, parts of a MultiLineString counted one after another).
    """
    seg, t0, _, label = split.runs()
    owner = split.owner[seg]
    part = np.concatenate([[0], np.cumsum(~split.joins)])[seg]
    new = np.r_[
        True,
        (owner[1:] != owner[:-1]) | (part[1:] != part[:-1]) | (label[1:] != label[:-1]),
    ]
    seg, t0, owner, part, label = seg[new], t0[new], owner[new], part[new], label[new]
    cum = np.concatenate([[0.0], np.cumsum(split.pair_m)])
    line_start = cum[np.searchsorted(split.owner, split.owner, side="left")]
    km = (cum[seg] - line_start[seg] + t0 * split.pair_m[seg]) / 1000
    return pd.DataFrame(
        {"owner": owner, "part": part, "label": label, "seg": seg, "t": t0, "km": km}
    )


@per_build
def crossings(
    segments: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame, *, step_m: float | None = 10_000.0
) -> pd.DataFrame:
    """
    Return every place where a line passes from one country (or sea, or disputed) to another.

    Rows: corridor_id, segment_id, from_iso3, to_iso3, km_from_start (along the
    segment), lon, lat (the crossing point, on the geodesic). The gap between the
    parts of a MultiLineString is not a crossing.

    Examples
    --------
    A line from a box country out to sea leaves it at longitude 1:

    >>> from shapely import LineString
    >>> land = gpd.GeoDataFrame({"iso3": ["AAA"], "disputed": [False]},
    ...                         geometry=[shapely.box(0, -1, 1, 1)], crs=4326)
    >>> out = gpd.GeoSeries([LineString([(0.5, 0), (1.5, 0)])], crs=4326).to_frame("geometry")
    >>> table = crossings(out, land).round(3)
    >>> table[["from_iso3", "to_iso3", "km_from_start", "lon"]].values.tolist()
    [['AAA', 'sea', 55.66, 1.0]]
    """
    split = _split(segments, boundaries, step_m=step_m)
    runs = _runs(split)
    owner, part = runs["owner"].to_numpy(), runs["part"].to_numpy()
    same = (owner[1:] == owner[:-1]) & (part[1:] == part[:-1])
    after = runs.iloc[1:][same]
    before = runs.iloc[:-1][same]
    seg = after["seg"].to_numpy()
    az, _, _ = GEOD.inv(split.lon[seg], split.lat[seg], split.lon[seg + 1], split.lat[seg + 1])
    lon, lat, _ = GEOD.fwd(
        split.lon[seg], split.lat[seg], az, after["t"].to_numpy() * split.pair_m[seg]
    )
    labels = np.asarray(split.labels, dtype=object)
    corridor, segment = _ids(segments)
    which = after["owner"].to_numpy()
    return pd.DataFrame(
        {
            "corridor_id": corridor[which],
            "segment_id": segment[which],
            "from_iso3": labels[before["label"].to_numpy()],
            "to_iso3": labels[after["label"].to_numpy()],
            "km_from_start": after["km"].to_numpy(),
            "lon": np.asarray(lon, dtype=float),
            "lat": np.asarray(lat, dtype=float),
        }
    )


@per_build
def chainage(atlas: Atlas) -> pd.DataFrame:
    """
    Return the km from the start of its segment of every waypoint.

    Rows: corridor_id, segment_id, place_id, km_from_start, and corridor_km: the
    km along the corridor's main route, counted through its main segments in
    file order while each starts where the previous one ended (within 1 km);
    empty (NaN) for other segments and after a break.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> table = chainage(load_atlas())
    >>> herat = table[table.segment_id == "tapi_afg_herat"]
    >>> herat[["place_id", "km_from_start", "corridor_km"]].round(1).values.tolist()
    [['serhetabat', 0.0, 224.3], ['herat', 104.2, 328.5]]
    """
    places = dict(zip(atlas.places["id"], atlas.places.geometry, strict=True))
    segments = atlas.segments
    total_km = line_lengths_m(segments.geometry.to_numpy()) / 1000
    columns: dict[str, list[Any]] = {
        "corridor_id": [], "segment_id": [], "place_id": [], "km_from_start": [], "corridor_km": []
    }  # fmt: skip
    chain: dict[str, tuple[float, Any] | None] = {}
    for seg, total in zip(segments.itertuples(index=False), total_km, strict=True):
        line, waypoints = seg.geometry, list(seg.waypoints)
        km = _km_along(line, [places[p] for p in waypoints])
        base = _chain_base(seg, line, chain)
        columns["corridor_id"] += [seg.corridor_id] * len(km)
        columns["segment_id"] += [seg.segment_id] * len(km)
        columns["place_id"] += waypoints
        columns["km_from_start"] += km
        columns["corridor_km"] += [np.nan if base is None else base + v for v in km]
        if seg.role == "main":
            end = shapely.get_point(shapely.get_parts(line)[-1], -1)
            chain[seg.corridor_id] = None if base is None else (base + float(total), end)
    return pd.DataFrame(columns)


def _chain_base(seg: Any, line: Any, chain: dict[str, tuple[float, Any] | None]) -> float | None:
    """Return the corridor km where a main segment starts, or None off the main chain."""
    cid = seg.corridor_id
    if seg.role != "main":
        return None
    if cid not in chain:
        return 0.0
    state = chain[cid]
    if state is None:
        return None
    km, end = state
    start = shapely.get_point(shapely.get_parts(line)[0], 0)
    gap = GEOD.inv(end.x, end.y, start.x, start.y)[2]
    return km if gap <= 1000 else None


def _km_along(line: Any, points: list[Any]) -> list[float]:
    """
    Return the geodesic km from the start of `line` to the point of it nearest each point.

    A MultiLineString is walked part after part, without the gaps between parts.

    Examples
    --------
    >>> two = shapely.MultiLineString([[(0, 0), (1, 0)], [(2, 0), (3, 0)]])
    >>> [round(km, 3) for km in _km_along(two, [shapely.Point(2.5, 0)])]
    [166.979]
    """
    parts = shapely.get_parts(line)
    if not points:
        return []
    part_km = line_lengths_m(parts) / 1000
    before_km = np.concatenate([[0.0], np.cumsum(part_km)[:-1]])
    targets = np.asarray(points, dtype=object)
    nearest = np.argmin(shapely.distance(parts[:, None], targets[None, :]), axis=0)
    at = shapely.line_locate_point(parts[nearest], targets)  # planar, as substring() cuts
    km = np.empty(len(points))
    for index in sorted(set(nearest.tolist())):
        mine = np.flatnonzero(nearest == index)
        xy = shapely.get_coordinates(parts[index])
        step = np.hypot(*np.diff(xy, axis=0).T)
        planar = np.concatenate([[0.0], np.cumsum(step)])
        geodesic = np.concatenate([[0.0], np.cumsum(pair_distances_m(xy[:, 0], xy[:, 1]))])
        pair = np.clip(np.searchsorted(planar, at[mine], side="right") - 1, 0, len(step) - 1)
        frac = np.divide(
            at[mine] - planar[pair], step[pair], out=np.zeros(len(mine)), where=step[pair] > 0
        )
        cut = xy[pair] + np.clip(frac, 0.0, 1.0)[:, None] * (xy[pair + 1] - xy[pair])
        partial = distance_m(xy[pair, 0], xy[pair, 1], cut[:, 0], cut[:, 1])
        km[mine] = before_km[index] + (geodesic[pair] + partial) / 1000
    return km.tolist()
