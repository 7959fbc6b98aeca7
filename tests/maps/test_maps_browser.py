"""The map pages in a real headless Chromium, opened over file:// with no network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from corridors.data.atlas import CORRIDOR_IDS
from corridors.data.style import MODE_STYLE

pytestmark = pytest.mark.browser

PAGES = ["index.html"] + [f"corridors/{c}.html" for c in CORRIDOR_IDS]


class Visit:
    """One page opened in a new tab, with everything it logged and requested."""

    def __init__(self, context: Any, path: Path) -> None:
        self.page = context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_function("document.documentElement.dataset.cmReady === '1'")

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def opened(map_context):
    """Open each page once for the whole module; checks that only read it share the visit."""
    cache: dict[Path, Visit] = {}

    def open_page(path: Path) -> Visit:
        if path not in cache:
            cache[path] = Visit(map_context, path)
        return cache[path]

    yield open_page
    for v in cache.values():
        v.close()


@pytest.fixture
def visit(map_context):
    """Open a page in a new tab, for checks that change it."""
    visits: list[Visit] = []

    def open_page(path: Path) -> Visit:
        visits.append(Visit(map_context, path))
        return visits[-1]

    yield open_page
    for v in visits:
        v.close()


def _segments_on(atlas, page: str):
    if page == "index.html":
        return atlas.segments
    corridor_id = Path(page).stem
    return atlas.segments[atlas.segments["corridor_id"] == corridor_id]


def _km_text(km: float) -> str:
    return f"{round(km, 1):,.1f}".removesuffix(".0") + " km"


@pytest.mark.parametrize("page", PAGES)
def test_page__opens_offline_without_errors(opened, built_maps, page):
    v = opened(built_maps / page)
    assert v.errors == []
    assert [u for u in v.requests if not u.startswith(("file:", "data:"))] == []
    assert v.js("typeof L !== 'undefined' && L.version") == "1.9.4"


@pytest.mark.parametrize("page", PAGES)
def test_page__draws_one_path_per_segment(opened, built_maps, atlas, page):
    v = opened(built_maps / page)
    expected = len(_segments_on(atlas, page))
    assert v.js("document.querySelectorAll('#map_corridors path.cm-line').length") == expected
    assert v.js("document.querySelectorAll('#map_corridors path.cm-hit').length") == expected


@pytest.mark.parametrize("page", PAGES)
def test_page__legend_lists_every_mode_shown(opened, built_maps, atlas, page):
    v = opened(built_maps / page)
    labels = v.js("Array.from(document.querySelectorAll('.cm-legend-label'), e => e.textContent)")
    for mode in set(_segments_on(atlas, page)["mode"]):
        assert MODE_STYLE[mode]["label"] in labels


_CLICK_POINT = """id => {
    const map = window.CorridorsMap.ctx.map;
    // The wide, invisible hit line over the drawn line takes the clicks; it has its points.
    const hit = window.CorridorsMap.ctx.segments[id].hit;
    let latlngs = hit.getLatLngs();
    if (Array.isArray(latlngs[0])) latlngs = latlngs[0];
    let best = null;
    for (let i = 1; i < latlngs.length; i++) {
        const a = map.latLngToContainerPoint(latlngs[i - 1]);
        const b = map.latLngToContainerPoint(latlngs[i]);
        const p = a.add(b).divideBy(2);
        const rect = map.getContainer().getBoundingClientRect();
        const x = rect.left + p.x, y = rect.top + p.y;
        const hit = document.elementFromPoint(x, y);
        // Where other lines lie under the pointer too, a click lists them (test_maps_overlaps).
        const alone = window.CorridorsMap.segmentsAt(window.CorridorsMap.ctx, p).length === 1;
        if (hit && hit.classList.contains("cm-hit") && alone && (!best || a.distanceTo(b) > best.d)) {
            best = {x: x, y: y, d: a.distanceTo(b)};
        }
    }
    return best;
}"""


@pytest.mark.parametrize("page", PAGES)
def test_page__clicking_a_corridor_opens_its_popup_with_measured_km(
    opened, built_maps, atlas, measures, page
):
    v = opened(built_maps / page)
    segments = _segments_on(atlas, page)
    names = dict(zip(segments["name"], segments["segment_id"], strict=True))
    point = next(
        p for p in (v.js(_CLICK_POINT, s) for s in segments["segment_id"]) if p is not None
    )
    v.page.mouse.click(point["x"], point["y"])
    v.page.wait_for_selector(".cm-popup")
    title = v.js("document.querySelector('.cm-popup-title').textContent")
    text = v.js("document.querySelector('.cm-popup').textContent")
    assert title in names
    assert f"Measured{_km_text(measures.segment_km[names[title]])} (this segment" in text


def test_atlas__hover_highlights_the_line(visit, built_maps, atlas):
    v = visit(built_maps / "index.html")
    point = v.js(_CLICK_POINT, "qtta_kkh")
    v.page.mouse.move(point["x"], point["y"])
    weight = v.js("window.CorridorsMap.ctx.segments['qtta_kkh'].line.options.weight")
    assert weight == 5.0 + 3


def test_atlas__search_finds_a_place_and_zooms_to_it(visit, built_maps):
    v = visit(built_maps / "index.html")
    v.page.fill(".cm-search input", "khunjerab")
    v.page.click(".cm-search-hit")
    assert v.js("window.CorridorsMap.ctx.map.getZoom()") >= 8
    # The chosen place's facts open in a popup (test_maps_a11y: it stays open).
    tips = v.js("Array.from(document.querySelectorAll('.leaflet-popup'), t => t.textContent)")
    assert any(tip.startswith("Khunjerab") for tip in tips)


def test_atlas__measure_tool_reports_the_geodesic(opened, built_maps):
    v = opened(built_maps / "index.html")
    km = v.js("""() => window.CorridorsMap.geodesicM(L.latLng(0, 0), L.latLng(0, 1)) / 1000""")
    assert km == pytest.approx(111.319, abs=0.001)


def test_atlas__layer_control_hides_a_mode(visit, built_maps, atlas):
    v = visit(built_maps / "index.html")
    roads = int((atlas.segments["mode"] == "road").sum())
    before = v.js("document.querySelectorAll('path.cm-line').length")
    v.page.click(".cm-layers .cm-toggle")
    v.page.click(".cm-group-title:has-text('Road') input")
    assert v.js("document.querySelectorAll('path.cm-line').length") == before - roads


def test_corridor_page__panel_shows_measured_against_official(opened, built_maps, measures):
    v = opened(built_maps / "corridors" / "tapi.html")
    panel = v.js("document.getElementById('cm-panel').textContent")
    assert "Official about 1,814 km" in panel
    assert f"measured {_km_text(measures.corridor_km['tapi'])}" in panel
    links = v.js("Array.from(document.querySelectorAll('#cm-panel a[href^=http]'), a => a.href)")
    assert links and all(link.startswith(("http://", "https://")) for link in links)


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names__render_as_text_and_run_nothing(opened, hostile_maps, page):
    v = opened(hostile_maps["out"] / page)
    assert v.errors == [] and v.dialogs == []
    assert v.js("window.__pwned === undefined && document.images.length === 0")
    assert [u for u in v.requests if not u.startswith(("file:", "data:"))] == []
    if page == "index.html":
        shown = v.js(
            "Array.from(document.querySelectorAll('.cm-group-entry span'), e => e.textContent)"
        )
        assert set(hostile_maps["corridors"].values()) <= set(shown)
        return
    corridor_id = Path(page).stem
    heading = v.js("document.querySelector('#cm-panel h1').textContent")
    assert heading == hostile_maps["corridors"][corridor_id]
    labels = v.js("Array.from(document.querySelectorAll('.cm-waypoint-label'), e => e.textContent)")
    places = hostile_maps["places"]
    waypoints = {
        p
        for w in hostile_maps["atlas"].segments.query("corridor_id == @corridor_id")["waypoints"]
        for p in w
    }
    for place in waypoints:
        assert any(label.startswith(places[place]) for label in labels), places[place]
    titles = v.js(
        "Array.from(document.querySelectorAll('#cm-panel .cm-sources [title]'), e => e.title)"
    )
    assert titles and set(titles) <= set(hostile_maps["sources"].values())


def test_atlas__screenshot_shows_every_mode_colour(visit, built_maps, atlas, tmp_path):
    from PIL import Image

    v = visit(built_maps / "index.html")
    path = tmp_path / "atlas.png"
    v.page.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=float).reshape(-1, 3)
    for mode in set(atlas.segments["mode"]):
        colour = MODE_STYLE[mode]["color"].lstrip("#")
        rgb = np.array([int(colour[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)
        near = np.linalg.norm(pixels - rgb, axis=1) < 40
        assert near.sum() >= 20, mode


def test_atlas__measure_tool_sums_clicked_legs_on_the_ellipsoid(visit, built_maps):
    from pyproj import Geod

    v = visit(built_maps / "index.html")
    v.page.click(".cm-measure .cm-button")
    box = v.page.locator("#map_corridors").bounding_box()
    for dx, dy in ((0.45, 0.3), (0.6, 0.55), (0.7, 0.4)):
        v.page.mouse.click(box["x"] + dx * box["width"], box["y"] + dy * box["height"])
    points = v.js("window.CorridorsMap.ctx.measure.points().map(p => [p.lng, p.lat])")
    lons, lats = zip(*points, strict=True)
    expected = Geod(ellps="WGS84").line_length(lons, lats) / 1000
    assert len(points) == 3
    assert v.js("window.CorridorsMap.ctx.measure.total()") == pytest.approx(expected, abs=1e-6)
    assert v.js("document.querySelector('.cm-measure-tip').textContent") == _km_text(expected)
