"""
Benchmark the map build and the maps in headless Chromium, against baselines in the same run.

* ``corridors build`` as a whole, and its map producer alone, with each map's size;
* a 10,000-line network (12 vertices a line) written as a map data block by
  :func:`corridors.maps.features.lines_geojson` + orjson, against folium's default path
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
from corridors.data.atlas import load_atlas
from corridors.maps.assets import leaflet_css, leaflet_js
from corridors.maps.facts import measure_atlas
from corridors.maps.features import countries_geojson, lines_geojson
from corridors.maps.html import json_text
from corridors.maps.inputs import MapInputs
from corridors.maps.pages import ATLAS_LAYERS, build_page, map_files

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


def first_render(browser: Any, path: Path) -> tuple[float, float, dict[str, float]]:
    """
    Ms from navigation start to the first frame painted after the page is ready, ms until
    the page's deferred work is done too (``data-cm-ready``; the first for the baseline),
    and the page's own timings of its layers (ms each, before that frame).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(FRAME_PROBE)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.__paintedAt !== undefined")
    painted = page.evaluate("window.__paintedAt")
    timings = page.evaluate("window.CorridorsMap ? CorridorsMap.timings : {}")
    done = painted
    if timings:
        page.wait_for_function("document.documentElement.dataset.cmReady === '1'")
        done = page.evaluate("CorridorsMap.doneAt")
    context.close()
    return painted, done, timings


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
    pages = {
        "empty Leaflet map": "empty.html",
        "atlas, all layers": "index.html",
        "atlas, corridor layers": "corridor_layers.html",
        "corridors/tapi.html": "corridors/tapi.html",
    }
    times: dict[str, list[float]] = {label: [] for label in pages}
    done: dict[str, list[float]] = {label: [] for label in pages}
    ratios: dict[str, list[float]] = {label: [] for label in pages}
    layers: dict[str, list[dict[str, float]]] = {label: [] for label in pages}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        empty_map(folder)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        # Each round opens every page once, the baseline first, and each page's ratio is
        # taken against the baseline of its own round: a machine that slows down for a
        # while slows both.
        for _ in range(repeats):
            base, _, _ = first_render(browser, folder / "empty.html")
            for label, name in pages.items():
                ms, all_ms, timings = (
                    (base, base, {})
                    if name == "empty.html"
                    else first_render(browser, folder / name)
                )
                times[label].append(ms)
                done[label].append(all_ms)
                ratios[label].append(ms / base)
                layers[label].append(timings)
        browser.close()
    print(f"time to first render in headless Chromium (file://), median of {repeats} rounds:")
    for label in pages:
        names = {name for timings in layers[label] for name in timings}
        median = {n: statistics.median(t.get(n, 0.0) for t in layers[label]) for n in names}
        top = sorted(median.items(), key=lambda item: -item[1])[:3]
        slowest = ", ".join(f"{n} {ms:.0f} ms" for n, ms in top)
        print(
            f"  {label:<24} {statistics.median(times[label]):7.0f} ms  "
            f"{statistics.median(ratios[label]):.2f}x"
            + (f"   all drawn {statistics.median(done[label]):4.0f} ms" if slowest else "")
            + (f"   slowest layers: {slowest}" if slowest else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller network")
    parser.add_argument(
        "--only", choices=["build", "network", "render"], help="run one of the three parts"
    )
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    rounds = 3 if args.quick else 15
    if args.only in (None, "build"):
        bench_build(repeats)
    if args.only in (None, "network"):
        bench_network(2_000 if args.quick else 10_000, repeats)
    if args.only in (None, "render"):
        bench_render(rounds)


if __name__ == "__main__":
    main()
