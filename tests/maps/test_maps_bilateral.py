"""The partners' trade choropleth and profile cards on the atlas, and bilateral context on corridor pages."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest
from map_pages import Tabs, drawn_tab, open_drawn, page_block

from corridors.bilateral.tables import load_bilateral
from corridors.data.paths import default_data_dir
from corridors.maps.bilateral import cached_bilateral, class_breaks, trade_classes
from corridors.maps.features import countries_geojson
from corridors.maps.inputs import MapInputs
from corridors.maps.pages import atlas_page, corridor_page

#: Injection strings put into the bilateral tables' text; none may run or be interpreted.
HOSTILE = [
    "<img src=x onerror=window.__x=1>",
    "</script><script>window.__y=1</script>",
    "${window.__z=1}",
    "{{ 7*7 }}",
    "{#",
]
HOSTILE_FIELDS = {
    "partners.csv": ["name", "recognition_notes"],
    "trade.csv": ["notes"],
    "mechanisms.csv": ["name", "notes"],
    "visits.csv": ["visitor"],
    "agreements.csv": ["title"],
    "connectivity.csv": ["notes"],
}
PARTNERS = ["AZE", "KAZ", "KGZ", "TJK", "TKM", "UZB"]


@pytest.fixture(scope="module")
def tab(map_context, built_maps):
    """The shipped atlas, opened once for the checks that only read it."""
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        yield page
        assert problems == []


@pytest.fixture
def fresh(map_context):
    """New tabs for a check that changes the page; they are closed after it."""
    tabs = Tabs(map_context)
    yield tabs
    tabs.close()


def _poison(folder: Path) -> None:
    for name, fields in HOSTILE_FIELDS.items():
        path = folder / name
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for number, row in enumerate(rows):
            for field in fields:
                row[field] = f"{HOSTILE[number % len(HOSTILE)]} {row[field]}"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_pages(atlas, measures, tmp_path_factory) -> dict[str, Any]:
    """The atlas and the CASA-1000 page built from bilateral tables full of injection strings."""
    data = tmp_path_factory.mktemp("hostile_bilateral") / "geodata"
    shutil.copytree(default_data_dir() / "bilateral", data / "bilateral")
    _poison(data / "bilateral")
    hostile = dataclasses.replace(atlas, data_dir=data)
    basemap = countries_geojson(atlas.boundaries)
    out = tmp_path_factory.mktemp("hostile_bilateral_maps")
    (out / "index.html").write_text(atlas_page(MapInputs(hostile, measures, basemap)), "utf-8")
    page = corridor_page(MapInputs(hostile, measures, basemap, "casa1000"))
    (out / "casa1000.html").write_text(page, "utf-8")
    return {"out": out, "bilateral": load_bilateral(data)}


def test_class_breaks__fisher_jenks_sets_kazakhstan_and_uzbekistan_apart():
    # Totals (exports + imports): AZE 6.14, KAZ 251.82, KGZ 5.18, TJK 29.16, TKM 4.75, UZB 111.62.
    assert class_breaks([6.14, 251.82, 5.18, 29.16, 4.75, 111.62]) == [29.16, 111.62, 251.82]


def test_trade_classes__balance_classes_the_deficit_apart():
    # Turkmenistan: exports 1.96 − imports 2.79 = −0.83, the only deficit.
    balance = {"AZE": 3.96, "KAZ": 249.58, "KGZ": 4.52, "TJK": 22.84, "TKM": -0.83, "UZB": 71.32}
    classes = trade_classes(balance, diverging=True)
    assert classes["partner"]["TKM"] == 0
    assert classes["colors"][0] == "#e6550d"
    assert classes["labels"] == ["-0.83", "3.96 – 22.84", "71.32", "249.58"]


def test_bilateral_block__kazakhstan_values_from_the_tables(built_maps):
    block = page_block(built_maps / "index.html", "bilateral")
    measures = {m["key"]: m for m in block["measures"]}
    assert measures["exports"]["values"]["KAZ"] == 250.7
    assert measures["imports"]["values"]["KAZ"] == 1.12
    assert measures["total"]["values"]["KGZ"] == 5.18  # 4.85 + 0.33
    kaz = next(p for p in block["partners"] if p["iso3"] == "KAZ")
    assert kaz["relations_established"]["date"] == "1992-02-24"
    assert kaz["trade_latest"]["agency"] == "Ministry of Commerce"
    assert [c["id"] for c in kaz["corridors"]] == ["qtta", "ktap_railway"]
    assert "MOFA-SEED" in block["sources"]


def test_cached_bilateral__rereads_edited_tables(atlas, tmp_path):
    shutil.copytree(default_data_dir() / "bilateral", tmp_path / "bilateral")
    copy = dataclasses.replace(atlas, data_dir=tmp_path)
    before = cached_bilateral(copy)
    _poison(tmp_path / "bilateral")
    after = cached_bilateral(copy)
    assert before.partners["name"].iloc[0] == "Azerbaijan"
    assert after.partners["name"].iloc[0] == f"{HOSTILE[0]} Azerbaijan"


_DRAWN = """() => {
    const ctx = window.CorridorsMap.ctx;
    return ctx.bilateral.layer.getLayers()
        .filter(p => ctx.map.hasLayer(p) && p._renderer === ctx.basemapRenderer
            && p._pxBounds.intersects(p._renderer._bounds))
        .map(p => p.feature.properties.iso3);
}"""

#: A point of the viewport where a click lands on partner `iso3`'s polygon (its SVG path).
_INSIDE = """iso3 => {
    const map = window.CorridorsMap.ctx.map;
    const polygon = window.CorridorsMap.ctx.bilateral.paths[iso3];
    const rect = map.getContainer().getBoundingClientRect();
    const size = map.getSize();
    for (let y = 20; y < size.y; y += 15) {
        for (let x = 20; x < size.x; x += 15) {
            if (document.elementFromPoint(rect.left + x, rect.top + y) === polygon._path) {
                return {x: rect.left + x, y: rect.top + y};
            }
        }
    }
    return null;
}"""

#: The basemap's SVG: its paths, and for each partner how many of them are its polygon.
_BASEMAP = """() => {
    const ctx = window.CorridorsMap.ctx;
    const paths = Array.from(ctx.basemapRenderer._container.querySelectorAll('path'));
    const partners = {};
    Object.entries(ctx.bilateral.paths).forEach(([iso3, layer]) => {
        partners[iso3] = paths.filter(p => p === layer._path).length;
    });
    return {paths: paths.length, partners: partners};
}"""


@pytest.mark.browser
def test_choropleth__draws_one_polygon_per_partner_on_the_basemap(tab, built_maps):
    assert sorted(tab.evaluate(_DRAWN)) == PARTNERS
    # Each partner is one path of the basemap's SVG, above the countries' own paths.
    drawn = tab.evaluate(_BASEMAP)
    assert drawn["partners"] == dict.fromkeys(PARTNERS, 1)
    countries = page_block(built_maps / "index.html", "countries")["features"]
    assert drawn["paths"] == len(countries) + len(PARTNERS)


@pytest.mark.browser
def test_choropleth__legend_shows_a_colour_bar_of_the_classes(tab):
    assert tab.is_visible(".cm-trade .cm-colorbar")
    labels = tab.evaluate(
        "Array.from(document.querySelectorAll('.cm-colorbar-class span'), e => e.textContent)"
    )
    assert labels == ["4.75 – 29.16", "111.62", "251.82"]
    radios = tab.evaluate(
        "Array.from(document.querySelectorAll('.cm-trade label'), l => l.textContent)"
    )
    assert [r.strip() for r in radios] == [
        "Total trade (exports + imports)",
        "Pakistan's exports",
        "Pakistan's imports",
        "Balance (exports − imports)",
    ]


@pytest.mark.browser
def test_partner_popup__shows_kazakhstans_profile(fresh, built_maps):
    page, problems = open_drawn(fresh, built_maps / "index.html")
    point = page.evaluate(_INSIDE, "KAZ")
    page.mouse.click(point["x"], point["y"])
    card = page.wait_for_selector(".cm-partner-popup .cm-card[data-iso3='KAZ']")
    text = card.inner_text()
    expected = [
        "Diplomatic relations established 24 February 1992",
        "exports US$ 250.7 million",
        "imports US$ 1.12 million",
        "agency: Ministry of Commerce; basis: receipts/payments",
        "13 sessions held; latest session on 14 April 2025 in Islamabad",
        "4 February 2026: President Kassym-Jomart Tokayev",
        "QTTA road routes",
        "MOFA-SEED",
    ]
    assert [phrase for phrase in expected if phrase not in text] == []
    assert problems == []


@pytest.mark.browser
def test_trade_radio__switching_to_balance_recolours_turkmenistan(fresh, built_maps):
    page, _ = open_drawn(fresh, built_maps / "index.html")
    fill = "() => window.CorridorsMap.ctx.bilateral.paths.TKM.options.fillColor"
    assert page.evaluate(fill) == "#deebf7"  # total 4.75: the lowest class
    page.check(".cm-trade input[value='balance']")
    assert page.evaluate(fill) == "#e6550d"  # balance −0.83: the deficit class
    labels = page.evaluate(
        "Array.from(document.querySelectorAll('.cm-colorbar-class span'), e => e.textContent)"
    )
    assert labels[0] == "-0.83"


@pytest.mark.browser
def test_corridor_page__lists_the_partners_it_serves(fresh, built_maps):
    page, problems = open_drawn(fresh, built_maps / "corridors" / "casa1000.html")
    cards = page.evaluate(
        "Array.from(document.querySelectorAll('#cm-bilateral-context .cm-card'), c => c.dataset.iso3)"
    )
    assert cards == ["KGZ", "TJK"]
    text = page.inner_text("#cm-bilateral-context")
    assert "total stated US$ 5.18 million" in text
    assert "3 December 2025: 16 MoUs/Agreements" in text
    assert problems == []


_CARD_TEXTS = """() => {
    const CM = window.CorridorsMap;
    const holder = document.body.appendChild(document.createElement("div"));
    return CM.readBlock("bilateral").partners.map(p => {
        const card = holder.appendChild(CM.profileCard(CM.ctx, p, "corridors/", 3));
        return card.innerText;
    });
}"""


@pytest.mark.browser
def test_hostile_bilateral_text__renders_as_text_and_runs_nothing(fresh, hostile_pages):
    page, problems = open_drawn(fresh, hostile_pages["out"] / "index.html")
    page.evaluate("() => { CorridorsMap.ctx.bilateral.paths.AZE.openPopup(); }")
    popup = page.inner_text(".cm-partner-popup .cm-card[data-iso3='AZE']")
    assert popup.startswith(f"{HOSTILE[0]} Azerbaijan")
    cards = page.evaluate(_CARD_TEXTS)
    names = hostile_pages["bilateral"].partners["name"].tolist()
    assert [card.split("\n")[0] for card in cards] == names
    every = "\n".join(cards)
    assert all(text in every for text in HOSTILE)
    assert "{{ 7*7 }} Tajikistan" in page.inner_text("#cm-timeline")
    corridor, corridor_problems = open_drawn(fresh, hostile_pages["out"] / "casa1000.html")
    context_text = corridor.inner_text("#cm-bilateral-context")
    assert "{{ 7*7 }} Tajikistan" in context_text and "49" not in context_text
    for tab in (page, corridor):
        assert tab.evaluate("[window.__x, window.__y, window.__z]") == [None, None, None]
        assert tab.evaluate("document.querySelectorAll('.cm-card img').length") == 0
    assert problems == [] and corridor_problems == []
