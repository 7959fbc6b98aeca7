"""Map pages without a browser: determinism, size, offline markup, facts and escaping at build."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
import shapely

from corridors.data.style import MODE_STYLE
from corridors.errors import CorridorDataError
from corridors.maps.facts import corridor_facts
from corridors.maps.features import countries_geojson, lines_geojson
from corridors.maps.html import json_text
from corridors.maps.pages import map_files, tile_layer
from corridors.maps.style import legend


def _block(page: str, name: str):
    match = re.search(rf'<script type="application/json" id="cm-data-{name}">(.*?)</script>', page)
    assert match, name
    return json.loads(match.group(1))


def test_map_files__a_second_build_is_byte_identical(built_maps, atlas, measures):
    again = dict(map_files(atlas, measures))
    assert sorted(again) == sorted(["index.html", *(f"corridors/{c}.html" for c in atlas.catalog)])
    for relative, data in again.items():
        assert (built_maps / relative).read_bytes() == data, relative


def test_atlas__is_under_two_megabytes(built_maps):
    assert (built_maps / "index.html").stat().st_size < 2 * 1024 * 1024


def test_pages__load_no_script_or_stylesheet_by_url(built_maps):
    for path in built_maps.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]*\bsrc=", page), path
        assert "<link" not in page, path
        assert "Leaflet 1.9.4" in page


def test_atlas__draws_every_segment_with_its_measured_km(built_maps, atlas, measures):
    page = (built_maps / "index.html").read_text(encoding="utf-8")
    features = _block(page, "segments")["features"]
    assert [f["properties"]["segment_id"] for f in features] == atlas.segments[
        "segment_id"
    ].tolist()
    tapi_tkm = next(f for f in features if f["properties"]["segment_id"] == "tapi_tkm")
    assert tapi_tkm["properties"]["length_km"] == round(measures.segment_km["tapi_tkm"], 1) == 224.3


def test_corridor_page__holds_only_its_segments(built_maps, atlas):
    page = (built_maps / "corridors" / "casa1000.html").read_text(encoding="utf-8")
    ids = [f["properties"]["segment_id"] for f in _block(page, "segments")["features"]]
    expected = atlas.segments.loc[atlas.segments["corridor_id"] == "casa1000", "segment_id"]
    assert ids == expected.tolist()
    assert _block(page, "config")["page"] == "corridor"


def test_hostile_names__reach_the_page_verbatim_and_run_nothing_at_build(hostile_maps):
    assert list(hostile_maps["workdir"].iterdir()) == []
    page = (hostile_maps["out"] / "index.html").read_text(encoding="utf-8")
    config = _block(page, "config")
    assert {cid: c["name"] for cid, c in config["corridors"].items()} == hostile_maps["corridors"]
    segments = _block(page, "segments")["features"]
    assert {f["properties"]["segment_id"]: f["properties"]["name"] for f in segments} == (
        hostile_maps["segments"]
    )
    sources = _block(page, "sources")
    assert all(sources[k]["text"] == hostile_maps["sources"][k] for k in sources)
    assert "{{ 7*7 }}" in hostile_maps["corridors"].values()


def test_hostile_names__title_is_escaped(hostile_maps):
    page = (hostile_maps["out"] / "corridors" / "tapi.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert title == "&lt;img src=x onerror=alert(1)&gt; &#8212; corridors atlas"


def test_map_pages__are_ascii_and_read_back_the_same_text(built_maps, atlas):
    # Non-ASCII text is escaped (\uXXXX in JSON and scripts, &#N; in HTML) so that the
    # browser parses the page on its one-byte path; the data reads back unchanged.
    pages = [built_maps / "index.html", *sorted((built_maps / "corridors").iterdir())]
    assert [p.name for p in pages if not p.read_bytes().isascii()] == []
    page = pages[0].read_text(encoding="ascii")
    assert "Galkynysh\\u2013Serhetabat" in page
    names = [f["properties"]["name"] for f in _block(page, "segments")["features"]]
    assert names == atlas.segments["name"].tolist()
    assert "TAPI Turkmen section: Galkynysh–Serhetabat" in names


def test_tile_layer__osm_is_openstreetmap():
    tiles = tile_layer("osm")
    assert tiles["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in tiles["attribution"]


def test_tile_layer__rejects_an_unknown_name():
    with pytest.raises(CorridorDataError, match="unknown tile layer 'nowhere'"):
        tile_layer("nowhere")


def test_lines_geojson__costs_under_30_bytes_per_vertex():
    rng = np.random.default_rng(5)
    start = rng.uniform([60, 25], [75, 45], size=(10_000, 1, 2))
    coords = start + np.cumsum(rng.normal(0, 0.05, size=(10_000, 12, 2)), axis=1)
    lines = gpd.GeoDataFrame(
        {"id": [f"l{i}" for i in range(10_000)]},
        geometry=shapely.linestrings(coords),
        crs=4326,
    )
    size = len(json_text(lines_geojson(lines, ["id"])).encode("utf-8"))
    assert size / coords[:, :, 0].size < 30


def test_lines_geojson__keeps_the_parts_of_a_multilinestring():
    multi = shapely.MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 3.000004)]])
    frame = gpd.GeoDataFrame({"id": ["m"]}, geometry=[multi], crs=4326)
    geometry = lines_geojson(frame, ["id"])["features"][0]["geometry"]
    assert geometry["type"] == "MultiLineString"
    assert [part.tolist() for part in geometry["coordinates"]] == [
        [[0.0, 0.0], [1.0, 1.0]],
        [[2.0, 2.0], [3.0, 3.0]],
    ]


def test_countries_geojson__keeps_every_country_in_code_order(atlas):
    features = countries_geojson(atlas.boundaries)["features"]
    codes = [f["properties"]["iso3"] for f in features]
    assert codes == sorted(atlas.boundaries["iso3"])


def test_legend__lists_each_mode_shown_in_table_order():
    sections = legend(["road", "gas_pipeline"], ["shelved"], ["approximate"], [])
    assert [e["label"] for e in sections[0]["entries"]] == ["Gas pipeline", "Road"]
    assert sections[0]["entries"][0]["color"] == MODE_STYLE["gas_pipeline"]["color"]


def test_corridor_facts__official_lengths_beside_measured(atlas, measures):
    facts = corridor_facts(atlas, measures, "tapi")
    assert len(facts["lengths"]) == len(atlas.catalog["tapi"]["official_lengths"])
    first = facts["lengths"][0]
    assert (first["scope"], first["official"]) == ("Whole corridor", "about 1,814 km")
    assert first["measured_km"] == facts["measured_km"] == round(measures.corridor_km["tapi"], 1)


def test_corridor_facts__km_per_country_add_up_to_the_main_route(atlas, measures):
    for corridor_id in atlas.catalog:
        facts = corridor_facts(atlas, measures, corridor_id)
        total = sum(row["km"] for row in facts["per_country"])
        assert total == pytest.approx(facts["measured_km"], abs=0.05 * len(facts["per_country"]))


def test_map_files__tiles_osm_adds_the_online_layer(atlas, measures):
    page = next(data for name, data in map_files(atlas, measures, tiles="osm"))
    tiles = _block(page.decode("utf-8"), "tiles")
    assert tiles["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert _block(page.decode("utf-8"), "config")["tiles"] is True


def test_main__build_with_unknown_tiles_fails_and_writes_nothing(tmp_path, capsys):
    from corridors.cli import main

    out = tmp_path / "out"
    assert main(["build", "--tiles", "nowhere", "--out", str(out)]) == 1
    assert "error: --tiles: unknown tile layer 'nowhere'" in capsys.readouterr().err
    assert not out.exists() or list(out.iterdir()) == []


def test_path_zoom__is_the_one_the_pages_scale_from():
    from corridors.maps.assets import static_text
    from corridors.maps.features import PATH_ZOOM

    assert f"var PATH_WORLD = 256 * Math.pow(2, {PATH_ZOOM});" in static_text("core.js")
