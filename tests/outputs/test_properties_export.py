"""Property test of the export: GeoJSON → load → export → load keeps geometries and properties."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import corridor_files, positions, written

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas, read_lines
from corridors.outputs.export import LIST_SEPARATOR, export_files

ATLAS = load_atlas()
BILATERAL = load_bilateral()
LIST_PROPERTIES = ("countries", "waypoints", "sources")
CORRIDOR = "uap_railway"


def with_segments(extra: gpd.GeoDataFrame) -> Any:
    """The shipped uap_railway corridor alone, with `extra` segments added as alternatives.

    One corridor keeps the export fast; alternatives leave its totals as they were.
    """
    own = ATLAS.segments[ATLAS.segments["corridor_id"] == CORRIDOR]
    segments = pd.concat([own, extra.assign(role="alternative")], ignore_index=True)
    return dataclasses.replace(
        ATLAS,
        segments=gpd.GeoDataFrame(segments, crs=4326),
        catalog={CORRIDOR: ATLAS.catalog[CORRIDOR]},
    )


def exported_segments(atlas: Any, tmp_path: Path) -> gpd.GeoDataFrame:
    data = export_files(atlas, BILATERAL, ["geojson"])["geojson/segments.geojson"]
    path = tmp_path / "segments.geojson"
    path.write_bytes(data)
    return pyogrio.read_dataframe(path)


def decoded(value: Any, key: str) -> Any:
    if key in LIST_PROPERTIES:
        return value.split(LIST_SEPARATOR) if value else []
    return value


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=corridor_files(), notes=st.sampled_from(["", "a; b", 'ü\n"quoted" <b>']))
def test_export__geojson_round_trip_keeps_geometries_and_properties(
    document: dict[str, Any], notes: str, tmp_path: Path
) -> None:
    for feature in document["features"]:
        feature["properties"]["segment_id"] = f"gen_{feature['properties']['segment_id']}"
        feature["properties"]["notes"] = notes
        feature["properties"]["corridor_id"] = CORRIDOR
    loaded = read_lines(written(tmp_path, document))
    back = exported_segments(with_segments(loaded), tmp_path).set_index("segment_id")
    for feature in document["features"]:
        properties = feature["properties"]
        row = back.loc[properties["segment_id"]]
        assert shapely.get_coordinates(row.geometry).tolist() == positions(feature["geometry"])
        for key, value in properties.items():
            if key in ("segment_id", "role"):
                continue
            assert decoded(row[key], key) == value, key
        assert row["role"] == "alternative"


def test_exported_segments__shipped_segment_reads_back(tmp_path: Path) -> None:
    original = json.loads(
        (ATLAS.data_dir / "corridors" / "uap_railway.geojson").read_text(encoding="utf-8")
    )["features"][0]
    back = exported_segments(with_segments(ATLAS.segments.iloc[:0]), tmp_path).set_index(
        "segment_id"
    )
    row = back.loc["uap_termez_hairatan"]
    assert shapely.get_coordinates(row.geometry).tolist() == original["geometry"]["coordinates"]
    assert decoded(row["countries"], "countries") == ["UZB", "AFG"]
