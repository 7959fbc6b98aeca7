"""Lines drawn over each other: a click lists every line under the pointer to choose from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from map_pages import drawn_tab

from corridors.data.paths import default_data_dir

pytestmark = pytest.mark.browser

N5 = "QTTA Karachi–Multan–Lahore–Rawalpindi–Hasan Abdal (N-5)"
ML1 = "Pakistan Railways Islamabad–Rohri–Quetta–Taftan (ML-1/ML-4)"


def _leg_middle(corridor: str, segment_id: str, leg: int) -> tuple[float, float]:
    """The middle (latitude, longitude) of leg `leg` of a segment, from geodata/."""
    path = default_data_dir() / "corridors" / f"{corridor}.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    (feature,) = [f for f in features if f["properties"]["segment_id"] == segment_id]
    (lon0, lat0), (lon1, lat1) = feature["geometry"]["coordinates"][leg : leg + 2]
    return (lat0 + lat1) / 2, (lon0 + lon1) / 2


def _click(page: Any, latlng: tuple[float, float]) -> None:
    x, y = page.evaluate(
        """ll => {
            const map = CorridorsMap.ctx.map;
            const p = map.latLngToContainerPoint(ll);
            const box = map.getContainer().getBoundingClientRect();
            return [p.x + box.left, p.y + box.top];
        }""",
        list(latlng),
    )
    page.mouse.click(x, y)


def _choices(page: Any) -> list[str]:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-popup .cm-choose-option'),"
        " b => b.innerText.replace(/\\n+/g, ' | '))"
    )


def _popup_title(page: Any) -> str | None:
    return page.evaluate(
        "(document.querySelector('.leaflet-popup .cm-popup-title') || {}).textContent || null"
    )


@pytest.fixture
def atlas_tab(map_context: Any, built_maps: Path) -> Any:
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        yield page
        assert problems == []


def test_overlap__n5_road_and_ml1_railway_are_both_listed(atlas_tab):
    # N-5 runs Sukkur–Multan (its leg 2) beside the ML-1 railway's Multan–Rohri leg.
    _click(atlas_tab, _leg_middle("qtta", "qtta_karachi_hasan_abdal", 2))
    assert _popup_title(atlas_tab) == "2 lines here: choose one"
    assert sorted(_choices(atlas_tab)) == [
        f"{ML1} | Pakistan–Azerbaijan rail link · Railway",
        f"{N5} | QTTA road routes · Road",
    ]


@pytest.mark.parametrize(
    ("segment_id", "name", "corridor"),
    [
        ("qtta_karachi_hasan_abdal", N5, "QTTA road routes"),
        ("pak_aze_pak", ML1, "Pakistan–Azerbaijan rail link"),
    ],
)
def test_overlap__choosing_a_line_opens_its_popup(atlas_tab, segment_id, name, corridor):
    _click(atlas_tab, _leg_middle("qtta", "qtta_karachi_hasan_abdal", 2))
    atlas_tab.click(f".leaflet-popup .cm-choose-option[data-segment={segment_id}]")
    atlas_tab.wait_for_selector(".leaflet-popup .cm-choose", state="detached")  # it fades out
    assert _popup_title(atlas_tab) == name
    assert atlas_tab.text_content(".leaflet-popup .cm-popup-corridor") == corridor
    assert atlas_tab.locator(".leaflet-popup").count() == 1
    assert _choices(atlas_tab) == []


def test_overlap__a_single_line_opens_its_popup_directly(atlas_tab):
    # N-5's Karachi–Hyderabad leg has no other line near it.
    _click(atlas_tab, _leg_middle("qtta", "qtta_karachi_hasan_abdal", 0))
    assert _popup_title(atlas_tab) == N5
    assert _choices(atlas_tab) == []


def test_overlap__segments_at_finds_lines_by_distance_not_stacking(atlas_tab):
    ids = atlas_tab.evaluate(
        """ll => {
            const ctx = CorridorsMap.ctx;
            const at = ctx.map.latLngToContainerPoint(ll);
            return CorridorsMap.segmentsAt(ctx, at).map(s => s.properties.segment_id);
        }""",
        list(_leg_middle("qtta", "qtta_karachi_hasan_abdal", 2)),
    )
    assert sorted(ids) == ["pak_aze_pak", "qtta_karachi_hasan_abdal"]
