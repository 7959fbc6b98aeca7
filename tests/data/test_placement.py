"""Plausibility checks: lines near their countries, and km in countries a segment does not list."""

from __future__ import annotations

import geopandas as gpd
import shapely

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.data.placement import placement_problem, undeclared_countries
from corridors.measure.lengths import country_split
from corridors.outputs.lengths_report import lengths_report


def test_undeclared_countries__casa_straight_leg_crosses_uzbekistan() -> None:
    atlas = load_atlas()
    split = country_split(atlas.segments, atlas.boundaries)
    table = undeclared_countries(atlas.segments, split)
    casa = table[table["segment_id"] == "casa_ac_datka_sughd"]
    assert casa["iso3"].tolist() == ["UZB"]
    assert 80 < casa["length_km"].iloc[0] < 100
    assert casa["listed"].iloc[0] == "KGZ, TJK"
    # every row is a country the segment does not list, never sea or disputed
    listed = dict(zip(atlas.segments["segment_id"], atlas.segments["countries"], strict=True))
    assert all(r.iso3 not in listed[r.segment_id] for r in table.itertuples())
    assert not set(table["iso3"]) & {"sea", "disputed"}


def test_lengths_report__lists_the_undeclared_km() -> None:
    atlas = load_atlas()
    files = dict(lengths_report(atlas, load_bilateral(atlas.data_dir), {}))
    text = files["lengths.md"].decode("utf-8")
    section = text.split("## Drawn lines in countries their segment does not list")[1]
    assert "| casa1000 | casa_ac_datka_sughd | UZB | 90.2 | KGZ, TJK |" in section


def test_placement_problem__far_from_countries_is_not_called_swapped() -> None:
    boxes = gpd.GeoDataFrame(
        {"iso3": ["PAK"]}, geometry=[shapely.box(61, 23, 77, 37)], crs="EPSG:4326"
    )
    problem = placement_problem("f", shapely.LineString([(10, 50), (12, 51)]), ["PAK"], boxes)
    assert problem is not None
    assert "lies far from PAK" in problem and "swapped" not in problem


def test_placement_problem__unknown_country_is_not_checked() -> None:
    boxes = gpd.GeoDataFrame(
        {"iso3": ["PAK"]}, geometry=[shapely.box(61, 23, 77, 37)], crs="EPSG:4326"
    )
    assert placement_problem("f", shapely.LineString([(10, 50), (12, 51)]), ["XYZ"], boxes) is None
