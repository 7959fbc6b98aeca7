"""
Benchmark the map build and the maps in headless Chromium, against baselines in the same run.

* ``corridors build`` as a whole, and its map producer alone, with each map's size;
* a 10,000-line network (12 vertices a line) written as a map data block by
  :func:`corridors.map_data.lines_geojson` + orjson, against folium's default path
  (``folium.GeoJson`` rendered into a map): seconds and bytes per vertex;
* time to first render of the atlas and a corridor page in headless Chromium, opened
  over ``file://``, against an empty Leaflet map inlined the same way.

Times are wall-clock seconds, the median of a few repeats. Run
``python benchmarks/bench_build.py`` (about a minute) or add ``--quick``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely

from corridors.build import build
from corridors.data import load_atlas
from corridors.map_assets import leaflet_css, leaflet_js
from corridors.map_data import countries_geojson, lines_geojson
from corridors.map_facts import measure_atlas
from corridors.map_html import json_text
from corridors.maps import ATLAS_LAYERS, MapInputs, build_page, map_files

#: The atlas layers this benchmark also times on their own (without the bilateral ones).
CORRIDOR_LAYERS_ONLY = ("tiles", "countries", "segments", "places", "crossings", "sources")

CHROMIUM = "/usr/bin/chromium"


def timed(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Return the median wall time of `repeats` runs and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def network(lines: int, vertices: int, seed: int = 5) -> gpd.GeoDataFrame:
    """Return random-walk lines in 60–75°E, 25–45°N with an id and a name."""
    rng = np.random.default_rng(seed)
    start = rng.uniform([60, 25], [75, 45], size=(lines, 1, 2))
    coords = start + np.cumsum(rng.normal(0, 0.05, size=(lines, vertices, 2)), axis=1)
    return gpd.GeoDataFrame(
        {"id": [f"l{i}" for i in range(lines)], "name": [f"Link {i}" for i in range(lines)]},
        geometry=shapely.linestrings(coords),
        crs=4326,
    )


def bench_build(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        whole, written = timed(lambda: build(out_dir=out), 1)
    atlas = load_atlas()
    measured, measures = timed(lambda: measure_atlas(atlas), repeats)
    pages, files = timed(lambda: dict(map_files(atlas, measures)), repeats)
    print(f"corridors build (all producers): {whole:.2f} s, {len(written)} files")
    print(f"  maps: measure {measured:.2f} s + pages {pages:.2f} s = {measured + pages:.2f} s")
    for name, data in sorted(files.items()):
        print(f"  {name:<28} {len(data) / 1024:8.1f} KB")


def bench_network(lines: int, repeats: int) -> None:
    frame = network(lines, 12)
    vertices = lines * 12
    ours, block = timed(lambda: json_text(lines_geojson(frame, ["id", "name"])), repeats)

    def with_folium() -> str:
        fmap = folium.Map(tiles=None)
        folium.GeoJson(frame[["id", "name", "geometry"]]).add_to(fmap)
        return fmap.get_root().render()

    theirs, page = timed(with_folium, 1)
    ours_b, theirs_b = len(block.encode()) / vertices, len(page.encode()) / vertices
    print(f"{lines:,} lines x 12 vertices ({vertices:,} vertices):")
    print(f"  lines_geojson + orjson: {ours:.3f} s, {ours_b:.1f} B/vertex")
    print(f"  folium.GeoJson render : {theirs:.3f} s, {theirs_b:.1f} B/vertex")
    print(f"  ratio folium / ours: time {theirs / ours:.1f}x, size {theirs_b / ours_b:.2f}x")


def empty_map(folder: Path) -> Path:
    """Write an empty Leaflet map with Leaflet inlined exactly as in the atlas."""
    path = folder / "empty.html"
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<style>{leaflet_css()}</style><script>{leaflet_js()}</script>"
        "<style>html,body,#m{width:100%;height:100%;margin:0}</style></head>"
        "<body><div id='m'></div><script>L.map('m').setView([35, 65], 5);"
        "window.readyAt = performance.now();</script></body></html>",
        encoding="utf-8",
    )
    return path


#: Injected before any page script: note the end of the first frame painted once `ready`
#: is set (a message posted from the frame's animation callback runs after its paint).
FRAME_PROBE = """(() => {
    const ready = () => window.readyAt !== undefined ? window.readyAt
        : window.CorridorsMap && window.CorridorsMap.readyAt;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { window.__paintedAt = performance.now(); };
    const frame = () => {
        if (ready() === undefined) requestAnimationFrame(frame);
        else channel.port2.postMessage(0);
    };
    requestAnimationFrame(frame);
})();"""


def first_render(browser: Any, path: Path, repeats: int) -> tuple[float, str]:
    """Median ms from navigation start to the first frame painted after the page is ready."""
    times, layers = [], []
    for _ in range(repeats):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_init_script(FRAME_PROBE)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("window.__paintedAt !== undefined")
        times.append(page.evaluate("window.__paintedAt"))
        layers.append(page.evaluate("window.CorridorsMap ? CorridorsMap.timings : {}"))
        context.close()
    names = {name for timings in layers for name in timings}
    median = {name: statistics.median(t.get(name, 0.0) for t in layers) for name in names}
    top = sorted(median.items(), key=lambda item: -item[1])[:3]
    return statistics.median(times), ", ".join(f"{n} {ms:.0f} ms" for n, ms in top)


def bench_render(repeats: int) -> None:
    if not Path(CHROMIUM).exists():
        print(f"time to first render: skipped ({CHROMIUM} is not installed)")
        return
    from playwright.sync_api import sync_playwright

    atlas = load_atlas()
    measures = measure_atlas(atlas)
    files = dict(map_files(atlas, measures))
    inputs = MapInputs(atlas, measures, countries_geojson(atlas.boundaries))
    only = [layer for layer in ATLAS_LAYERS if layer.name in CORRIDOR_LAYERS_ONLY]
    files["corridor_layers.html"] = build_page(inputs, only, "corridor layers").encode()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        base, _ = first_render(browser, empty_map(folder), repeats)
        print("time to first render in headless Chromium (file://):")
        print(f"  empty Leaflet map        {base:7.0f} ms  1.00x")
        for name, label in (
            ("index.html", "atlas, all layers"),
            ("corridor_layers.html", "atlas, corridor layers"),
            ("corridors/tapi.html", "corridors/tapi.html"),
        ):
            ms, slowest = first_render(browser, folder / name, repeats)
            print(f"  {label:<24} {ms:7.0f} ms  {ms / base:.2f}x   slowest layers: {slowest}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller network")
    parser.add_argument(
        "--only", choices=["build", "network", "render"], help="run one of the three parts"
    )
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    if args.only in (None, "build"):
        bench_build(repeats)
    if args.only in (None, "network"):
        bench_network(2_000 if args.quick else 10_000, repeats)
    if args.only in (None, "render"):
        bench_render(repeats)


if __name__ == "__main__":
    main()
