"""``corridors route`` and ``corridors reach``: questions to the corridor network."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.data.countries import country_name
from corridors.errors import CorridorDataError
from corridors.network.graph import (
    MODE_GROUPS,
    STATUSES,
    Route,
    load_network,
    resolve_place,
    shortest_route,
)
from corridors.network.reach import (
    RAIL_ROAD_COLUMNS,
    REACH_COLUMNS,
    missing_ports,
    place_or_capital,
    rail_road_table,
    reach_table,
)
from corridors.outputs.tables import render

FORMATS = ["table", "json", "markdown"]
LEG_COLUMNS = ["from", "to", "km", "mode", "status", "corridor_id", "segment_id", "alternative"]


_ROUTE = (
    "shortest route between two places by mode, over operating or all links",
    "Find the shortest route between two places or partner capitals (ids or names, any case) "
    "over the corridor network, with its km by country and corridor, border crossings and the "
    "share still unbuilt.",
)
_REACH = (
    "each partner capital's shortest route to Karachi and Gwadar, today and planned",
    "Compare each partner capital's shortest route to Pakistan's ports over operating links and "
    "over all links, and the Trans-Afghan railway with the road from Termez to Peshawar.",
)
_ENDS = (("source", "FROM", "such as termez"), ("target", "TO", "such as Peshawar"))


def register(subparsers: Any) -> None:
    """Add the ``route`` and ``reach`` commands."""
    route = subparsers.add_parser("route", help=_ROUTE[0], description=_ROUTE[1])
    for dest, metavar, example in _ENDS:
        route.add_argument(dest, metavar=metavar, help=f"place id or name, {example}")
    route.add_argument(
        "--mode",
        choices=list(MODE_GROUPS),
        default="transport",
        help="network to travel on (transport = rail, road and ferry; default)",
    )
    route.add_argument(
        "--status",
        choices=list(STATUSES),
        default="operating",
        help="operating links only (default) or all links, planned ones too",
    )
    _add_common(route)
    route.set_defaults(func=run_route)
    reach = subparsers.add_parser("reach", help=_REACH[0], description=_REACH[1])
    _add_common(reach, formats=[*FORMATS, "csv"])
    reach.set_defaults(func=run_reach)  # fmt: skip


def _add_common(parser: argparse.ArgumentParser, formats: list[str] = FORMATS) -> None:
    parser.add_argument("--format", choices=formats, default="table")
    parser.add_argument("--data", metavar="DIR", help="a folder laid out like geodata/")


def _route_text(route: Route, fmt: str) -> str:
    record = route.to_dict()
    countries = [
        {
            "country": f"{country_name(iso3)} ({iso3})" if iso3 != country_name(iso3) else iso3,
            "km": km,
        }
        for iso3, km in route.km_by_country.items()
    ]
    corridors = [{"corridor": cid, "km": km} for cid, km in route.km_by_corridor.items()]
    crossings = ", ".join(f"{c['from']}→{c['to']} ({c['leg']})" for c in route.crossings)
    parts = [
        route.summary(),
        "via " + " – ".join(route.names),
        f"border crossings: {crossings or 'none'}",
        f"unbuilt: {route.unbuilt_km:,.1f} km ({route.unbuilt_share:.0%})",
    ]
    if route.alternatives:
        parts.append("uses alternative alignments: " + ", ".join(route.alternatives))
    return (
        "\n".join(parts)
        + "\n\n"
        + render(record["legs"], LEG_COLUMNS, fmt)
        + "\n"
        + render(countries, ["country", "km"], fmt)
        + "\n"
        + render(corridors, ["corridor", "km"], fmt)
    )


def run_route(args: argparse.Namespace) -> int:
    """Print the shortest route between two places or partner capitals."""
    atlas = load_atlas(args.data)
    network = load_network(atlas)
    ends = []
    for text in (args.source, args.target):
        try:
            place, note = resolve_place(network, text), ""
        except CorridorDataError:
            partners = load_bilateral(atlas.data_dir).partners
            place, note = place_or_capital(network, partners, text, mode=args.mode)
        if note and not args.quiet:
            print(f"note: {note}", file=sys.stderr)
        ends.append(place)
    route = shortest_route(network, *ends, mode=args.mode, status=args.status)
    if args.format == "json":
        sys.stdout.write(json.dumps(route.to_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(_route_text(route, args.format))
    return 0


def run_reach(args: argparse.Namespace) -> int:
    """Print the reach table and the Termez–Peshawar rail and road comparison."""
    atlas = load_atlas(args.data)
    network = load_network(atlas)
    reach = reach_table(network, load_bilateral(atlas.data_dir).partners)
    rail_road = rail_road_table(network)
    if args.format == "json":
        document = {"reach": reach, "termez_peshawar": rail_road}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        return 0
    if args.format == "csv":
        sys.stdout.write(render(reach, [*REACH_COLUMNS, "note"], "csv"))
        return 0
    bullet = "- " if args.format == "markdown" else ""
    notes = [f"{bullet}{r['capital']}: {r['note']}" for r in reach if r["note"]]
    notes += [f"{bullet}{name}: not a place on the network." for name in missing_ports(network)]
    sys.stdout.write(
        render(reach, REACH_COLUMNS, args.format)
        + "\n"
        + "".join(f"{note}\n" for note in notes)
        + "\nTermez → Peshawar, rail against road\n\n"
        + render(rail_road, RAIL_ROAD_COLUMNS, args.format)
    )
    return 0
