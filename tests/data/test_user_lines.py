"""Users' line files from other projects: any properties, any layer, measured like pyproj does."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from third_party import BUBENEC, GEOD, MOMEPY_TESTS, STREETS_SHP

from corridors.data.atlas import measuring_boundaries
from corridors.data.lines import read_user_lines, split_layer
from corridors.errors import CorridorDataError
from corridors.measure.lengths import country_split, geodesic_length_m


def _within_a_metre_of_pyproj(lines) -> None:
    ours = geodesic_length_m(lines.geometry)
    theirs = [GEOD.geometry_length(g) for g in lines.geometry]
    assert len(ours) == len(theirs) > 0
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1.0


def test_read_user_lines__momepy_streets_layer_of_a_four_layer_geopackage() -> None:
    lines = read_user_lines(BUBENEC, layer="streets")
    assert len(lines) == 35
    assert set(lines["layer"]) == {"streets"} and set(lines["source_file"]) == {str(BUBENEC)}
    assert lines["segment_id"].tolist()[:3] == ["0", "1", "2"]
    _within_a_metre_of_pyproj(lines)


def test_read_user_lines__the_only_line_layer_is_taken_without_layer() -> None:
    assert read_user_lines(BUBENEC)["layer"].unique().tolist() == ["streets"]


def test_read_user_lines__qgis_layer_syntax() -> None:
    assert split_layer(f"{BUBENEC}|layername=streets") == (BUBENEC, "streets")
    assert len(read_user_lines(f"{BUBENEC}|layername=streets")) == 35
    assert len(read_user_lines(f"{MOMEPY_TESTS}:test_rabs")) > 0


def _only_problem(spec: object) -> str:
    """Return the one problem that reading `spec` raises."""
    with pytest.raises(CorridorDataError) as error:
        read_user_lines(spec)
    (message,) = error.value.problems
    return message


def test_read_user_lines__several_line_layers_listed_in_one_line() -> None:
    assert _only_problem(MOMEPY_TESTS) == (
        f"{MOMEPY_TESTS}: 3 line layers (network (MultiLineString), broken_network "
        "(MultiLineString), test_rabs (LineString)) — choose one with --layer NAME."
    )


def test_read_user_lines__a_polygon_layer_is_refused_by_name() -> None:
    with pytest.raises(CorridorDataError, match=r"feature 0: geometry: expected LineString"):
        read_user_lines(BUBENEC, layer="buildings")
    with pytest.raises(CorridorDataError, match=r"no layer 'roads' — it has tessellation"):
        read_user_lines(BUBENEC, layer="roads")


def test_read_user_lines__shapefile_with_a_prj_from_libpysal() -> None:
    lines = read_user_lines(STREETS_SHP)
    assert lines.crs.to_epsg() == 4326 and len(lines) == 293
    assert lines["segment_id"].tolist()[:3] == ["1", "2", "3"]  # its ID column, 1.0, 2.0, ...
    _within_a_metre_of_pyproj(lines)


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _line(properties: dict, coordinates: list[list[float]], **member: object) -> dict:
    geometry = {"type": "LineString", "coordinates": coordinates}
    return {"type": "Feature", "properties": properties, "geometry": geometry, **member}


def test_read_user_lines__ids_stay_text_as_written(tmp_path: Path) -> None:
    path = tmp_path / "ids.geojson"
    features = [
        _line({"segment_id": "007", "corridor_id": "mine"}, [[14.41, 50.08], [14.42, 50.09]]),
        _line({"id": 12}, [[14.41, 50.08], [14.43, 50.09]]),
        _line({}, [[14.41, 50.08], [14.44, 50.09]], id="feature-id"),
        _line({}, [[14.41, 50.08], [14.45, 50.09]]),
    ]
    path.write_text(json.dumps(_collection(features)))
    lines = read_user_lines(path)
    assert lines["segment_id"].tolist() == ["007", "12", "feature-id", "3"]
    assert lines["layer"].tolist() == [None] * 4
    _within_a_metre_of_pyproj(lines)


def test_country_split__a_line_in_prague_is_in_czechia(tmp_path: Path) -> None:
    path = tmp_path / "prague.geojson"
    path.write_text(json.dumps(_collection([_line({}, [[14.40, 50.08], [14.47, 50.07]])])))
    split = country_split(read_user_lines(path), measuring_boundaries())
    assert split["iso3"].tolist() == ["CZE"]


def test_country_split__across_the_caspian_only_the_water_is_sea(tmp_path: Path) -> None:
    path = tmp_path / "caspian.geojson"  # Baku to Turkmenbashi
    path.write_text(json.dumps(_collection([_line({}, [[49.867, 40.409], [52.97, 40.02]])])))
    split = country_split(read_user_lines(path), measuring_boundaries())
    km = split.groupby("iso3")["length_km"].sum()
    assert set(km.index) == {"AZE", "sea", "TKM"}
    assert 190 < km["sea"] < 210 and km["AZE"] > 40 and km["TKM"] > 15


@pytest.mark.parametrize(
    ("bad", "index", "got"),
    [(shapely.Point(14.4, 50.1), 2, "Point"), (None, 1, "no geometry")],
)
def test_read_user_lines__the_first_feature_that_is_no_line_is_named(
    tmp_path: Path, bad: object, index: int, got: str
) -> None:
    lines = [shapely.LineString([(14.41, 50.08), (14.42 + i / 100, 50.09)]) for i in range(5)]
    lines[index] = bad
    lines[4] = shapely.Polygon([(14, 50), (15, 50), (15, 51)])  # a later one is not named
    path = tmp_path / "mixed.gpkg"
    frame = gpd.GeoDataFrame({"name": list("abcde")}, geometry=lines, crs="EPSG:4326")
    frame.to_file(path, geometry_type="Unknown")
    assert _only_problem(path) == (
        f"{path}: feature {index}: geometry: expected LineString or MultiLineString, got {got}"
        " — give a line layer (--layer NAME) or remove the feature."
    )
