"""Densifying short pairs along the great ellipse instead of the geodesic costs under 4 cm."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from corridors.measure.borders import GREAT_ELLIPSE_M, _great_ellipse_points
from corridors.measure.geodesic import GEOD


def _off_geodesic_m(lon1: float, lat1: float, az: float, d: float, lon: float, lat: float) -> float:
    """Distance from (lon, lat) to the nearest point of the geodesic from (lon1, lat1)."""

    def gap(s: float) -> float:
        x, y, _ = GEOD.fwd(lon1, lat1, az, s)
        return float(GEOD.inv(lon, lat, x, y)[2])

    return float(minimize_scalar(gap, bounds=(0, d), method="bounded", options={"xatol": 1e-7}).fun)


@pytest.mark.parametrize("seed", range(3))
def test_great_ellipse_points__within_4_cm_of_the_geodesic(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(40):
        lon1, lat1 = rng.uniform(-179, 179), rng.uniform(-85, 85)
        az, d = rng.uniform(0, 360), rng.uniform(50, GREAT_ELLIPSE_M)
        lon2, lat2, _ = GEOD.fwd(lon1, lat1, az, d)
        fraction = rng.uniform(0, 1, 3)
        lon, lat = _great_ellipse_points(
            np.full(3, lon1), np.full(3, lat1), np.full(3, lon2), np.full(3, lat2), fraction
        )
        for x, y, f in zip(lon, lat, fraction, strict=True):
            assert _off_geodesic_m(lon1, lat1, az, d, x, y) < 0.04
            x_geo, y_geo, _ = GEOD.fwd(lon1, lat1, az, f * d)
            assert GEOD.inv(x, y, x_geo, y_geo)[2] < 1.0  # and near the equal-distance point
