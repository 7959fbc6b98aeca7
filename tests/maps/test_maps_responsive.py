"""The map pages from a 320 px phone to a 2560 px screen, rotated, resized and printed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from map_pages import page_block

from corridors.data.atlas import CORRIDOR_IDS

PAGES = ["index.html"] + [f"corridors/{c}.html" for c in CORRIDOR_IDS]
PHONE = (390, 844)
#: Window sizes (CSS px); the phone is opened in a touch context at device scale factor 3.
SIZES = [(320, 568), PHONE, (768, 1024), (1024, 768), (1400, 900), (2560, 1440)]

#: What a page shows of its map: the map's box, the part of it the panel or sheet leaves in
#: view, the room its controls take, and where the fitted region lies in it.
_LAYOUT = """() => {
    const CM = window.CorridorsMap, ctx = CM.ctx, map = ctx.map;
    const box = map.getContainer().getBoundingClientRect();
    const area = r => Math.max(0, r.width) * Math.max(0, r.height);
    const cut = (r, s) => {
        const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        return w > 0 && h > 0 ? w * h : 0;
    };
    const view = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
    let covered = 0;
    for (const node of document.querySelectorAll("#cm-panel, #cm-sheet-handle")) {
        covered += cut(node.getBoundingClientRect(), box);
    }
    let controls = 0;
    for (const node of document.querySelectorAll(".leaflet-control")) {
        controls += cut(node.getBoundingClientRect(), box);
    }
    // Boxes over the map (each control, the sheet and its handle), in map pixels.
    const over = Array.from(document.querySelectorAll(".leaflet-control, #cm-panel, #cm-sheet-handle"),
        n => n.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0)
        .map(r => [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    const nw = map.latLngToContainerPoint(ctx.bounds.getNorthWest());
    const se = map.latLngToContainerPoint(ctx.bounds.getSouthEast());
    const size = map.getSize();
    return {
        viewport: innerWidth * innerHeight,
        map: area(box),
        onScreen: cut(box, view) - covered,
        controls: controls,
        size: [size.x, size.y],
        container: [box.width, box.height],
        region: [nw.x, nw.y, se.x, se.y],
        over: over,
        zoom: map.getZoom(),
        lines: document.querySelectorAll("#map_corridors path.cm-line").length,
        drawn: Array.from(document.querySelectorAll("#map_corridors path.cm-line"),
            p => p.getAttribute("d") && p.getBoundingClientRect().width > 0).filter(Boolean).length,
        layout: document.documentElement.dataset.cmLayout,
        scrollWidth: document.documentElement.scrollWidth,
    };
}"""

#: Print media: the panel's sections and whether each is shown whole, and the controls shown.
_PRINTED = """() => {
    const shown = n => n.getClientRects().length > 0 && getComputedStyle(n).display !== "none"
        && getComputedStyle(n).visibility !== "hidden";
    const panel = document.getElementById("cm-panel");
    const height = document.documentElement.scrollHeight;
    const sections = Array.from(panel.querySelectorAll("section"), s => {
        const r = s.getBoundingClientRect();
        let clipped = false;
        for (let a = s.parentElement; a && a !== document.body; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (style.overflowY !== "visible" && a.scrollHeight > a.clientHeight + 1) clipped = true;
        }
        return {
            title: s.querySelector("h2").textContent,
            shown: shown(s) && r.height > 0,
            inside: r.top + scrollY >= 0 && r.bottom + scrollY <= height + 1,
            clipped: clipped,
        };
    });
    const controls = ".leaflet-control-zoom, .cm-layers, .cm-search, .cm-measure, .cm-fullscreen,"
        + " .cm-minimap, #cm-sheet-handle, .leaflet-control-container button";
    const ctx = window.CorridorsMap.ctx, map = ctx.map;
    const nw = map.latLngToContainerPoint(ctx.bounds.getNorthWest());
    const se = map.latLngToContainerPoint(ctx.bounds.getSouthEast());
    const size = map.getSize(), box = map.getContainer().getBoundingClientRect(), c = map.getContainer();
    const legend = document.querySelector(".cm-legend-body");
    const over = Array.from(document.querySelectorAll(".leaflet-control"), n => n.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0)
        .map(r => [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    return {
        sections: sections,
        controls: Array.from(document.querySelectorAll(controls)).filter(shown).map(n => n.className),
        legend: shown(legend) && legend.getBoundingClientRect().height > 40,
        region: [nw.x, nw.y, se.x, se.y],
        over: over,
        size: [size.x, size.y],
        container: [c.clientWidth, c.clientHeight],
        before: box.bottom <= panel.getBoundingClientRect().top + 1,
    };
}"""


@pytest.fixture(scope="module")
def phone_context(browser: Any) -> Iterator[Any]:
    """A phone: 390 x 844 CSS px, touch, device scale factor 3."""
    context = browser.new_context(
        viewport={"width": PHONE[0], "height": PHONE[1]},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    yield context
    context.close()


class Tab:
    """A page opened at a window size, with what it logged as errors."""

    def __init__(self, context: Any, path: Path, size: tuple[int, int]) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.set_viewport_size({"width": size[0], "height": size[1]})
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.documentElement.dataset.cmReady === '1'")

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def resize(self, width: int, height: int) -> None:
        """Resize the window and wait until the page has followed (core.js watchSize)."""
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_function(f"window.CorridorsMap.ctx.layoutFor === '{width}x{height}'")


@pytest.fixture
def tab(map_context: Any, phone_context: Any) -> Iterator[Any]:
    """Open a page at a size (the phone size in the phone context); closed after the test."""
    tabs: list[Tab] = []

    def open_tab(path: Path, size: tuple[int, int]) -> Tab:
        tabs.append(Tab(phone_context if size == PHONE else map_context, path, size))
        return tabs[-1]

    yield open_tab
    for t in tabs:
        t.page.close()


def _segment_count(atlas: Any, page: str) -> int:
    if page == "index.html":
        return len(atlas.segments)
    return int((atlas.segments["corridor_id"] == Path(page).stem).sum())


def _clear(region: list[float], boxes: list[list[float]], slack: float = 2.0) -> bool:
    """Whether the region's pixel box [x0, y0, x1, y1] overlaps none of `boxes` (give or take)."""
    x0, y0, x1, y1 = region[0] + slack, region[1] + slack, region[2] - slack, region[3] - slack
    return all(b[2] <= x0 or b[0] >= x1 or b[3] <= y0 or b[1] >= y1 for b in boxes)


def _inside(region: list[float], room: list[float], slack: float = 2.0) -> bool:
    """Whether the region's pixel box [x0, y0, x1, y1] lies inside `room` (give or take)."""
    return (
        region[0] >= room[0] - slack
        and region[1] >= room[1] - slack
        and region[2] <= room[2] + slack
        and region[3] <= room[3] + slack
    )


def _check_layout(t: Tab, lines: int, size: tuple[int, int]) -> None:
    layout = t.js(_LAYOUT)
    assert t.errors == []
    assert layout["layout"] == ("narrow" if size[0] < 760 else "wide")
    assert layout["lines"] == layout["drawn"] == lines
    assert layout["size"] == [round(v) for v in layout["container"]]
    assert layout["onScreen"] >= 0.5 * layout["viewport"]
    assert layout["controls"] <= layout["map"] / 3
    assert _inside(layout["region"], [0, 0, *layout["size"]]), layout
    assert _clear(layout["region"], layout["over"]), layout
    assert layout["scrollWidth"] <= size[0]


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("page", PAGES)
def test_page__lays_out_the_map_at_every_size(tab, built_maps, atlas, page, size):
    _check_layout(tab(built_maps / page, size), _segment_count(atlas, page), size)


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "corridors/tapi.html"])
def test_page__lays_out_the_map_at_200_percent_zoom(tab, built_maps, atlas, page):
    # A 1400 x 900 window zoomed to 200 % is 700 x 450 CSS px: the phone layout, turned.
    _check_layout(tab(built_maps / page, (700, 450)), _segment_count(atlas, page), (700, 450))


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "corridors/tapi.html"])
def test_page__follows_a_rotation_and_back(tab, built_maps, atlas, page):
    t = tab(built_maps / page, PHONE)
    t.resize(844, 390)
    turned = t.js(_LAYOUT)
    assert turned["layout"] == "wide"
    assert turned["size"] == [round(v) for v in turned["container"]] and turned["size"][1] == 390
    assert _clear(turned["region"], turned["over"]), turned
    t.resize(*PHONE)
    back = t.js(_LAYOUT)
    assert back["layout"] == "narrow" and back["size"] == [PHONE[0], PHONE[1] - 44]
    assert _clear(back["region"], back["over"]), back
    assert back["drawn"] == _segment_count(atlas, page)
    assert t.errors == []


@pytest.mark.browser
def test_page__waits_out_a_window_too_small_for_the_map(tab, built_maps, atlas):
    t = tab(built_maps / "corridors" / "tapi.html", PHONE)
    t.resize(300, 40)  # the sheet's handle takes all of it: the map has no height
    assert t.js("window.CorridorsMap.ctx.map.getSize().y") == 0
    t.resize(*PHONE)
    back = t.js(_LAYOUT)
    assert back["size"] == [PHONE[0], PHONE[1] - 44] and _clear(back["region"], back["over"])
    assert t.errors == []


@pytest.mark.browser
def test_page__keeps_a_moved_view_when_resized(tab, built_maps):
    t = tab(built_maps / "corridors" / "tapi.html", (1400, 900))
    t.js("window.CorridorsMap.ctx.map.setView([30, 70], 7, {animate: false})")
    t.resize(1000, 700)
    assert t.js("window.CorridorsMap.ctx.map.getZoom()") == 7
    assert t.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("page", ["index.html", "corridors/tapi.html"])
def test_sheet__opens_and_closes_with_its_handle(tab, built_maps, page):
    t = tab(built_maps / page, PHONE)
    handle = t.page.locator("#cm-sheet-handle")
    panel = t.page.locator("#cm-panel")
    assert handle.is_visible() and handle.get_attribute("aria-expanded") == "false"
    assert handle.get_attribute("aria-controls") == "cm-panel"
    assert handle.inner_text().strip() != ""
    assert not panel.is_visible()
    handle.tap()
    assert handle.get_attribute("aria-expanded") == "true" and panel.is_visible()
    box = panel.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(PHONE[1], abs=1)
    assert 0.3 * PHONE[1] <= box["height"] <= 0.7 * PHONE[1]
    assert t.js("document.getElementById('cm-panel').scrollWidth <= innerWidth")
    handle.tap()
    assert handle.get_attribute("aria-expanded") == "false" and not panel.is_visible()
    handle.tap()
    panel.locator("a, button, input").first.focus()
    t.page.keyboard.press("Escape")
    assert handle.get_attribute("aria-expanded") == "false" and not panel.is_visible()
    assert t.js("document.activeElement.id") == "cm-sheet-handle"
    assert t.errors == []


@pytest.mark.browser
def test_sheet__is_a_column_beside_the_map_on_a_wide_screen(tab, built_maps):
    t = tab(built_maps / "corridors" / "tapi.html", (1400, 900))
    assert not t.page.locator("#cm-sheet-handle").is_visible()
    panel = t.page.locator("#cm-panel").bounding_box()
    map_box = t.page.locator("#map_corridors").bounding_box()
    assert panel["x"] == pytest.approx(map_box["x"] + map_box["width"], abs=1)
    assert panel["width"] == 380 and panel["height"] == 900


def _facts_titles(path: Path) -> list[str]:
    facts = page_block(path, "facts")
    titles = ["Key facts", "Length: measured vs official", "Measured km per country", "Segments"]
    optional = [
        ("capacity", "Capacity"),
        ("cost", "Cost"),
        ("milestones", "Milestones"),
        ("conflicts", "Figures that disagree"),
    ]
    return titles + [title for key, title in optional if facts[key]]


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1400, 900), PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("corridor", CORRIDOR_IDS)
def test_print__shows_the_fitted_map_then_every_facts_section(tab, built_maps, corridor, size):
    path = built_maps / "corridors" / f"{corridor}.html"
    t = tab(path, size)
    t.page.emulate_media(media="print")
    t.page.wait_for_function("document.body.classList.contains('cm-printing')")
    printed = t.js(_PRINTED)
    titles = [s["title"] for s in printed["sections"]]
    assert set(_facts_titles(path)) <= set(titles)
    for section in printed["sections"]:
        assert section["shown"] and section["inside"] and not section["clipped"], section
    assert printed["controls"] == []
    assert printed["legend"] and printed["before"]
    assert printed["size"] == [round(v) for v in printed["container"]]
    assert _inside(printed["region"], [0, 0, *printed["size"]])
    assert _clear(printed["region"], printed["over"]), printed
    t.page.emulate_media(media="screen")
    t.page.wait_for_function("!document.body.classList.contains('cm-printing')")
    assert t.errors == []


@pytest.mark.browser
def test_print__atlas_prints_the_map_with_its_legend(tab, built_maps):
    t = tab(built_maps / "index.html", (1400, 900))
    t.page.emulate_media(media="print")
    t.page.wait_for_function("document.body.classList.contains('cm-printing')")
    printed = t.js(_PRINTED)
    assert printed["controls"] == [] and printed["legend"] and printed["before"]
    assert _inside(printed["region"], [0, 0, *printed["size"]])
    assert _clear(printed["region"], printed["over"]), printed
    assert all(s["shown"] and not s["clipped"] for s in printed["sections"])
    assert t.errors == []


@pytest.mark.parametrize("page", PAGES)
def test_page__allows_pinch_zoom_and_says_its_language(built_maps, page):
    text = (built_maps / page).read_text(encoding="utf-8")
    viewports = re.findall(r'<meta name="viewport" content="([^"]*)"', text)
    assert viewports == ["width=device-width, initial-scale=1"]
    assert re.search(r"<html lang=\"en\">", text)
