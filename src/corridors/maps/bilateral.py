r"""
Map layers of Pakistan's bilateral ties and of the network's comparison routes.

Payload functions for :mod:`corridors.maps.pages` (see its docstring for the layer
mechanism): the trade choropleth with the partners' profile cards on the atlas,
the bilateral context of the partners on each corridor's page, and the reach
comparison routes with their table. Everything returned is JSON-ready data; the
scripts in ``corridors/maps/static`` write it into the page only as text.

Class breaks
------------
Six partners give six values per measure, spread over two orders of magnitude
(Kazakhstan's US$ 251.8 million total against under US$ 10 million for three
others). Fisher–Jenks natural breaks (``mapclassify.FisherJenks``) with
:data:`K_CLASSES` = 3 classes minimise the spread within each class, so the one
or two large partners stand apart; quantiles would pair Tajikistan's 29 with
Uzbekistan's 112 only because they rank next to each other, and more than three
classes would leave classes of a single partner. The balance is classed on each
side of zero: deficits in one orange class, surpluses by Fisher–Jenks.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from corridors.bilateral.schema import TABLES
from corridors.bilateral.tables import (
    Bilateral,
    country_profile,
    load_bilateral,
    partners_for_corridor,
)
from corridors.data.atlas import Atlas
from corridors.maps.facts import cpmm_parameters
from corridors.maps.features import lines_geojson, source_entries
from corridors.maps.inputs import MapInputs
from corridors.network.graph import Route, load_network
from corridors.network.reach import (
    PORTS,
    comparison_routes,
    rail_road_table,
    reach_table,
    routes_gdf,
)

__all__ = [
    "K_CLASSES",
    "TRADE_MEASURES",
    "atlas_bilateral",
    "bilateral_context",
    "cached_bilateral",
    "class_breaks",
    "network_routes",
    "panel_styles",
    "trade_classes",
]

#: Number of Fisher–Jenks classes for six partners (see the module docstring).
K_CLASSES = 3

#: The measures the radio group switches between: key, label and column of the profile's trade row.
TRADE_MEASURES = (
    ("total", "Total trade (exports + imports)", "sum_usd_m"),
    ("exports", "Pakistan's exports", "exports_usd_m"),
    ("imports", "Pakistan's imports", "imports_usd_m"),
    ("balance", "Balance (exports − imports)", "balance_usd_m"),
)

#: ColorBrewer sequential palettes by number of classes (Blues), and the balance's two sides.
_SEQUENTIAL = {1: ["#3182bd"], 2: ["#9ecae1", "#3182bd"], 3: ["#deebf7", "#9ecae1", "#3182bd"]}
_SURPLUS = {1: ["#31a354"], 2: ["#a1d99b", "#31a354"], 3: ["#e5f5e0", "#a1d99b", "#31a354"]}
_DEFICIT = "#e6550d"
_NO_DATA = "#d9d9d9"
_FY = re.compile(r"^FY(\d{4})")


@lru_cache(maxsize=4)
def _load(folder: str, _signature: tuple[tuple[str, int, int], ...]) -> Bilateral:
    return load_bilateral(folder)


@lru_cache(maxsize=64)
def _profile(folder: str, signature: tuple[tuple[str, int, int], ...], iso3: str) -> dict[str, Any]:
    """Make a partner's profile once per build (the atlas and corridor pages show it)."""
    return country_profile(_load(folder, signature), iso3)


def _profiles(atlas: Atlas, codes: list[str]) -> list[dict[str, Any]]:
    folder, signature = _table_signature(atlas)
    return [_card(_profile(folder, signature, code), atlas) for code in codes]


def cached_bilateral(atlas: Atlas) -> Bilateral:
    """
    Load the bilateral tables beside `atlas` once per build, not once per page.

    The cache is keyed on each table's modification time and size, so edited
    tables are read again.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> atlas = load_atlas()
    >>> cached_bilateral(atlas) is cached_bilateral(atlas)
    True
    """
    return _load(*_table_signature(atlas))


def _table_signature(atlas: Atlas) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """Return the data folder and each bilateral table's name, modification time and size."""
    folder = Path(atlas.data_dir) / "bilateral"
    signature = []
    for name in TABLES:
        try:
            stat = (folder / name).stat()
        except OSError:
            signature.append((name, -1, -1))
            continue
        signature.append((name, stat.st_mtime_ns, stat.st_size))
    return str(atlas.data_dir), tuple(signature)


def class_breaks(values: list[float], *, k: int = K_CLASSES) -> list[float]:
    """
    Return the upper bounds of Fisher–Jenks classes of `values`, at most `k` of them.

    With `k` or fewer distinct values each value is its own class. mapclassify
    warns that it runs without numba; the pure-Python version is exact, so that
    warning is silenced here.

    Examples
    --------
    >>> class_breaks([6.14, 251.82, 5.18, 29.16, 4.75, 111.62])
    [29.16, 111.62, 251.82]
    >>> class_breaks([2.0, 2.0, 7.0])
    [2.0, 7.0]
    >>> class_breaks([])
    []
    """
    distinct = sorted(set(values))
    if len(distinct) <= k:
        return distinct
    import mapclassify

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
        bins = mapclassify.FisherJenks(np.asarray(values, dtype=float), k=k).bins
    return [round(float(b), 2) for b in bins]


def _class_of(value: float, breaks: list[float]) -> int:
    return next(i for i, upper in enumerate(breaks) if value <= upper)


def _label(low: float | None, high: float) -> str:
    return f"{high:,.2f}" if low is None or low == high else f"{low:,.2f} – {high:,.2f}"


def _classes(values: list[float], colors: dict[int, list[str]]) -> dict[str, Any]:
    """Classes of non-negative values: upper bounds, colours, labels and each value's class."""
    breaks = class_breaks(values)
    palette = colors[len(breaks)] if breaks else []
    lows = [min((v for v in values if v <= b and (i == 0 or v > breaks[i - 1])), default=b)
            for i, b in enumerate(breaks)]  # fmt: skip
    return {
        "colors": palette,
        "labels": [_label(low, high) for low, high in zip(lows, breaks, strict=True)],
        "of": [_class_of(v, breaks) for v in values],
    }


def trade_classes(values: dict[str, float | None], *, diverging: bool = False) -> dict[str, Any]:
    """
    Class each partner's value; return colours, legend labels and each partner's class.

    Parameters
    ----------
    values
        Value in US$ million by ISO3; None where the tables give none.
    diverging
        Class negative values (deficits) apart, in one orange class before the
        Fisher–Jenks classes of the rest.

    Returns
    -------
    classes
        ``colors`` and ``labels`` per class (legend order), ``partner`` mapping
        each ISO3 to its class index or None, and ``no_data_color``.

    Examples
    --------
    >>> out = trade_classes({"A": -0.83, "B": 3.96, "C": 249.58, "D": None}, diverging=True)
    >>> out["labels"], out["partner"]
    (['-0.83', '3.96', '249.58'], {'A': 0, 'B': 1, 'C': 2, 'D': None})
    """
    known = {iso3: v for iso3, v in values.items() if v is not None}
    negative = {k: v for k, v in known.items() if diverging and v < 0}
    rest = {k: v for k, v in known.items() if k not in negative}
    ranked = _classes(list(rest.values()), _SURPLUS if diverging else _SEQUENTIAL)
    partner: dict[str, int | None] = {iso3: None for iso3 in values}
    offset = 1 if negative else 0
    partner.update({k: i + offset for k, i in zip(rest, ranked["of"], strict=True)})
    partner.update(dict.fromkeys(negative, 0))
    colors, labels = ranked["colors"], ranked["labels"]
    if negative:
        low, high = min(negative.values()), max(negative.values())
        colors, labels = [_DEFICIT, *colors], [_label(low, high), *labels]
    return {"colors": colors, "labels": labels, "partner": partner, "no_data_color": _NO_DATA}


def _period_key(period: str) -> int:
    match = _FY.match(period)
    return int(match.group(1)) if match else -1


def _latest_trade(profile: dict[str, Any]) -> dict[str, Any] | None:
    """Pick the trade row of the latest fiscal year; an unstated period counts as oldest."""
    rows = profile["trade"]
    if not rows:
        return None
    return max(rows, key=lambda row: _period_key(str(row["period"])))


def _card(profile: dict[str, Any], atlas: Atlas) -> dict[str, Any]:
    """Trim a partner's profile for the popup card; add corridor names, in catalog order."""
    order = {cid: number for number, cid in enumerate(atlas.catalog)}
    corridors = [
        {
            "id": link["corridor"],
            "name": atlas.catalog[link["corridor"]]["name"],
            "role": link["role"],
            "notes": link["notes"],
            "source": link["source"],
        }
        for link in sorted(profile["corridors"], key=lambda link: order.get(link["corridor"], 0))
        if link["corridor"] in atlas.catalog
    ]
    return {**profile, "corridors": corridors, "trade_latest": _latest_trade(profile)}


def _profile_sources(cards: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for card in cards:
        keys += [card["relations_established"]["source"], card["capital"]["source"]]
        for table in ("trade", "mechanisms", "visits", "agreements", "corridors"):
            keys += [row["source"] for row in card[table]]
    return [k for key in keys for k in str(key).split("; ") if k]


def panel_styles(inputs: MapInputs) -> dict[str, str]:
    """Payload of the ``sidebar`` layer, on every page: its script adds the panel helpers and CSS."""
    return {"page": "atlas" if inputs.corridor_id is None else "corridor"}


def atlas_bilateral(inputs: MapInputs) -> dict[str, Any] | None:
    """
    Payload of the ``bilateral`` layer: the trade choropleth and profile cards, atlas only.

    Partners are those of ``partners.csv`` whose polygon is in the basemap;
    the page draws them from the ``countries`` block, so no geometry is repeated.
    """
    if inputs.corridor_id is not None:
        return None
    bilateral = cached_bilateral(inputs.atlas)
    drawn = {f["properties"]["iso3"] for f in inputs.basemap["features"]}
    codes = sorted(set(bilateral.partners["iso3"]) & drawn)
    cards = _profiles(inputs.atlas, codes)
    measures = []
    for key, label, column in TRADE_MEASURES:
        values = {card["iso3"]: (card["trade_latest"] or {}).get(column) for card in cards}
        classes = trade_classes(values, diverging=key == "balance")
        measures.append({"key": key, "label": label, "values": values, **classes})
    return {
        "partners": cards,
        "measures": measures,
        "missing": sorted(set(bilateral.partners["iso3"]) - drawn),
        "sources": source_entries(inputs.atlas.sources, _profile_sources(cards)),
    }


def bilateral_context(inputs: MapInputs) -> dict[str, Any] | None:
    """Payload of the ``bilateral_context`` layer: the partners a corridor reaches, its page only."""
    if inputs.corridor_id is None:
        return None
    bilateral = cached_bilateral(inputs.atlas)
    codes = partners_for_corridor(bilateral, inputs.corridor_id)
    cards = _profiles(inputs.atlas, codes)
    return {
        "corridor": inputs.corridor_id,
        "partners": cards,
        "sources": source_entries(inputs.atlas.sources, _profile_sources(cards)),
    }


def _route_summary(label: str, route: Route, atlas: Atlas) -> dict[str, Any]:
    return {
        "label": label,
        "mode": route.mode,
        "links": route.status,
        "km": round(route.km, 1),
        "unbuilt_share": round(route.unbuilt_share, 3),
        "places": list(route.names),
        "corridors": [
            atlas.catalog[c]["name"] if c in atlas.catalog else "existing links"
            for c in route.km_by_corridor
        ],
        "crossings": len(route.crossings),
    }


def network_routes(inputs: MapInputs) -> dict[str, Any] | None:
    """
    Payload of the ``routes`` layer: the reach comparison routes, leg by leg, and both tables, atlas only.

    Legs are drawn from :func:`corridors.network.reach.routes_gdf` (built or unbuilt,
    in travel order); the tables are :func:`corridors.network.reach.reach_table` and
    :func:`corridors.network.reach.rail_road_table`, as ``corridors reach`` prints them,
    the reach table with hours and USD when the data folder has ``cpmm/``.
    """
    if inputs.corridor_id is not None:
        return None
    bilateral = cached_bilateral(inputs.atlas)
    graph = load_network(inputs.atlas)
    routes = comparison_routes(graph, bilateral.partners)
    legs = routes_gdf(routes)
    legs["km"] = legs["km"].round(1)
    number = {label: i for i, (label, _) in enumerate(routes)}
    legs["route_index"] = legs["route"].map(number)
    params = cpmm_parameters(inputs.atlas)
    return {
        "routes": [_route_summary(label, route, inputs.atlas) for label, route in routes],
        "legs": lines_geojson(legs, ["route_index", "corridor_id", "segment_id", "built", "km"]),
        "reach": reach_table(graph, bilateral.partners, params=params),
        "rail_road": rail_road_table(graph, params=params),
        "ports": [list(port) for port in PORTS],
    }
