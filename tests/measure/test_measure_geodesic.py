"""Geodesic lengths: hand-checkable values and the proven error bound of the closed form."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely import LineString, MultiLineString, Polygon

from corridors.errors import CorridorDataError
from corridors.measure import geodesic
from corridors.measure.geodesic import (
    EXACT_ABOVE_M,
    GEOD,
    distance_m,
    error_bound_m,
    pair_distances_m,
)
from corridors.measure.lengths import geodesic_length_m


def _km(*lines: object, crs: object = 4326) -> list[float]:
    return (geodesic_length_m(gpd.GeoSeries(list(lines), crs=crs)) / 1000).round(3).tolist()


def test_geodesic_length_m__one_degree_on_equator() -> None:
    assert _km(LineString([(0, 0), (1, 0)])) == [111.319]


def test_geodesic_length_m__meridian_degrees_grow_toward_the_pole() -> None:
    # 1° of latitude: 110.574 km at the equator, 111.694 km at the pole (WGS 84).
    assert _km(LineString([(0, 0), (0, 1)]), LineString([(0, 89), (0, 90)])) == [110.574, 111.694]


def test_geodesic_length_m__meridian_line_adds_its_segments() -> None:
    assert _km(LineString([(0, 0), (0, 0.5), (0, 1)])) == [110.574]


def test_geodesic_length_m__multilinestring_adds_parts_not_the_gap() -> None:
    two_degrees = MultiLineString([[(0, 0), (1, 0)], [(5, 0), (6, 0)]])
    assert _km(two_degrees) == [222.639]


def test_geodesic_length_m__antimeridian_segment_goes_the_short_way() -> None:
    # 179.5°E to 179.5°W is one degree across the antimeridian, not 359°.
    assert _km(LineString([(179.5, 0), (-179.5, 0)])) == [111.319]


def test_geodesic_length_m__transforms_other_crs_first() -> None:
    line = gpd.GeoSeries([LineString([(66.4, 30.9), (67.0, 30.2)])], crs=4326)
    assert geodesic_length_m(line.to_crs(3857)) == pytest.approx(geodesic_length_m(line), abs=1e-6)


def test_geodesic_length_m__missing_is_nan_and_empty_is_zero() -> None:
    lengths = geodesic_length_m(np.array([None, LineString()], dtype=object))
    assert np.isnan(lengths[0]) and lengths[1] == 0


def test_geodesic_length_m__without_crs_is_an_error() -> None:
    with pytest.raises(CorridorDataError, match="no CRS — set one"):
        geodesic_length_m(gpd.GeoSeries([LineString([(0, 0), (1, 0)])]))


def test_geodesic_length_m__polygons_are_an_error() -> None:
    box = Polygon([(0, 0), (1, 0), (1, 1), (0, 0)])
    with pytest.raises(
        CorridorDataError, match="expected LineString or MultiLineString, got Polygon"
    ):
        geodesic_length_m(gpd.GeoSeries([box], crs=4326))


def _random_segments(n: int, max_m: float, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    lon1 = rng.uniform(-180, 180, n)
    lat1 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))  # uniform on the sphere
    lat1[: n // 20] = rng.uniform(85, 90, n // 20) * rng.choice([-1, 1], n // 20)  # near poles
    s = np.where(
        rng.random(n) < 0.5, rng.uniform(0, max_m, n), np.exp(rng.uniform(0, np.log(max_m), n))
    )
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, rng.uniform(-180, 180, n), s)
    return lon1, lat1, np.asarray(lon2), np.asarray(lat2)


def test_distance_m__error_bound_holds_against_geographiclib() -> None:
    # The closed form's bound, checked at every latitude and azimuth up to the
    # length where exact geodesics take over.
    lon1, lat1, lon2, lat2 = _random_segments(200_000, EXACT_ABOVE_M, seed=1)
    _, _, exact = GEOD.inv(lon1, lat1, lon2, lat2)
    error = np.abs(distance_m(lon1, lat1, lon2, lat2) - exact)
    assert (error <= error_bound_m(exact)).all()
    assert error_bound_m(EXACT_ABOVE_M) < 1e-4  # below 0.1 mm where the closed form stops


def test_distance_m__long_segments_are_exact_geodesics() -> None:
    lon1, lat1, lon2, lat2 = _random_segments(2_000, 10_000_000, seed=2)
    _, _, exact = GEOD.inv(lon1, lat1, lon2, lat2)
    long = exact > 1.01 * EXACT_ABOVE_M
    assert long.sum() > 1000
    assert np.array_equal(distance_m(lon1, lat1, lon2, lat2)[long], exact[long])


def test_pair_distances_m__blocks_join_seamlessly() -> None:
    # More pairs than one block: every pair, including those at block edges, is measured.
    rng = np.random.default_rng(3)
    lon = 60 + np.cumsum(rng.uniform(-0.01, 0.01, 40_000))
    lat = 35 + np.cumsum(rng.uniform(-0.01, 0.01, 40_000))
    _, _, exact = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.abs(pair_distances_m(lon, lat) - exact).max() < 1e-6


def test_pair_distances_m__spans_shared_by_threads_give_the_same_bits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A pool's map runs the spans on its threads; every value is the one ``map`` gives."""
    rng = np.random.default_rng(4)
    lon = 60 + np.cumsum(rng.uniform(-0.5, 0.5, 100_000))
    lat = 35 + np.cumsum(rng.uniform(-0.2, 0.2, 100_000)) % 40
    lon[::997] += 40  # some pairs long enough for Geod.inv
    joins = rng.random(lon.size - 1) > 0.01
    monkeypatch.setattr(geodesic, "SPAN_PAIRS", 20_000)  # a span ends inside a block
    alone = pair_distances_m(lon, lat, joins)
    measured: list[tuple[str, int, int]] = []  # thread, first and end pair of each block
    real = geodesic._measure_block

    def recording(*args: Any) -> None:
        measured.append((threading.current_thread().name, *args[-2:]))
        real(*args)

    monkeypatch.setattr(geodesic, "_measure_block", recording)
    with ThreadPoolExecutor(3, thread_name_prefix="span") as pool:

        def shared(function: Callable[[int], None], firsts: Iterable[int]) -> Iterator[None]:
            return pool.map(function, firsts)

        together = pair_distances_m(lon, lat, joins, mapper=shared)
    assert np.array_equal(together, alone) and not np.isnan(alone).any()
    assert {name for name, _, _ in measured} <= {f"span_{i}" for i in range(3)}
    blocks = sorted((a, b) for _, a, b in measured)  # each pair measured once, by one block
    assert blocks[0][0] == 0 and blocks[-1][1] == lon.size - 1
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(blocks))
    assert max(b - a for a, b in blocks) <= geodesic._BLOCK
    _, _, exact = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.abs(alone - np.where(joins, exact, 0)).max() < 1e-4
