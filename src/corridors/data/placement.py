"""
Plausibility of where features lie: each line or place near the countries it names.

Coordinates inside [-180, 180] x [-90, 90] can still be wrong: in this region a
(lat, lon) pair such as ``[34.0, 71.5]`` is a valid position in the Arctic. A
feature that names its countries can be checked against their boundaries; when
the feature lies away from them but its axis-swapped copy lies near them, the
axes were swapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["country_boxes", "placement_problem", "undeclared_countries"]

# How far (in degrees of bounding box) a feature may stray outside its countries'
# envelope: generous, since it is a check for gross errors, not a border test.
MARGIN_DEG = 1.0


def country_boxes(boundaries: gpd.GeoDataFrame) -> dict[str, tuple[float, float, float, float]]:
    """
    Return each country's bounding box (minx, miny, maxx, maxy), its polygons taken together.

    Compute it once and pass it to :func:`placement_problem` for many features.
    """
    bounds = pd.DataFrame(
        shapely.bounds(boundaries.geometry.to_numpy()), columns=["minx", "miny", "maxx", "maxy"]
    )
    bounds["iso3"] = boundaries["iso3"].to_numpy()
    table = bounds.groupby("iso3", sort=True).agg(
        {"minx": "min", "miny": "min", "maxx": "max", "maxy": "max"}
    )
    return {
        str(iso3): (float(x0), float(y0), float(x1), float(y1))
        for iso3, (x0, y0, x1, y1) in zip(table.index, table.to_numpy(), strict=True)
    }


def _envelope(
    boxes: Mapping[str, tuple[float, float, float, float]], countries: Iterable[str]
) -> BaseGeometry | None:
    wanted = [boxes[c] for c in countries if c in boxes]
    if not wanted:
        return None
    minx, miny = min(b[0] for b in wanted), min(b[1] for b in wanted)
    maxx, maxy = max(b[2] for b in wanted), max(b[3] for b in wanted)
    return shapely.box(minx - MARGIN_DEG, miny - MARGIN_DEG, maxx + MARGIN_DEG, maxy + MARGIN_DEG)


def placement_problem(
    where: str,
    geometry: BaseGeometry,
    countries: Sequence[str],
    boundaries: gpd.GeoDataFrame | Mapping[str, tuple[float, float, float, float]],
) -> str | None:
    """
    Return a one-line problem if `geometry` lies away from `countries`, else None.

    Countries missing from `boundaries` are not checked.

    Examples
    --------
    >>> boxes = gpd.GeoDataFrame(
    ...     {"iso3": ["PAK"]}, geometry=[shapely.box(61, 23, 77, 37)], crs="EPSG:4326"
    ... )
    >>> line = shapely.LineString([(67.0, 30.2), (71.5, 34.0)])
    >>> placement_problem("f", line, ["PAK"], boxes) is None
    True
    >>> swapped = shapely.LineString([(30.2, 67.0), (34.0, 71.5)])
    >>> print(placement_problem("f", swapped, ["PAK"], boxes))
    f: coordinates look like (lat, lon): the geometry lies outside PAK but its axis-swapped copy lies inside — write [lon, lat] as RFC 7946 requires.
    """
    boxes = country_boxes(boundaries) if isinstance(boundaries, pd.DataFrame) else boundaries
    envelope = _envelope(boxes, countries)
    if envelope is None or geometry.intersects(envelope):
        return None
    names = ", ".join(countries)
    swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    if swapped.intersects(envelope):
        return (
            f"{where}: coordinates look like (lat, lon): the geometry lies outside {names} but "
            "its axis-swapped copy lies inside — write [lon, lat] as RFC 7946 requires."
        )
    minx, miny, maxx, maxy = geometry.bounds
    return (
        f"{where}: geometry ({minx:.2f}, {miny:.2f})–({maxx:.2f}, {maxy:.2f}) lies far from "
        f"{names} — check the coordinates or the countries."
    )


def undeclared_countries(
    segments: pd.DataFrame, split: pd.DataFrame, *, min_km: float = 1.0
) -> pd.DataFrame:
    """
    Return the km each drawn line spends in countries its ``countries`` list does not name.

    A schematic line (straight legs between few points) can cut across a country
    the real route avoids: CASA-1000's Datka–Sughd line, drawn straight, crosses
    Uzbekistan's Fergana valley. Such km are measured and reported, never
    dropped, and this table says which they are. ``sea`` and ``disputed`` km are
    not counted here.

    Parameters
    ----------
    segments
        Segments with ``segment_id`` and ``countries`` (lists of ISO3 codes).
    split
        The output of :func:`corridors.measure.lengths.country_split` for those segments.
    min_km
        Smaller amounts (a border drawn at 1:10m, a crossing point a few hundred
        metres off) are left out.

    Returns
    -------
    table
        Rows ``corridor_id, segment_id, iso3, length_km, listed`` where ``listed``
        is the segment's own country list joined with ``, ``.

    Examples
    --------
    >>> segments = pd.DataFrame({"segment_id": ["s"], "countries": [["KGZ", "TJK"]]})
    >>> split = pd.DataFrame({"corridor_id": ["c"] * 3, "segment_id": ["s"] * 3,
    ...     "iso3": ["KGZ", "UZB", "TJK"], "length_km": [268.6, 90.2, 149.7]})
    >>> undeclared_countries(segments, split).values.tolist()
    [['c', 's', 'UZB', 90.2, 'KGZ, TJK']]
    """
    listed = dict(zip(segments["segment_id"], segments["countries"], strict=True))
    rows = [
        {**row, "listed": ", ".join(listed[row["segment_id"]])}
        for row in split.to_dict("records")
        if row["iso3"] not in ("sea", "disputed")
        and row["iso3"] not in listed.get(row["segment_id"], [row["iso3"]])
        and row["length_km"] >= min_km
    ]
    columns = ["corridor_id", "segment_id", "iso3", "length_km", "listed"]
    return pd.DataFrame(rows, columns=columns)
