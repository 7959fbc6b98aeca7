"""Travel time and cost: hand-checkable sums, ranges, gauge breaks, closures, sources."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from shapely.geometry import LineString

from corridors.data.atlas import load_atlas
from corridors.data.cpmm import Closure, Parameter, Parameters, read_parameters
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError
from corridors.network.graph import Leg, Route, load_network, shortest_route
from corridors.network.reach import RAIL_ROAD, rail_then_road
from corridors.network.travel import apply_assumptions, estimate_route, parse_assumptions


@pytest.fixture(scope="module")
def shipped_network():
    return load_network(load_atlas())


@pytest.fixture
def data_dir():
    return default_data_dir()


def _p(name: str, low: float, central: float, high: float, unit: str = "") -> Parameter:
    return Parameter(name, unit, low, central, high, (f"SRC-{name}",))


def _params(closures: tuple[Closure, ...] = ()) -> Parameters:
    rows = [
        _p("aaa_road_swod_kmh", 20, 25, 50), _p("bbb_road_swod_kmh", 20, 25, 50),
        _p("aaa_road_swd_kmh", 10, 10, 10), _p("bbb_road_swd_kmh", 10, 10, 10),
        _p("aaa_road_usd_per_500km", 500, 1000, 1500), _p("bbb_road_usd_per_500km", 500, 1000, 1500),
        _p("x_aaa_bbb_road_hours", 4.2, 24.2, 120), _p("x_aaa_bbb_road_usd", 100, 200, 300),
        _p("aaa_rail_swod_kmh", 50, 50, 50), _p("aaa_rail_swd_kmh", 20, 20, 20),
        _p("aaa_rail_usd_per_500km", 500, 500, 500),
        _p("transshipment_hours", 12, 30.5, 80.2), _p("transshipment_usd", 120, 224.5, 329),
    ]  # fmt: skip
    return Parameters({p.name: p for p in rows}, closures)


def _leg(a: str, b: str, countries: tuple, mode: str = "road", gauge: float | None = None) -> Leg:
    km = sum(k for _, k in countries)
    line = LineString([(0, 0), (1, 0)])
    return Leg(a, b, km, mode, "operating", True, "main", "c", f"{a}_{b}", countries, line, gauge)


def _route(*legs: Leg) -> Route:
    places = (legs[0].source, *(leg.target for leg in legs))
    return Route("transport", "all", places, places, legs)


def test_estimate_route__250_km_at_25_kmh_plus_one_crossing():
    route = _route(_leg("a", "x", (("AAA", 125.0), ("BBB", 125.0))))
    estimate = estimate_route(route, _params())
    assert estimate.hours.central == pytest.approx(34.2)  # 250 / 25 + 24.2
    assert estimate.hours.low == pytest.approx(250 / 50 + 4.2)  # fastest speed, quickest border
    assert estimate.hours.high == pytest.approx(250 / 20 + 120)
    assert estimate.usd.central == pytest.approx(250 * 1000 / 500 + 200)
    assert estimate.swd_hours.central == pytest.approx(25.0)
    assert estimate.borders[0]["bcp"] == "x" and estimate.borders[0]["fallback"] is False


def test_estimate_route__gauge_change_adds_transshipment():
    legs = (
        _leg("a", "b", (("AAA", 100.0),), "railway", 1520),
        _leg("b", "c", (("AAA", 100.0),), "railway", 1676),
    )
    estimate = estimate_route(_route(*legs), _params())
    assert estimate.hours.central == pytest.approx(200 / 50 + 30.5)
    assert estimate.usd.central == pytest.approx(200 + 224.5)
    assert estimate.transshipments[0]["reason"] == "1,520 → 1,676 mm gauge"


def test_estimate_route__mode_change_adds_transshipment():
    legs = (_leg("a", "b", (("AAA", 100.0),), "railway", 1520), _leg("b", "c", (("AAA", 50.0),)))
    estimate = estimate_route(_route(*legs), _params())
    assert [t["place"] for t in estimate.transshipments] == ["b"]


def test_estimate_route__khunjerab_closure_waits_until_it_opens():
    closures = (
        Closure("x", "12-01", "04-01", "SRC-A"),
        Closure("x", "11-01", "05-01", "SRC-B"),
        Closure("x", "", "", "SRC-C"),
    )
    route = _route(_leg("a", "x", (("AAA", 250.0),)))
    winter = estimate_route(route, _params(closures), date=dt.date(2025, 1, 15))
    summer = estimate_route(route, _params(closures), date=dt.date(2025, 7, 1))
    assert winter.hours.central - summer.hours.central == pytest.approx(76 * 24)  # to 1 April
    assert winter.hours.high - summer.hours.high == pytest.approx(106 * 24)  # to 1 May
    assert winter.hours.low == summer.hours.low  # the year-round opening source: no wait
    assert winter.waits[0]["sources"] == ["SRC-A", "SRC-B", "SRC-C"]


def test_estimate_route__missing_country_falls_back_and_says_so():
    params = _params()
    params.values["carec_road_swod_kmh"] = _p("carec_road_swod_kmh", 40, 40, 40)
    params.values["carec_road_swd_kmh"] = _p("carec_road_swd_kmh", 20, 20, 20)
    params.values["carec_road_usd_per_500km"] = _p("carec_road_usd_per_500km", 900, 900, 900)
    estimate = estimate_route(_route(_leg("a", "b", (("ZZZ", 80.0),))), params)
    assert estimate.hours.central == pytest.approx(2.0)
    assert estimate.legs[0]["fallback"] is True
    assert "used the CAREC-wide carec_road_swod_kmh" in estimate.gaps[0]


def test_estimate_route__every_parameter_used_has_a_source_key(shipped_network):
    params = read_parameters()
    for mode, status in (("road", "operating"), ("rail", "all")):
        route = shortest_route(shipped_network, "termez", "peshawar", mode=mode, status=status)
        record = estimate_route(route, params, date=dt.date(2025, 1, 15)).to_dict()
        assert record["parameters"]
        for name, parameter in record["parameters"].items():
            assert parameter["sources"], name
        for piece in record["legs"] + record["borders"]:
            assert piece["sources"], piece


def test_parse_assumptions__unknown_key_is_one_line():
    with pytest.raises(
        CorridorDataError, match=r"^--assume torkham_hourz=12: unknown parameter — known: "
    ):
        parse_assumptions(["torkham_hourz=12"], read_parameters())


def test_parse_assumptions__bad_value_is_one_line():
    with pytest.raises(CorridorDataError, match="value must be a number >= 0, got 'lots'"):
        parse_assumptions(["torkham_afg_pak_road_hours=lots"], read_parameters())


def test_apply_assumptions__override_is_marked_and_sourced():
    params = apply_assumptions(read_parameters(), {"torkham_afg_pak_road_hours": 12.0})
    torkham = params.values["torkham_afg_pak_road_hours"]
    assert (torkham.low, torkham.central, torkham.high, torkham.assumed) == (12, 12, 12, True)


def test_read_parameters__range_off_the_rule_is_one_line_error(tmp_path, data_dir):
    folder = tmp_path / "geodata"
    shutil.copytree(data_dir, folder)
    path = folder / "cpmm" / "parameters.csv"
    path.write_text(
        path.read_text().replace(
            "afg_road_swod_kmh,swod_kmh,AFG,road,,km/h,33.7,33.7",
            "afg_road_swod_kmh,swod_kmh,AFG,road,,km/h,33.7,40",
        )
    )
    with pytest.raises(
        CorridorDataError,
        match=r"parameters.csv: row \d+ \(afg_road_swod_kmh\): low, central, high must follow the rule",
    ):
        read_parameters(folder)


def test_read_parameters__bad_value_names_file_row_field(tmp_path, data_dir):
    folder = tmp_path / "geodata"
    shutil.copytree(data_dir, folder)
    path = folder / "cpmm" / "values.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",19.9,", ",n/a,", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        CorridorDataError, match=r"values.csv: row 2 \(.*\): value must be a number >= 0, got 'n/a'"
    ):
        read_parameters(folder)


def test_rail_then_road__termez_karachi_changes_at_peshawar(shipped_network, data_dir):
    route = rail_then_road(shipped_network, "termez", "karachi", status="all")
    rail = shortest_route(shipped_network, "termez", "peshawar", mode="rail", status="all")
    road = shortest_route(shipped_network, "peshawar", "karachi", mode="road", status="all")
    assert route.mode == RAIL_ROAD
    assert route.places == rail.places + road.places[1:]
    assert route.km == pytest.approx(rail.km + road.km)
    estimate = estimate_route(route, read_parameters(data_dir))
    assert [t["place"] for t in estimate.transshipments] == ["peshawar"]
    assert estimate.transshipments[0]["reason"] == "railway → road"
    parts = [estimate_route(r, read_parameters(data_dir)) for r in (rail, road)]
    transship = estimate.used["transshipment_hours"]
    assert estimate.hours.central == pytest.approx(
        parts[0].hours.central + parts[1].hours.central + transship.central
    )
    assert estimate.hours.low < estimate.hours.central < estimate.hours.high


def test_rail_then_road__operating_hands_over_where_the_rail_ends(shipped_network):
    route = rail_then_road(shipped_network, "termez", "karachi")
    modes = [leg.mode for leg in route.legs]
    assert modes[0] == "railway" and modes[-1] == "road"
    assert modes == sorted(modes)  # every rail leg comes before every road leg
    assert all(leg.built for leg in route.legs)


def test_rail_then_road__same_place_is_an_error(shipped_network):
    with pytest.raises(CorridorDataError, match="same place"):
        rail_then_road(shipped_network, "termez", "Termez")
