"""Line files of any size for the streamed ``corridors lengths FILE --out RESULT`` tests."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import pyogrio.raw
import shapely

#: Where the bad feature sits in the large bad files: deep inside the fifth batch of 700.
BAD_AT = 3_456
_LINESTRING = 2  # WKB type code


def _wkb_line(*xy: float) -> bytes:
    """WKB of a LineString as written, unchecked: GEOS would refuse to build some of these."""
    return struct.pack(f"<BII{len(xy)}d", 1, _LINESTRING, len(xy) // 2, *xy)


#: A bad feature of each kind, as WKB (None: no geometry), and the reason the check gives.
BAD_FEATURES: dict[str, tuple[bytes | None, str]] = {
    "point": (
        shapely.to_wkb(shapely.Point(66.0, 36.0)),
        "geometry: expected LineString or MultiLineString, got Point",
    ),
    "nan": (
        _wkb_line(66.0, 36.0, float("nan"), 36.5),
        "coordinates: expected finite numbers, got NaN or infinity",
    ),
    "latitude_95": (
        _wkb_line(66.0, 36.0, 66.0, 95.0),
        "coordinates: latitude 95 outside [-90, 90] — write [lon, lat] in degrees",
    ),
    "one_point": (_wkb_line(66.0, 36.0), "geometry: a line needs at least two points"),
    "missing": (None, "geometry: expected LineString or MultiLineString, got no geometry"),
}


def lines_frame(
    n: int,
    *,
    vertices: int = 5,
    step: float = 0.08,
    bounds: tuple[float, float, float, float] = (62.0, 33.0, 74.0, 43.0),
    seed: int = 16,
) -> gpd.GeoDataFrame:
    """
    Return `n` random walks of `vertices` points (steps of about `step` degrees) in `bounds`.

    The default box, Afghanistan and its neighbours, puts many lines across a border.
    Ids are ``road-I`` and names ``Road I``, I the feature's index.
    """
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bounds
    start = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    walk = start[:, None, :] + rng.normal(0.0, step, (n, vertices, 2)).cumsum(axis=1)
    index = np.arange(n).astype(str)
    return gpd.GeoDataFrame(
        {"segment_id": np.char.add("road-", index), "name": np.char.add("Road ", index)},
        geometry=shapely.linestrings(walk),
        crs="EPSG:4326",
    )


def _geojson(frame: gpd.GeoDataFrame) -> str:
    coords = [shapely.get_coordinates(g).tolist() for g in frame.geometry]
    features = [
        {
            "type": "Feature",
            "properties": {"segment_id": s, "name": n},
            "geometry": {"type": "LineString", "coordinates": c},
        }
        for s, n, c in zip(frame["segment_id"], frame["name"], coords, strict=True)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


def write_lines(frame: gpd.GeoDataFrame, path: Path) -> Path:
    """Write `frame` as GeoParquet, GeoPackage or GeoJSON, by the suffix of `path`."""
    if path.suffix == ".parquet":
        frame.to_parquet(path)
    elif path.suffix == ".gpkg":
        pyogrio.write_dataframe(frame, path, driver="GPKG")
    elif path.suffix == ".geojson":
        path.write_text(_geojson(frame), encoding="utf-8")
    else:
        raise ValueError(f"no writer for {path.suffix}")
    return path


def write_with_wkb(frame: gpd.GeoDataFrame, wkb: list[Any], path: Path) -> Path:
    """Write `frame`'s columns with the geometry `wkb` as given, even where GEOS refuses it."""
    if path.suffix == ".parquet":
        frame.to_parquet(path)  # the 'geo' metadata, then the geometry as given
        table = pq.read_table(path)
        at = table.schema.get_field_index("geometry")
        pq.write_table(table.set_column(at, "geometry", pa.array(wkb, pa.binary())), path)
    elif path.suffix == ".gpkg":
        columns = [c for c in frame.columns if c != "geometry"]
        pyogrio.raw.write(
            path,
            np.array(wkb, dtype=object),
            field_data=[frame[c].to_numpy() for c in columns],
            fields=columns,
            geometry_type="Unknown",
            crs="EPSG:4326",
            driver="GPKG",
        )
    else:
        raise ValueError(f"no WKB writer for {path.suffix}")
    return path


def with_bad_feature(frame: gpd.GeoDataFrame, kind: str, path: Path, at: int = BAD_AT) -> Path:
    """Write `frame` to `path` with feature `at` replaced by the bad feature `kind`."""
    wkb = list(shapely.to_wkb(frame.geometry.to_numpy()))
    wkb[at] = BAD_FEATURES[kind][0]
    return write_with_wkb(frame, wkb, path)
