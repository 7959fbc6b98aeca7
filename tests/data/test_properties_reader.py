"""Property tests through the reader: any valid corridor file loads as written, measures to
GeographicLib, and its per-country parts add up to its total."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from strategies import (
    BOUNDARIES,
    as_written,
    corridor_files,
    countries_crossed,
    geographiclib_m,
    positions,
    written,
)

from corridors.data.atlas import (
    read_lines,
)
from corridors.measure.lengths import country_split, segment_lengths

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
            assert as_written(getattr(row, key)) == value, key


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
