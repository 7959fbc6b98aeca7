"""The network built from the shipped geodata: Trans-Afghan railway, existing road, invariants."""

from __future__ import annotations

import networkx as nx
import pyproj
import pytest

from corridors.data.atlas import Atlas, load_atlas
from corridors.network.graph import NoRouteError, load_network, shortest_route

GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


@pytest.fixture(scope="module")
def network(atlas: Atlas) -> nx.MultiGraph:
    return load_network(atlas)


def _segment_km(atlas: Atlas, segment_id: str) -> float:
    (line,) = atlas.segments.loc[atlas.segments["segment_id"] == segment_id, "geometry"]
    return float(GEOD.geometry_length(line)) / 1000


def test_load_network__edges_of_each_segment_add_up_to_it(
    atlas: Atlas, network: nx.MultiGraph
) -> None:
    totals: dict[str, float] = {}
    for _, _, data in network.edges(data=True):
        totals[data["segment_id"]] = totals.get(data["segment_id"], 0.0) + data["km"]
    expected = {sid: _segment_km(atlas, sid) for sid in atlas.segments["segment_id"]}
    assert {sid: totals[sid] for sid in expected} == pytest.approx(expected, rel=1e-9)


def test_shortest_route__termez_peshawar_rail_uses_the_trans_afghan_railway(
    atlas: Atlas, network: nx.MultiGraph
) -> None:
    route = shortest_route(network, "Termez", "Peshawar", mode="rail", status="all")
    assert route.places == (
        "termez", "hairatan", "naibabad", "pul_e_khumri", "kabul", "jalalabad", "torkham", "peshawar",
    )  # fmt: skip
    assert list(route.km_by_corridor) == ["uap_railway"]
    assert route.alternatives == ["uap_alt_torkham"]
    whole = ("uap_termez_hairatan", "uap_hairatan_naibabad", "uap_alt_torkham")
    assert route.km == pytest.approx(sum(_segment_km(atlas, s) for s in whole))
    assert route.unbuilt_km == pytest.approx(_segment_km(atlas, "uap_alt_torkham"))
    assert [(c["from"], c["to"]) for c in route.crossings] == [("UZB", "AFG"), ("AFG", "PAK")]


def test_shortest_route__termez_peshawar_rail_has_no_operating_route(
    network: nx.MultiGraph,
) -> None:
    with pytest.raises(
        NoRouteError,
        match=r"^no rail route from Termez to Peshawar over operating links — Peshawar has no operating rail link\.$",
    ):
        shortest_route(network, "termez", "peshawar", mode="rail", status="operating")


def test_shortest_route__termez_peshawar_by_existing_road(network: nx.MultiGraph) -> None:
    route = shortest_route(network, "termez", "peshawar", mode="road")
    assert route.places == (
        "termez", "hairatan", "naibabad", "aibak", "pul_e_khumri", "salang_pass", "charikar",
        "kabul", "jalalabad", "torkham", "peshawar",
    )  # fmt: skip
    assert set(route.km_by_corridor) == {"network_links"}
    assert route.unbuilt_share == 0.0


def test_shortest_route__power_network_ends_where_casa_ac_ends(network: nx.MultiGraph) -> None:
    with pytest.raises(
        NoRouteError, match=r"reach only Batken, Isfana, Osh, Sughd 500 kV substation\.$"
    ):
        shortest_route(network, "datka", "nowshera", mode="power", status="all")
    route = shortest_route(network, "sangtuda", "nowshera", mode="power", status="all")
    assert set(route.km_by_corridor) == {"casa1000"}
    assert list(route.km_by_country) == ["TJK", "AFG", "PAK"]
