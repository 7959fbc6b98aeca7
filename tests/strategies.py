"""Hypothesis strategies for valid corridor files, and helpers to write and measure them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from hypothesis import strategies as st

from corridors.data.atlas import (
    load_catalog,
    read_boundaries,
    read_places,
    read_sources,
)
from corridors.measure.geodesic import GEOD

BOUNDARIES = read_boundaries()
TREE = shapely.STRtree(BOUNDARIES.geometry.to_numpy())
PLACE_IDS = sorted(read_places()["id"])
SOURCE_KEYS = sorted(read_sources())
CORRIDOR_IDS = sorted(load_catalog())

# Segment properties as geodata/schema/segment.schema.json allows them.
MODES = ["gas_pipeline", "power_line", "railway", "road", "fibre", "ferry"]
STATUSES = ["concept", "proposed", "feasibility", "planned", "under_construction"]
STATUSES += ["completed", "operating", "shelved"]
ROLES = ["main", "alternative", "parallel"]
ACCURACY = ["surveyed", "approximate", "schematic"]

# Printable text without surrogates, as a JSON file in UTF-8 can hold it.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40)
IDENT = st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True)

# Longitudes and latitudes of the region, rounded as the geodata writes them (5 decimals).
LON = st.integers(6_000_000, 8_000_000).map(lambda v: v / 100_000)
LAT = st.integers(2_500_000, 4_500_000).map(lambda v: v / 100_000)


def countries_crossed(line: shapely.LineString) -> list[str]:
    """The countries a line touches (the nearest one if it touches none), sorted."""
    hits = TREE.query(line, predicate="intersects")
    if not len(hits):
        hits = TREE.query_nearest(line)
    return sorted(set(BOUNDARIES["iso3"].to_numpy()[hits]))


@st.composite
def corridor_lines(draw: st.DrawFn) -> list[list[float]]:
    positions = draw(st.lists(st.tuples(LON, LAT), min_size=2, max_size=25))
    if len(set(positions)) < 2:
        positions.append((positions[0][0] + 0.5, positions[0][1]))
    return [list(p) for p in positions]


@st.composite
def features(draw: st.DrawFn, index: int) -> dict[str, Any]:
    parts = draw(st.lists(corridor_lines(), min_size=1, max_size=3))
    geometry: dict[str, Any] = (
        {"type": "LineString", "coordinates": parts[0]}
        if len(parts) == 1
        else {"type": "MultiLineString", "coordinates": parts}
    )
    properties = {
        "corridor_id": draw(st.sampled_from(CORRIDOR_IDS)),
        "segment_id": f"{draw(IDENT)}_{index}",
        "name": draw(TEXT),
        "mode": draw(st.sampled_from(MODES)),
        "status": draw(st.sampled_from(STATUSES)),
        "role": draw(st.sampled_from(ROLES)),
        "route_accuracy": draw(st.sampled_from(ACCURACY)),
        "countries": countries_crossed(shapely.geometry.shape(geometry)),
        "waypoints": draw(st.lists(st.sampled_from(PLACE_IDS), min_size=2, max_size=4)),
        "sources": draw(st.lists(st.sampled_from(SOURCE_KEYS), min_size=1, max_size=3)),
        "notes": draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=60)),
    }
    if draw(st.booleans()):
        properties["gauge_mm"] = draw(st.sampled_from([1435, 1520, 1676]))
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@st.composite
def corridor_files(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(1, 4))
    return {"type": "FeatureCollection", "features": [draw(features(i)) for i in range(count)]}


def written(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "generated.geojson"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def as_written(value: Any) -> Any:
    return list(value) if isinstance(value, list | tuple | np.ndarray) else value


def positions(geometry: dict[str, Any]) -> list[list[float]]:
    """Every position of a (Multi)LineString object, in order."""
    if geometry["type"] == "LineString":
        return list(geometry["coordinates"])
    return [p for part in geometry["coordinates"] for p in part]


def geographiclib_m(geometry: dict[str, Any]) -> tuple[float, int]:
    """Length by GeographicLib one vertex pair at a time, and the number of pairs."""
    parts = (
        [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    )
    total, pairs = 0.0, 0
    for part in parts:
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(part):
            total += GEOD.inv(lon1, lat1, lon2, lat2)[2]
            pairs += 1
    return total, pairs
