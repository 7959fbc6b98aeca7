"""Corridor totals, chainage, stated vs measured and zones."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely import LineString, Point

from corridors.data.atlas import Atlas, load_atlas
from corridors.measure.lengths import chainage, corridor_lengths, segment_lengths
from corridors.measure.stated import _verdict, stated_vs_measured
from corridors.measure.zones import zones


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def test_corridor_lengths__main_route_only_parallel_and_alternatives_apart(atlas: Atlas) -> None:
    segments = segment_lengths(atlas)
    tap = segments[segments["corridor_id"] == "tap_power"]
    row = corridor_lengths(atlas).set_index("corridor_id").loc["tap_power"]
    assert row["length_km"] == pytest.approx(tap[tap["role"] == "main"]["length_km"].sum())
    assert row["parallel_km"] == pytest.approx(tap[tap["mode"] == "fibre"]["length_km"].sum())
    assert row["segments"] == 3


def test_corridor_lengths__official_total_and_source_beside(atlas: Atlas) -> None:
    row = corridor_lengths(atlas).set_index("corridor_id").loc["uap_railway"]
    assert (row["official_km"], row["official_source"]) == (647, "TASS-2025")
    assert row["ratio"] == pytest.approx(647 / row["length_km"])


def test_chainage__continues_along_the_main_route(atlas: Atlas) -> None:
    table = chainage(atlas).set_index(["segment_id", "place_id"])
    tkm_end = table.loc[("tapi_tkm", "serhetabat")]
    herat = table.loc[("tapi_afg_herat", "herat")]
    assert tkm_end["corridor_km"] == pytest.approx(224.316, abs=1e-3)
    assert herat["km_from_start"] == pytest.approx(104.204, abs=1e-3)
    assert herat["corridor_km"] == pytest.approx(224.316 + 104.204, abs=2e-3)


@pytest.mark.parametrize(
    ("mode", "km", "qualifier", "measured", "flag", "words"),
    [
        ("gas_pipeline", 140, "exact", 100.0, True, "1.40× the measured 100 km"),
        ("gas_pipeline", 130, "exact", 100.0, False, "plausible for a gas pipeline"),
        ("road", 180, "exact", 100.0, False, "plausible for a road"),
        ("railway", 100, "exact", 110.0, True, "measured 110 km is longer than the official 100"),
        ("railway", 100, "over", 110.0, False, "plausible"),
        ("power_line", 100, "about", 101.0, False, "plausible for a power line"),
    ],
)
def test_verdict__plausibility_by_mode(
    mode: str, km: float, qualifier: str, measured: float, flag: bool, words: str
) -> None:
    entry = {"km": km, "qualifier": qualifier, "sources": ["X"]}
    got_flag, reason = _verdict(entry, measured, mode)
    assert got_flag is flag and words in reason


def test_stated_vs_measured__every_official_figure_gets_a_row(atlas: Atlas) -> None:
    table = stated_vs_measured(atlas)
    assert len(table) == sum(len(c["official_lengths"]) for c in atlas.catalog.values())
    herat = table[table["segments"].map(lambda s: s == ["tapi_afg_herat"])].iloc[0]
    assert herat["ratio"] == pytest.approx(153 / 104.204, abs=1e-4)
    assert herat["straight_line_km"] == pytest.approx(104.204, abs=1e-3)
    kkh_pak = table[(table["corridor_id"] == "qtta") & (table["iso3"] == "PAK")].iloc[0]
    assert kkh_pak["measured_km"] == pytest.approx(454.735, abs=1e-3)  # KKH only, not the N-5
    assert bool(kkh_pak["flag"]) and "1.95×" in kkh_pak["reason"]


def test_zones__place_a_tenth_of_a_degree_off_a_meridian(tmp_path: Path) -> None:
    segments = gpd.GeoDataFrame(
        {"corridor_id": ["c"], "segment_id": ["s"], "role": ["main"]},
        geometry=[LineString([(0, 0), (0, 1)])],
        crs=4326,
    )
    places = gpd.GeoDataFrame(
        {"id": ["near", "far"], "name": ["Near", "Far"]},
        geometry=[Point(0.1, 0.5), Point(0.5, 0.5)],
        crs=4326,
    )
    boundaries = gpd.GeoDataFrame(
        {"iso3": ["AAA", "BBB"], "name": ["A", "B"], "disputed": [False, False]},
        geometry=[shapely.box(-1, -1, 0.05, 2), shapely.box(0.2, -1, 1, 2)],
        crs=4326,
    )
    atlas = Atlas(segments, places, boundaries, {"c": {}}, {}, tmp_path)
    table = zones(atlas, 20)
    found = dict(zip(table["id"], table["distance_km"].round(3), strict=True))
    # The geodesic from (0.1°, 0.5°) to the meridian: 11.132 km; BBB begins 0.2° east.
    assert found == {"AAA": 0.0, "near": 11.132}
    assert zones(atlas, 25)["id"].tolist() == ["AAA", "BBB", "near"]
