"""Every export format is written, read back and compared with the layers it came from."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.outputs.export import export_files, export_layers


@pytest.fixture(scope="module")
def layers() -> dict[str, pd.DataFrame]:
    return export_layers(load_atlas(), load_bilateral())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of the shipped data, written to a folder once for this module."""
    folder = tmp_path_factory.mktemp("exports")
    for relative, data in export_files(load_atlas(), load_bilateral()).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return folder


def _plain(value: Any) -> Any:
    """Compare values across formats: missing and empty text are one thing, numbers are floats."""
    if value is None or value is pd.NA or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool):
        return bool(value)
    if isinstance(value, int | float) or hasattr(value, "item"):
        return float(value)
    return value


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list[Any]]:
    return [[_plain(v) for v in row] for row in frame[columns].itertuples(index=False)]


def _assert_same(read: pd.DataFrame, expected: pd.DataFrame, columns: list[str]) -> None:
    assert len(read) == len(expected)
    assert _rows(read, columns) == _rows(expected, columns)


def _assert_same_geometry(read: gpd.GeoSeries, expected: gpd.GeoSeries) -> None:
    flat = shapely.force_2d(read.to_numpy())
    assert list(shapely.equals_exact(flat, expected.to_numpy(), tolerance=0))


def _attributes(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "geometry"]


def test_export_gpkg__every_layer_reads_back_unchanged(
    exported: Path, layers: dict[str, pd.DataFrame]
) -> None:
    path = exported / "corridors.gpkg"
    listed = [name for name, _ in pyogrio.list_layers(path)]
    assert sorted(listed) == sorted(layers)
    for name, expected in layers.items():
        read = pyogrio.read_dataframe(path, layer=name)
        assert list(read.columns) == list(expected.columns), name
        _assert_same(read, expected, _attributes(expected))
        if isinstance(expected, gpd.GeoDataFrame):
            assert read.crs.to_epsg() == 4326
            _assert_same_geometry(read.geometry, expected.geometry)


def test_export_gpkg__data_dictionary_lists_every_layer_and_field(exported: Path) -> None:
    path = exported / "corridors.gpkg"
    dictionary = pyogrio.read_dataframe(path, layer="data_dictionary")
    for name, _ in pyogrio.list_layers(path):
        columns = list(pyogrio.read_dataframe(path, layer=name).columns)
        assert dictionary.loc[dictionary["layer"] == name, "field"].tolist() == columns, name
    assert dictionary["description"].str.len().min() > 10


def test_export_geojson__spatial_layers_read_back_unchanged(
    exported: Path, layers: dict[str, pd.DataFrame]
) -> None:
    spatial = [n for n, f in layers.items() if isinstance(f, gpd.GeoDataFrame)]
    assert sorted(p.stem for p in (exported / "geojson").iterdir()) == sorted(spatial)
    for name in spatial:
        read = pyogrio.read_dataframe(exported / "geojson" / f"{name}.geojson")
        _assert_same(read, layers[name], _attributes(layers[name]))
        _assert_same_geometry(read.geometry, layers[name].geometry)


def test_export_csv__tables_read_back_typed_through_csvt(
    exported: Path, layers: dict[str, pd.DataFrame]
) -> None:
    for name, expected in layers.items():
        if name == "boundaries":
            assert not (exported / "csv" / "boundaries.csv").exists()
            continue
        read = pyogrio.read_dataframe(exported / "csv" / f"{name}.csv")
        _assert_same(read, expected, _attributes(expected))
    places = pyogrio.read_dataframe(exported / "csv" / "places.csv")
    assert places["proxy"].dtype == bool
    assert list(zip(places["lon"], places["lat"], strict=True)) == [
        (p.x, p.y) for p in layers["places"].geometry
    ]


def test_export_kml__placemarks_read_back_with_their_fields(
    exported: Path, layers: dict[str, pd.DataFrame]
) -> None:
    path = exported / "corridors.kml"
    assert [name for name, _ in pyogrio.list_layers(path)] == ["segments", "places", "crossings"]
    for name in ("segments", "places", "crossings"):
        expected = layers[name]
        read = pyogrio.read_dataframe(path, layer=name).rename(columns={"Name": "name"})
        _assert_same(read, expected, _attributes(expected))
        _assert_same_geometry(read.geometry, expected.geometry)


def test_export_parquet__geoparquet_and_tables_read_back_unchanged(
    exported: Path, layers: dict[str, pd.DataFrame]
) -> None:
    # GDAL here has no Parquet driver, so pyarrow (through geopandas) reads the files.
    for name, expected in layers.items():
        path = exported / "parquet" / f"{name}.parquet"
        if isinstance(expected, gpd.GeoDataFrame):
            read = gpd.read_parquet(path)
            assert read.crs.to_epsg() == 4326
            _assert_same_geometry(read.geometry, expected.geometry)
        else:
            read = pd.read_parquet(path)
        assert list(read.columns) == list(expected.columns)
        _assert_same(read, expected, _attributes(expected))


def test_export_files__byte_identical_on_rerun() -> None:
    atlas, bilateral = load_atlas(), load_bilateral()
    first = export_files(atlas, bilateral, ["gpkg", "kml", "csv"])
    assert export_files(atlas, bilateral, ["gpkg", "kml", "csv"]) == first
