"""What the exports hold: the layers, their list encoding and the data dictionary."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.outputs.export import LIST_SEPARATOR, encode_list, export_layers, kml_document
from corridors.outputs.fields import LAYER_DESCRIPTIONS


@pytest.fixture(scope="module")
def layers() -> dict[str, pd.DataFrame]:
    return export_layers(load_atlas(), load_bilateral())


def test_export_layers__every_layer_is_described(layers: dict[str, pd.DataFrame]) -> None:
    assert set(layers) <= set(LAYER_DESCRIPTIONS)
    assert list(layers)[:4] == ["corridors", "segments", "places", "boundaries"]
    assert list(layers)[-1] == "data_dictionary"


def test_export_layers__corridor_collects_its_main_segments(
    layers: dict[str, pd.DataFrame],
) -> None:
    corridors = layers["corridors"].set_index("corridor_id")
    segments = load_atlas().segments
    tapi_main = segments[(segments["corridor_id"] == "tapi") & (segments["role"] == "main")]
    assert corridors.loc["tapi", "segments"] == LIST_SEPARATOR.join(tapi_main["segment_id"])
    assert corridors.loc["tapi", "segments"].count(";") == 5  # six main segments
    assert len(corridors.loc["tapi", "geometry"].geoms) == 6
    assert shapely.equals_exact(
        corridors.loc["tapi", "geometry"].geoms[0], tapi_main.geometry.iloc[0], tolerance=0
    )


def test_export_layers__lists_joined_in_route_order(layers: dict[str, pd.DataFrame]) -> None:
    segments = layers["segments"].set_index("segment_id")
    assert segments.loc["tapi_afg_herat", "countries"] == "TKM; AFG"
    assert segments.loc["casa_hvdc_pak", "waypoints"] == "torkham; peshawar; nowshera"
    assert layers["places"].set_index("id").loc["astara", "sources"] == "CSC-AZ"


def test_export_layers__boundaries_all_multipolygons(layers: dict[str, pd.DataFrame]) -> None:
    assert set(layers["boundaries"].geom_type) == {"MultiPolygon"}
    assert len(layers["boundaries"]) == len(load_atlas().boundaries)


def test_export_layers__official_lengths_keep_stated_figures(
    layers: dict[str, pd.DataFrame],
) -> None:
    tapi = layers["official_lengths"].query("corridor_id == 'tapi'")
    first = tapi.iloc[0]
    assert (first["km"], first["qualifier"], first["country"]) == (1814.0, "about", "")
    assert first["sources"].startswith("TREND-2018; AFINTL-2025")


def test_data_dictionary__one_row_per_field(layers: dict[str, pd.DataFrame]) -> None:
    dictionary = layers["data_dictionary"]
    expected = [(n, c) for n, f in layers.items() for c in f.columns]
    assert list(zip(dictionary["layer"], dictionary["field"], strict=True)) == expected
    types = dictionary.set_index(["layer", "field"])["type"]
    assert types["segments", "geometry"] == "LineString"
    assert types["places", "proxy"] == "boolean"
    assert types["bilateral_mechanisms", "sessions_held"] == "integer"
    assert types["official_lengths", "km"] == "real"
    sources = dictionary.set_index(["layer", "field"]).loc[("segments", "sources"), "description"]
    assert "'; '" in sources


def test_encode_list__rejects_item_holding_separator() -> None:
    with pytest.raises(ValueError, match="contains the separator"):
        encode_list(["KAZ; KGZ"])


def test_kml_document__escapes_text_and_colours_by_mode() -> None:
    import geopandas as gpd

    segments = gpd.GeoDataFrame(
        {"segment_id": ["s1"], "name": ['<Road> & "rail"'], "mode": ["road"]},
        geometry=[LineString([(69.1, 30.2), (70.25, 31.5)])],
        crs=4326,
    )
    places = gpd.GeoDataFrame(
        {"id": ["p1"], "name": ["Quetta"], "description": ["a < b"]},
        geometry=[Point(66.99, 30.18)],
        crs=4326,
    )
    text = kml_document({"segments": segments, "places": places}).decode()
    assert '<name>&lt;Road&gt; &amp; "rail"</name>' in text
    assert "<description>a &lt; b</description>" in text
    assert '<Placemark id="p1">' in text
    assert "<styleUrl>#road</styleUrl>" in text
    # road colour #00795A in KML's aabbggrr order
    assert "<color>ff5a7900</color>" in text
    assert "<coordinates>69.1,30.2 70.25,31.5</coordinates>" in text


def test_export_layers__lengths_are_geodesic(layers: dict[str, pd.DataFrame]) -> None:
    from pyproj import Geod

    segments = layers["segments"].set_index("segment_id")
    geometry = segments.loc["tapi_tkm", "geometry"]
    expected_km = Geod(ellps="WGS84").geometry_length(geometry) / 1000
    assert segments.loc["tapi_tkm", "length_km"] == pytest.approx(expected_km, abs=1e-6)
    tapi = layers["corridors"].set_index("corridor_id").loc["tapi"]
    main = segments[(segments["corridor_id"] == "tapi") & (segments["role"] == "main")]
    assert tapi["length_km"] == pytest.approx(main["length_km"].sum(), rel=1e-12)
    assert tapi["parallel_km"] == 0.0


def test_export_layers__crossings_are_points_on_the_border(
    layers: dict[str, pd.DataFrame],
) -> None:
    crossings = layers["crossings"]
    assert set(crossings.geom_type) == {"Point"}
    herat = crossings[crossings["segment_id"] == "tapi_afg_herat"]
    assert herat[["from_iso3", "to_iso3"]].values.tolist() == [["TKM", "AFG"]]
    boundaries = load_atlas().boundaries.set_index("iso3")
    border = boundaries.loc["TKM", "geometry"].boundary
    # on the geodesic, so within a metre (1e-5 degrees) of the polygon edge drawn in lon/lat
    assert border.distance(herat.geometry.iloc[0]) < 1e-5
    split = layers["country_lengths"]
    parts = split[split["segment_id"] == "tapi_afg_herat"]
    assert parts["iso3"].tolist() == ["TKM", "AFG"]
    assert parts["length_km"].iloc[0] == pytest.approx(herat["km_from_start"].iloc[0], rel=1e-9)


def test_export_layers__stated_vs_measured_typed(layers: dict[str, pd.DataFrame]) -> None:
    stated = layers["stated_vs_measured"]
    tkm = stated[(stated["corridor_id"] == "tapi") & (stated["iso3"] == "TKM")].iloc[0]
    assert (tkm["scope"], tkm["official_km"], bool(tkm["flag"])) == ("country", 214.0, True)
    assert stated["measured_km"].dtype == "float64"
