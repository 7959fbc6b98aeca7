"""Per-country splits and border crossings, on boxes checkable by hand and on the shipped data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import LineString, MultiLineString

from corridors.data.atlas import load_atlas, read_boundaries
from corridors.errors import CorridorDataError
from corridors.measure import borders
from corridors.measure.lengths import country_split, crossings, geodesic_length_m

# Two 1°-wide countries side by side on the equator, and a disputed box north of them.
BOXES = gpd.GeoDataFrame(
    {"iso3": ["AAA", "BBB", "KAS"], "disputed": [False, False, True]},
    geometry=[shapely.box(0, -1, 1, 1), shapely.box(1, -1, 2, 1), shapely.box(0, 1, 2, 2)],
    crs=4326,
)
HALF_DEGREE_KM = 55.660  # half of the 111.319 km of one degree of the equator


def _lines(*geoms: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"corridor_id": "c", "segment_id": [f"s{i}" for i in range(len(geoms))]},
        geometry=list(geoms),
        crs=4326,
    )


def _parts(table: object) -> list[tuple[str, float]]:
    return [(r.iso3, round(r.length_km, 3)) for r in table.itertuples()]  # type: ignore[attr-defined]


def test_country_split__one_border_splits_into_two_parts_that_add_up() -> None:
    table = country_split(_lines(LineString([(0.5, 0), (1.5, 0)])), BOXES)
    assert _parts(table) == [("AAA", HALF_DEGREE_KM), ("BBB", HALF_DEGREE_KM)]
    assert table["length_km"].sum() * 1000 == pytest.approx(111_319.491, abs=1e-3)


def test_country_split__sea_and_disputed_are_reported_not_dropped() -> None:
    north = LineString([(0.5, 0), (0.5, 1.5)])  # AAA, then the disputed box
    out = LineString([(1.5, 0), (2.5, 0)])  # BBB, then no country
    table = country_split(_lines(north, out), BOXES)
    assert _parts(table) == [
        ("AAA", 110.574),
        ("disputed", 55.287),  # half a degree of latitude at 1.25°N
        ("BBB", HALF_DEGREE_KM),
        ("sea", HALF_DEGREE_KM),
    ]


def test_country_split__multilinestring_parts_in_two_countries() -> None:
    line = MultiLineString([[(0.2, 0), (0.7, 0)], [(1.2, 0), (1.7, 0)]])
    assert _parts(country_split(_lines(line), BOXES)) == [
        ("AAA", HALF_DEGREE_KM),
        ("BBB", HALF_DEGREE_KM),
    ]


def test_country_split__shipped_border_segment_adds_up_within_a_metre() -> None:
    atlas = load_atlas()
    border = atlas.segments[atlas.segments["segment_id"] == "tapi_border"]
    table = country_split(border, atlas.boundaries)
    assert list(table["iso3"]) == ["AFG", "PAK"]
    total_km = geodesic_length_m(border)[0] / 1000
    assert abs(table["length_km"].sum() - total_km) * 1000 < 1.0


def test_country_split__grid_and_direct_paths_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(11)
    start = np.column_stack([rng.uniform(66, 72, 3000), rng.uniform(30, 38, 3000)])
    end = start + rng.normal(0, 0.05, start.shape)
    frame = _lines(*shapely.linestrings(np.stack([start, end], axis=1)))
    boundaries = read_boundaries()
    on_grid = country_split(frame, boundaries, step_m=None)
    monkeypatch.setattr(borders, "GRID_ABOVE", 10**9)
    direct = country_split(frame, boundaries, step_m=None)
    key = ["segment_id", "iso3"]
    joined = on_grid.merge(direct, on=key, how="outer", suffixes=("_grid", "_direct")).fillna(0)
    assert len(on_grid) > 3000  # some lines do cross borders
    assert (joined["length_km_grid"] - joined["length_km_direct"]).abs().max() < 1e-6


def test_crossings__box_border_point_and_chainage() -> None:
    table = crossings(_lines(LineString([(0.5, 0), (1.5, 0)])), BOXES)
    assert table[["from_iso3", "to_iso3"]].values.tolist() == [["AAA", "BBB"]]
    assert table["km_from_start"].round(3).tolist() == [HALF_DEGREE_KM]
    assert (table["lon"].round(9).tolist(), table["lat"].round(9).tolist()) == ([1.0], [0.0])


def test_crossings__gap_between_parts_is_not_a_crossing() -> None:
    line = MultiLineString([[(0.2, 0), (0.7, 0)], [(1.2, 0), (1.7, 0)]])
    assert crossings(_lines(line), BOXES).empty


def test_crossings__karakoram_highway_at_khunjerab() -> None:
    atlas = load_atlas()
    kkh = atlas.segments[atlas.segments["segment_id"] == "qtta_kkh"]
    (crossing,) = crossings(kkh, atlas.boundaries).itertuples()
    khunjerab = atlas.places.set_index("id").geometry["khunjerab"]
    assert (crossing.from_iso3, crossing.to_iso3) == ("PAK", "CHN")
    assert abs(crossing.lon - khunjerab.x) < 0.1 and abs(crossing.lat - khunjerab.y) < 0.1


def test_country_split__antimeridian_segment_is_rejected() -> None:
    # Lengths go the short way across ±180°; a straight lon/lat cut would not, so say so.
    with pytest.raises(CorridorDataError, match=r"line\(s\) 0: a segment crosses the antimeridian"):
        country_split(_lines(LineString([(179.5, 0), (-179.5, 0)])), BOXES)
