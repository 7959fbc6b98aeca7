"""The corridor network: places as nodes, segment legs as edges, shortest routes by mode and status."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from corridors.data.atlas import Atlas, read_corridor_file
from corridors.data.memo import per_build
from corridors.errors import CorridorDataError
from corridors.measure.lengths import crossings as border_crossings

__all__ = [
    "BUILT_STATUSES",
    "DISPUTED",
    "LINKS_FILE",
    "MODE_GROUPS",
    "SEA",
    "STATUSES",
    "Leg",
    "NoRouteError",
    "Route",
    "build_network",
    "edge_leg",
    "km_from",
    "load_network",
    "mode_nodes",
    "resolve_place",
    "segment_route",
    "shortest_route",
]

log = logging.getLogger(__name__)

GEOD = pyproj.Geod(ellps="WGS84")

#: Each ``--mode`` and the segment modes it travels on; each is its own network.
#: ``transport`` joins rail, road and ferry, changing mode only at shared places.
MODE_GROUPS: dict[str, tuple[str, ...]] = {
    "transport": ("railway", "road", "ferry"),
    "rail": ("railway",),
    "road": ("road",),
    "pipeline": ("gas_pipeline",),
    "power": ("power_line",),
    "fibre": ("fibre",),
    "ferry": ("ferry",),
}

#: Segment statuses that count as built in ``status="operating"`` queries.
BUILT_STATUSES = frozenset({"operating", "completed"})

#: ``operating``: built links only; ``all``: every link, planned, shelved and alternatives too.
STATUSES = ("operating", "all")

#: Existing links that are not part of any corridor, beside places.geojson in a data folder.
LINKS_FILE = "network_links.geojson"

#: Labels of km outside any country's polygon, and inside a disputed area
#: (as :mod:`corridors.measure.lengths` names them).
SEA, DISPUTED = "sea", "disputed"
_NOT_COUNTRIES = frozenset({SEA, DISPUTED})

# Pieces of a leg shorter than this (km) inside a country are boundary noise, not a crossing.
_SLIVER_KM = 1.0


class NoRouteError(CorridorDataError):
    """Two places are not connected by the links a query allows."""


@dataclass(frozen=True)
class Leg:
    """
    One edge of a route, oriented from `source` to `target`.

    `countries` lists ``(iso3, km)`` in travel order; :data:`SEA` is km outside
    every country polygon, :data:`DISPUTED` km in a disputed area.
    """

    source: str
    target: str
    km: float
    mode: str
    status: str
    built: bool
    role: str
    corridor_id: str
    segment_id: str
    countries: tuple[tuple[str, float], ...]
    geometry: LineString
    gauge_mm: float | None = None


@dataclass(frozen=True)
class Route:
    """A shortest route: the places it passes, its legs, and what they add up to."""

    mode: str
    status: str
    places: tuple[str, ...]
    names: tuple[str, ...]
    legs: tuple[Leg, ...]

    @property
    def km(self) -> float:
        """Geodesic length along the corridor geometry."""
        return sum(leg.km for leg in self.legs)

    @property
    def km_by_country(self) -> dict[str, float]:
        """Km inside each country, in order of first entry (:data:`SEA`, :data:`DISPUTED` too)."""
        totals: dict[str, float] = {}
        for leg in self.legs:
            for iso3, km in leg.countries:
                totals[iso3] = totals.get(iso3, 0.0) + km
        return totals

    @property
    def km_by_corridor(self) -> dict[str, float]:
        """Km on each corridor (``network_links`` for existing non-corridor links)."""
        totals: dict[str, float] = {}
        for leg in self.legs:
            totals[leg.corridor_id] = totals.get(leg.corridor_id, 0.0) + leg.km
        return totals

    @property
    def crossings(self) -> list[dict[str, str]]:
        """Each border crossed: from and to country, and the leg where it happens."""
        found: list[dict[str, str]] = []
        previous = ""
        for leg in self.legs:
            for iso3, km in leg.countries:
                if iso3 == SEA or km < _SLIVER_KM:
                    continue
                if previous and iso3 != previous:
                    found.append(
                        {"from": previous, "to": iso3, "leg": f"{leg.source}–{leg.target}"}
                    )
                previous = iso3
        return found

    @property
    def unbuilt_km(self) -> float:
        """Km on links that are not operating or completed."""
        return sum(leg.km for leg in self.legs if not leg.built)

    @property
    def unbuilt_share(self) -> float:
        """Share of the route's km still unbuilt, 0 to 1."""
        return self.unbuilt_km / self.km if self.km else 0.0

    @property
    def alternatives(self) -> list[str]:
        """Segments with role ``alternative`` that the route uses, in travel order."""
        return list(dict.fromkeys(leg.segment_id for leg in self.legs if leg.role == "alternative"))

    def summary(self) -> str:
        """
        One line: from, to, mode, km, crossings and unbuilt share.

        Examples
        --------
        >>> route = Route("rail", "all", ("a", "b"), ("A", "B"), ())
        >>> route.summary()
        'A → B by rail (all links): 0.0 km, 0 border crossings, 0% unbuilt'
        """
        return (
            f"{self.names[0]} → {self.names[-1]} by {self.mode} ({self.status} links): "
            f"{self.km:,.1f} km, {len(self.crossings)} border crossings, "
            f"{self.unbuilt_share:.0%} unbuilt"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the route as plain JSON-ready values, km rounded to 0.1."""
        return {
            "from": self.places[0],
            "to": self.places[-1],
            "mode": self.mode,
            "status": self.status,
            "km": round(self.km, 1),
            "places": list(self.places),
            "place_names": list(self.names),
            "km_by_country": {k: round(v, 1) for k, v in self.km_by_country.items()},
            "km_by_corridor": {k: round(v, 1) for k, v in self.km_by_corridor.items()},
            "border_crossings": self.crossings,
            "unbuilt_km": round(self.unbuilt_km, 1),
            "unbuilt_share": round(self.unbuilt_share, 3),
            "alternatives_used": self.alternatives,
            "legs": [_leg_record(leg) for leg in self.legs],
        }


def _leg_record(leg: Leg) -> dict[str, Any]:
    return {
        "from": leg.source,
        "to": leg.target,
        "km": round(leg.km, 1),
        "mode": leg.mode,
        "status": leg.status,
        "corridor_id": leg.corridor_id,
        "segment_id": leg.segment_id,
        "alternative": leg.role == "alternative",
    }


def _km(geometry: Any) -> float:
    return float(GEOD.geometry_length(geometry)) / 1000.0


def _split_at_waypoints(line: LineString, points: Sequence[Point]) -> list[LineString]:
    """
    Cut `line` at the points on it nearest each inner waypoint; the pieces partition it.

    Examples
    --------
    >>> line = LineString([(0, 0), (2, 0)])
    >>> [p.coords[:] for p in _split_at_waypoints(line, [Point(0, 0), Point(1, 0.1), Point(2, 0)])]
    [[(0.0, 0.0), (1.0, 0.0)], [(1.0, 0.0), (2.0, 0.0)]]
    """
    positions = [0.0]
    for point in points[1:-1]:
        positions.append(max(positions[-1], line.project(point)))
    positions.append(line.length)
    pieces = []
    for start, end in pairwise(positions):
        piece = substring(line, start, end)
        pieces.append(piece if isinstance(piece, LineString) else LineString([piece, piece]))
    return pieces


def _labels_at(points: Sequence[Point], boundaries: gpd.GeoDataFrame) -> list[str]:
    """Return the area label crossings() would give each point, in one spatial-index query."""
    polygons = boundaries.geometry.to_numpy()
    which, where = shapely.STRtree(polygons).query(np.asarray(points, dtype=object), "within")
    first: dict[int, int] = {}
    for point, polygon in zip(which.tolist(), where.tolist(), strict=True):
        first[point] = min(polygon, first.get(point, polygon))  # the first row, as before
    disputed, iso3 = boundaries["disputed"].to_numpy(), boundaries["iso3"].to_numpy()
    return [
        SEA if i not in first else DISPUTED if bool(disputed[first[i]]) else str(iso3[first[i]])
        for i in range(len(points))
    ]


def _country_runs(
    legs: Sequence[LineString], boundaries: gpd.GeoDataFrame
) -> list[tuple[tuple[str, float], ...]]:
    """
    For each leg, the ``(label, km)`` stretches in travel order, re-entries kept.

    Borders come from :func:`corridors.measure.lengths.crossings` (one call for all legs);
    a leg that crosses none lies wholly in the area of its midpoint.
    """
    if not legs:
        return []
    frame = gpd.GeoDataFrame(
        {"segment_id": np.arange(len(legs))}, geometry=list(legs), crs="EPSG:4326"
    )
    table = border_crossings(frame, boundaries)
    by_leg = dict(list(table.groupby("segment_id", sort=False)))  # one pass, not one per leg
    middles = [leg.interpolate(0.5, normalized=True) for leg in legs]
    areas = _labels_at(middles, boundaries)
    runs: list[tuple[tuple[str, float], ...]] = []
    for index, leg in enumerate(legs):
        km = _km(leg)
        rows = by_leg.get(index)
        if rows is None:
            runs.append(((areas[index], km),))
            continue
        labels = [str(rows["from_iso3"].iloc[0]), *map(str, rows["to_iso3"])]
        bounds = [0.0, *rows["km_from_start"], km]
        stretches = zip(labels, pairwise(bounds), strict=True)
        runs.append(tuple((label, max(b - a, 0.0)) for label, (a, b) in stretches))
    return runs


def build_network(
    segments: gpd.GeoDataFrame, places: gpd.GeoDataFrame, boundaries: gpd.GeoDataFrame
) -> nx.MultiGraph:
    """
    Make the network: one node per place, one edge per pair of consecutive waypoints.

    Each segment's line is cut at the points nearest its inner waypoints, so the
    edges of a segment add up to its geodesic length. Segments that share a place
    connect there; that is also the only place one mode meets another.

    Parameters
    ----------
    segments
        Rows with segment_id, corridor_id, mode, status, role, waypoints and a
        LineString geometry in EPSG:4326.
    places
        Rows with id, name, iso3 and a Point geometry.
    boundaries
        Country polygons with ``iso3`` and ``disputed``, for the km in each country.

    Returns
    -------
    graph
        A :class:`networkx.MultiGraph`. Nodes carry name, iso3, lon, lat; edges
        (keyed ``segment_id/i``) carry km, mode, status, built, role, corridor_id,
        segment_id, countries, country_km, start (the waypoint the geometry starts
        at), geometry and gauge_mm (None where the segment gives none).
    """
    graph = nx.MultiGraph()
    for row in places.itertuples(index=False):
        graph.add_node(row.id, name=row.name, iso3=row.iso3, lon=row.geometry.x, lat=row.geometry.y)
    points = dict(zip(places["id"], places.geometry, strict=True))
    edges = []
    for row in segments.itertuples(index=False):
        waypoints = list(row.waypoints)
        legs = _split_at_waypoints(row.geometry, [points[p] for p in waypoints])
        for index, ((start, end), leg) in enumerate(zip(pairwise(waypoints), legs, strict=True)):
            if start != end:
                edges.append((row, index, start, end, leg))
    runs = _country_runs([edge[-1] for edge in edges], boundaries)
    for (row, index, start, end, leg), country_km in zip(edges, runs, strict=True):
        graph.add_edge(
            start,
            end,
            key=f"{row.segment_id}/{index}",
            km=_km(leg),
            mode=row.mode,
            status=row.status,
            built=row.status in BUILT_STATUSES,
            role=row.role,
            corridor_id=row.corridor_id,
            segment_id=row.segment_id,
            countries=tuple(dict.fromkeys(i for i, _ in country_km if i not in _NOT_COUNTRIES)),
            country_km=country_km,
            start=start,
            geometry=leg,
            gauge_mm=_gauge(getattr(row, "gauge_mm", None)),
        )
    log.debug("network: %d places, %d links", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _gauge(value: Any) -> float | None:
    """Return a segment's ``gauge_mm`` as a number, or None where the data give none."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


def _link_problems(path: Any, links: gpd.GeoDataFrame, atlas: Atlas) -> list[str]:
    problems = []
    place_ids = set(atlas.places["id"])
    segment_ids = set(atlas.segments["segment_id"])
    for row in links.itertuples(index=False):
        where = f"{path}: link {row.segment_id!r}"
        problems += [
            f"{where}: waypoints: {p!r} is not a place id in places.geojson — add the place or fix the reference."
            for p in row.waypoints
            if p not in place_ids
        ]
        problems += [
            f"{where}: sources: {k!r} is not in sources.csv — add the reference."
            for k in row.sources
            if k not in atlas.sources
        ]
        if row.segment_id in segment_ids:
            problems.append(
                f"{where}: segment_id: already used by a corridor segment — give the link its own id."
            )
        if row.status not in BUILT_STATUSES:
            problems.append(
                f"{where}: status: expected operating or completed (the file lists existing links), "
                f"got {row.status!r} — put planned links in a corridor file."
            )
    return problems


@per_build
def load_network(atlas: Atlas) -> nx.MultiGraph:
    """
    Build the network of an atlas: its corridor segments plus its existing links.

    The links are read from :data:`LINKS_FILE` in the atlas folder when it exists;
    they must name known places and sources, and be operating or completed.

    Raises
    ------
    CorridorDataError
        With every problem in the links file, one line each.
    """
    segments = atlas.segments
    path = atlas.data_dir / LINKS_FILE
    if path.is_file():
        links = read_corridor_file(path)
        problems = _link_problems(path, links, atlas)
        if problems:
            raise CorridorDataError(problems)
        segments = gpd.GeoDataFrame(
            pd.concat([segments, links], ignore_index=True), geometry="geometry", crs=segments.crs
        )
    return build_network(segments, atlas.places, atlas.boundaries)


def _normal(text: str) -> str:
    """
    Fold a place id or name for matching: lower case, runs of other characters to ``_``.

    Examples
    --------
    >>> _normal("Pul-e-Khumri"), _normal(" Spin  Boldak ")
    ('pul_e_khumri', 'spin_boldak')
    """
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def _aliases(graph: nx.MultiGraph) -> dict[str, str]:
    """Every folded id, name and name without its bracketed part, to the place id."""
    aliases: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        name = str(data.get("name", node))
        for alias in (node, name, re.sub(r"\s*\(.*?\)", "", name)):
            aliases.setdefault(_normal(alias), node)
    return aliases


def resolve_place(graph: nx.MultiGraph, text: str) -> str:
    """
    Return the place id that `text` names: an id or a name, in any case.

    Raises
    ------
    CorridorDataError
        For an unknown place, listing close matches.
    """
    aliases = _aliases(graph)
    key = _normal(text)
    if key in aliases:
        return aliases[key]
    close = difflib.get_close_matches(key, list(aliases), n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(aliases[c] for c in close))[:4]
    hint = (
        "did you mean " + ", ".join(f"{p} ({graph.nodes[p]['name']})" for p in suggestions) + "?"
        if suggestions
        else "give a place id or name from places.geojson."
    )
    raise CorridorDataError(f"unknown place {text!r} — {hint}")


def _check_choice(value: str, allowed: Iterable[str], what: str) -> None:
    allowed = list(allowed)
    if value not in allowed:
        raise CorridorDataError(f"unknown {what} {value!r} — use one of {', '.join(allowed)}.")


@per_build
def _usable(graph: nx.MultiGraph, mode: str, status: str) -> nx.MultiGraph:
    """
    Return the network of one mode group and status: every place, only the edges kept.

    A graph of its own rather than a filtered view: Dijkstra on a view calls a Python
    filter for every edge it looks at, which made routing grow with the square of the links.
    """
    modes = MODE_GROUPS[mode]
    usable = nx.MultiGraph()
    usable.add_nodes_from(graph.nodes(data=True))
    usable.add_edges_from(
        (a, b, key, data)
        for a, b, key, data in graph.edges(keys=True, data=True)
        if data["mode"] in modes and (status == "all" or data["built"])
    )
    return usable


def mode_nodes(graph: nx.MultiGraph, mode: str, status: str = "all") -> set[str]:
    """Places with at least one link of `mode` (and `status`)."""
    view = _usable(graph, mode, status)
    return {node for node in view.nodes if view.degree(node) > 0}


def _names(graph: nx.MultiGraph, nodes: Iterable[str]) -> list[str]:
    return [str(graph.nodes[n]["name"]) for n in nodes]


def _no_route(
    graph: nx.MultiGraph, view: nx.MultiGraph, a: str, b: str, mode: str, status: str
) -> str:
    links = "operating" if status == "operating" else "existing or planned"
    name_a, name_b = _names(graph, [a, b])
    head = f"no {mode} route from {name_a} to {name_b} over {links} links"
    ends = [n for n in (a, b) if view.degree(n) == 0]
    if ends:
        return f"{head} — {' and '.join(_names(graph, ends))} has no {links} {mode} link."
    reach = sorted(nx.node_connected_component(view, a) - {a}, key=lambda n: graph.nodes[n]["name"])
    shown = ", ".join(_names(graph, reach[:6])) + (", …" if len(reach) > 6 else "")
    tip = " Try --status all." if status == "operating" else ""
    return f"{head} — from {name_a} they reach only {shown}.{tip}"


def _oriented_leg(graph: nx.MultiGraph, a: str, b: str, view: nx.MultiGraph) -> Leg:
    _key, data = min(view[a][b].items(), key=lambda kv: (kv[1]["km"], not kv[1]["built"], kv[0]))
    return edge_leg(a, b, data)


def segment_route(graph: nx.MultiGraph, segment_id: str, waypoints: Sequence[str]) -> Route | None:
    """
    Return one segment end to end as a :class:`Route` over its own edges, or None.

    None when the segment is not a transport link of `graph` (pipelines, power lines and
    fibre are not on the network) or a stretch of it is missing.
    """
    legs = []
    for index, (a, b) in enumerate(pairwise(waypoints)):
        data = graph.get_edge_data(a, b, key=f"{segment_id}/{index}")  # as build_network keys it
        if data is None:
            return None
        legs.append(edge_leg(a, b, data))
    names = tuple(graph.nodes[n]["name"] for n in waypoints)
    return Route(legs[0].mode, "all", tuple(waypoints), names, tuple(legs)) if legs else None


def edge_leg(a: str, b: str, data: dict[str, Any]) -> Leg:
    """Return the :class:`Leg` of one edge's data, travelled from `a` to `b`."""
    forward = data["start"] == a
    geometry = data["geometry"] if forward else data["geometry"].reverse()
    countries = data["country_km"] if forward else tuple(reversed(data["country_km"]))
    return Leg(
        a, b, data["km"], data["mode"], data["status"], data["built"], data["role"],
        data["corridor_id"], data["segment_id"], countries, geometry, data.get("gauge_mm"),
    )  # fmt: skip


def shortest_route(
    graph: nx.MultiGraph,
    source: str,
    target: str,
    *,
    mode: str = "transport",
    status: str = "operating",
) -> Route:
    """
    Find the shortest route by geodesic km between two places.

    Parameters
    ----------
    graph
        From :func:`load_network` or :func:`build_network`.
    source, target
        Place ids or names, in any case.
    mode
        A key of :data:`MODE_GROUPS`; each mode is its own network.
    status
        ``operating`` (built links only) or ``all`` (planned links too).

    Raises
    ------
    CorridorDataError
        For an unknown place, mode or status.
    NoRouteError
        When the links allowed do not connect the two places.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> network = load_network(load_atlas())
    >>> route = shortest_route(network, "Termez", "peshawar", mode="rail", status="all")
    >>> route.places[:3], sorted(route.km_by_corridor)
    (('termez', 'hairatan', 'naibabad'), ['uap_railway'])
    """
    _check_choice(mode, MODE_GROUPS, "mode")
    _check_choice(status, STATUSES, "status")
    a, b = resolve_place(graph, source), resolve_place(graph, target)
    if a == b:
        raise CorridorDataError(f"{source!r} and {target!r} are the same place — give two places.")
    view = _usable(graph, mode, status)
    try:
        path = nx.dijkstra_path(view, a, b, weight="km")
    except nx.NetworkXNoPath:
        raise NoRouteError(_no_route(graph, view, a, b, mode, status)) from None
    legs = tuple(_oriented_leg(graph, u, v, view) for u, v in pairwise(path))
    return Route(mode, status, tuple(path), tuple(_names(graph, path)), legs)


def km_from(graph: nx.MultiGraph, place: str, *, mode: str, status: str) -> dict[str, float]:
    """
    Shortest km from `place` to every place the `mode` links of `status` reach, itself included.

    Examples
    --------
    >>> from corridors.data.atlas import load_atlas
    >>> km = km_from(load_network(load_atlas()), "termez", mode="rail", status="operating")
    >>> sorted(km)[:3], km["termez"]
    (['hairatan', 'naibabad', 'termez'], 0)
    """
    _check_choice(mode, MODE_GROUPS, "mode")
    _check_choice(status, STATUSES, "status")
    node = resolve_place(graph, place)
    lengths: dict[str, float] = nx.single_source_dijkstra_path_length(
        _usable(graph, mode, status), node, weight="km"
    )
    return lengths
