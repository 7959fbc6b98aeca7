"""Reach: each partner capital's shortest route to Pakistan's ports, today and once planned links are built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

from corridors.data.cpmm import Parameters
from corridors.errors import CorridorDataError
from corridors.network.graph import (
    GEOD,
    NoRouteError,
    Route,
    km_from,
    mode_nodes,
    resolve_place,
    shortest_route,
)
from corridors.network.travel import Span, estimate_route

__all__ = [
    "CAPITAL_RADIUS_KM",
    "PORTS",
    "RAIL_ROAD",
    "RAIL_ROAD_COLUMNS",
    "REACH_COLUMNS",
    "REACH_TIME_COLUMNS",
    "REACH_TIME_CSV_COLUMNS",
    "Origin",
    "capital_origins",
    "comparison_routes",
    "missing_ports",
    "place_or_capital",
    "rail_road_table",
    "rail_then_road",
    "reach_table",
    "routes_gdf",
]

#: The ``mode`` of a :func:`rail_then_road` route.
RAIL_ROAD = "rail+road"

#: The sea ports a route may end at: (place id, display name).
PORTS = (("karachi", "Karachi"), ("gwadar", "Gwadar"))

#: A capital within this geodesic distance of a network place starts there.
CAPITAL_RADIUS_KM = 30.0

REACH_COLUMNS = [
    "partner", "capital", "from",
    "karachi_today_km", "karachi_planned_km", "karachi_saved_km", "karachi_planned_unbuilt",
    "gwadar_today_km", "gwadar_planned_km", "gwadar_saved_km",
]  # fmt: skip

#: The time and cost columns of :func:`reach_table` given parameters: central (low–high).
REACH_TIME_COLUMNS = [
    "partner", "capital",
    *(f"{port}_{when}_{what}" for port, _ in PORTS for what in ("hours", "usd")
      for when in ("today", "planned", "saved")),
]  # fmt: skip

#: The same as numbers, for CSV: ``…_low``, ``…_central``, ``…_high`` of each.
REACH_TIME_CSV_COLUMNS = [
    f"{c}_{bound}" for c in REACH_TIME_COLUMNS[2:] for bound in ("low", "central", "high")
]

RAIL_ROAD_COLUMNS = ["mode", "links", "km", "unbuilt", "border_crossings", "via", "note"]

_LEG_COLUMNS = [
    "route", "mode", "links", "leg_from", "leg_to", "km", "corridor_id", "segment_id",
    "segment_status", "built", "alternative", "geometry",
]  # fmt: skip


@dataclass(frozen=True)
class Origin:
    """Where a partner's routes start: the capital's place, a stand-in, or nowhere."""

    iso3: str
    capital: str
    node: str | None
    note: str


def _distances_km(lon: float, lat: float, graph: nx.MultiGraph, nodes: Sequence[str]) -> np.ndarray:
    lons = np.array([graph.nodes[n]["lon"] for n in nodes], dtype=float)
    lats = np.array([graph.nodes[n]["lat"] for n in nodes], dtype=float)
    _, _, metres = GEOD.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)
    return np.asarray(metres) / 1000.0


def _origin(graph: nx.MultiGraph, row: Any, network: list[str], mode: str) -> Origin:
    iso3, capital = str(row.iso3), str(row.capital)
    named = [n for n in network if str(graph.nodes[n]["name"]).casefold() == capital.casefold()]
    if named:
        return Origin(iso3, capital, named[0], "")
    if network:
        km = _distances_km(row.capital_lon, row.capital_lat, graph, network)
        if km.min() <= CAPITAL_RADIUS_KM:
            node = network[int(km.argmin())]
            return Origin(
                iso3,
                capital,
                node,
                f"{capital} is {km.min():.0f} km from {graph.nodes[node]['name']}.",
            )
    home = [n for n in network if graph.nodes[n]["iso3"] == iso3]
    if not home:
        return Origin(
            iso3, capital, None, f"{capital} is not on the {mode} network, nor is any {iso3} place."
        )
    km = _distances_km(row.capital_lon, row.capital_lat, graph, home)
    node = home[int(km.argmin())]
    return Origin(
        iso3, capital, node,
        f"{capital} is not on the {mode} network; routes start at {graph.nodes[node]['name']}, "
        f"the nearest {iso3} place on it, {km.min():,.0f} km away.",
    )  # fmt: skip


def capital_origins(
    graph: nx.MultiGraph, partners: pd.DataFrame, *, mode: str = "transport"
) -> list[Origin]:
    """
    Match each partner capital to a place on the `mode` network.

    A place of the same name comes first, then the nearest place within
    :data:`CAPITAL_RADIUS_KM`; failing both, the nearest place of the same country
    stands in and the note says so, or the note says the country has none.
    """
    network = sorted(mode_nodes(graph, mode))
    return [_origin(graph, row, network, mode) for row in partners.itertuples(index=False)]


def place_or_capital(
    graph: nx.MultiGraph, partners: pd.DataFrame, text: str, *, mode: str = "transport"
) -> tuple[str, str]:
    """
    Resolve `text` as a place, else as a partner capital; return the place id and a note.

    The note is empty for a place, else says where the capital's routes start.

    Raises
    ------
    CorridorDataError
        For an unknown place, or a capital with no place on the `mode` network.
    """
    try:
        return resolve_place(graph, text), ""
    except CorridorDataError:
        wanted = text.strip().casefold()
        for origin in capital_origins(graph, partners, mode=mode):
            if origin.capital.casefold() == wanted:
                if origin.node is None:
                    raise CorridorDataError(f"{origin.note} Pick another place.") from None
                return origin.node, origin.note
        raise


def _route(graph: nx.MultiGraph, a: str, b: str, mode: str, status: str) -> Route | None:
    try:
        return shortest_route(graph, a, b, mode=mode, status=status)
    except NoRouteError:
        return None


def _shown(span: Span, digits: int = 0) -> str:
    """
    Return a span as ``central (low–high)``.

    Examples
    --------
    >>> _shown(Span(82.3, 141.3, 203.9))
    '141 (82–204)'
    """
    return f"{span.central:,.{digits}f} ({span.low:,.{digits}f}–{span.high:,.{digits}f})"


def _time_cells(
    port: str, today: Route | None, planned: Route | None, params: Parameters
) -> dict[str, Any]:
    """Return hours and USD today, planned and saved (saved low = today low − planned high)."""
    cells: dict[str, Any] = {}
    same = bool(today and planned and today.legs == planned.legs)  # the same route saves nothing
    estimates = {
        w: estimate_route(r, params) if r else None
        for w, r in (("today", today), ("planned", planned))
    }
    for what in ("hours", "usd"):
        spans = {w: getattr(e, what) if e else None for w, e in estimates.items()}
        now, then = spans["today"], spans["planned"]
        if now and then and same:
            spans["saved"] = Span(0.0, 0.0, 0.0)
        elif now and then:
            spans["saved"] = Span(
                now.low - then.high, now.central - then.central, now.high - then.low
            )
        for when in ("today", "planned", "saved"):
            span = spans.get(when)
            cells[f"{port}_{when}_{what}"] = _shown(span) if span else None
            for bound in ("low", "central", "high"):
                value = round(getattr(span, bound), 1 if what == "hours" else 0) if span else None
                cells[f"{port}_{when}_{what}_{bound}"] = value
    return cells


def _port_cells(
    graph: nx.MultiGraph, origin: Origin, port: str, mode: str, params: Parameters | None = None
) -> dict[str, Any]:
    if origin.node is None or port not in graph or origin.node == port:
        return {}
    today = _route(graph, origin.node, port, mode, "operating")
    planned = _route(graph, origin.node, port, mode, "all")
    cells: dict[str, Any] = {
        f"{port}_today_km": round(today.km, 1) if today else None,
        f"{port}_planned_km": round(planned.km, 1) if planned else None,
        f"{port}_saved_km": round(today.km - planned.km, 1) if today and planned else None,
        f"{port}_planned_unbuilt": f"{planned.unbuilt_share:.0%}" if planned else None,
        f"{port}_planned_via": list(planned.km_by_corridor) if planned else [],
        f"{port}_planned_places": list(planned.places) if planned else [],
        f"{port}_alternatives": planned.alternatives if planned else [],
    }
    if params is not None:
        cells.update(_time_cells(port, today, planned, params))
    return cells


def reach_table(
    graph: nx.MultiGraph,
    partners: pd.DataFrame,
    *,
    mode: str = "transport",
    params: Parameters | None = None,
) -> list[dict[str, Any]]:
    """
    Return one record per partner: km to each port today, once planned links are built, and saved.

    ``today`` uses operating links only, ``planned`` every link; ``saved`` is
    today minus planned, empty when either has no route. A port that is not a
    place on the network gets empty cells; :func:`missing_ports` names them.

    With `params` (:func:`corridors.data.cpmm.read_parameters`) each record also has the
    hours and USD per 20-t load today, planned and saved (:data:`REACH_TIME_COLUMNS`, shown as
    ``central (low–high)``, and ``…_low``, ``…_central``, ``…_high`` numbers) from
    :func:`corridors.network.travel.estimate_route`; a saving's low is today's low minus
    planned's high, its high today's high minus planned's low (0 when the route is the same).
    """
    records = []
    for origin in capital_origins(graph, partners, mode=mode):
        start = graph.nodes[origin.node]["name"] if origin.node else None
        record: dict[str, Any] = {"partner": origin.iso3, "capital": origin.capital, "from": start}
        notes = [origin.note] if origin.note else []
        for port, name in PORTS:
            record.update(_port_cells(graph, origin, port, mode, params))
            if (
                port in graph
                and origin.node
                and record.get(f"{port}_today_km") is None
                and record.get(f"{port}_planned_km")
            ):
                notes.append(f"No route to {name} over operating links today.")
        record["note"] = " ".join(dict.fromkeys(notes))
        records.append(record)
    return records


def rail_road_table(
    graph: nx.MultiGraph,
    source: str = "termez",
    target: str = "peshawar",
    *,
    params: Parameters | None = None,
) -> list[dict[str, Any]]:
    """
    Compare rail and road between two places, over operating links and over all links.

    With `params` each found route also has ``hours`` and ``usd`` per 20-t load, central with
    the low–high range, by :func:`corridors.network.travel.estimate_route`.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> from corridors.network.graph import load_network
    >>> rows = rail_road_table(load_network(load_atlas()))
    >>> [(r["mode"], r["links"], r["km"] is None) for r in rows]
    [('rail', 'operating', True), ('rail', 'all', False), ('road', 'operating', False), ('road', 'all', False)]
    """
    rows: list[dict[str, Any]] = []
    for mode in ("rail", "road"):
        for status in ("operating", "all"):
            try:
                route = shortest_route(graph, source, target, mode=mode, status=status)
            except NoRouteError as error:
                rows.append({"mode": mode, "links": status, "km": None, "note": str(error)})
                continue
            rows.append(
                {
                    "mode": mode,
                    "links": status,
                    "km": round(route.km, 1),
                    "unbuilt": f"{route.unbuilt_share:.0%}",
                    "border_crossings": len(route.crossings),
                    "via": list(route.km_by_corridor),
                    "note": "; ".join(f"uses alternative {s}" for s in route.alternatives),
                    "places": list(route.places),
                }
            )
            if params is not None:
                estimate = estimate_route(route, params)
                rows[-1] |= {"hours": _shown(estimate.hours), "usd": _shown(estimate.usd)}
    return rows


def comparison_routes(
    graph: nx.MultiGraph, partners: pd.DataFrame, *, mode: str = "transport"
) -> list[tuple[str, Route]]:
    """
    Return the routes behind :func:`reach_table` and :func:`rail_road_table`, labelled.

    Labels read ``"Ashgabat → Karachi, planned"`` and ``"Termez → Peshawar, rail, all"``.
    """
    routes: list[tuple[str, Route]] = []
    for origin in capital_origins(graph, partners, mode=mode):
        if origin.node is None:
            continue
        for port, name in PORTS:
            if port not in graph or port == origin.node:
                continue
            for status, word in (("operating", "today"), ("all", "planned")):
                route = _route(graph, origin.node, port, mode, status)
                if route is not None:
                    routes.append((f"{origin.capital} → {name}, {word}", route))
    for link_mode, status in (("rail", "all"), ("road", "operating")):
        route = _route(graph, "termez", "peshawar", link_mode, status)
        if route is not None:
            routes.append((f"Termez → Peshawar, {link_mode}, {status}", route))
    return routes


def routes_gdf(routes: Sequence[tuple[str, Route]]) -> gpd.GeoDataFrame:
    """
    Return one row per leg of each labelled route, for drawing on a map.

    Columns: route, mode, links, leg_from, leg_to, km, corridor_id, segment_id,
    segment_status, built, alternative, geometry (EPSG:4326, in travel order).
    """
    rows = [
        {
            "route": label,
            "mode": route.mode,
            "links": route.status,
            "leg_from": leg.source,
            "leg_to": leg.target,
            "km": leg.km,
            "corridor_id": leg.corridor_id,
            "segment_id": leg.segment_id,
            "segment_status": leg.status,
            "built": leg.built,
            "alternative": leg.role == "alternative",
            "geometry": leg.geometry,
        }
        for label, route in routes
        for leg in route.legs
    ]
    frame = pd.DataFrame(rows, columns=_LEG_COLUMNS)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def missing_ports(graph: nx.MultiGraph) -> list[str]:
    """Names of the :data:`PORTS` that are not places of `graph`."""
    return [name for port, name in PORTS if port not in graph]


def rail_then_road(
    graph: nx.MultiGraph, source: str, target: str, *, status: str = "operating"
) -> Route:
    """
    Go by rail as far as the rail network goes towards `target`, then by road.

    The handover is the place reached by rail from `source` that is nearest `target`
    by road (fewer rail km breaks a tie, then the id); the route is the shortest rail
    route to it followed by the shortest road route on, one :class:`Route` whose
    :data:`RAIL_ROAD` mode marks it. The change of mode there is a transshipment for
    :func:`corridors.network.travel.estimate_route`. A `target` on the rail network
    is reached by rail alone, and a `source` with no rail link goes by road alone.

    Raises
    ------
    CorridorDataError
        For an unknown place or status, or the same place twice.
    NoRouteError
        When no place reached by rail has a road on to `target`.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> from corridors.network.graph import load_network
    >>> route = rail_then_road(load_network(load_atlas()), "termez", "karachi", status="all")
    >>> route.mode, [leg.mode for leg in route.legs].count("railway"), route.places[-2:]
    ('rail+road', 7, ('peshawar', 'karachi'))
    """
    a, b = resolve_place(graph, source), resolve_place(graph, target)
    if a == b:
        raise CorridorDataError(f"{source!r} and {target!r} are the same place — give two places.")
    rail = (
        km_from(graph, a, mode="rail", status=status)
        if a in mode_nodes(graph, "rail")
        else {a: 0.0}
    )
    road = km_from(graph, b, mode="road", status=status) if b in mode_nodes(graph, "road") else {}
    road[b] = 0.0
    handovers = sorted((road[n], rail[n], n) for n in rail if n in road)
    if not handovers:
        raise NoRouteError(
            f"no rail+road route from {graph.nodes[a]['name']} to {graph.nodes[b]['name']}: "
            "no place reached by rail has a road on. Try --status all."
        )
    handover = handovers[0][2]
    parts = (
        [shortest_route(graph, a, handover, mode="rail", status=status)] if handover != a else []
    )
    if handover != b:
        parts.append(shortest_route(graph, handover, b, mode="road", status=status))
    places = [a] + [p for part in parts for p in part.places[1:]]
    names = [str(graph.nodes[a]["name"])] + [n for part in parts for n in part.names[1:]]
    legs = tuple(leg for part in parts for leg in part.legs)
    return Route(RAIL_ROAD, status, tuple(places), tuple(names), legs)
