"""Property tests: random lines against GeographicLib; per-country parts against totals."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.data.atlas import read_boundaries
from corridors.measure.geodesic import GEOD, pair_distances_m
from corridors.measure.lengths import country_split, geodesic_length_m

_BOUNDARIES = read_boundaries()

_vertex = st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-89.9, 89.9, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(_vertex, min_size=2, max_size=30))
def test_pair_distances_m__within_a_millimetre_of_geographiclib(vertices: list) -> None:
    lon, lat = np.array(vertices).T
    _, _, exact = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.abs(pair_distances_m(lon, lat) - exact).max() <= 1e-3


@settings(max_examples=200, deadline=None)
@given(
    st.tuples(st.floats(-180, 180), st.floats(-89, 89)),
    st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)), min_size=1, max_size=50),
)
def test_pair_distances_m__short_steps_within_a_millimetre(start: tuple, steps: list) -> None:
    # Road- and rail-like lines: many short segments, where the closed form does the work.
    lon = np.cumsum([start[0], *(s[0] for s in steps)])
    lat = np.clip(np.cumsum([start[1], *(s[1] for s in steps)]), -90, 90)
    _, _, exact = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    assert np.abs(pair_distances_m(lon, lat) - exact).max() <= 1e-3


@st.composite
def _walk(draw: st.DrawFn) -> shapely.LineString:
    start = draw(st.tuples(st.floats(55, 80), st.floats(25, 45)))
    steps = draw(
        st.lists(st.tuples(st.floats(0, 360), st.floats(10, 150_000)), min_size=1, max_size=12)
    )
    lon, lat = [start[0]], [start[1]]
    for azimuth, metres in steps:
        x, y, _ = GEOD.fwd(lon[-1], lat[-1], azimuth, metres)
        lon.append(float(x))
        lat.append(float(y))
    return shapely.LineString(list(zip(lon, lat, strict=True)))


@settings(max_examples=20, deadline=None)
@given(st.lists(_walk(), min_size=1, max_size=4))
def test_country_split__parts_add_up_to_the_total(lines: list) -> None:
    frame = gpd.GeoDataFrame({"segment_id": range(len(lines))}, geometry=lines, crs=4326)
    parts = country_split(frame, _BOUNDARIES).groupby("segment_id")["length_km"].sum()
    totals = geodesic_length_m(frame) / 1000
    assert np.abs(parts.reindex(range(len(lines))).to_numpy() - totals).max() <= 1e-3
