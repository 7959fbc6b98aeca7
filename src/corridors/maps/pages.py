r"""
Interactive maps: the atlas (``index.html``) and one page per corridor, offline and safe.

How a page is made
------------------
1. folium renders the page skeleton — the HTML document, the map ``<div>``, the
   ``L.map`` call and the scale bar — from a :class:`folium.Map` with a fixed id and
   no data in it.
2. :func:`corridors.maps.assets.inline_assets` replaces every ``<script src>`` and
   stylesheet ``<link>`` with the file's content (Leaflet from the
   ``django-js-lib-leaflet`` package), so the page loads nothing from the network.
3. :func:`corridors.maps.html.inject` writes in, after rendering, one
   ``<script type="application/json" id="cm-data-NAME">`` block per layer, the
   config block, and the page's own scripts from ``corridors/maps/static``. Data
   never passes through Jinja, and the scripts write it into the page only as
   text, so names such as ``{{ 7*7 }}`` or ``</script>`` show as written.

Adding a layer (the extension point)
------------------------------------
A layer is a :class:`Layer`: a name, a payload function and a script. To add one:

* write ``payload(inputs: MapInputs) -> JSON-ready value | None`` (``None`` leaves
  the layer off that page) — numbers, strings, lists, dicts, NumPy arrays; use
  :func:`corridors.maps.features.lines_geojson` for many lines (about 20 bytes a vertex);
* write ``corridors/maps/static/NAME.js`` that calls
  ``CorridorsMap.layer("NAME", function (ctx, data) {...})`` and draws `data` on
  ``ctx.map``, registering toggles with ``CorridorsMap.addOverlay(ctx, group, entry)``
  and search entries in ``ctx.search`` (helpers: ``CorridorsMap.el``,
  ``CorridorsMap.link``; never pass data to ``innerHTML`` or as a Leaflet string).
  Whatever takes room beside or over the map (a panel section, a control) or widens
  the initial view (``ctx.bounds``) goes in ``{setup: fn}``, run before the map is
  fitted; work the first frame can do without goes in ``CorridorsMap.later(task)``,
  and a layer whose whole drawing can wait (a panel) passes ``{later: true}`` (its
  data block is then read only after the first frame); polygons written by
  :func:`corridors.maps.features.country_paths` go on ``ctx.basemapRenderer`` with
  ``CorridorsMap.polygons``, lines written by :func:`corridors.maps.features.with_line_paths`
  are drawn with ``new CorridorsMap.Shape(feature, style, data.origin)``;
* append ``Layer("NAME", payload, "NAME.js")`` to :data:`ATLAS_LAYERS` and/or
  :data:`CORRIDOR_LAYERS`. Legend sections can be added the same way through the
  payload (see ``map_style.legend``).

Determinism: features come in atlas order (catalog order, then file order),
places and crossings are sorted, coordinates are rounded to 1e-5° for display (path
data to whole Web Mercator pixels at zoom 17, at most 1.2 m),
JSON keys are sorted and element ids are fixed, so two builds are byte-identical.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
import xyzservices

from corridors.bilateral.tables import Bilateral
from corridors.data.atlas import Atlas
from corridors.errors import CorridorDataError
from corridors.maps.assets import LEAFLET_CSS_URL, LEAFLET_JS_URL, inline_assets, static_text
from corridors.maps.bilateral import (
    atlas_bilateral,
    bilateral_context,
    network_routes,
    panel_styles,
)
from corridors.maps.facts import (
    Measures,
    area_name,
    cited_sources,
    corridor_summary,
    measure_atlas,
)
from corridors.maps.features import (
    countries_geojson,
    country_paths,
    lines_geojson,
    points_geojson,
    source_entries,
    with_line_paths,
)
from corridors.maps.html import inject, json_block, script_block, style_block
from corridors.maps.inputs import MapInputs
from corridors.maps.style import legend, style_table
from corridors.maps.timeline import atlas_timeline

__all__ = [
    "ATLAS_LAYERS",
    "CONTROLS",
    "CORRIDOR_LAYERS",
    "Layer",
    "atlas_page",
    "build_page",
    "corridor_page",
    "map_files",
    "produce_maps",
    "render_page",
    "tile_layer",
]

log = logging.getLogger(__name__)

MAP_ID = "corridors"
#: Corridor pages open closer in: finer borders, clipped to this margin around the corridor.
CORRIDOR_TOLERANCE_DEG = 0.01
CORRIDOR_MARGIN_DEG = (16.0, 8.0)  # longitude, latitude: pages are wider than tall
_ID = re.compile(r"^[a-z0-9_]+$")
SEGMENT_PROPERTIES = (
    "segment_id",
    "corridor_id",
    "name",
    "mode",
    "status",
    "role",
    "route_accuracy",
    "countries",
    "sources",
    "notes",
    "length_km",
    "travel",
)


class _OfflineMap(folium.Map):
    """A folium map that asks only for Leaflet, which the inliner provides."""

    default_js = [("leaflet", LEAFLET_JS_URL)]  # noqa: RUF012 (folium declares it so)
    default_css = [("leaflet_css", LEAFLET_CSS_URL)]  # noqa: RUF012


@dataclass(frozen=True)
class Layer:
    """A data block of a page and the script (in ``corridors/maps/static``) that draws it."""

    name: str
    payload: Callable[[MapInputs], Any]
    script: str = "layers.js"


def tile_layer(name: str) -> dict[str, Any]:
    """
    Return the URL template and attribution of an online tile layer.

    ``osm`` is OpenStreetMap; any other name is looked up in xyzservices (for
    example ``CartoDB.Positron``). Providers that need an API key are refused.

    Examples
    --------
    >>> tile_layer("osm")["url"]
    'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
    """
    query = "OpenStreetMap.Mapnik" if name.lower() == "osm" else name
    try:
        provider = xyzservices.providers.query_name(query)
    except ValueError as error:
        raise CorridorDataError(
            f"--tiles: unknown tile layer {name!r} — use osm or an xyzservices name "
            "such as CartoDB.Positron."
        ) from error
    if provider.requires_token():
        raise CorridorDataError(
            f"--tiles: {provider.name} needs an API key — choose a provider without one."
        )
    return {
        "name": provider.name,
        "url": provider.build_url(),
        "attribution": provider.html_attribution,
        "max_zoom": int(provider.get("max_zoom", 18)),
    }


def _tiles(inputs: MapInputs) -> dict[str, Any] | None:
    return tile_layer(inputs.tiles) if inputs.tiles else None


def _countries(inputs: MapInputs) -> dict[str, Any]:
    on_route = {c for countries in inputs.segments["countries"] for c in countries}
    block = country_paths(inputs.basemap)
    for feature in block["features"]:
        props = feature["properties"]
        feature["properties"] = {**props, "on_route": props["iso3"] in on_route}
    return block


def _segments(inputs: MapInputs) -> dict[str, Any]:
    frame = inputs.segments.copy()
    frame["length_km"] = [round(inputs.measures.segment_km[s], 1) for s in frame["segment_id"]]
    frame["notes"] = frame["notes"].fillna("") if "notes" in frame else ""
    travel = inputs.measures.segment_travel
    frame["travel"] = [travel.get(s) for s in frame["segment_id"]]
    return with_line_paths(lines_geojson(frame, SEGMENT_PROPERTIES))


def _chainage(inputs: MapInputs) -> dict[str, list[dict[str, Any]]]:
    if inputs.corridor_id is None:
        return {}
    table = inputs.measures.chainage
    names = dict(
        zip(inputs.atlas.segments["segment_id"], inputs.atlas.segments["name"], strict=True)
    )
    rows = table[table["corridor_id"] == inputs.corridor_id]
    by_place: dict[str, list[dict[str, Any]]] = {}
    columns = ["place_id", "segment_id", "km_from_start", "corridor_km"]
    for place, segment, km, along in zip(*(rows[c].tolist() for c in columns), strict=True):
        by_place.setdefault(place, []).append(
            {
                "segment": names[segment],
                "km": round(km, 1),
                "corridor_km": None if pd.isna(along) else round(along, 1),
            }
        )
    return by_place


def _places(inputs: MapInputs) -> dict[str, Any]:
    used = {p for waypoints in inputs.segments["waypoints"] for p in waypoints}
    places = inputs.atlas.places
    places = places[places["id"].isin(used)].sort_values("id", kind="stable")
    chainage = _chainage(inputs)
    properties = [
        {
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "iso3": row.iso3,
            **({"chainage": chainage[row.id]} if row.id in chainage else {}),
        }
        for row in places.itertuples()
    ]
    return points_geojson(places.geometry.x, places.geometry.y, properties)


def _crossings(inputs: MapInputs) -> dict[str, Any]:
    table = inputs.measures.crossings
    if inputs.corridor_id is not None:
        table = table[table["corridor_id"] == inputs.corridor_id]
    table = table.sort_values(["corridor_id", "segment_id", "km_from_start"], kind="stable")
    names = dict(
        zip(inputs.atlas.segments["segment_id"], inputs.atlas.segments["name"], strict=True)
    )
    columns = ["segment_id", "from_iso3", "to_iso3", "km_from_start"]
    properties = [
        {"segment": names[segment], "from_iso3": a, "to_iso3": b, "km_from_start": round(km, 1)}
        for segment, a, b, km in zip(*(table[c].tolist() for c in columns), strict=True)
    ]
    return points_geojson(table["lon"], table["lat"], properties)


def _sources(inputs: MapInputs) -> dict[str, Any]:
    keys = [k for keys in inputs.segments["sources"] for k in keys]
    facts = _facts(inputs)
    if facts is not None:
        keys += cited_sources(facts)
    return source_entries(inputs.atlas.sources, keys)


def _facts(inputs: MapInputs) -> dict[str, Any] | None:
    return inputs.facts


#: Layers of the atlas page, drawn in this order (later ones on top).
ATLAS_LAYERS: list[Layer] = [
    Layer("tiles", _tiles),
    Layer("countries", _countries),
    Layer("segments", _segments),
    Layer("places", _places),
    Layer("crossings", _crossings),
    Layer("sidebar", panel_styles, "sidebar.js"),
    Layer("bilateral", atlas_bilateral, "bilateral.js"),
    Layer("timeline", atlas_timeline, "timeline.js"),
    Layer("routes", network_routes, "routes.js"),
    Layer("sources", _sources, ""),
]

#: Layers of each corridor's page.
CORRIDOR_LAYERS: list[Layer] = [
    *ATLAS_LAYERS,
    Layer("facts", _facts, "panel.js"),
    Layer("bilateral_context", bilateral_context, "bilateral.js"),
]

#: Controls every page gets, in the order they are added.
CONTROLS = ["layers", "search", "measure", "fullscreen", "legend", "minimap"]


def _bounds(segments: gpd.GeoDataFrame) -> list[list[float]]:
    west, south, east, north = shapely.total_bounds(segments.geometry.values)
    return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]


def _point_kinds(inputs: MapInputs, *, crossings: bool) -> list[str]:
    used = {p for waypoints in inputs.segments["waypoints"] for p in waypoints}
    kinds = set(inputs.atlas.places.loc[inputs.atlas.places["id"].isin(used), "kind"])
    shown = ["capital"] if "capital" in kinds else []
    shown += ["place"] if kinds - {"capital"} else []
    return shown + (["crossing"] if crossings else [])


def _config(inputs: MapInputs, layers: list[str]) -> dict[str, Any]:
    segments = inputs.segments
    prefix = "corridors/" if inputs.corridor_id is None else ""
    ids = list(dict.fromkeys(segments["corridor_id"]))
    crossings = inputs.measures.crossings
    if inputs.corridor_id is not None:
        crossings = crossings[crossings["corridor_id"] == inputs.corridor_id]
    codes = (
        {c for cs in segments["countries"] for c in cs}
        | {f["properties"]["iso3"] for f in inputs.basemap["features"]}
        | set(crossings["from_iso3"])
        | set(crossings["to_iso3"])
    )
    return {
        "map_var": f"map_{MAP_ID}",
        "page": "atlas" if inputs.corridor_id is None else "corridor",
        "bounds": _bounds(segments),
        "style": style_table(),
        "legend": legend(
            sorted(set(segments["mode"])),
            sorted(set(segments["status"])),
            sorted(set(segments["route_accuracy"])),
            _point_kinds(inputs, crossings=len(crossings) > 0),
        ),
        "layers": [name for name in layers if name != "sources"],
        "controls": CONTROLS,
        "corridors": {
            cid: corridor_summary(inputs.atlas, inputs.measures, cid, f"{prefix}{cid}.html")
            for cid in ids
        },
        "country_names": {code: area_name(code) for code in sorted(codes)},
        "tiles": inputs.tiles is not None,
    }


def render_page(
    title: str, blocks: dict[str, Any], config: dict[str, Any], scripts: list[str]
) -> str:
    """
    Render one self-contained map page.

    Parameters
    ----------
    title
        The page title (escaped here).
    blocks
        Data blocks by name, each written as ``<script type="application/json"
        id="cm-data-NAME">``.
    config
        The page's config block (``layers`` and ``controls`` name what runs).
    scripts
        File names in ``corridors/maps/static`` to include after ``core.js``.
    """
    skeleton = _OfflineMap(location=[0, 0], zoom_start=2, tiles=None, control_scale=True)
    skeleton._id = MAP_ID
    page = _zoomable(inline_assets(skeleton.get_root().render()))
    head = [
        f"<title>{_ascii_html(html.escape(title, quote=True))}</title>",
        style_block(static_text("map.css")),
    ]
    body = [json_block("cm-data-config", config)]
    body += [json_block(f"cm-data-{name}", data) for name, data in blocks.items()]
    body += [script_block(static_text(name)) for name in ["core.js", *scripts]]
    body.append(script_block("window.CorridorsMap.start();"))
    return inject(page, head=head, body_end=body)


#: folium's viewport tag, which forbids pinch zoom, and the one pages get instead.
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*"\s*/?>')
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'


def _zoomable(page: str) -> str:
    """
    Return the rendered skeleton in English with a viewport that allows pinch and browser zoom.

    Examples
    --------
    >>> _zoomable('<html><head><meta name="viewport" content="width=device-width, '
    ...           'initial-scale=1.0, maximum-scale=1.0, user-scalable=no" /></head></html>')
    '<html lang="en"><head><meta name="viewport" content="width=device-width, initial-scale=1" /></head></html>'
    """
    page, found = _FOLIUM_VIEWPORT.subn(VIEWPORT, page, count=1)
    if found != 1 or page.count("<html>") != 1:
        raise ValueError("rendered map has no viewport tag or not exactly one <html>")
    return page.replace("<html>", '<html lang="en">', 1)


def _ascii_html(text: str) -> str:
    """Return HTML text with each non-ASCII character as a character reference."""
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def build_page(inputs: MapInputs, layers: list[Layer], title: str) -> str:
    """Return a page drawing `layers` (a list like :data:`ATLAS_LAYERS`) for `inputs`."""
    blocks = {}
    for layer in layers:
        data = layer.payload(inputs)
        if data is not None:
            blocks[layer.name] = data
    scripts = [layer.script for layer in layers if layer.script and layer.name in blocks]
    scripts = [*dict.fromkeys(scripts), "controls.js"]
    return render_page(title, blocks, _config(inputs, list(blocks)), scripts)


def atlas_page(inputs: MapInputs) -> str:
    """Return the atlas page: every corridor over the region's countries."""
    return build_page(
        inputs, ATLAS_LAYERS, "Corridors atlas: Pakistan, Central Asia and the Caucasus"
    )


def corridor_page(inputs: MapInputs) -> str:
    """Return the page of ``inputs.corridor_id``: its segments, crossings and a panel of facts."""
    if inputs.corridor_id is None or not _ID.match(inputs.corridor_id):
        raise ValueError(f"corridor id must match {_ID.pattern}, got {inputs.corridor_id!r}")
    name = inputs.atlas.catalog[inputs.corridor_id]["name"]
    return build_page(inputs, CORRIDOR_LAYERS, f"{name} — corridors atlas")


def map_files(
    atlas: Atlas, measures: Measures, *, tiles: str | None = None
) -> Iterator[tuple[str, bytes]]:
    """Yield ``index.html`` and ``corridors/<id>.html`` as (relative path, bytes)."""
    inputs = MapInputs(atlas, measures, countries_geojson(atlas.boundaries), None, tiles)
    yield "index.html", atlas_page(inputs).encode("utf-8")
    for corridor_id in dict.fromkeys(atlas.segments["corridor_id"]):
        mine = atlas.segments[atlas.segments["corridor_id"] == corridor_id]
        basemap = countries_geojson(
            atlas.boundaries, tolerance_deg=CORRIDOR_TOLERANCE_DEG, bbox=_around(mine)
        )
        page = corridor_page(MapInputs(atlas, measures, basemap, corridor_id, tiles))
        yield f"corridors/{corridor_id}.html", page.encode("utf-8")


def _around(segments: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """Return the segments' bounding box widened by :data:`CORRIDOR_MARGIN_DEG`."""
    west, south, east, north = shapely.total_bounds(segments.geometry.values)
    dx, dy = CORRIDOR_MARGIN_DEG
    return (
        max(west - dx, -180.0),
        max(south - dy, -90.0),
        min(east + dx, 180.0),
        min(north + dy, 90.0),
    )


def produce_maps(
    atlas: Atlas, bilateral: Bilateral, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """Build producer: measure the atlas once, then make every map page."""
    tiles = options.get("tiles")
    if tiles:
        tile_layer(tiles)  # an unknown name fails before the measuring starts
    measures = measure_atlas(atlas)
    yield from map_files(atlas, measures, tiles=tiles)
