"""Property tests through the reader: any valid corridor file loads as written, measures to
GeographicLib, and its per-country parts add up to its total."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.data import load_catalog, read_boundaries, read_lines, read_places, read_sources
from corridors.geodesic import GEOD
from corridors.measure import country_split, segment_lengths

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


def _as_written(value: Any) -> Any:
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


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(document=corridor_files())
def test_read_lines__any_valid_file_loads_as_written(
    document: dict[str, Any], tmp_path: Path
) -> None:
    frame = read_lines(written(tmp_path, document))
    assert len(frame) == len(document["features"])
    for row, feature in zip(frame.itertuples(index=False), document["features"], strict=True):
        assert row.geometry.geom_type == feature["geometry"]["type"]
        assert shapely.get_coordinates(row.geometry).tolist() == positions(feature["geometry"])
        for key, value in feature["properties"].items():
            assert _as_written(getattr(row, key)) == value, key


@SETTINGS
@given(document=corridor_files())
def test_segment_lengths__within_a_millimetre_per_segment_of_geographiclib(
    document: dict[str, Any], tmp_path: Path
) -> None:
    frame = read_lines(written(tmp_path, document))
    measured_m = segment_lengths(frame)["length_km"].to_numpy() * 1000
    for got, feature in zip(measured_m, document["features"], strict=True):
        exact, pairs = geographiclib_m(feature["geometry"])
        assert abs(got - exact) <= 1e-3 * pairs


@settings(
    max_examples=12, deadline=None, suppress_health_check=list(SETTINGS.suppress_health_check)
)
@given(document=corridor_files())
def test_country_split__parts_add_up_to_each_segment(
    document: dict[str, Any], tmp_path: Path
) -> None:
    frame = read_lines(written(tmp_path, document))
    parts = country_split(frame, BOUNDARIES).groupby("segment_id", sort=False)["length_km"].sum()
    totals = segment_lengths(frame).set_index("segment_id")["length_km"]
    assert list(parts.index) == list(totals.index)
    assert np.abs(parts - totals).max() * 1000 <= 1e-3
    assert (country_split(frame, BOUNDARIES)["length_km"] >= 0).all()


def test_countries_crossed__names_the_country_of_a_line_in_it() -> None:
    kabul_to_jalalabad = shapely.LineString([(69.17, 34.53), (70.45, 34.43)])
    assert countries_crossed(kabul_to_jalalabad) == ["AFG"]


def test_geographiclib_m__one_degree_of_the_equator() -> None:
    metres, pairs = geographiclib_m({"type": "LineString", "coordinates": [[0, 0], [1, 0]]})
    assert (round(metres / 1000, 3), pairs) == (111.319, 1)
