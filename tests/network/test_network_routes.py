"""Shortest routes on a hand-made network (tests/fixtures/network/toy.geojson) with known answers."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd
import pyproj
import pytest
import shapely

from corridors.errors import CorridorDataError
from corridors.network.graph import NoRouteError, build_network, resolve_place, shortest_route

TOY = Path(__file__).parents[1] / "fixtures" / "network" / "toy.geojson"
GEOD = pyproj.Geod(ellps="WGS84")
DEGREE_KM = 111.31949079327357  # one degree of longitude on the WGS 84 equator


def _km(*points: tuple[float, float]) -> float:
    return float(GEOD.line_length([p[0] for p in points], [p[1] for p in points])) / 1000


def _toy_layers() -> dict[str, gpd.GeoDataFrame]:
    features = json.loads(TOY.read_text(encoding="utf-8"))["features"]
    layers: dict[str, list[dict]] = {}
    for feature in features:
        row = dict(feature["properties"])
        row["geometry"] = shapely.geometry.shape(feature["geometry"])
        layers.setdefault(row.pop("layer"), []).append(row)
    return {
        name: gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
        for name, rows in layers.items()
    }


@pytest.fixture(scope="module")
def layers() -> dict[str, gpd.GeoDataFrame]:
    return _toy_layers()


@pytest.fixture(scope="module")
def toy(layers: dict[str, gpd.GeoDataFrame]) -> nx.MultiGraph:
    return build_network(layers["segment"], layers["place"], layers["boundary"])


def test_build_network__one_edge_per_waypoint_pair(toy: nx.MultiGraph) -> None:
    assert toy.number_of_nodes() == 7
    assert sorted(k for _, _, k in toy.edges(keys=True)) == [
        "pipe_ab/0", "rail_abc/0", "rail_abc/1", "rail_ae_alt/0", "rail_ce/0",
        "rail_fg/0", "road_adc/0", "road_adc/1",
    ]  # fmt: skip
    edge = toy.edges["alpha", "bravo", "rail_abc/0"]
    assert edge["km"] == pytest.approx(DEGREE_KM)
    assert (edge["mode"], edge["status"], edge["corridor_id"], edge["countries"]) == (
        "railway", "operating", "north_rail", ("AFG",),
    )  # fmt: skip


def test_build_network__edges_add_up_to_the_segment(toy: nx.MultiGraph) -> None:
    legs = [toy.edges["alpha", "delta", "road_adc/0"], toy.edges["delta", "charlie", "road_adc/1"]]
    assert [leg["km"] for leg in legs] == pytest.approx(
        [_km((0, 0), (0.8, 1)), _km((0.8, 1), (2, 0))]
    )
    assert sum(leg["km"] for leg in legs) == pytest.approx(_km((0, 0), (0.8, 1), (2, 0)))


def test_build_network__splits_at_point_nearest_an_off_line_waypoint(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    places = layers["place"].copy()
    places.loc[places["id"] == "bravo", "geometry"] = shapely.Point(1.0, 0.2)
    graph = build_network(layers["segment"], places, layers["boundary"])
    assert graph.edges["alpha", "bravo", "rail_abc/0"]["km"] == pytest.approx(DEGREE_KM)
    assert graph.edges["bravo", "charlie", "rail_abc/1"]["km"] == pytest.approx(DEGREE_KM)


def test_build_network__km_outside_every_country(toy: nx.MultiGraph) -> None:
    country_km = toy.edges["foxtrot", "golf", "rail_fg/0"]["country_km"]
    assert [iso3 for iso3, _ in country_km] == ["PAK", "sea"]
    assert [km for _, km in country_km] == pytest.approx([2 * DEGREE_KM, DEGREE_KM])


def test_shortest_route__rail_operating_with_country_split(toy: nx.MultiGraph) -> None:
    route = shortest_route(toy, "alpha", "charlie", mode="rail", status="operating")
    assert route.places == ("alpha", "bravo", "charlie")
    assert route.km == pytest.approx(2 * DEGREE_KM)
    assert route.km_by_country == pytest.approx({"AFG": 1.5 * DEGREE_KM, "PAK": 0.5 * DEGREE_KM})
    assert route.crossings == [{"from": "AFG", "to": "PAK", "leg": "bravo–charlie"}]
    assert route.unbuilt_share == 0.0


def test_shortest_route__planned_link_counts_as_unbuilt(toy: nx.MultiGraph) -> None:
    route = shortest_route(toy, "Alpha", "ECHO", mode="rail", status="all")
    assert route.places == ("alpha", "bravo", "charlie", "echo")
    assert route.km == pytest.approx(3 * DEGREE_KM)
    assert route.unbuilt_km == pytest.approx(DEGREE_KM)
    assert route.unbuilt_share == pytest.approx(1 / 3)
    assert route.km_by_corridor == pytest.approx({"north_rail": 3 * DEGREE_KM})
    assert route.alternatives == []


def test_shortest_route__uses_an_alternative_when_it_is_the_only_way(
    layers: dict[str, gpd.GeoDataFrame],
) -> None:
    segments = layers["segment"][layers["segment"]["segment_id"] != "rail_ce"]
    graph = build_network(segments, layers["place"], layers["boundary"])
    route = shortest_route(graph, "alpha", "echo", mode="rail", status="all")
    assert route.places == ("alpha", "echo")
    assert route.km == pytest.approx(_km((0, 0), (1.5, -1), (3, 0)))
    assert route.alternatives == ["rail_ae_alt"]


def test_shortest_route__road_is_its_own_network(toy: nx.MultiGraph) -> None:
    route = shortest_route(toy, "alpha", "charlie", mode="road")
    assert route.places == ("alpha", "delta", "charlie")
    assert route.km == pytest.approx(_km((0, 0), (0.8, 1), (2, 0)))


def test_shortest_route__transport_changes_mode_at_a_shared_place(toy: nx.MultiGraph) -> None:
    route = shortest_route(toy, "delta", "bravo", mode="transport")
    assert route.places == ("delta", "alpha", "bravo")
    assert [leg.mode for leg in route.legs] == ["road", "railway"]
    assert route.km == pytest.approx(_km((0.8, 1), (0, 0)) + DEGREE_KM)


def test_shortest_route__legs_are_oriented_in_travel_order(toy: nx.MultiGraph) -> None:
    route = shortest_route(toy, "charlie", "alpha", mode="rail")
    assert [leg.geometry.coords[0] for leg in route.legs] == [(2.0, 0.0), (1.0, 0.0)]
    assert route.crossings == [{"from": "PAK", "to": "AFG", "leg": "charlie–bravo"}]


def test_shortest_route__no_operating_link_at_the_end(toy: nx.MultiGraph) -> None:
    with pytest.raises(
        NoRouteError,
        match=r"^no rail route from Alpha to Echo over operating links — Echo has no operating rail link",
    ):
        shortest_route(toy, "alpha", "echo", mode="rail")


def test_shortest_route__disconnected_pair_names_what_is_reachable(toy: nx.MultiGraph) -> None:
    with pytest.raises(
        NoRouteError,
        match=r"from Alpha they reach only Bravo, Charlie \(junction\)\. Try --status all\.$",
    ):
        shortest_route(toy, "alpha", "foxtrot", mode="rail")


def test_shortest_route__pipeline_does_not_ride_the_railway(toy: nx.MultiGraph) -> None:
    with pytest.raises(
        NoRouteError, match=r"Charlie \(junction\) has no existing or planned pipeline link"
    ):
        shortest_route(toy, "alpha", "charlie", mode="pipeline", status="all")


def test_shortest_route__rejects_unknown_mode_and_same_place(toy: nx.MultiGraph) -> None:
    with pytest.raises(CorridorDataError, match="unknown mode 'air' — use one of transport, rail"):
        shortest_route(toy, "alpha", "bravo", mode="air")
    with pytest.raises(CorridorDataError, match="are the same place"):
        shortest_route(toy, "alpha", "Alpha")


def test_resolve_place__ids_and_names_in_any_case(toy: nx.MultiGraph) -> None:
    assert [resolve_place(toy, t) for t in ("charlie", "Charlie", "CHARLIE (JUNCTION)")] == [
        "charlie"
    ] * 3


def test_resolve_place__unknown_name_lists_close_matches(toy: nx.MultiGraph) -> None:
    with pytest.raises(
        CorridorDataError, match=r"^unknown place 'Alfa' — did you mean alpha \(Alpha\)\?$"
    ):
        resolve_place(toy, "Alfa")
    with pytest.raises(CorridorDataError, match=r"give a place id or name from places\.geojson"):
        resolve_place(toy, "Zzyzx")
