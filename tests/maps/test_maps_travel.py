"""Segment popups give hours and USD ranges beside km, from the same model as `corridors route`."""

from __future__ import annotations

from pathlib import Path

import pytest
from map_pages import drawn_tab

from corridors.data.cpmm import read_parameters
from corridors.maps.facts import Measures
from corridors.network.graph import load_network, segment_route, shortest_route
from corridors.network.reach import rail_road_table
from corridors.network.travel import estimate_route


def test_segment_travel__transport_segments_only_and_as_the_model_gives(
    atlas, measures: Measures
) -> None:
    travel = measures.segment_travel
    modes = atlas.segments.set_index("segment_id")["mode"]
    assert travel and {modes[s] for s in travel} <= {"railway", "road", "ferry"}
    assert not any(modes[s] in {"gas_pipeline", "power_line", "fibre"} for s in travel)
    row = atlas.segments.set_index("segment_id").loc["qtta_karachi_hasan_abdal"]
    route = segment_route(load_network(atlas), "qtta_karachi_hasan_abdal", list(row["waypoints"]))
    assert route is not None and route.legs[0].segment_id == "qtta_karachi_hasan_abdal"
    estimate = estimate_route(route, read_parameters(atlas.data_dir))
    low, central, high = travel["qtta_karachi_hasan_abdal"][:3]
    assert low <= central <= high
    assert central == round(estimate.hours.central, 1)
    assert travel["qtta_karachi_hasan_abdal"][4] == round(estimate.usd.central)


@pytest.mark.browser
def test_popup__a_road_segment_shows_time_and_cost(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "corridors" / "qtta.html") as (tab, problems):
        tab.locator(".cm-panel-table .cm-list-button").first.click()
        tab.wait_for_selector(".leaflet-popup .cm-popup")
        facts = tab.locator(".leaflet-popup .cm-facts").inner_text()
        assert "Time, cost" in facts
        line = next(x for x in facts.splitlines() if " h (" in x)
        assert "USD (" in line
        assert problems == []


def test_rail_road_table__hours_and_usd_for_each_found_route(atlas) -> None:
    graph, params = load_network(atlas), read_parameters(atlas.data_dir)
    rows = rail_road_table(graph, params=params)
    found = [r for r in rows if r["km"] is not None]
    assert [(r["mode"], r["links"]) for r in found] == [
        ("rail", "all"), ("road", "operating"), ("road", "all")
    ]  # fmt: skip
    road = shortest_route(graph, "termez", "peshawar", mode="road", status="operating")
    hours = estimate_route(road, params).hours
    assert found[1]["hours"] == f"{hours.central:,.0f} ({hours.low:,.0f}–{hours.high:,.0f})"
    assert all("usd" in r for r in found) and "hours" not in rows[0]


@pytest.mark.browser
def test_routes_panel__rail_against_road_with_hours_and_usd(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, problems):
        panel = tab.locator("#cm-routes-panel")
        panel.wait_for()
        text = panel.inner_text()
        section = text.lower().split("rail against road")[1]
        assert section.count(") h, ") == 3 and section.count(") usd") == 3
        assert problems == []
