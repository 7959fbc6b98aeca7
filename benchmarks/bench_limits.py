"""
Limits: measure 2 million vertices and report the peak memory it takes.

The input is 2,000,000 vertices in 60–80°E, 25–45°N (random walks with ~100 m
steps), shaped two ways: one LineString of 2M vertices, and 2,000 LineStrings of
1,000 vertices. Each is measured with ``corridors.measure.lengths.geodesic_length_m`` and,
as the baseline of the same run, with one vectorised ``pyproj.Geod.inv`` call over
the same vertex pairs (GeographicLib). Peak memory is Python's and NumPy's
allocations during the call (``tracemalloc``), beyond the input geometries,
reported as a multiple of the coordinate array (2M × 2 float64 = 32 MB). The
strict GeoJSON reader is measured too, on a 2M-vertex file, to show where the
memory of a whole run goes.

Run ``python benchmarks/bench_limits.py`` (about a minute) or add ``--quick`` for
200,000 vertices.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from corridors.data.atlas import read_lines
from corridors.measure.geodesic import GEOD
from corridors.measure.lengths import geodesic_length_m


def walk(vertices: int, seed: int) -> np.ndarray:
    """Return a (vertices, 2) random walk of ~100 m steps, kept inside 60–80°E, 25–45°N."""
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0, 0.3, vertices))
    step_deg = 0.0009 * rng.uniform(0.5, 1.5, vertices)
    lon = 70 + np.cumsum(step_deg * np.cos(heading))
    lat = 35 + np.cumsum(step_deg * np.sin(heading))
    lon = 60 + np.abs((lon - 60) % 40 - 20) * 1.0  # fold back into the box
    lat = 25 + np.abs((lat - 25) % 40 - 20) * 1.0
    return np.column_stack([lon, lat])


def peak(function: Callable[[], Any]) -> tuple[Any, float, int]:
    """Run `function` once; return its result, CPU seconds and peak traced bytes."""
    gc.collect()
    tracemalloc.start()
    start = time.process_time()
    result = function()
    seconds = time.process_time() - start
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, top


def baseline_m(coords: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """GeographicLib over every vertex pair of the same lines, summed per line."""
    same = owner[1:] == owner[:-1]
    _, _, pairs = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    return np.bincount(owner[:-1][same], weights=pairs[same], minlength=owner.max() + 1)


def report(label: str, lines: gpd.GeoSeries, coords: np.ndarray, owner: np.ndarray) -> None:
    size = coords.nbytes
    ours, ours_s, ours_peak = peak(lambda: geodesic_length_m(lines))
    theirs, theirs_s, theirs_peak = peak(lambda: baseline_m(coords, owner))
    worst_mm = float(np.abs(ours - theirs).max() * 1000)
    print(f"{label}: {len(coords):,} vertices, coordinates {size / 2**20:.1f} MiB")
    print(
        f"  corridors.measure.lengths   peak {ours_peak / 2**20:7.1f} MiB = {ours_peak / size:4.2f}x "
        f"coordinates, {ours_s:5.2f} s CPU"
    )
    print(
        f"  Geod.inv baseline   peak {theirs_peak / 2**20:7.1f} MiB = {theirs_peak / size:4.2f}x "
        f"coordinates, {theirs_s:5.2f} s CPU"
    )
    print(
        f"  ratio: memory {ours_peak / theirs_peak:.2f}x, time {ours_s / theirs_s:.2f}x of the "
        f"baseline; largest difference {worst_mm * 1000:.2f} µm over {len(ours):,} line(s)"
    )


def reader(coords: np.ndarray) -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "limit"},
                "geometry": {"type": "LineString", "coordinates": coords.round(6).tolist()},
            }
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "limit.geojson"
        path.write_text(json.dumps(document), encoding="utf-8")
        megabytes = path.stat().st_size / 2**20
        del document
        frame, seconds, top = peak(lambda: read_lines(path))
    print(
        f"read_lines on a {megabytes:.0f} MiB GeoJSON file of {len(coords):,} vertices: "
        f"peak {top / 2**20:.0f} MiB = {top / coords.nbytes:.1f}x coordinates, {seconds:.1f} s CPU"
    )
    assert len(frame) == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 vertices")
    vertices = 200_000 if parser.parse_args().quick else 2_000_000

    one = walk(vertices, seed=1)
    report(
        "one line",
        gpd.GeoSeries([shapely.linestrings(one)], crs=4326),
        one,
        np.zeros(len(one), dtype=np.intp),
    )
    many = walk(vertices, seed=2)
    owner = np.repeat(np.arange(2_000), vertices // 2_000)
    report(
        "2,000 lines",
        gpd.GeoSeries(shapely.linestrings(many, indices=owner), crs=4326),
        many,
        owner,
    )
    reader(one)


if __name__ == "__main__":
    main()
