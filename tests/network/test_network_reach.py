"""The reach table, the Termez–Peshawar comparison, the route layer and the build producer."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.network.graph import load_network, shortest_route
from corridors.network.reach import (
    capital_origins,
    comparison_routes,
    missing_ports,
    rail_road_table,
    reach_table,
    routes_gdf,
)


@pytest.fixture(scope="module")
def network() -> nx.MultiGraph:
    return load_network(load_atlas())


@pytest.fixture(scope="module")
def partners() -> pd.DataFrame:
    return load_bilateral().partners


def test_capital_origins__capital_place_stand_in_or_none(
    network: nx.MultiGraph, partners: pd.DataFrame
) -> None:
    origins = {o.capital: o for o in capital_origins(network, partners)}
    assert (origins["Baku"].node, origins["Baku"].note) == ("baku", "")
    assert origins["Tashkent"].node == "termez"
    assert origins["Tashkent"].note.startswith(
        "Tashkent is not on the transport network; routes start at Termez, the nearest UZB place"
    )
    assert origins["Dushanbe"].node is None
    assert (
        origins["Dushanbe"].note
        == "Dushanbe is not on the transport network, nor is any TJK place."
    )


def test_reach_table__today_against_planned(network: nx.MultiGraph, partners: pd.DataFrame) -> None:
    rows = {r["partner"]: r for r in reach_table(network, partners)}
    bishkek = shortest_route(network, "bishkek", "karachi").km
    assert rows["KGZ"]["karachi_today_km"] == round(bishkek, 1)
    assert rows["KGZ"]["karachi_saved_km"] == 0.0
    assert rows["TKM"]["karachi_today_km"] is None
    assert rows["TKM"]["karachi_planned_via"] == ["pak_aze_rail", "ktap_railway"]
    assert "No route to Karachi over operating links today." in rows["TKM"]["note"]
    assert rows["UZB"]["karachi_saved_km"] == pytest.approx(
        rows["UZB"]["karachi_today_km"] - rows["UZB"]["karachi_planned_km"], abs=0.11
    )
    assert "karachi_today_km" not in rows["TJK"]
    assert missing_ports(network) == []
    karachi_gwadar = shortest_route(network, "karachi", "gwadar", mode="road").km
    assert rows["KGZ"]["gwadar_today_km"] == pytest.approx(
        rows["KGZ"]["karachi_today_km"] + karachi_gwadar, abs=0.11
    )


def test_rail_road_table__termez_peshawar(network: nx.MultiGraph) -> None:
    rows = {(r["mode"], r["links"]): r for r in rail_road_table(network)}
    assert rows["rail", "operating"]["km"] is None
    assert rows["rail", "all"]["via"] == ["uap_railway"]
    assert rows["road", "operating"]["via"] == ["network_links"]
    assert rows["road", "operating"]["km"] == rows["road", "all"]["km"]


def test_routes_gdf__one_row_per_leg_summing_to_each_route(
    network: nx.MultiGraph, partners: pd.DataFrame
) -> None:
    routes = comparison_routes(network, partners)
    frame = routes_gdf(routes)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == sum(len(route.legs) for _, route in routes)
    totals = frame.groupby("route", sort=False)["km"].sum()
    assert totals.to_dict() == pytest.approx({label: route.km for label, route in routes})
    assert "Termez → Peshawar, rail, all" in totals
