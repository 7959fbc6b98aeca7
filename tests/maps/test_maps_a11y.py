"""Accessibility of the map pages: WCAG 2.1 AA (axe-core), keyboard use and the search."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from map_pages import drawn_tab, page_block

from corridors.data.atlas import CORRIDOR_IDS
from corridors.data.style import LAND_FILLS, MODE_STYLE, STATUS_STYLE
from corridors.maps.assets import static_text

PAGES = ["index.html"] + [f"corridors/{c}.html" for c in CORRIDOR_IDS]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: The opacity below which a status is drawn faint on purpose (shelved); its width and the
#: legend tell it, so its lines are not held to the 3:1 of the others.
FAINT = 0.6


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    light, dark = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _over_white(hex_colour: str, opacity: float) -> str:
    """The colour a line of `opacity` shows over its white casing."""
    channels = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(opacity * c + (1 - opacity) * 255):02x}" for c in channels)


def test_land_fills__are_the_fills_the_pages_draw() -> None:
    found = re.search(
        r'fillColor: p\.on_route \? "(#[0-9a-f]{6})" : "(#[0-9a-f]{6})"', static_text("layers.js")
    )
    assert found, "layers.js no longer fills the countries as the test expects"
    assert [found.group(1), found.group(2)] == [LAND_FILLS["on_route"], LAND_FILLS["other"]]


@pytest.mark.parametrize("mode", sorted(MODE_STYLE))
@pytest.mark.parametrize("land", sorted(LAND_FILLS))
def test_line_colours__contrast_3_to_1_with_the_land_fill(mode: str, land: str) -> None:
    colour, fill = MODE_STYLE[mode]["color"], LAND_FILLS[land]
    assert _contrast(colour, fill) >= 3.0
    for status in STATUS_STYLE.values():
        if status["opacity"] >= FAINT:
            assert _contrast(_over_white(colour, status["opacity"]), fill) >= 3.0, status["label"]


def test_line_colours__six_distinct_colours() -> None:
    colours = [style["color"].lower() for style in MODE_STYLE.values()]
    assert len(set(colours)) == len(colours) == 6


def _violations(tab: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    response = Axe().run(tab, options=options).response
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in response["violations"]
    ]


def _open_a_popup_from_the_panel(tab: Any) -> None:
    """Open the facts of the first segment the panel lists, as a keyboard user would."""
    details = tab.locator("#cm-features details")
    if details.count():
        details.first.locator("summary").click()
    tab.locator(".cm-panel .cm-list-button:not(.cm-list-corridor)").first.click()
    tab.wait_for_selector(".leaflet-popup .cm-popup")
    # Contrast is measured on what is painted: wait for Leaflet's fade-in and zoom to end.
    tab.wait_for_function(
        """() => { const p = document.querySelector('.leaflet-popup');
                   return p && getComputedStyle(p).opacity === '1'
                       && !window.CorridorsMap.ctx.map._animatingZoom; }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page__axe_finds_no_wcag_21_aa_violation(map_context, built_maps: Path, page: str) -> None:
    with drawn_tab(map_context, built_maps / page) as (tab, problems):
        assert _violations(tab) == []
        # Again with the layer control, a popup and the search's results open.
        tab.click(".cm-layers .cm-toggle")
        _open_a_popup_from_the_panel(tab)
        tab.fill("#cm-search-input", "ka")
        assert tab.locator(".cm-search-hit").count() > 0
        assert tab.locator(".leaflet-popup").count() == 1
        assert _violations(tab) == []
        assert problems == []


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "corridors/tapi.html"])
def test_keyboard__search_box_within_five_tabs(map_context, built_maps: Path, page: str) -> None:
    with drawn_tab(map_context, built_maps / page) as (tab, _):
        for _ in range(5):
            tab.keyboard.press("Tab")
            if tab.evaluate("document.activeElement.id") == "cm-search-input":
                break
        assert tab.evaluate("document.activeElement.id") == "cm-search-input"


@pytest.mark.browser
def test_keyboard__map_shapes_are_no_tab_stops(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        focusable = tab.evaluate(
            """Array.from(document.querySelectorAll('#map_corridors path'))
                .filter(p => { p.focus(); return document.activeElement === p; }).length"""
        )
        assert tab.evaluate("document.querySelectorAll('#map_corridors path.cm-hit').length") > 0
        assert focusable == 0


def _popup_closed(tab: Any) -> None:
    # Leaflet fades a closed popup out before it removes it.
    tab.wait_for_function("!document.querySelector('.leaflet-popup')")


@pytest.mark.browser
def test_keyboard__corridor_facts_open_from_the_panel_and_esc_gives_focus_back(
    map_context, built_maps: Path
) -> None:
    corridors = page_block(built_maps / "index.html", "config")["corridors"]
    with drawn_tab(map_context, built_maps / "index.html") as (tab, problems):
        names = tab.eval_on_selector_all(
            ".cm-list-corridor", "nodes => nodes.map(n => n.textContent)"
        )
        assert names == [c["name"] for c in corridors.values()]
        segments = tab.locator("#cm-features .cm-list-button:not(.cm-list-corridor)").count()
        assert segments == len(page_block(built_maps / "index.html", "segments")["features"])
        button = tab.locator(".cm-list-corridor", has_text="TAPI").first
        button.focus()
        tab.keyboard.press("Enter")
        popup = tab.locator(".leaflet-popup")
        assert popup.locator(".cm-popup-title").text_content() == "TAPI gas pipeline"
        assert tab.evaluate("document.activeElement.getAttribute('role')") == "dialog"
        assert (
            tab.evaluate("document.activeElement.getAttribute('aria-label')") == "TAPI gas pipeline"
        )
        tab.keyboard.press("Tab")  # the popup's own links come next, not the map behind it
        assert tab.evaluate("!!document.activeElement.closest('.leaflet-popup')")
        tab.keyboard.press("Escape")
        _popup_closed(tab)
        assert tab.evaluate("document.activeElement.textContent") == "TAPI gas pipeline"
        assert problems == []


@pytest.mark.browser
def test_keyboard__segment_facts_open_from_the_corridor_panel(
    map_context, built_maps: Path
) -> None:
    with drawn_tab(map_context, built_maps / "corridors" / "tapi.html") as (tab, _):
        button = tab.locator(".cm-panel-table .cm-list-button").first
        name = button.text_content()
        button.focus()
        tab.keyboard.press("Enter")
        popup = tab.locator(".leaflet-popup")
        assert popup.locator(".cm-popup-title").text_content() == name
        assert "Measured" in popup.text_content()
        # The segment is fitted into view, its popup anchored on it.
        inside = tab.evaluate(
            """name => { const ctx = window.CorridorsMap.ctx;
                const seg = Object.values(ctx.segments).find(s => s.properties.name === name);
                return ctx.map.getBounds().contains(seg.anchor); }""",
            name,
        )
        assert inside
        tab.keyboard.press("Escape")
        _popup_closed(tab)
        assert tab.evaluate("document.activeElement.textContent") == name


@pytest.mark.browser
def test_mouse__a_click_on_a_line_leaves_no_focus_box(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        point = tab.evaluate(
            """() => { const ctx = window.CorridorsMap.ctx, map = ctx.map;
                const box = map.getContainer().getBoundingClientRect();
                for (const s of Object.values(ctx.segments)) {
                  const line = s.hit.getLatLngs().flat();
                  for (let i = 1; i < line.length; i++) {
                    const p = map.latLngToContainerPoint(line[i - 1])
                      .add(map.latLngToContainerPoint(line[i])).divideBy(2);
                    const x = box.left + p.x, y = box.top + p.y;
                    const el = document.elementFromPoint(x, y);
                    if (el && el.classList.contains('cm-hit')) return {x: x, y: y};
                  }
                }
                return null; }"""
        )
        assert point
        tab.mouse.click(point["x"], point["y"])
        tab.wait_for_selector(".leaflet-popup")
        active = tab.evaluate(
            """() => { const a = document.activeElement;
                return {path: a instanceof SVGElement, outline: getComputedStyle(a).outlineStyle,
                        popup: !!a.closest('.leaflet-popup')}; }"""
        )
        assert active == {"path": False, "outline": "none", "popup": True}


@pytest.mark.browser
def test_controls__toggles_tell_whether_they_are_open(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        for control in [".cm-layers", ".cm-legend"]:
            toggle = tab.locator(f"{control} .cm-toggle")
            before = toggle.get_attribute("aria-expanded")
            assert before in {"true", "false"}
            toggle.click()
            assert (
                toggle.get_attribute("aria-expanded") == {"true": "false", "false": "true"}[before]
            )


@pytest.mark.browser
def test_routes__buttons_say_what_they_draw(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        button = tab.locator("button[aria-label='Show Baku to Karachi with planned links']")
        assert button.text_content() == "planned"
        assert button.get_attribute("aria-pressed") == "false"
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        names = tab.eval_on_selector_all(
            ".cm-route-table button", "nodes => nodes.map(n => n.getAttribute('aria-label'))"
        )
        assert names and all(n.startswith("Show ") and " to " in n for n in names)


def _search(tab: Any, query: str) -> tuple[list[str], str]:
    tab.fill("#cm-search-input", query)
    hits = tab.eval_on_selector_all(".cm-search-hit", "nodes => nodes.map(n => n.textContent)")
    return hits, tab.text_content("#cm-search-status") or ""


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Gwadar", "Gwadar port"),
        ("TAPI", "TAPI gas pipeline corridor"),
        ("torkham", "Torkham place"),
        ("Kazakhstan", "Kazakhstan partner"),
        ("DUSHANBÉ", "Dushanbe capital"),
    ],
)
def test_search__finds_what_the_atlas_names(
    map_context, built_maps: Path, query: str, first: str
) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        hits, status = _search(tab, query)
        assert hits and hits[0] == first
        assert re.fullmatch(r"\d+ results?(, the first \d+ shown)?", status)
        assert int(status.split()[0]) >= len(hits)
        live = tab.locator("#cm-search-status")
        assert (live.get_attribute("role"), live.get_attribute("aria-live")) == ("status", "polite")


@pytest.mark.browser
def test_search__says_when_nothing_matches(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        assert _search(tab, "zzz") == ([], 'No match for "zzz"')


@pytest.mark.browser
def test_search__arrow_keys_and_enter_choose_and_the_popup_stays(
    map_context, built_maps: Path
) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, problems):
        hits, _ = _search(tab, "torkham")
        assert len(hits) >= 2
        tab.focus("#cm-search-input")
        tab.keyboard.press("ArrowDown")
        tab.keyboard.press("ArrowDown")
        assert tab.evaluate("document.activeElement.textContent") == hits[1]
        tab.keyboard.press("ArrowUp")
        assert tab.evaluate("document.activeElement.textContent") == hits[0] == "Torkham place"
        tab.keyboard.press("Enter")
        tab.wait_for_timeout(1000)
        popup = tab.locator(".leaflet-popup")
        assert popup.count() == 1
        assert popup.locator("strong").first.text_content() == "Torkham"
        # Fitted into the map's visible part, zoomed in on it.
        view = tab.evaluate(
            """() => { const map = window.CorridorsMap.ctx.map;
                const at = map.latLngToContainerPoint(map._popup.getLatLng()), size = map.getSize();
                return {x: at.x, y: at.y, w: size.x, h: size.y, zoom: map.getZoom()}; }"""
        )
        assert 0 < view["x"] < view["w"] and 0 < view["y"] < view["h"]
        assert view["zoom"] >= 8
        tab.keyboard.press("Escape")
        _popup_closed(tab)
        assert tab.evaluate("document.activeElement.id") == "cm-search-input"
        assert problems == []


@pytest.mark.browser
def test_search__a_chosen_port_stays_open(map_context, built_maps: Path) -> None:
    with drawn_tab(map_context, built_maps / "index.html") as (tab, _):
        _search(tab, "Gwadar")
        tab.click(".cm-search-hit")
        tab.wait_for_timeout(1000)
        assert tab.locator(".leaflet-popup strong").first.text_content() == "Gwadar"
        at = tab.evaluate("window.CorridorsMap.ctx.map._popup.getLatLng()")
        assert at == pytest.approx({"lat": 25.12639, "lng": 62.3225})
