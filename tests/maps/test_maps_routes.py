"""The network's comparison routes on the atlas: today's operating links against the planned network."""

from __future__ import annotations

import pytest
from map_pages import drawn_tab, page_block

from corridors.bilateral.tables import load_bilateral
from corridors.data.cpmm import read_parameters
from corridors.network.graph import load_network
from corridors.network.reach import comparison_routes, reach_table


@pytest.fixture(scope="module")
def routes_block(built_maps):
    return page_block(built_maps / "index.html", "routes")


@pytest.fixture(scope="module")
def network(atlas):
    return load_network(atlas)


def test_routes_block__one_entry_per_comparison_route(routes_block, atlas, network):
    routes = comparison_routes(network, load_bilateral(atlas.data_dir).partners)
    assert [r["label"] for r in routes_block["routes"]] == [label for label, _ in routes]
    assert [r["km"] for r in routes_block["routes"]] == [round(r.km, 1) for _, r in routes]
    legs = routes_block["legs"]["features"]
    assert len(legs) == sum(len(r.legs) for _, r in routes)
    assert {f["properties"]["route_index"] for f in legs} == set(range(len(routes)))


def test_routes_block__trans_afghan_rail_has_unbuilt_legs_and_no_operating_route(routes_block):
    rail = next(r for r in routes_block["rail_road"] if r["mode"] == "rail" and r["links"] == "all")
    today = next(
        r for r in routes_block["rail_road"] if r["mode"] == "rail" and r["links"] == "operating"
    )
    assert today["km"] is None and rail["km"] > 0
    index = [r["label"] for r in routes_block["routes"]].index("Termez → Peshawar, rail, all")
    legs = [f for f in routes_block["legs"]["features"] if f["properties"]["route_index"] == index]
    assert any(not f["properties"]["built"] for f in legs)
    assert "uap_railway" in {f["properties"]["corridor_id"] for f in legs}


def test_routes_block__reach_table_matches_the_reach_command(routes_block, atlas, network):
    params = read_parameters(atlas.data_dir)
    reach = reach_table(network, load_bilateral(atlas.data_dir).partners, params=params)
    assert routes_block["reach"] == reach
    uzb = next(r for r in routes_block["reach"] if r["partner"] == "UZB")
    assert uzb["karachi_today_hours"] == "141 (82–204)"


@pytest.mark.browser
def test_routes_layer__draws_the_chosen_routes_and_the_table(map_context, built_maps, routes_block):
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        assert page.evaluate("document.querySelectorAll('path.cm-route').length") == 0
        rows = page.evaluate(
            "Array.from(document.querySelectorAll('#cm-routes-panel tbody tr'), r => r.cells[0].innerText)"
        )
        assert "Tashkent → Karachi (from Termez)" in rows
        today = page.evaluate(
            "Array.from(document.querySelectorAll('#cm-routes-panel tbody tr'))"
            ".find(r => r.cells[0].innerText === 'Tashkent → Karachi (from Termez)').cells[1].innerText"
        )
        assert today.endswith("; 141 (82–204) h, 3,437 (3,204–3,692) USD")
        index = [r["label"] for r in routes_block["routes"]].index("Termez → Peshawar, rail, all")
        legs = [
            f for f in routes_block["legs"]["features"] if f["properties"]["route_index"] == index
        ]
        rail = page.locator("#cm-routes-panel tr", has_text="rail (with planned)")
        rail.get_by_role("button", name="show").click()
        drawn = page.evaluate(
            "Array.from(document.querySelectorAll('path.cm-route'), p => p.getAttribute('stroke-dasharray'))"
        )
        assert len(drawn) == len(legs)
        assert drawn.count("8 6") == sum(1 for f in legs if not f["properties"]["built"]) > 0
        assert problems == []


_CHOSEN_BOX = """() => Array.from(document.querySelectorAll('.cm-group-entry'))
    .find(row => row.textContent === 'Routes chosen in the panel').querySelector('input').checked"""


@pytest.mark.browser
def test_layer_control__follows_a_route_button_that_shows_the_chosen_routes(
    map_context, built_maps
):
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        page.click(".cm-layers .cm-toggle")
        page.locator(".cm-group-entry", has_text="Routes chosen in the panel").locator(
            "input"
        ).click()
        assert page.evaluate(_CHOSEN_BOX) is False
        rail = page.locator("#cm-routes-panel tr", has_text="rail (with planned)")
        rail.get_by_role("button", name="show").click()
        assert page.evaluate(_CHOSEN_BOX) is True
        assert page.evaluate("document.querySelectorAll('path.cm-route').length") > 0
        assert problems == []
